// The Workers KV adapter: a Cloudflare KV namespace as the storage of a SessionManager or a store,
// in a Worker (the package's `workerd` entry). KV expires each entry by itself at its deadline, so
// a session that is never read again costs nothing; the module still decides expiry on every read.

import { storageView } from '../envelope.js';

// KV refuses an expiry less than 60 s ahead.
const KV_MIN_TTL_S = 60;
/** The latest `expiration` KV takes (s since the epoch): a 32-bit signed integer. */
const KV_LATEST_S = 2 ** 31 - 1;

/** `{ getItem, setItem, removeItem, keys }` over a KV namespace binding (`env.SESSIONS`). */
export function kvStorage(namespace) {
  return {
    getItem: (key) => namespace.get(key),
    setItem: (key, value) => namespace.put(key, value, expiryOf(value)),
    removeItem: (key) => namespace.delete(key),
    // One page holds at most 1,000 keys: follow the cursor to the end.
    keys: async (prefix) => {
      const keys = [];
      let cursor;
      do {
        const page = await namespace.list({ prefix, cursor });
        for (const { name } of page.keys) keys.push(name);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return keys;
    },
  };
}

/** KV's `expiration` (s since the epoch) for an entry text: a second after its session's end, at
 *  least KV's minimum ahead, or none; none too for an end past what KV takes (2^31-1 s, January
 *  2038), where an earlier expiry would end a live session: cleanExpired removes it then. */
function expiryOf(text) {
  const { until } = storageView(text, 1_000);
  const expiration = until === undefined ? Infinity : Math.max(Math.ceil(until / 1000), Math.ceil(Date.now() / 1000) + KV_MIN_TTL_S);
  return expiration <= KV_LATEST_S ? { expiration } : undefined;
}
