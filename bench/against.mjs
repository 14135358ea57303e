// This build's stores against another build's: the memory store in Node and the localStorage
// store in headless Chromium, batches interleaved, with the other build also measured against
// itself in the same run as the run's noise. `bash scripts/bench.sh --against <git ref>` builds
// that ref's package and runs this after the main benchmark.
// Usage: node bench/against.mjs <the other build's pkg directory>
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launchChromium } from '../tests/support/browser.mjs';
import { runAll } from './workloads.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const previous = resolve(process.argv[2]);
const site = `${root}target/bench/against-site`;

const geomean = (values) => Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
const fmt = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));

/** Rows of `runAll` where `ours` is this build, `baseline` the other and `floor` the other again. */
function print(title, rows) {
  console.log(`\n${title}: this build against the other — operations per second, median of 7 batches`);
  console.log('| operation | sessions | this build | other | other again | this/other | other again/other |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.op}${row.refresh ? ' (refresh)' : ''} | ${row.n} | ${fmt(row.ours)} | ${fmt(row.baseline)} | ${fmt(row.floor)} | ${(row.ours / row.baseline).toFixed(2)}× | ${(row.floor / row.baseline).toFixed(2)}× |`);
  }
  const ours = rows.map((row) => row.ours / row.baseline);
  const noise = rows.map((row) => row.floor / row.baseline);
  console.log(`geometric mean this/other ${geomean(ours).toFixed(3)} (rows ${Math.min(...ours).toFixed(2)}–${Math.max(...ours).toFixed(2)}); `
    + `the other against itself ${geomean(noise).toFixed(3)} (rows ${Math.min(...noise).toFixed(2)}–${Math.max(...noise).toFixed(2)})`);
}

const now = await import(`${root}pkg/index.js`);
const before = await import(pathToFileURL(`${previous}/index.js`).href);
print('Node, memory stores', await runAll({
  ours: (config) => new now.MemorySessionStore(config),
  baseline: (config) => new before.MemorySessionStore(config),
  floor: (config) => new before.MemorySessionStore(config),
}));

// The benchmark's page, its "baseline" and "floor" both the other build's localStorage store.
rmSync(site, { recursive: true, force: true });
mkdirSync(`${site}/baseline`, { recursive: true });
cpSync(`${root}bench/page`, site, { recursive: true });
cpSync(`${root}bench/workloads.js`, `${site}/workloads.js`);
cpSync(`${root}pkg`, `${site}/pkg`, { recursive: true });
// The page measures @walletmesh's store too (compiled by bench/run.mjs, which runs first).
cpSync(`${root}target/bench/walletmesh`, `${site}/walletmesh`, { recursive: true });
cpSync(`${previous}/index.js`, `${site}/baseline/other.js`);
writeFileSync(`${site}/baseline/session-store.js`, "export { LocalStorageSessionStore } from './other.js';\n");
const [browser, server] = await Promise.all([launchChromium(), serve(site, 0, { isolated: true })]);
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}bench.html?floor=baseline`);
  await page.waitForFunction(() => document.title === 'ready');
  print('Headless Chromium, localStorage with 1,000 unrelated keys', await page.evaluate(() => window.runBench()));
} finally {
  await browser.close();
  await server.close();
}
