// The package's SessionManager over a real Redis (Debian's redis-server, started here on a free
// port and stopped by its pid), from the tarball as a Node server installs it, with node-redis
// from npm: the lifecycle, what Redis holds, one rotation across 8 processes, 8 processes of mixed
// load with a Redis crash and restart in the middle checked against a model, and faults.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { project, root } from '../package/support.mjs';
import { freePort, startRedis } from '../support/redis.mjs';

const PROCESSES = 8;
// Redis refuses a value past this (its floor for proto-max-bulk-len): oversized metadata is tested against it.
const MAX_BULK = '1mb';
let redis;
let dir;
let client;
let sessions;
let redisStorage;

before(async () => {
  redis = await startRedis(['--proto-max-bulk-len', MAX_BULK]);
  dir = project('redis', [], { type: 'module' }, ['redis']);
  cpSync(join(root, 'tests/server/redis/process.mjs'), join(dir, 'process.mjs'));
  sessions = await import(pathToFileURL(join(dir, 'node_modules/wasm-session-store/index.js')));
  ({ redisStorage } = await import(pathToFileURL(join(dir, 'node_modules/wasm-session-store/redis.js'))));
  client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {}); // It reconnects; the tests wait for that (`ready`).
  await client.connect();
});

/** The test's client, connected again after a restart or a dropped connection. */
async function ready() {
  const answers = async () => client.isReady && client.ping().then(() => true, () => false);
  for (let waited = 0; !(await answers()); waited += 20) {
    assert.ok(waited < 10_000, 'the client reconnects');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
after(async () => {
  await client?.close().catch(() => {});
  await redis?.stop();
});

const managerOver = (options = {}) => new sessions.SessionManager({ storage: redisStorage(client), prefix: 'session:', ...options });
const INDEX = 'wasm-session-store:user:';
const BY_ID = 'wasm-session-store:session:';

/** Runs process.mjs in `count` processes at once; resolves to their reports. */
function processes(count, args) {
  return Promise.all(Array.from({ length: count }, (_, at) => new Promise((resolve, reject) => {
    execFile('node', ['process.mjs', ...args(at)], { cwd: dir, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`process ${at}: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  })));
}

/** How many times Redis has run `command` since it started. */
async function calls(command) {
  const stats = await client.info('commandstats');
  return Number(stats.match(new RegExp(`cmdstat_${command}:calls=(\\d+)`))?.[1] ?? 0);
}

test('the manager over Redis: lifecycle, only hashes stored, each key expiring at its deadline, a user index kept with the sessions and read instead of the keyspace', async () => {
  await client.flushAll();
  const manager = managerOver({ rotationGrace: 5_000 });
  const a = await manager.create({ userId: 'alice', metadata: { wallet: '0xabc' } });
  const b = await manager.create({ userId: 'alice' });
  const c = await manager.create({ userId: 'bob' });
  assert.equal((await manager.validate(a.token)).valid, true);

  const key = (token) => `session:${sessions.hashToken(token)}`;
  const keys = (await client.keys('session:*')).sort();
  assert.deepEqual(keys, [a, b, c].map((s) => key(s.token)).sort());
  for (const k of keys) {
    const text = await client.get(k);
    assert.ok(![a, b, c].some((s) => text.includes(s.token)), 'no token in Redis');
    // The key goes a second after the session's deadline (the module, not Redis, says when it ended).
    const { expiresAt } = JSON.parse(text);
    assert.ok(Math.abs(Number(await client.pExpireTime(k)) - (expiresAt + 1_000)) <= 1, `${k} expires at its deadline`);
  }
  assert.deepEqual((await client.sMembers(`${INDEX}alice`)).sort(), [key(a.token), key(b.token)].sort());
  assert.ok(Number(await client.pExpireTime(`${INDEX}alice`)) >= JSON.parse(await client.get(key(a.token))).expiresAt, 'the set lives as long as its sessions');

  const scans = await calls('scan');
  assert.deepEqual((await manager.listForUser('alice')).map((s) => s.id).sort(), [a.id, b.id].sort());
  assert.equal(await calls('scan'), scans, 'listForUser reads the index, not the keyspace');

  const rotated = await manager.refresh(a.token);
  assert.equal((await manager.validate(a.token)).error, 'invalid_token');
  assert.equal((await manager.validate(rotated.token)).valid, true);
  assert.deepEqual((await client.sMembers(`${INDEX}alice`)).sort(), [key(rotated.token), key(b.token)].sort(), 'a forward is not indexed');
  assert.ok(Number(await client.pTTL(key(a.token))) <= 6_000, 'the forward goes with its grace');

  assert.deepEqual(await client.sMembers(`${BY_ID}${b.id}`), [key(b.token)]);
  await manager.destroy(b.id);
  assert.equal(await calls('scan'), scans, 'destroy reads the session\'s index, not the keyspace');
  assert.equal((await manager.validate(b.token)).error, 'session_revoked');
  assert.deepEqual((await manager.listForUser('alice')).map((s) => s.id), [a.id]);

  await manager.destroyAllForUser('alice');
  assert.equal(await client.exists(`${INDEX}alice`), 0);
  assert.equal(await client.exists(`${BY_ID}${a.id}`), 0);
  assert.equal(await calls('scan'), scans, 'nor does destroyAllForUser');
  assert.equal((await manager.validate(rotated.token)).error, 'invalid_token');
  assert.deepEqual((await client.keys('session:*')).filter((k) => k !== key(a.token)), [key(c.token)], 'bob\'s session stays');
  assert.equal((await manager.validate(c.token)).valid, true);
  manager.free();
});

test('the same adapter over ioredis: lifecycle, the indexes, rotation, and a refused connection as STORAGE_UNAVAILABLE', async () => {
  await ready();
  await client.flushAll();
  const io = new Redis(redis.url, { enableOfflineQueue: false, lazyConnect: true });
  await io.connect();
  const manager = new sessions.SessionManager({ storage: redisStorage(io), prefix: 'session:' });
  const a = await manager.create({ userId: 'ivy' });
  const b = await manager.create({ userId: 'ivy' });
  const rotated = await manager.refresh(a.token);
  assert.equal((await manager.validate(a.token)).error, 'invalid_token');
  assert.equal((await manager.validate(rotated.token)).valid, true);
  assert.deepEqual((await manager.listForUser('ivy')).map((s) => s.id).sort(), [a.id, b.id].sort());
  assert.deepEqual(await client.sMembers(`${INDEX}ivy`).then((m) => m.sort()), [rotated.token, b.token].map((t) => `session:${sessions.hashToken(t)}`).sort());
  await manager.destroy(b.id);
  assert.equal((await manager.validate(b.token)).error, 'session_revoked');
  await manager.destroyAllForUser('ivy');
  assert.equal(await client.exists(`${INDEX}ivy`), 0);
  manager.free();
  io.disconnect();

  const nowhere = new Redis(await freePort(), '127.0.0.1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
  nowhere.on('error', () => {});
  await assert.rejects(nowhere.connect());
  const unreachable = new sessions.SessionManager({ storage: redisStorage(nowhere), prefix: 'session:' });
  await assert.rejects(unreachable.validate('some-token'), { code: 'STORAGE_UNAVAILABLE' });
  unreachable.free();
});

test('a session Redis expired leaves no index entry behind once the user is listed', async () => {
  await client.flushAll();
  const manager = managerOver();
  const short = await manager.create({ userId: 'carol', expiresIn: 1 });
  const long = await manager.create({ userId: 'carol' });
  await new Promise((resolve) => setTimeout(resolve, 1_300)); // its deadline, and Redis's second after it
  assert.deepEqual((await manager.listForUser('carol')).map((s) => s.id), [long.id]);
  assert.deepEqual(await client.sMembers(`${INDEX}carol`), [`session:${sessions.hashToken(long.token)}`]);
  assert.equal((await manager.validate(short.token)).error, 'invalid_token');
  manager.free();
});

test(`${PROCESSES} processes refresh one token at the same moment, 10 rounds: it rotates once, every process gets the same new token`, async () => {
  await client.flushAll();
  const manager = managerOver();
  const rounds = 10;
  const created = [];
  for (let round = 0; round < rounds; round++) {
    created.push(await manager.create({ userId: 'dave' }));
    await client.set(`race:token:${round}`, created[round].token);
  }
  const reports = await processes(PROCESSES, () => ['race', redis.url, PROCESSES, rounds]);
  for (let round = 0; round < rounds; round++) {
    const got = new Set(reports.map((report) => report.got[round]));
    assert.equal(got.size, 1, `round ${round}: one new token in every process (${[...got].join(', ')})`);
    const [token] = got;
    assert.notEqual(token, created[round].token);
    assert.equal((await manager.validate(token)).session.id, created[round].id);
  }
  assert.equal((await manager.listForUser('dave')).length, rounds, 'one live session per round');
  manager.free();
});

test(`${PROCESSES} processes, 10,000 mixed calls each on overlapping users, Redis killed and restarted in the middle: the model finds no violation`, async () => {
  await client.flushAll();
  const operations = Number(process.env.REDIS_LOAD_OPERATIONS ?? 10_000);
  const running = processes(PROCESSES, (at) => ['load', redis.url, operations, 1 + at]);
  // The crash: once the processes have made about a third of their sessions' tokens, kill -9 Redis.
  const watcher = createClient({ url: redis.url, disableOfflineQueue: true });
  watcher.on('error', () => {});
  await watcher.connect();
  while (Number(await watcher.lLen('load:shared')) < (PROCESSES * operations * 0.15) / 3) await new Promise((resolve) => setTimeout(resolve, 20));
  await watcher.close();
  await redis.kill();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await redis.restart();
  const reports = await running;
  await ready();

  const violations = await modelCheck(reports);
  const total = (field) => reports.reduce((sum, report) => sum + Object.values(report[field]).reduce((a, b) => a + b, 0), 0);
  const failures = {};
  for (const report of reports) for (const [code, n] of Object.entries(report.failures)) failures[code] = (failures[code] ?? 0) + n;
  console.log(`Redis load: ${total('counts')} calls succeeded, failures ${JSON.stringify(failures)}`);
  assert.deepEqual(violations, []);
  // The crash was felt, and answered with a code: nothing else failed but what the load expects
  // (a refresh of a token another process revoked, or rotated longer ago than the grace).
  const expected = /: (STORAGE_UNAVAILABLE|STORAGE_ERROR|SESSION_NOT_FOUND|SESSION_REVOKED)$/;
  assert.deepEqual(Object.keys(failures).filter((code) => !expected.test(code)), []);
  const storage = Object.entries(failures).filter(([code]) => /STORAGE_/.test(code)).reduce((sum, [, n]) => sum + n, 0);
  assert.ok(storage > 0, 'the restart was felt');
  assert.ok(storage < PROCESSES * operations * 0.05, 'and only while Redis was down');
});

/** The model: what Redis holds at the end against what the processes did and saw. */
async function modelCheck(reports) {
  const violations = [];
  const manager = managerOver();
  // Every stored session by id, and by user: live ones (neither rotated away, revoked nor expired).
  const records = [];
  for (const key of await client.keys('session:*')) {
    const text = await client.get(key); // null: a forward whose grace just ended
    if (text !== null) records.push([key, JSON.parse(text).data]);
  }
  const live = records.filter(([, s]) => s.successor === undefined && s.revokedAt === undefined && s.expiresAt > Date.now());
  const byId = new Map();
  for (const [key, s] of live) byId.set(s.id, [...(byId.get(s.id) ?? []), key]);
  for (const [id, keys] of byId) if (keys.length > 1) violations.push(`session ${id} has ${keys.length} live tokens`);
  // No session is both rotated and still valid under its old token; no revoked session validates.
  for (const report of reports) {
    for (const token of report.rotatedAway) {
      if ((await manager.validate(token)).valid) violations.push('a token rotated away still validates');
    }
    for (const [id] of report.destroyed) {
      if (byId.has(id)) violations.push(`revoked session ${id} is live`);
    }
    for (const [token, id] of report.mine) {
      const result = await manager.validate(token);
      if (result.valid && result.session.id !== id) violations.push('a token opens another session');
    }
  }
  // No token rotates twice: every new token a refresh of one token gave is in one line of
  // rotations (each a later rotation of the one before), never two siblings. Sessions whose
  // refresh failed with Redis down are left out: that refresh may have landed unseen.
  const uncertain = new Set(reports.flatMap((report) => report.uncertain));
  const next = new Map(); // token -> the tokens refreshes of it gave
  for (const [old, token, id] of reports.flatMap((report) => report.rotations)) {
    if (old !== token && !uncertain.has(id)) next.set(old, new Set([...(next.get(old) ?? []), token]));
  }
  const reaches = (from, to, seen = new Set()) => from === to || [...(next.get(from) ?? [])].some((n) => !seen.has(n) && (seen.add(n), reaches(n, to, seen)));
  let twice = 0;
  for (const gave of next.values()) {
    const tokens = [...gave];
    for (let a = 0; a < tokens.length; a++) {
      for (let b = a + 1; b < tokens.length; b++) if (!reaches(tokens[a], tokens[b]) && !reaches(tokens[b], tokens[a])) twice += 1;
    }
  }
  if (twice) violations.push(`${twice} tokens rotated twice (two new tokens, neither rotated from the other)`);
  // Each session id's index names its live key (and revoked ones, kept till their end), nothing gone.
  for (const key of await client.keys(`${BY_ID}*`)) {
    for (const member of await client.sMembers(key)) if (!(await client.exists(member))) violations.push(`${key} names a key that is gone`);
  }
  for (const [key, s] of records) {
    if (s.successor === undefined && !(await client.sIsMember(`${BY_ID}${s.id}`, key))) violations.push(`session ${s.id} is missing from its id's index`);
  }
  // Each user's list is exactly their live sessions, and the index points at nothing that is gone.
  for (let user = 0; user < 6; user++) {
    const userId = `user${user}`;
    const members = await client.sMembers(`${INDEX}${userId}`);
    for (const member of members) if (!(await client.exists(member))) violations.push(`${userId}'s index names a key that is gone`);
    const listed = (await manager.listForUser(userId)).map((s) => s.id).sort();
    const truth = live.filter(([, s]) => s.userId === userId).map(([, s]) => s.id).sort();
    if (JSON.stringify(listed) !== JSON.stringify(truth)) violations.push(`${userId}'s list: ${listed.length} sessions, ${truth.length} live`);
    for (const [key, s] of records) {
      if (s.userId === userId && s.successor === undefined && !members.includes(key)) violations.push(`${userId}'s session ${s.id} is missing from the index`);
    }
  }
  manager.free();
  return violations;
}

test('faults: a refused connection, a value past Redis\'s limit, a key of the wrong type: each a coded error, nothing half-written', async () => {
  await ready();
  await client.flushAll();
  // Nothing listens on this port.
  const nowhere = createClient({ url: `redis://127.0.0.1:${await freePort()}`, disableOfflineQueue: true, socket: { reconnectStrategy: false } });
  nowhere.on('error', () => {});
  await assert.rejects(nowhere.connect(), /ECONNREFUSED/);
  const unreachable = new sessions.SessionManager({ storage: redisStorage(nowhere), prefix: 'session:' });
  await assert.rejects(unreachable.create({ userId: 'erin' }), { code: 'STORAGE_UNAVAILABLE' });
  await assert.rejects(unreachable.validate('some-token'), { code: 'STORAGE_UNAVAILABLE' });
  unreachable.free();

  const manager = managerOver();
  const kept = await manager.create({ userId: 'erin' });
  const only = async () => {
    assert.deepEqual((await client.keys('session:*')), [`session:${sessions.hashToken(kept.token)}`], 'nothing of it stored');
    assert.deepEqual(await client.sMembers(`${INDEX}erin`), [`session:${sessions.hashToken(kept.token)}`], 'nor indexed');
  };
  // Told Redis's limit, the adapter refuses the entry itself.
  const bounded = new sessions.SessionManager({ storage: redisStorage(client, { maxValueBytes: 1 << 20 }), prefix: 'session:' });
  const error = await bounded.create({ userId: 'erin', metadata: { padding: 'x'.repeat(2 << 20) } }).catch((e) => e);
  assert.equal(error.code, 'STORAGE_ERROR');
  assert.ok(!error.message.includes('xxxx'), 'the metadata is not in the message');
  await only();
  bounded.free();
  // Not told, Redis refuses it (and drops the connection, which the client makes again).
  const refused = await manager.create({ userId: 'erin', metadata: { padding: 'x'.repeat(2 << 20) } }).catch((e) => e);
  assert.match(refused.code, /^STORAGE_(ERROR|UNAVAILABLE)$/);
  await ready();
  await only();

  // A refresh whose commit Redis refuses (the user's index key is not a set) rotates nothing.
  await client.del(`${INDEX}erin`);
  await client.set(`${INDEX}erin`, 'not a set');
  await assert.rejects(manager.refresh(kept.token), { code: 'STORAGE_ERROR' });
  await client.del(`${INDEX}erin`);
  assert.equal((await manager.validate(kept.token)).valid, true, 'the old token still works: nothing was written');
  assert.deepEqual(await client.keys('session:*'), [`session:${sessions.hashToken(kept.token)}`]);
  manager.free();
});

test('a store or manager whose prefix lies under the index namespace is refused, coded, with nothing written; another index keeps them apart', async () => {
  await ready();
  const under = new sessions.AdapterSessionStore({ storage: redisStorage(client), prefix: 'wasm-session-store:mine:' });
  const refused = await under.set('a', { id: 'a' }).then(() => undefined, (error) => error);
  assert.equal(refused?.code, 'STORAGE_ERROR');
  assert.match(refused.message, /index namespace/);
  await assert.rejects(under.getAll(), (error) => error.code === 'STORAGE_ERROR');
  const manager = new sessions.SessionManager({ storage: redisStorage(client), prefix: 'wasm-session-store:session-' });
  await assert.rejects(manager.create({ userId: 'u' }), (error) => error.code === 'STORAGE_ERROR');
  assert.deepEqual(await client.keys('wasm-session-store:mine:*'), [], 'nothing written');
  const apart = new sessions.AdapterSessionStore({ storage: redisStorage(client, { index: 'other-index:' }), prefix: 'wasm-session-store:mine:' });
  await apart.set('a', { id: 'a' });
  assert.deepEqual([...(await apart.getAll()).keys()], ['a']);
  await apart.clear();
  for (const store of [under, apart]) store.free();
  manager.free();
});

test('far deadlines (expiresAt Number.MAX_VALUE, expiresIn and rotationGrace 1e21) land whole, each key kept to the last time a Date holds', async () => {
  await ready();
  const LATEST = 8.64e15;
  const store = new sessions.AdapterSessionStore({ storage: redisStorage(client), prefix: 'far:' });
  await store.set('a', { id: 'a' }, { expiresAt: Number.MAX_VALUE });
  assert.deepEqual(await store.get('a'), { id: 'a' });
  assert.equal(await client.pExpireTime('far:a'), LATEST);
  const manager = managerOver({ prefix: 'far-session:', rotationGrace: 1e21 });
  const created = await manager.create({ userId: 'far', expiresIn: 1e21 });
  const rotated = await manager.refresh(created.token);
  assert.equal((await manager.refresh(created.token)).token, rotated.token, 'the forward holds, within its grace');
  const keys = (await client.keys('far-session:*')).sort();
  assert.deepEqual(keys, [sessions.hashToken(created.token), sessions.hashToken(rotated.token)].map((hash) => `far-session:${hash}`).sort(), 'the new session and the forward, both written');
  for (const key of keys) assert.equal(await client.pExpireTime(key), LATEST);
  assert.equal(await client.pExpireTime(`${INDEX}far`), LATEST);
  await store.clear();
  await manager.destroyAllForUser('far');
  for (const owner of [store, manager]) owner.free();
});
