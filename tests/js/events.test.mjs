// Issue items: subscribe (this instance's changes), kind, createSessionStore — in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { LocalStorageSessionStore, MemorySessionStore, T0, eachStore, packagePath, session, stubLocalStorage } from './support.mjs';

const { createSessionStore } = createRequire(import.meta.url)(packagePath);
const settle = () => new Promise((done) => setImmediate(done));

test('subscribe hears set, delete and clear made by this instance, after the call returns', async (t) => {
  for (const { kind, store } of eachStore(t)) {
    const heard = [];
    store.subscribe((event) => heard.push(event));
    const setting = store.set('a', session);
    assert.deepEqual(heard, [], `${kind}: not during the call`);
    await setting;
    await store.delete('a');
    await store.clear();
    await settle();
    assert.deepEqual(heard, [{ type: 'set', sessionId: 'a', data: session }, { type: 'delete', sessionId: 'a' }, { type: 'clear' }], kind);
  }
});

test('the memory store hands listeners the very data it was given', async () => {
  const store = new MemorySessionStore();
  const heard = [];
  store.subscribe((event) => heard.push(event));
  await store.set('a', session);
  await settle();
  assert.equal(heard[0].data, session);
});

test('removals of expired sessions are heard as expiries, explicit deletes as deletes', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 10 })) {
    await store.set('a', session);
    await store.set('b', session);
    await store.set('c', session, { expiresAt: T0 + 1000 });
    const heard = [];
    store.subscribe((event) => heard.push(event));
    now = T0 + 11;
    assert.equal(await store.get('a'), undefined);
    // With listeners, the expiry timer sweeps after each change: b goes before the next call.
    await store.delete('c');
    assert.equal(await store.cleanExpired(), 0);
    await settle();
    assert.deepEqual(heard, [{ type: 'expire', sessionId: 'a' }, { type: 'expire', sessionId: 'b' }, { type: 'delete', sessionId: 'c' }], kind);
    now = T0;
  }
});

test('a refresh on access is heard as a refresh, not a set', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 10, refreshOnAccess: true })) {
    await store.set('a', session);
    const heard = [];
    store.subscribe((event) => heard.push(event));
    now = T0 + 5;
    assert.deepEqual(await store.get('a'), session);
    assert.deepEqual(await store.validateAndRefresh('a'), session);
    await store.validateAndRefresh('missing');
    await settle();
    assert.deepEqual(heard, [{ type: 'refresh', sessionId: 'a' }, { type: 'refresh', sessionId: 'a' }], kind);
    now = T0;
  }
});

test('unsubscribe stops a listener; calling it twice is harmless', async () => {
  const store = new MemorySessionStore();
  const first = [];
  const second = [];
  const stopFirst = store.subscribe((event) => first.push(event.type));
  store.subscribe((event) => second.push(event.type));
  await store.set('a', 1);
  await settle();
  stopFirst();
  stopFirst();
  await store.delete('a');
  await settle();
  assert.deepEqual(first, ['set']);
  assert.deepEqual(second, ['set', 'delete']);
});

test('a listener may call the store, and a throwing listener stops neither the store nor the others', async (t) => {
  const reported = [];
  t.mock.method(console, 'error', (error) => reported.push(error.message));
  const store = new MemorySessionStore();
  const seen = [];
  store.subscribe(() => { throw new Error('listener broke'); });
  store.subscribe(async (event) => seen.push([event.type, (await store.getAll()).size]));
  await store.set('a', 1);
  await settle();
  assert.deepEqual(seen, [['set', 1]]);
  assert.deepEqual(reported, ['listener broke']);
  assert.equal(await store.get('a'), 1);
});

test('subscribe refuses a non-function with INVALID_LISTENER', () => {
  for (const bad of [undefined, null, 'fn', {}]) {
    assert.throws(() => new MemorySessionStore().subscribe(bad), (e) => e.code === 'INVALID_LISTENER');
  }
});

test('a refused listener leaves the store\'s other listeners hearing', async () => {
  const store = new MemorySessionStore();
  const heard = [];
  store.subscribe((event) => heard.push(event.type));
  assert.throws(() => store.subscribe(5), (e) => e.code === 'INVALID_LISTENER');
  await store.set('a', session);
  await settle();
  assert.deepEqual(heard, ['set']);
});

test('failed operations are not heard', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  const heard = [];
  store.subscribe((event) => heard.push(event));
  t.mock.method(storage, 'setItem', () => { throw new Error('broken'); });
  await store.set('a', session).catch(() => {});
  await store.set(42, session).catch(() => {});
  await settle();
  assert.deepEqual(heard, []);
});

test('createSessionStore: localStorage where it can be read, memory otherwise; kind says which', (t) => {
  assert.equal(createSessionStore().kind, 'memory', 'Node has no localStorage');
  stubLocalStorage(t);
  assert.equal(createSessionStore({ lifetime: 1000 }).kind, 'localStorage');
  Object.defineProperty(globalThis, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  assert.equal(createSessionStore().kind, 'memory');
  delete globalThis.localStorage;
  assert.throws(() => createSessionStore({ lifetime: -1 }), (e) => e.code === 'INVALID_CONFIG');
});
