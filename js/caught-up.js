// Web Locks order calls across tabs, but Chromium hands one tab's localStorage writes to the others
// on another channel than lock grants: the next holder of the lock may read an entry as it was
// before the last holder wrote it (measured: two tabs racing a refresh rotated it twice in 40 % of
// races). So every locked call leaves a stamp: a counter written to localStorage after its writes,
// and a lock named after that counter, held for a while. The lock manager is one truth for the
// origin: the next holder finds the highest stamp among held locks and waits until its own
// localStorage shows it, and with it every write made before it.

import { webLock } from './adapter.js';
import { stampKey } from './stamps.js';

/** Marks the adapters over localStorage, whose stores wait for it to catch up under the lock. */
export const CATCHES_UP = Symbol('wasm-session-store localStorage');

/** The Web Lock of the store or manager `name` (`webLock`, waited for `wait` ms at most), waiting
 *  for localStorage where `catchesUp`. */
export function tabsLock(name, catchesUp, wait) {
  const lock = webLock(name, wait);
  return catchesUp ? caughtUp(lock, name) : lock;
}

/** How long a stamp's lock is held: far longer than a write takes to reach other tabs. */
const HOLD_MS = 2_000;
/** How long a call waits for storage to catch up before it goes on with what it has. */
const WAIT_MS = 1_000;

/**
 * `lock` (from `webLock`) made to wait, once it holds the lock, until this tab's localStorage holds
 * every write made by earlier holders; `lock` itself where there is no localStorage to stamp.
 */
export function caughtUp(lock, name) {
  const locks = globalThis.navigator?.locks;
  const storage = localStorageOrNone();
  if (lock === undefined || storage === undefined || typeof locks?.query !== 'function') return lock;
  const key = stampKey(name);
  const stampOf = (lockName) => (lockName?.startsWith(`${key} `) ? Number(lockName.slice(key.length + 1)) : 0);
  const seen = () => {
    try {
      return Number(storage.getItem(key)) || 0;
    } catch {
      return Infinity; // Unreadable: the call itself will say so; nothing to wait for.
    }
  };
  let releaseHeld;
  return (work) => lock(async () => {
    try {
      const { held = [] } = await locks.query();
      await until(() => seen() >= Math.max(0, ...held.map((h) => stampOf(h.name))));
    } catch {
      // No view of the locks: go on as a lock alone would.
    }
    try {
      return await work();
    } finally {
      releaseHeld = await leaveStamp(locks, storage, key, seen() + 1, releaseHeld);
    }
  });
}

/** Writes stamp `next` and holds its lock (granted before this resolves); drops the previous one. */
async function leaveStamp(locks, storage, key, next, releasePrevious) {
  try {
    if (!Number.isFinite(next)) return releasePrevious;
    storage.setItem(key, String(next));
    const release = await new Promise((granted) => {
      locks.request(`${key} ${next}`, () => new Promise((done) => {
        const timer = setTimeout(done, HOLD_MS);
        granted(() => (clearTimeout(timer), done()));
      })).catch(() => granted(undefined));
    });
    releasePrevious?.();
    return release;
  } catch {
    return releasePrevious; // Storage refused the stamp: the next holder waits out WAIT_MS at most.
  }
}

/** Resolves once `ready()` holds, re-checked on every `storage` event, or after WAIT_MS. */
function until(ready) {
  if (ready()) return undefined;
  return new Promise((resolve) => {
    const check = () => {
      if (!ready()) return;
      globalThis.removeEventListener('storage', check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      globalThis.removeEventListener('storage', check);
      resolve();
    }, WAIT_MS);
    globalThis.addEventListener('storage', check);
  });
}

function localStorageOrNone() {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // Denied (a sandboxed frame): the manager reports that on each call.
  }
}
