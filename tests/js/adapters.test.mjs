// Stores and the manager over storage adapters that misbehave: each failure gets its code, nothing
// stored is lost, and the store keeps working. Also: configs, data captured at call time, free()
// with calls queued, the manager's whole lifecycle over a slow adapter, and the built-in adapters
// where Node lacks what they need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { jitteryAdapter, mapAdapter } from '../conformance/backends.mjs';
import { T0, packagePath, rejectsWithCode, session } from './support.mjs';

const { AdapterSessionStore, IndexedDbSessionStore, ExtensionSessionStore, SessionManager, createSessionStore, MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore } =
  createRequire(import.meta.url)(packagePath);
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test('a config without a whole adapter, or with a bad timeout, throws INVALID_CONFIG', () => {
  const invalid = (make) => assert.throws(make, (e) => e.code === 'INVALID_CONFIG');
  invalid(() => new AdapterSessionStore());
  invalid(() => new AdapterSessionStore({ storage: 'localStorage' }));
  invalid(() => new AdapterSessionStore({ storage: { getItem() {}, setItem() {}, removeItem() {} } }));
  for (const timeout of [0, -1, 1.5, NaN, 2 ** 31, 1e308, -Infinity, '1000']) {
    invalid(() => new AdapterSessionStore({ storage: mapAdapter(), timeout }));
    invalid(() => new SessionManager({ storage: mapAdapter(), timeout }));
  }
  invalid(() => new AdapterSessionStore({ storage: mapAdapter(), prefix: '' }));
  invalid(() => new SessionManager({ storage: { getItem() {} } }));
  assert.equal(createSessionStore({ storage: mapAdapter() }).kind, 'adapter');
});

test('a store with a storage of its own refuses a storage adapter with INVALID_CONFIG instead of ignoring it', () => {
  for (const Store of [MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore]) {
    assert.throws(() => new Store({ storage: mapAdapter() }), (e) => e.code === 'INVALID_CONFIG' && /AdapterSessionStore/.test(e.message), Store.name);
    assert.throws(() => new Store({ get storage() { throw new Error('no'); } }), (e) => e.code === 'INVALID_CONFIG');
  }
  assert.equal(new MemorySessionStore({ storage: undefined }).kind, 'memory');
});

test('an adapter that throws or rejects gives STORAGE_ERROR without its message; nothing stored is lost; the next call works', async () => {
  const adapter = mapAdapter();
  const store = new AdapterSessionStore({ storage: adapter });
  await store.set('a', session);
  for (const method of ['getItem', 'setItem', 'removeItem', 'keys']) {
    for (const fail of [() => { throw new Error('secret-key-1234'); }, () => Promise.reject(new TypeError('secret-key-1234'))]) {
      const real = adapter[method];
      adapter[method] = fail;
      const call = { getItem: () => store.get('a'), setItem: () => store.set('a', { id: 'x', origin: 'o' }), removeItem: () => store.delete('a'), keys: () => store.getAll() }[method];
      const error = await rejectsWithCode(call(), 'STORAGE_ERROR');
      assert.match(error.message, new RegExp(method));
      assert.doesNotMatch(error.message, /secret/);
      adapter[method] = real;
      assert.deepEqual(await store.get('a'), session, `after ${method} failed`);
    }
  }
});

test('a non-string value is STORAGE_ERROR, corrupt text CORRUPT_ENTRY, a non-array key list STORAGE_ERROR', async () => {
  const adapter = mapAdapter();
  const store = new AdapterSessionStore({ storage: adapter, prefix: 'p:' });
  await store.set('good', session);
  adapter.map.set('p:number', 42);
  await rejectsWithCode(store.get('number'), 'STORAGE_ERROR');
  adapter.map.set('p:object', { data: session });
  await rejectsWithCode(store.get('object'), 'STORAGE_ERROR');
  adapter.map.delete('p:number');
  adapter.map.delete('p:object');
  adapter.map.set('p:corrupt', '{"data":');
  await rejectsWithCode(store.get('corrupt'), 'CORRUPT_ENTRY');
  assert.deepEqual([...await store.getAll()], [['good', session]]);
  const keys = adapter.keys;
  adapter.keys = () => 'p:good';
  await rejectsWithCode(store.getAll(), 'STORAGE_ERROR');
  adapter.keys = keys;
  assert.equal(await store.cleanExpired(), 1, 'the corrupt entry');
  assert.deepEqual(await store.get('good'), session);
});

