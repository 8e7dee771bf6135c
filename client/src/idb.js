// A small promise wrapper over IndexedDB. Everything the phone keeps lives here: the outbox, drafts,
// the user's own open cases, the session. `clearPersonal` wipes it all on sign-out.

export const DB_NAME = 'hoagiai';
const DB_VERSION = 1;
export const STORES = ['outbox', 'drafts', 'cases', 'meta'];

/** @param {IDBRequest} req @returns {Promise<any>} */
export function req(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** @param {IDBTransaction} tx @returns {Promise<void>} */
export function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
}

/**
 * Opens the database. `factory` is the IndexedDB implementation (tests pass fake-indexeddb).
 * @param {IDBFactory} [factory] @param {string} [name]
 * @returns {Promise<Db>}
 */
export async function openDb(factory = globalThis.indexedDB, name = DB_NAME) {
  const open = factory.open(name, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('outbox')) {
      const s = db.createObjectStore('outbox', { keyPath: 'id' });
      s.createIndex('seq', 'seq');
    }
    if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts', { keyPath: 'id' });
    if (!db.objectStoreNames.contains('cases')) db.createObjectStore('cases', { keyPath: 'id' });
    if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
  };
  const raw = await req(open);
  // Another tab upgrading the schema: let it, and reload into the new version.
  raw.onversionchange = () => raw.close();
  return new Db(raw);
}

export class Db {
  /** @param {IDBDatabase} raw */
  constructor(raw) {
    this.raw = raw;
  }

  /** @param {string} store @param {any} key */
  async get(store, key) {
    const tx = this.raw.transaction(store, 'readonly');
    return req(tx.objectStore(store).get(key));
  }

  /** @param {string} store @returns {Promise<any[]>} */
  async all(store) {
    const tx = this.raw.transaction(store, 'readonly');
    return req(tx.objectStore(store).getAll());
  }

  /** @param {string} store @param {any} value */
  async put(store, value) {
    const tx = this.raw.transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    await done(tx);
  }

  /** @param {string} store @param {any} key */
  async delete(store, key) {
    const tx = this.raw.transaction(store, 'readwrite');
    tx.objectStore(store).delete(key);
    await done(tx);
  }

  /**
   * Reads, changes and writes one record atomically: IndexedDB runs overlapping readwrite
   * transactions one after another, also across tabs, so this is a compare-and-set.
   * @param {string} store @param {any} key
   * @param {(current: any) => any} change returns the new value, `undefined` to leave it, `null` to delete
   * @returns {Promise<any>} what `change` returned
   */
  async update(store, key, change) {
    const tx = this.raw.transaction(store, 'readwrite');
    const os = tx.objectStore(store);
    const current = await req(os.get(key));
    const next = change(current);
    if (next === null) os.delete(key);
    else if (next !== undefined) os.put(next);
    await done(tx);
    return next;
  }

  /** Wipes every store (sign-out). */
  async clearAll() {
    const tx = this.raw.transaction(STORES, 'readwrite');
    for (const s of STORES) tx.objectStore(s).clear();
    await done(tx);
  }

  close() {
    this.raw.close();
  }
}
