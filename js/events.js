// `subscribe`: a store's listeners hear `{ type, sessionId?, data? }` ('set', 'refresh', 'delete',
// 'expire', 'clear') for the changes this instance makes (delivered in a microtask after the call
// that made them, so a listener may call the store) and for the changes other tabs make: for Web
// Storage stores through the `storage` event, only under the store's prefix; for the stores over
// an adapter as relayed by them (`js/adapter-stores.js`). The store records its changes
// (`js/store.js`); other tabs' entries are read with the one codec (`js/envelope.js`).
import { ENDED, STOP_LISTENING, STORAGE_PREFIX, SWEEP, TAKE_CHANGES } from './store.js';
import { decodeEntry } from './envelope.js';
import { isStampKey } from './stamps.js';

// setTimeout counts elapsed time, not the wall clock: the expiry timer wakes at least this often
// (ms) to notice a clock that jumped.
const CLOCK_CHECK = 15_000;

/** The listeners of one store instance. */
export class Hub {
  #listeners = [];
  #closed = false;
  /** Whether the module records changes for this hub (from the first listener until none is left). */
  #recording = false;
  #storageHandler;
  #store;
  #area;
  /** The expiry timer: when the next session ends (ms), the pending timeout, a lookup under way or wanted. */
  #end;
  #timer;
  #lookup = 0;
  /** Web Storage: when this tab last removed each session, for the second's storage event. */
  #removed = new Map();

  /** `store`: the store; `area`: its Web Storage area's name, or undefined for memory. */
  constructor(store, area) {
    this.#store = store;
    this.#area = area;
  }

