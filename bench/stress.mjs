// The many-tabs stress at full length: four headless Chromium pages of one origin for 30 s on
// each storage, checked against the model of tests/browser/stress/stress.mjs. Prints operations
// per second and every kind of violation found; writes bench/results/stress.json. Run through
// scripts/bench.sh (after the package is built).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/support/browser.mjs';
import { runStress, serveStressSite } from '../tests/browser/stress/stress.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.STRESS_SECONDS ?? 30);
const [browser, server] = await Promise.all([launchChromium(), serveStressSite()]);
const results = {};
try {
  console.log(`\nMany tabs: 4 pages, ${seconds} s each, un-awaited mixed store and manager operations`);
  console.log('| storage | operations | per second | events heard | refreshes (rotations) | violations |');
  console.log('|---|---|---|---|---|---|');
  for (const storage of ['indexedDB', 'lockedLocalStorage', 'localStorage']) {
    const result = await runStress(browser, server.url, { storage, seconds });
    // Violations by kind, with how many sessions or calls each concerns.
    const kinds = {};
    for (const violation of result.violations) {
      const kind = violation.replace(/^s\d+: /, '').replace(/\d+/g, 'N');
      kinds[kind] = (kinds[kind] ?? 0) + (Number(violation.match(/^(\d+) /)?.[1]) || 1);
    }
    results[storage] = { seconds, ...result, kinds };
    const found = Object.entries(kinds).map(([kind, count]) => `${count} × ${kind}`).join('; ') || 'none';
    console.log(`| ${storage} | ${result.operations} | ${result.perSecond} | ${result.counts.events} | ${result.counts.refreshes} (${result.counts.rotations}) | ${found} |`);
  }
} finally {
  await browser.close();
  await server.close();
}
mkdirSync(`${root}bench/results`, { recursive: true });
writeFileSync(`${root}bench/results/stress.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('Wrote bench/results/stress.json');
