// The one implementation of a store's seven operations, for every store: memory, localStorage,
// sessionStorage and every adapter store (over the queue's snapshot). Storage work is the
// backend's (js/memory-sessions.js, js/web-storage-sessions.js); every decision is the module's
// (src/web/decisions.rs): a session's times on `set`, its verdict and new times on access, what a
// sweep removes and when the next session ends. Each is one call of numbers over a block of the
// module's memory, for up to a batch of sessions at once where an operation touches many.
//
// A call made while another runs on the same store (from a Storage method, `toJSON`, `Date.now`,
// a data object's `then` getter) rejects with `REENTRANT_CALL`; after `free()` every call rejects
// with `FREED`.
import { _decisionBlock, _storePolicy, _timesOnSet, _access, _sweep, _storeFailure, Block, Failure, Slot, Verdict } from './glue.js';
import { CORRUPT, Session } from './envelope.js';

const { InvalidSessionId, InvalidDeadline, ClockUnavailable, ReentrantCall, Freed, InvalidListener, QuotaExceeded } = Failure;
const { Live, Expired, Rewritten, NeedsClock } = Verdict;
const FIRST = Block.FirstSession;
const BATCH = Block.Batch;
const SIZE = Slot.Size;
const { ExpiresAt, CreatedAt, Deadline, QuietFrom, QuietUntil } = Slot;
const VERDICT = Slot.Verdict;
const POLICY = [Block.Lifetime, Block.RefreshOnAccess, Block.AbsoluteLifetime];

/** The block, remade when a growth of the memory has detached it. */
let block = new Float64Array(0);
function decisions() {
  // Making the view can itself grow the memory (the module's table of references may need room),
  // which detaches it at once: ask again until one holds.
  while (block.length === 0) block = _decisionBlock();
  return block;
}
/** The policy the block holds: a store writes its own only when another's is there. */
let policyHeld;

/** Puts a session's times in slot `at` of the block. */
function put(b, at, session) {
  const s = FIRST + at * SIZE;
  b[s + ExpiresAt] = session.expiresAt;
  b[s + CreatedAt] = session.createdAt;
  b[s + Deadline] = session.deadline;
}

/** Takes a session's times, as the module wrote them, from slot `at`. */
function take(b, at, session) {
  const s = FIRST + at * SIZE;
  session.expiresAt = b[s + ExpiresAt];
  session.createdAt = b[s + CreatedAt];
  session.deadline = b[s + Deadline];
  session.quietFrom = b[s + QuietFrom];
  session.quietUntil = b[s + QuietUntil];
}

/** A rejection with the module's error. */
const failed = (kind) => Promise.reject(_storeFailure(kind));

/** The store's plumbing for the package's own modules (js/events.js, js/migrate.js): symbols, so
 *  that no user sees it on a store's prototype. */
export const LISTEN = Symbol('listen');
export const STOP_LISTENING = Symbol('stopListening');
export const TAKE_CHANGES = Symbol('takeChanges');
export const STORAGE_PREFIX = Symbol('storagePrefix');
export const SWEEP = Symbol('sweep');

/** The clock of one operation: `Date.now()` read at most once, when first needed. */
class OperationTime {
  now = NaN;
  read = false;
}

export class Store {
  /** Where the sessions are; `undefined` once freed. */
  #sessions;
  #policy;
  /** While someone listens: the changes since `takeChanges`, as [type, id, …]. */
  #changes;
  /** A call is running: whatever it calls may call back into this store. */
  #busy = false;
  /** The earliest end among the sessions the last sweep left (Infinity when none ends). */
  #next = Infinity;

  /** Throws `INVALID_CONFIG` for a config the module refuses. `sessions`: the backend, given the
   *  config's prefix. */
  constructor(config, sessions) {
    const prefix = _storePolicy(config);
    const b = decisions();
    this.#policy = POLICY.map((at) => b[at]);
    policyHeld = this.#policy;
    this.#sessions = sessions(prefix);
  }

