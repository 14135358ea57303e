// The packed tarball, installed into scratch projects and used as users use it: Node require and
// import, TypeScript --strict, a Vite production build and a plain page in headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { serve } from '../../scripts/serve.mjs';
import { launchChromium, strictPage } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'tests/package/fixtures');
const scratch = join(root, 'target/consumers');
const bin = (name) => join(root, 'node_modules/.bin', name);
const tarball = join(root, 'target/package', readdirSync(join(root, 'target/package')).find((f) => f.endsWith('.tgz')));
const stored = { id: 'consumer', origin: null, permissions: { 'eip155:1': ['eth_accounts'] } };

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh project with the tarball installed offline (it has no dependencies) and fixture files. */
function project(name, files, manifest = {}) {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...manifest }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
  for (const [from, to] of files) cpSync(join(fixtures, from), join(dir, to), { recursive: true });
  return dir;
}

/** Serves `dir` on 127.0.0.1 for the duration of `storeThenReload`. */
async function servedStoreThenReload(dir) {
  const server = await serve(dir);
  try {
    await storeThenReload(server.url);
  } finally {
    await server.close();
  }
}

/** Loads the page, which stores a session; reloads, and the new store instance must restore it. */
async function storeThenReload(url) {
  const page = await strictPage(browser);
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('#out').textContent !== 'loading');
  assert.equal(await page.textContent('#out'), 'stored');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#out').textContent.startsWith('restored'));
  const restored = JSON.parse((await page.textContent('#out')).slice('restored '.length));
  assert.deepEqual(restored, { ...stored, origin: new URL(url).origin });
  assert.equal(await page.evaluate(() => Object.keys(localStorage).join()), 'wm_session_consumer');
  assert.deepEqual(page.problems, []);
  await page.close();
}

test('the tarball holds the package files and nothing else', () => {
  const files = run('tar', ['tzf', tarball], root).trim().split('\n').sort();
  assert.deepEqual(files, [
    'package/LICENSE', 'package/README.md', 'package/package.json',
    'package/node/index.d.mts', 'package/node/index.mjs', 'package/node/package.json',
    'package/node/wasm_session_store.d.ts', 'package/node/wasm_session_store.js', 'package/node/wasm_session_store_bg.wasm',
    'package/web/index.d.ts', 'package/web/index.js',
    'package/web/wasm_session_store.d.ts', 'package/web/wasm_session_store.js', 'package/web/wasm_session_store_bg.wasm',
  ].sort());
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

test('Node require and import share one module instance', () => {
  const dir = project('node-dual', []);
  const script = `
    const { createRequire } = require('node:module');
    import('wasm-session-store').then((esm) => {
      const cjs = require('wasm-session-store');
      console.log(esm.SessionManager === cjs.SessionManager && esm.hashToken === cjs.hashToken);
    });`;
  assert.equal(run('node', ['-e', script], dir).trim(), 'true');
});

test('TypeScript --strict compiles a consumer against the package, and an app\'s own session types, for Node and for bundlers', () => {
  const dir = project('types', [['types/consumer.ts', 'consumer.ts'], ['types/drop-in.ts', 'drop-in.ts']], { type: 'module' });
  const options = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable', 'DOM'], types: [], skipLibCheck: false };
  for (const [module, moduleResolution] of [['NodeNext', 'NodeNext'], ['ESNext', 'Bundler']]) {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, module, moduleResolution }, files: ['consumer.ts', 'drop-in.ts'] }));
    run(bin('tsc'), ['-p', '.'], dir);
  }
});

test('a Vite production build, served on 127.0.0.1, stores a session and restores it after a reload', async () => {
  const dir = project('vite-app', [['vite-app/index.html', 'index.html'], ['session-page.js', 'main.js']]);
  run(bin('vite'), ['build', '--logLevel', 'warn'], dir);
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.ok(assets.some((file) => file.endsWith('.wasm')), `Vite emitted the .wasm: ${assets}`);
  await servedStoreThenReload(join(dir, 'dist'));
});

test('a webpack 5 production build, with no configuration beyond entry and output, stores and restores a session', async () => {
  const dir = project('webpack-app', [['webpack-app/index.html', 'dist/index.html'], ['session-page.js', 'main.js']]);
  const stats = await new Promise((done, fail) => {
    webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: join(dir, 'dist'), filename: 'main.js' } })
      .run((error, result) => (error ? fail(error) : done(result)));
  });
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  assert.ok(readdirSync(join(dir, 'dist')).some((file) => file.endsWith('.wasm')), 'webpack emitted the .wasm');
  await servedStoreThenReload(join(dir, 'dist'));
});

test('a plain page importing the web build through an import map stores and restores a session', async () => {
  const dir = project('plain-page', [['plain-page/index.html', 'index.html'], ['session-page.js', 'main.js']]);
  await servedStoreThenReload(dir);
});
