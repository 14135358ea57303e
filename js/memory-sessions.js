// A memory store's sessions: Session objects in a `Map`, in JavaScript, so that none crosses into
// the module and none grows its memory. A session keeps the very data object it was given.
import { Failure } from './glue.js';
import { MAX_SESSIONS } from './memory-area.js';

export class MemorySessions {
  #sessions = new Map();

  /** A memory store has no storage whose other tabs it hears. */
  get prefix() {
    return undefined;
  }

  open() {
    return this.#sessions;
  }

  load(sessions, id) {
    return sessions.get(id);
  }

  list(sessions) {
    return [[...sessions.keys()], [...sessions.values()]];
  }

  save(sessions, id, session) {
    if (sessions.size >= MAX_SESSIONS && !sessions.has(id)) return Failure.QuotaExceeded;
    sessions.set(id, session);
    return -1;
  }

  /** The session object itself holds its new times: a rewrite needs no write. */
  get timesInPlace() {
    return true;
  }

  saveTimes() {
    return -1;
  }

  remove(sessions, id) {
    sessions.delete(id);
    return -1;
  }

  removeSession(sessions, id) {
    sessions.delete(id);
    return -1;
  }

  removeAll(sessions) {
    sessions.clear();
    return -1;
  }
}
