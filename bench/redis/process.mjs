// One process of the Redis benchmark (bench/redis.mjs): the package's SessionManager over
// redisStorage, and a plain node-redis client doing one GET or one SET, the floor. Each phase
// starts when every process is ready; prints each phase's latencies (ms) as one JSON line.
import { createClient } from 'redis';
import { SessionManager } from '../../pkg/index.js';
import { redisStorage } from '../../pkg/redis.js';

const [url, processes, operations, me] = process.argv.slice(2);
const client = await createClient({ url, disableOfflineQueue: true }).connect();
const manager = new SessionManager({ storage: redisStorage(client), prefix: 'bench:', defaultExpiresIn: 3_600_000 });

async function phase(name, run) {
  await client.incr(`barrier:${name}`);
  while (Number(await client.get(`barrier:${name}`)) < Number(processes)) await new Promise((resolve) => setTimeout(resolve, 1));
  const latencies = [];
  const started = performance.now();
  for (let i = 0; i < Number(operations); i++) {
    const at = performance.now();
    await run(i);
    latencies.push(performance.now() - at);
  }
  return { latencies, wall: performance.now() - started };
}

// Each process its own sessions (a user of its own): 100 tokens to validate, 100 to keep refreshing.
const tokens = [];
for (let i = 0; i < 200; i++) tokens.push((await manager.create({ userId: `user${me}`, slidingExpiration: true })).token);
// The same entry text a session has, for the floor's SET.
const text = await client.get(`bench:${(await import('../../pkg/index.js')).hashToken(tokens[0])}`);
const report = {
  validate: await phase('validate', (i) => manager.validate(tokens[i % 100])),
  refresh: await phase('refresh', async (i) => {
    tokens[100 + (i % 100)] = (await manager.refresh(tokens[100 + (i % 100)])).token;
  }),
  get: await phase('get', (i) => client.get(`floor:${me}:${i % 100}`)),
  set: await phase('set', (i) => client.set(`floor:${me}:${i % 100}`, text, { expiration: { type: 'PX', value: 3_600_000 } })),
};
console.log(JSON.stringify(report));
manager.free();
await client.close();
