// `migrateSessions(from, to)`: moves a store's sessions into another, for example from
// localStorage into IndexedDB, entry by entry as stored (times kept). Safe to run again and to
// interrupt anywhere: a session is removed from `from` only once every session is in `to`, and a
// session moved once is never copied back by a later run, even when `to` has ended it since.
import { Adapter, coded } from './adapter.js';
import { webStorage } from './web-storage.js';
import { HOLD, STORAGE_PREFIX } from './store.js';
import { QUEUE } from './adapter-stores.js';

/**
 * One side of a move: its prefix, its entries as stored (`adapter`, coded), the storage it names
 * (`storage`: two stores over one storage name the same) and, for an adapter store, its queue.
 */
function sideOf(store) {
  const prefix = store[STORAGE_PREFIX]?.();
  const queue = store[QUEUE];
  if (queue !== undefined) {
    const { given } = queue;
    return { prefix, queue, adapter: queue.adapter, storage: typeof given.channel === 'string' ? given.channel : given };
  }
  if (typeof prefix !== 'string') throw coded('migrateSessions needs stores that keep sessions in storage (not memory)', 'INVALID_STORE');
  // lockedLocalStorage()'s channel is 'localStorage' too: the same storage.
  return { prefix, adapter: new Adapter(webStorage(store.kind)), storage: store.kind };
}

/**
 * Copies every entry of `from` into `to` (while the move is not complete, `from` is the truth and
 * its entries replace `to`'s; afterwards `to` keeps its own), marks the move complete in `to`, with
 * the entries it is about to remove, then removes them from `from`. Resolves to `{ moved, removed }`.
 */
export async function migrateSessions(from, to) {
  const source = sideOf(from);
  const target = sideOf(to);
  if (from === to || (source.storage === target.storage && source.prefix === target.prefix)) {
    throw coded('migrateSessions needs two different stores', 'INVALID_STORE');
  }
  const marker = `wasm-session-store:migrated:${JSON.stringify([from.kind, source.prefix, target.prefix])}`;
  if (marker.startsWith(target.prefix)) throw coded('migrateSessions cannot mark the move under the target store\'s prefix', 'INVALID_STORE');
  // In one storage, the entries under a target prefix that extends the source's are the target's.
  const nested = source.storage === target.storage && target.prefix.startsWith(source.prefix);
  const fromKeys = async () => (await source.adapter.keys(source.prefix)).filter((key) => !(nested && key.startsWith(target.prefix)));
  const run = () => move(source, target, marker, fromKeys);
  // Calls made on `to` after this one wait for the move: queued behind it, or held by the store.
  return target.queue ? target.queue.exclusive(run) : to[HOLD](run);
}

async function move(source, target, marker, fromKeys) {
  const text = await target.adapter.getItem(marker);
  const complete = text !== null;
  const mark = complete ? markOf(text) : {};
  // What an earlier run marked for removal and did not remove: `to` has it, or has ended it since.
  const leftovers = new Set(mark.removing);
  const keys = await fromKeys();
  const removing = [];
  let moved = 0;
  for (const key of keys) {
    const value = await source.adapter.getItem(key);
    if (value === null) continue;
    const print = fingerprint(`${key.length}:${key}${value}`);
    removing.push(print);
    if (leftovers.has(print)) continue;
    const destination = target.prefix + key.slice(source.prefix.length);
    if (complete && (await target.adapter.getItem(destination)) !== null) continue;
    await target.adapter.setItem(destination, value);
    moved += 1;
  }
  if (keys.length === 0 && complete) return { moved, removed: 0 };
  const completedAt = mark.completedAt ?? Date.now();
  await target.adapter.setItem(marker, JSON.stringify({ completedAt, removing }));
  for (const key of keys) await source.adapter.removeItem(key);
  await target.adapter.setItem(marker, JSON.stringify({ completedAt }));
  return { moved, removed: keys.length };
}

/** The marker's record, `{ completedAt, removing? }`; `{}` for one damaged or written by hand. */
function markOf(text) {
  try {
    const mark = JSON.parse(text);
    return { completedAt: mark.completedAt, removing: Array.isArray(mark.removing) ? mark.removing : [] };
  } catch {
    return {};
  }
}

/**
 * A 64-bit fingerprint of an entry (its key and text), by which the marker names what a run is
 * removing. No secret rides on it (both storages are the app's): a fast hash, where SHA-256 would
 * need WebCrypto, which is asynchronous and not everywhere.
 */
function fingerprint(text) {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}
