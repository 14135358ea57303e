// A Web Storage area (`localStorage`, `sessionStorage`) in the shape of a storage adapter, looked
// up at each call: for `lockedLocalStorage()` and for `migrateSessions` over the Web Storage stores.
import { Failure, _storeFailure } from './glue.js';
import { isStampKey } from './stamps.js';

/** `{ getItem, setItem, removeItem, keys, commit }` over `globalThis[kind]`; `STORAGE_UNAVAILABLE` where there is none. */
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
    // A call's writes at once, in one task: a tab closed between two of them cannot happen, and a
    // write the area refuses (full) takes the earlier ones back. No read to check: the area
    // writes synchronously, and the stores over it hold the Web Lock.
    commit: (writes) => {
      const storage = area();
      const before = writes.map(([key]) => [key, storage.getItem(key)]);
      try {
        for (const [key, value] of writes) value === null ? storage.removeItem(key) : storage.setItem(key, value);
      } catch (error) {
        for (const [key, value] of before.reverse()) {
          try {
            value === null ? storage.removeItem(key) : storage.setItem(key, value);
          } catch {
            // The area refuses even that: the call's error is what the caller learns.
          }
        }
        throw error;
      }
      return true;
    },
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