test('a call that never settles rejects STORAGE_TIMEOUT after the timeout, and the calls queued behind it run', async () => {
  const adapter = mapAdapter();
  const store = new AdapterSessionStore({ storage: adapter, timeout: 50 });
  await store.set('a', session);
  const getItem = adapter.getItem;
  adapter.getItem = () => new Promise(() => {});
  const started = Date.now();
  const stuck = store.get('a');
  const behind = store.set('b', session);
  await rejectsWithCode(stuck, 'STORAGE_TIMEOUT');
  assert.ok(Date.now() - started >= 45, 'not before the timeout');
  await behind;
  adapter.getItem = getItem;
  assert.deepEqual([await store.get('a'), await store.get('b')], [session, session]);
});

test('timeout: Infinity waits for a slow adapter with no timer, and the largest timeout setTimeout keeps does not fire at once', async () => {
  const adapter = mapAdapter();
  const getItem = adapter.getItem;
  adapter.getItem = (key) => new Promise((resolve) => setTimeout(() => resolve(getItem.call(adapter, key)), 30));
  for (const timeout of [Infinity, 2 ** 31 - 1]) {
    const store = new AdapterSessionStore({ storage: adapter, timeout });
    await store.set('a', session);
    assert.deepEqual(await store.get('a'), session, String(timeout));
  }
  const manager = new SessionManager({ storage: adapter, timeout: Infinity });
  const { token } = await manager.create({ userId: 'u' });
  assert.equal((await manager.validate(token)).valid, true);
});

test('a full adapter: the store removes its expired sessions and tries once more; still full, QUOTA_EXCEEDED keeps the old value', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const adapter = mapAdapter();
  const setItem = adapter.setItem;
  adapter.setItem = (key, value) => {
    if (!adapter.map.has(key) && adapter.map.size >= 2) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    return setItem(key, value);
  };
  const store = new AdapterSessionStore({ storage: adapter, lifetime: 1000 });
  await store.set('old', session);
  now += 600;
  await store.set('live', session);
  now += 500;
  await store.set('new', session);
  assert.deepEqual([...(await store.getAll()).keys()].sort(), ['live', 'new'], 'the expired one made room');
  await rejectsWithCode(store.set('more', session), 'QUOTA_EXCEEDED');
  assert.deepEqual([...(await store.getAll()).keys()].sort(), ['live', 'new'], 'nothing lost');
});

test('an adapter\'s own STORAGE_UNAVAILABLE passes through; IndexedDB and extension storage are unavailable in Node', async () => {
  const denied = mapAdapter();
  denied.getItem = () => { throw Object.assign(new Error('denied'), { code: 'STORAGE_UNAVAILABLE' }); };
  await rejectsWithCode(new AdapterSessionStore({ storage: denied }).get('a'), 'STORAGE_UNAVAILABLE');
  for (const store of [new IndexedDbSessionStore(), new ExtensionSessionStore()]) {
    await rejectsWithCode(store.set('a', session), 'STORAGE_UNAVAILABLE');
    await rejectsWithCode(store.getAll(), 'STORAGE_UNAVAILABLE');
  }
});

test('set keeps the data as it was when called, though the call runs later', async () => {
  const store = new AdapterSessionStore({ storage: jitteryAdapter(3) });
  const data = { id: 'a', origin: 'before' };
  const heard = [];
  store.subscribe((event) => heard.push(event));
  const stored = store.set('a', data);
  data.origin = 'after';
  await stored;
  assert.deepEqual(await store.get('a'), { id: 'a', origin: 'before' });
  await settle();
  assert.deepEqual(heard.map((event) => event.type), ['set']);
});

