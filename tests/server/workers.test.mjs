// The package in real workerd (Miniflare from npm, no account, no network): a Worker bundled from
// the tarball the way wrangler bundles (esbuild with the `workerd`, `worker` and `browser`
// conditions, `.wasm` imports kept as modules), its SessionManager over a real KV namespace.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { project } from '../package/support.mjs';

// The Worker: each path one manager call, its answer as JSON (errors by code).
const WORKER = `
import { SessionManager } from 'wasm-session-store';
import { kvStorage } from 'wasm-session-store/kv';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const arg = (name) => url.searchParams.get(name);
    // ?failPut=N: the namespace as it is, except that its N-th put and every later one throw.
    let puts = 0;
    const failing = {
      get: (key) => env.SESSIONS.get(key),
      put: (key, value, options) => {
        if (++puts >= Number(arg('failPut'))) throw new Error('KV PUT failed: 429 Too Many Requests (account abc123)');
        return env.SESSIONS.put(key, value, options);
      },
      delete: (key) => env.SESSIONS.delete(key),
      list: (options) => env.SESSIONS.list(options),
    };
    // ?count=1: every KV operation counted (a Worker invocation may make 1,000).
    let operations = 0;
    const counted = Object.fromEntries(['get', 'put', 'delete', 'list'].map((name) => [name, (...args) => (operations++, env.SESSIONS[name](...args))]));
    const manager = new SessionManager({ storage: kvStorage(arg('failPut') ? failing : arg('count') ? counted : env.SESSIONS), prefix: 'session:' });
    const calls = {
      '/create': () => manager.create({ userId: arg('user'), metadata: { wallet: arg('wallet'), padding: 'x'.repeat(Number(arg('pad') ?? 0)) } }).then((s) => ({ token: s.token, id: s.id })),
      '/validate': () => manager.validate(arg('token')).then((r) => ({ valid: r.valid, error: r.error ?? null, id: r.session?.id ?? null })),
      '/refresh': () => manager.refresh(arg('token')).then((s) => ({ token: s.token, id: s.id })),
      '/destroy': () => manager.destroy(arg('id')).then(() => ({})),
      '/list': () => manager.listForUser(arg('user')).then((sessions) => ({ ids: sessions.map((s) => s.id).sort() })),
      '/destroy-all': () => manager.destroyAllForUser(arg('user')).then(() => ({})),
    };
    try {
      const answer = await calls[url.pathname]();
      return Response.json(arg('count') ? { ...answer, operations } : answer);
    } catch (error) {
      return Response.json({ code: error.code ?? String(error), message: error.message }, { status: 400 });
    } finally {
      manager.free();
    }
  },
};
`;

let mf;
let dir;
const call = async (path, params = {}) => {
  const response = await mf.dispatchFetch(`http://worker${path}?${new URLSearchParams(params)}`);
  return response.json();
};

before(async () => {
  dir = project('workerd', []);
  writeFileSync(join(dir, 'worker.js'), WORKER);
  // What wrangler does: the `workerd` condition first, each `.wasm` import left as a module.
  await build({
    entryPoints: [join(dir, 'worker.js')],
    bundle: true,
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    platform: 'neutral',
    outdir: join(dir, 'dist'),
    loader: { '.wasm': 'copy' },
    logLevel: 'warning',
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'dist/worker.js'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-05-01',
    kvNamespaces: ['SESSIONS'],
  });
});
after(async () => {
  await mf?.dispose();
});

