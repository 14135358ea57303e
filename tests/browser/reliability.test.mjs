// Reliability in headless Chromium: storage denied to a sandboxed frame, and other tabs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { launchChromium } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const site = `${root}target/browser-site`;
let browser;
let server;

before(async () => {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(`${root}tests/browser/site`, site, { recursive: true });
  cpSync(`${root}pkg`, `${site}/pkg`, { recursive: true });
  [browser, server] = await Promise.all([launchChromium(), serve(site)]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function storePage(context) {
  const page = await context.newPage();
  await page.goto(`${server.url}store.html`);
  await page.waitForFunction(() => document.title === 'ready');
  return page;
}

test('denied storage: in a sandboxed frame every method rejects with STORAGE_UNAVAILABLE, nothing throws at import or construction', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}sandboxed.html`);
  await page.waitForFunction(() => document.title === 'reported', null, { timeout: 10_000 });
  const report = await page.evaluate(() => window.frameReport);
  assert.equal(report.thrown, undefined);
  assert.equal(report.localStorageThrows, 'SecurityError', 'the frame really is denied localStorage');
  assert.deepEqual(report.steps, ['imported', 'constructed']);
  const expected = 'STORAGE_UNAVAILABLE: LocalStorage is not available in this environment';
  assert.deepEqual(report.outcomes, Object.fromEntries(
    ['set', 'get', 'getAll', 'delete', 'clear', 'validateAndRefresh', 'cleanExpired'].map((name) => [name, expected]),
  ));
  assert.equal(report.fallbackKind, 'memory', 'createSessionStore falls back to memory');
  assert.equal(report.fallbackWorks, true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('other tabs: a subscriber hears sets, deletes and clears made in another page, only under its prefix', async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const [writer, listener] = [await storePage(context), await storePage(context)];
  await listener.evaluate(() => {
    window.store = new window.sessions.LocalStorageSessionStore();
    window.stop = window.store.subscribe((event) => window.heard.push(event));
  });
  await writer.evaluate(async () => {
    const store = new window.sessions.LocalStorageSessionStore();
    const other = new window.sessions.LocalStorageSessionStore({ prefix: 'other:' });
    await store.set('a', { id: 'a', origin: 'tab-1' });
    await other.set('not-mine', { id: 'x', origin: 'tab-1' });
    localStorage.setItem('unrelated', 'x');
    await store.delete('a');
    localStorage.clear();
  });
  await listener.waitForFunction(() => window.heard.length >= 3);
  assert.deepEqual(await listener.evaluate(() => window.heard), [
    { type: 'set', sessionId: 'a', data: { id: 'a', origin: 'tab-1' } },
    { type: 'delete', sessionId: 'a' },
    { type: 'clear' },
  ]);

  await listener.evaluate(() => window.stop());
  await writer.evaluate(() => new window.sessions.LocalStorageSessionStore().set('b', { id: 'b', origin: 'tab-1' }));
  await listener.waitForTimeout(300);
  assert.equal(await listener.evaluate(() => window.heard.length), 3, 'nothing after unsubscribing');
});

test('kind and createSessionStore in a page with localStorage', async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await storePage(context);
  assert.deepEqual(await page.evaluate(() => [
    window.sessions.createSessionStore().kind,
    new window.sessions.MemorySessionStore().kind,
    new window.sessions.SessionStorageSessionStore().kind,
  ]), ['localStorage', 'memory', 'sessionStorage']);
});
