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
    // Names the storage for `migrateSessions`: its contexts hear changes by `watch`, not over a channel.
    channel: options?.area === undefined ? 'extension storage.local' : undefined,
    getItem: async (key) => (await area().get(key))[key],
    setItem: (key, value) => area().set({ [key]: value }),
    removeItem: (key) => area().remove(key),
    // getKeys (Chrome 130) lists without reading every value.
    keys: async () => (area().getKeys ? area().getKeys() : Object.keys(await area().get(null))),
    // The area's own change event, fired in every context of the extension (service worker,
    // pages, content scripts) for every change, whoever made it.
    watch: (listener) => {
      const { onChanged } = area();
      const handler = (changes) => {
        for (const [key, { oldValue, newValue }] of Object.entries(changes)) listener(key, oldValue, newValue);
      };
      onChanged.addListener(handler);
      return () => onChanged.removeListener(handler);
    },
  };
}
