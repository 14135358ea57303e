// Stores and managers over an asynchronous key-value adapter: `{ getItem, setItem, removeItem,
// keys }`, each returning its value or a Promise of it. The module's operations stay synchronous
// and are written once: each call runs against a snapshot of the entries it reads, fetched from
// the adapter first, and the writes it made go to the adapter afterwards, in order. Calls on one
// store queue behind each other, so they take effect in call order whatever the adapter's latency.

import { storageView } from './envelope.js';

const ALL = 0;
/** How often a call over a committing adapter runs again because another process changed its reads. */
const MAX_ATTEMPTS = 64;

/** A call's reads: the manager's sessions whose `field` ('user' or 'session' id) is `value`, from the adapter's index where it has one. */
export class IndexReads {
  constructor(field, value) {
    this.field = field;
    this.value = value;
  }
}
/**
 * A call's reads: every entry, a chunk at a time. The call is run once per chunk, which it takes
 * for all there is (each entry's fate is its own: a listing, a sweep), with the event loop let run
 * between chunks; `merge` makes one result of two chunks'.
 */
export class EachChunk {
  constructor(merge) {
    this.merge = merge;
  }
}
/** A sweep's reads, by chunks: how many it removed, added up. */
export const EACH_REMOVED = new EachChunk((removed, more) => removed + more);

/** One chunk of an `EachChunk` call: these keys, taken as all there are. */
class Listed {
  constructor(keys) {
    this.keys = keys;
  }
}
const METHODS = ['getItem', 'setItem', 'removeItem', 'keys'];
/** How long one adapter call may take before the operation rejects `STORAGE_TIMEOUT`. */
const DEFAULT_TIMEOUT = 10_000;

/** An `Error` with the stable `code` callers match on. */
export function coded(message, code) {
  const error = new Error(message);
  error.code = code;
  return error;
}

/** The adapter of a config's `storage`, if it is one; throws `INVALID_CONFIG` for a half adapter. */
export function adapterOf(config) {
  const storage = config?.storage;
  if (typeof storage !== 'object' || storage === null) return undefined;
  const missing = METHODS.find((name) => typeof storage[name] !== 'function');
  if (missing !== undefined) throw coded(`Invalid session store config: storage must have a ${missing} method`, 'INVALID_CONFIG');
  return storage;
}

/** The longest delay `setTimeout` keeps: a longer one overflows and fires at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** The timeout of a config: a whole number of ms from 1 to 2^31-1, or `Infinity` for none. */
export function timeoutOf(config = undefined) {
  const timeout = config?.timeout ?? DEFAULT_TIMEOUT;
  if (timeout !== Infinity && !(Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT)) {
    throw coded('Invalid session store config: timeout must be a whole number of milliseconds from 1 to 2147483647, or Infinity', 'INVALID_CONFIG');
  }
  return timeout;
}

/**
 * The storage object the module runs one call against: the entries read so far, and the writes
 * made, in order. Reading an entry not fetched yet throws (the call is run again once it is).
 */
// What a key held before a write, when the snapshot never read it.
const UNKNOWN = Symbol('unknown');

export class Snapshot {
  values = new Map();
  /** Each key fetched by name, with the text it held then: what a committing adapter checks. */
  fetched = new Map();
  listed = false;
  writes = [];
  missed = undefined;

  get length() {
    return this.#listedKeys().length;
  }

  key(index) {
    return this.#listedKeys()[index] ?? null;
  }

  getItem(key) {
    if (this.values.has(key)) return this.values.get(key);
    if (this.listed) return null;
    throw this.#miss(key);
  }

  setItem(key, value) {
    this.#journal(key, value);
  }

  removeItem(key) {
    this.#journal(key, null);
  }

  /** A write, with what the key held before it when that is known (`UNKNOWN` otherwise). */
  #journal(key, value) {
    const before = this.values.has(key) ? (this.values.get(key) ?? null) : this.listed ? null : UNKNOWN;
    this.values.set(key, value);
    this.#keys = undefined;
    this.writes.push([key, value, before]);
  }

  /** Empties it for the next call. */
  reset() {
    this.values.clear();
    this.fetched.clear();
    this.listed = false;
    this.#keys = undefined;
  }

  /** An entry fetched from the adapter (`fetched`: by name, so that a commit checks it). */
  put(key, value, fetched) {
    this.values.set(key, value);
    if (fetched) this.fetched.set(key, value);
    this.#keys = undefined;
  }

  /** The keys held, made once per change: a walk over `key(i)` stays linear. */
  #keys;

  #listedKeys() {
    if (!this.listed) throw this.#miss(ALL);
    this.#keys ??= [...this.values].filter(([, value]) => value !== null).map(([key]) => key);
    return this.#keys;
  }

  #miss(what) {
    this.missed ??= what;
    return new Error('not fetched yet');
  }
}

