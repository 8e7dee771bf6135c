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
 */

/** Screens by route. Each returns a node, or mounts itself into `main`. */
const routes = [
  { re: /^#\/login$/, load: () => import('./views/login.js'), open: true },
  { re: /^#\/(?:cases)?$/, load: () => import('./views/cases.js') },
  { re: /^#\/cases\/new(?:\/([\w-]+))?$/, load: () => import('./views/case-new.js') },
  { re: /^#\/cases\/([\w-]+)(?:\/(assign|session|end|follow-up|out-of-scope|escalation|edit))?$/, load: () => import('./views/case-page.js') },
  { re: /^#\/outbox$/, load: () => import('./views/outbox.js') },
  { re: /^#\/mediators$/, load: () => import('./views/mediators.js') },
  { re: /^#\/logbook$/, load: () => import('./views/logbook.js') },
  { re: /^#\/settings$/, load: () => import('./views/settings.js'), open: true },
  { re: /^#\/overview$/, load: () => import('./views/overview.js') },
  { re: /^#\/fees$/, load: () => import('./views/fees.js') },
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
app.go = (hash) => {
  if (location.hash === hash) render();
  else location.hash = hash;
};
app.refresh = () => render();
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
    const r = await app.outbox.flush();
    if (r.auth) sessionOver();
    if (r.sent) app.toast(t('sent'));
  } catch (e) {
    console.warn('outbox', e);
  } finally {
    sending = false;
    updateSync();
    schedule();
  }
};

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
  app.flush();
});
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
  updateSync();
  app.flush();
  // What a leader needs with no signal: the team and its mediators (to assign one).
  if (me.role === 'team_leader' && navigator.onLine) import('./views/forms.js').then((m) => m.teamMediators(app)).catch(() => {});
};

app.signOut = async () => {
  await app.api.logout();
  app.me = null;
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

/** @param {string} here the screen being shown */
function drawNav(here) {
  const role = app.me?.role;
  /** @type {Array<[string, import('./i18n.js').Key, string]>} */
  let items = [];
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
  else if (role === 'officer' || role === 'admin')
    items = [
      ['#/overview', 'nav_overview', 'i-list'],
      ['#/fees', 'nav_fees', 'i-book'],
      ['#/settings', 'nav_settings', 'i-gear'],
    ];
  else if (role) items = [['#/overview', 'nav_overview', 'i-list'], ['#/settings', 'nav_settings', 'i-gear']];
  nav.hidden = !items.length;
  mount(
    nav,
    h(
      'ul',
      null,
      items.map(([href, key, icon]) =>
        h('li', null, h('a', { href, class: icon, 'aria-current': here === href || (href === '#/' && here === '#/cases') ? 'page' : null }, t(key))),
      ),
    ),
  );
}

async function render() {
  const token = ++app.route;
  let hash = location.hash || '#/';
  if (!app.me && !/^#\/(login|settings)$/.test(hash)) hash = '#/login';
  if (app.me && hash === '#/login') hash = '#/';
  if (app.me && hash === '#/' && !['team_leader', 'mediator'].includes(app.me.role)) hash = '#/overview';
  const route = routes.find((r) => r.re.test(hash));
  drawNav(hash);
  if (!route) {
    app.go('#/');
    return;
  }
  const params = /** @type {RegExpExecArray} */ (route.re.exec(hash)).slice(1);
  try {
    const mod = await route.load();
    if (token !== app.route) return;
    const node = await mod.default(app, params, main);
    if (token !== app.route) return;
    if (node) mount(main, node);
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  } catch (e) {
    if (token !== app.route) return;
    console.error(e);
    if (e instanceof SignedOutError) return sessionOver();
    mount(main, h('p', { class: 'error', role: 'alert' }, e instanceof NetworkError ? t('error_network') : e.problem?.title || t('error_generic')));
  }
}
window.addEventListener('hashchange', render);

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
