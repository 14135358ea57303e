// Makes the module's instance from the bytes this file carries (as hex, which gzip compresses to
// within 9 % of the binary, where base64 costs 31 %). Synchronous on purpose: the classes work
// straight after `import`, with no init call and no top-level `await`, and a bad config still
// throws from the constructor. No `fetch`, no file path, nothing a bundler must know to copy.

/**
 * Instantiates the module from its bytes as hex, or from a compiled `WebAssembly.Module` (the
 * Workers entry imports its `.wasm`); returns what stopped it, or `undefined` when it runs.
 */
export function instantiate(initSync, source) {
  try {
    initSync({ module: typeof source === 'string' ? decodeHex(source) : source });
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
 * with `MODULE_UNAVAILABLE`, and `free` does nothing. Getters named by symbols are left out.
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
    if (key === 'constructor' || typeof value !== 'function') continue;
    // Methods named by the package's own symbols are its plumbing (`migrateSessions` reads a store's prefix): they throw.
    StandIn.prototype[key] = key === 'free' || key === Symbol.dispose ? () => {}
      : SYNCHRONOUS.has(key) || typeof key === 'symbol' ? () => { throw unavailable(failure); }
        : () => Promise.reject(unavailable(failure));
  }
  return StandIn;
}

/** The function itself when the module runs; otherwise one that throws `MODULE_UNAVAILABLE`. */
export function standInFunction(failure, fn) {
  return failure === undefined ? fn : () => { throw unavailable(failure); };
}
