// `migrateSessions(from, to)`: moves a store's sessions into another, for example from
// localStorage into IndexedDB, entry by entry as stored (times kept). Safe to run again and to
// interrupt anywhere: a session is removed from `from` only once every session is in `to`.
import { Adapter, coded } from './adapter.js';
import { webStorage } from './web-storage.js';
import { STORAGE_PREFIX } from './store.js';
import { QUEUE } from './adapter-stores.js';

/** A store's prefix and its entries as stored (Web Storage or an adapter), with its queue if any. */
function entriesOf(store) {
  const prefix = store[STORAGE_PREFIX]?.();
  const queue = store[QUEUE];
  if (queue !== undefined) return { prefix, queue, adapter: queue.adapter };
  if (typeof prefix !== 'string') throw coded('migrateSessions needs stores that keep sessions in storage (not memory)', 'INVALID_STORE');
  return { prefix, adapter: new Adapter(webStorage(store.kind)) };
}

/**
 * Copies every entry of `from` into `to` (while the move is not complete, `from` is the truth and
 * its entries replace `to`'s; afterwards `to` keeps its own), marks the move complete in `to`,
 * then removes `from`'s entries. Resolves to `{ moved, removed }`.
 */
export async function migrateSessions(from, to) {
  const { prefix: fromPrefix, adapter: source } = entriesOf(from);
  const { prefix: toPrefix, adapter: target, queue } = entriesOf(to);
  if (from === to || (fromPrefix === toPrefix && from.kind === to.kind && queue === undefined)) {
    throw coded('migrateSessions needs two different stores', 'INVALID_STORE');
  }
  const marker = `wasm-session-store:migrated:${JSON.stringify([from.kind, fromPrefix, toPrefix])}`;
  if (marker.startsWith(toPrefix)) throw coded('migrateSessions cannot mark the move under the target store\'s prefix', 'INVALID_STORE');
  const move = async () => {
    const complete = (await target.getItem(marker)) !== null;
    const keys = await source.keys(fromPrefix);
    let moved = 0;
    for (const key of keys) {
      const value = await source.getItem(key);
      const destination = toPrefix + key.slice(fromPrefix.length);
      if (value === null || (complete && (await target.getItem(destination)) !== null)) continue;
      await target.setItem(destination, value);
      moved += 1;
    }
    if (!complete) await target.setItem(marker, JSON.stringify({ completedAt: Date.now() }));
    for (const key of keys) await source.removeItem(key);
    return { moved, removed: keys.length };
  };
  // Calls made on an adapter store after this one wait for the move.
  return queue ? queue.exclusive(move) : move();
}