test('a write that fails is never announced; free() with calls queued rejects them FREED, with nothing left pending', async () => {
  const adapter = jitteryAdapter(2);
  const store = new AdapterSessionStore({ storage: adapter });
  const heard = [];
  store.subscribe((event) => heard.push(event.type));
  const setItem = adapter.setItem;
  adapter.setItem = () => Promise.reject(new Error('down'));
  await rejectsWithCode(store.set('a', session), 'STORAGE_ERROR');
  adapter.setItem = setItem;
  await store.set('b', session);
  await settle();
  assert.deepEqual(heard, ['set'], 'only the write that landed');
  const queued = [store.set('c', session), store.get('b'), store.getAll()];
  store.free();
  for (const call of queued) await rejectsWithCode(call, 'FREED');
  assert.equal(adapter.map.has('wm_session_c'), false);
});

test('the manager over a slow adapter: create, validate, refresh, destroy, list, destroy all, clean; un-awaited calls in order', async () => {
  const adapter = jitteryAdapter(3);
  const manager = new SessionManager({ storage: adapter, prefix: 'token:', inactivityTimeout: 60_000 });
  const alice = await manager.create({ userId: 'alice', metadata: { device: 'laptop' } });
  const phone = await manager.create({ userId: 'alice' });
  await manager.create({ userId: 'bob' });
  assert.equal(adapter.map.has(`token:${alice.tokenHash}`), true, 'stored under its token hash');
  assert.equal([...adapter.map.values()].some((text) => text.includes(alice.token)), false, 'no token stored');
  // Un-awaited: the validate after the refresh sees the rotation.
  const [before, rotated, old] = [manager.validate(alice.token), manager.refresh(alice.token), manager.validate(alice.token)];
  assert.equal((await before).valid, true);
  const next = await rotated;
  assert.equal((await old).error, 'invalid_token');
  assert.equal((await manager.validate(next.token)).session.metadata.device, 'laptop');
  assert.deepEqual((await manager.listForUser('alice')).map((s) => s.id).sort(), [alice.id, phone.id].sort());
  await manager.destroy(phone.id);
  assert.equal((await manager.validate(phone.token)).error, 'session_revoked');
  assert.equal(await manager.cleanExpired(), 0, 'nothing has expired');
  await manager.destroyAllForUser('alice');
  assert.deepEqual(await manager.listForUser('alice'), []);
  assert.equal((await manager.listForUser('bob')).length, 1);
  await rejectsWithCode(manager.refresh(alice.token), 'SESSION_NOT_FOUND');
});

test('stores over one adapter that names its channel hear each other (BroadcastChannel); without a channel, or after free(), they do not', async () => {
  const until = async (check) => {
    for (let wait = 0; wait < 100 && !check(); wait++) await settle();
  };
  const map = new Map();
  const channel = `shared map ${Math.random()}`;
  const [a, b, c] = [1, 2, 3].map(() => new AdapterSessionStore({ storage: { ...mapAdapter(map), channel }, lifetime: 60_000 }));
  const unnamed = new AdapterSessionStore({ storage: mapAdapter(map), lifetime: 60_000 });
  const heard = { b: [], unnamed: [] };
  b.subscribe((event) => heard.b.push(event));
  unnamed.subscribe((event) => heard.unnamed.push(event));
  await a.set('x', session);
  await a.delete('x');
  await unnamed.set('y', session);
  await until(() => heard.b.length >= 2);
  assert.deepEqual(heard.b, [{ type: 'set', sessionId: 'x', data: session }, { type: 'delete', sessionId: 'x' }]);
  assert.deepEqual(heard.unnamed, [{ type: 'set', sessionId: 'y', data: session }], 'only its own');
  b.free();
  await c.set('z', session);
  await settle();
  assert.equal(heard.b.length, 2, 'nothing after free()');
  a.free();
  c.free();
  unnamed.free();
});

