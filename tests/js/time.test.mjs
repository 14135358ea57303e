// Contract items 1–3 and 6: time comes from Date.now() at each operation; lifetime, the inclusive
// expiry boundary, and the absolute lifetime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LocalStorageSessionStore, MemorySessionStore, T0, eachStore, session, spyDateNow, stubLocalStorage,
} from './support.mjs';

test('1. fake timers (a mocked global Date) control expiry', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: T0 });
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    await store.set('a', session);
    t.mock.timers.tick(1000);
    assert.deepEqual(await store.get('a'), session, kind);
    t.mock.timers.tick(1);
    assert.equal(await store.get('a'), undefined, kind);
    t.mock.timers.setTime(T0);
  }
});

test('1. set reads Date.now() exactly once, with or without a lifetime', async (t) => {
  for (const config of [undefined, { lifetime: 1000 }, { lifetime: 1000, absoluteLifetime: 5000 }]) {
    for (const { kind, store } of eachStore(t, config)) {
      const spy = spyDateNow(t, T0);
      await store.set('a', session);
      assert.equal(spy.reads, 1, `${kind} ${JSON.stringify(config)}`);
      t.mock.restoreAll();
    }
  }
});

test('1. each set takes the next Date.now() value, as vi.spyOn(...).mockReturnValueOnce sequences expect', async (t) => {
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    spyDateNow(t, T0 + 600, T0, T0, T0, T0 - 500);
    await store.set('session1', session);
    await store.set('session2', { ...session, id: '2' });
    await store.set('session4', { ...session, id: '4' });
    await store.set('session3', { ...session, id: '3' });
    const all = await store.getAll();
    assert.deepEqual([...all.keys()].sort(), ['session1', 'session2', 'session4'], kind);
    t.mock.restoreAll();
  }
});

test('1. time is read at each operation, never cached, and never from performance.now()', async (t) => {
  t.mock.method(performance, 'now', () => { throw new Error('performance.now must not be used'); });
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    now = T0;
    await store.set('a', session);
    now = T0 + 5000;
    assert.equal(await store.validateAndRefresh('a'), undefined, kind);
  }
});

test('2. without a lifetime (absent or 0) sessions never expire and no expiresAt is stored', async (t) => {
  for (const config of [undefined, {}, { lifetime: 0 }]) {
    const storage = stubLocalStorage(t);
    const stores = [new MemorySessionStore(config), new LocalStorageSessionStore(config)];
    spyDateNow(t, T0);
    for (const store of stores) await store.set('a', session);
    assert.equal(storage.peek('wm_session_a'), JSON.stringify({ data: session }));
    t.mock.restoreAll();
    spyDateNow(t, T0 + 1e12);
    for (const store of stores) assert.deepEqual(await store.get('a'), session);
    t.mock.restoreAll();
  }
});

test('2. set stores expiresAt = now + lifetime, and every set resets it', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore({ lifetime: 1000 });
  spyDateNow(t, T0 + 800, T0);
  await store.set('a', session);
  assert.equal(JSON.parse(storage.peek('wm_session_a')).expiresAt, T0 + 1000);
  await store.set('a', session);
  assert.equal(JSON.parse(storage.peek('wm_session_a')).expiresAt, T0 + 1800);

  const memory = new MemorySessionStore({ lifetime: 1000 });
  t.mock.restoreAll();
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  await memory.set('a', session);
  now = T0 + 800;
  await memory.set('a', session);
  now = T0 + 1700;
  assert.deepEqual(await memory.get('a'), session, 'the second set moved the expiry');
});

test('3. a session is still valid at exactly expiresAt and expired one millisecond later', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    now = T0;
    await store.set('a', session);
    now = T0 + 1000;
    assert.deepEqual(await store.validateAndRefresh('a'), session, kind);
    now = T0 + 1001;
    assert.equal(await store.validateAndRefresh('a'), undefined, kind);
  }
});

