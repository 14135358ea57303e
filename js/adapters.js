// The `./adapters` entry: the stores of `./stores` and the stores over storage adapters
// (IndexedDB, extension storage, your own), with `migrateSessions`; no session manager.
import { initSync } from './glue.js';
import hex from './module-hex.js';
import { instantiate } from './load.js';
import { storeExports } from './classes.js';
import { adapterStoreExports } from './adapter-stores.js';

const failure = instantiate(initSync, hex);
const stores = storeExports(failure);

export const { MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore } = stores;
export const { AdapterSessionStore, IndexedDbSessionStore, ExtensionSessionStore, createSessionStore } = adapterStoreExports(stores, failure);
export { indexedDbStorage } from './indexeddb.js';
export { extensionStorage } from './extension.js';
export { lockedLocalStorage } from './locked-local-storage.js';
export { migrateSessions } from './migrate.js';
