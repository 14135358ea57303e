// The session manager's memory: a Storage (`getItem / setItem / removeItem / key / length`) over a
// `Map`, private to one manager. Its sessions stay in JavaScript, as the memory store's do, and go
// in and out as the same JSON text as in `localStorage`. The module makes one per manager.

/** The most entries an area (and a memory store) holds: half of V8's `Map` limit (2^24 entries).
 *  A Map at that limit takes no new entry even after deletes (it can only grow to rehash), so a
 *  full area could never make room; at half of it, a delete always makes room for one more. */
export const MAX_SESSIONS = 2 ** 23;

class MemoryArea {
  #entries = new Map();
  /** `key(i)`'s list, made at the first `key` after a change: a walk over every key is O(n). */
  #keys;

  get length() {
    return this.#entries.size;
  }

  key(index) {
    this.#keys ??= [...this.#entries.keys()];
    return this.#keys[index] ?? null;
  }

  getItem(key) {
    return this.#entries.get(key) ?? null;
  }

  setItem(key, value) {
    if (this.#entries.size >= MAX_SESSIONS && !this.#entries.has(key)) {
      // The module reads a full storage by this name, as from a full localStorage.
      throw Object.assign(new Error('The memory is full'), { name: 'QuotaExceededError' });
    }
    this.#entries.set(key, `${value}`);
    this.#keys = undefined;
  }

  removeItem(key) {
    if (this.#entries.delete(key)) this.#keys = undefined;
  }
}

/** A new, empty area. */
export function memoryArea() {
  return new MemoryArea();
}