test('6. absoluteLifetime ends a session at createdAt + absoluteLifetime, refreshes included', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const config = { lifetime: 1000, refreshOnAccess: true, absoluteLifetime: 2500 };
  for (const { kind, store, storage } of eachStore(t, config)) {
    now = T0;
    await store.set('a', session);
    for (const at of [T0 + 900, T0 + 1800]) {
      now = at;
      assert.deepEqual(await store.get('a'), session, `${kind} refreshed at ${at - T0}`);
    }
    if (storage) {
      const stored = JSON.parse(storage.peek('wm_session_a'));
      assert.equal(stored.createdAt, T0, 'refreshes never move createdAt');
      assert.equal(stored.expiresAt, T0 + 2500, 'the refresh was capped at the absolute deadline');
    }
    now = T0 + 2500;
    assert.deepEqual(await store.get('a'), session, `${kind} valid at the deadline`);
    now = T0 + 2501;
    assert.equal(await store.get('a'), undefined, `${kind} gone after the deadline`);
  }
});

test('6. a set starts the absolute lifetime anew', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const config = { lifetime: 1000, refreshOnAccess: true, absoluteLifetime: 1500 };
  for (const { kind, store, storage } of eachStore(t, config)) {
    now = T0;
    await store.set('a', session);
    now = T0 + 1000;
    await store.set('a', session);
    if (storage) assert.equal(JSON.parse(storage.peek('wm_session_a')).createdAt, T0 + 1000);
    now = T0 + 1900;
    assert.deepEqual(await store.get('a'), session, kind);
  }
});

test('6. the constructor throws an Error with code INVALID_CONFIG for bad values', () => {
  const bad = [
    { lifetime: '1000' }, { lifetime: NaN }, { lifetime: Infinity }, { lifetime: -1 },
    { absoluteLifetime: 'soon' }, { absoluteLifetime: -Infinity }, { absoluteLifetime: -5 },
    { lifetime: 1000, absoluteLifetime: 999 }, { refreshOnAccess: 'yes' }, { prefix: 42 }, 'config',
  ];
  for (const Store of [MemorySessionStore, LocalStorageSessionStore]) {
    for (const config of bad) {
      assert.throws(() => new Store(config), (e) => e instanceof Error && e.code === 'INVALID_CONFIG', JSON.stringify(config));
    }
    for (const config of [{ lifetime: 1000, absoluteLifetime: 0 }, { lifetime: 1000, absoluteLifetime: 1000 }, { absoluteLifetime: 10 }, null]) {
      assert.doesNotThrow(() => new Store(config), JSON.stringify(config));
    }
  }
});

test('decisions asked once per millisecond stay each store\'s own: two policies in the same millisecond, set and refreshed alike or not', async (t) => {
  const storage = stubLocalStorage(t);
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const short = new LocalStorageSessionStore({ prefix: 's:', lifetime: 1000, refreshOnAccess: true });
  const long = new LocalStorageSessionStore({ prefix: 'l:', lifetime: 5000, refreshOnAccess: true });
  const capped = new MemorySessionStore({ lifetime: 1000, refreshOnAccess: true, absoluteLifetime: 1500 });
  const plain = new MemorySessionStore({ lifetime: 1000, refreshOnAccess: true });
  await short.set('a', session);
  await long.set('a', session);
  await short.set('b', session);
  const expiry = (key) => JSON.parse(storage.getItem(key)).expiresAt;
  assert.deepEqual([expiry('s:a'), expiry('l:a'), expiry('s:b')], [T0 + 1000, T0 + 5000, T0 + 1000]);
  for (const store of [capped, plain]) for (const id of ['x', 'y']) await store.set(id, session);
  now = T0 + 900;
  assert.equal((await capped.getAll()).size, 2);
  assert.equal((await plain.getAll()).size, 2);
  now = T0 + 1800;
  // Refreshed at T0 + 900: the plain store's sessions to T0 + 1900, the capped one's to its cap, T0 + 1500.
  assert.deepEqual([...(await plain.getAll()).keys()], ['x', 'y']);
  assert.deepEqual([...(await capped.getAll()).keys()], []);
  now = T0 + 3801;
  assert.deepEqual([...(await plain.getAll()).keys()], [], 'refreshed at T0 + 1800 to T0 + 2800, gone after it');
});
