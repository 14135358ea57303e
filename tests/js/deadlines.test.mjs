// Sessions end on time: `set(id, data, { expiresAt })` for a protocol's own expiry, and the expiry
// timer of `subscribe`, which sweeps at the next deadline so that 'expire' is heard without polling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mapAdapter } from '../conformance/backends.mjs';
import { MemorySessionStore, T0, eachStore, packagePath, rejectsWithCode, session } from './support.mjs';

const { AdapterSessionStore } = createRequire(import.meta.url)(packagePath);
const WEEK = 7 * 86_400_000;
const settle = () => new Promise((done) => setImmediate(done));

test('set with expiresAt: the session lives until then whatever the lifetimes, no access moves it, and the entry keeps both times', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store, storage } of eachStore(t, { lifetime: 1000, refreshOnAccess: true, absoluteLifetime: 2000 })) {
    await store.set('wc', session, { expiresAt: T0 + WEEK });
    await store.set('plain', session);
    if (storage) assert.deepEqual(JSON.parse(storage.peek('wm_session_wc')), { data: session, expiresAt: T0 + WEEK, deadline: T0 + WEEK }, kind);
    now = T0 + 500;
    const before = storage?.calls.length;
    assert.deepEqual(await store.get('wc'), session, kind);
    if (storage) assert.deepEqual(storage.calls.slice(before).map(([name]) => name), ['getItem'], `${kind}: no write on access`);
    now = T0 + 5000;
    assert.equal(await store.get('plain'), undefined, kind);
    assert.deepEqual(await store.get('wc'), session, `${kind}: past the store's lifetimes`);
    now = T0 + WEEK;
    assert.deepEqual(await store.get('wc'), session, `${kind}: live at its last millisecond`);
    now = T0 + WEEK + 1;
    assert.equal(await store.get('wc'), undefined, kind);
    now = T0;
  }
});

test('a plain set after one with expiresAt starts the session under the store lifetime again', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const store = new MemorySessionStore({ lifetime: 1000 });
  await store.set('a', session, { expiresAt: T0 + WEEK });
  await store.set('a', session);
  now = T0 + 1001;
  assert.equal(await store.get('a'), undefined);
});

test('an expiresAt that is no finite number rejects INVALID_OPTIONS and stores nothing; a throwing getter too', async (t) => {
  for (const { kind, store } of eachStore(t)) {
    const throwing = { get expiresAt() { throw new Error('secret'); } };
    for (const expiresAt of [NaN, Infinity, '123', null, {}, 10n]) {
      await rejectsWithCode(store.set('a', session, { expiresAt }), 'INVALID_OPTIONS');
    }
    const error = await rejectsWithCode(store.set('a', session, throwing), 'INVALID_OPTIONS');
    assert.doesNotMatch(error.message, /secret/);
    assert.equal(await store.get('a'), undefined, kind);
    for (const options of [undefined, null, {}, { expiresAt: undefined }, 5]) {
      await store.set('a', session, options);
      assert.deepEqual(await store.get('a'), session, `${kind}: ${String(options)}`);
    }
  }
});

test('an adapter store reads expiresAt at call time', async () => {
  const adapter = mapAdapter();
  const store = new AdapterSessionStore({ storage: adapter, lifetime: 1000 });
  const options = { expiresAt: T0 + WEEK };
  const setting = store.set('a', session, options);
  options.expiresAt = 1;
  await setting;
  assert.equal(JSON.parse(adapter.map.get('wm_session_a')).deadline, T0 + WEEK);
  await rejectsWithCode(store.set('b', session, { expiresAt: 'soon' }), 'INVALID_OPTIONS');
  store.free();
});

test('subscribe: the expiry timer sweeps at the next deadline, so listeners hear expire with no call made', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    await store.set('a', session);
    await store.set('b', session, { expiresAt: T0 + 400 });
    const heard = [];
    store.subscribe((event) => heard.push(event));
    await settle();
    t.mock.timers.tick(400);
    await settle();
    assert.deepEqual(heard, [], `${kind}: live at its last millisecond`);
    t.mock.timers.tick(1);
    await settle();
    assert.deepEqual(heard, [{ type: 'expire', sessionId: 'b' }], kind);
    t.mock.timers.tick(600);
    await settle();
    assert.deepEqual(heard.slice(1), [{ type: 'expire', sessionId: 'a' }], `${kind}: re-armed to the next one`);
    // A set re-arms it too.
    await store.set('c', session, { expiresAt: T0 + 1500 });
    await settle();
    t.mock.timers.tick(500); // the clock is at T0 + 1001: c ends at T0 + 1500
    await settle();
    assert.deepEqual(heard.slice(2), [{ type: 'set', sessionId: 'c', data: session }, { type: 'expire', sessionId: 'c' }], kind);
    store.free();
    t.mock.timers.setTime(T0);
  }
});

test('subscribe: a clock that jumps ahead is noticed within 15 s; with no listener left, or after free(), no timer runs', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  const store = new MemorySessionStore({ lifetime: 3_600_000 });
  await store.set('a', session);
  const heard = [];
  const stop = store.subscribe((event) => heard.push(event.type));
  await settle();
  t.mock.timers.setTime(T0 + 3_600_001); // the wall clock jumps an hour; no time elapses for timers
  await settle();
  assert.deepEqual(heard, []);
  t.mock.timers.tick(15_000);
  await settle();
  assert.deepEqual(heard, ['expire']);

  await store.set('b', session);
  await settle();
  stop();
  t.mock.timers.tick(3_600_001);
  await settle();
  assert.deepEqual(heard, ['expire', 'set'], 'no sweep without listeners');
  assert.equal(await store.cleanExpired(), 1, 'b was left for the next call');
});

test('a pending expiry timer keeps no Node process alive', () => {
  const script = `
    const { MemorySessionStore } = require(${JSON.stringify(packagePath)});
    const store = new MemorySessionStore({ lifetime: 3_600_000 });
    store.subscribe(() => {});
    store.set('a', 1).then(() => console.log('set'));
  `;
  const started = Date.now();
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'set');
  assert.ok(Date.now() - started < 10_000);
});

test('free() clears the pending expiry timer', async (t) => {
  const made = [];
  const cleared = new Set();
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  t.mock.method(globalThis, 'setTimeout', (...args) => {
    const timer = realSetTimeout(...args);
    made.push(timer);
    return timer;
  });
  t.mock.method(globalThis, 'clearTimeout', (timer) => {
    cleared.add(timer);
    realClearTimeout(timer);
  });
  const store = new MemorySessionStore({ lifetime: 3_600_000 });
  store.subscribe(() => {});
  await store.set('a', 1);
  await settle();
  await settle();
  const pending = made.filter((timer) => !cleared.has(timer));
  assert.equal(pending.length, 1, 'one timer to the next deadline');
  store.free();
  assert.ok(cleared.has(pending[0]), 'cleared by free()');
});