  set(sessionId, data, deadline) {
    return this.#run(() => {
      if (typeof sessionId !== 'string') return InvalidSessionId;
      if (deadline !== undefined && !Number.isFinite(deadline)) return InvalidDeadline;
      const now = this.#now();
      if (now !== now) return ClockUnavailable;
      const b = this.#block();
      const session = new Session(data, NaN, NaN, NaN);
      session.timed = _timesOnSet(now, deadline ?? NaN) === 1;
      take(b, 0, session);
      const storage = this.#open();
      if (typeof storage === 'number') return storage;
      const saved = this.#making(storage, () => this.#sessions.save(storage, sessionId, session));
      if (saved >= 0) return saved;
      this.#changes?.push('set', sessionId);
      return Promise.resolve();
    });
  }

  get(sessionId) {
    return this.#validateAndRefresh(sessionId);
  }

  validateAndRefresh(sessionId) {
    return this.#validateAndRefresh(sessionId);
  }

  /** Not `this.validateAndRefresh`: a subclass's would queue a second call behind this one. */
  #validateAndRefresh(sessionId) {
    return this.#run(() => {
      if (typeof sessionId !== 'string') return InvalidSessionId;
      const storage = this.#open();
      if (typeof storage === 'number') return storage;
      const session = this.#sessions.load(storage, sessionId);
      if (session === undefined) return Promise.resolve();
      if (session === CORRUPT) return Failure.CorruptEntry;
      if (typeof session === 'number') return session;
      const read = [session];
      const outcome = this.#access(storage, [sessionId], read, new OperationTime());
      if (outcome !== -1) return outcome;
      return read[0] === CORRUPT ? Promise.resolve() : this.#settled(session.data);
    });
  }

  getAll() {
    return this.#run(() => {
      const storage = this.#open();
      if (typeof storage === 'number') return storage;
      const listed = this.#sessions.list(storage);
      if (typeof listed === 'number') return listed;
      const [ids, sessions] = listed;
      const outcome = this.#access(storage, ids, sessions, new OperationTime());
      if (outcome !== -1) return outcome;
      const live = new Map();
      for (let i = 0; i < ids.length; i++) {
        const session = sessions[i];
        if (session !== CORRUPT) live.set(ids[i], session.data);
      }
      return this.#settled(live);
    });
  }

  delete(sessionId) {
    return this.#run(() => {
      if (typeof sessionId !== 'string') return InvalidSessionId;
      const storage = this.#open();
      if (typeof storage === 'number') return storage;
      const removed = this.#sessions.remove(storage, sessionId);
      if (removed >= 0) return removed;
      this.#changes?.push('delete', sessionId);
      return Promise.resolve();
    });
  }

  clear() {
    return this.#run(() => {
      const storage = this.#open();
      if (typeof storage === 'number') return storage;
      const cleared = this.#sessions.removeAll(storage);
      if (cleared >= 0) return cleared;
      this.#changes?.push('clear', undefined);
      return Promise.resolve();
    });
  }

  cleanExpired() {
    return this.#run(() => {
      const removed = this.#sweepOpen();
      return removed < 0 ? -removed - 1 : Promise.resolve(removed);
    });
  }

  /** `cleanExpired` for `subscribe`'s expiry timer: resolves to when the next session ends (ms),
   *  `undefined` when none can. */
  [SWEEP]() {
    return this.#run(() => {
      const removed = this.#sweepOpen();
      if (removed < 0) return -removed - 1;
      return Promise.resolve(this.#next === Infinity ? undefined : this.#next);
    });
  }

  /** Checks a listener for `subscribe` and starts recording changes; throws when it cannot. */
  [LISTEN](listener) {
    this.#usable();
    if (typeof listener !== 'function') throw _storeFailure(InvalidListener);
    this.#changes ??= [];
  }

  /** Stops recording changes (no listener is left). */
  [STOP_LISTENING]() {
    this.#usable();
    this.#changes = undefined;
  }

  /** The changes since the last call, as [type, id, …], or `undefined` when there are none. */
  [TAKE_CHANGES]() {
    this.#usable();
    const changes = this.#changes;
    if (changes === undefined || changes.length === 0) return undefined;
    this.#changes = [];
    return changes;
  }

  /** The key prefix of a store over storage, whose `storage` events concern it; undefined for memory. */
  [STORAGE_PREFIX]() {
    this.#usable();
    return this.#sessions.prefix;
  }

  /** Drops the sessions now: later calls reject with `FREED`. A call running meanwhile completes
   *  first, on the sessions it started with. */
  free() {
    this.#sessions = undefined;
    this.#changes = undefined;
  }

  /** Runs one operation: its outcome a Promise, or a failure's number to reject with. */
  #run(operation) {
    if (this.#busy) return failed(ReentrantCall);
    if (this.#sessions === undefined) return failed(Freed);
    this.#busy = true;
    let outcome;
    try {
      outcome = operation();
    } catch (error) {
      outcome = Promise.reject(error);
    } finally {
      this.#busy = false;
    }
    return typeof outcome === 'number' ? failed(outcome) : outcome;
  }

  /** `#run`'s refusals, thrown, for the methods that return no Promise. */
  #usable() {
    if (this.#busy) throw _storeFailure(ReentrantCall);
    if (this.#sessions === undefined) throw _storeFailure(Freed);
  }

  #open() {
    return this.#sessions.open();
  }

  /** `Date.now()`, looked up at each call so that fake timers apply: NaN when it throws or gives
   *  no finite number. */
  #now() {
    let now = NaN;
    try {
      now = +Date.now();
    } catch {
      // Refused by the caller, as NaN.
    }
    return Number.isFinite(now) ? now : NaN;
  }

  /** The operation's time, read the first time it is needed: NaN when the clock fails. */
  #timeOf(time) {
    if (!time.read) {
      time.read = true;
      time.now = this.#now();
    }
    return time.now;
  }

  /** A Promise of `value`. Resolving with an object reads its `then` (and a Promise's
   *  `constructor`), which may throw. */
  #settled(value) {
    try {
      return Promise.resolve(value);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The block, holding this store's policy. */
  #block() {
    const b = decisions();
    const policy = this.#policy;
    if (policyHeld !== policy) {
      b[POLICY[0]] = policy[0];
      b[POLICY[1]] = policy[1];
      b[POLICY[2]] = policy[2];
      policyHeld = policy;
    }
    return b;
  }

  /** Runs a write; when storage is full, sweeps the expired sessions and tries once more. */
  #making(storage, write) {
    const outcome = write();
    if (outcome !== QuotaExceeded) return outcome;
    const swept = this.#sweep(storage);
    return swept < 0 ? -swept - 1 : write();
  }

  /**
   * An access at one time to the sessions read (`get`, `getAll`): the expired ones removed (and
   * set to CORRUPT in `sessions`, which then lists only the live ones), the others refreshed or
   * pulled back when the module says so. -1, or a failure's number.
   */
  #access(storage, ids, sessions, time) {
    const b = this.#block();
    const verdicts = [];
    for (let start = 0; start < sessions.length; start += BATCH) {
      const pending = [];
      for (let i = start; i < sessions.length && i < start + BATCH; i++) {
        const session = sessions[i];
        if (session === CORRUPT || session.timed === false) continue;
        if (session.timed) {
          // A memory session knows its quiet window: inside it, nothing to ask.
          const now = this.#timeOf(time);
          if (now !== now) return ClockUnavailable;
          if (now >= session.quietFrom && now <= session.quietUntil) continue;
        }
        put(b, pending.length, session);
        pending.push(i);
      }
      if (pending.length === 0) continue;
      if (_access(time.now, pending.length) === NeedsClock) {
        const now = this.#timeOf(time);
        if (now !== now) return ClockUnavailable;
        _access(now, pending.length);
      }
      for (let at = 0; at < pending.length; at++) {
        const verdict = b[FIRST + at * SIZE + VERDICT];
        if (verdict === Rewritten) take(b, at, sessions[pending[at]]);
        if (verdict !== Live) verdicts.push(pending[at], verdict);
      }
    }
    // Every decision is taken out of the block first: a write that meets a full storage sweeps,
    // which uses the block.
    for (let v = 0; v < verdicts.length; v += 2) {
      const i = verdicts[v];
      const id = ids[i];
      const session = sessions[i];
      if (verdicts[v + 1] === Expired) {
        const removed = this.#sessions.removeSession(storage, id, session);
        if (removed >= 0) return removed;
        sessions[i] = CORRUPT;
        this.#changes?.push('expire', id);
      } else {
        const saved = this.#making(storage, () => this.#sessions.saveTimes(storage, id, session));
        if (saved >= 0) return saved;
        this.#changes?.push('refresh', id);
      }
    }
    return -1;
  }

  /** `#sweep` over the storage of this operation: how many it removed, or -(failure + 1). */
  #sweepOpen() {
    const storage = this.#open();
    return typeof storage === 'number' ? -storage - 1 : this.#sweep(storage);
  }

  /**
   * Removes the expired sessions, and every corrupt entry (which can never become valid): how many
   * it removed, or -(failure + 1); keeps the earliest end of those left in `#next`.
   */
  #sweep(storage) {
    const listed = this.#sessions.list(storage);
    if (typeof listed === 'number') return -listed - 1;
    const [ids, sessions] = listed;
    const time = new OperationTime();
    const b = this.#block();
    const doomed = [];
    let next = Infinity;
    for (let start = 0; start < sessions.length; start += BATCH) {
      const pending = [];
      for (let i = start; i < sessions.length && i < start + BATCH; i++) {
        const session = sessions[i];
        if (session === CORRUPT) {
          doomed.push(i);
        } else if (session.timed) {
          // A memory session's end is its quiet window's.
          const now = this.#timeOf(time);
          if (now !== now) return -ClockUnavailable - 1;
          if (now > session.quietUntil) doomed.push(i);
          else if (session.quietUntil < next) next = session.quietUntil;
        } else if (session.timed === undefined) {
          put(b, pending.length, session);
          pending.push(i);
        }
      }
      if (pending.length === 0) continue;
      if (_sweep(time.now, pending.length) === NeedsClock) {
        const now = this.#timeOf(time);
        if (now !== now) return -ClockUnavailable - 1;
        _sweep(now, pending.length);
      }
      for (let at = 0; at < pending.length; at++) {
        const s = FIRST + at * SIZE;
        if (b[s + VERDICT] === Expired) doomed.push(pending[at]);
        else if (b[s + QuietUntil] < next) next = b[s + QuietUntil];
      }
    }
    // In storage order, as they were listed.
    doomed.sort((x, y) => x - y);
    for (const i of doomed) {
      const id = ids[i];
      const removed = this.#sessions.removeSession(storage, id, sessions[i]);
      if (removed >= 0) return -removed - 1;
      this.#changes?.push(sessions[i] === CORRUPT ? 'delete' : 'expire', id);
    }
    this.#next = next;
    return doomed.length;
  }
}
