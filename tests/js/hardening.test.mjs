// Defects an adversarial review proved, each pinned: binding checks on refresh, free() with a
// delivery pending, process aborts, traps and re-entry, lossy strings, records that disagree with
// their key, clock jumps in the manager, the empty prefix, metadata by reference, error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LocalStorageSessionStore, MemorySessionStore, T0, packagePath, rejectsWithCode, session, stubLocalStorage } from './support.mjs';

const { SessionManager, SessionStorageSessionStore, hashToken } = createRequire(import.meta.url)(packagePath);
const fixture = (name) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const runNode = (args) => execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const settle = () => new Promise((done) => setImmediate(done));
const METHODS = [['set', 'a', session], ['get', 'a'], ['validateAndRefresh', 'a'], ['getAll'], ['delete', 'a'], ['clear'], ['cleanExpired']];

test('refresh applies the user-agent binding: a stolen token rotates nothing and learns nothing', async () => {
  const manager = new SessionManager({ bindToUserAgent: true });
  const victim = { userAgent: 'Victim/1.0 (secret build 4711)' };
  const { token } = await manager.create({ userId: 'alice', userAgent: victim.userAgent });
  for (const context of [undefined, {}, { userAgent: 'Attacker/2.0' }]) {
    const error = await rejectsWithCode(manager.refresh(token, context), 'USER_AGENT_MISMATCH');
    assert.ok(!JSON.stringify({ message: error.message, ...error }).includes('4711'), 'nothing says what the binding needs');
  }
  assert.equal((await manager.validate(token, victim)).valid, true, 'the victim is still logged in');
  const rotated = await manager.refresh(token, victim);
  assert.equal((await manager.validate(rotated.token, victim)).valid, true);
  assert.equal((await manager.validate(token, victim)).error, 'invalid_token');
});

test('free() with a delivery pending drops it silently; the process ends cleanly', () => {
  assert.equal(runNode([fixture('free-pending.mjs'), packagePath]).trim(), 'heard 0');
});

test('calls on a freed store or manager reject with FREED; subscribe throws it; free twice is harmless', async (t) => {
  stubLocalStorage(t);
  for (const Store of [MemorySessionStore, LocalStorageSessionStore, SessionStorageSessionStore]) {
    const store = new Store();
    store.free();
    store.free();
    for (const [method, ...args] of METHODS) await rejectsWithCode(store[method](...args), 'FREED');
    assert.throws(() => store.subscribe(() => {}), (e) => e.code === 'FREED');
    assert.equal(store.kind.length > 0, true);
  }
  const manager = new SessionManager();
  manager[Symbol.dispose]();
  await rejectsWithCode(manager.create({ userId: 'a' }), 'FREED');
  await rejectsWithCode(manager.validate('t'), 'FREED');
  await rejectsWithCode(manager.listForUser('a'), 'FREED');
});

test('400,000 un-awaited set() calls in one loop end normally (Node 20 aborted in its deoptimizer)', () => {
  assert.equal(runNode([fixture('unawaited-sets.mjs'), packagePath]).trim(), '400000');
});

test('a 1 GiB string anywhere a caller can put one is refused with a code or handled, and nothing breaks', () => {
  const results = JSON.parse(runNode(['--max-old-space-size=8000', fixture('huge-strings.mjs'), packagePath]));
  assert.deepEqual(results, {
    storePrefix: 'INVALID_CONFIG', managerPrefix: 'INVALID_CONFIG', managerStorage: 'INVALID_CONFIG',
    hashToken: 'INVALID_OPTIONS', localId: 'INVALID_SESSION_ID', data: 'DATA_NOT_SERIALIZABLE', memoryId: 1,
    validate: 'invalid_token', refresh: 'SESSION_NOT_FOUND', destroy: 'resolved', userId: 'DATA_NOT_SERIALIZABLE', list: 0,
    lifetime: 'INVALID_CONFIG', storedKey: [0, 0], userAgent: ['DATA_NOT_SERIALIZABLE', 'user_agent_mismatch'],
    after: 'o', afterManager: true, everyConfigField: ['INVALID_CONFIG'], afterOthers: [1, 2],
  });
});

test('a memory store holds at most 2^23 sessions: the next new one is refused QUOTA_EXCEEDED after a sweep, and a delete makes room', () => {
  const results = JSON.parse(runNode(['--max-old-space-size=8192', fixture('memory-limit.mjs'), packagePath]));
  assert.deepEqual(results, {
    afterSweep: 'resolved', swept: 3, full: 'QUOTA_EXCEEDED', overwrite: 'resolved', read: 'new',
    afterDelete: 'resolved', fullAgain: 'QUOTA_EXCEEDED', churned: 200_000, fresh: 1, afterFree: 'FREED',
  });
});

