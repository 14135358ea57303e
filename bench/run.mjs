// The benchmark: ours beside @walletmesh/router 0.4's own store (the one users replace, compiled
// at run time from ../shared/peers/), the plain-TypeScript baseline and the raw floor, in Node
// (memory stores) and headless Chromium (localStorage), start-up, and the package's size. Prints
// tables of medians and writes bench/results/latest.json. Run through scripts/bench.sh.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM, launchChromium } from '../tests/support/browser.mjs';
import { mapFloor, runAll } from './workloads.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const site = `${root}target/bench/site`;
const STARTUP_LOADS = 15;

/**
 * The peers' TypeScript: the baseline type-checked and compiled by tsc; @walletmesh's store
 * transpiled file by file, as a bundler does (its type-only import of the router's own types is
 * erased, and the rest of the router is not here to check against).
 */
function compilePeers() {
  const peer = `${root}../shared/peers/walletmesh-session-store.ts`;
  if (!existsSync(peer)) throw new Error(`@walletmesh/router's store is not at ${peer}: the benchmark needs ../shared beside the repository`);
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}bench`], { stdio: 'inherit' });
  writeFileSync(`${root}target/bench/baseline/package.json`, '{ "type": "module" }\n');
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 };
  const { outputText } = ts.transpileModule(readFileSync(peer, 'utf8'), { compilerOptions: options, fileName: peer });
  mkdirSync(`${root}target/bench/walletmesh`, { recursive: true });
  writeFileSync(`${root}target/bench/walletmesh/walletmesh-session-store.js`, outputText);
  writeFileSync(`${root}target/bench/walletmesh/package.json`, '{ "type": "module" }\n');
}

/** The module of each implementation, from the site's root or the repository's. */
const MODULES = {
  ours: 'pkg/index.js',
  walletmesh: 'target/bench/walletmesh/walletmesh-session-store.js',
  baseline: 'target/bench/baseline/session-store.js',
};
const SITE_MODULES = { ours: './pkg/index.js', walletmesh: './walletmesh/walletmesh-session-store.js', baseline: './baseline/session-store.js' };

async function nodeRows() {
  const [ours, walletmesh, baseline] = await Promise.all(['ours', 'walletmesh', 'baseline'].map((impl) => import(`${root}${MODULES[impl]}`)));
  return runAll({
    ours: (config) => new ours.MemorySessionStore(config),
    walletmesh: (config) => new walletmesh.MemorySessionStore(config),
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
  cpSync(`${root}target/bench/walletmesh`, `${site}/walletmesh`, { recursive: true });
  for (const [impl, module] of Object.entries(SITE_MODULES)) {
    // The plain page: one module script whose import is the store, as a dApp without a bundler has it.
    const script = readFileSync(`${root}bench/page/startup-page.js`, 'utf8').replace("'session-store'", `'${module}'`);
    writeFileSync(`${site}/startup-plain-${impl}.html`, startupHtml(`<script type="module">\n${script}</script>`));
    // The Vite production build of the same page (the store bundled into one script).
    const app = `${root}target/bench/vite-${impl}`;
    rmSync(app, { recursive: true, force: true });
    mkdirSync(app, { recursive: true });
    writeFileSync(`${app}/main.js`, script.replace(`'${module}'`, `'${root}${MODULES[impl]}'`));
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

/** Start-up of the plain page and of the Vite build, each implementation's loads in turn. */
async function startup(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}bench.html`);
  await page.evaluate(() => {
    localStorage.clear();
    // The same 100 sessions under our page's prefix and under @walletmesh's fixed one.
    for (const prefix of ['startup_', 'wm_session_']) {
      for (let i = 0; i < 100; i++) {
        const data = { id: `s${i}`, origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } };
        localStorage.setItem(`${prefix}s${i}`, JSON.stringify({ data, expiresAt: Date.now() + 3_600_000 }));
      }
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
    const impls = Object.keys(SITE_MODULES);
    const times = Object.fromEntries(impls.map((impl) => [impl, []]));
    const arrived = Object.fromEntries(impls.map((impl) => [impl, []]));
    for (let load = 0; load < STARTUP_LOADS; load++) {
      for (const impl of load % 2 ? impls : [...impls].reverse()) {
        await page.goto(`${url}${path(impl)}`);
        const result = await page.waitForFunction(() => window.startup).then((handle) => handle.jsonValue());
        if (result.sessions !== 100) throw new Error(`${variant} ${impl} restored ${result.sessions} sessions, not 100`);
        times[impl].push(result.ms);
        // When the last script byte arrived: the rest is parse, compile, instantiate and getAll.
        arrived[impl].push(await page.evaluate(() => Math.max(...performance.getEntriesByType('resource').map((entry) => entry.responseEnd))));
      }
    }
    results[variant] = Object.fromEntries(impls.map((impl) => [impl, { ms: median(times[impl]), arrived: median(arrived[impl]) }]));
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
  return ['pkg/index.js', 'pkg/stores.js', 'pkg/adapters.js', 'pkg/index.cjs', MODULES.walletmesh, MODULES.baseline].map(measure);
}

const fmt = (value) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

function printRows(title, rows, budget) {
  console.log(`\n${title} — operations per second, median of 7 batches (ratio > 1: ours is faster)`);
  console.log('| operation | refreshOnAccess | sessions | ours | @walletmesh | baseline | floor | ours/@walletmesh | ours/baseline | ours/floor |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.op} | ${row.refresh ? 'on' : 'off'} | ${row.n} | ${fmt(row.ours)} | ${fmt(row.walletmesh)} | ${fmt(row.baseline)} | ${fmt(row.floor)} | ${ratio(row.ours, row.walletmesh)} | ${ratio(row.ours, row.baseline)} | ${ratio(row.ours, row.floor)} |`);
  }
  const { rows: within, floor } = budget;
  const judged = rows.filter(within);
  const below = judged.filter((row) => row.ours / row.walletmesh < floor);
  const worst = Math.min(...judged.map((row) => row.ours / row.walletmesh));
  console.log(`Budget ≥ ${floor.toFixed(1)}× @walletmesh: ${below.length ? `not met, ${below.length} of ${judged.length} rows below (lowest ${worst.toFixed(2)}×: ${below.map((row) => `${row.op}/${row.refresh ? 'on' : 'off'}/${row.n}`).join(', ')})` : `met (lowest ${worst.toFixed(2)}×)`}`);
}

compilePeers();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version, chromium: execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
};
console.log(`Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.chromium}`);
const node = await nodeRows();
printRows('Node, memory stores', node, { rows: (row) => row.refresh, floor: 0.9 });
buildSite();
const [browser, server] = await Promise.all([launchChromium(), serve(site, 0, { isolated: true, gzip: true })]);
let chromium;
let start;
try {
  chromium = await chromiumRows(browser, server.url);
  printRows('Headless Chromium, localStorage with 1,000 unrelated keys', chromium, { rows: () => true, floor: 1.0 });
  start = await startup(browser, server.url);
} finally {
  await browser.close();
  await server.close();
}
console.log(`\nStart-up, navigation to the first getAll() of 100 stored sessions, 40 ms latency, 10 Mbit/s, no cache, gzip (median of ${start.loads} loads each)`);
const startupLabels = { plain: 'plain page, main entry', stores: 'plain page, ./stores', vite: 'Vite build, main entry' };
const startupBudget = { plain: 0.8, stores: 0.9, vite: 0.8 };
console.log('| page | ours ms | @walletmesh ms | baseline ms | speed ours/@walletmesh (budget) | script bytes in at, ours / @walletmesh / baseline | parse to first getAll, ours / @walletmesh / baseline |');
console.log('|---|---:|---:|---:|---:|---|---|');
for (const variant of ['plain', 'stores', 'vite']) {
  const { ours, walletmesh, baseline } = start[variant];
  const speed = walletmesh.ms / ours.ms;
  const each = (pick) => [ours, walletmesh, baseline].map((one) => pick(one).toFixed(1)).join(' / ');
  console.log(`| ${startupLabels[variant]} | ${ours.ms.toFixed(1)} | ${walletmesh.ms.toFixed(1)} | ${baseline.ms.toFixed(1)} | ${speed.toFixed(2)}× (≥ ${startupBudget[variant]}×: ${speed >= startupBudget[variant] ? 'met' : 'not met'}) | ${each((one) => one.arrived)} | ${each((one) => one.ms - one.arrived)} |`);
}
const size = sizes();
console.log('\nPackage size (bytes)\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|');
for (const s of size) console.log(`| ${s.file} | ${s.raw.toLocaleString('en-US')} | ${s.gzip.toLocaleString('en-US')} | ${s.brotli.toLocaleString('en-US')} |`);
const gzipOf = (file) => size.find((s) => s.file === file).gzip;
const webTotal = gzipOf('pkg/index.js');
const budgetLine = (name, file, budget) => `${name} ${gzipOf(file).toLocaleString('en-US')} bytes (budget ${budget.toLocaleString('en-US')}: ${gzipOf(file) <= budget ? 'met' : 'not met'})`;
console.log(`What a browser downloads, gzip: ${budgetLine('main entry', 'pkg/index.js', 30_720)}, ${budgetLine('./stores', 'pkg/stores.js', 10_240)}, ${budgetLine('./adapters', 'pkg/adapters.js', 16_384)}; @walletmesh's store ${gzipOf(MODULES.walletmesh).toLocaleString('en-US')} bytes`);

mkdirSync(`${root}bench/results`, { recursive: true });
const results = { date: new Date().toISOString(), machine, node, chromium, startup: start, size, webGzipTotal: webTotal };
writeFileSync(`${root}bench/results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log('\nWrote bench/results/latest.json');
