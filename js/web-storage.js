// A Web Storage area (`localStorage`, `sessionStorage`) in the shape of a storage adapter, looked
// up at each call: for `lockedLocalStorage()` and for `migrateSessions` over the Web Storage stores.
import { Failure, _storeFailure } from './glue.js';
import { isStampKey } from './stamps.js';

/** `{ getItem, setItem, removeItem, keys }` over `globalThis[kind]`; `STORAGE_UNAVAILABLE` where there is none. */
export function webStorage(kind) {
  const area = () => {
    let storage;
    try {
      storage = globalThis[kind];
    } catch {
      // Denied (a sandboxed frame): as for an absent one.
    }
    if (typeof storage?.getItem !== 'function') throw _storeFailure(kind === 'localStorage' ? Failure.LocalStorageUnavailable : Failure.SessionStorageUnavailable);
    return storage;
  };
  return {
    getItem: (key) => area().getItem(key),
    setItem: (key, value) => area().setItem(key, value),
    removeItem: (key) => area().removeItem(key),
    keys: (prefix) => {
      const storage = area();
      const keys = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(prefix) && !isStampKey(key)) keys.push(key);
      }
      return keys;
    },
  };
}
