// localStorage as a storage adapter: a store over it queues each call and holds the prefix's Web
// Lock from its first read to its last write, as the stores over IndexedDB do, and waits for the
// last holder's writes to reach this tab (`js/caught-up.js`). For apps whose tabs must never write
// between another tab's read and write; `LocalStorageSessionStore` stays synchronous.
import { coded } from './adapter.js';
import { CATCHES_UP } from './caught-up.js';

/** `{ getItem, setItem, removeItem, keys }` over this origin's localStorage, shared safely by its tabs. */
export function lockedLocalStorage() {
  const storage = () => {
    let area;
    try {
      area = globalThis.localStorage;
    } catch {
      // Denied (a sandboxed frame): as for an absent one.
    }
    if (typeof area?.getItem !== 'function') throw coded('LocalStorage is not available in this environment', 'STORAGE_UNAVAILABLE');
    return area;
  };
  return {
    getItem: (key) => storage().getItem(key),
    setItem: (key, value) => storage().setItem(key, value),
    removeItem: (key) => storage().removeItem(key),
    keys: (prefix) => {
      const area = storage();
      const keys = [];
      for (let i = 0; i < area.length; i++) {
        const key = area.key(i);
        if (key?.startsWith(prefix)) keys.push(key);
      }
      return keys;
    },
    // Tabs' stores relay their changes over the prefix's BroadcastChannel.
    channel: 'localStorage',
    [CATCHES_UP]: true,
  };
}
