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
 * The class itself when the module runs. Otherwise a stand-in with the same methods, so that
 * importing and constructing still succeed and the app can catch the failure: every method
 * rejects (or, where it returns no Promise, throws) with `MODULE_UNAVAILABLE`, and `free` does
 * nothing.
 */
export function standIn(failure, Class, name, kind) {
  // The bundle's minifier renamed the class; users see its exported name.
  if (failure === undefined) return Object.defineProperty(Class, 'name', { value: name });
  const StandIn = Object.defineProperty(class {}, 'name', { value: name });
  const methods = Class.prototype;
  for (const key of Reflect.ownKeys(methods)) {
    const { value } = Object.getOwnPropertyDescriptor(methods, key);
    if (key === 'constructor' || typeof value !== 'function') continue;
    StandIn.prototype[key] = key === 'free' || key === Symbol.dispose ? () => {}
      : SYNCHRONOUS.has(key) ? () => { throw unavailable(failure); }
        : () => Promise.reject(unavailable(failure));
  }
  if (kind) Object.defineProperty(StandIn.prototype, 'kind', { value: kind });
  return StandIn;
}

/** The function itself when the module runs; otherwise one that throws `MODULE_UNAVAILABLE`. */
export function standInFunction(failure, fn) {
  return failure === undefined ? fn : () => { throw unavailable(failure); };
}

function readableLocalStorage() {
  try {
    return globalThis.localStorage != null;
  } catch {
    return false;
  }
}

/** The store classes and factory of a glue module, or their stand-ins. */
export function storeExports({ Memory, Local, Session, create }, failure) {
  const MemorySessionStore = standIn(failure, Memory, 'MemorySessionStore', 'memory');
  const LocalStorageSessionStore = standIn(failure, Local, 'LocalStorageSessionStore', 'localStorage');
  return {
    MemorySessionStore,
    LocalStorageSessionStore,
    SessionStorageSessionStore: standIn(failure, Session, 'SessionStorageSessionStore', 'sessionStorage'),
    createSessionStore: failure === undefined ? create
      : () => (readableLocalStorage() ? new LocalStorageSessionStore() : new MemorySessionStore()),
  };
}
