// The stores over an adapter: `AdapterSessionStore` (any adapter), `IndexedDbSessionStore`,
// `ExtensionSessionStore`, and `createSessionStore` taking a config's `storage` adapter. Each is
// one class over the one store (`js/store.js`), its sessions in the queue's snapshot: every call
// queued (`js/adapter.js`) and run under a Web Lock where the platform has them, and its
// listeners told of a change once the adapter has taken it.
import { Adapter, EACH_REMOVED, EachChunk, Queue, Snapshot, adapterOf, coded } from './adapter.js';
import { Hub, eventsOf, relayedEvents } from './events.js';
import { deadlineOf } from './classes.js';
import { extensionStorage } from './extension.js';
import { indexedDbStorage } from './indexeddb.js';
import { standIn } from './load.js';
import { CATCHES_UP, tabsLock } from './caught-up.js';
import { LISTEN, STORAGE_PREFIX, SWEEP, Store, TAKE_CHANGES, dataAsNow } from './store.js';
import { WebStorageSessions } from './web-storage-sessions.js';

const NONE = [];
// A large store's listings and sweeps run a chunk at a time: their results, merged.
const EACH_SESSION = new EachChunk((sessions, more) => {
  for (const [id, data] of more) sessions.set(id, data);
  return sessions;
});
const EACH_CLEARED = new EachChunk(() => undefined);
const EACH_NEXT_END = new EachChunk((end, next) => (end === undefined ? next : next === undefined ? end : Math.min(end, next)));
/** How many of its own writes, and of how long ago (ms), a watching store keeps to recognise their events. */
const OWN_WRITES = 256;
const OWN_WRITE_AGE = 10_000;
/** An adapter store's call queue, for `migrateSessions`. */
export const QUEUE = Symbol('queue');

