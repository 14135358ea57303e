// Bundlers that copy no assets on their own, each with its default settings: esbuild (ESM, and its
// default format, an iife), Rollup 4 with @rollup/plugin-node-resolve only, `bun build`, and a Vite
// app whose Worker Vite builds as a classic script. The module travels inside the JS, so each
// works as is.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.mjs';
import { serve } from '../../scripts/serve.mjs';
import { bin, filesIn, project, root, run, servedStoreThenReload, storeThenReload, writePage } from './support.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

for (const [name, args, module] of [
  ['esbuild, ESM output', ['--format=esm'], true],
  ['esbuild, its default output (an iife, a classic script)', [], false],
]) {
  test(`${name}: builds with no loader or plugin, stores and restores a session`, async () => {
    const dir = project(`esbuild-${module ? 'esm' : 'iife'}`, [['session-page.js', 'main.js']]);
    const output = run(bin('esbuild'), ['main.js', '--bundle', '--outfile=dist/main.js', '--log-level=warning', ...args], dir);
    assert.equal(output, '');
    assert.deepEqual(filesIn(join(dir, 'dist')), ['main.js']);
    writePage(join(dir, 'dist'), { module });
    await servedStoreThenReload(browser, join(dir, 'dist'));
  });
}

test('Rollup 4 with @rollup/plugin-node-resolve: builds without warnings, stores and restores a session', async () => {
  const dir = project('rollup', [['session-page.js', 'main.js']], { type: 'module' });
  writeFileSync(join(dir, 'rollup.config.js'), `import { nodeResolve } from '@rollup/plugin-node-resolve';
export default { input: 'main.js', output: { dir: 'dist', format: 'es' }, plugins: [nodeResolve()] };
`);
  // The workspace's rollup and plugin, found by walking up from the scratch project.
  const output = run(bin('rollup'), ['-c', '--silent'], dir);
  assert.equal(output, '');
  assert.deepEqual(filesIn(join(dir, 'dist')), ['main.js']);
  writePage(join(dir, 'dist'));
  await servedStoreThenReload(browser, join(dir, 'dist'));
});

test('bun build, default settings: stores and restores a session', async () => {
  const dir = project('bun', [['session-page.js', 'main.js']]);
  // The platform package's binary, or where bun's own install script moves it.
  const platform = join(root, 'node_modules/@oven/bun-linux-x64/bin/bun');
  run(existsSync(platform) ? platform : bin('bun'), ['build', './main.js', '--outdir', 'dist'], dir);
  assert.deepEqual(filesIn(join(dir, 'dist')), ['main.js']);
  writePage(join(dir, 'dist'));
  await servedStoreThenReload(browser, join(dir, 'dist'));
});

test('Vite, default settings: the page and a Worker (built as a classic script) both use the package', async () => {
  const dir = project('vite-worker', [['session-page.js', 'session-page.js'], ['vite-worker/main.js', 'main.js'], ['vite-worker/worker.js', 'worker.js']]);
  writePage(dir);
  writeFileSync(join(dir, 'index.html'), `${readFileSync(join(dir, 'index.html'), 'utf8').replace('</p>', '</p>\n    <p id="worker">working</p>')}`);
  run(bin('vite'), ['build', '--logLevel', 'warn'], dir);
  assert.ok(!filesIn(join(dir, 'dist')).some((file) => file.endsWith('.wasm')));
  const server = await serve(join(dir, 'dist'));
  try {
    await storeThenReload(browser, server.url);
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#worker').textContent !== 'working');
    assert.equal(await page.textContent('#worker'), 'worker w true worker-user');
    await page.close();
  } finally {
    await server.close();
  }
});
