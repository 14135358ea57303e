// The browser backends of the conformance suite, by name: Web Storage, IndexedDB, extension
// storage, and idb-keyval (the real library from npm) behind the adapter the README shows.
import * as sessions from './pkg/index.js';
import { runAll } from './suite.mjs';

/** Entry texts read and written through an adapter, for the suite's raw cases. */
const rawThrough = (adapter) => ({ get: async (key) => (await adapter.getItem(key)) ?? null, set: async (key, value) => adapter.setItem(key, value) });

/** Fills a Web Storage area to its real quota with other keys, and removes them again. */
const quotaOf = (area) => ({
  fill() {
    const storage = globalThis[area];
    let chunk = 'x'.repeat(1 << 20);
    for (let i = 0; chunk.length > 0; i++) {
      try {
        storage.setItem(`quota-filler:${i}`, chunk);
      } catch {
        chunk = chunk.slice(0, chunk.length >> 1);
      }
    }
  },
  release() {
    const storage = globalThis[area];
    for (let i = storage.length - 1; i >= 0; i--) if (storage.key(i)?.startsWith('quota-filler:')) storage.removeItem(storage.key(i));
  },
});

const webStorage = (name, Store) => () => ({
  name,
  make: (config) => new Store(config),
  raw: { get: async (key) => globalThis[name].getItem(key), set: async (key, value) => globalThis[name].setItem(key, value) },
  quota: quotaOf(name),
});

const BACKENDS = {
  localStorage: webStorage('localStorage', sessions.LocalStorageSessionStore),
  sessionStorage: webStorage('sessionStorage', sessions.SessionStorageSessionStore),
  indexedDB: () => {
    const options = { database: 'conformance', objectStore: 'entries' };
    return { name: 'indexedDB', make: (config) => new sessions.IndexedDbSessionStore({ ...config, ...options }), raw: rawThrough(sessions.indexedDbStorage(options)) };
  },
  lockedLocalStorage: () => ({
    name: 'lockedLocalStorage',
    make: (config) => new sessions.AdapterSessionStore({ ...config, storage: sessions.lockedLocalStorage() }),
    raw: rawThrough(sessions.lockedLocalStorage()),
    quota: quotaOf('localStorage'),
  }),
  extension: () => ({ name: 'extension', make: (config) => new sessions.ExtensionSessionStore(config), raw: rawThrough(sessions.extensionStorage()) }),
};

/**
 * Runs the suite against the named backends, plus `extra` ones made by the caller; without names,
 * against every backend a page has (all but extension storage). A new backend is one more entry.
 */
export function run(names, extra = {}) {
  const all = { ...BACKENDS, ...extra };
  return runAll((names ?? Object.keys(all).filter((name) => name !== 'extension')).map((name) => all[name]()));
}

export { sessions };
