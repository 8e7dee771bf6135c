// The outbox: every write made on the phone (a new case, a session, the end…) is first stored here,
// with its own id and Idempotency-Key, and sent when there is signal. Rules:
// * never lost: an operation leaves the outbox only when the server has accepted it, or when the
//   user discards it by hand;
// * never twice: the key is made once and reused on every retry (the server replays), and a lease in
//   IndexedDB (plus a Web Lock where there is one) keeps two tabs from sending the same operation at
//   the same time;
// * in order per case: a command waits while an earlier operation on the same case is not sent;
// * a 412 becomes a conflict for the user to resolve, a 4xx a "failed" entry to fix — never dropped.

import { done, req } from './idb.js';
import { uuidv7 } from './uuid.js';

/**
 * @typedef {'pending' | 'conflict' | 'failed'} OpState
 * @typedef {Object} OutboxOp
 * @property {string} id UUIDv7: also the sending order
 * @property {string} kind what it is: 'create_case', 'update_case', 'session', 'end', …
 * @property {'POST' | 'PATCH' | 'PUT' | 'DELETE'} method
 * @property {string} path API path, e.g. /api/v1/cases
 * @property {any} body JSON, or a Blob sent as it is (an attachment)
 * @property {string} [contentType] the body's type when it is a Blob
 * @property {string} idempotencyKey made once, kept on every retry
 * @property {number} [ifMatch] the version the change was made on (If-Match)
 * @property {boolean} [chain] made on top of an earlier waiting operation of the same case: takes the version that one gets
 * @property {string} [caseId]
 * @property {string} [label] a short text for the list "Đang chờ gửi"
 * @property {OpState} state
 * @property {number} attempts
 * @property {number} nextAttemptAt ms since epoch
 * @property {number} createdAt
 * @property {string} [leaseOwner]
 * @property {number} [leaseUntil]
 * @property {any} [problem] the server's problem+json for a conflict or failure
 * @property {number} [lastStatus]
 *
 * @typedef {Object} SendResult
 * @property {number} status
 * @property {{get(name: string): string | null}} headers
 * @property {any} body JSON, or a Blob sent as it is (an attachment)
 * @property {string} [contentType] the body's type when it is a Blob
 *
 * @typedef {Object} FlushResult
 * @property {number} sent
 * @property {boolean} [offline] the network failed: try again when the signal returns
 * @property {boolean} [auth] the server wants a new sign-in
 * @property {boolean} [skipped] another tab is sending
 */

const LEASE_MS = 120_000;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;

/** Delay before retry number `attempts` (1, 2, …): exponential, capped, with jitter. */
export function backoff(attempts, random = Math.random) {
  const d = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(d * (0.8 + 0.4 * random()));
}

