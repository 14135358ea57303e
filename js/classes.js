// The memory and Web Storage store classes: each is one class over the one store (`js/store.js`)
// and its sessions' backend, with its `kind` and its listeners. They do their work at call time,
// as @walletmesh/router's do; the stores over an adapter (`js/adapter-stores.js`, also one class
// each over the same store) queue each call and run it against a snapshot of the adapter's
// entries (`js/adapter.js`).
import { Hub } from './events.js';
import { CHANGED, LISTEN, SWEEP, Store } from './store.js';
import { MemorySessions } from './memory-sessions.js';
import { WebStorageSessions } from './web-storage-sessions.js';
import { standIn } from './load.js';
import { coded } from './adapter.js';

/** `set`'s `expiresAt`, read once: NaN (refused by the module) when it is no number or cannot be read. */
export function deadlineOf(options) {
  try {
    const until = options?.expiresAt;
    return until === undefined || typeof until === 'number' ? until : NaN;
  } catch {
    return NaN;
  }
}

/** Whether a config names a `storage` (a getter that throws counts: it names one it cannot give). */
function storageGiven(config) {
  try {
    return config?.storage !== undefined;
  } catch {
    return true;
  }
}

function readableLocalStorage() {
  try {
    const storage = globalThis.localStorage;
    return typeof storage === 'object' && storage !== null && typeof storage.length === 'number';
  } catch {
    return false;
  }
}

/** The backend of a store over `area`: 'memory', or a Web Storage area's name. */
const backendOf = (area) => (area === 'memory' ? () => new MemorySessions() : (prefix) => new WebStorageSessions(prefix, area));

/** The store classes and `createSessionStore`, or their stand-ins. */
export function storeExports(failure) {
  // `area`: 'memory', 'localStorage' or 'sessionStorage', which is also the store's `kind`.
  const storeClass = (name, area) => {
    const kind = area;
    const Class = class extends Store {
      #hub;

      constructor(config) {
        // A storage adapter given to a store with a storage of its own would be ignored, and the
        // sessions kept somewhere the caller did not ask for.
        if (storageGiven(config)) {
          throw coded(`Invalid session store config: ${name} keeps its sessions in ${kind}; give storage to AdapterSessionStore or createSessionStore`, 'INVALID_CONFIG');
        }
        super(config, backendOf(area));
      }

      get kind() {
        return kind;
      }

      set(sessionId, data, options) {
        return this.#published(super.set(sessionId, data, deadlineOf(options)), data);
      }

      get(sessionId) {
        return this.#published(super.get(sessionId));
      }

      validateAndRefresh(sessionId) {
        return this.#published(super.validateAndRefresh(sessionId));
      }

      getAll() {
        return this.#published(super.getAll());
      }

      delete(sessionId) {
        return this.#published(super.delete(sessionId));
      }

      clear() {
        return this.#published(super.clear());
      }

      cleanExpired() {
        return this.#published(super.cleanExpired());
      }

      /** `cleanExpired` for the expiry timer, resolving to when the next session ends. */
      [SWEEP]() {
        return this.#published(super[SWEEP]());
      }

      subscribe(listener) {
        super[LISTEN](listener);
        this.#hub ??= new Hub(this, area === 'memory' ? undefined : area);
        return this.#hub.add(listener);
      }

      free() {
        this.#hub?.close();
        this.#hub = undefined;
        super.free();
      }

      /** A call that waited for a migration has run: its changes go to the listeners. */
      [CHANGED](data) {
        this.#hub?.publish(data);
      }

      /** Hands what the call just made changed to the listeners, if any; returns its result. */
      #published(result, data) {
        this[CHANGED](data);
        return result;
      }
    };
    if (Symbol.dispose) Class.prototype[Symbol.dispose] = Class.prototype.free;
    return standIn(failure, Class, name, Store);
  };
  const MemorySessionStore = storeClass('MemorySessionStore', 'memory');
  const LocalStorageSessionStore = storeClass('LocalStorageSessionStore', 'localStorage');
  return {
    MemorySessionStore,
    LocalStorageSessionStore,
    SessionStorageSessionStore: storeClass('SessionStorageSessionStore', 'sessionStorage'),
    // A localStorage store where localStorage can be read (the check only reads), memory otherwise.
    createSessionStore: (config) => (readableLocalStorage() ? new LocalStorageSessionStore(config) : new MemorySessionStore(config)),
  };
}
