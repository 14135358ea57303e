// Next.js 16, default settings, with Turbopack (its default bundler) and with webpack: a Server
// Component and a client component (rendered on the server, then hydrated) using the stores, a
// Route Handler using the SessionManager, all run from `output: 'standalone'` copied elsewhere,
// as a Docker deployment runs it, with the build directory deleted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.mjs';
import { project, run, storeThenReload } from './support.mjs';

let browser;
before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts the standalone server; resolves to `{ url, stop }` once it answers. */
async function startStandalone(dir) {
  const port = await freePort();
  const server = spawn('node', ['server.js'], { cwd: dir, env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (chunk) => { log += chunk; });
  server.stderr.on('data', (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}/`;
  for (let tries = 0; ; tries++) {
    try {
      await fetch(url);
      break;
    } catch {
      if (tries > 100 || server.exitCode !== null) throw new Error(`the standalone server did not start: ${log}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }
  return { url, log: () => log, stop: () => new Promise((done) => { server.once('exit', done); server.kill(); }) };
}

for (const bundler of ['turbopack', 'webpack']) {
  test(`Next.js 16 with ${bundler}: Server Component, server-rendered client component, Route Handler, from a copied standalone build`, async () => {
    // Outside the repository, so that Next sees one project and its own lockfile.
    const base = mkdtempSync(join(tmpdir(), 'wss-next-'));
    const deployed = mkdtempSync(join(tmpdir(), 'wss-next-standalone-'));
    let server;
    try {
      const dir = project('app', [['next-app/.', '.']], {}, ['next', 'react', 'react-dom'], base);
      const output = run(join(dir, 'node_modules/.bin/next'), ['build', ...(bundler === 'webpack' ? ['--webpack'] : [])], dir, { NEXT_TELEMETRY_DISABLED: '1' });
      // Under CI, Next always notes that it found no build cache; any other warning is ours.
      const warnings = output.split('\n').filter((line) => /⚠|warn/i.test(line) && !/No build cache found/.test(line));
      assert.deepEqual(warnings, [], output);
      cpSync(join(dir, '.next/standalone'), deployed, { recursive: true });
      cpSync(join(dir, '.next/static'), join(deployed, '.next/static'), { recursive: true });
      rmSync(base, { recursive: true, force: true });

      server = await startStandalone(deployed);
      const html = await (await fetch(server.url)).text();
      assert.match(html, /<p id="server">server server ba7816bf8f01<\/p>/, 'the Server Component ran the store and hashToken');
      assert.match(html, /<p id="out">loading<\/p>/, 'the client component was rendered on the server');

      const agent = { 'user-agent': 'consumer-test' };
      const created = await (await fetch(`${server.url}api/session`, { method: 'POST', headers: { ...agent, 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u1' }) })).json();
      assert.equal(created.token.length, 43);
      const check = async (headers) => (await fetch(`${server.url}api/session?token=${created.token}`, { headers })).json();
      assert.deepEqual(await check(agent), { valid: true, userId: 'u1', error: null });
      assert.deepEqual(await check({ 'user-agent': 'someone else' }), { valid: false, userId: null, error: 'user_agent_mismatch' });

      await storeThenReload(browser, server.url);
      assert.doesNotMatch(server.log(), /error/i, server.log());
    } finally {
      await server?.stop();
      rmSync(base, { recursive: true, force: true });
      rmSync(deployed, { recursive: true, force: true });
    }
  });
}