test('in workerd over real KV: create, validate, refresh, destroy, listForUser and destroyAllForUser', async () => {
  const alice = await call('/create', { user: 'alice', wallet: '0xabc' });
  const other = await call('/create', { user: 'alice', wallet: '0xdef' });
  assert.match(alice.token, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(await call('/validate', { token: alice.token }), { valid: true, error: null, id: alice.id });
  assert.deepEqual(await call('/list', { user: 'alice' }), { ids: [alice.id, other.id].sort() });

  const rotated = await call('/refresh', { token: alice.token });
  assert.equal(rotated.id, alice.id);
  assert.notEqual(rotated.token, alice.token);
  assert.equal((await call('/validate', { token: alice.token })).error, 'invalid_token', 'the old token is retired');
  assert.equal((await call('/validate', { token: rotated.token })).valid, true);

  await call('/destroy', { id: alice.id });
  assert.equal((await call('/validate', { token: rotated.token })).error, 'session_revoked');
  assert.deepEqual(await call('/list', { user: 'alice' }), { ids: [other.id] });
  await call('/destroy-all', { user: 'alice' });
  assert.deepEqual(await call('/list', { user: 'alice' }), { ids: [] });
  assert.equal((await call('/validate', { token: other.token })).error, 'invalid_token');
  assert.equal((await call('/refresh', { token: 'not-a-token' })).code, 'SESSION_NOT_FOUND');
});

test('KV holds only hashes, each entry expiring at its session\'s deadline', async () => {
  const { token } = await call('/create', { user: 'bob', wallet: '0x1' });
  const kv = await mf.getKVNamespace('SESSIONS');
  const { keys } = await kv.list({ prefix: 'session:' });
  const mine = [];
  for (const key of keys) {
    const text = await kv.get(key.name);
    assert.ok(!text.includes(token) && !key.name.includes(token), 'never the token itself');
    if (text.includes('"bob"')) mine.push({ key, record: JSON.parse(text) });
  }
  assert.equal(mine.length, 1);
  const { key, record } = mine[0];
  assert.equal(key.expiration, Math.ceil(record.expiresAt / 1000) + 1, 'KV expires it a second after its deadline');
  await call('/destroy-all', { user: 'bob' });
});

test('more than one KV page of keys: listForUser follows the cursor past 1,000 keys', async () => {
  const kv = await mf.getKVNamespace('SESSIONS');
  // 1,100 other users' entries under the prefix, written straight into KV.
  await Promise.all(Array.from({ length: 1_100 }, (_, i) => kv.put(`session:filler-${String(i).padStart(4, '0')}`, '{"data":{},"expiresAt":0}')));
  const created = [];
  for (let i = 0; i < 3; i++) created.push((await call('/create', { user: 'carol', wallet: `0x${i}` })).id);
  assert.deepEqual(await call('/list', { user: 'carol' }), { ids: created.sort() });
  await call('/destroy-all', { user: 'carol' });
  assert.deepEqual(await call('/list', { user: 'carol' }), { ids: [] });
});

test('a user\'s sessions among 2,500 are listed and ended within KV\'s 1,000 operations per invocation: found by the metadata KV lists with each key', async () => {
  const kv = await mf.getKVNamespace('SESSIONS');
  const emptied = async () => {
    for (let cursor; ; ) {
      const page = await kv.list({ prefix: 'session:', cursor });
      await Promise.all(page.keys.map(({ name }) => kv.delete(name)));
      if (page.list_complete) return;
      cursor = page.cursor;
    }
  };
  // Entries written before this adapter kept metadata (the other tests' raw ones) are read one by one.
  await emptied();
  const { kvStorage } = await import(pathToFileURL(join(dir, 'node_modules/wasm-session-store/kv.js')));
  const mine = await call('/create', { user: 'dave', wallet: '0xd' });
  const { keys } = await kv.list({ prefix: 'session:' });
  const template = JSON.parse(await kv.get(keys.find(({ metadata }) => metadata?.user === 'dave').name));
  // Other users' sessions, written as the adapter writes them.
  const adapter = kvStorage(kv);
  await Promise.all(Array.from({ length: 2_500 }, (_, i) => {
    const hash = `${i.toString(16).padStart(8, '0')}${'f'.repeat(56)}`;
    const data = { ...template.data, id: `other-${i}`, userId: `other-${i % 50}`, tokenHash: hash };
    return adapter.setItem(`session:${hash}`, JSON.stringify({ ...template, data }));
  }));
  const listed = await call('/list', { user: 'dave', count: 1 });
  assert.deepEqual(listed.ids, [mine.id]);
  assert.ok(listed.operations <= 10, `listForUser made ${listed.operations} KV operations`);
  const ended = await call('/destroy-all', { user: 'other-7', count: 1 });
  assert.ok(ended.operations <= 4 + 2 * 50, `destroyAllForUser made ${ended.operations} KV operations`);
  assert.deepEqual((await call('/list', { user: 'other-7' })).ids, []);
  assert.equal((await call('/list', { user: 'other-8' })).ids.length, 50, 'the other users keep theirs');
  await emptied();
});

test('a token minted by the browser build (the main entry) validates in the Worker, and the other way round', async () => {
  const kv = await mf.getKVNamespace('SESSIONS');
  const { SessionManager } = await import(join(dir, 'node_modules/wasm-session-store/index.js'));
  // The same KV namespace, reached from outside the Worker through Miniflare.
  const storage = {
    getItem: (key) => kv.get(key),
    setItem: (key, value) => kv.put(key, value),
    removeItem: (key) => kv.delete(key),
    keys: async (prefix) => (await kv.list({ prefix })).keys.map((key) => key.name),
  };
  const browser = new SessionManager({ storage, prefix: 'session:' });
  const minted = await browser.create({ userId: 'dave', metadata: { wallet: '0xd' } });
  assert.deepEqual(await call('/validate', { token: minted.token }), { valid: true, error: null, id: minted.id });
  const rotated = await call('/refresh', { token: minted.token });
  assert.equal((await browser.validate(rotated.token)).session.id, minted.id, 'rotated at the edge, valid in the browser build');
  assert.equal((await browser.validate(minted.token)).error, 'invalid_token');
  await browser.destroyAllForUser('dave');
  browser.free();
});

test('a KV put that throws: STORAGE_ERROR without KV\'s message, and no half-written session', async () => {
  const failed = await call('/create', { user: 'erin', wallet: '0xe', failPut: 1 });
  assert.equal(failed.code, 'STORAGE_ERROR');
  assert.doesNotMatch(failed.message, /429|abc123/);
  assert.deepEqual(await call('/list', { user: 'erin' }), { ids: [] }, 'nothing written');

  // A refresh writes the rotated session, then the old token's forward: the second write fails.
  const { token, id } = await call('/create', { user: 'erin', wallet: '0xe' });
  assert.equal((await call('/refresh', { token, failPut: 2 })).code, 'STORAGE_ERROR');
  assert.deepEqual(await call('/list', { user: 'erin' }), { ids: [id] }, 'one session: the rotated copy was taken back');
  assert.equal((await call('/validate', { token })).valid, true, 'the old token still works');
  await call('/destroy-all', { user: 'erin' });
});

test('metadata past KV\'s 25 MiB value limit: STORAGE_ERROR, nothing stored', async () => {
  const failed = await call('/create', { user: 'frank', wallet: '0xf', pad: 26 * 1024 * 1024 });
  assert.equal(failed.code, 'STORAGE_ERROR');
  assert.deepEqual(await call('/list', { user: 'frank' }), { ids: [] });
});
