// The IndexedDB adapter: one object store of entry texts keyed by `prefix + id`. It opens the
// database on first use and again whenever the browser or another tab has closed the connection
// (Safari closes idle ones: "the database connection is closing"), creates the object store when
// it is missing, gives way to another tab's upgrade (`versionchange`), and refuses at once an
// upgrade that a connection deaf to `versionchange` blocks.
import { coded } from './adapter.js';

const DEFAULTS = { database: 'wasm-session-store', objectStore: 'sessions' };

/** Why nothing can be read where IndexedDB is missing or denied (private modes, sandboxed frames). */
function unavailable() {
  return coded('IndexedDB is not available in this environment', 'STORAGE_UNAVAILABLE');
}

/** Why an upgrade cannot happen now: a connection that does not give way on `versionchange`. */
function blocked() {
  return coded('IndexedDB: another open connection blocks the upgrade that creates the object store; it goes on once that connection closes', 'STORAGE_UNAVAILABLE');
}

/**
 * A request's outcome as a Promise. An open request that is `blocked` rejects at once; if it opens
 * later, the connection it gets is closed (the next call opens its own).
 */
function settled(request, onUpgrade) {
  return new Promise((resolve, reject) => {
    let gaveUp = false;
    request.onsuccess = () => (gaveUp ? request.result.close() : resolve(request.result));
    request.onerror = () => reject(request.error);
    if (onUpgrade) {
      request.onupgradeneeded = () => onUpgrade(request.result);
      request.onblocked = () => {
        gaveUp = true;
        reject(blocked());
      };
    }
  });
}

/**
 * `{ getItem, setItem, removeItem, keys }` over IndexedDB. `database` and `objectStore` name where
 * entries go; `indexedDB` is the factory to use (`globalThis.indexedDB` by default; a polyfill
 * such as fake-indexeddb in Node).
 */
export function indexedDbStorage(options) {
  const database = options?.database ?? DEFAULTS.database;
  const objectStore = options?.objectStore ?? DEFAULTS.objectStore;
  let connection;

  const open = async (version) => {
    let factory;
    try {
      factory = options?.indexedDB ?? globalThis.indexedDB;
    } catch {
      throw unavailable(); // Reading it throws in sandboxed frames.
    }
    if (!factory) throw unavailable();
    let request;
    try {
      request = factory.open(database, version);
    } catch {
      throw unavailable(); // SecurityError in an opaque origin, InvalidStateError in some private modes.
    }
    // Our other tabs give way to an upgrade (below); another connection that does not makes the
    // call fail STORAGE_UNAVAILABLE instead of waiting for the adapter's timeout.
    const db = await settled(request, (db) => {
      if (!db.objectStoreNames.contains(objectStore)) db.createObjectStore(objectStore);
    }).catch((error) => {
      throw error?.name === 'SecurityError' || error?.name === 'InvalidStateError' ? unavailable() : error;
    });
    if (!db.objectStoreNames.contains(objectStore)) {
      // The database exists without our object store: an upgrade creates it.
      db.close();
      return open(db.version + 1);
    }
    return db;
  };

  /** Opens the connection every request shares until the browser or another tab closes it. */
  const connect = () => {
    const pending = open();
    connection = pending;
    const forget = () => {
      if (connection === pending) connection = undefined;
    };
    pending.then((db) => {
      // Another tab upgrades the database: give way, and reopen at the next request.
      db.onversionchange = () => {
        db.close();
        forget();
      };
      db.onclose = forget;
    }, forget);
    return pending;
  };

  /** Runs one request in its own transaction; a closed connection is reopened once. */
  const run = async (mode, request) => {
    for (let attempt = 0; ; attempt++) {
      const current = connection ?? connect();
      const db = await current;
      try {
        const transaction = db.transaction(objectStore, mode);
        const result = settled(request(transaction.objectStore(objectStore)));
        result.catch(() => {}); // Its failure aborts the transaction, reported below.
        await new Promise((resolve, reject) => {
          transaction.oncomplete = resolve;
          transaction.onabort = () => reject(transaction.error);
        });
        return await result;
      } catch (error) {
        const closing = error?.name === 'InvalidStateError' || error?.name === 'NotFoundError';
        if (!closing || attempt > 0) throw error;
        if (connection === current) connection = undefined;
        db.close();
      }
    }
  };

  return {
    channel: `indexedDB ${JSON.stringify([database, objectStore])}`,
    getItem: (key) => run('readonly', (store) => store.get(key)),
    setItem: (key, value) => run('readwrite', (store) => store.put(value, key)),
    removeItem: (key) => run('readwrite', (store) => store.delete(key)),
    keys: (prefix) => run('readonly', (store) => store.getAllKeys(keyRange(prefix))),
    // A call's writes in one transaction: all land or none does (a tab closed between two writes
    // of a refresh would otherwise leave the old token working beside the new). The reads need no
    // check: every call holds the Web Lock, so no other tab wrote since.
    commit: async (writes) => {
      await run('readwrite', (store) => {
        let last;
        for (const [key, value] of writes) last = value === null ? store.delete(key) : store.put(value, key);
        return last;
      });
      return true;
    },
  };
}

/** The keys that start with `prefix`: from it up to the next string that does not. */
function keyRange(prefix) {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last === 0xffff) return IDBKeyRange.lowerBound(prefix);
  return IDBKeyRange.bound(prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1), false, true);
}
