// The service worker: the app shell is kept on the phone so the app opens with no signal. API
// answers are never cached here (the phone keeps only the user's own open cases, in IndexedDB).
//
// The shell is served from the newest complete copy; each start (at most once a minute) checks the
// server for changes with cheap conditional requests (ETag → 304) and, when something changed,
// fetches a whole new copy before switching to it, so a phone never runs a mix of two versions.

const SHELL = [
  './',
  'index.html',
  'app.css',
  'manifest.webmanifest',
  'icon.svg',
  'src/app.js',
  'src/api.js',
  'src/data.js',
  'src/dom.js',
  'src/i18n.js',
  'src/idb.js',
  'src/outbox.js',
  'src/search.js',
  'src/types.js',
  'src/uuid.js',
  'src/i18n/vi.js',
  'src/i18n/en.js',
  'src/i18n/enums.js',
  'src/views/login.js',
  'src/views/cases.js',
  'src/views/case-new.js',
  'src/views/case-page.js',
  'src/views/forms.js',
  'src/views/outbox.js',
  'src/views/mediators.js',
  'src/views/logbook.js',
  'src/views/settings.js',
  'src/views/overview.js',
  'src/views/fees.js',
  'src/views/attach.js',
  'src/attachments.js',
  'src/mediators.js',
];
// The office's screens: only the office's roles load them, so a leader's phone never downloads
// them. They are kept in the current shell copy the first time they are used.
const LAZY = [
  'src/views/office/admin.js',
  'src/views/office/cases.js',
  'src/views/office/chart.js',
  'src/views/office/common.js',
  'src/views/office/funding.js',
  'src/views/office/menu.js',
  'src/views/office/privacy.js',
  'src/views/office/reports.js',
  'src/views/office/review.js',
  'src/views/office/stats.js',
  'src/views/office/teams.js',
  'src/views/office/trainings.js',
  'src/views/office/words.js',
];
const PREFIX = 'shell-';

/** @param {string} p */
const abs = (p) => new URL(p, self.registration.scope).href;

/** Fetches every shell file into a new cache; the old copy is dropped only when all arrived. */
async function fetchShell() {
  const name = PREFIX + Date.now();
  const cache = await caches.open(name);
  try {
    await Promise.all(
      SHELL.map(async (p) => {
        const res = await fetch(abs(p), { cache: 'no-cache' });
        if (!res.ok) throw new Error(`${p}: ${res.status}`);
        await cache.put(abs(p), res);
      }),
    );
  } catch (e) {
    await caches.delete(name);
    throw e;
  }
  for (const k of await caches.keys()) if (k.startsWith(PREFIX) && k !== name) await caches.delete(k);
  return name;
}

async function currentCache() {
  const names = (await caches.keys()).filter((k) => k.startsWith(PREFIX)).sort();
  return names.length ? caches.open(names[names.length - 1]) : null;
}

self.addEventListener('install', (ev) => {
  ev.waitUntil(fetchShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(self.clients.claim());
});

let lastCheck = 0;
/** Has anything in the shell changed on the server? Then take a fresh copy and tell the pages. */
async function checkForUpdate() {
  if (Date.now() - lastCheck < 60_000) return;
  lastCheck = Date.now();
  const cache = await currentCache();
  if (!cache) return;
  let changed = false;
  for (const p of SHELL) {
    const old = await cache.match(abs(p));
    const etag = old?.headers.get('ETag');
    const res = await fetch(abs(p), { cache: 'no-store', headers: etag ? { 'If-None-Match': etag } : {} });
    if (res.status === 304) continue;
    if (!res.ok) return;
    changed = true;
    break;
  }
  if (!changed) return;
  await fetchShell();
  for (const c of await self.clients.matchAll()) c.postMessage({ type: 'update-ready' });
}

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  const isNav = req.mode === 'navigate';
  // Only the app's own page and files; the API, /docs and anything else go straight to the network.
  const lazy = LAZY.includes(path);
  if (isNav ? !(path === '' || path === 'index.html') : !SHELL.includes(path) && !lazy) return;
  ev.respondWith(
    (async () => {
      const cache = await currentCache();
      const hit = cache && (await cache.match(isNav ? abs('index.html') : abs(path)));
      if (isNav) ev.waitUntil(checkForUpdate().catch(() => {}));
      if (hit) return hit;
      const res = await fetch(req);
      if (lazy && cache && res.ok) ev.waitUntil(cache.put(abs(path), res.clone()));
      return res;
    })(),
  );
});

self.addEventListener('message', (ev) => {
  // Sign-out: drop anything but the shell (there should be nothing, but be sure).
  if (ev.data?.type === 'signed-out') {
    ev.waitUntil(
      caches.keys().then((keys) => Promise.all(keys.filter((k) => !k.startsWith(PREFIX)).map((k) => caches.delete(k)))),
    );
  }
});
