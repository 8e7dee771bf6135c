// Shared by the end-to-end tests: Debian's Chromium through playwright-core, a 360×640 phone,
// axe-core checks, screenshots, and seeding over the API.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Admin, serveClient, serverBinary, startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.HOAGIAI_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = resolve(here, '../../test-artifacts');

/** Why the e2e tests cannot run here, or '' when they can. Missing pieces fail in CI. */
export function skipReason() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  if (!existsSync(serverBinary())) missing.push(`server binary not found at ${serverBinary()} (cargo build, or set HOAGIAI_BIN)`);
  if (!missing.length) return '';
  if (process.env.CI === 'true') throw new Error(`e2e tests cannot run in CI: ${missing.join('; ')}`);
  const msg = `SKIPPING e2e tests: ${missing.join('; ')}`;
  console.log(msg);
  return msg;
}

export const PHONE = { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN' };

/** A fresh browser with a fresh profile. @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>} */
export async function launch() {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'hoagiai-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    serviceWorkers: 'allow',
    ...PHONE,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Takes the signal away the way a phone loses it: with the app installed, its service worker in
 * control of the page and the shell in its cache. Going offline while the worker is still
 * installing races its start-up against the browser's offline emulation: in one CI run a queued
 * upload went out before the test's `page.route` was in place (the test took 4.8 s where a passing
 * run takes 9), so the "lost answer" it stages never happened.
 * @param {import('playwright-core').Page} page @param {import('playwright-core').BrowserContext} context
 */
export async function goOffline(page, context) {
  await page.waitForFunction(async () => {
    const r = await navigator.serviceWorker.ready;
    return !!r.active && !!navigator.serviceWorker.controller && (await caches.keys()).some((k) => k.startsWith('shell-'));
  });
  await context.setOffline(true);
}

/**
 * Opens a page and fails the test on a CSP violation or an uncaught error.
 * @param {import('playwright-core').BrowserContext} context
 */
export async function newPage(context) {
  const page = context.pages()[0] || (await context.newPage());
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(text);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  /** @type {any} */ (page).problems = problems;
  return page;
}

/** @param {import('playwright-core').Page} page */
export function assertNoPageProblems(page) {
  assert.deepEqual(/** @type {any} */ (page).problems, [], 'no CSP violation or uncaught error');
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core; fails on serious or critical violations. @param {import('playwright-core').Page} page @param {string} screen */
export async function axeCheck(page, screen) {
  // Evaluated over the DevTools protocol, so the page's CSP does not apply to it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // @ts-ignore
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe on ${screen}: ${JSON.stringify(bad, null, 1)}`);
}

/** @param {import('playwright-core').Page} page @param {string} name */
export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Every screen gets a screenshot and an accessibility check. */
export async function screen(page, name) {
  await page.waitForLoadState('domcontentloaded');
  // @ts-ignore
  await page.waitForFunction(() => !window.hoagiai?.rendering && !document.querySelector('main .loading'));
  await shot(page, name);
  await axeCheck(page, name);
}

export const LAPTOP = { width: 1366, height: 768 };

/** The screen on the phone (360×640) and on a laptop (1366×768): a screenshot and axe at each. */
export async function screens(page, name) {
  await screen(page, `${name}-360`);
  const phone = page.viewportSize();
  await page.setViewportSize(LAPTOP);
  await page.waitForTimeout(50);
  await screen(page, `${name}-1366`);
  await page.setViewportSize(phone || PHONE.viewport);
}

/** A server seeded with the demo commune (`serve --demo`) and its logins, on a fresh database. */
export async function demoWorld() {
  const server = await startServer({ demo: true });
  let client;
  try {
    client = await serveClient(server.base);
    const logins = Object.fromEntries(
      readFileSync(join(server.dir, 'demo-logins.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('\t'))
        .map(([u, p]) => [u, p]),
    );
    const as = async (u) => new Admin(server.base).login(u, logins[u]);
    return {
      server,
      client,
      logins,
      as,
      stop: async () => {
        await client.stop();
        await server.stop();
      },
    };
  } catch (e) {
    await client?.stop();
    await server.stop();
    throw e;
  }
}

export const LEADER_PASSWORD = 'leader-password-123';
export const MEDIATOR_PASSWORD = 'mediator-password-123';

/**
 * A server with a village, a team leader and (when the API has them) a team with mediators.
 * @returns {Promise<any>}
 */
export async function world() {
  const server = await startServer();
  let client;
  try {
    client = await serveClient(server.base);
    const admin = await new Admin(server.base).login();
    const oa = await fetch(`${server.base}/openapi.json`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    const paths = new Set(Object.keys(oa?.paths || {}));
    // Units exist from the day given (default today): the team below was founded in 2020.
    const since = '2000-01-01';
    const province = await admin.call('POST', '/api/v1/units', { name: 'Thành phố Hải Phòng', level: 'province', code: '31', valid_from: since });
    const commune = await admin.call('POST', '/api/v1/units', { name: 'Xã An Lão', level: 'commune', parent_id: province.id, code: '11350', valid_from: since });
    const village = await admin.call('POST', '/api/v1/units', { name: 'Thôn Hội Yên', level: 'village', parent_id: commune.id, valid_from: since });
    const w = { server, client, admin, paths, province, commune, village, team: null, mediators: [], hasTeams: paths.has('/api/v1/teams'), hasCases: paths.has('/api/v1/cases') };
    /** @type {any} */
    let leaderMediator = null;
    if (w.hasTeams && paths.has('/api/v1/mediators')) {
      w.team = await admin.call('POST', '/api/v1/teams', { name: 'Tổ hòa giải thôn Hội Yên', unit_id: village.id, founded_on: '2020-01-01' });
      const people = [
        ['Nguyễn Thị Lan', 'female', 'leader'],
        ['Trần Văn Đức', 'male', 'member'],
        ['Lê Thị Hoa', 'female', 'member'],
      ];
      for (const [full_name, sex, role] of people) {
        const m = await admin.call('POST', '/api/v1/mediators', {
          full_name,
          sex,
          birth_year: 1965,
          unit_id: village.id,
          legal_training: 'basic',
          membership: { team_id: w.team.id, role, from_date: '2020-01-01' },
        });
        w.mediators.push(m);
        if (role === 'leader') leaderMediator = m;
      }
    }
    const user = (username, display_name, role, password, mediator) =>
      admin.call('POST', '/api/v1/users', { username, display_name, role, unit_id: village.id, password, ...(mediator ? { mediator_id: mediator.id } : {}) });
    w.leader = await user('lan.nt', 'Nguyễn Thị Lan', 'team_leader', LEADER_PASSWORD, leaderMediator);
    if (w.mediators[1]) w.mediatorUser = await user('duc.tv', 'Trần Văn Đức', 'mediator', MEDIATOR_PASSWORD, w.mediators[1]);
    w.stop = async () => {
      await client.stop();
      await server.stop();
    };
    return w;
  } catch (e) {
    await client?.stop();
    await server.stop();
    throw e;
  }
}

/** Signs in through the form. @param {import('playwright-core').Page} page */
export async function signIn(page, base, username, password) {
  await page.goto(base + '/');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // @ts-ignore
  await page.waitForFunction(() => window.hoagiai?.me && !document.querySelector('#nav[hidden]') && !document.querySelector('main .loading') && !document.querySelector('main form button[type=submit]:disabled'));
}

/**
 * Clicks a command on the case page; the rarer ones are folded under "Việc khác". Returns once
 * the command's screen has begun to draw: the click only queues the `hashchange`, and a test that
 * then waited for the screen to settle could find the case page settled and go on before the
 * form was drawn (a CI run saw the form drawn after the test had taken its measure).
 * @param {import('playwright-core').Page} page @param {string} name
 */
export async function command(page, name) {
  const l = page.locator('main .actions a.button', { hasText: name });
  await l.waitFor({ state: 'attached' });
  if (!(await l.isVisible())) await page.locator('main details.more-actions > summary').click();
  // @ts-ignore
  const before = await page.evaluate(() => window.hoagiai.route);
  await l.click();
  // @ts-ignore
  await page.waitForFunction((r) => window.hoagiai.route !== r, before);
}
