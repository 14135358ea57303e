import { Hub } from './events.js';

// Makes the module's instance from the bytes this file carries (as hex, which gzip compresses to
// within 9 % of the binary, where base64 costs 31 %). Synchronous on purpose: the classes work
// straight after `import`, with no init call and no top-level `await`, and a bad config still
// throws from the constructor. No `fetch`, no file path, nothing a bundler must know to copy.

/** Instantiates the module; returns what stopped it, or `undefined` when it runs. */
export function instantiate(initSync, hex) {
  try {
    initSync({ module: decodeHex(hex) });
    return undefined;
  } catch (cause) {
    return cause;
  }
}

function decodeHex(hex) {
  if (typeof Uint8Array.fromHex === 'function') return Uint8Array.fromHex(hex);
  const bytes = new Uint8Array(hex.length >>> 1);
  // '0'-'9' are 48-57, 'a'-'f' 97-102.
  const digit = (at) => { const c = hex.charCodeAt(at); return c > 57 ? c - 87 : c - 48; };
  for (let i = 0; i < bytes.length; i++) bytes[i] = (digit(2 * i) << 4) | digit(2 * i + 1);
  return bytes;
}

/** The coded error of every call when the module could not be made (WebAssembly blocked by a
 *  Content-Security-Policy without 'wasm-unsafe-eval', or turned off, as in iOS Lockdown Mode). */
function unavailable(cause) {
  const error = new Error('wasm-session-store: WebAssembly is unavailable here, so no session can be read or written', { cause });
  error.code = 'MODULE_UNAVAILABLE';
  return error;
}

// The methods of the classes that return no Promise: they throw instead of rejecting.
const SYNCHRONOUS = new Set(['subscribe', 'toPublicSession']);

/**
 * The class itself, named `name`, when the module runs. Otherwise a stand-in with the methods of
 * the class and of its `Base`, and the getters of the class, so that importing and constructing still succeed and
 * the app can catch the failure: every method rejects (or, where it returns no Promise, throws)
 * with `MODULE_UNAVAILABLE`, and `free` does nothing.
 */
export function standIn(failure, Class, name, Base = undefined) {
  // The bundle's minifier renamed the class; users see its exported name.
  if (failure === undefined) return Object.defineProperty(Class, 'name', { value: name });
  const StandIn = Object.defineProperty(class {}, 'name', { value: name });
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(Class.prototype))) {
    if (descriptor.get) Object.defineProperty(StandIn.prototype, key, descriptor);
  }
  const methods = [Base?.prototype, Class.prototype].filter(Boolean);
  for (const [key, value] of methods.flatMap((proto) => Reflect.ownKeys(proto).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key).value]))) {
    // `_` methods are the classes' own plumbing, not API.
    if (key === 'constructor' || typeof value !== 'function' || (typeof key === 'string' && key.startsWith('_'))) continue;
    StandIn.prototype[key] = key === 'free' || key === Symbol.dispose ? () => {}
      : SYNCHRONOUS.has(key) ? () => { throw unavailable(failure); }
        : () => Promise.reject(unavailable(failure));
  }
  return StandIn;
}

/** The function itself when the module runs; otherwise one that throws `MODULE_UNAVAILABLE`. */
export function standInFunction(failure, fn) {
  return failure === undefined ? fn : () => { throw unavailable(failure); };
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
 * The three store classes, each the module's one store class (`SessionStoreBase`) with its storage
 * area, its `kind` and its listeners, and `createSessionStore`; or their stand-ins.
 */
export function storeExports(Base, decodeStoredData, failure) {
  const storeClass = (name, area, kind) => {
    const Class = class extends Base {
      #hub;

      constructor(config) {
        super(config, area);
      }

      get kind() {
        return kind;
      }

      set(sessionId, data) {
        return this.#published(super.set(sessionId, data), data);
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
  const MemorySessionStore = storeClass('MemorySessionStore', 0, 'memory');
  const LocalStorageSessionStore = storeClass('LocalStorageSessionStore', 1, 'localStorage');
  return {
    MemorySessionStore,
    LocalStorageSessionStore,
    SessionStorageSessionStore: storeClass('SessionStorageSessionStore', 2, 'sessionStorage'),
    // A localStorage store where localStorage can be read (the check only reads), memory otherwise.
    createSessionStore: (config) => (readableLocalStorage() ? new LocalStorageSessionStore(config) : new MemorySessionStore(config)),
  };
}
