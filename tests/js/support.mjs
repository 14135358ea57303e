// Shared by the contract tests: the built package, a call-recording Storage double, and helpers.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
export const packagePath =
  process.env.SESSION_STORE_PACKAGE ??
  fileURLToPath(new URL('../../pkg/index.cjs', import.meta.url));
export const { MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore } = require(packagePath);

export const T0 = 1_700_000_000_000;
export const session = { id: 'test-session', origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_sendTransaction'] } };

/** A Storage double, as apps stub `localStorage` in their tests: it records every call made on it. */
export class RecordingStorage {
  #items = new Map();
  calls = [];

  constructor(entries = []) {
    for (const [key, value] of entries) this.#items.set(key, value);
  }
  get length() {
    this.calls.push(['length']);
    return this.#items.size;
  }
  key(index) {
    this.calls.push(['key', index]);
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key) {
    this.calls.push(['getItem', key]);
    return this.#items.has(key) ? this.#items.get(key) : null;
  }
  setItem(key, value) {
    this.calls.push(['setItem', key, value]);
    this.#items.set(key, String(value));
  }
  removeItem(key) {
    this.calls.push(['removeItem', key]);
    this.#items.delete(key);
  }
  /** Reads without recording. */
  peek(key) {
    return this.#items.get(key);
  }
  entries() {
    return [...this.#items.entries()];
  }
  callNames() {
    return this.calls.map(([name]) => name);
  }
}

/** Installs a fresh recording double as `globalThis.localStorage` for the rest of the test. */
export function stubLocalStorage(t, entries) {
  const storage = new RecordingStorage(entries);
  globalThis.localStorage = storage;
  t.after(() => delete globalThis.localStorage);
  return storage;
}

/** Fakes `Date.now()` (as `vi.spyOn(Date, 'now')` does): returns the queued values, then `rest`. */
export function spyDateNow(t, rest, ...queued) {
  const spy = { reads: 0 };
  t.mock.method(Date, 'now', () => {
    spy.reads += 1;
    return queued.length ? queued.shift() : rest;
  });
  return spy;
}

/** Asserts the promise rejects with an Error carrying `code`, and returns the error. */
export async function rejectsWithCode(promise, code) {
  assert.ok(promise instanceof Promise, 'a Promise, not a synchronous throw');
  let error;
  await promise.then(() => assert.fail(`expected a rejection with ${code}`), (e) => (error = e));
  assert.ok(error instanceof Error, 'rejects with an Error');
  assert.equal(error.code, code);
  return error;
}

/** Both store kinds over a recording double, for tests that hold for each. */
export function eachStore(t, config) {
  const storage = stubLocalStorage(t);
  return [
    { kind: 'memory', store: new MemorySessionStore(config), storage: null },
    { kind: 'localStorage', store: new LocalStorageSessionStore(config), storage },
  ];
}
