// A store's sessions in a Web Storage area (`localStorage`, `sessionStorage`, looked up on
// `globalThis` at every call, as it may come, go or throw) or in a storage object given once (the
// adapter queue's snapshot, a manager's memory area); the session manager's module runs over it
// too (src/web/sessions.rs). One key per session, `prefix + sessionId`, holding the entry text of
// js/envelope.js. Every failure comes back as a `Failure` number, never as an exception.
import { Failure } from './glue.js';
import { CORRUPT, Session, decodeEntry, entryText, rewrittenText } from './envelope.js';
import { isStampKey } from './stamps.js';

const { InvalidSessionId, DataNotSerializable, QuotaExceeded, LocalStorageUnavailable, SessionStorageUnavailable } = Failure;
const { GetItemFailed, SetItemFailed, RemoveItemFailed, KeyFailed, LengthFailed } = Failure;

export class WebStorageSessions {
  #prefix;
  #name;
  #object;

  /** `area`: 'localStorage' or 'sessionStorage', or a storage object to use as it is. */
  constructor(prefix, area) {
    this.#prefix = prefix;
    if (typeof area === 'string') this.#name = area;
    else this.#object = area;
  }

  /** The prefix of its keys, whose `storage` events concern the store. */
  get prefix() {
    return this.#prefix;
  }

  /** The storage object for one operation, or `STORAGE_UNAVAILABLE`. */
  open() {
    if (this.#object !== undefined) return this.#object;
    let storage;
    try {
      storage = globalThis[this.#name] ?? undefined;
    } catch {
      // Reading the property itself throws in sandboxed frames and with site data blocked.
    }
    if (storage !== undefined) return storage;
    return this.#name === 'sessionStorage' ? SessionStorageUnavailable : LocalStorageUnavailable;
  }

  /** The session stored for `id`: undefined for none, CORRUPT, or a failure's number. */
  load(storage, id) {
    const key = this.#key(id);
    if (typeof key === 'number') return key;
    return read(storage, key);
  }

  /** Every session under the prefix, in storage order: [ids, sessions] (CORRUPT for one that does
   *  not decode), or a failure's number. The keys are all walked before any entry is read. */
  list(storage) {
    const keys = this.#ownKeys(storage);
    if (typeof keys === 'number') return keys;
    const ids = [];
    const sessions = [];
    const start = this.#prefix.length;
    for (const key of keys) {
      const session = read(storage, key);
      if (session === undefined) continue;
      ids.push(key.slice(start));
      sessions.push(typeof session === 'number' ? CORRUPT : session);
    }
    return [ids, sessions];
  }

  /** Writes a new session's entry; -1 when done, else a failure's number. */
  save(storage, id, session) {
    const text = entryText(session.data, session.expiresAt, session.createdAt, session.deadline);
    if (text === undefined) return DataNotSerializable;
    const key = this.#key(id);
    return typeof key === 'number' ? key : write(storage, key, text);
  }

  /** `save` of a new session of `data` with these times (NaN for none): the manager's module's. */
  saveData(storage, id, data, expiresAt, createdAt, deadline) {
    return this.save(storage, id, new Session(data, expiresAt, createdAt, deadline));
  }

  /** New times are written back to the entry. */
  get timesInPlace() {
    return false;
  }

  /** Writes a stored session back with its new times, its envelope's other fields kept. */
  saveTimes(storage, id, session) {
    const text = rewrittenText(session.envelope, session.expiresAt, session.createdAt, session.deadline);
    return text === undefined ? DataNotSerializable : write(storage, session.key, text);
  }

  remove(storage, id) {
    const key = this.#key(id);
    return typeof key === 'number' ? key : removeKey(storage, key);
  }

  /** Removes a session read from storage, under the key it was read from. */
  removeSession(storage, id, session) {
    return session === CORRUPT ? this.remove(storage, id) : removeKey(storage, session.key);
  }

  removeAll(storage) {
    const keys = this.#ownKeys(storage);
    if (typeof keys === 'number') return keys;
    for (const key of keys) {
      const failed = removeKey(storage, key);
      if (failed >= 0) return failed;
    }
    return -1;
  }

  /** `prefix + id`; an id too long to make a key with is no valid session id. */
  #key(id) {
    try {
      return this.#prefix + id;
    } catch {
      return InvalidSessionId;
    }
  }

  /** This store's keys, walking `key(0)` … `key(length - 1)` in order before touching any. */
  #ownKeys(storage) {
    let length;
    try {
      length = storage.length;
    } catch {
      return LengthFailed;
    }
    const count = typeof length === 'number' && length > 0 ? Math.min(length, 2 ** 32 - 1) : 0;
    const keys = [];
    const prefix = this.#prefix;
    for (let index = 0; index < count; index++) {
      let key;
      try {
        key = storage.key(index);
      } catch {
        return KeyFailed;
      }
      if (typeof key === 'string' && key.startsWith(prefix) && !isStampKey(key)) keys.push(key);
    }
    return keys;
  }
}

/** The session under `key`: undefined for none, CORRUPT, or GetItemFailed. */
function read(storage, key) {
  let text;
  try {
    text = storage.getItem(key);
  } catch {
    return GetItemFailed;
  }
  const session = decodeEntry(text);
  if (session) session.key = key;
  return session;
}

function write(storage, key, text) {
  try {
    storage.setItem(key, text);
    return -1;
  } catch (error) {
    return isQuotaError(error) ? QuotaExceeded : SetItemFailed;
  }
}

function removeKey(storage, key) {
  try {
    storage.removeItem(key);
    return -1;
  } catch {
    return RemoveItemFailed;
  }
}

function isQuotaError(error) {
  try {
    const name = error?.name;
    return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
  } catch {
    return false;
  }
}
