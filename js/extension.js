// The extension-storage adapter: `chrome.storage.local` (`browser.storage.local` in Firefox), the
// storage of MV3 extension wallets, whose background service worker has no localStorage.
import { coded } from './adapter.js';

/** `{ getItem, setItem, removeItem, keys }` over an extension's `storage.local` (or `area`). */
export function extensionStorage(options) {
  const area = () => {
    const api = options?.area ?? (globalThis.browser ?? globalThis.chrome)?.storage?.local;
    if (typeof api?.get !== 'function') throw coded('Extension storage is not available in this environment', 'STORAGE_UNAVAILABLE');
    return api;
  };
  return {
    // Only the browser's own area is known to be shared by the extension's other contexts.
    channel: options?.area ? undefined : 'extension storage.local',
    getItem: async (key) => (await area().get(key))[key],
    setItem: (key, value) => area().set({ [key]: value }),
    removeItem: (key) => area().remove(key),
    // getKeys (Chrome 130) lists without reading every value.
    keys: async () => (area().getKeys ? area().getKeys() : Object.keys(await area().get(null))),
  };
}