test('a call re-entering the store from a Storage method, toJSON or Date.now rejects REENTRANT_CALL; the outer call completes', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore({ lifetime: 1000 });
  await store.set('a', session);
  const inner = [];
  const getItem = storage.getItem.bind(storage);
  storage.getItem = (key) => { inner.push(store.get('a')); return getItem(key); };
  assert.deepEqual(await store.get('a'), session);
  await rejectsWithCode(inner[0], 'REENTRANT_CALL');
  delete storage.getItem;

  const data = { id: 'b', origin: 'o', toJSON() { inner.push(store.set('c', session)); return { id: 'b', origin: 'o' }; } };
  await store.set('b', data);
  await rejectsWithCode(inner[1], 'REENTRANT_CALL');
  assert.deepEqual(await store.get('b'), { id: 'b', origin: 'o' });

  const memory = new MemorySessionStore({ lifetime: 1000 });
  const now = Date.now;
  t.mock.method(Date, 'now', () => { inner.push(memory.getAll()); return now(); });
  await memory.set('a', 1);
  t.mock.restoreAll();
  await rejectsWithCode(inner[2], 'REENTRANT_CALL');
  assert.equal(await memory.get('a'), 1, 'the store still works');
  assert.equal(await store.cleanExpired(), 0);

  // Resolving with an object reads its `then`: a getter there runs while the call settles.
  const thenable = { get then() { inner.push(memory.delete('a')); return undefined; } };
  await memory.set('t', thenable);
  assert.equal(await memory.get('t'), thenable);
  await rejectsWithCode(inner[3], 'REENTRANT_CALL');
  assert.equal(await memory.get('a'), 1, 'the inner delete did not run');
});

test('a call re-entering the manager from metadata toJSON, a Storage method or Date.now rejects REENTRANT_CALL; the outer call completes', async (t) => {
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage' });
  const inner = [];
  const metadata = { toJSON() { inner.push(manager.listForUser('a')); return { plan: 'pro' }; } };
  const { token } = await manager.create({ userId: 'a', metadata });
  await rejectsWithCode(inner[0], 'REENTRANT_CALL');

  storage.getItem = (key) => { inner.push(manager.destroyAllForUser('a')); return Object.getPrototypeOf(storage).getItem.call(storage, key); };
  assert.equal((await manager.validate(token)).valid, true);
  delete storage.getItem;
  await rejectsWithCode(inner[1], 'REENTRANT_CALL');

  const now = Date.now;
  t.mock.method(Date, 'now', () => { inner.push(manager.create({ userId: 'b' })); return now(); });
  const rotated = await manager.refresh(token);
  t.mock.restoreAll();
  await rejectsWithCode(inner[2], 'REENTRANT_CALL');
  const [listed] = await manager.listForUser('a');
  assert.deepEqual([listed.metadata, (await manager.validate(rotated.token)).valid], [{ plan: 'pro' }, true], 'the manager still works');
  assert.deepEqual(await manager.listForUser('b'), []);
});

test('every Storage method re-entering the store (setItem, removeItem, key, length) rejects REENTRANT_CALL; the outer call completes', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore({ lifetime: 60_000 });
  await store.set('a', session);
  const reentered = [];
  const reenter = () => reentered.push(store.getAll());
  const cases = [
    ['setItem', () => store.set('b', session)],
    ['removeItem', () => store.delete('b')],
    ['key', () => store.getAll()],
    ['length', () => store.cleanExpired()],
  ];
  for (const [method, call] of cases) {
    const proto = Object.getPrototypeOf(storage);
    if (method === 'length') {
      const { get } = Object.getOwnPropertyDescriptor(proto, 'length');
      Object.defineProperty(storage, 'length', { configurable: true, get() { reenter(); return get.call(this); } });
    } else {
      storage[method] = (...args) => { reenter(); return proto[method].apply(storage, args); };
    }
    await call();
    delete storage[method];
    assert.ok(reentered.length > 0, `${method} was called`);
    for (const inner of reentered.splice(0)) await rejectsWithCode(inner, 'REENTRANT_CALL');
  }
  assert.deepEqual([...(await store.getAll()).keys()], ['a'], 'each outer call completed');
});