/** Statuses worth retrying as they are. */
function transient(status) {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export class Outbox {
  /**
   * @param {Object} o
   * @param {import('./idb.js').Db} o.db
   * @param {(op: OutboxOp) => Promise<SendResult>} o.send performs the request; throws when offline
   * @param {{request: Function} | null} [o.locks] navigator.locks, when there is one
   * @param {() => number} [o.now]
   * @param {() => number} [o.random]
   * @param {(op: OutboxOp, res: SendResult) => Promise<void> | void} [o.onSent]
   * @param {() => void} [o.onChange]
   */
  constructor({ db, send, locks = null, now = Date.now, random = Math.random, onSent, onChange }) {
    this.db = db;
    this.send = send;
    this.locks = locks;
    this.now = now;
    this.random = random;
    this.onSent = onSent;
    this.onChange = onChange || (() => {});
    this.owner = uuidv7();
    /** @type {Promise<FlushResult> | null} */
    this.flushing = null;
  }

  /**
   * Queues an operation. With `fromDraft`, the draft is removed in the same transaction, and when
   * it is already gone (sent from another tab) nothing is queued and `null` is returned.
   * @param {Partial<OutboxOp> & {kind: string, method: OutboxOp['method'], path: string}} o
   * @param {string} [fromDraft]
   * @returns {Promise<OutboxOp | null>}
   */
  async add(o, fromDraft) {
    /** @type {OutboxOp} */
    const op = {
      body: null,
      ...o,
      id: o.id || uuidv7(),
      idempotencyKey: o.idempotencyKey || uuidv7(),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: this.now(),
    };
    const stores = fromDraft ? ['outbox', 'drafts'] : ['outbox'];
    const tx = this.db.raw.transaction(stores, 'readwrite');
    let queued = true;
    if (fromDraft) {
      const draft = await req(tx.objectStore('drafts').get(fromDraft));
      if (!draft) queued = false;
      else tx.objectStore('drafts').delete(fromDraft);
    }
    if (queued) tx.objectStore('outbox').put(op);
    await done(tx);
    if (queued) this.onChange();
    return queued ? op : null;
  }

  /** @returns {Promise<OutboxOp[]>} in sending order */
  async list() {
    const all = await this.db.all('outbox');
    return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** @returns {Promise<number>} operations not yet accepted by the server */
  async count() {
    return (await this.db.all('outbox')).length;
  }

  /**
   * Sends what can be sent now. Concurrent calls in one tab share one run; another tab's run
   * makes this one a no-op.
   * @returns {Promise<FlushResult>}
   */
  flush() {
    if (this.flushing) return this.flushing;
    const run = () => this._flush();
    const p = this.locks
      ? this.locks.request('hoagiai-outbox', { ifAvailable: true }, (lock) => (lock ? run() : { sent: 0, skipped: true }))
      : run();
    this.flushing = Promise.resolve(p).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** @returns {Promise<FlushResult>} */
  async _flush() {
    let sent = 0;
    /** Cases with an earlier operation still waiting: later ones keep their order. */
    const blocked = new Set();
    for (const listed of await this.list()) {
      const key = listed.caseId || null;
      if (key && blocked.has(key)) continue;
      if (listed.state !== 'pending' || listed.nextAttemptAt > this.now()) {
        if (key) blocked.add(key);
        continue;
      }
      const op = await this._claim(listed.id);
      if (!op) {
        if (key) blocked.add(key);
        continue;
      }
      /** @type {SendResult} */
      let res;
      try {
        res = await this.send(op);
      } catch (_) {
        await this._retryLater(op, null);
        return { sent, offline: true };
      }
      const code = res.body && typeof res.body === 'object' ? res.body.code : undefined;
      if (res.status >= 200 && res.status < 300) {
        await this.db.update('outbox', op.id, (cur) => (cur && cur.leaseOwner === this.owner ? null : undefined));
        sent++;
        this.onChange();
        if (this.onSent) await this.onSent(op, res);
        continue;
      }
      if (key) blocked.add(key);
      if (res.status === 401) {
        await this._release(op.id, {});
        return { sent, auth: true };
      }
      if (transient(res.status) || (res.status === 409 && code === 'idempotency_in_progress')) {
        const ra = Number(res.headers.get('Retry-After'));
        await this._retryLater(op, Number.isFinite(ra) && ra > 0 ? ra * 1000 : null, res);
        continue;
      }
      await this._release(op.id, {
        state: res.status === 412 ? 'conflict' : 'failed',
        problem: res.body,
        lastStatus: res.status,
      });
    }
    return { sent };
  }

  /**
   * Takes the lease on an operation, atomically. Returns it, or null when it is gone or another
   * tab holds a live lease.
   * @param {string} id @returns {Promise<OutboxOp | null>}
   */
  async _claim(id) {
    let claimed = null;
    await this.db.update('outbox', id, (cur) => {
      if (!cur || cur.state !== 'pending') return undefined;
      if (cur.leaseOwner && cur.leaseOwner !== this.owner && (cur.leaseUntil || 0) > this.now()) return undefined;
      claimed = { ...cur, leaseOwner: this.owner, leaseUntil: this.now() + LEASE_MS, attempts: cur.attempts + 1 };
      return claimed;
    });
    return claimed;
  }

  /** @param {string} id @param {Partial<OutboxOp>} patch */
  async _release(id, patch) {
    await this.db.update('outbox', id, (cur) =>
      cur && cur.leaseOwner === this.owner ? { ...cur, ...patch, leaseOwner: undefined, leaseUntil: undefined } : undefined,
    );
    this.onChange();
  }

  /** @param {OutboxOp} op @param {number | null} delay @param {SendResult} [res] */
  async _retryLater(op, delay, res) {
    await this._release(op.id, {
      nextAttemptAt: this.now() + (delay ?? backoff(op.attempts, this.random)),
      lastStatus: res ? res.status : 0,
    });
  }

  /** When the next pending operation is due (ms since epoch), or null. */
  async nextDue() {
    const due = (await this.list()).filter((o) => o.state === 'pending').map((o) => o.nextAttemptAt);
    return due.length ? Math.min(...due) : null;
  }

  /**
   * Puts a conflicting or failed operation back in line, optionally changed (a resolved conflict:
   * the merged body and the server's version). A changed POST body gets a new key, as the server
   * refuses a key reused with another body.
   * @param {string} id @param {{body?: any, ifMatch?: number}} [change]
   */
  async retry(id, change = {}) {
    await this.db.update('outbox', id, (cur) => {
      if (!cur) return undefined;
      const next = { ...cur, state: 'pending', nextAttemptAt: 0, problem: undefined, leaseOwner: undefined, leaseUntil: undefined };
      if ('body' in change) {
        next.body = change.body;
        if (cur.method === 'POST' && JSON.stringify(change.body) !== JSON.stringify(cur.body)) next.idempotencyKey = uuidv7();
      }
      if ('ifMatch' in change) next.ifMatch = change.ifMatch;
      return next;
    });
    this.onChange();
  }

  /** Makes every waiting operation due now (the signal came back, or the user pressed "Gửi ngay"). */
  async wakeAll() {
    for (const op of await this.list()) {
      if (op.state === 'pending' && op.nextAttemptAt > 0) await this.db.update('outbox', op.id, (c) => (c ? { ...c, nextAttemptAt: 0 } : undefined));
    }
  }

  /** Removes an operation for good: only ever on the user's explicit choice. @param {string} id */
  async discard(id) {
    await this.db.delete('outbox', id);
    this.onChange();
  }
}
