// The memory store's base class. Its sessions live in a JavaScript `Map`: no session crosses into
// the module, and none grows the module's memory. The module keeps the rules
// (src/web/memory_store.rs). It parses the config, decides every session's times and makes the
// errors. A store's policy and a session's times pass through a block of the module's memory,
// seen here as a Float64Array, so each decision is one call that takes and returns numbers only.
//
// It has the methods of the module's `SessionStoreBase`, which `js/classes.js` extends into each
// store class, with the same rules: a call made while another runs on the same store (from a
// faked `Date.now`) rejects with `REENTRANT_CALL`; after `free()` every call rejects with `FREED`.
import { _sessionTimes, _memoryPolicy, _timesOnSet, _timesOnAccess, _storeFailure } from './glue.js';
import { MAX_SESSIONS } from './memory-area.js';

// The module's failures, by number (`_storeFailure`).
const INVALID_SESSION_ID = 0;
const INVALID_DEADLINE = 1;
const CLOCK_UNAVAILABLE = 2;
const REENTRANT_CALL = 3;
const FREED = 4;
const INVALID_LISTENER = 5;
const QUOTA_EXCEEDED = 6;
// The change kinds `js/events.js` reads.
const SET = 0;
const DELETE = 1;
const CLEAR = 2;
const REFRESH = 3;
const EXPIRE = 4;
// `_timesOnAccess`'s verdicts.
const EXPIRED = 1;
const REWRITTEN = 2;

/** The block: [lifetime, refreshOnAccess, absoluteLifetime, expiresAt, createdAt, deadline,
 *  quietFrom, quietUntil], NaN for none. Remade when a growth of the memory has detached it. */
let block = new Float64Array(0);
function times() {
  // Making the view can itself grow the memory (the module's table of references may need room),
  // which detaches it at once: ask again until one holds.
  while (block.length === 0) block = _sessionTimes();
  return block;
}
/** The policy the block holds: a store writes its own only when another's is there. */
let policyHeld;

/** One session: its data, whether reading it needs the time, and the times the module gave it. */
class Session {
  constructor(data, timed, b) {
    this.data = data;
    this.timed = timed;
    this.times(b);
  }

  /** Its times as the module wrote them: NaN for none; from `quietFrom` to `quietUntil` (its
   *  last valid millisecond) a read changes nothing, so the module need not be asked. */
  times(b) {
    this.expiresAt = b[3];
    this.createdAt = b[4];
    this.deadline = b[5];
    this.quietFrom = b[6];
    this.quietUntil = b[7];
  }
}

/** A rejection with the module's error. */
const failed = (kind) => Promise.reject(_storeFailure(kind));

export class MemoryStoreBase {
  /** The sessions by id; `undefined` once freed. */
  #sessions = new Map();
  #policy;
  /** While someone listens: the changes since `_takeChanges`, as [kind, id, …]. */
  #changes;
  /** A call is reading the clock or settling its result, either of which may call back into
   *  this store. */
  #busy = false;
  /** The earliest end among the sessions the last sweep left (Infinity when none ends). */
  #next = Infinity;

  /** Throws `INVALID_CONFIG` for a config the module refuses. The second argument (the storage
   *  the other stores take) is not used. */
  constructor(config) {
    _memoryPolicy(config);
    const b = times();
    this.#policy = [b[0], b[1], b[2]];
    policyHeld = this.#policy;
  }

  set(sessionId, data, deadline) {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    if (typeof sessionId !== 'string') return failed(INVALID_SESSION_ID);
    if (deadline !== undefined && !Number.isFinite(deadline)) return failed(INVALID_DEADLINE);
    const now = this.#now();
    if (now !== now) return failed(CLOCK_UNAVAILABLE);
    const saved = this.#save(sessions, sessionId, data, now, deadline);
    return saved >= 0 ? failed(saved) : Promise.resolve();
  }

  get(sessionId) {
    return this.validateAndRefresh(sessionId);
  }