test('getters on create options and on validate/refresh contexts re-entering the manager reject REENTRANT_CALL', async () => {
  const manager = new SessionManager({ bindToUserAgent: true });
  const inner = [];
  const options = { get userId() { inner.push(manager.listForUser('a')); return 'a'; }, userAgent: 'Wallet/1' };
  const { token } = await manager.create(options);
  const context = { get userAgent() { inner.push(manager.destroyAllForUser('a')); return 'Wallet/1'; } };
  assert.equal((await manager.validate(token, context)).valid, true);
  const rotated = await manager.refresh(token, context);
  assert.ok(inner.length >= 3, 'every getter ran');
  for (const call of inner) await rejectsWithCode(call, 'REENTRANT_CALL');
  assert.equal((await manager.validate(rotated.token, { userAgent: 'Wallet/1' })).valid, true, 'the manager still works');
  assert.equal((await manager.listForUser('a')).length, 1);
});

test('free() from inside a running call takes effect when that call returns', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  await store.set('a', session);
  const getItem = storage.getItem.bind(storage);
  storage.getItem = (key) => { store.free(); return getItem(key); };
  assert.deepEqual(await store.get('a'), session);
  await rejectsWithCode(store.get('a'), 'FREED');
});

test('add/removeEventListener re-entering subscribe and unsubscribe do not trap, and the store keeps working', async (t) => {
  stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  const attached = new Set();
  let reenterAdd = true;
  let reenterRemove = true;
  const heard = [];
  let stopInner;
  globalThis.addEventListener = (type, handler) => {
    attached.add(handler);
    if (reenterAdd) { reenterAdd = false; stopInner = store.subscribe((change) => heard.push(['inner', change.type])); }
  };
  globalThis.removeEventListener = (type, handler) => {
    attached.delete(handler);
    if (reenterRemove) { reenterRemove = false; store.subscribe((change) => heard.push(['late', change.type])); }
  };
  t.after(() => { delete globalThis.addEventListener; delete globalThis.removeEventListener; });
  const stop = store.subscribe((change) => heard.push(['outer', change.type]));
  assert.equal(attached.size, 1, 'one storage listener for the store, though subscribe re-entered from addEventListener');
  await store.set('a', session);
  await settle();
  const who = heard.map(([name]) => name);
  assert.ok(who.includes('inner') && who.includes('outer'), 'the listener subscribed from addEventListener hears too');
  stop();
  stopInner();
  assert.equal(attached.size, 1, 'the listener subscribed from removeEventListener is attached');
  heard.length = 0;
  await store.set('b', session);
  await settle();
  assert.deepEqual(heard.map(([who]) => who), ['late']);
  assert.deepEqual(await store.get('a'), session);
});

test('user ids and prefixes with lone surrogate halves stay exact and distinct', async (t) => {
  const manager = new SessionManager();
  const mine = await manager.create({ userId: 'user\uDBFF' });
  const theirs = await manager.create({ userId: 'user\uDBFE' });
  assert.deepEqual((await manager.listForUser('user\uDBFF')).map((s) => s.id), [mine.id]);
  assert.equal((await manager.listForUser('user\uDBFF'))[0].userId, 'user\uDBFF');
  await manager.destroyAllForUser('user\uDBFF');
  assert.equal((await manager.validate(theirs.token)).valid, true, 'the other user keeps the session');
  assert.equal((await manager.validate(mine.token)).error, 'invalid_token');

  const storage = stubLocalStorage(t);
  const a = new LocalStorageSessionStore({ prefix: 'p\uD800' });
  const b = new LocalStorageSessionStore({ prefix: 'p\uD801' });
  await a.set('x', { id: 'a', origin: 'o' });
  await b.set('x', { id: 'b', origin: 'o' });
  assert.deepEqual(storage.entries().map(([key]) => key), ['p\uD800x', 'p\uD801x']);
  await a.clear();
  assert.deepEqual(await b.get('x'), { id: 'b', origin: 'o' });

  const agents = new SessionManager({ bindToUserAgent: true });
  const bound = await agents.create({ userId: 'u', userAgent: 'agent\uD800' });
  assert.equal((await agents.validate(bound.token, { userAgent: 'agent\uD801' })).error, 'user_agent_mismatch');
  assert.equal((await agents.validate(bound.token, { userAgent: 'agent\uD800' })).valid, true);
});

