// A module that cannot be compiled is a failure the app can catch: importing the package still
// succeeds, constructors return stand-ins, and every call rejects (or, for the methods that return
// no Promise, throws) with MODULE_UNAVAILABLE and the engine's error as `cause`. The package has
// no .wasm request that could be blocked; what can be blocked is compiling it: a
// Content-Security-Policy without 'wasm-unsafe-eval' in Chromium, and WebAssembly switched off
// (as iOS Lockdown Mode does) in Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchChromium, strictPage } from '../support/browser.mjs';
import { serve } from '../../scripts/serve.mjs';
import { bin, project, run, writePage } from './support.mjs';
import { writeFileSync } from 'node:fs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

const expected = (cause) => [
  'kind localStorage true LocalStorageSessionStore',
  ...['get', 'set', 'getAll', 'delete', 'clear', 'cleanExpired', 'validateAndRefresh', 'subscribe', 'validate', 'create',
    'hashToken', 'generateSessionId', 'createSessionStore', 'IndexedDbSessionStore', 'AdapterSessionStore', 'adapter manager',
    'migrateSessions'].map((name) => `${name} MODULE_UNAVAILABLE ${cause}`),
  'freed',
];

test('Node with WebAssembly switched off (--jitless): import succeeds, every call fails with MODULE_UNAVAILABLE', () => {
  const dir = project('unavailable-node', [['unavailable/probe.js', 'probe.mjs']]);
  const script = "import('./probe.mjs').then(async ({ probe }) => console.log(JSON.stringify(await probe())));";
  const report = JSON.parse(run('node', ['--jitless', '--no-warnings', '-e', script], dir));
  assert.deepEqual(report, expected('ReferenceError'));
});

test('Chromium under a Content-Security-Policy without \'wasm-unsafe-eval\': the page loads and reports MODULE_UNAVAILABLE', async () => {
  const dir = project('unavailable-csp', [['unavailable/probe.js', 'probe.js']]);
  writeFileSync(join(dir, 'main.js'), "import { probe } from './probe.js';\nprobe().then((report) => { document.querySelector('#out').textContent = JSON.stringify(report); });\n");
  run(bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--outfile=dist/main.js', '--log-level=warning'], dir);
  writePage(join(dir, 'dist'));
  const server = await serve(join(dir, 'dist'), 0, { headers: { 'content-security-policy': "script-src 'self'" } });
  try {
    const page = await strictPage(browser);
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#out').textContent !== 'loading');
    assert.deepEqual(JSON.parse(await page.textContent('#out')), expected('CompileError'));
    // Chromium reports the refused compile itself; nothing else goes wrong on the page.
    assert.ok(page.problems.every((problem) => /wasm-unsafe-eval|WebAssembly/.test(problem)), page.problems.join('\n'));
    await page.close();
  } finally {
    await server.close();
  }
});
