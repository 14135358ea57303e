// localStorage as a storage adapter: a store over it queues each call and holds the prefix's Web
// Lock from its first read to its last write, as the stores over IndexedDB do, and waits for the
// last holder's writes to reach this tab (`js/caught-up.js`). For apps whose tabs must never write
// between another tab's read and write; `LocalStorageSessionStore` stays synchronous.
import { CATCHES_UP } from './caught-up.js';
import { webStorage } from './web-storage.js';

/** `{ getItem, setItem, removeItem, keys }` over this origin's localStorage, shared safely by its tabs. */
export function lockedLocalStorage() {
  return {
    ...webStorage('localStorage'),
    // Tabs' stores relay their changes over the prefix's BroadcastChannel.
    channel: 'localStorage',
    [CATCHES_UP]: true,
  };
}
