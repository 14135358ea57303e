// The `SessionManager` users construct: the module's class, and over a config's `storage` adapter
// its calls queued and run against a snapshot like an adapter store's (`js/adapter.js`). Over
// storage that other tabs share (localStorage, an adapter), each call holds a Web Lock named after
// the prefix where the platform has them, so that two tabs never validate or rotate one token at
// the same time.
import { ALL, Adapter, EACH_REMOVED, IndexReads, Queue, Snapshot, adapterOf, timeoutOf } from './adapter.js';
import { CATCHES_UP, tabsLock } from './caught-up.js';
import { standIn } from './load.js';
import { memoryArea } from './memory-area.js';
import { WebStorageSessions } from './web-storage-sessions.js';

const NONE = [];

/** The sessions of one user or id to read: from the adapter's index where it has one (the module still checks each). */
const indexed = (field, value) => (typeof value === 'string' ? new IndexReads(field, value) : ALL);

/** The class, or its stand-in; `hashToken` names the entry a token's call reads first;
 *  `configRead` gives what the module read of a manager's config (its prefix, whether it is over localStorage). */
export function managerClass(Manager, hashToken, failure, configRead) {
  const tokenEntry = (token) => {
    try {
      return [hashToken(token)];
    } catch {
      return NONE; // No token: the module answers without reading.
    }
  };
  const Class = class extends Manager {
    #queue;
    #lock;
    #freed = false;

    constructor(config) {
      const adapter = adapterOf(config);
      const snapshot = adapter && new Snapshot();
      // The module's storage: the stores' own, over the area its config names, an adapter's
      // snapshot, or a memory area of its own.
      super(adapter ? { ...config, storage: undefined } : config, (prefix, area) => new WebStorageSessions(prefix, area ?? snapshot ?? memoryArea()));
      // The module's reading of the config: one reader, one default.
      const prefix = configRead.prefixOf(this);
      const overLocalStorage = adapter ? adapter[CATCHES_UP] : configRead.overLocalStorage(this);
      // Another tab's lock is waited for as long as an adapter call (`timeout`).
      const lock = adapter || overLocalStorage ? tabsLock(`wasm-session-store ${prefix}`, overLocalStorage, timeoutOf(config)) : undefined;
      if (adapter) this.#queue = new Queue(new Adapter(adapter, config), snapshot, prefix, () => super.cleanExpired(), lock);
      else this.#lock = lock;
    }

    create(options) {
      return this.#run(() => super.create(options), NONE);
    }

    validate(token, context) {
      return this.#run(() => super.validate(token, context), tokenEntry(token));
    }

    refresh(token, context) {
      return this.#run(() => super.refresh(token, context), tokenEntry(token));
    }

    destroy(sessionId) {
      return this.#run(() => super.destroy(sessionId), indexed('session', sessionId));
    }

    listForUser(userId) {
      return this.#run(() => super.listForUser(userId), indexed('user', userId));
    }

    destroyAllForUser(userId) {
      return this.#run(() => super.destroyAllForUser(userId), indexed('user', userId));
    }

    cleanExpired() {
      return this.#run(() => super.cleanExpired(), EACH_REMOVED);
    }

    free() {
      this.#freed = true;
      super.free();
    }

    #run(call, reads) {
      // Freed: the module refuses at once (FREED), without a word to the adapter or a lock.
      if (this.#freed) return call();
      if (this.#queue !== undefined) return this.#queue.run(call, reads);
      return this.#lock === undefined ? call() : this.#lock(call);
    }
  };
  if (Symbol.dispose) Class.prototype[Symbol.dispose] = Class.prototype.free;
  return standIn(failure, Class, 'SessionManager', Manager);
}
