// The server rows: the SessionManager over Redis (redisStorage) from 1 and from 8 Node processes,
// validate (sliding: a read and a conditional write) and refresh (a rotation), against a plain
// node-redis client doing one GET or one SET of the same entry, the floor. A redis-server of its
// own (no persistence), on a free port. Prints the table; writes bench/results/redis.json.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { startRedis } from '../tests/support/redis.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const operations = Number(process.env.REDIS_BENCH_OPERATIONS ?? 5_000);
const redis = await startRedis(['--appendonly', 'no']);
const admin = await createClient({ url: redis.url }).connect();
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const results = {};
try {
  console.log(`\nServer side over Redis (redis-server ${(await admin.info('server')).match(/redis_version:(\S+)/)[1]}, Node ${process.version}): ${operations} calls per process and phase`);
  console.log('| processes | call | calls/s (all processes) | p50 ms | p99 ms | floor: plain client | floor calls/s | floor p50 ms | floor p99 ms |');
  console.log('|---|---|---:|---:|---:|---|---:|---:|---:|');
  for (const processes of [1, 8]) {
    await admin.flushAll();
    const reports = await Promise.all(Array.from({ length: processes }, (_, me) => new Promise((resolve, reject) => {
      execFile('node', ['bench/redis/process.mjs', redis.url, processes, operations, me], { cwd: root, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()));
      });
    })));
    const row = (name) => {
      const latencies = reports.flatMap((report) => report[name].latencies).sort((a, b) => a - b);
      const wall = Math.max(...reports.map((report) => report[name].wall));
      return { perSecond: Math.round((latencies.length / wall) * 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    };
    results[processes] = {};
    for (const [call, floor] of [['validate', 'get'], ['refresh', 'set']]) {
      const ours = row(call);
      const plain = row(floor);
      results[processes][call] = ours;
      results[processes][floor] = plain;
      console.log(`| ${processes} | ${call} | ${ours.perSecond} | ${ours.p50.toFixed(3)} | ${ours.p99.toFixed(3)} | ${floor.toUpperCase()} | ${plain.perSecond} | ${plain.p50.toFixed(3)} | ${plain.p99.toFixed(3)} |`);
    }
  }
} finally {
  await admin.close();
  await redis.stop();
}
mkdirSync(`${root}bench/results`, { recursive: true });
writeFileSync(`${root}bench/results/redis.json`, `${JSON.stringify({ operations, results }, null, 2)}\n`);
console.log('Wrote bench/results/redis.json');
