// The phone client: start-up, the shell (title, signal and "waiting to send" pill, bottom
// navigation), the router, and the sending loop.

import { Api, NetworkError, SignedOutError } from './api.js';
import { Data } from './data.js';
import { h, mount } from './dom.js';
import { getLang, setLang, t } from './i18n.js';
import { openDb } from './idb.js';
import { Outbox } from './outbox.js';

/** @typedef {import('./types.js').Me} Me */

/**
 * What every screen gets.
 * @typedef {Object} App
 * @property {import('./idb.js').Db} db
 * @property {Api} api
 * @property {Outbox} outbox
 * @property {Data} data
 * @property {Me | null} me
 * @property {(hash: string) => void} go
 * @property {(msg: string, kind?: 'info' | 'error') => void} toast
 * @property {() => void} refresh re-renders the current screen
 * @property {() => Promise<void>} flush sends what can be sent now
 * @property {() => Promise<void>} signOut
 * @property {(me: Me) => Promise<void>} signedIn
 * @property {(title: string) => void} setTitle
 * @property {() => boolean} online
 * @property {number} route a counter: a screen that finished loading after the user moved on does not draw
 * @property {boolean} [rendering] a screen is being drawn (the end-to-end tests wait for it)
 * @property {(role: string) => Array<[string, import('./i18n.js').Key, string]>} officeItems the office's screens for a role
 * @property {string | null} [unitLevel] the level of an officer's unit, once known (data-subject rights are a commune's)
 */

/** The roles that work at the commune office: the officer, the administrator, the leadership (read only). */
export const OFFICE = ['officer', 'admin', 'viewer'];
const office = (/** @type {string | undefined} */ role) => OFFICE.includes(role || '');

/** Screens by route. Each returns a node, or mounts itself into `main`. The office's screens are
 * modules of their own, loaded only by those roles, so the phone's first load does not grow. */
