// Listings and sweeps of a large store and manager over an adapter (tests/js/fixtures/large-listing.mjs):
// 10,000 and 100,000 sessions, over an in-process asynchronous map and over a redis-server of its
// own, each operation's time and the longest it held Node's event loop. Prints the table; writes
// bench/results/listing.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../tests/support/redis.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = `${root}tests/js/fixtures/large-listing.mjs`;
const redis = await startRedis(['--appendonly', 'no']);
const results = {};
try {
  console.log('\nListings over an adapter: ms (longest hold of the event loop, ms)');
  const runs = [];
  for (const count of [10_000, 100_000]) for (const over of ['map', 'redis']) runs.push([count, over]);
  let header = false;
  for (const [count, over] of runs) {
    const args = [fixture, `${root}pkg/index.cjs`, String(count), ...(over === 'redis' ? [redis.url] : [])];
    const row = JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }));
    results[`${over} ${count}`] = row;
    if (!header) {
      console.log(`| sessions | adapter | ${Object.keys(row).join(' | ')} |`);
      console.log(`|---:|---|${Object.keys(row).map(() => '---:').join('|')}|`);
      header = true;
    }
    console.log(`| ${count.toLocaleString('en')} | ${over} | ${Object.values(row).map(({ ms, heldMs }) => `${ms} (${heldMs})`).join(' | ')} |`);
  }
} finally {
  await redis.stop();
}
mkdirSync(`${root}bench/results`, { recursive: true });
writeFileSync(`${root}bench/results/listing.json`, `${JSON.stringify(results, null, 2)}\n`);
