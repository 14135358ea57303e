// The package's main entry: the session stores over every backend, `migrateSessions`, and the
// session manager.
import {
  initSync, SessionManager as Manager, generateSessionId as newId, hashToken as hash, _managerPrefix, _managerOverLocalStorage,
} from './glue.js';
import hex from './module-hex.js';
import { instantiate, standInFunction } from './load.js';
import { storeExports } from './classes.js';
import { adapterStoreExports } from './adapter-stores.js';
import { managerClass } from './manager.js';

const failure = instantiate(initSync, hex);
const stores = storeExports(failure);

export const { MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore } = stores;
export const { AdapterSessionStore, IndexedDbSessionStore, ExtensionSessionStore, createSessionStore } = adapterStoreExports(stores, failure);
export const SessionManager = managerClass(Manager, hash, failure, { prefixOf: _managerPrefix, overLocalStorage: _managerOverLocalStorage });
export const generateSessionId = standInFunction(failure, newId);
export const hashToken = standInFunction(failure, hash);
export { indexedDbStorage } from './indexeddb.js';
export { extensionStorage } from './extension.js';
export { lockedLocalStorage } from './locked-local-storage.js';
export { migrateSessions } from './migrate.js';
