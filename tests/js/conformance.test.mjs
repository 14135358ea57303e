// The one conformance suite (tests/conformance/suite.mjs) in Node: the memory store, the
// localStorage store over a Storage double, stores over a synchronous and a slow, jittery adapter,
// and the extension store over a double of an extension's storage area without `getKeys` (older
// browsers). The browser backends run it in tests/browser/conformance.test.mjs.
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { cases } from '../conformance/suite.mjs';
import { adapterBackend, jitteryAdapter, mapAdapter } from '../conformance/backends.mjs';
import { RecordingStorage, packagePath } from './support.mjs';

const { MemorySessionStore, LocalStorageSessionStore, AdapterSessionStore, ExtensionSessionStore, createSessionStore } =
  createRequire(import.meta.url)(packagePath);
const storage = new RecordingStorage();

/** `chrome.storage.local` as Firefox and Chrome before 130 have it: promises, no `getKeys`. */
function extensionArea(items = new Map()) {
  return {
    items,
    get: async (key) => (key === null ? Object.fromEntries(items) : items.has(key) ? { [key]: items.get(key) } : {}),
    set: async (entries) => { for (const [key, value] of Object.entries(entries)) items.set(key, value); },
    remove: async (key) => void items.delete(key),
  };
}
const area = extensionArea();

const backends = [
  { name: 'memory', make: (config) => new MemorySessionStore(config), persistent: false },
  {
    name: 'localStorage (a Storage double)',
    make: (config) => new LocalStorageSessionStore(config),
    raw: { get: async (key) => storage.peek(key) ?? null, set: async (key, value) => storage.setItem(key, value) },
  },
  adapterBackend('adapter, synchronous', (config) => new AdapterSessionStore(config), mapAdapter()),
  adapterBackend('adapter, 0-3 ms jitter', (config) => new AdapterSessionStore(config), jitteryAdapter(3)),
  adapterBackend('createSessionStore({ storage })', createSessionStore, mapAdapter()),
  {
    name: 'extension storage (a double without getKeys)',
    make: (config) => new ExtensionSessionStore({ ...config, area }),
    raw: { get: async (key) => area.items.get(key) ?? null, set: async (key, value) => void area.items.set(key, value) },
  },
];

for (const backend of backends) {
  let n = 0;
  for (const [name, run] of cases) {
    const prefix = `conf${n++}:`;
    test(`${backend.name}: ${name}`, async (t) => {
      globalThis.localStorage = storage;
      t.after(() => delete globalThis.localStorage);
      const skipped = await run(backend, prefix);
      if (skipped) t.skip(skipped);
    });
  }
}