  validateAndRefresh(sessionId) {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    if (typeof sessionId !== 'string') return failed(INVALID_SESSION_ID);
    const session = sessions.get(sessionId);
    if (session === undefined) return Promise.resolve();
    if (session.timed) {
      const now = this.#now();
      if (now !== now) return failed(CLOCK_UNAVAILABLE);
      if (!this.#access(sessions, sessionId, session, now)) return Promise.resolve();
    }
    return this.#settled(session.data);
  }

  getAll() {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    const live = new Map();
    let now;
    for (const [id, session] of sessions) {
      if (session.timed) {
        now ??= this.#now();
        if (now !== now) return failed(CLOCK_UNAVAILABLE);
        if (!this.#access(sessions, id, session, now)) continue;
      }
      live.set(id, session.data);
    }
    return this.#settled(live);
  }

  delete(sessionId) {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    if (typeof sessionId !== 'string') return failed(INVALID_SESSION_ID);
    sessions.delete(sessionId);
    this.#changes?.push(DELETE, sessionId);
    return Promise.resolve();
  }

  clear() {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    sessions.clear();
    this.#changes?.push(CLEAR, undefined);
    return Promise.resolve();
  }

  cleanExpired() {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    const removed = this.#sweep(sessions);
    return removed < 0 ? failed(CLOCK_UNAVAILABLE) : Promise.resolve(removed);
  }

  /** `cleanExpired` for `subscribe`'s expiry timer: resolves to when the next session ends (ms),
   *  `undefined` when none can. */
  _sweep() {
    const sessions = this.#open();
    if (typeof sessions === 'number') return failed(sessions);
    if (this.#sweep(sessions) < 0) return failed(CLOCK_UNAVAILABLE);
    return Promise.resolve(this.#next === Infinity ? undefined : this.#next);
  }

  /** Checks a listener for `subscribe` and starts recording changes; throws when it cannot. */
  _listen(listener) {
    this.#usable();
    if (typeof listener !== 'function') throw _storeFailure(INVALID_LISTENER);
    this.#changes = [];
  }

  /** Stops recording changes (no listener is left). */
  _stopListening() {
    this.#usable();
    this.#changes = undefined;
  }

  /** The changes since the last call, as [kind, id, …], or `undefined` when there are none. */
  _takeChanges() {
    this.#usable();
    const changes = this.#changes;
    if (changes === undefined || changes.length === 0) return undefined;
    this.#changes = [];
    return changes;
  }

  /** A memory store has no storage whose other tabs it hears. */
  _storagePrefix() {
    this.#usable();
    return undefined;
  }

  /** Drops the sessions now: later calls reject with `FREED`. A call running meanwhile (from a
   *  faked `Date.now`) completes first, on the sessions it started with. */
  free() {
    this.#sessions = undefined;
    this.#changes = undefined;
  }

  /** The sessions, or why a call cannot run now (a failure's number). */
  #open() {
    return this.#busy ? REENTRANT_CALL : this.#sessions ?? FREED;
  }

  /** `#open`'s refusal, thrown, for the methods that return no Promise. */
  #usable() {
    const sessions = this.#open();
    if (typeof sessions === 'number') throw _storeFailure(sessions);
  }

  /** `Date.now()`, looked up at each call so that fake timers apply: NaN when it throws or gives
   *  no finite number. A call it makes on this store is refused. */
  #now() {
    this.#busy = true;
    let now = NaN;
    try {
      now = +Date.now();
    } catch {
      // Refused below, as NaN.
    } finally {
      this.#busy = false;
    }
    return Number.isFinite(now) ? now : NaN;
  }

  /** A Promise of `value`. Resolving with an object reads its `then` (and a Promise's
   *  `constructor`), which may throw or call back into this store. */
  #settled(value) {
    this.#busy = true;
    try {
      return Promise.resolve(value);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      this.#busy = false;
    }
  }

  /** Writes this store's policy and, when given, a session's times into the block. */
  #block(session) {
    const b = times();
    const policy = this.#policy;
    if (policyHeld !== policy) {
      b[0] = policy[0];
      b[1] = policy[1];
      b[2] = policy[2];
      policyHeld = policy;
    }
    if (session !== undefined) {
      b[3] = session.expiresAt;
      b[4] = session.createdAt;
      b[5] = session.deadline;
    }
    return b;
  }

  /** Stores a session set at `now`. A new one, when the store is full, first has the expired
   *  sessions swept, as in a full Web Storage. Returns a failure's number, or -1. */
  #save(sessions, id, data, now, deadline) {
    const b = this.#block(undefined);
    const session = new Session(data, _timesOnSet(now, deadline ?? NaN) === 1, b);
    if (sessions.size >= MAX_SESSIONS && !sessions.has(id)) {
      if (this.#sweep(sessions) < 0) return CLOCK_UNAVAILABLE;
      if (sessions.size >= MAX_SESSIONS) return QUOTA_EXCEEDED;
    }
    sessions.set(id, session);
    this.#changes?.push(SET, id);
    return -1;
  }

  /** A timed session read at `now`: false when it has expired (and is removed); otherwise true,
   *  its times refreshed or pulled back when the module says so. */
  #access(sessions, id, session, now) {
    if (now >= session.quietFrom && now <= session.quietUntil) return true;
    const b = this.#block(session);
    const verdict = _timesOnAccess(now);
    if (verdict === EXPIRED) {
      sessions.delete(id);
      this.#changes?.push(EXPIRE, id);
      return false;
    }
    if (verdict === REWRITTEN) {
      session.times(b);
      this.#changes?.push(REFRESH, id);
    }
    return true;
  }

  /** Removes the expired sessions; returns how many (-1 when the clock fails), and keeps the
   *  earliest end of those left in `#next`. */
  #sweep(sessions) {
    let now;
    let removed = 0;
    let next = Infinity;
    for (const [id, session] of sessions) {
      if (!session.timed) continue;
      now ??= this.#now();
      if (now !== now) return -1;
      const end = session.quietUntil;
      if (now > end) {
        sessions.delete(id);
        this.#changes?.push(EXPIRE, id);
        removed++;
      } else if (end < next) {
        next = end;
      }
    }
    this.#next = next;
    return removed;
  }
}
