// Contract items 4 and 5: validateAndRefresh / get, getAll, cleanExpired and clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalStorageSessionStore, MemorySessionStore, T0, eachStore, session, stubLocalStorage } from './support.mjs';

const entry = (data, expiresAt) => JSON.stringify({ data, expiresAt });

test('4. a missing session is undefined and touches nothing but getItem', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore({ lifetime: 1000, refreshOnAccess: true });
  assert.equal(await store.validateAndRefresh('nope'), undefined);
  assert.equal(await new MemorySessionStore().validateAndRefresh('nope'), undefined);
  assert.deepEqual(storage.calls, [['getItem', 'wm_session_nope']]);
});

test('4. an expired session is removed and reads as undefined, whatever the store config', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_old', entry(session, T0 - 1000)]]);
  t.mock.method(Date, 'now', () => T0);
  assert.equal(await new LocalStorageSessionStore().validateAndRefresh('old'), undefined);
  assert.deepEqual(storage.calls, [['getItem', 'wm_session_old'], ['removeItem', 'wm_session_old']]);
});

test('4. with refreshOnAccess and lifetime, a live session gets expiresAt = now + lifetime written back', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_a', entry(session, T0 + 500)]]);
  t.mock.method(Date, 'now', () => T0);
  const store = new LocalStorageSessionStore({ lifetime: 1000, refreshOnAccess: true });
  assert.deepEqual(await store.validateAndRefresh('a'), session);
  assert.deepEqual(storage.calls, [
    ['getItem', 'wm_session_a'],
    ['setItem', 'wm_session_a', entry(session, T0 + 1000)],
  ]);
});

test('4. no refresh is written without refreshOnAccess, or without a lifetime', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  for (const config of [{ lifetime: 1000 }, { refreshOnAccess: true }]) {
    const storage = stubLocalStorage(t, [['wm_session_a', entry(session, T0 + 500)]]);
    assert.deepEqual(await new LocalStorageSessionStore(config).validateAndRefresh('a'), session);
    assert.deepEqual(storage.callNames(), ['getItem'], JSON.stringify(config));
  }
});

test('4. get behaves exactly like validateAndRefresh: it refreshes and it removes', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000, refreshOnAccess: true })) {
    now = T0;
    await store.set('a', session);
    now = T0 + 900;
    assert.deepEqual(await store.get('a'), session, kind);
    now = T0 + 1800;
    assert.deepEqual(await store.get('a'), session, `${kind}: get refreshed the expiry`);
    now = T0 + 5000;
    assert.equal(await store.get('a'), undefined, kind);
    now = T0;
    assert.equal(await store.get('a'), undefined, `${kind}: get removed the expired session`);
  }
});

test('5. getAll resolves to a Map of the live sessions and removes the expired ones it meets', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    now = T0 - 500;
    await store.set('old', { ...session, id: 'old' });
    now = T0;
    await store.set('s1', session);
    await store.set('s2', { ...session, id: 's2' });
    now = T0 + 600;
    const all = await store.getAll();
    assert.ok(all instanceof Map, kind);
    assert.deepEqual([...all.entries()], [['s1', session], ['s2', { ...session, id: 's2' }]], kind);
    now = T0 - 1000;
    assert.equal(await store.get('old'), undefined, `${kind}: getAll removed the expired session`);
  }
});

test('5. getAll refreshes each live session when configured', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000, refreshOnAccess: true })) {
    now = T0;
    await store.set('a', session);
    await store.set('b', session);
    now = T0 + 900;
    assert.equal((await store.getAll()).size, 2, kind);
    now = T0 + 1800;
    assert.equal((await store.getAll()).size, 2, `${kind}: both were refreshed`);
  }
});

test('5. cleanExpired removes every expired session and resolves to the count', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    now = T0;
    for (const id of ['s1', 's2', 's3']) await store.set(id, session);
    now = T0 + 1100;
    await store.set('s4', session);
    assert.equal(await store.cleanExpired(), 3, kind);
    assert.deepEqual([...(await store.getAll()).keys()], ['s4'], kind);
    assert.equal(await store.cleanExpired(), 0, kind);
  }
});

test('5. clear removes this store\'s sessions and nothing else', async (t) => {
  const storage = stubLocalStorage(t, [['other_key', 'keep'], ['app:x', entry(session)]]);
  const store = new LocalStorageSessionStore();
  await store.set('a', session);
  await store.set('b', session);
  await store.clear();
  assert.deepEqual(storage.entries(), [['other_key', 'keep'], ['app:x', entry(session)]]);

  const memoryA = new MemorySessionStore();
  const memoryB = new MemorySessionStore();
  await memoryA.set('a', session);
  await memoryB.set('a', session);
  await memoryA.clear();
  assert.equal((await memoryA.getAll()).size, 0);
  assert.deepEqual(await memoryB.get('a'), session, 'another memory store is untouched');
});
