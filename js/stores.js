// The `./stores` entry: the session stores of @walletmesh/router's contract (memory and Web
// Storage), without the session manager and its token code (a smaller module for routers).
import { initSync } from './glue.js';
import hex from './module-hex.js';
import { instantiate } from './load.js';
import { storeExports } from './classes.js';

const failure = instantiate(initSync, hex);

export const { MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore, createSessionStore } =
  storeExports(failure);