const routes = [
  { re: /^#\/login$/, load: () => import('./views/login.js'), open: true },
  { re: /^#\/(?:cases)?$/, load: (role) => (office(role) ? import('./views/office/cases.js') : import('./views/cases.js')), live: true },
  { re: /^#\/cases\/new(?:\/([\w-]+))?$/, load: () => import('./views/case-new.js') },
  { re: /^#\/cases\/([\w-]+)\/attach$/, load: () => import('./views/attach.js') },
  {
    re: /^#\/cases\/([\w-]+)(?:\/(assign|session|end|follow-up|out-of-scope|escalation|edit|written-agreement|conflict|reassign|deadline-exception|referral|transfer))?$/,
    load: () => import('./views/case-page.js'),
    live: true,
  },
  { re: /^#\/outbox$/, load: () => import('./views/outbox.js'), live: true },
  { re: /^#\/mediators$/, load: () => import('./views/mediators.js') },
  { re: /^#\/logbook$/, load: () => import('./views/logbook.js') },
  { re: /^#\/settings$/, load: () => import('./views/settings.js'), open: true },
  { re: /^#\/overview$/, load: () => import('./views/overview.js') },
  { re: /^#\/fees$/, load: () => import('./views/fees.js') },
  { re: /^#\/menu$/, load: () => import('./views/office/menu.js') },
  { re: /^#\/teams(?:\/([\w-]+))?$/, load: () => import('./views/office/teams.js') },
  { re: /^#\/trainings$/, load: () => import('./views/office/trainings.js') },
  { re: /^#\/funding$/, load: () => import('./views/office/funding.js') },
  { re: /^#\/review$/, load: () => import('./views/office/review.js') },
  { re: /^#\/stats$/, load: () => import('./views/office/stats.js') },
  { re: /^#\/reports$/, load: () => import('./views/office/reports.js') },
  { re: /^#\/privacy(?:\/([\w-]+))?$/, load: () => import('./views/office/privacy.js') },
  { re: /^#\/admin\/(users|clients|units)$/, load: () => import('./views/office/admin.js') },
];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const syncBtn = /** @type {HTMLButtonElement} */ (document.getElementById('sync'));
const titleEl = /** @type {HTMLElement} */ (document.getElementById('title'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const toastEl = /** @type {HTMLElement} */ (document.getElementById('toast'));

const locks = /** @type {any} */ (navigator).locks || null;
const db = await openDb();
/** @type {App} */
const app = /** @type {any} */ ({ db, me: null, route: 0 });
app.api = new Api({ db, lang: getLang, locks, onSignedOut: () => sessionOver() });
app.data = new Data({ db, api: app.api });
app.outbox = new Outbox({
  db,
  locks,
  send: async (op) => {
    try {
      const r = await app.api.request(op.method, op.path, {
        body: op.body,
        idempotencyKey: op.method === 'POST' ? op.idempotencyKey : undefined,
        ifMatch: op.ifMatch,
      });
      return { status: r.status, headers: r.headers, body: r.body };
    } catch (e) {
      if (e instanceof SignedOutError) return { status: 401, headers: new Headers(), body: null };
      throw e;
    }
  },
  onSent: async (op, res) => {
    const body = res.body;
    // A case record in the answer: keep the phone's copy fresh.
    if (body && typeof body === 'object' && body.id && body.status) await app.data.remember(body);
    // Later changes made on top of this one follow its new version, so they are not taken for a
    // conflict with the user's own earlier change.
    const version = body?.version ?? Number(String(res.headers.get('ETag') || '').replace(/\D/g, '') || NaN);
    if (op.caseId && Number.isFinite(version)) {
      for (const later of await app.outbox.list()) {
        const onTop = (later.ifMatch != null && later.ifMatch === op.ifMatch) || (later.ifMatch == null && later.chain);
        if (later.caseId === op.caseId && later.id > op.id && onTop) {
          await db.update('outbox', later.id, (c) => (c ? { ...c, ifMatch: version } : undefined));
        }
      }
    }
  },
  onChange: () => updateSync(),
});

app.online = () => navigator.onLine;
app.officeItems = (role) => officeItems(role);
app.go = (hash) => {
  if (location.hash === hash) render();
  else location.hash = hash;
};
app.refresh = () => render({ quiet: true });
app.setTitle = (s) => {
  titleEl.textContent = s;
  document.title = `${s} · ${t('app_name')}`;
};

let toastTimer = 0;
app.toast = (msg, kind = 'info') => {
  toastEl.textContent = msg;
  toastEl.className = `toast ${kind}`;
  toastEl.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (toastEl.hidden = true), 5000);
};

// ---- sending -------------------------------------------------------------------------------

let wakeTimer = 0;
let sending = false;
app.flush = async () => {
  if (!app.me) return;
  sending = true;
  updateSync();
  try {
    const before = await outboxState();
    const r = await app.outbox.flush();
    if (r.auth) sessionOver();
    if (r.sent) app.toast(t('sent'));
    // Sent (the server's answer is now the record), refused, or put off to a later try: redraw
    // what shows cases and the outbox.
    if (r.sent || (await outboxState()) !== before) liveRefresh();
  } catch (e) {
    console.warn('outbox', e);
  } finally {
    sending = false;
    updateSync();
    schedule();
  }
};

/** What the screens show of the outbox: each operation, its state and whether a retry is due later. */
async function outboxState() {
  const now = Date.now();
  return (await app.outbox.list()).map((o) => `${o.id}:${o.state}:${o.nextAttemptAt > now}`).join(',');
}

/** Wakes up for the next due retry (the backoff lives in the outbox). */
async function schedule() {
  clearTimeout(wakeTimer);
  const due = await app.outbox.nextDue();
  if (due === null) return;
  wakeTimer = window.setTimeout(() => app.flush(), Math.max(1000, due - Date.now()));
}

async function updateSync() {
  const ops = await app.outbox.list();
  const n = ops.length;
  const trouble = ops.some((o) => o.state !== 'pending');
  syncBtn.hidden = !app.me;
  syncBtn.className = `pill ${!navigator.onLine ? 'off' : n ? (trouble ? 'bad' : 'wait') : 'ok'}`;
  syncBtn.textContent = n
    ? sending && navigator.onLine
      ? t('sending')
      : t('waiting_n', { n })
    : navigator.onLine
      ? t('all_sent')
      : t('offline_short');
  syncBtn.setAttribute('aria-label', `${n ? t('waiting_n', { n }) : t('all_sent')}. ${navigator.onLine ? t('online_short') : t('offline_short')}`);
  banner.hidden = navigator.onLine;
  banner.textContent = navigator.onLine ? '' : t('offline');
}
syncBtn.addEventListener('click', () => app.go('#/outbox'));

window.addEventListener('online', async () => {
  await app.outbox.wakeAll();
  updateSync();
  liveRefresh();
  app.flush();
});

/** Redraws the current screen when it shows server records or the outbox, never a form being filled. */
function liveRefresh() {
  const hash = location.hash || '#/';
  const route = routes.find((r) => r.re.test(hash));
  if (!route?.live || /\/cases\/[\w-]+\/[\w-]+$/.test(hash)) return;
  const active = document.activeElement;
  if (active && main.contains(active) && active.matches('textarea, input:not([type=search]), select')) return;
  render({ quiet: true });
}
window.addEventListener('offline', () => updateSync());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && navigator.onLine) app.flush();
});

// ---- session -------------------------------------------------------------------------------

let over = false;
function sessionOver() {
  if (over) return;
  over = true;
  app.me = null;
  app.toast(t('session_over'), 'error');
  app.go('#/login');
}

app.signedIn = async (me) => {
  over = false;
  app.me = me;
  await app.data.setMeta('me', me);
  // Unsent work must survive the browser's clean-ups.
  try {
    await navigator.storage?.persist?.();
  } catch (_) {}
  app.data.loadEnums();
  loadUnitLevel(me);
  updateSync();
  app.flush();
  // What a leader needs with no signal: the team and its mediators (to assign one).
  if (me.role === 'team_leader' && navigator.onLine) import('./mediators.js').then((m) => m.teamMediators(app)).catch(() => {});
};

/**
 * An officer's unit level: the data-subject requests are a commune officer's only, so the menu
 * offers them to an officer of a commune (and while the level is not known yet). Kept on the
 * phone, refreshed when there is signal. @param {Me} me
 */
async function loadUnitLevel(me) {
  if (me.role !== 'officer' || !me.unit_id) return;
  const saved = await app.data.meta('unit_level').catch(() => null);
  if (saved?.unit_id === me.unit_id && app.me?.id === me.id) showUnitLevel(saved.level);
  if (!navigator.onLine) return;
  try {
    const unit = await app.api.get(`/api/v1/units/${encodeURIComponent(me.unit_id)}`);
    if (app.me?.id !== me.id) return;
    showUnitLevel(unit.level);
    await app.data.setMeta('unit_level', { unit_id: me.unit_id, level: unit.level });
  } catch (_) {}
}

/**
 * Takes the officer's unit level and redraws the menu in the same step, so that nothing (a
 * person, a test) sees the new level with the old menu. @param {string} level
 */
function showUnitLevel(level) {
  if (app.unitLevel === level) return;
  app.unitLevel = level;
  drawNav(location.hash || '#/');
}

app.signOut = async () => {
  await app.api.logout();
  app.me = null;
  app.unitLevel = null;
  await db.clearAll();
  // Any cached API answer goes too; only the app shell stays.
  try {
    for (const k of await caches.keys()) if (!k.startsWith('shell-')) await caches.delete(k);
  } catch (_) {}
  try {
    navigator.serviceWorker?.controller?.postMessage({ type: 'signed-out' });
  } catch (_) {}
  updateSync();
  app.go('#/login');
};

// ---- navigation ----------------------------------------------------------------------------

/**
 * The office's screens, by role: everything the role may read; the bottom bar of a phone shows
 * the first ones and "Khác" (the rest), a laptop shows them all in a side bar.
 * @param {string} role @returns {Array<[string, import('./i18n.js').Key, string]>}
 */
export function officeItems(role) {
  /** @type {Array<[string, import('./i18n.js').Key, string]>} */
  const items = [
    ['#/overview', 'nav_overview', 'i-list'],
    ['#/cases', 'nav_cases', 'i-list'],
    ['#/teams', 'nav_teams', 'i-people'],
    ['#/trainings', 'nav_trainings', 'i-book'],
    ['#/funding', 'nav_funding', 'i-book'],
    ['#/fees', 'nav_fees', 'i-book'],
    ['#/review', 'nav_review', 'i-book'],
    ['#/stats', 'nav_stats', 'i-list'],
    ['#/reports', 'nav_reports', 'i-book'],
    ['#/logbook', 'nav_logbook', 'i-book'],
  ];
  // Data-subject requests: a commune's officer only (an officer of a province or of the whole
  // country has no such register; the server answers 403).
  if (role === 'officer' && app.me?.unit_id && (!app.unitLevel || app.unitLevel === 'commune')) items.push(['#/privacy', 'nav_privacy', 'i-people']);
  if (role === 'admin' || role === 'officer') items.push(['#/admin/users', 'nav_users', 'i-people']);
  if (role === 'admin' || role === 'officer') items.push(['#/admin/clients', 'nav_clients', 'i-gear']);
  if (role === 'admin') items.push(['#/admin/units', 'nav_units', 'i-list']);
  return items;
}

/** @param {string} here the screen being shown */
function drawNav(here) {
  const role = app.me?.role;
  /** @type {Array<[string, import('./i18n.js').Key, string]>} */
  let items = [];
  /** How many of the items the phone's bottom bar shows (the rest are under "Khác"). */
  let onPhone = 99;
  if (role === 'team_leader')
    items = [
      ['#/', 'nav_cases', 'i-list'],
      ['#/cases/new', 'nav_new', 'i-plus'],
      ['#/mediators', 'nav_mediators', 'i-people'],
      ['#/logbook', 'nav_logbook', 'i-book'],
      ['#/settings', 'nav_settings', 'i-gear'],
    ];
  else if (role === 'mediator')
    items = [
      ['#/', 'nav_my_cases', 'i-list'],
      ['#/outbox', 'nav_outbox', 'i-up'],
      ['#/settings', 'nav_settings', 'i-gear'],
    ];
  else if (office(role)) {
    items = [...officeItems(role), ['#/settings', 'nav_settings', 'i-gear']];
    onPhone = 2;
  }
  nav.hidden = !items.length;
  document.body.classList.toggle('has-nav', !!items.length);
  const current = (/** @type {string} */ href) =>
    here === href || (href === '#/' && (here === '#/cases' || (/^#\/cases\//.test(here) && !/^#\/cases\/new/.test(here)))) || (href === '#/cases' && /^#\/cases\//.test(here)) || (href === '#/teams' && /^#\/teams\//.test(here)) || (href === '#/privacy' && /^#\/privacy\//.test(here));
  const link = (/** @type {string} */ href, /** @type {import('./i18n.js').Key} */ key, /** @type {string} */ icon, /** @type {string} */ cls) =>
    h('li', { class: cls || null }, h('a', { href, class: icon, 'aria-current': current(href) ? 'page' : null }, t(key)));
  const more = items.length > onPhone + 1;
  mount(
    nav,
    h(
      'ul',
      null,
      items.map(([href, key, icon], i) => link(href, key, icon, more && i >= onPhone && href !== '#/settings' ? 'wide-only' : '')),
      more ? link('#/menu', 'nav_more', 'i-list', 'phone-only') : null,
    ),
  );
}

/** @param {{quiet?: boolean}} [o] quiet: a redraw in place (no focus move, no scroll) */
async function render(o = {}) {
  const token = ++app.route;
  app.rendering = true;
  let hash = location.hash || '#/';
  if (!app.me && !/^#\/(login|settings)$/.test(hash)) hash = '#/login';
  if (app.me && hash === '#/login') hash = '#/';
  if (app.me && hash === '#/' && office(app.me.role)) hash = '#/overview';
  const route = routes.find((r) => r.re.test(hash));
  drawNav(hash);
  if (!route) {
    app.go('#/');
    return;
  }
  const params = /** @type {RegExpExecArray} */ (route.re.exec(hash)).slice(1);
  try {
    const mod = await route.load(app.me?.role);
    if (token !== app.route) return;
    const y = window.scrollY;
    const node = await mod.default(app, params, main);
    if (token !== app.route) return;
    if (node) mount(main, node);
    if (o.quiet) window.scrollTo(0, y);
    else {
      main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    app.rendering = false;
  } catch (e) {
    if (token !== app.route) return;
    app.rendering = false;
    console.error(e);
    if (e instanceof SignedOutError) return sessionOver();
    mount(main, h('p', { class: 'error', role: 'alert' }, e instanceof NetworkError ? t('error_network') : e.problem?.title || t('error_generic')));
  }
}
window.addEventListener('hashchange', () => render());

// ---- service worker and start --------------------------------------------------------------

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch((e) => console.warn('sw', e));
  navigator.serviceWorker.addEventListener('message', (ev) => {
    if (ev.data?.type === 'update-ready') {
      mount(toastEl, t('update_ready'), ' ', h('button', { type: 'button', class: 'link', onclick: () => location.reload() }, t('reload')));
      toastEl.className = 'toast info';
      toastEl.hidden = false;
    }
  });
}

setLang(getLang());
const saved = await app.api.load();
if (saved) app.me = (await app.data.meta('me')) || null;
if (app.me) await app.signedIn(app.me);
else updateSync();
/** @type {any} */ (window).hoagiai = app; // for the end-to-end tests and for support
render();