/** One adapter with its timeout, its answers checked: each method resolves or rejects coded. */
export class Adapter {
  constructor(adapter, config) {
    this.adapter = adapter;
    this.timeout = timeoutOf(config);
  }

  /** The entry's text, or `null`; a non-string answer is the adapter's fault. */
  async getItem(key) {
    return textOf(await this.#call('getItem', key));
  }

  /** The texts of `keys` (each `null` when absent), asked all at once under one timeout. */
  async getItems(keys) {
    const values = await this.#settle('getItem', () => Promise.all(keys.map((key) => this.adapter.getItem(key))));
    return values.map(textOf);
  }

  setItem(key, value) {
    return this.#call('setItem', key, value);
  }

  removeItem(key) {
    return this.#call('removeItem', key);
  }

  /** The keys under `prefix` (the adapter may return more; they are filtered here). */
  async keys(prefix) {
    return keysUnder(prefix, await this.#call('keys', prefix));
  }

  /** Whether the adapter lands a call's writes at once, on the condition that its reads still hold. */
  get commits() {
    return typeof this.adapter.commit === 'function';
  }

  /** Lands `writes` if every key of `read` (a Map) still holds what it held; false when one changed. */
  async commit(writes, read) {
    return (await this.#call('commit', writes, read)) === true;
  }

  /** Whether the adapter keeps an index of the manager's sessions (`indexedKeys`). */
  get indexes() {
    return typeof this.adapter.indexedKeys === 'function';
  }

  /** The keys under `prefix` of the sessions an `IndexReads` names, where the adapter indexes them; else every key. */
  async indexedKeys(prefix, { field, value }) {
    if (!this.indexes) return this.keys(prefix);
    return keysUnder(prefix, await this.#call('indexedKeys', prefix, field, value));
  }

  #call(method, ...args) {
    return this.#settle(method, () => this.adapter[method](...args));
  }

  /** What `work` (the adapter's `method`, called) gives, within the timeout; failures coded. */
  async #settle(method, work) {
    if (this.timeout === Infinity) {
      try {
        return await work();
      } catch (error) {
        throw adapterError(method, error);
      }
    }
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(coded(`The storage adapter's ${method} did not settle within ${this.timeout} ms`, 'STORAGE_TIMEOUT')), this.timeout);
    });
    try {
      return await Promise.race([(async () => work())(), late]);
    } catch (error) {
      throw adapterError(method, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** An adapter's answer for an entry: its text, or `null`; a non-string answer is its fault. */
function textOf(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw coded('The storage adapter\'s getItem returned a non-string', 'STORAGE_ERROR');
  return value;
}

/** How many entries a listing reads at once; between two such reads the event loop runs. */
const LISTING_CHUNK = 512;

/** Resolves in a later task of the event loop, so that a long listing lets the page (or server) run. */
function nextTask() {
  const scheduler = globalThis.scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  // setImmediate (Node) is not clamped, as a nested setTimeout is (4 ms).
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function keysUnder(prefix, keys) {
  // Copied first, inside a `try`: a Proxy's traps, or a getter on the array, may throw anything.
  let list;
  try {
    list = Array.isArray(keys) ? Array.prototype.slice.call(keys) : undefined;
  } catch {
    list = undefined;
  }
  if (list === undefined) throw coded('The storage adapter\'s keys returned no array', 'STORAGE_ERROR');
  return list.filter((key) => typeof key === 'string' && key.startsWith(prefix));
}

/** What the caller sees of an adapter's failure: its own code when it gave one of ours, never its message. */
function adapterError(method, error) {
  // Read inside a `try`: what an adapter throws may have getters that throw in turn.
  let code;
  let name;
  let message;
  try {
    ({ code, name, message } = error ?? {});
  } catch {
    code = name = message = undefined;
  }
  if (code === 'STORAGE_TIMEOUT' || code === 'STORAGE_UNAVAILABLE' || code === 'STORAGE_ERROR' || code === 'STORAGE_CONFLICT') {
    // One of ours (the built-in adapters' own, coded): its message is ours too.
    return coded(typeof message === 'string' ? message : `The storage adapter's ${method} failed`, code);
  }
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') {
    return coded('Storage quota exceeded while saving the session', 'QUOTA_EXCEEDED');
  }
  // The error's class name at most, never text the adapter chose.
  const kind = typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : typeof error;
  return coded(`The storage adapter's ${method} failed (${kind})`, 'STORAGE_ERROR');
}

/**
 * Runs the calls of one store or manager in call order, each against a fresh snapshot of what it
 * reads, then writes what it wrote. `clean` is the object's `cleanExpired`, run when a write meets
 * a full storage before that write is tried once more.
 */
export class Queue {
  #tail = Promise.resolve();

  /** `lock`, when given, runs each call's work while holding a lock shared with other tabs. */
  constructor(adapter, snapshot, prefix, clean, lock = (work) => work()) {
    this.adapter = adapter;
    this.snapshot = snapshot;
    this.prefix = prefix;
    this.clean = clean;
    this.lock = lock;
  }

  /** Queues `work` (an async function) behind every call made before it. */
  exclusive(work) {
    const run = this.#tail.then(() => this.lock(work));
    this.#tail = run.then(() => {}, () => {});
    return run;
  }

  /**
   * Queues one call: `call` runs the module's method (a settled Promise); `reads` names the
   * session ids it will read (or `ALL` for every entry), fetched before it runs; `done` hears the
   * outcome once its writes have landed.
   */
  run(call, reads, done = () => {}) {
    return this.exclusive(() => (reads instanceof EachChunk ? this.#chunked(call, reads.merge, done) : this.#drive(call, reads, done)));
  }

  /** An `EachChunk` call: run over each chunk of the keys in turn, its results merged. */
  async #chunked(call, merge, done) {
    const keys = await this.adapter.keys(this.prefix);
    let result;
    for (let start = 0; ; start += LISTING_CHUNK) {
      const value = await this.#drive(call, new Listed(keys.slice(start, start + LISTING_CHUNK)), done);
      result = start === 0 ? value : merge(result, value);
      if (start + LISTING_CHUNK >= keys.length) return result;
      await nextTask();
    }
  }

  async #drive(call, reads, done, attempt = 0) {
    const { snapshot } = this;
    snapshot.reset();
    if (reads === ALL || reads instanceof IndexReads || reads instanceof Listed) await this.#fetch(reads);
    else for (const id of reads) if (typeof id === 'string') await this.#fetch(this.prefix + id);
    for (;;) {
      snapshot.writes = [];
      snapshot.missed = undefined;
      const outcome = await call().then((value) => ({ value }), (error) => ({ error }));
      const { missed, writes } = snapshot;
      if (missed === undefined) {
        try {
          if (!(await this.#write(writes, attempt))) {
            // Another process changed what this call read: run it again on what is there now.
            done(undefined);
            if (attempt >= MAX_ATTEMPTS) throw coded('The session kept changing under this call; try again', 'STORAGE_CONFLICT');
            return this.#drive(call, reads, done, attempt + 1);
          }
        } catch (error) {
          done(undefined);
          throw error;
        }
        done(outcome);
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      }
      done(undefined);
      await this.#fetch(missed);
    }
  }

  /**
   * Reads one key, every key under the prefix, a `Listed` chunk's, or those of an `IndexReads` into
   * the snapshot, a chunk at a time with the event loop let run between chunks. Without an index
   * in the adapter, an `IndexReads` takes of every entry only those its index would name.
   */
  async #fetch(what) {
    const { snapshot, adapter } = this;
    if (typeof what === 'string') {
      const value = await adapter.getItem(what);
      snapshot.put(what, value, true);
      return;
    }
    const keys = what === ALL ? await adapter.keys(this.prefix) : what instanceof Listed ? what.keys : await adapter.indexedKeys(this.prefix, what);
    const named = what instanceof IndexReads && !adapter.indexes ? (text) => storageView(text, 0).indexes.some(([field, value]) => field === what.field && value === what.value) : undefined;
    for (let start = 0; start < keys.length; start += LISTING_CHUNK) {
      if (start > 0) await nextTask();
      const chunk = keys.slice(start, start + LISTING_CHUNK);
      const values = await adapter.getItems(chunk);
      chunk.forEach((key, at) => {
        if (named === undefined || named(values[at])) snapshot.put(key, values[at], false);
      });
    }
    // Listed: the module sees these entries as all there are (for a user's, all of theirs: the
    // manager's calls that read an index decide only over the sessions it names).
    snapshot.listed = true;
  }

  /**
   * What a committing adapter checks before it lands a call's writes at once (false when one
   * changed): every entry the call read by name, and each entry it writes as the call saw it. A
   * listing is not checked as a whole: every call that lists (destroy, cleanExpired, clear, a
   * user's sessions) decides each write from the written entry alone. An entry the call writes
   * without having read it is taken to be absent (a new session's), and read on a second attempt.
   */
  async #checks(writes, attempt) {
    const check = new Map(this.snapshot.fetched);
    for (const write of writes) {
      const [key, , before] = write;
      if (check.has(key)) continue;
      if (before === UNKNOWN) write[2] = attempt === 0 ? null : ((await this.adapter.getItem(key)) ?? null);
      check.set(key, write[2]);
    }
    return check;
  }

  /**
   * The writes of a call, in order; a full storage gets one cleanup and one more try. A write that
   * still fails takes the call's earlier writes back, so that a call lands whole or not at all (a
   * refresh never leaves its rotated copy without the old token's forward). Through a committing
   * adapter they land in one step, or not at all when what the call read has changed (false).
   */
  async #write(writes, attempt) {
    if (this.adapter.commits) {
      if (writes.length === 0) return true;
      const check = await this.#checks(writes, attempt);
      return this.#cleanedWhenFull(() => this.adapter.commit(writes, check));
    }
    // What each key held, read first where the call never did, when there is more than one write.
    if (writes.length > 1) {
      for (const write of writes) if (write[2] === UNKNOWN) write[2] = (await this.adapter.getItem(write[0])) ?? null;
    }
    for (let done = 0; done < writes.length; done++) {
      // A call that writes many entries (`clear`) lets the event loop run between chunks of them.
      if (done > 0 && done % LISTING_CHUNK === 0) await nextTask();
      const [key, value] = writes[done];
      const write = () => (value === null ? this.adapter.removeItem(key) : this.adapter.setItem(key, value));
      try {
        await this.#cleanedWhenFull(write);
      } catch (error) {
        await this.#undo(writes.slice(0, done));
        throw error;
      }
    }
    return true;
  }

  /** `write()`; when the storage is full, once more after one cleanup of the expired sessions. */
  async #cleanedWhenFull(write) {
    try {
      return await write();
    } catch (error) {
      if (error.code !== 'QUOTA_EXCEEDED') throw error;
      await this.#drive(this.clean, ALL, () => {});
      return write();
    }
  }

