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
import { _decisionBlock, _storePolicy, _timesOnSet, _access, _commonRefresh, _sweep, _storeFailure, Block, Failure, Slot, Verdict } from './glue.js';
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

/** The module's last common refresh: for which policy and millisecond, whether there is one, and
 *  its times (a pure decision, so the same question is asked once). */
const commonAsked = { policy: undefined, now: NaN, times: null };

/** The module's last decision for a `set` without a deadline of its own, by policy and millisecond. */
const setAsked = { policy: undefined, now: NaN, timed: false, times: null };

/** What `#access` has yet to learn of a session: the module's verdict in its slot, or the common
 *  refresh (not verdicts the module gives). */
const PENDING = -1;
const COMMON = -2;

/** Puts a session's times in slot `at` of the block. */
function put(b, at, session) {
  const s = FIRST + at * SIZE;
  b[s + ExpiresAt] = session.expiresAt;
  b[s + CreatedAt] = session.createdAt;
  b[s + Deadline] = session.deadline;
}

/** Takes a session's times, as the module wrote them, from slot `at`. */
function take(b, at, session) {
  takeFrom(b, FIRST + at * SIZE, session);
}

/** Takes a session's times from the slot beginning at `s` of `times`. */
function takeFrom(times, s, session) {
  session.expiresAt = times[s + ExpiresAt];
  session.createdAt = times[s + CreatedAt];
  session.deadline = times[s + Deadline];
  session.quietFrom = times[s + QuietFrom];
  session.quietUntil = times[s + QuietUntil];
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
export const ENDED = Symbol('ended');
export const HOLD = Symbol('hold');
export const CHANGED = Symbol('changed');

/** `set`'s data as it is now, for a call that runs later: a JSON copy (what the module would
 *  store), or the data itself where JSON refuses it (the module then says why). */
export function dataAsNow(data) {
  try {
    const text = JSON.stringify(data);
    return text === undefined ? data : JSON.parse(text);
  } catch {
    return data;
  }
}

/** The clock of one operation: `Date.now()` read at most once, when first needed. */
class OperationTime {
  now = NaN;
  read = false;
}

export class Store {
  /** Where the sessions are; `undefined` once freed. */
  #sessions;
  /** The sessions of the call running: a `free()` made meanwhile leaves it these. */
  #backend;
  #policy;
  /** While someone listens: the changes since `takeChanges`, as [type, id, …]. */
  #changes;
  /** A call is running: whatever it calls may call back into this store. */
  #busy = false;
  /** The earliest end among the sessions the last sweep left (Infinity when none ends). */
  #next = Infinity;
  /** While a migration into this store runs: the end of what calls must wait for. */
  #held;

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
    return this.#run(this.#set, sessionId, data, deadline);
  }

  // `get` is `validateAndRefresh`, by the private method: a subclass's `validateAndRefresh` would
  // queue a second call behind this one.
  get(sessionId) {
    return this.#run(this.#read, sessionId);
  }

  validateAndRefresh(sessionId) {
    return this.#run(this.#read, sessionId);
  }

  getAll() {
    return this.#run(this.#getAll);
  }

  delete(sessionId) {
    return this.#run(this.#delete, sessionId);
  }

  clear() {
    return this.#run(this.#clear);
  }

  cleanExpired() {
    return this.#run(this.#cleanExpired);
  }

  /** `cleanExpired` for `subscribe`'s expiry timer: resolves to when the next session ends (ms),
   *  `undefined` when none can. */
  [SWEEP]() {
    return this.#run(this.#sweepForTimer);
  }

  // The operations themselves, run by `#run`: a Promise, or a failure's number to reject with.

  #set(sessionId, data, deadline) {
    if (typeof sessionId !== 'string') return InvalidSessionId;
    if (deadline !== undefined && !Number.isFinite(deadline)) return InvalidDeadline;
    const now = this.#now();
    if (now !== now) return ClockUnavailable;
    const session = new Session(data, NaN, NaN, NaN);
    if (deadline === undefined && setAsked.policy === this.#policy && setAsked.now === now) {
      // The module's decision for this policy and millisecond, which is pure: asked already.
      session.timed = setAsked.timed;
      takeFrom(setAsked.times, 0, session);
    } else {
      const b = this.#block();
      session.timed = _timesOnSet(now, deadline ?? NaN) === 1;
      take(b, 0, session);
      if (deadline === undefined) {
        setAsked.policy = this.#policy;
        setAsked.now = now;
        setAsked.timed = session.timed;
        setAsked.times = b.slice(FIRST, FIRST + SIZE);
      }
    }
    const storage = this.#open();
    if (typeof storage === 'number') return storage;
    const saved = this.#write(storage, sessionId, session, false);
    if (saved >= 0) return saved;
    this.#changes?.push('set', sessionId);
    return Promise.resolve();
  }

  #read(sessionId) {
    if (typeof sessionId !== 'string') return InvalidSessionId;
    const storage = this.#open();
    if (typeof storage === 'number') return storage;
    const session = this.#backend.load(storage, sessionId);
    if (session === undefined) return Promise.resolve();
    if (session === CORRUPT) return Failure.CorruptEntry;
    if (typeof session === 'number') return session;
    const read = [session];
    const outcome = this.#access(storage, [sessionId], read, new OperationTime());
    if (outcome !== -1) return outcome;
    return read[0] === CORRUPT ? Promise.resolve() : this.#settled(session.data);
  }

  #getAll() {
    const storage = this.#open();
    if (typeof storage === 'number') return storage;
    const listed = this.#backend.list(storage);
    if (typeof listed === 'number') return listed;
    const [ids, sessions] = listed;
    const live = new Map();
    const outcome = this.#access(storage, ids, sessions, new OperationTime(), live);
    return outcome !== -1 ? outcome : this.#settled(live);
  }

  #delete(sessionId) {
    if (typeof sessionId !== 'string') return InvalidSessionId;
    const storage = this.#open();
    if (typeof storage === 'number') return storage;
    const removed = this.#backend.remove(storage, sessionId);
    if (removed >= 0) return removed;
    this.#changes?.push('delete', sessionId);
    return Promise.resolve();
  }

  #clear() {
    const storage = this.#open();
    if (typeof storage === 'number') return storage;
    const cleared = this.#backend.removeAll(storage);
    if (cleared >= 0) return cleared;
    this.#changes?.push('clear', undefined);
    return Promise.resolve();
  }

  #cleanExpired() {
    const removed = this.#sweepOpen();
    return removed < 0 ? -removed - 1 : Promise.resolve(removed);
  }

  #sweepForTimer() {
    const removed = this.#sweepOpen();
    if (removed < 0) return -removed - 1;
    return Promise.resolve(this.#next === Infinity ? undefined : this.#next);
  }

  /** Whether a session (read from another tab's change) has ended by now, as this store's
   *  policy decides; false when the clock cannot be read or the store is freed. */
  [ENDED](session) {
    if (this.#sessions === undefined || session === CORRUPT) return false;
    const now = this.#now();
    if (now !== now) return false;
    const b = this.#block();
    put(b, 0, session);
    _sweep(now, 1);
    return b[FIRST + VERDICT] === Expired;
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

  /** Runs `work` (async) after what is held already; every call made until it ends waits for it,
   *  in call order (`migrateSessions` into a Web Storage store). */
  [HOLD](work) {
    const run = (this.#held ?? Promise.resolve()).then(work);
    const held = (this.#held = run.then(
      () => {},
      () => {},
    ));
    held.then(() => {
      if (this.#held === held) this.#held = undefined;
    });
    return run;
  }

  /** Runs one operation (a method of this class, with no closure made per call): its outcome a
   *  Promise, or a failure's number to reject with. */
  #run(operation, a, b, c) {
    if (this.#held !== undefined) {
      if (operation === this.#set) b = dataAsNow(b);
      // Once run, its changes go to the listeners, as a call's do when it returns.
      return this[HOLD](() => {
        const outcome = this.#runNow(operation, a, b, c);
        this[CHANGED]?.(b);
        return outcome;
      });
    }
    return this.#runNow(operation, a, b, c);
  }

  #runNow(operation, a, b, c) {
    if (this.#busy) return failed(ReentrantCall);
    if (this.#sessions === undefined) return failed(Freed);
    this.#busy = true;
    this.#backend = this.#sessions;
    let outcome;
    try {
      outcome = operation.call(this, a, b, c);
    } catch (error) {
      outcome = Promise.reject(error);
    } finally {
      this.#busy = false;
      this.#backend = undefined;
    }
    return typeof outcome === 'number' ? failed(outcome) : outcome;
  }

  /** `#run`'s refusals, thrown, for the methods that return no Promise. */
  #usable() {
    if (this.#busy) throw _storeFailure(ReentrantCall);
    if (this.#sessions === undefined) throw _storeFailure(Freed);
  }

  #open() {
    return this.#backend.open();
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

  /** Writes a session (or only its new times); when storage is full, sweeps the expired sessions
   *  and tries once more. -1, or a failure's number. */
  #write(storage, id, session, timesOnly) {
    const sessions = this.#backend;
    const outcome = timesOnly ? sessions.saveTimes(storage, id, session) : sessions.save(storage, id, session);
    if (outcome !== QuotaExceeded) return outcome;
    const swept = this.#sweep(storage);
    if (swept < 0) return -swept - 1;
    return timesOnly ? sessions.saveTimes(storage, id, session) : sessions.save(storage, id, session);
  }

  /**
   * An access at one time to the sessions read (`get`, `getAll`): the expired ones removed (and
   * set to CORRUPT in `sessions`, which then lists only the live ones), the others refreshed or
   * pulled back when the module says so; each live one put in `live` (when given), in order.
   * -1, or a failure's number.
   */
  #access(storage, ids, sessions, time, live) {
    const b = this.#block();
    const inPlace = this.#backend.timesInPlace;
    // Over storage, every decision is taken out of the block before any write: a write that meets
    // a full storage sweeps, which uses the block.
    const verdicts = [];
    let common;
    for (let start = 0; start < sessions.length; start += BATCH) {
      const end = Math.min(sessions.length, start + BATCH);
      // Until the first session the module must decide, each is settled as it is met; from there
      // on, in order, once the module has decided.
      const pending = [];
      const decided = [];
      for (let i = start; i < end; i++) {
        const session = sessions[i];
        let verdict = Live;
        if (session !== CORRUPT && session.timed !== false) {
          verdict = PENDING;
          if (session.timed) {
            // A memory session knows its quiet window and its end: inside the window, nothing to ask.
            const now = this.#timeOf(time);
            if (now !== now) return ClockUnavailable;
            if (now >= session.quietFrom && now <= session.quietUntil) {
              verdict = Live;
            } else if (inPlace && session.createdAt !== session.createdAt && session.deadline !== session.deadline) {
              common ??= this.#commonRefresh(now);
              if (common !== null) verdict = now > session.quietUntil ? Expired : COMMON;
            }
          }
        }
        if (verdict === PENDING) {
          put(b, pending.length, session);
          pending.push(i);
        } else if (pending.length === 0) {
          if (verdict !== Live) verdict = this.#settle(storage, ids, sessions, i, verdict, common, inPlace ? undefined : verdicts);
          if (verdict !== Expired && session !== CORRUPT) live?.set(ids[i], session.data);
          continue;
        }
        decided.push(verdict);
      }
      if (pending.length === 0) continue;
      if (_access(time.now, pending.length) === NeedsClock) {
        const now = this.#timeOf(time);
        if (now !== now) return ClockUnavailable;
        _access(now, pending.length);
      }
      for (let d = 0, at = 0; d < decided.length; d++) {
        const i = pending[0] + d;
        let verdict = decided[d];
        if (verdict === PENDING) {
          verdict = b[FIRST + at * SIZE + VERDICT];
          if (verdict === Rewritten) take(b, at, sessions[i]);
          at++;
        }
        if (verdict !== Live) verdict = this.#settle(storage, ids, sessions, i, verdict, common, inPlace ? undefined : verdicts);
        if (verdict !== Expired && sessions[i] !== CORRUPT) live?.set(ids[i], sessions[i].data);
      }
    }
    for (let v = 0; v < verdicts.length; v += 2) {
      const i = verdicts[v];
      const id = ids[i];
      const session = sessions[i];
      if (verdicts[v + 1] === Expired) {
        const removed = this.#backend.removeSession(storage, id, session);
        if (removed >= 0) return removed;
        sessions[i] = CORRUPT;
        this.#changes?.push('expire', id);
      } else {
        const saved = this.#write(storage, id, session, true);
        if (saved >= 0) return saved;
        this.#changes?.push('refresh', id);
      }
    }
    return -1;
  }

  /** What `#access` does with session `i` once decided (not Live): over storage, noted in
   *  `verdicts` for the writes after every decision; in memory (no `verdicts`), at once. Returns
   *  the verdict (the common refresh's is Rewritten). */
  #settle(storage, ids, sessions, i, verdict, common, verdicts) {
    if (verdict === COMMON) {
      // Only sessions without createdAt and deadline share it: those two stay none.
      const session = sessions[i];
      session.expiresAt = common[ExpiresAt];
      session.quietFrom = common[QuietFrom];
      session.quietUntil = common[QuietUntil];
      verdict = Rewritten;
    }
    if (verdicts !== undefined) {
      verdicts.push(i, verdict);
    } else if (verdict === Rewritten) {
      // Sessions in memory hold their new times: nothing to write, nothing that can fail.
      this.#changes?.push('refresh', ids[i]);
    } else {
      this.#backend.removeSession(storage, ids[i], sessions[i]);
      sessions[i] = CORRUPT;
      this.#changes?.push('expire', ids[i]);
    }
    return verdict;
  }

  /** The times this store's policy gives at `now` to every session without createdAt or
   *  deadline (one slot, copied out of the block), or null when the policy does not refresh them
   *  alike. Asked of the module once per policy and millisecond: the decision is pure. */
  #commonRefresh(now) {
    const policy = this.#policy;
    if (commonAsked.policy !== policy || commonAsked.now !== now) {
      const b = this.#block();
      commonAsked.policy = policy;
      commonAsked.now = now;
      commonAsked.times = _commonRefresh(now) === 1 ? b.slice(FIRST + BATCH * SIZE, FIRST + (BATCH + 1) * SIZE) : null;
    }
    return commonAsked.times;
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
    const listed = this.#backend.list(storage);
    if (typeof listed === 'number') return -listed - 1;
    const [ids, sessions] = listed;
    const time = new OperationTime();
    const b = this.#block();
    const doomed = [];
    let decidedByModule = false;
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
      decidedByModule = true;
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
    // In storage order, as they were listed (out of order only when the module decided some).
    if (decidedByModule) doomed.sort((x, y) => x - y);
    for (const i of doomed) {
      const id = ids[i];
      const removed = this.#backend.removeSession(storage, id, sessions[i]);
      if (removed >= 0) return -removed - 1;
      this.#changes?.push(sessions[i] === CORRUPT ? 'delete' : 'expire', id);
    }
    this.#next = next;
    return doomed.length;
  }
}
