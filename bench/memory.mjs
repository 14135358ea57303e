// The memory rows: the module's linear memory and the JS heap of a Node process, ours beside
// @walletmesh/router's own store (compiled by bench/run.mjs) and the plain-TypeScript baseline,
// each scenario in a fresh process (`--expose-gc`), measured after a
// warm-up, after the work, and after the same work once more (what grows there grows without
// bound), each time after a full garbage collection. Prints the table; writes
// bench/results/memory.json. Run through scripts/bench.sh (after the package and the baseline are built).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCENARIOS = {
  'set/delete': '1,000,000 set/delete cycles (a new id each) over 100 live sessions',
  'fill/clear': '100,000 sessions stored, then cleared',
  stores: '10,000 stores created and freed',
  'stores+listeners': '10,000 stores created, subscribed to, and freed',
  unfreed: '10,000 stores created and dropped without free() (the FinalizationRegistry path)',
};

if (process.argv[2] === 'child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const results = {};
  console.log('\nMemory (Node, each scenario in a fresh process; after a full GC; MB)');
  console.log('| scenario | ours: linear memory, warm-up → once → twice | ours: JS heap, warm-up → once → twice | @walletmesh: JS heap, warm-up → once → twice | baseline: JS heap, warm-up → once → twice |');
  console.log('|---|---|---|---|---|');
  for (const [name, label] of Object.entries(SCENARIOS)) {
    const run = (impl) => JSON.parse(execFileSync('node', ['--expose-gc', fileURLToPath(import.meta.url), 'child', impl, name], { encoding: 'utf8' }).trim().split('\n').pop());
    const ours = run('ours');
    const walletmesh = run('walletmesh');
    const baseline = run('baseline');
    results[name] = { label, ours, walletmesh, baseline };
    const mb = (bytes) => (bytes / 1_048_576).toFixed(2);
    const pair = (samples) => samples.map(mb).join(' → ');
    console.log(`| ${label} | ${pair(ours.linear)} | ${pair(ours.heap)} | ${pair(walletmesh.heap)} | ${pair(baseline.heap)} |`);
  }
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileSync(`${root}bench/results/memory.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench/results/memory.json');
}

async function child(impl, scenario) {
  // The module's memory, caught as the package instantiates it.
  let memory;
  const RealInstance = WebAssembly.Instance;
  WebAssembly.Instance = function Instance(module, imports) {
    const instance = new RealInstance(module, imports);
    memory ??= Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory);
    return instance;
  };
  const modules = { ours: 'pkg/index.js', walletmesh: 'target/bench/walletmesh/walletmesh-session-store.js', baseline: 'target/bench/baseline/session-store.js' };
  const { MemorySessionStore } = await import(`${root}${modules[impl]}`);
  const settle = async () => {
    // Finalizers run after a collection, in later tasks.
    for (let i = 0; i < 3; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const sample = async () => {
    await settle();
    return { linear: memory?.buffer.byteLength ?? 0, heap: process.memoryUsage().heapUsed };
  };
  const session = (n) => ({ id: `session-${n}`, origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } });
  const work = {
    async 'set/delete'(rounds) {
      const store = new MemorySessionStore({ lifetime: 3_600_000 });
      for (let n = 0; n < 100; n++) await store.set(`live-${n}`, session(n));
      for (let n = 0; n < rounds; n++) {
        await store.set(`cycle-${n}`, session(n));
        await store.delete(`cycle-${n}`);
      }
      return store;
    },
    async 'fill/clear'(count) {
      const store = new MemorySessionStore({ lifetime: 3_600_000 });
      for (let n = 0; n < count; n++) await store.set(`s-${n}`, session(n));
      await store.clear();
      return store;
    },
    async stores(count, listen = false, free = true) {
      for (let n = 0; n < count; n++) {
        const store = new MemorySessionStore();
        await store.set('a', session(n));
        if (listen) store.subscribe?.(() => {});
        if (free) store.free?.();
      }
    },
    'stores+listeners': (count) => work.stores(count, true),
    unfreed: (count) => work.stores(count, false, false),
  };
  const size = { 'set/delete': 1_000_000, 'fill/clear': 100_000, stores: 10_000, 'stores+listeners': 10_000, unfreed: 10_000 }[scenario];
  // Warm-up: the same work at a hundredth of its size, so that what the first calls allocate once is not counted.
  const kept = [await work[scenario](Math.max(1, size / 100))];
  const samples = [await sample()];
  for (let pass = 0; pass < 2; pass++) {
    kept.push(await work[scenario](size));
    samples.push(await sample());
  }
  console.log(JSON.stringify({ linear: samples.map((s) => s.linear), heap: samples.map((s) => s.heap) }));
}
