// The store classes users construct. Each is a base class with its storage, its `kind` and its
// listeners: the module's store class over storage (`SessionStoreBase`), or for the memory store
// `js/memory-store.js`, whose sessions stay in JavaScript. The Web Storage and memory stores do
// their work at call time, as @walletmesh/router's do; the stores over an adapter
// (`js/adapter-stores.js`) queue each call and run it against a snapshot of the adapter's entries
// (`js/adapter.js`).
import { Hub } from './events.js';
import { MemoryStoreBase } from './memory-store.js';
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

/**
 * The store classes and `createSessionStore`, or their stand-ins, and `storeClass`, which makes
 * more over `StorageBase`: `area` is 1 localStorage, 2 sessionStorage; a subclass may pass a
 * storage object of its own to the constructor instead.
 */
export function storeExports(StorageBase, decodeStoredData, failure) {
  const storeClass = (name, area, kind, Base = StorageBase) => {
    const Class = class extends Base {
      #hub;

      constructor(config, storage = area) {
        // A storage adapter given to a store with a storage of its own would be ignored, and the
        // sessions kept somewhere the caller did not ask for.
        if (storage === area && area !== undefined && storageGiven(config)) {
          throw coded(`Invalid session store config: ${name} keeps its sessions in ${kind}; give storage to AdapterSessionStore or createSessionStore`, 'INVALID_CONFIG');
        }
        super(config, storage);
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
      _sweep() {
        return this.#published(super._sweep());
      }

      subscribe(listener) {
        super._listen(listener);
        this.#hub ??= new Hub(this, area === 0 ? undefined : kind, decodeStoredData);
        return this.#hub.add(listener);
      }

      free() {
        this.#hub?.close();
        this.#hub = undefined;
        super.free();
      }

      /** Hands what the call just made changed to the listeners, if any; returns its result. */
      #published(result, data) {
        this.#hub?.publish(data);
        return result;
      }
    };
    if (Symbol.dispose) Class.prototype[Symbol.dispose] = Class.prototype.free;
    return standIn(failure, Class, name, Base);
  };
  const MemorySessionStore = storeClass('MemorySessionStore', 0, 'memory', MemoryStoreBase);
  const LocalStorageSessionStore = storeClass('LocalStorageSessionStore', 1, 'localStorage');
  return {
    storeClass,
    decodeStoredData,
    MemorySessionStore,
    LocalStorageSessionStore,
    SessionStorageSessionStore: storeClass('SessionStorageSessionStore', 2, 'sessionStorage'),
    // A localStorage store where localStorage can be read (the check only reads), memory otherwise.
    createSessionStore: (config) => (readableLocalStorage() ? new LocalStorageSessionStore(config) : new MemorySessionStore(config)),
  };
}