  /** Adds a listener (the module has checked it and records changes); returns the function that removes it. */
  add(listener) {
    this.#recording = true;
    const entry = { listener };
    this.#listeners.push(entry);
    this.#attach();
    this.#rearm();
    return () => {
      const at = this.#listeners.indexOf(entry);
      if (at < 0) return;
      this.#listeners.splice(at, 1);
      if (this.#listeners.length === 0) this.#detach();
    };
  }

  /** Delivers the changes the last call made, after it returns; `data` is what `set` stored. */
  publish(data) {
    if (!this.#recording) return;
    let changes;
    try {
      if (this.#listeners.length === 0) {
        this.#store[STOP_LISTENING]();
        this.#recording = false;
        return;
      }
      changes = this.#store[TAKE_CHANGES]();
    } catch {
      return; // Called from inside another call: that call's own publish takes the changes.
    }
    if (changes !== undefined) this.deliver(eventsOf(changes, data));
  }

  /** Delivers events in a microtask (this instance's, or another tab's relayed), unless closed by then. */
  deliver(events) {
    if (this.#area !== undefined) {
      const now = wallClock();
      for (const [id, at] of this.#removed) if (at < now - 1_000) this.#removed.delete(id);
      for (const { type, sessionId } of events) {
        if (type === 'delete' || type === 'expire') this.#removed.set(sessionId, now);
      }
    }
    queueMicrotask(() => {
      if (this.#closed) return;
      for (const event of events) this.#dispatch(event);
    });
    if (events.some(movesNextEnd)) this.#rearm();
  }

  /** Forgets every listener and stops hearing other tabs, as when the store is freed. */
  close() {
    this.#closed = true;
    this.#listeners = [];
    this.#detach();
  }

  #dispatch(event) {
    // Listeners may unsubscribe (or subscribe) while being called: call a snapshot.
    for (const { listener } of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        report(error);
      }
    }
  }

  #attach() {
    if (this.#area === undefined || this.#storageHandler !== undefined) return;
    const prefix = this.#store[STORAGE_PREFIX]();
    const handler = (event) => this.#onStorage(event, prefix);
    // addEventListener may call back into the store (and subscribe again): a handler attached
    // meanwhile is replaced by this one.
    if (callGlobal('addEventListener', handler)) {
      const earlier = this.#storageHandler;
      this.#storageHandler = handler;
      if (earlier !== undefined) callGlobal('removeEventListener', earlier);
    }
  }

  /**
   * After a change (or the first listener) the next deadline may have moved: once the running
   * calls are done, a sweep removes what has ended (heard as 'expire') and says when the next
   * session ends; again if more changes came meanwhile.
   */
  #rearm() {
    if (this.#lookup++ > 0) return;
    queueMicrotask(async () => {
      let end;
      for (let seen = 0; seen !== this.#lookup; ) {
        seen = this.#lookup;
        end = await this.#store[SWEEP]().catch(() => undefined);
      }
      this.#lookup = 0;
      if (this.#closed || this.#listeners.length === 0) return;
      this.#end = end;
      this.#wait();
    });
  }

  /** One timer, to the next deadline (or the next clock check); none without listeners. */
  #wait() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#end === undefined || this.#closed || this.#listeners.length === 0) return;
    try {
      // A session is live at its last millisecond: it ends one after.
      const wait = Math.min(Math.max(this.#end + 1 - Date.now(), 0), CLOCK_CHECK);
      this.#timer = setTimeout(() => this.#tick(), wait);
      this.#timer.unref?.(); // Node: a pending expiry keeps no process alive.
    } catch {
      // Date.now or setTimeout unusable: the sessions expire when next read.
    }
  }

  #tick() {
    this.#timer = undefined;
    if (this.#closed) return;
    if (wallClock() > this.#end) this.#rearm();
    else this.#wait();
  }

  #detach() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Taken out first: removeEventListener may call back into the store (and subscribe again).
    const handler = this.#storageHandler;
    this.#storageHandler = undefined;
    if (handler !== undefined) callGlobal('removeEventListener', handler);
  }

  #onStorage(event, prefix) {
    let key, oldValue, newValue;
    try {
      if (event.storageArea !== globalThis[this.#area]) return;
      ({ key, oldValue, newValue } = event);
    } catch {
      return; // A forged event whose getters throw, or storage that can no longer be read.
    }
    this.heard(key, oldValue, newValue, prefix);
  }

  /**
   * A change made to the storage elsewhere (another tab's `storage` event, an adapter's `watch`),
   * heard as what it was: `key` null for a whole clear; values are entry texts, null or undefined
   * when absent.
   */
  heard(key, oldValue, newValue, prefix) {
    let change;
    try {
      change = this.#change(key, oldValue, newValue, prefix);
    } catch {
      return; // Storage that can no longer be read, a clock that throws.
    }
    if (this.#closed || change === undefined || this.#heardRemoved(change)) return;
    this.#dispatch(change);
    if (movesNextEnd(change)) this.#rearm();
  }

  /**
   * Whether another tab's removal was already heard here, from this tab's own removal of the same
   * session a moment before (two tabs' timers sweeping one expired session): heard once, not twice.
   */
  #heardRemoved({ type, sessionId }) {
    const at = this.#removed.get(sessionId);
    this.#removed.delete(sessionId);
    return (type === 'delete' || type === 'expire') && at > wallClock() - 1_000;
  }

  #change(key, oldValue, newValue, prefix) {
    if (key === null) return { type: 'clear' };
    if (typeof key !== 'string' || !key.startsWith(prefix) || isStampKey(key)) return undefined;
    const sessionId = key.slice(prefix.length);
    const before = oldValue == null ? undefined : decodeEntry(oldValue);
    // A removal of a session past its end, as the module decides it, is an expiry.
    if (newValue == null) return { type: before && this.#store[ENDED](before) ? 'expire' : 'delete', sessionId };
    // An entry that does not decode is nothing a listener could use.
    const after = decodeEntry(newValue);
    if (!after || after.data === undefined) return undefined;
    const { data } = after;
    // The same data with new times: a refresh.
    return before && JSON.stringify(before.data) === JSON.stringify(data) ? { type: 'refresh', sessionId } : { type: 'set', sessionId, data };
  }
}

/**
 * Whether a change calls for a new sweep. A refresh only moves a deadline later: the timer, set to
 * the earliest one, then wakes early, finds nothing and re-arms, so the hot path of refresh on
 * access reads no other session.
 */
const movesNextEnd = ({ type }) => type !== 'refresh';

const EVENT_TYPES = new Set(['set', 'refresh', 'delete', 'expire', 'clear']);

/** Events another tab relayed on a store's channel, as stores post them; undefined for anything
 *  else posted there (another library's message on the same channel name). */
export function relayedEvents(data) {
  if (!Array.isArray(data)) return undefined;
  for (const event of data) {
    if (typeof event !== 'object' || event === null || !EVENT_TYPES.has(event.type)) return undefined;
    if (event.type !== 'clear' && typeof event.sessionId !== 'string') return undefined;
  }
  return data;
}

/** The events of a store's change list (`[type, id, …]`); `data` is what `set` stored. */
export function eventsOf(changes, data) {
  const events = [];
  for (let i = 0; i < changes.length; i += 2) {
    const type = changes[i];
    events.push(type === 'clear' ? { type } : type === 'set' ? { type, sessionId: changes[i + 1], data } : { type, sessionId: changes[i + 1] });
  }
  return events;
}

/** `Date.now()`, or NaN where it throws: nothing here may fail a store's call. */
function wallClock() {
  try {
    return Date.now();
  } catch {
    return NaN;
  }
}

/** `globalThis[method]('storage', handler)`; false where there is no such method (Node). */
function callGlobal(method, handler) {
  const target = globalThis[method];
  if (typeof target !== 'function') return false;
  try {
    target.call(globalThis, 'storage', handler);
    return true;
  } catch {
    return false;
  }
}

/** A listener's exception goes where the platform reports uncaught errors; the others still run. */
function report(error) {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else globalThis.console?.error(error);
}
