// The IndexedDB adapter: one object store of entry texts keyed by `prefix + id`. It opens the
// database on first use and again whenever the browser or another tab has closed the connection
// (Safari closes idle ones: "the database connection is closing"), creates the object store when
// it is missing, and gives way to another tab's upgrade (`versionchange`).
import { coded } from './adapter.js';

const DEFAULTS = { database: 'wasm-session-store', objectStore: 'sessions' };

/** Why nothing can be read where IndexedDB is missing or denied (private modes, sandboxed frames). */
function unavailable() {
  return coded('IndexedDB is not available in this environment', 'STORAGE_UNAVAILABLE');
}

/** A request's outcome as a Promise. */
function settled(request, onUpgrade) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    if (onUpgrade) request.onupgradeneeded = () => onUpgrade(request.result);
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
    // An upgrade another tab's open connection blocks goes on once that tab closes it (below).
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
  };
}

/** The keys that start with `prefix`: from it up to the next string that does not. */
function keyRange(prefix) {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last === 0xffff) return IDBKeyRange.lowerBound(prefix);
  return IDBKeyRange.bound(prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1), false, true);
}
