// The SessionManager's JavaScript API, in Node, on the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { packagePath, rejectsWithCode, stubLocalStorage, T0 } from './support.mjs';

const { SessionManager, generateSessionId, hashToken } = createRequire(import.meta.url)(packagePath);
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

test('generateSessionId gives 256 random bits as 43 base64url characters', () => {
  const ids = new Set(Array.from({ length: 200 }, () => generateSessionId()));
  assert.equal(ids.size, 200);
  for (const id of ids) {
    assert.match(id, TOKEN);
    assert.equal(Buffer.from(id, 'base64url').length, 32);
  }
});

test('generateSessionId draws from crypto.getRandomValues', (t) => {
  const calls = [];
  t.mock.method(webcrypto, 'getRandomValues', (array) => { calls.push(array.length); array.fill(0xfb); return array; });
  assert.equal(generateSessionId(), Buffer.alloc(32, 0xfb).toString('base64url'));
  assert.deepEqual(calls, [32]);
});

test('hashToken is the lowercase hex SHA-256 of the UTF-8 bytes, as @dotdo/workers computes it', () => {
  for (const token of ['abc', '', 'é🦊', generateSessionId()]) assert.equal(hashToken(token), sha256(token));
  assert.throws(() => hashToken(42), (e) => e.code === 'INVALID_OPTIONS');
});

test('create returns the token once; what is stored holds only its hash', async (t) => {
  const storage = stubLocalStorage(t);
  t.mock.method(Date, 'now', () => T0);
  const manager = new SessionManager({ storage: 'localStorage' });
  const session = await manager.create({ userId: 'alice', metadata: { wallet: '0xabc' } });
  assert.match(session.token, TOKEN);
  assert.match(session.id, TOKEN);
  assert.equal(session.tokenHash, sha256(session.token));
  assert.deepEqual([session.createdAt, session.expiresAt], [new Date(T0), new Date(T0 + 86_400_000)]);
  const [[key, value]] = storage.entries();
  assert.equal(key, `session:${session.tokenHash}`);
  assert.ok(!value.includes(session.token), 'the token is never stored');
  assert.deepEqual(JSON.parse(value).data.metadata, { wallet: '0xabc' });
});

test('validate: unknown → invalid_token; valid → the session with an empty token', async () => {
  const manager = new SessionManager();
  const created = await manager.create({ userId: 'alice' });
  assert.deepEqual(await manager.validate('nope'), { valid: false, error: 'invalid_token' });
  assert.deepEqual(await manager.validate(42), { valid: false, error: 'invalid_token' });
  const { valid, session } = await manager.validate(created.token);
  assert.equal(valid, true);
  assert.deepEqual(session, { ...created, token: '' });
});

test('refresh rotates: the old token is invalid_token from that moment on', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager({ defaultExpiresIn: 1000 });
  const created = await manager.create({ userId: 'alice' });
  now = T0 + 500;
  const refreshed = await manager.refresh(created.token);
  assert.notEqual(refreshed.token, created.token);
  assert.equal(refreshed.id, created.id);
  assert.deepEqual(refreshed.expiresAt, new Date(T0 + 1500));
  assert.deepEqual(await manager.validate(created.token), { valid: false, error: 'invalid_token' });
  assert.equal((await manager.validate(refreshed.token)).valid, true);
  // Within the rotation grace another refresh of the old token (a racing tab) gets the same rotation.
  now = T0 + 1499;
  assert.equal((await manager.refresh(created.token)).token, refreshed.token);
  now = T0 + 500 + 10_001;
  await rejectsWithCode(manager.refresh(created.token), 'SESSION_NOT_FOUND');
});

test('refresh rejects revoked and expired sessions with their codes', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager();
  const revoked = await manager.create({ userId: 'a' });
  await manager.destroy(revoked.id);
  await rejectsWithCode(manager.refresh(revoked.token), 'SESSION_REVOKED');
  const expired = await manager.create({ userId: 'a', expiresIn: 10 });
  now += 11;
  await rejectsWithCode(manager.refresh(expired.token), 'SESSION_EXPIRED');
});

test('destroy revokes: the session remains and its token validates as session_revoked', async () => {
  const manager = new SessionManager();
  const session = await manager.create({ userId: 'alice' });
  await manager.destroy(session.id);
  assert.deepEqual(await manager.validate(session.token), { valid: false, error: 'session_revoked' });
  assert.deepEqual(await manager.listForUser('alice'), []);
  await rejectsWithCode(manager.destroy(7), 'INVALID_SESSION_ID');
});