test('an adapter with watch (a storage with change events of its own): other writers heard as what they did, the store\'s own writes once', async () => {
  const until = async (check) => {
    for (let wait = 0; wait < 100 && !check(); wait++) await settle();
  };
  const map = new Map();
  const watchers = new Set();
  // Like chrome.storage.onChanged: every change, whoever made it, reported a moment later.
  const report = (key, oldValue, newValue) => setTimeout(() => watchers.forEach((listener) => listener(key, oldValue, newValue)), 1);
  const watched = {
    ...mapAdapter(map),
    setItem: (key, value) => { const old = map.get(key); map.set(key, value); if (old !== value) report(key, old, value); },
    removeItem: (key) => { const old = map.get(key); if (map.delete(key)) report(key, old, undefined); },
    watch: (listener) => (watchers.add(listener), () => watchers.delete(listener)),
  };
  const mine = new AdapterSessionStore({ storage: watched, lifetime: 60_000 });
  const theirs = new AdapterSessionStore({ storage: watched, lifetime: 60_000 });
  const heard = [];
  mine.subscribe((event) => heard.push(event));
  await mine.set('own', session);
  await theirs.set('x', session);
  await theirs.delete('x');
  watched.setItem('wm_session_raw', JSON.stringify({ data: 1, expiresAt: T0 }));
  watched.removeItem('wm_session_raw');
  await until(() => heard.length >= 5);
  await settle();
  assert.deepEqual(heard, [
    { type: 'set', sessionId: 'own', data: session },
    { type: 'set', sessionId: 'x', data: session },
    { type: 'delete', sessionId: 'x' },
    { type: 'set', sessionId: 'raw', data: 1 },
    { type: 'expire', sessionId: 'raw' },
  ]);
  mine.free();
  assert.equal(watchers.size, 0, 'free() stops watching');
  theirs.free();
});

test('another writer\'s removal is an expire only past the session\'s end as the store\'s policy decides it, its absolute lifetime included', async () => {
  const map = new Map();
  const watchers = new Set();
  const watched = {
    ...mapAdapter(map),
    removeItem: (key) => { const old = map.get(key); if (map.delete(key)) setTimeout(() => watchers.forEach((listener) => listener(key, old, undefined)), 1); },
    watch: (listener) => (watchers.add(listener), () => watchers.delete(listener)),
  };
  const store = new AdapterSessionStore({ storage: watched, lifetime: 60_000, absoluteLifetime: 120_000 });
  const heard = [];
  store.subscribe((event) => heard.push(event));
  const now = Date.now();
  map.set('wm_session_capped', JSON.stringify({ data: 1, expiresAt: now + 60_000, createdAt: now - 200_000 }));
  map.set('wm_session_live', JSON.stringify({ data: 2, expiresAt: now + 60_000, createdAt: now }));
  watched.removeItem('wm_session_capped');
  watched.removeItem('wm_session_live');
  for (let wait = 0; wait < 100 && heard.length < 2; wait++) await settle();
  assert.deepEqual(heard, [{ type: 'expire', sessionId: 'capped' }, { type: 'delete', sessionId: 'live' }]);
  store.free();
});

test('a foreign message on a store\'s BroadcastChannel is ignored: no uncaught error, and the store goes on hearing the others', async () => {
  const map = new Map();
  const channel = `foreign ${Math.random()}`;
  const [mine, theirs] = [1, 2].map(() => new AdapterSessionStore({ storage: { ...mapAdapter(map), channel } }));
  const heard = [];
  mine.subscribe((event) => heard.push(event));
  const intruder = new BroadcastChannel(`wasm-session-store ${JSON.stringify([channel, 'wm_session_'])}`);
  for (const message of [null, {}, [null], [{ type: 'set' }], [{ type: 'nonsense', sessionId: 'a' }], 'text', 42]) intruder.postMessage(message);
  await settle();
  await theirs.set('a', session);
  for (let wait = 0; wait < 100 && heard.length < 1; wait++) await settle();
  assert.deepEqual(heard, [{ type: 'set', sessionId: 'a', data: session }]);
  intruder.close();
  mine.free();
  theirs.free();
});

test('a set whose data structured clone refuses (a method, a symbol) lands and resolves; other tabs hear what was stored', async () => {
  const map = new Map();
  const channel = `clone ${Math.random()}`;
  const [mine, theirs] = [1, 2].map(() => new AdapterSessionStore({ storage: { ...mapAdapter(map), channel } }));
  const heard = [];
  theirs.subscribe((event) => heard.push(event));
  const data = { ...session, sign() { return 'secret-source-text'; }, tag: Symbol('s'), cache: new WeakMap() };
  assert.equal(await mine.set('a', data), undefined, 'the landed set resolves');
  for (let wait = 0; wait < 100 && heard.length < 1; wait++) await settle();
  assert.deepEqual(heard, [{ type: 'set', sessionId: 'a', data: { ...session, cache: {} } }], 'what JSON stored, as another tab reads it');
  assert.deepEqual(await theirs.get('a'), { ...session, cache: {} });
  mine.free();
  theirs.free();
});

