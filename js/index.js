// The package's main entry: the session stores and the session manager.
import {
  initSync, SessionStoreBase, decodeStoredData, SessionManager as Manager, generateSessionId as newId, hashToken as hash,
} from './glue.js';
import hex from './module-hex.js';
import { instantiate, standIn, standInFunction, storeExports } from './load.js';

const failure = instantiate(initSync, hex);

export const { MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore, createSessionStore } =
  storeExports(SessionStoreBase, decodeStoredData, failure);
export const SessionManager = standIn(failure, Manager, 'SessionManager');
export const generateSessionId = standInFunction(failure, newId);
export const hashToken = standInFunction(failure, hash);