test('listForUser returns exactly the user\'s live sessions; destroyAllForUser removes them', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager();
  const keep = await manager.create({ userId: 'alice' });
  const short = await manager.create({ userId: 'alice', expiresIn: 5 });
  await manager.create({ userId: 'bob' });
  assert.deepEqual((await manager.listForUser('alice')).map((s) => s.id), [keep.id, short.id]);
  now += 6;
  const listed = await manager.listForUser('alice');
  assert.deepEqual(listed, [{ ...keep, token: '' }]);
  await manager.destroyAllForUser('alice');
  assert.deepEqual(await manager.listForUser('alice'), []);
  assert.equal((await manager.listForUser('bob')).length, 1);
});

test('sliding sessions slide on validate, capped by absoluteTimeout, and the slide is persisted', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage', absoluteTimeout: 2500 });
  const session = await manager.create({ userId: 'a', expiresIn: 1000, slidingExpiration: true });
  now = T0 + 900;
  assert.deepEqual((await manager.validate(session.token)).session.expiresAt, new Date(T0 + 1900));
  assert.equal(JSON.parse(storage.peek(`session:${session.tokenHash}`)).data.expiresAt, T0 + 1900);
  now = T0 + 1800;
  assert.deepEqual((await manager.validate(session.token)).session.expiresAt, new Date(T0 + 2500));
  now = T0 + 2501;
  assert.deepEqual(await manager.validate(session.token), { valid: false, error: 'session_expired' });
});

test('inactivityTimeout expires a session left unused', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const manager = new SessionManager({ inactivityTimeout: 100 });
  const session = await manager.create({ userId: 'a' });
  now = T0 + 100;
  assert.equal((await manager.validate(session.token)).valid, true);
  now = T0 + 201;
  assert.deepEqual(await manager.validate(session.token), { valid: false, error: 'session_expired' });
});

test('bindToUserAgent: a different or missing user agent is user_agent_mismatch', async () => {
  const manager = new SessionManager({ bindToUserAgent: true });
  const session = await manager.create({ userId: 'a', userAgent: 'Firefox/140' });
  assert.equal(session.boundUserAgent, 'Firefox/140');
  assert.equal((await manager.validate(session.token, { userAgent: 'Firefox/140' })).valid, true);
  assert.deepEqual(await manager.validate(session.token, { userAgent: 'Chrome/150' }), { valid: false, error: 'user_agent_mismatch' });
  assert.deepEqual(await manager.validate(session.token), { valid: false, error: 'user_agent_mismatch' });
});

test('a new manager over the same localStorage finds the sessions of an earlier one', async (t) => {
  stubLocalStorage(t);
  const first = new SessionManager({ storage: 'localStorage' });
  const session = await first.create({ userId: 'alice', metadata: { chain: 'eip155:1' } });
  const second = new SessionManager({ storage: 'localStorage' });
  assert.equal((await second.validate(session.token)).valid, true);
  assert.deepEqual((await second.listForUser('alice')).map((s) => s.metadata), [{ chain: 'eip155:1' }]);
});

test('toPublicSession keeps only id, userId, createdAt, expiresAt and metadata', async () => {
  const manager = new SessionManager();
  const session = await manager.create({ userId: 'a', metadata: { m: 1 } });
  assert.deepEqual(manager.toPublicSession(session), {
    id: session.id, userId: 'a', createdAt: session.createdAt, expiresAt: session.expiresAt, metadata: { m: 1 },
  });
});

test('the constructor refuses bad timeouts with a clear message', () => {
  const cases = [
    [{ inactivityTimeout: -1 }, /inactivityTimeout must be a finite, non-negative number/],
    [{ absoluteTimeout: Infinity }, /absoluteTimeout must be a finite, non-negative number/],
    [{ inactivityTimeout: 1000, absoluteTimeout: 500 }, /absoluteTimeout must be 0 or at least inactivityTimeout/],
    [{ defaultExpiresIn: 0 }, /defaultExpiresIn must be a finite number of milliseconds above 0/],
    [{ storage: 'indexedDB' }, /storage must be/],
  ];
  for (const [config, message] of cases) {
    assert.throws(() => new SessionManager(config), (e) => e.code === 'INVALID_CONFIG' && message.test(e.message), JSON.stringify(config));
  }
});

