// Contract item 7: the localStorage layout and the exact calls made on the Storage object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalStorageSessionStore, T0, session, stubLocalStorage } from './support.mjs';

const walletmeshEntry = (data, expiresAt) => JSON.stringify({ data, expiresAt });

test('7. a set is exactly one setItem of prefix + id with the JSON text of {data, expiresAt}', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const storage = stubLocalStorage(t);
  await new LocalStorageSessionStore({ lifetime: 1000 }).set('test-id', session);
  assert.deepEqual(storage.calls, [['setItem', 'wm_session_test-id', JSON.stringify({ data: session, expiresAt: T0 + 1000 })]]);
});

test('7. a custom prefix replaces wm_session_', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore({ prefix: 'dapp/' });
  await store.set('a', session);
  assert.deepEqual(storage.entries().map(([key]) => key), ['dapp/a']);
  assert.deepEqual(await store.get('a'), session);
});

test('7. a delete is exactly one removeItem', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_a', walletmeshEntry(session)]]);
  await new LocalStorageSessionStore().delete('a');
  assert.deepEqual(storage.calls, [['removeItem', 'wm_session_a']]);
});

test('7. entries written by @walletmesh/router are read, with or without expiresAt, null meaning none', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  stubLocalStorage(t, [
    ['wm_session_timed', walletmeshEntry(session, T0 + 1)],
    ['wm_session_forever', walletmeshEntry(session)],
    ['wm_session_null', JSON.stringify({ data: session, expiresAt: null })],
  ]);
  const store = new LocalStorageSessionStore();
  for (const id of ['timed', 'forever', 'null']) assert.deepEqual(await store.get(id), session, id);
  assert.equal((await store.getAll()).size, 3);
  assert.equal(await store.cleanExpired(), 0);
});

test('7. a refresh rewrites the entry keeping fields it does not know', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const storage = stubLocalStorage(t, [['wm_session_a', JSON.stringify({ data: session, expiresAt: T0 + 5, note: 'kept' })]]);
  await new LocalStorageSessionStore({ lifetime: 1000, refreshOnAccess: true }).get('a');
  assert.deepEqual(JSON.parse(storage.peek('wm_session_a')), { data: session, expiresAt: T0 + 1000, note: 'kept' });
});

test('7. getAll and cleanExpired walk key(0..length-1) in order, then getItem each of their entries once, in order', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const entries = [
    ['wm_session_1', walletmeshEntry(session, T0 + 1000)],
    ['other_key', 'not json at all'],
    ['wm_session_2', walletmeshEntry(session, T0 - 1000)],
    ['wm_session_3', walletmeshEntry(session)],
  ];
  const walk = [['length'], ['key', 0], ['key', 1], ['key', 2], ['key', 3], ['getItem', 'wm_session_1'], ['getItem', 'wm_session_2'], ['getItem', 'wm_session_3']];

  const forGetAll = stubLocalStorage(t, entries);
  assert.deepEqual([...(await new LocalStorageSessionStore().getAll()).keys()], ['1', '3']);
  assert.deepEqual(forGetAll.calls, [...walk, ['removeItem', 'wm_session_2']]);

  const forClean = stubLocalStorage(t, entries);
  assert.equal(await new LocalStorageSessionStore().cleanExpired(), 1);
  assert.deepEqual(forClean.calls, [...walk, ['removeItem', 'wm_session_2']]);
});

test('7. clear walks the keys and removes this store\'s without reading their values', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_1', 'x'], ['other_key', 'y'], ['wm_session_2', 'z']]);
  await new LocalStorageSessionStore().clear();
  assert.deepEqual(storage.calls, [
    ['length'], ['key', 0], ['key', 1], ['key', 2],
    ['removeItem', 'wm_session_1'], ['removeItem', 'wm_session_2'],
  ]);
});

test('7. removing while walking never skips an entry', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const expired = (id) => [`wm_session_${id}`, walletmeshEntry(session, T0 - 1)];
  const storage = stubLocalStorage(t, [expired('a'), expired('b'), expired('c'), ['wm_session_live', walletmeshEntry(session)]]);
  assert.deepEqual([...(await new LocalStorageSessionStore().getAll()).keys()], ['live']);
  assert.deepEqual(storage.entries().map(([key]) => key), ['wm_session_live']);
});

test('7. no key without the prefix is ever read, written or removed, and no auxiliary key is created', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const storage = stubLocalStorage(t, [['wm_sessionX', 'x'], ['other', 'y']]);
  const store = new LocalStorageSessionStore({ lifetime: 10, refreshOnAccess: true });
  await store.set('a', session);
  await store.get('a');
  await store.getAll();
  now += 100;
  await store.cleanExpired();
  await store.set('b', session);
  await store.clear();
  const touched = storage.calls.filter(([name]) => !['length', 'key'].includes(name)).map(([, key]) => key);
  assert.ok(touched.every((key) => key.startsWith('wm_session_')), JSON.stringify(touched));
  assert.deepEqual(storage.entries(), [['wm_sessionX', 'x'], ['other', 'y']]);
});
