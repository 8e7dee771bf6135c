// Data for the screens: from the server when there is signal, from the phone when not. Only the
// user's own cases that still have work are kept on the phone (a leader: the team's open cases and
// those concluded in the last 30 days, which still take a written agreement, a referral or a
// follow-up; a mediator: the same of the cases assigned to them), and all of it is wiped at sign-out.

import { NetworkError } from './api.js';
import { setEnums, today } from './i18n.js';

/** @typedef {import('./types.js').Case} Case @typedef {import('./types.js').Team} Team */

export const OPEN = ['received', 'in_progress'];

/** @param {Case} c */
export function isOpen(c) {
  return !c.status || OPEN.includes(c.status);
}

const RECENT_MS = 30 * 86_400_000;

/** Kept on the phone: open, or concluded lately (the leader's last steps may be done offline). @param {Case} c */
export function keepOnPhone(c, now = Date.now()) {
  if (isOpen(c)) return true;
  if (c.status !== 'successful' && c.status !== 'unsuccessful') return false;
  const t = Date.parse(c.updated_at || '');
  return Number.isFinite(t) && now - t < RECENT_MS;
}

/** Overdue: the server's flag, else not started by the start deadline. @param {Case} c */
export function isOverdue(c) {
  if (typeof c.overdue === 'boolean') return c.overdue;
  const d = c.deadline;
  if (!d) return false;
  if (typeof d.overdue === 'boolean') return d.overdue;
  return isOpen(c) && !!d.start_by && !d.started_on && d.start_by < today();
}

export class Data {
  /** @param {{db: import('./idb.js').Db, api: import('./api.js').Api}} o */
  constructor({ db, api }) {
    this.db = db;
    this.api = api;
  }

  async meta(key) {
    return (await this.db.get('meta', key))?.value;
  }
  async setMeta(key, value) {
    await this.db.put('meta', { key, value });
  }

  /** Enum labels: the saved copy at once, then the server's. */
  async loadEnums() {
    const saved = await this.meta('enums');
    if (saved) setEnums(saved);
    try {
      const res = await this.api._fetch('GET', '/api/v1/meta/enums');
      if (res.ok) {
        setEnums(res.body);
        await this.setMeta('enums', res.body);
      }
    } catch (_) {}
  }

  /**
   * The team the user works for. A leader or mediator sees only their own team in /teams.
   * @returns {Promise<Team | null>}
   */
  async team() {
    try {
      const page = await this.api.get('/api/v1/teams?active=true');
      const team = page.items?.[0] || null;
      await this.setMeta('team', team);
      return team;
    } catch (e) {
      if (e instanceof NetworkError || e.status === 404) return (await this.meta('team')) || null;
      throw e;
    }
  }

  /**
   * One page of cases. Online: the server's list (the open ones are kept on the phone). Offline:
   * the saved open cases.
   * @param {{team_id?: string, mediator_id?: string, status?: string, cursor?: string}} q
   * @returns {Promise<{items: Case[], next_cursor?: string | null, cached: boolean}>}
   */
  async cases(q) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
    params.set('limit', '50');
    try {
      const page = await this.api.get('/api/v1/cases?' + params);
      const items = /** @type {Case[]} */ (page.items || []);
      await this.keep(items, !q.cursor && !q.status);
      return { items, next_cursor: page.next_cursor, cached: false };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      const items = /** @type {Case[]} */ (await this.db.all('cases'));
      return { items: items.filter((c) => !q.status || c.status === q.status), cached: true };
    }
  }

  /**
   * Keeps the cases of a list that still have work on the phone; with `complete`, forgets saved
   * ones no longer in it (done, or reassigned away).
   * @param {Case[]} items @param {boolean} complete
   */
  async keep(items, complete) {
    const open = items.filter((c) => keepOnPhone(c));
    const tx = this.db.raw.transaction('cases', 'readwrite');
    const os = tx.objectStore('cases');
    if (complete) {
      const keepIds = new Set(open.map((c) => c.id));
      const keys = await new Promise((res) => {
        const r = os.getAllKeys();
        r.onsuccess = () => res(r.result);
        r.onerror = () => res([]);
      });
      for (const k of /** @type {any[]} */ (keys)) if (!keepIds.has(k)) os.delete(k);
    }
    for (const c of items) if (!keepOnPhone(c)) os.delete(c.id);
    for (const c of open) {
      // A full record (opened before) stays unless the case changed since.
      const full = await new Promise((res) => {
        const r = os.get(c.id);
        r.onsuccess = () => res(r.result);
        r.onerror = () => res(undefined);
      });
      if (full && full.parties && full.version === c.version) continue;
      os.put(c);
    }
    await new Promise((res, rej) => {
      tx.oncomplete = () => res(undefined);
      tx.onerror = () => rej(tx.error);
    });
  }

  /** @param {string} id @returns {Promise<{item: Case | null, cached: boolean}>} */
  async case(id) {
    try {
      const res = await this.api.request('GET', `/api/v1/cases/${encodeURIComponent(id)}`);
      if (res.status === 404) return { item: null, cached: false };
      if (!res.ok) throw Object.assign(new Error(res.problem?.title), { status: res.status, problem: res.problem });
      await this.remember(res.body);
      return { item: res.body, cached: false };
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      return { item: (await this.db.get('cases', id)) || null, cached: true };
    }
  }

  /** Saves a case the user just saw or changed while it has work; forgets it after. @param {Case} c */
  async remember(c) {
    if (!c || !c.id) return;
    if (keepOnPhone(c)) await this.db.put('cases', c);
    else await this.db.delete('cases', c.id);
  }
}
