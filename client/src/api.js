// The API client: base URL, bearer tokens, problem+json. Sign-in is handled here so the screens never
// see a token: a request that meets an expired access token waits for one shared refresh. Refresh
// tokens rotate and each works once, so one refresh runs at a time — in this tab (a shared promise)
// and across tabs (a Web Lock, and the tokens kept in IndexedDB so the other tab picks up the result).

/**
 * @typedef {import('./api-types').components['schemas']} Schemas
 * @typedef {Schemas['TokenResponse']} TokenResponse
 * @typedef {Schemas['UserDto']} UserDto
 * @typedef {Schemas['Problem']} Problem
 * @typedef {Schemas['LoginRequest']} LoginRequest
 * @typedef {Schemas['RefreshRequest']} RefreshRequest
 * @typedef {{access: string, accessExp: number, refresh: string | null, userId?: string}} Auth
 * @typedef {{status: number, ok: boolean, headers: Headers, body: any, problem: Problem | null}} ApiResponse
 */

/** The fetch failed: no signal, or the server could not be reached. */
export class NetworkError extends Error {
  constructor(cause) {
    super('network');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** The session is over (refresh refused): the user must sign in again. Unsent work is kept. */
export class SignedOutError extends Error {
  constructor() {
    super('signed_out');
    this.name = 'SignedOutError';
  }
}

/** The base URL of the API: a saved setting, else `<meta name="hoagiai-api">`, else this origin. */
export function apiBase() {
  let v = '';
  try {
    v = localStorage.getItem('hoagiai.api') || '';
  } catch (_) {}
  if (!v && typeof document !== 'undefined') {
    v = document.querySelector('meta[name="hoagiai-api"]')?.getAttribute('content') || '';
  }
  return v.replace(/\/+$/, '');
}

const TIMEOUT_MS = 45_000;

export class Api {
  /**
   * @param {Object} o
   * @param {import('./idb.js').Db} o.db
   * @param {string} [o.base]
   * @param {typeof fetch} [o.fetch]
   * @param {() => string} [o.lang]
   * @param {{request: Function} | null} [o.locks]
   * @param {() => void} [o.onSignedOut] the refresh token was refused
   */
  constructor({ db, base = apiBase(), fetch: f, lang = () => 'vi', locks = null, onSignedOut }) {
    this.db = db;
    this.base = base;
    this.fetch = f || globalThis.fetch.bind(globalThis);
    this.lang = lang;
    this.locks = locks;
    this.onSignedOut = onSignedOut || (() => {});
    /** @type {Auth | null} */
    this.auth = null;
    /** @type {Promise<Auth> | null} */
    this.refreshing = null;
  }

  /** Loads the saved session, if any. @returns {Promise<Auth | null>} */
  async load() {
    const rec = await this.db.get('meta', 'auth');
    this.auth = rec ? rec.value : null;
    return this.auth;
  }

  /** @param {TokenResponse} t */
  async _save(t) {
    /** @type {Auth} */
    const auth = { access: t.access_token, accessExp: Date.now() + t.expires_in * 1000, refresh: t.refresh_token ?? null };
    this.auth = auth;
    await this.db.put('meta', { key: 'auth', value: auth });
    return auth;
  }

  /**
   * The low-level call. Throws NetworkError when there is no answer.
   * @param {string} method @param {string} path
   * @param {{body?: any, headers?: Record<string, string>, token?: string | null, raw?: boolean}} [o]
   * @returns {Promise<ApiResponse & {raw?: Response}>}
   */
  async _fetch(method, path, { body, headers = {}, token = null, raw = false } = {}) {
    /** @type {Record<string, string>} */
    const h = { Accept: 'application/json, application/problem+json', 'Accept-Language': this.lang(), ...headers };
    // A file (a photo, a PDF) goes as its bytes, with the type the caller names; anything else as JSON.
    const binary = typeof Blob !== 'undefined' && (body instanceof Blob || body instanceof ArrayBuffer);
    if (body !== undefined && !binary) h['Content-Type'] = 'application/json';
    if (token) h.Authorization = `Bearer ${token}`;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    /** @type {Response} */
    let res;
    try {
      res = await this.fetch(this.base + path, {
        method,
        headers: h,
        body: body === undefined ? undefined : binary ? body : JSON.stringify(body),
        signal: ctl.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      throw new NetworkError(e);
    } finally {
      clearTimeout(timer);
    }
    if (raw && res.ok) return { status: res.status, ok: true, headers: res.headers, body: null, problem: null, raw: res };
    let data = null;
    try {
      const text = await res.text();
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      if (e instanceof SyntaxError) data = null;
      else throw new NetworkError(e);
    }
    return { status: res.status, ok: res.ok, headers: res.headers, body: data, problem: res.ok ? null : data };
  }

  /**
   * A call with the session's token; refreshes it once, shared, when it has expired.
   * @param {string} method @param {string} path
   * @param {{body?: any, idempotencyKey?: string, ifMatch?: number | string, headers?: Record<string, string>, raw?: boolean}} [o]
   * @returns {Promise<ApiResponse & {raw?: Response}>}
   */
  async request(method, path, { body, idempotencyKey, ifMatch, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (idempotencyKey) h['Idempotency-Key'] = idempotencyKey;
    if (ifMatch !== undefined && ifMatch !== null) h['If-Match'] = `"${ifMatch}"`;
    let auth = await this.token();
    let res = await this._fetch(method, path, { body, headers: h, token: auth.access, raw });
    if (res.status === 401) {
      auth = await this.refresh(auth.access);
      res = await this._fetch(method, path, { body, headers: h, token: auth.access, raw });
    }
    return res;
  }

  /** GET that returns the body or throws the problem. @param {string} path */
  async get(path) {
    const res = await this.request('GET', path);
    if (!res.ok) throw Object.assign(new Error(res.problem?.title || String(res.status)), { status: res.status, problem: res.problem });
    return res.body;
  }

  /** A valid access token, refreshed when it is about to expire. @returns {Promise<Auth>} */
  async token() {
    if (!this.auth) await this.load();
    if (!this.auth) throw new SignedOutError();
    if (this.auth.accessExp - 30_000 > Date.now()) return this.auth;
    return this.refresh(this.auth.access);
  }

  /**
   * Gets a new token pair. `stale` is the access token that failed: when another request or tab
   * has already replaced it, that result is used instead of spending the refresh token again.
   * @param {string} stale @returns {Promise<Auth>}
   */
  refresh(stale) {
    if (this.refreshing) return this.refreshing;
    const run = async () => {
      const saved = (await this.db.get('meta', 'auth'))?.value;
      if (saved && saved.access !== stale && saved.accessExp - 30_000 > Date.now()) {
        this.auth = saved;
        return saved;
      }
      const rt = saved?.refresh;
      if (!rt) throw this._signedOut();
      /** @type {RefreshRequest} */
      const body = { refresh_token: rt };
      const res = await this._fetch('POST', '/api/v1/auth/refresh', { body });
      if (res.status === 200) return this._save(res.body);
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        // Refused: keep the outbox and the user's drafts, forget only the tokens.
        await this.db.delete('meta', 'auth');
        this.auth = null;
        throw this._signedOut();
      }
      throw Object.assign(new Error(res.problem?.title || `refresh ${res.status}`), { status: res.status, problem: res.problem });
    };
    const p = this.locks ? this.locks.request('hoagiai-refresh', run) : run();
    this.refreshing = Promise.resolve(p).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  _signedOut() {
    this.onSignedOut();
    return new SignedOutError();
  }

  /**
   * @param {string} username @param {string} password
   * @returns {Promise<{ok: boolean, me?: UserDto, problem?: Problem | null, status: number}>}
   */
  async login(username, password) {
    /** @type {LoginRequest} */
    const body = { username, password };
    const res = await this._fetch('POST', '/api/v1/auth/login', { body });
    if (res.status !== 200) return { ok: false, problem: res.problem, status: res.status };
    /** @type {TokenResponse} */
    const t = res.body;
    await this._save(t);
    /** @type {UserDto} */
    const me = await this.get('/api/v1/me');
    return { ok: true, me, status: 200 };
  }

  /** Ends the session on the server, best effort (offline: the token just expires). */
  async logout() {
    const rt = this.auth?.refresh;
    this.auth = null;
    if (!rt) return;
    try {
      /** @type {RefreshRequest} */
      const body = { refresh_token: rt };
      await this._fetch('POST', '/api/v1/auth/logout', { body });
    } catch (_) {}
  }
}