/** The classes; `createSessionStore` is `storeExports`'s (`js/classes.js`), `failure` as for those. */
export function adapterStoreExports({ createSessionStore }, failure) {
  // `storageOf` gives a config's adapter: its `storage`, or one the class makes from its options.
  const adapterClass = (name, kind, storageOf) => {
    const Class = class extends Store {
      #queue;
      #prefix;
      #hub;
      /** The BroadcastChannel of the prefix: this store's changes out, other tabs' in. */
      #channel;
      /** With an adapter that has `watch`: the storage's own change events, and how to stop them. */
      #watch;
      #unwatch;
      #watching = false;
      /**
       * While watching: the writes this store made that its adapter's `watch` has not reported
       * yet, [key, value, when], oldest first; at most `OWN_WRITES` of the last `OWN_WRITE_AGE` ms.
       */
      #own = [];
      #freed = false;

      constructor(config) {
        let adapter = adapterOf({ storage: storageOf(config) });
        if (adapter === undefined) throw coded('Invalid session store config: storage must be a storage adapter', 'INVALID_CONFIG');
        const given = adapter;
        const watch = typeof adapter.watch === 'function' ? adapter : undefined;
        // Its own writes noted, so that the storage's events for them are not heard twice.
        if (watch) adapter = ownWrites(adapter, (key, value) => this.#noteOwn(key, value));
        const timed = new Adapter(adapter, config);
        const snapshot = new Snapshot();
        super(config, (prefix) => new WebStorageSessions(prefix, snapshot));
        const prefix = (this.#prefix = super[STORAGE_PREFIX]());
        // Other tabs and workers share the adapter's storage: a call holds the prefix's Web Lock
        // from its first read to its last write, so that no tab writes between them.
        const lock = tabsLock(`wasm-session-store ${prefix}`, adapter[CATCHES_UP], timed.timeout);
        this.#queue = new Queue(timed, snapshot, prefix, () => super.cleanExpired(), lock);
        // The adapter as given: which storage this store's sessions are in (`migrateSessions`).
        this.#queue.given = given;
        // Changes are always recorded: other tabs' listeners hear them even when this one has none.
        super[LISTEN](() => {});
        this.#watch = watch;
        // The adapter names the storage its tabs share; a channel per storage and prefix (unless
        // the storage has change events of its own).
        if (!watch && typeof adapter.channel === 'string' && typeof BroadcastChannel === 'function') {
          this.#channel = new BroadcastChannel(`wasm-session-store ${JSON.stringify([adapter.channel, prefix])}`);
          this.#channel.onmessage = (message) => {
            const events = relayedEvents(message.data);
            if (events !== undefined) this.#hub?.deliver(events);
          };
          this.#channel.unref?.(); // Node: an open channel keeps no process alive.
        }
      }

      get kind() {
        return kind;
      }

      set(sessionId, data, options) {
        const stored = dataAsNow(data);
        // The deadline as it is now, like the data.
        const deadline = deadlineOf(options);
        return this.#run(() => super.set(sessionId, stored, deadline), NONE, data, stored);
      }

      get(sessionId) {
        return this.#run(() => super.get(sessionId), [sessionId]);
      }

      validateAndRefresh(sessionId) {
        return this.#run(() => super.validateAndRefresh(sessionId), [sessionId]);
      }

      getAll() {
        return this.#run(() => super.getAll(), EACH_SESSION);
      }

      delete(sessionId) {
        return this.#run(() => super.delete(sessionId), NONE);
      }

      clear() {
        return this.#run(() => super.clear(), EACH_CLEARED);
      }

      cleanExpired() {
        return this.#run(() => super.cleanExpired(), EACH_REMOVED);
      }

      subscribe(listener) {
        super[LISTEN](listener);
        if (!this.#hub) {
          const hub = (this.#hub = new Hub(this, undefined));
          try {
            this.#unwatch = this.#watch?.watch((key, oldValue, newValue) => {
              if (!this.#mine(key, newValue)) hub.heard(key, oldValue, newValue, this.#prefix);
            });
            this.#watching = this.#watch !== undefined;
          } catch {
            // No change events to be had (outside an extension): this store's own changes only.
          }
        }
        return this.#hub.add(listener);
      }

      free() {
        this.#freed = true;
        this.#own = [];
        this.#hub?.close();
        this.#hub = undefined;
        this.#channel?.close();
        try {
          this.#unwatch?.();
        } catch {
          // Stopping the events failed: the closed hub ignores them.
        }
        super.free();
      }

      /** Notes a write about to be made, while its event could be heard (nothing to recognise otherwise). */
      #noteOwn(key, value) {
        if (!this.#watching || this.#freed) return;
        this.#forgetOld();
        if (this.#own.length >= OWN_WRITES) this.#own.shift();
        this.#own.push([key, value, Date.now()]);
      }

      /** A write that changed nothing is never reported, an event may be lost: each is forgotten after a while. */
      #forgetOld() {
        const old = Date.now() - OWN_WRITE_AGE;
        let stale = 0;
        while (stale < this.#own.length && !(this.#own[stale][2] > old)) stale++;
        if (stale > 0) this.#own.splice(0, stale);
      }

      /** Whether a change the storage reports is this store's own write (heard already). */
      #mine(key, value) {
        this.#forgetOld();
        const at = this.#own.findIndex(([ownKey, ownValue]) => ownKey === key && (ownValue ?? undefined) === (value ?? undefined));
        if (at >= 0) this.#own.splice(at, 1);
        return at >= 0;
      }

      [SWEEP]() {
        return this.#run(() => super[SWEEP](), EACH_NEXT_END);
      }

      get [QUEUE]() {
        return this.#queue;
      }

      /**
       * Queues a call; its changes reach the listeners, here and in other tabs, once they have
       * landed, or never. Other tabs hear what was stored (`stored`, the JSON copy), never the
       * caller's object: structured clone refuses what JSON drops (a method, a symbol).
       */
      #run(call, reads, data, stored) {
        // Freed: the store refuses at once (FREED), without a word to the adapter.
        if (this.#freed) return call();
        let cleared = false;
        return this.#queue.run(call, reads, (landed) => {
          let changes;
          try {
            changes = super[TAKE_CHANGES]();
          } catch {
            return; // Freed meanwhile: nothing is recorded any more.
          }
          // Changes that never landed are dropped.
          if (!landed || changes === undefined) return;
          // A clear made a chunk at a time is heard once.
          const events = eventsOf(changes, data).filter(({ type }) => type !== 'clear' || !cleared);
          cleared ||= events.some(({ type }) => type === 'clear');
          if (events.length === 0) return;
          this.#hub?.deliver(events);
          if (this.#channel === undefined) return;
          try {
            this.#channel.postMessage(stored === undefined ? events : eventsOf(changes, stored));
          } catch {
            // A relay never fails a call that landed: the other tabs read the entry when next asked.
          }
        });
      }
    };
    if (Symbol.dispose) Class.prototype[Symbol.dispose] = Class.prototype.free;
    return standIn(failure, Class, name, Store);
  };
  /** The adapter, telling `note` of each write before making it. */
  const ownWrites = (adapter, note) => ({
    getItem: (key) => adapter.getItem(key),
    keys: (prefix) => adapter.keys(prefix),
    setItem: (key, value) => (note(key, value), adapter.setItem(key, value)),
    removeItem: (key) => (note(key, undefined), adapter.removeItem(key)),
  });
  const AdapterSessionStore = adapterClass('AdapterSessionStore', 'adapter', (config) => config?.storage);
  return {
    AdapterSessionStore,
    IndexedDbSessionStore: adapterClass('IndexedDbSessionStore', 'indexedDB', indexedDbStorage),
    ExtensionSessionStore: adapterClass('ExtensionSessionStore', 'extension', extensionStorage),
    createSessionStore: (config) => (adapterOf(config) === undefined ? createSessionStore(config) : new AdapterSessionStore(config)),
  };
}
