// What the consumer tests share: the packed tarball, scratch projects with it installed, and the
// store-then-reload check every page consumer passes in headless Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { strictPage } from '../support/browser.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixtures = join(root, 'tests/package/fixtures');
export const scratch = join(root, 'target/consumers');
export const bin = (name) => join(root, 'node_modules/.bin', name);
export const tarball = join(root, 'target/package', readdirSync(join(root, 'target/package')).find((f) => f.endsWith('.tgz')));
export const stored = { id: 'consumer', origin: null, permissions: { 'eip155:1': ['eth_accounts'] } };

export function run(command, args, cwd, env = {}) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/** The exact version the workspace's lockfile pins for a tool a scratch project installs itself. */
export function pinned(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * A fresh project with the tarball installed offline (it has no dependencies), the given npm
 * packages from the cache `npm ci` filled, and fixture files.
 */
export function project(name, files, manifest = {}, packages = [], base = scratch) {
  const dir = join(base, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...manifest }));
  run('npm', ['install', packages.length ? '--prefer-offline' : '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...packages.map((p) => `${p}@${pinned(p)}`)], dir);
  for (const [from, to] of files) cpSync(join(fixtures, from), join(dir, to), { recursive: true });
  return dir;
}

/** A page whose script is `script` (a module or a classic script). */
export function writePage(dir, { module = true, script = './main.js' } = {}) {
  const tag = module ? `<script type="module" src="${script}"></script>` : `<script src="${script}"></script>`;
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>consumer</title><link rel="icon" href="data:,"></head>
  <body>
    <p id="out">loading</p>
    ${tag}
  </body>
</html>
`);
}

/** Serves `dir` on 127.0.0.1 for the duration of `storeThenReload`. */
export async function servedStoreThenReload(browser, dir) {
  const server = await serve(dir);
  try {
    await storeThenReload(browser, server.url);
  } finally {
    await server.close();
  }
}

/** Loads the page, which stores a session; reloads, and the new store instance must restore it. */
export async function storeThenReload(browser, url, { path = '' } = {}) {
  const page = await strictPage(browser);
  await page.goto(new URL(path, url).href);
  await page.waitForFunction(() => document.querySelector('#out')?.textContent !== 'loading');
  assert.equal(await page.textContent('#out'), 'stored');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#out')?.textContent.startsWith('restored'));
  const restored = JSON.parse((await page.textContent('#out')).slice('restored '.length));
  assert.deepEqual(restored, { ...stored, origin: new URL(url).origin });
  assert.equal(await page.evaluate(() => Object.keys(localStorage).join()), 'wm_session_consumer');
  assert.deepEqual(page.problems, []);
  await page.close();
}

/** The files a build wrote, recursively, relative to `dir`. */
export function filesIn(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}