  /** Puts back what the keys of `applied` held before the call; a failure here changes nothing more. */
  async #undo(applied) {
    const before = new Map();
    for (const [key, , held] of applied) if (!before.has(key)) before.set(key, held);
    for (const [key, held] of before) {
      try {
        await (held === null ? this.adapter.removeItem(key) : this.adapter.setItem(key, held));
      } catch {
        // The storage refuses even that: the call's error is what the caller learns.
      }
    }
  }
}

/**
 * The function that runs work holding the Web Lock `name` (`navigator.locks`: one holder at a
 * time across the origin's tabs and workers), or `undefined` where the platform has no Web Locks.
 * A call waits `wait` ms at most for the lock (another tab stalled while holding it: a long task, a
 * debugger), then rejects `LOCK_TIMEOUT` having done nothing. The holder is never robbed of it:
 * a steal would let two tabs write between one's read and its write, the race the lock prevents.
 */
export function webLock(name, wait) {
  let locks;
  try {
    locks = globalThis.navigator?.locks;
  } catch {
    return undefined;
  }
  if (typeof locks?.request !== 'function') return undefined;
  return async (work) => {
    let started = false;
    const signal = wait === Infinity || typeof AbortSignal?.timeout !== 'function' ? undefined : AbortSignal.timeout(wait);
    try {
      return await locks.request(name, signal === undefined ? {} : { signal }, () => ((started = true), work()));
    } catch (error) {
      if (started) throw error;
      if (signal?.aborted) {
        throw coded(`Another tab or worker held this storage's lock for ${wait} ms: this call did nothing; try again`, 'LOCK_TIMEOUT');
      }
      // Refused before the work began (SecurityError in an opaque origin): no lock to share, so none.
      return work();
    }
  };
}

export { ALL };