test('an entry whose record names another token hash is corrupt: it redirects no write and cleanup removes it', async (t) => {
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage' });
  const alice = await manager.create({ userId: 'alice' });
  const mallory = await manager.create({ userId: 'mallory' });
  // Mallory copies Alice's entry over her own key.
  storage.setItem(`session:${mallory.tokenHash}`, storage.peek(`session:${alice.tokenHash}`));
  assert.equal((await manager.validate(mallory.token)).error, 'invalid_token');
  await rejectsWithCode(manager.refresh(mallory.token), 'CORRUPT_ENTRY');
  assert.equal((await manager.listForUser('alice')).length, 1);
  await manager.destroy(alice.id);
  assert.equal(JSON.parse(storage.peek(`session:${mallory.tokenHash}`)).data.revokedAt, undefined, 'the copy was not written');
  await manager.destroyAllForUser('alice');
  assert.ok(storage.peek(`session:${mallory.tokenHash}`), 'the copy redirected no removal');
  assert.equal(await manager.cleanExpired(), 1);
  assert.deepEqual(storage.entries(), []);
});

test('a session created with the clock a year ahead lives its absolute timeout from the correction, not a year', async (t) => {
  let now = T0 + 365 * 86_400_000;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager({ absoluteTimeout: 60_000, defaultExpiresIn: 30 * 86_400_000 });
  const { token } = await manager.create({ userId: 'a' });
  now = T0;
  assert.deepEqual((await manager.validate(token)).session.createdAt, new Date(T0));
  now = T0 + 60_000;
  assert.equal((await manager.validate(token)).valid, true);
  now = T0 + 60_001;
  assert.equal((await manager.validate(token)).error, 'session_expired');
});

test('a rotation forward written with the clock a year ahead ends its grace from the correction: the old token then opens nothing', async (t) => {
  let now = T0 + 365 * 86_400_000;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager({ rotationGrace: 30_000 });
  const { token } = await manager.create({ userId: 'a' });
  const rotated = await manager.refresh(token);
  now = T0;
  assert.equal((await manager.refresh(token)).token, rotated.token, 'within the grace from the correction');
  now = T0 + 30_001;
  await rejectsWithCode(manager.refresh(token), 'SESSION_NOT_FOUND');
  assert.equal(await manager.cleanExpired(), 1, 'cleanup takes the forward');
  assert.equal((await manager.validate(rotated.token)).valid, true);
});

test('the empty prefix is refused with INVALID_CONFIG by every store and the manager', () => {
  for (const make of [() => new MemorySessionStore({ prefix: '' }), () => new LocalStorageSessionStore({ prefix: '' }), () => new SessionManager({ prefix: '' })]) {
    assert.throws(make, (e) => e.code === 'INVALID_CONFIG' && /prefix must not be empty/.test(e.message));
  }
});

test('metadata is copied in and out: mutating what create was given or what listForUser returned changes nothing', async () => {
  const manager = new SessionManager();
  const metadata = { wallet: '0xabc', chains: ['eip155:1'] };
  const { token } = await manager.create({ userId: 'a', metadata });
  metadata.wallet = '0xevil';
  metadata.chains.push('eip155:666');
  const [listed] = await manager.listForUser('a');
  assert.deepEqual(listed.metadata, { wallet: '0xabc', chains: ['eip155:1'] });
  listed.metadata.wallet = '0xevil';
  assert.deepEqual((await manager.validate(token)).session.metadata, { wallet: '0xabc', chains: ['eip155:1'] });
  const cycle = {};
  cycle.self = cycle;
  await rejectsWithCode(manager.create({ userId: 'a', metadata: cycle }), 'INVALID_OPTIONS');
  await rejectsWithCode(manager.create({ userId: 'a', metadata: { n: 1n } }), 'INVALID_OPTIONS');
});

test('every thrown or rejected code is SCREAMING_SNAKE; validate results keep their documented strings', async (t) => {
  stubLocalStorage(t);
  const codes = new Set();
  const collect = async (p) => { try { await p(); } catch (e) { codes.add(e.code); } };
  const manager = new SessionManager();
  const store = new MemorySessionStore();
  await collect(() => new MemorySessionStore({ lifetime: -1 }));
  await collect(() => store.set(1, session));
  await collect(() => store.subscribe(5));
  await collect(() => new LocalStorageSessionStore().set('a', { n: 1n }));
  await collect(() => manager.create({}));
  await collect(() => manager.refresh('nope'));
  await collect(() => hashToken(5));
  const revoked = await manager.create({ userId: 'a', expiresIn: 1 });
  await manager.destroy(revoked.id);
  await collect(() => manager.refresh(revoked.token));
  assert.deepEqual([...codes].sort(), ['DATA_NOT_SERIALIZABLE', 'INVALID_CONFIG', 'INVALID_LISTENER', 'INVALID_OPTIONS', 'INVALID_SESSION_ID', 'SESSION_NOT_FOUND', 'SESSION_REVOKED']);
  assert.equal((await manager.validate(revoked.token)).error, 'session_revoked');
  await settle();
});
