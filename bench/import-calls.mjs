// How many times one operation of each store crosses between JavaScript and the module: calls
// into it (exports) and calls out of it (imports), counted by wrapping every export and import of
// the instance. Part of the benchmark: where the time of each throughput row goes. Run through
// scripts/bench.sh.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const counted = { on: false, calls: 0, exports: 0 };
const counting = (value, field) => (typeof value !== 'function' ? value : function count(...args) {
  if (counted.on) counted[field]++;
  return value.apply(this, args);
});
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function CountingInstance(module, imports) {
  const wrapped = {};
  for (const [space, functions] of Object.entries(imports)) {
    wrapped[space] = {};
    for (const [name, value] of Object.entries(functions)) wrapped[space][name] = counting(value, 'calls');
  }
  const instance = new Instance(module, wrapped);
  const exports = {};
  for (const [name, value] of Object.entries(instance.exports)) exports[name] = counting(value, 'exports');
  return { exports };
};
const { RecordingStorage } = await import(`${root}tests/js/support.mjs`);
globalThis.localStorage = new RecordingStorage();
const { MemorySessionStore, LocalStorageSessionStore } = await import(`${root}pkg/index.js`);

const data = { id: 's1', origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } };
const rows = [];
for (const [kind, Store] of [['memory', MemorySessionStore], ['localStorage', LocalStorageSessionStore]]) {
  const counts = {};
  for (const [op, refresh, call] of [
    ['set', false, (s) => s.set('s1', data)],
    ['get', false, (s) => s.get('s1')],
    ['validateAndRefresh', true, (s) => s.validateAndRefresh('s1')],
    ['delete (absent id)', false, (s) => s.delete('absent')],
    ['getAll (10 sessions)', false, (s) => s.getAll()],
    ['getAll (10 sessions, refresh on access)', true, (s) => s.getAll()],
    ['cleanExpired (10 sessions, none expired)', false, (s) => s.cleanExpired()],
  ]) {
    const store = new Store({ lifetime: 3_600_000, refreshOnAccess: refresh, prefix: `count-${op}:` });
    for (let i = 0; i < 10; i++) await store.set(`s${i}`, data);
    counted.calls = 0;
    counted.exports = 0;
    counted.on = true;
    await call(store);
    counted.on = false;
    counts[op] = `${counted.exports} in, ${counted.calls} out`;
    store.free();
  }
  rows.push([kind, counts]);
}
const ops = Object.keys(rows[0][1]);
console.log('\nCrossings per operation: calls into the module, and calls out of it to JavaScript');
console.log(`| operation | ${rows.map(([kind]) => kind).join(' | ')} |`);
console.log(`|---|${rows.map(() => '---:').join('|')}|`);
for (const op of ops) console.log(`| ${op} | ${rows.map(([, counts]) => counts[op]).join(' | ')} |`);
writeFileSync(`${root}bench/results/import-calls.json`, `${JSON.stringify(Object.fromEntries(rows), null, 2)}\n`);
console.log('Wrote bench/results/import-calls.json');
