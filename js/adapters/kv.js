// The Workers KV adapter: a Cloudflare KV namespace as the storage of a SessionManager or a store,
// in a Worker (the package's `workerd` entry). KV expires each entry by itself at its deadline, so
// a session that is never read again costs nothing; the module still decides expiry on every read.

import { storageView } from '../envelope.js';

// KV refuses an expiry less than 60 s ahead.
const KV_MIN_TTL_S = 60;
/** The latest `expiration` KV takes (s since the epoch): a 32-bit signed integer. */
const KV_LATEST_S = 2 ** 31 - 1;

/** KV keeps at most this much metadata (bytes of its JSON) with a key. */
const KV_MAX_METADATA = 1_024;

/**
 * `{ getItem, setItem, removeItem, keys, indexedKeys }` over a KV namespace binding
 * (`env.SESSIONS`). Each entry carries, as KV metadata, the user and session id a manager's session
 * is listed under (`{}` for any other entry): KV's list returns it with the keys, so a user's
 * sessions are found by listing alone, one operation per 1,000 keys, without reading every entry.
 */
export function kvStorage(namespace) {
  // One page holds at most 1,000 keys: follow the cursor to the end.
  const listed = async (prefix) => {
    const keys = [];
    let cursor;
    do {
      const page = await namespace.list({ prefix, cursor });
      keys.push(...page.keys);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return keys;
  };
  return {
    getItem: (key) => namespace.get(key),
    setItem: (key, value) => namespace.put(key, value, optionsOf(value)),
    removeItem: (key) => namespace.delete(key),
    keys: async (prefix) => (await listed(prefix)).map(({ name }) => name),
    /** The keys of one user's or session's entries: those whose metadata names it, and those with
     *  none (written before metadata, or too long to carry it), which the manager then reads. */
    indexedKeys: async (prefix, field, value) =>
      (await listed(prefix)).filter(({ metadata }) => metadata == null || metadata[field] === value).map(({ name }) => name),
  };
}

/**
 * KV's options for an entry text, from one reading of it: `expiration` (s since the epoch) a
 * second after its session's end, at least KV's minimum ahead, or none, none too for an end past
 * what KV takes (2^31-1 s, January 2038), where an earlier expiry would end a live session
 * (cleanExpired removes it then); `metadata`, what its indexes name, unless too long for KV.
 */
function optionsOf(text) {
  const { until, indexes } = storageView(text, 1_000);
  const options = {};
  const expiration = until === undefined ? Infinity : Math.max(Math.ceil(until / 1000), Math.ceil(Date.now() / 1000) + KV_MIN_TTL_S);
  if (expiration <= KV_LATEST_S) options.expiration = expiration;
  const metadata = Object.fromEntries(indexes);
  if (JSON.stringify(metadata).length * 3 <= KV_MAX_METADATA) options.metadata = metadata;
  return options;
}
