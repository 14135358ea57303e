// The packed tarball, installed into scratch projects and used as users use it: Node require and
// import, TypeScript --strict, Vite and webpack production builds and a plain page in headless
// Chromium. Bundlers without asset handling are in bundlers.test.mjs, Next.js in nextjs.test.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { launchChromium } from '../support/browser.mjs';
import { bin, filesIn, project, root, run, servedStoreThenReload, tarball, writePage } from './support.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

test('the tarball holds the package files and nothing else, each server adapter of js/adapters/ its own subpath', () => {
  const files = run('tar', ['tzf', tarball], root).trim().split('\n').sort();
  const adapters = readdirSync(join(root, 'js/adapters')).filter((file) => file.endsWith('.js')).map((file) => file.slice(0, -3));
  assert.deepEqual(adapters.sort(), ['kv', 'redis']);
  assert.deepEqual(files, [
    'package/LICENSE', 'package/README.md', 'package/package.json',
    'package/index.js', 'package/index.cjs', 'package/index.d.ts', 'package/index.d.cts',
    'package/stores.js', 'package/stores.cjs', 'package/stores.d.ts', 'package/stores.d.cts',
    'package/adapters.js', 'package/adapters.cjs', 'package/adapters.d.ts', 'package/adapters.d.cts',
    'package/worker.js', 'package/worker.d.ts', 'package/index.wasm',
    ...adapters.flatMap((name) => ['js', 'cjs', 'd.ts', 'd.cts'].map((extension) => `package/${name}.${extension}`)),
  ].sort());
  const manifest = JSON.parse(run('tar', ['xzf', tarball, '-O', 'package/package.json'], root));
  for (const name of adapters) assert.equal(manifest.exports[`./${name}`].require.default, `./${name}.cjs`, name);
});

for (const [kind, script, id] of [['require', 'require.cjs', 'cjs'], ['import', 'import.mjs', 'esm']]) {
  test(`Node ${kind}: set, then a new process's store gets it`, () => {
    const dir = project(`node-${kind}`, [['node', '.']]);
    assert.equal(run('node', [script, 'storage.json'], dir).trim(), 'stored 43');
    const [word, json] = run('node', [script, 'storage.json'], dir).trim().split(/ (.*)/s);
    assert.equal(word, 'restored');
    assert.deepEqual(JSON.parse(json), { id, origin: `node:${kind}` });
  });
}

test('Node: require and import in one process load one instance (require of ES modules), and ./stores has the stores without the manager', () => {
  const dir = project('node-dual', []);
  const script = `
    import('wasm-session-store').then(async (esm) => {
      const cjs = require('wasm-session-store');
      const stores = require('wasm-session-store/stores');
      const storesEsm = await import('wasm-session-store/stores');
      const store = new stores.MemorySessionStore();
      await store.set('a', { id: 'a' });
      console.log(JSON.stringify([
        cjs === esm, cjs.MemorySessionStore === esm.MemorySessionStore, new cjs.MemorySessionStore() instanceof esm.MemorySessionStore,
        stores === storesEsm, (await store.get('a')).id, 'SessionManager' in stores,
      ]));
    });`;
  assert.deepEqual(JSON.parse(run('node', ['-e', script], dir)), [true, true, true, true, 'a', false]);
});

test('package.json: the engines range is where require returns the ES module (Node ^20.19 || >=22.12), and every entry has the module-sync condition', () => {
  const manifest = JSON.parse(run('tar', ['xzf', tarball, '-O', 'package/package.json'], root));
  assert.equal(manifest.engines.node, '^20.19.0 || >=22.12.0');
  for (const [entry, conditions] of Object.entries(manifest.exports)) {
    if (entry === './package.json') continue;
    const keys = Object.keys(conditions);
    assert.ok(keys.indexOf('module-sync') < keys.indexOf('require'), `${entry}: module-sync before require`);
    assert.equal(conditions['module-sync'].default, conditions.import.default, entry);
  }
});

test('TypeScript --strict compiles a consumer against the package, and an app\'s own session types, for Node and for bundlers', () => {
  const dir = project('types', [['types/consumer.ts', 'consumer.ts'], ['types/drop-in.ts', 'drop-in.ts'], ['types/stores-entry.ts', 'stores-entry.ts'], ['types/adapters-entry.ts', 'adapters-entry.ts'], ['types/redis-entry.ts', 'redis-entry.ts']], { type: 'module' }, ['redis', 'ioredis']);
  const options = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable', 'DOM'], types: [], skipLibCheck: false };
  for (const [module, moduleResolution] of [['NodeNext', 'NodeNext'], ['ESNext', 'Bundler']]) {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, module, moduleResolution }, files: ['consumer.ts', 'drop-in.ts', 'stores-entry.ts', 'adapters-entry.ts', 'redis-entry.ts'] }));
    run(bin('tsc'), ['-p', '.'], dir);
  }
});

test('a Vite production build (module in the JS, no .wasm asset) stores a session and restores it after a reload', async () => {
  const dir = project('vite-app', [['session-page.js', 'main.js']]);
  writePage(dir);
  run(bin('vite'), ['build', '--logLevel', 'warn'], dir);
  assert.ok(!filesIn(join(dir, 'dist')).some((file) => file.endsWith('.wasm')));
  await servedStoreThenReload(browser, join(dir, 'dist'));
});

test('a webpack 5 production build, with no configuration beyond entry and output, stores and restores a session', async () => {
  const dir = project('webpack-app', [['session-page.js', 'main.js']]);
  writePage(join(dir), { module: false, script: './dist/main.js' });
  const stats = await new Promise((done, fail) => {
    webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: join(dir, 'dist'), filename: 'main.js' } })
      .run((error, result) => (error ? fail(error) : done(result)));
  });
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), stats.toString('errors-warnings'));
  assert.deepEqual(filesIn(join(dir, 'dist')), ['main.js']);
  await servedStoreThenReload(browser, dir);
});

test('a plain page importing the package through an import map stores and restores a session', async () => {
  const dir = project('plain-page', [['plain-page/index.html', 'index.html'], ['session-page.js', 'main.js']]);
  await servedStoreThenReload(browser, dir);
});
