// One server process of the Redis tests, run from a project with the tarball installed:
//   node process.mjs race <url> <processes> <rounds>   refresh one shared token per round, all at once
//   node process.mjs load <url> <operations> <seed>    mixed manager calls on overlapping users
// Prints one JSON line: what it did and saw, for the model in tests/server/redis.test.mjs.
import { createClient } from 'redis';
import { SessionManager } from 'wasm-session-store';
import { redisStorage } from 'wasm-session-store/redis';

const [mode, url, ...args] = process.argv.slice(2);
const USERS = 6;
const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
client.on('error', () => {}); // Reconnects on its own; each failed call says so itself.
await client.connect();
const manager = new SessionManager({ storage: redisStorage(client), prefix: 'session:', defaultExpiresIn: 3_600_000 });
const report = mode === 'race' ? await race(Number(args[0]), Number(args[1])) : await load(Number(args[0]), Number(args[1]));
console.log(JSON.stringify(report));
manager.free();
await client.close().catch(() => {});

/** Each round: wait until every process is ready, then refresh the round's token at once. */
async function race(processes, rounds) {
  const got = [];
  for (let round = 0; round < rounds; round++) {
    const token = await client.get(`race:token:${round}`);
    await client.incr(`race:ready:${round}`);
    while (Number(await client.get(`race:ready:${round}`)) < processes) await new Promise((resolve) => setTimeout(resolve, 1));
    got.push(await manager.refresh(token).then((session) => session.token, (error) => `error ${error.code}`));
  }
  return { got };
}

/** `operations` calls: create, validate (sliding), refresh, destroy, destroyAllForUser, listForUser. */
async function load(operations, seed) {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const mine = []; // [token, id, user] this process holds, newest token of each session
  const rotatedAway = []; // tokens this process saw replaced by a refresh
  const rotations = []; // [old token, new token, session id] of each refresh that succeeded
  const uncertain = []; // ids of sessions a refresh of failed for want of Redis: it may have landed
  const destroyed = []; // [id, token] of sessions this process revoked
  const failures = {};
  const counts = {};
  let shared = [];
  const latencies = { validate: [], refresh: [] };
  for (let done = 0; done < operations; done++) {
    const roll = random();
    const user = `user${Math.floor(random() * USERS)}`;
    // Tokens other processes made (some rotated since): refreshes of one token race across processes.
    if (done % 20 === 0) shared = await client.lRange('load:shared', -16, -1).then((lines) => lines.map((line) => JSON.parse(line)), () => shared);
    const held = mine.length && random() < 0.7 ? pick(mine) : shared.length ? pick(shared) : undefined;
    let kind;
    const started = performance.now();
    try {
      if (roll < 0.15 || !held) {
        kind = 'create';
        const session = await manager.create({ userId: user, slidingExpiration: true });
        mine.push([session.token, session.id, user]);
        if (mine.length > 40) mine.shift();
        await client.rPush('load:shared', JSON.stringify([session.token, session.id, user])).catch(() => {});
      } else if (roll < 0.5) {
        kind = 'validate';
        await manager.validate(held[0]);
      } else if (roll < 0.8) {
        kind = 'refresh';
        const session = await manager.refresh(held[0]);
        if (session.token !== held[0]) rotatedAway.push(held[0]);
        rotations.push([held[0], session.token, session.id]);
        const at = mine.findIndex(([, id]) => id === session.id);
        if (at >= 0) mine[at] = [session.token, session.id, held[2]];
        else mine.push([session.token, session.id, held[2]]);
      } else if (roll < 0.9) {
        kind = 'destroy';
        await manager.destroy(held[1]);
        destroyed.push([held[1], held[0]]);
      } else if (roll < 0.93) {
        kind = 'destroyAllForUser';
        await manager.destroyAllForUser(user);
      } else {
        kind = 'listForUser';
        await manager.listForUser(user);
      }
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (latencies[kind]) latencies[kind].push(performance.now() - started);
    } catch (error) {
      const code = `${kind}: ${error.code ?? `uncoded ${error.name}`}`;
      failures[code] = (failures[code] ?? 0) + 1;
      // Redis out of reach: wait a little, as a server retrying would, rather than spin.
      if (/^STORAGE_/.test(error.code)) {
        if (kind === 'refresh') uncertain.push(held[1]);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }
  return { counts, failures, rotatedAway, rotations, uncertain, destroyed, mine, latencies };
}
