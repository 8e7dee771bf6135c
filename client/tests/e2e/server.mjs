// Starts the real server on a fresh SQLite database in a temp dir and a free 127.0.0.1 port, and
// seeds accounts through the CLI and the API. Used by the end-to-end tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function serverBinary() {
  if (process.env.HOAGIAI_BIN) return process.env.HOAGIAI_BIN;
  const target = process.env.CARGO_TARGET_DIR || resolve(here, '../../../target');
  return join(target, 'debug', 'hoagiai');
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {any} */ (s.address());
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export const ADMIN_PASSWORD = 'admin-password-123';

/**
 * @param {{demo?: boolean}} [o] demo: seed the demo commune (its own administrator and logins)
 * @returns {Promise<{base: string, stop: () => Promise<void>, dir: string, log: () => string}>}
 */
export async function startServer(o = {}) {
  const bin = serverBinary();
  if (!existsSync(bin)) throw new Error(`server binary not found at ${bin} (build it, or set HOAGIAI_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'hoagiai-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    HOAGIAI_DATABASE_URL: `sqlite://${dir}/t.db`,
    HOAGIAI_DATA_DIR: dir,
    HOAGIAI_BIND: `127.0.0.1:${port}`,
    HOAGIAI_JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789',
    RUST_LOG: process.env.RUST_LOG || 'warn',
  };
  const mig = spawnSync(bin, ['migrate'], { env, encoding: 'utf8' });
  if (mig.status !== 0) throw new Error(`migrate failed: ${mig.stderr}`);
  if (!o.demo) {
    const adm = spawnSync(bin, ['admin', 'create', '--username', 'admin'], { env, input: ADMIN_PASSWORD + '\n', encoding: 'utf8' });
    if (adm.status !== 0) throw new Error(`admin create failed: ${adm.stderr}${adm.stdout}`);
  }
  const child = spawn(bin, o.demo ? ['serve', '--demo'] : ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch (_) {}
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dir,
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tiny API client for seeding and for assertions. */
export class Admin {
  constructor(base) {
    this.base = base;
    this.token = '';
  }
  async login(username = 'admin', password = ADMIN_PASSWORD) {
    const r = await this.call('POST', '/api/v1/auth/login', { username, password });
    this.token = r.access_token;
    return this;
  }
  async call(method, path, body, headers = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return data;
  }
}

// ---- the client from the working tree --------------------------------------------------------
// The server embeds client/ when it is compiled, so a binary built before the last client change
// serves an old copy. By default the tests serve the client files from disk, exactly as the server
// does (same CSP, ETag, no-cache), on their own port, and pass the API through to the real server:
// one origin, as in production. HOAGIAI_E2E_EMBEDDED=1 uses the server's embedded copy instead
// (every request, files too, passes through).
//
// The pass-through is also where a test loses an answer on the way back (`tap.lose`): the request
// reaches the server and is done, then the connection is cut before the phone reads a byte of the
// answer. This is done here, on the wire, rather than with Playwright's `page.route`, because the
// browser hands a service-worker-controlled page's requests to its network stack by a path that
// `page.route` does not always see (in CI the upload went out unseen, so the staged loss never
// happened and the test failed on "retried after the lost answer").
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const clientRoot = resolve(here, '../..');
const EXCLUDED = /^(node_modules|tests|test-results|test-artifacts|screenshots)\/|^package[^/]*\.json$|^[^/]*\.config\.[^/]*$|^tsconfig\.json$/;
const TYPES = { html: 'text/html', js: 'text/javascript', css: 'text/css', json: 'application/json', svg: 'image/svg+xml', webmanifest: 'application/manifest+json', ts: 'video/mp2t' };

/**
 * @typedef {{method: string, path: string, key: string | null}} Passed a request passed to the server
 * @typedef {{passed: Passed[], lose: (r: Passed) => boolean, loseFirst: (match: (r: Passed) => boolean) => () => (string | null)[]}} Tap
 *   what went through, which answers to lose, and `loseFirst`: lose the answer to the first request
 *   that matches from now on; the function it returns stops losing and gives the Idempotency-Keys
 *   of the matching requests passed since
 * @param {string} apiBase @returns {Promise<{base: string, stop: () => Promise<void>, tap: Tap}>}
 */
export async function serveClient(apiBase) {
  const embedded = process.env.HOAGIAI_E2E_EMBEDDED === '1';
  const api = new URL(apiBase);
  /** @type {Tap} */
  const tap = {
    passed: [],
    lose: () => false,
    loseFirst(match) {
      const from = tap.passed.length;
      let lost = 0;
      tap.lose = (r) => match(r) && lost++ === 0;
      return () => {
        tap.lose = () => false;
        return tap.passed.slice(from).filter(match).map((r) => r.key);
      };
    },
  };
  const srv = createHttpServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const isFile = req.method === 'GET' || req.method === 'HEAD';
    if (!embedded && isFile && !path.startsWith('api/') && !path.startsWith('docs') && path !== 'healthz' && path !== 'readyz') {
      if (!path) path = 'index.html';
      if (!path.includes('..') && !EXCLUDED.test(path)) {
        try {
          const data = await readFile(join(clientRoot, path));
          const etag = `"${createHash('sha256').update(data).digest('hex').slice(0, 24)}"`;
          const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP };
          if (path === 'sw.js') headers['Service-Worker-Allowed'] = '/';
          if ((req.headers['if-none-match'] || '').split(',').some((t) => t.trim() === etag)) {
            res.writeHead(304, headers).end();
            return;
          }
          const ext = path.split('.').pop();
          const type = TYPES[ext] || 'application/octet-stream';
          res.writeHead(200, { ...headers, 'Content-Type': type.startsWith('text/') || type.includes('json') ? `${type}; charset=utf-8` : type });
          res.end(req.method === 'HEAD' ? undefined : data);
          return;
        } catch (_) {}
      }
    }
    /** @type {Passed} */
    const passed = { method: req.method || '', path: req.url || '', key: /** @type {string | undefined} */ (req.headers['idempotency-key']) ?? null };
    tap.passed.push(passed);
    const lose = tap.lose(passed);
    const fwd = httpRequest(
      { host: api.hostname, port: api.port, path: req.url, method: req.method, headers: { ...req.headers, host: api.host } },
      (up) => {
        if (lose) {
          // The server has answered; the phone never hears it.
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode || 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {any} */ (srv.address());
  return {
    base: `http://127.0.0.1:${port}`,
    tap,
    stop: () =>
      new Promise((r) => {
        srv.closeAllConnections?.();
        srv.close(() => r(undefined));
      }),
  };
}