test('a store whose adapter has watch keeps a bounded record of its own writes: 20,000 overwrites of 1 KB keep under 4 MB, subscribed or not', () => {
  const fixture = fileURLToPath(new URL('fixtures/own-writes.mjs', import.meta.url));
  const grown = JSON.parse(execFileSync(process.execPath, ['--expose-gc', fixture, packagePath], { encoding: 'utf8' }));
  assert.ok(grown.unsubscribed < 4e6, `without listeners nothing is recorded: ${grown.unsubscribed} bytes`);
  assert.ok(grown.subscribed < 4e6, `watching, at most the last writes: ${grown.subscribed} bytes`);
});

test('100,000 sessions over an adapter: every listing and sweep of a store and a manager takes seconds at most and never holds the event loop 200 ms', () => {
  const fixture = fileURLToPath(new URL('fixtures/large-listing.mjs', import.meta.url));
  const results = JSON.parse(execFileSync(process.execPath, [fixture, packagePath, '100000'], { encoding: 'utf8' }));
  assert.deepEqual(Object.fromEntries(Object.entries(results).map(([name, { result }]) => [name, result])), {
    getAll: 50_000, cleanExpired: 0, clear: null, listForUser: 1_000, destroyAllForUser: null, managerCleanExpired: 25_000,
  });
  for (const [name, { ms, heldMs }] of Object.entries(results)) {
    assert.ok(ms < 5_000, `${name} took ${ms} ms`);
    assert.ok(heldMs < 200, `${name} held the event loop ${heldMs} ms`);
  }
});

test('after free(), a store and a manager over an adapter reject FREED at once and never call the adapter', async () => {
  const calls = [];
  const adapter = mapAdapter();
  const counted = Object.fromEntries(['getItem', 'setItem', 'removeItem', 'keys'].map((name) => [name, (...args) => (calls.push(name), adapter[name](...args))]));
  // An adapter that never answers once freed would make a queued call wait for the whole timeout.
  const store = new AdapterSessionStore({ storage: counted, timeout: 60_000 });
  const manager = new SessionManager({ storage: counted, timeout: 60_000 });
  store.free();
  manager.free();
  calls.length = 0;
  const started = Date.now();
  for (const call of [store.get('a'), store.set('a', session), store.getAll(), store.cleanExpired(), manager.validate('t'), manager.create({ userId: 'u' }), manager.cleanExpired()]) {
    await rejectsWithCode(call, 'FREED');
  }
  assert.deepEqual(calls, [], 'no adapter call after free()');
  assert.ok(Date.now() - started < 1_000, 'at once');
});

test('an adapter error whose code or name getter throws, and a keys answer that is a throwing Proxy, are STORAGE_ERROR without the adapter\'s text', async () => {
  const hostile = { get code() { throw new Error('secret-code'); }, get name() { throw new Error('secret-name'); } };
  const adapter = mapAdapter();
  const throwing = { ...adapter, getItem: () => { throw hostile; }, keys: () => new Proxy([], { get() { throw new Error('secret-proxy'); } }) };
  const store = new AdapterSessionStore({ storage: throwing });
  for (const call of [store.get('a'), store.getAll()]) {
    const error = await rejectsWithCode(call, 'STORAGE_ERROR');
    assert.doesNotMatch(error.message, /secret/);
  }
  const named = { ...adapter, getItem: () => { throw Object.assign(new Error('x'), { name: 'secret text with spaces' }); } };
  const error = await rejectsWithCode(new AdapterSessionStore({ storage: named }).get('a'), 'STORAGE_ERROR');
  assert.doesNotMatch(error.message, /secret/, 'an error name that is no class name is not shown');
  assert.deepEqual(await new AdapterSessionStore({ storage: adapter }).get('a'), undefined, 'the adapter still works for another store');
});

