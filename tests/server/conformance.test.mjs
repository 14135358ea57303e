// The one conformance suite (tests/conformance/suite.mjs) over the server adapters of
// js/adapters/, each over the real thing, from the tarball: `redisStorage` over a redis-server of
// its own (started on a free port, stopped by its pid), and `kvStorage` over a Workers KV namespace
// of real workerd (Miniflare), reached from Node. A new server adapter is one line in this list.
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { createClient } from 'redis';
import { cases } from '../conformance/suite.mjs';
import { project } from '../package/support.mjs';
import { startRedis } from '../support/redis.mjs';

let redis;
let client;
let mf;
let kv;
let sessions;
let adapters;

before(async () => {
  const dir = project('server-conformance', [], { type: 'module' }, ['redis']);
  const module = (file) => import(pathToFileURL(join(dir, 'node_modules/wasm-session-store', file)));
  [sessions, adapters] = await Promise.all([module('index.js'), Promise.all([module('redis.js'), module('kv.js')])]);
  redis = await startRedis();
  client = createClient({ url: redis.url, disableOfflineQueue: true });
  client.on('error', () => {});
  await client.connect();
  mf = new Miniflare({ modules: true, script: 'export default { fetch: () => new Response("") };', kvNamespaces: ['SESSIONS'] });
  kv = await mf.getKVNamespace('SESSIONS');
});
after(async () => {
  await client?.close().catch(() => {});
  await redis?.stop();
  await mf?.dispose();
});

// Each entry reaches its storage when a case runs, after `before`.
const backends = [
  {
    name: 'redisStorage (real Redis)',
    make: (config) => new sessions.AdapterSessionStore({ ...config, storage: adapters[0].redisStorage(client) }),
    raw: { get: (key) => client.get(key), set: (key, value) => client.set(key, value) },
  },
  {
    name: 'kvStorage (real Workers KV)',
    make: (config) => new sessions.AdapterSessionStore({ ...config, storage: adapters[1].kvStorage(kv) }),
    raw: { get: (key) => kv.get(key), set: (key, value) => kv.put(key, value) },
  },
];

for (const backend of backends) {
  let n = 0;
  for (const [title, run] of cases) {
    const prefix = `conf${n++}:`;
    test(`${backend.name}: ${title}`, async (t) => {
      const skipped = await run(backend, prefix);
      if (skipped) t.skip(skipped);
    });
  }
}
