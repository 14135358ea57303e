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
  const ours = await import(`${root}pkg/index.js`);
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
  cpSync(`${root}pkg`, `${site}/pkg`, { recursive: true });
  cpSync(`${root}target/bench/baseline`, `${site}/baseline`, { recursive: true });
  for (const [impl, module] of [['ours', './pkg/index.js'], ['baseline', './baseline/session-store.js']]) {
    // The plain page: one module script whose import is the store, as a dApp without a bundler has it.
    const script = readFileSync(`${root}bench/page/startup-page.js`, 'utf8').replace("'session-store'", `'${module}'`);
    writeFileSync(`${site}/startup-plain-${impl}.html`, startupHtml(`<script type="module">\n${script}</script>`));
    // The Vite production build of the same page (the store bundled into one script).
    const app = `${root}target/bench/vite-${impl}`;
    rmSync(app, { recursive: true, force: true });
    mkdirSync(app, { recursive: true });
    writeFileSync(`${app}/main.js`, script.replace(`'${module}'`, `'${impl === 'ours' ? `${root}pkg/index.js` : `${root}target/bench/baseline/session-store.js`}'`));
    writeFileSync(`${app}/index.html`, startupHtml('<script type="module" src="./main.js"></script>'));
    execFileSync(`${root}node_modules/.bin/vite`, ['build', '--logLevel', 'warn', '--base', `/vite-${impl}/`, '--outDir', `${site}/vite-${impl}`, '--emptyOutDir'], { cwd: app, stdio: 'inherit' });
  }

  // The plain page over the ./stores entry, as a router without the session manager has it.
  const stores = readFileSync(`${root}bench/page/startup-page.js`, 'utf8').replace("'session-store'", "'./pkg/stores.js'");
  writeFileSync(`${site}/startup-plain-stores.html`, startupHtml(`<script type="module">\n${stores}</script>`));
}

function startupHtml(script) {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>startup</title><link rel="icon" href="data:,"></head>\n<body>\n${script}\n</body>\n</html>\n`;
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

// The network of the start-up figures: 40 ms latency, 10 Mbit/s each way, no HTTP cache.
const NETWORK = { offline: false, latency: 40, downloadThroughput: 1_250_000, uploadThroughput: 1_250_000 };

/** Start-up of the plain page and of the Vite build, ours and the baseline's loads alternating. */
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
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const results = {};
  for (const [variant, path] of [
    ['plain', (impl) => `startup-plain-${impl}.html`],
    ['stores', (impl) => `startup-plain-${impl === 'ours' ? 'stores' : impl}.html`],
    ['vite', (impl) => `vite-${impl}/`],
  ]) {
    const times = { ours: [], baseline: [] };
    const arrived = { ours: [], baseline: [] };
    for (let load = 0; load < STARTUP_LOADS; load++) {
      for (const impl of load % 2 ? ['ours', 'baseline'] : ['baseline', 'ours']) {
        await page.goto(`${url}${path(impl)}`);
        const result = await page.waitForFunction(() => window.startup).then((handle) => handle.jsonValue());
        if (result.sessions !== 100) throw new Error(`${variant} ${impl} restored ${result.sessions} sessions, not 100`);
        times[impl].push(result.ms);
        // When the last script byte arrived: the rest is parse, compile, instantiate and getAll.
        arrived[impl].push(await page.evaluate(() => Math.max(...performance.getEntriesByType('resource').map((entry) => entry.responseEnd))));
      }
    }
    results[variant] = {
      ours: median(times.ours), baseline: median(times.baseline),
      oursArrived: median(arrived.ours), baselineArrived: median(arrived.baseline),
    };
  }
  await context.close();
  return { loads: STARTUP_LOADS, network: NETWORK, ...results };
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
  return ['pkg/index.js', 'pkg/stores.js', 'pkg/adapters.js', 'pkg/index.cjs', baselineJs].map(measure);
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
const [browser, server] = await Promise.all([launchChromium(), serve(site, 0, { isolated: true, gzip: true })]);
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
console.log(`\nStart-up, navigation to the first getAll() of 100 stored sessions, 40 ms latency, 10 Mbit/s, no cache, gzip (median of ${start.loads} loads each)`);
const startupLabels = { plain: 'plain page', stores: 'plain page, ./stores', vite: 'Vite build' };
for (const variant of ['plain', 'stores', 'vite']) {
  const { ours, baseline, oursArrived, baselineArrived } = start[variant];
  console.log(`${startupLabels[variant]}: ours ${ours.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms, ratio ${ratio(ours, baseline)}`
    + ` (script bytes in at ${oursArrived.toFixed(1)} / ${baselineArrived.toFixed(1)} ms; parse to first getAll ${(ours - oursArrived).toFixed(1)} / ${(baseline - baselineArrived).toFixed(1)} ms)`);
}
const size = sizes();
console.log('\nPackage size (bytes)\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|');
for (const s of size) console.log(`| ${s.file} | ${s.raw.toLocaleString('en-US')} | ${s.gzip.toLocaleString('en-US')} | ${s.brotli.toLocaleString('en-US')} |`);
const gzipOf = (file) => size.find((s) => s.file === file).gzip;
const webTotal = gzipOf('pkg/index.js');
console.log(`What a browser downloads, gzip: main entry ${webTotal.toLocaleString('en-US')} bytes (budget 30,720), ./stores ${gzipOf('pkg/stores.js').toLocaleString('en-US')} bytes (budget 20,480), ./adapters ${gzipOf('pkg/adapters.js').toLocaleString('en-US')} bytes (the stores' budget, 20,480)`);

mkdirSync(`${root}bench/results`, { recursive: true });
const results = { date: new Date().toISOString(), machine, node, chromium, startup: start, size, webGzipTotal: webTotal };
writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nWrote bench/results/latest.json');
