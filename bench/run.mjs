// The benchmark: ours against the plain-TypeScript baseline and the raw floor, in Node (memory
// stores) and headless Chromium (localStorage), start-up, and the package's size. Prints tables of
// medians and writes bench/results/latest.json. Run through scripts/bench.sh.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM, launchChromium } from '../tests/support/browser.mjs';
import { mapFloor, runAll } from './workloads.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const site = `${root}target/bench/site`;
const STARTUP_LOADS = 15;

function compileBaseline() {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}bench`], { stdio: 'inherit' });
  writeFileSync(`${root}target/bench/baseline/package.json`, '{ "type": "module" }\n');
}

async function nodeRows() {
  const ours = await import(`${root}pkg/node/index.mjs`);
  const baseline = await import(`${root}target/bench/baseline/session-store.js`);
  return runAll({
    ours: (config) => new ours.MemorySessionStore(config),
    baseline: (config) => new baseline.MemorySessionStore(config),
    floor: mapFloor,
  });
}

function buildSite() {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(`${root}bench/page`, site, { recursive: true });
  cpSync(`${root}bench/workloads.js`, `${site}/workloads.js`);
  cpSync(`${root}pkg/web`, `${site}/pkg`, { recursive: true });
  cpSync(`${root}target/bench/baseline`, `${site}/baseline`, { recursive: true });
}

async function chromiumRows(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}bench.html`);
  await page.waitForFunction(() => document.title === 'ready');
  if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the bench page is not cross-origin isolated');
  const rows = await page.evaluate(() => window.runBench());
  await page.close();
  return rows;
}

async function startup(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}bench.html`);
  await page.evaluate(() => {
    localStorage.clear();
    for (let i = 0; i < 100; i++) {
      const data = { id: `s${i}`, origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } };
      localStorage.setItem(`startup_s${i}`, JSON.stringify({ data, expiresAt: Date.now() + 3_600_000 }));
    }
  });
  const times = { ours: [], baseline: [] };
  for (let load = 0; load < STARTUP_LOADS; load++) {
    for (const impl of load % 2 ? ['ours', 'baseline'] : ['baseline', 'ours']) {
      await page.goto(`${url}startup.html?impl=${impl}`);
      const result = await page.waitForFunction(() => window.startup).then((handle) => handle.jsonValue());
      if (result.sessions !== 100) throw new Error(`${impl} restored ${result.sessions} sessions, not 100`);
      times[impl].push(result.ms);
    }
  }
  await context.close();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { loads: STARTUP_LOADS, ours: median(times.ours), baseline: median(times.baseline) };
}

function sizes() {
  const measure = (file) => {
    const bytes = readFileSync(`${root}${file}`);
    return {
      file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const baselineJs = `target/bench/baseline/session-store.js`;
  return ['pkg/web/wasm_session_store_bg.wasm', 'pkg/web/wasm_session_store.js', 'pkg/web/index.js',
    'pkg/node/wasm_session_store_bg.wasm', 'pkg/node/wasm_session_store.js', 'pkg/node/index.mjs', baselineJs].map(measure);
}

const fmt = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

function printRows(title, rows) {
  console.log(`\n${title} — operations per second, median of 7 batches (ratio > 1: ours is faster)`);
  console.log('| operation | sessions | ours | baseline | floor | ours/baseline | ours/floor |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.op} | ${row.n} | ${fmt(row.ours)} | ${fmt(row.baseline)} | ${fmt(row.floor)} | ${ratio(row.ours, row.baseline)} | ${ratio(row.ours, row.floor)} |`);
  }
}

compileBaseline();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version, chromium: execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
};
console.log(`Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.chromium}`);
const node = await nodeRows();
printRows('Node, memory stores', node);
buildSite();
const [browser, server] = await Promise.all([launchChromium(), serve(site, 0, { isolated: true })]);
let chromium;
let start;
try {
  chromium = await chromiumRows(browser, server.url);
  printRows('Headless Chromium, localStorage with 1,000 unrelated keys', chromium);
  start = await startup(browser, server.url);
} finally {
  await browser.close();
  await server.close();
}
console.log(`\nStart-up, page load to the first getAll() of 100 stored sessions (median of ${start.loads} loads): ours ${start.ours.toFixed(1)} ms, baseline ${start.baseline.toFixed(1)} ms, ratio ${ratio(start.ours, start.baseline)}`);
const size = sizes();
console.log('\nPackage size (bytes)\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|');
for (const s of size) console.log(`| ${s.file} | ${s.raw.toLocaleString('en-US')} | ${s.gzip.toLocaleString('en-US')} | ${s.brotli.toLocaleString('en-US')} |`);
const webTotal = size.filter((s) => s.file.startsWith('pkg/web/')).reduce((sum, s) => sum + s.gzip, 0);
console.log(`Web build (.wasm + glue + entry), gzip: ${webTotal.toLocaleString('en-US')} bytes (budget 30,720)`);

mkdirSync(`${root}bench/results`, { recursive: true });
const results = { date: new Date().toISOString(), machine, node, chromium, startup: start, size, webGzipTotal: webTotal };
writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nWrote bench/results/latest.json');