test('create refuses bad options, storing nothing', async (t) => {
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage' });
  for (const options of [undefined, {}, { userId: 1 }, { userId: 'a', expiresIn: -1 }, { userId: 'a', expiresIn: '1' }, { userId: 'a', metadata: 'x' }, { userId: 'a', slidingExpiration: 1 }]) {
    await rejectsWithCode(manager.create(options), 'INVALID_OPTIONS');
  }
  assert.deepEqual(storage.calls, []);
});

test('no token, token hash or metadata appears in an error message', async (t) => {
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage' });
  const session = await manager.create({ userId: 'a', metadata: { secret: 'hunter2' } });
  t.mock.method(storage, 'setItem', () => { throw new DOMException('full', 'QuotaExceededError'); });
  const errors = [
    await rejectsWithCode(manager.refresh(session.token), 'QUOTA_EXCEEDED'),
    await rejectsWithCode(manager.refresh('x'.repeat(43)), 'SESSION_NOT_FOUND'),
  ];
  for (const error of errors) {
    for (const secret of [session.token, session.tokenHash, 'hunter2']) assert.ok(!error.message.includes(secret));
  }
  assert.equal((await manager.validate(session.token)).valid, true, 'a failed refresh leaves the old token valid');
});

test('a failed rotation leaves exactly the old token working', async (t) => {
  // With a rotation grace the old entry is rewritten as a forward; without one it is removed.
  for (const [rotationGrace, method] of [[undefined, 'setItem'], [0, 'removeItem']]) {
    const storage = stubLocalStorage(t);
    const manager = new SessionManager({ storage: 'localStorage', rotationGrace });
    const session = await manager.create({ userId: 'a' });
    const real = storage[method].bind(storage);
    t.mock.method(storage, method, (key, value) => {
      if (key === `session:${session.tokenHash}`) throw new Error('storage broke');
      real(key, value);
    });
    await rejectsWithCode(manager.refresh(session.token), 'STORAGE_ERROR');
    assert.deepEqual(storage.entries().map(([key]) => key), [`session:${session.tokenHash}`], 'the new entry was undone');
    assert.equal((await manager.validate(session.token)).valid, true);
    t.mock.restoreAll();
  }
});

test('rotationGrace: a number of milliseconds, 0 for none', () => {
  assert.throws(() => new SessionManager({ rotationGrace: -1 }), (e) => e.code === 'INVALID_CONFIG' && /rotationGrace/.test(e.message));
  assert.throws(() => new SessionManager({ rotationGrace: '10s' }), (e) => e.code === 'INVALID_CONFIG');
  new SessionManager({ rotationGrace: 0 }).free();
});

test('a store with the manager\'s prefix can cleanExpired() its dead sessions', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  const storage = stubLocalStorage(t);
  const manager = new SessionManager({ storage: 'localStorage', inactivityTimeout: 100 });
  const live = await manager.create({ userId: 'a' });
  await manager.create({ userId: 'a', expiresIn: 10 });
  await manager.create({ userId: 'b' });
  now = T0 + 50;
  await manager.validate(live.token);
  now = T0 + 120;
  const { LocalStorageSessionStore } = createRequire(import.meta.url)(packagePath);
  assert.equal(await new LocalStorageSessionStore({ prefix: 'session:' }).cleanExpired(), 2, 'one past expiresAt, one idle');
  assert.deepEqual(storage.entries().map(([key]) => key), [`session:${live.tokenHash}`]);
});

test('storage: sessionStorage keeps the sessions in globalThis.sessionStorage', async (t) => {
  const local = stubLocalStorage(t);
  const tab = stubLocalStorage(t);
  globalThis.localStorage = local;
  globalThis.sessionStorage = tab;
  t.after(() => delete globalThis.sessionStorage);
  const session = await new SessionManager({ storage: 'sessionStorage' }).create({ userId: 'a' });
  assert.deepEqual(tab.entries().map(([key]) => key), [`session:${session.tokenHash}`]);
  assert.deepEqual(local.entries(), []);
  assert.equal((await new SessionManager({ storage: 'sessionStorage' }).validate(session.token)).valid, true);
});
