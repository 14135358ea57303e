// Contract items 9 and 10: what values and ids stores accept, and how every method answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LocalStorageSessionStore, MemorySessionStore, RecordingStorage, T0, eachStore, rejectsWithCode, session, stubLocalStorage,
} from './support.mjs';

test('9. the memory store keeps the very value it is given, whatever it is', async () => {
  const store = new MemorySessionStore();
  const data = { ...session, callback: () => 1, big: 10n, when: new Date(0) };
  await store.set('a', data);
  assert.equal(await store.get('a'), data);
  assert.equal((await store.getAll()).get('a'), data);
  for (const value of [undefined, null, 0, 'text', Symbol('s')]) {
    await store.set('v', value);
    assert.equal(await store.get('v'), value);
  }
});

test('9. the localStorage store returns a deep-equal copy of JSON data', async (t) => {
  stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  const data = { ...session, nested: { list: [1, 'two', null, { deep: true }] }, unicode: 'é🦊\u0000' };
  await store.set('a', data);
  const back = await store.get('a');
  assert.deepEqual(back, data);
  assert.notEqual(back, data);
});

test('9. the localStorage store refuses data with no JSON form, writing nothing', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  const cyclic = { ...session };
  cyclic.self = cyclic;
  for (const data of [undefined, () => 1, Symbol('s'), cyclic, { big: 1n }]) {
    await rejectsWithCode(store.set('a', data), 'DATA_NOT_SERIALIZABLE');
  }
  assert.deepEqual(storage.calls, []);
});

test('9. any string is a valid session id, the empty string and __proto__ included', async (t) => {
  for (const { kind, store, storage } of eachStore(t)) {
    const ids = ['', '__proto__', 'constructor', 'é 🦊 \n\t'];
    for (const id of ids) await store.set(id, { ...session, id });
    for (const id of ids) assert.deepEqual(await store.get(id), { ...session, id }, `${kind} ${JSON.stringify(id)}`);
    assert.deepEqual([...(await store.getAll()).keys()], ids, kind);
    if (storage) assert.ok(storage.entries().some(([key]) => key === 'wm_session_'));
    await store.delete('__proto__');
    assert.equal(await store.get('__proto__'), undefined, kind);
    assert.equal((await store.getAll()).size, 3, kind);
  }
});

test('9. a non-string id rejects with INVALID_SESSION_ID and changes nothing', async (t) => {
  for (const { kind, store, storage } of eachStore(t)) {
    await store.set('keep', session);
    if (storage) storage.calls.length = 0;
    for (const id of [undefined, null, 42, {}, ['a'], Symbol('id'), true]) {
      await rejectsWithCode(store.set(id, session), 'INVALID_SESSION_ID');
      await rejectsWithCode(store.get(id), 'INVALID_SESSION_ID');
      await rejectsWithCode(store.validateAndRefresh(id), 'INVALID_SESSION_ID');
      await rejectsWithCode(store.delete(id), 'INVALID_SESSION_ID');
    }
    assert.deepEqual([...(await store.getAll()).keys()], ['keep'], kind);
    if (storage) assert.deepEqual(storage.callNames().filter((n) => !['length', 'key', 'getItem'].includes(n)), [], kind);
  }
});

test('10. every method returns a real Promise', async (t) => {
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    const results = [
      store.set('a', session), store.get('a'), store.getAll(), store.validateAndRefresh('a'),
      store.cleanExpired(), store.delete('a'), store.clear(),
    ];
    for (const result of results) assert.ok(result instanceof Promise, kind);
    assert.deepEqual(await Promise.all(results), [undefined, session, new Map([['a', session]]), session, 0, undefined, undefined]);
  }
});

test('10. the work is done when a method is called, so call order is the order of effects', (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  store.set('a', { n: 1 });
  store.delete('a');
  store.set('a', { n: 2 });
  store.get('a');
  assert.deepEqual(storage.callNames(), ['setItem', 'removeItem', 'setItem', 'getItem'], 'before any await');
  assert.deepEqual(JSON.parse(storage.peek('wm_session_a')).data, { n: 2 });
});

test('10. storage failures become rejections with stable codes, and the store keeps working', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_x', JSON.stringify({ data: session })]]);
  const store = new LocalStorageSessionStore();
  t.mock.method(storage, 'setItem', () => { throw new DOMException('full', 'QuotaExceededError'); });
  await rejectsWithCode(store.set('a', session), 'QUOTA_EXCEEDED');
  t.mock.method(storage, 'setItem', () => { throw new TypeError('broken'); });
  await rejectsWithCode(store.set('a', session), 'STORAGE_ERROR');
  t.mock.method(storage, 'getItem', () => { throw new Error('broken'); });
  await rejectsWithCode(store.get('a'), 'STORAGE_ERROR');
  t.mock.method(storage, 'key', () => { throw new Error('broken'); });
  await rejectsWithCode(store.getAll(), 'STORAGE_ERROR');
  t.mock.restoreAll();
  globalThis.localStorage = new RecordingStorage();
  await store.set('a', session);
  assert.deepEqual(await store.get('a'), session);
});

test('10. a Date.now() that throws or is not a number rejects with CLOCK_UNAVAILABLE, never a trap', async (t) => {
  for (const { store } of eachStore(t, { lifetime: 1000 })) {
    t.mock.method(Date, 'now', () => { throw new Error('clock'); });
    await rejectsWithCode(store.set('a', session), 'CLOCK_UNAVAILABLE');
    t.mock.method(Date, 'now', () => NaN);
    await rejectsWithCode(store.set('a', session), 'CLOCK_UNAVAILABLE');
    t.mock.method(Date, 'now', () => T0);
    await store.set('a', session);
    assert.deepEqual(await store.get('a'), session);
    t.mock.restoreAll();
  }
});

test('10. a corrupt entry rejects get with CORRUPT_ENTRY, is skipped by getAll and removed by cleanExpired', async (t) => {
  const storage = stubLocalStorage(t, [
    ['wm_session_bad', '{not json'],
    ['wm_session_good', JSON.stringify({ data: session })],
  ]);
  const store = new LocalStorageSessionStore();
  await rejectsWithCode(store.get('bad'), 'CORRUPT_ENTRY');
  assert.equal(storage.peek('wm_session_bad'), '{not json', 'left in place');
  assert.deepEqual([...(await store.getAll()).keys()], ['good']);
  assert.equal(await store.cleanExpired(), 1);
  assert.equal(storage.peek('wm_session_bad'), undefined);
});

test('the kind of each store is read-only', () => {
  const store = new MemorySessionStore();
  assert.equal(store.kind, 'memory');
  assert.equal(new LocalStorageSessionStore().kind, 'localStorage');
  assert.throws(() => { 'use strict'; store.kind = 'localStorage'; }, TypeError);
});