test('a call lands whole or not at all: a write that fails takes the call\'s earlier writes back', async () => {
  const adapter = mapAdapter();
  let failOn;
  const writes = { n: 0 };
  const flaky = {
    ...adapter,
    setItem: (key, value) => { if (++writes.n === failOn) throw new Error('down'); adapter.setItem(key, value); },
    removeItem: (key) => { if (++writes.n === failOn) throw new Error('down'); adapter.removeItem(key); },
  };
  // The manager's refresh writes the rotated session, then the old token's forward.
  const manager = new SessionManager({ storage: flaky });
  const { token, id } = await manager.create({ userId: 'u' });
  const before = new Map(adapter.map);
  writes.n = 0;
  failOn = 2;
  await rejectsWithCode(manager.refresh(token), 'STORAGE_ERROR');
  assert.deepEqual(new Map(adapter.map), before, 'storage as it was');
  assert.equal((await manager.validate(token)).session.id, id, 'the old token still works');
  // A store's clear removes each session: the third removal fails, the first two come back.
  const store = new AdapterSessionStore({ storage: flaky, prefix: 'x:' });
  failOn = undefined;
  for (const name of ['a', 'b', 'c', 'd']) await store.set(name, session);
  const stored = new Map(adapter.map);
  writes.n = 0;
  failOn = 3;
  await rejectsWithCode(store.clear(), 'STORAGE_ERROR');
  assert.deepEqual(new Map(adapter.map), stored);
  assert.equal((await store.getAll()).size, 4);
  failOn = undefined;
  manager.free();
  store.free();
});

/** A map with `commit`: lands a call's writes at once if its reads still hold; `interfere` runs just before each check. */
function committingAdapter(interfere) {
  const map = new Map();
  let commits = 0;
  return {
    getItem: (key) => map.get(key) ?? null,
    keys: (prefix) => [...map.keys()].filter((key) => key.startsWith(prefix)),
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    commit: (writes, read) => {
      commits += 1;
      interfere(map);
      for (const [key, text] of read) if ((map.get(key) ?? null) !== text) return false;
      for (const [key, text] of writes) (text === null ? map.delete(key) : map.set(key, text));
      return true;
    },
    map,
    get commits() {
      return commits;
    },
  };
}

test('a committing adapter (Redis\'s shape): a call whose reads another process changed runs again on fresh reads; 64 conflicts in a row reject STORAGE_CONFLICT', async () => {
  // Another process's refresh lands between this manager's read and its commit, once.
  let pending;
  const adapter = committingAdapter((map) => {
    if (pending) map.set(...pending);
    pending = undefined;
  });
  const manager = new SessionManager({ storage: adapter, prefix: 't:' });
  const other = new SessionManager({ storage: adapter, prefix: 't:' });
  const { token } = await manager.create({ userId: 'ann' });
  const [key] = adapter.map.keys();
  const live = adapter.map.get(key);
  const theirs = await other.refresh(token); // lands: the entry is now a forward
  pending = [key, adapter.map.get(key)];
  adapter.map.set(key, live); // undone for a moment: this manager reads the live entry...
  const mine = await manager.refresh(token); // ...its commit finds the forward and runs again
  assert.equal(mine.token, theirs.token, 'the second run follows the forward: one rotation');
  assert.equal((await manager.listForUser('ann')).length, 1);
  manager.free();
  other.free();

  // A storage where every entry changes under every call.
  let busyNow = false;
  const busy = committingAdapter((map) => {
    if (!busyNow) return;
    for (const [k, text] of map) map.set(k, JSON.stringify({ ...JSON.parse(text), expiresAt: JSON.parse(text).expiresAt + 1 }));
  });
  const contested = new SessionManager({ storage: busy, prefix: 't:' });
  const { token: busyToken } = await contested.create({ userId: 'bo' });
  busyNow = true;
  const commits = busy.commits;
  await rejectsWithCode(contested.refresh(busyToken), 'STORAGE_CONFLICT');
  assert.equal(busy.commits - commits, 65, 'the first run and 64 more');
  busyNow = false;
  assert.notEqual((await contested.refresh(busyToken)).token, busyToken, 'once the storage is calm, the token rotates');
  contested.free();
});
