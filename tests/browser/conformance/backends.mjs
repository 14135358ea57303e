// The browser backends of the conformance suite, by name: Web Storage, IndexedDB, extension
// storage, and idb-keyval (the real library from npm) behind the adapter the README shows.
import * as sessions from './pkg/index.js';
import { runAll } from './suite.mjs';

/** Entry texts read and written through an adapter, for the suite's raw cases. */
const rawThrough = (adapter) => ({ get: async (key) => (await adapter.getItem(key)) ?? null, set: async (key, value) => adapter.setItem(key, value) });

const webStorage = (name, Store) => () => ({
  name,
  make: (config) => new Store(config),
  raw: { get: async (key) => globalThis[name].getItem(key), set: async (key, value) => globalThis[name].setItem(key, value) },
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
  }),
  extension: () => ({ name: 'extension', make: (config) => new sessions.ExtensionSessionStore(config), raw: rawThrough(sessions.extensionStorage()) }),
};

/** Runs the suite against the named backends, plus `extra` ones made by the caller. */
export function run(names, extra = {}) {
  const all = { ...BACKENDS, ...extra };
  return runAll(names.map((name) => all[name]()));
}

export { sessions };
