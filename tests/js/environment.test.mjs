// Contract item 8: localStorage is looked up on globalThis at every call; its absence rejects
// every method with the exact @walletmesh/router message, and never throws at import or construction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  LocalStorageSessionStore, SessionStorageSessionStore, packagePath, rejectsWithCode, session, stubLocalStorage,
} from './support.mjs';

const everyMethod = (store) => [
  store.set('a', session), store.get('a'), store.getAll(), store.delete('a'),
  store.clear(), store.validateAndRefresh('a'), store.cleanExpired(),
];

test('8. importing the package and constructing stores never throws where there is no Web Storage', () => {
  const script = `
    const m = require(${JSON.stringify(packagePath)});
    if (typeof localStorage !== 'undefined') throw new Error('expected no localStorage');
    new m.LocalStorageSessionStore(); new m.SessionStorageSessionStore(); new m.MemorySessionStore();
    console.log('constructed');`;
  assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim(), 'constructed');
});

test('8. without localStorage every method rejects with the exact message and code STORAGE_UNAVAILABLE', async () => {
  assert.equal(globalThis.localStorage, undefined);
  for (const promise of everyMethod(new LocalStorageSessionStore())) {
    const error = await rejectsWithCode(promise, 'STORAGE_UNAVAILABLE');
    assert.equal(error.message, 'LocalStorage is not available in this environment');
  }
  globalThis.localStorage = undefined;
  await rejectsWithCode(new LocalStorageSessionStore().get('a'), 'STORAGE_UNAVAILABLE');
  delete globalThis.localStorage;
});

test('8. a localStorage getter that throws (blocked storage) rejects with STORAGE_UNAVAILABLE', async (t) => {
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });
  t.after(() => delete globalThis.localStorage);
  for (const promise of everyMethod(new LocalStorageSessionStore())) await rejectsWithCode(promise, 'STORAGE_UNAVAILABLE');
});

test('8. the store finds localStorage at call time: installed after construction, and swapped between calls', async (t) => {
  const store = new LocalStorageSessionStore();
  const first = stubLocalStorage(t);
  await store.set('a', session);
  const second = stubLocalStorage(t);
  await store.set('b', session);
  assert.deepEqual(first.entries().map(([key]) => key), ['wm_session_a']);
  assert.deepEqual(second.entries().map(([key]) => key), ['wm_session_b']);
  assert.equal(await store.get('a'), undefined, 'reads go to the current object');
});

test('8. any object with getItem/setItem/removeItem/key/length serves, such as a polyfill', async (t) => {
  const items = {};
  globalThis.localStorage = {
    getItem: (k) => (k in items ? items[k] : null),
    setItem: (k, v) => { items[k] = v; },
    removeItem: (k) => { delete items[k]; },
    key: (i) => Object.keys(items)[i] ?? null,
    get length() { return Object.keys(items).length; },
  };
  t.after(() => delete globalThis.localStorage);
  const store = new LocalStorageSessionStore();
  await store.set('a', session);
  assert.deepEqual([...(await new LocalStorageSessionStore().getAll()).entries()], [['a', session]]);
});

test('8. sessionStorage stores use globalThis.sessionStorage, with the same layout', async (t) => {
  const store = new SessionStorageSessionStore();
  assert.equal(store.kind, 'sessionStorage');
  const error = await rejectsWithCode(store.get('a'), 'STORAGE_UNAVAILABLE');
  assert.equal(error.message, 'SessionStorage is not available in this environment');
  const local = stubLocalStorage(t);
  const sessionArea = stubLocalStorage(t);
  globalThis.localStorage = local;
  globalThis.sessionStorage = sessionArea;
  t.after(() => delete globalThis.sessionStorage);
  await store.set('a', session);
  assert.deepEqual(sessionArea.entries(), [['wm_session_a', JSON.stringify({ data: session })]]);
  assert.deepEqual(local.entries(), []);
});

test('no exported class has a `_` member: not on its prototypes, not on its instances (plumbing is module-private symbols)', () => {
  const exports = createRequire(import.meta.url)(packagePath);
  const underscored = (object) => Object.getOwnPropertyNames(object).filter((name) => name.startsWith('_'));
  let classes = 0;
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function' || !/^[A-Z]/.test(name)) continue;
    classes += 1;
    for (let proto = value.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      assert.deepEqual(underscored(proto), [], `${name}'s prototype chain`);
    }
    const instance = name === 'AdapterSessionStore' ? new value({ storage: { getItem() {}, setItem() {}, removeItem() {}, keys: () => [] } }) : new value();
    assert.deepEqual(underscored(instance), [], `a ${name}`);
    instance.free();
  }
  assert.ok(classes >= 7, 'every store class and the SessionManager');
});

test('every STORAGE_UNAVAILABLE of a Web Storage area has the one message of the error catalogue, lockedLocalStorage\'s too', async () => {
  const { AdapterSessionStore, lockedLocalStorage } = createRequire(import.meta.url)(packagePath);
  const viaAdapter = await rejectsWithCode(new AdapterSessionStore({ storage: lockedLocalStorage() }).get('a'), 'STORAGE_UNAVAILABLE');
  const direct = await rejectsWithCode(new LocalStorageSessionStore().get('a'), 'STORAGE_UNAVAILABLE');
  assert.equal(viaAdapter.message, direct.message);
  assert.equal(direct.message, 'LocalStorage is not available in this environment');
});
