// `globalThis.localStorage` or `globalThis.sessionStorage` as it is at each call, looked up and
// tested in one call from the module instead of three.

/** The area named `name`, or undefined where there is none; reading it throws in sandboxed frames and with site data blocked. */
export function storageArea(name) {
  return globalThis[name] ?? undefined;
}
