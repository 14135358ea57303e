// The one conformance suite (tests/conformance/suite.mjs) in real headless Chromium: localStorage,
// sessionStorage, IndexedDB and idb-keyval in a page, IndexedDB in a dedicated Worker, and extension
// storage and IndexedDB in a real unpacked MV3 extension (its service worker and its page). Then
// what IndexedDB alone can do to a store: a connection closed under it, its object store deleted by
// another connection's upgrade.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { cases } from '../conformance/suite.mjs';
import { CHROMIUM, launchChromium, strictPage } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const site = `${root}target/conformance-site`;
let browser;
let server;

before(async () => {
  rmSync(site, { recursive: true, force: true });
  mkdirSync(`${site}/pkg`, { recursive: true });
  cpSync(`${root}tests/browser/conformance`, site, { recursive: true });
  cpSync(`${root}tests/conformance/suite.mjs`, `${site}/suite.mjs`);
  cpSync(`${root}pkg/index.js`, `${site}/pkg/index.js`);
  cpSync(`${root}node_modules/idb-keyval/dist/index.js`, `${site}/idb-keyval.js`);
  [browser, server] = await Promise.all([launchChromium(), serve(site)]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every case passed against every named backend, and none was skipped. */
function allPassed(results, backends) {
  // Only a case that needs a quota may be left out, by a backend without one.
  const failed = results.filter((result) => result.error || (result.skipped && !result.skipped.startsWith('n/a: no quota')));
  assert.deepEqual(failed, [], 'failures');
  assert.deepEqual([...new Set(results.map((result) => result.backend))], backends);
  assert.equal(results.length, cases.length * backends.length);
}

async function conformancePage() {
  const page = await strictPage(browser);
  await page.goto(`${server.url}page.html`);
  await page.waitForFunction(() => document.title === 'ready');
  return page;
}

test('in a page: localStorage, sessionStorage, IndexedDB, idb-keyval (the real library) and lockedLocalStorage pass the suite', async () => {
  const page = await conformancePage();
  // Every backend the page has, whatever the list: at least these.
  const results = await page.evaluate(() => window.run());
  const backends = [...new Set(results.map((result) => result.backend))];
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'idb-keyval', 'lockedLocalStorage']) assert.ok(backends.includes(name), name);
  allPassed(results, backends);
  const filled = results.filter((result) => result.name.startsWith('a full storage') && !result.skipped).map((result) => result.backend);
  assert.deepEqual(filled, ['localStorage', 'sessionStorage', 'lockedLocalStorage'], 'the Web Storage areas were really filled');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('in a dedicated Worker: IndexedDB passes the suite', async () => {
  const page = await conformancePage();
  allPassed(await page.evaluate(() => window.runInWorker(['indexedDB'])), ['indexedDB']);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('in a Service Worker the page registers: IndexedDB passes the suite', async () => {
  const page = await conformancePage();
  allPassed(await page.evaluate(() => window.runInServiceWorker(['indexedDB'])), ['indexedDB']);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('IndexedDB in a page and a dedicated Worker: each hears the changes the other makes', async () => {
  const page = await conformancePage();
  const { page: pageHeard, worker: workerHeard } = await page.evaluate(async () => {
    const store = new window.sessions.IndexedDbSessionStore({ database: 'relay', prefix: 'w:', lifetime: 60_000 });
    const heard = [];
    store.subscribe((event) => heard.push(event));
    await store.set('gone', 1);
    const worker = new Worker('./relay-worker.mjs', { type: 'module' });
    const ask = (message) => new Promise((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage(message);
    });
    await ask('ready?');
    await ask('write');
    await store.set('from-page', { by: 'page' });
    const until = Date.now() + 3_000;
    let inWorker = [];
    while (Date.now() < until && (heard.length < 4 || inWorker.length < 3)) {
      await new Promise((done) => setTimeout(done, 50));
      inWorker = await ask('heard?');
    }
    worker.terminate();
    return { page: heard, worker: inWorker };
  });
  assert.deepEqual(pageHeard, [
    { type: 'set', sessionId: 'gone', data: 1 },
    { type: 'set', sessionId: 'from-worker', data: { by: 'worker' } },
    { type: 'delete', sessionId: 'gone' },
    { type: 'set', sessionId: 'from-page', data: { by: 'page' } },
  ]);
  assert.deepEqual(workerHeard, [
    { type: 'set', sessionId: 'from-worker', data: { by: 'worker' } },
    { type: 'delete', sessionId: 'gone' },
    { type: 'set', sessionId: 'from-page', data: { by: 'page' } },
  ]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('in an unpacked MV3 extension: extension storage and IndexedDB in its service worker, extension storage in its page', async () => {
  const extension = mkdtempSync(join(tmpdir(), 'session-extension-'));
  const profile = mkdtempSync(join(tmpdir(), 'session-profile-'));
  cpSync(site, extension, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`,
    ],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await worker.evaluate(() => new Promise((resolve) => { const wait = () => (self.run ? resolve() : setTimeout(wait, 10)); wait(); }));
    allPassed(await worker.evaluate((names) => self.run(names), ['extension', 'indexedDB']), ['extension', 'indexedDB']);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/extension-page.html`);
    await page.waitForFunction(() => document.title === 'ready');
    allPassed(await page.evaluate(() => window.run(['extension'])), ['extension']);

    // Changes the service worker makes are heard in the page (chrome.storage.onChanged), each as
    // what it was, and the page's own change once.
    const config = { prefix: 'relay:', lifetime: 200, refreshOnAccess: true };
    await page.evaluate((options) => {
      window.store = new window.sessions.ExtensionSessionStore(options);
      window.heard = [];
      window.store.subscribe((event) => window.heard.push(event));
    }, config);
    await worker.evaluate(async (options) => {
      const store = new self.sessions.ExtensionSessionStore(options);
      const pause = (ms) => new Promise((done) => setTimeout(done, ms));
      await store.set('a', { id: 'a' });
      await pause(5);
      await store.get('a');
      await store.set('short', { id: 'short' });
      await store.delete('a');
      await pause(250);
      await store.cleanExpired();
      store.free();
    }, config);
    await page.evaluate(() => window.store.set('mine', 1, { expiresAt: Date.now() + 60_000 }));
    await page.waitForFunction(() => window.heard.length >= 6, undefined, { timeout: 5_000 });
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => window.heard), [
      { type: 'set', sessionId: 'a', data: { id: 'a' } },
      { type: 'refresh', sessionId: 'a' },
      { type: 'set', sessionId: 'short', data: { id: 'short' } },
      { type: 'delete', sessionId: 'a' },
      { type: 'expire', sessionId: 'short' },
      { type: 'set', sessionId: 'mine', data: 1 },
    ]);
  } finally {
    await context.close();
    rmSync(extension, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
});

test('IndexedDB: a connection closed under the store (Safari closes idle ones) is reopened, and the next call works', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    const opened = [];
    // The real factory, keeping each connection it opens so that the test can close it unannounced.
    const factory = { open: (...args) => { const request = indexedDB.open(...args); request.addEventListener('success', () => opened.push(request.result)); return request; } };
    const store = new window.sessions.IndexedDbSessionStore({ database: 'closing', indexedDB: factory });
    await store.set('a', { id: 'a', origin: 'o' });
    opened.at(-1).close();
    const afterClose = await store.get('a');
    return { afterClose, connections: opened.length };
  });
  assert.deepEqual(outcome, { afterClose: { id: 'a', origin: 'o' }, connections: 2 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('IndexedDB: another connection\'s upgrade is not blocked by the store, and an object store it deleted is made again', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    const store = new window.sessions.IndexedDbSessionStore({ database: 'upgraded' });
    await store.set('a', { id: 'a', origin: 'o' });
    // Another library (or tab) upgrades the database and drops our object store.
    const version = await new Promise((resolve, reject) => {
      const request = indexedDB.open('upgraded', 2);
      request.onupgradeneeded = () => request.result.deleteObjectStore('sessions');
      request.onsuccess = () => { const { version } = request.result; request.result.close(); resolve(version); };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked by the store\'s connection'));
    });
    const lost = await store.get('a');
    await store.set('b', { id: 'b', origin: 'o' });
    return { version, lost: lost ?? null, after: await store.get('b') };
  });
  assert.deepEqual(outcome, { version: 2, lost: null, after: { id: 'b', origin: 'o' } });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('IndexedDB: an upgrade blocked by a connection that never gives way is refused STORAGE_UNAVAILABLE at once, and works once it closes', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    // Another library's connection, without our object store and deaf to versionchange.
    const blocker = await new Promise((resolve, reject) => {
      const request = indexedDB.open('blocked', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('theirs');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = new window.sessions.IndexedDbSessionStore({ database: 'blocked' });
    const started = performance.now();
    const refused = await store.set('a', { id: 'a', origin: 'o' }).then(() => 'resolved', (error) => [error.code, error.message]);
    const waited = performance.now() - started;
    blocker.close();
    await store.set('a', { id: 'a', origin: 'o' });
    return { refused, quick: waited < 2_000, after: await store.get('a') };
  });
  assert.deepEqual(outcome.refused[0], 'STORAGE_UNAVAILABLE');
  assert.match(outcome.refused[1], /blocks the upgrade/);
  assert.deepEqual([outcome.quick, outcome.after], [true, { id: 'a', origin: 'o' }]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('migrateSessions moves real localStorage sessions into IndexedDB, as the README shows: kept after a reload, idempotent', async () => {
  const page = await conformancePage();
  const data = { id: 'm', origin: 'https://dapp.example', permissions: { 'eip155:1': ['eth_accounts'] } };
  const first = await page.evaluate(async (session) => {
    const { LocalStorageSessionStore, IndexedDbSessionStore, migrateSessions } = window.sessions;
    const from = new LocalStorageSessionStore({ prefix: 'move:' });
    await from.set('a', session);
    await from.set('b', { ...session, id: 'b' }, { expiresAt: Date.now() + 60_000 });
    const result = await migrateSessions(from, new IndexedDbSessionStore({ prefix: 'move:', database: 'moved' }));
    return { result, left: Object.keys(localStorage).filter((key) => key.startsWith('move:')) };
  }, data);
  assert.deepEqual(first, { result: { moved: 2, removed: 2 }, left: [] });
  await page.reload();
  await page.waitForFunction(() => document.title === 'ready');
  const after = await page.evaluate(async () => {
    const { LocalStorageSessionStore, IndexedDbSessionStore, migrateSessions } = window.sessions;
    const to = new IndexedDbSessionStore({ prefix: 'move:', database: 'moved' });
    const again = await migrateSessions(new LocalStorageSessionStore({ prefix: 'move:' }), to);
    const all = await to.getAll();
    return { again, ids: [...all.keys()].sort(), b: all.get('b') };
  });
  assert.deepEqual(after, { again: { moved: 0, removed: 0 }, ids: ['a', 'b'], b: { ...data, id: 'b' } });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('real Web Storage: ids with lone surrogate halves stay distinct; sessionStorage and localStorage keep to their own area under @walletmesh\'s keys', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    const { LocalStorageSessionStore, SessionStorageSessionStore } = window.sessions;
    localStorage.clear();
    sessionStorage.clear();
    // '\uD800' and '\uDC00' would both be U+FFFD after a trip through UTF-8.
    const [high, low] = ['\uD800', '\uDC00'];
    const store = new LocalStorageSessionStore({ prefix: 'halves:' });
    await store.set(high, { side: 'high' });
    await store.set(low, { side: 'low' });
    const both = [(await store.get(high))?.side, (await store.get(low))?.side, (await store.getAll()).size];
    await store.delete(high);
    const afterDelete = [await store.get(high), (await store.get(low))?.side];
    await store.clear();
    const tab = new SessionStorageSessionStore();
    await tab.set('tab', { side: 'tab' });
    const areas = [sessionStorage.getItem('wm_session_tab'), localStorage.getItem('wm_session_tab')];
    await tab.clear();
    return { both, afterDelete, areas };
  });
  assert.deepEqual(outcome, {
    both: ['high', 'low', 2],
    afterDelete: [undefined, 'low'],
    areas: [JSON.stringify({ data: { side: 'tab' } }), null],
  });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the SessionManager over real localStorage: create, validate, rotate, revoke; a new manager finds an earlier one\'s sessions; user-agent binding with the real navigator.userAgent', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    const { SessionManager } = window.sessions;
    const verdict = async (manager, token, context) => {
      const result = await manager.validate(token, context);
      return result.valid ? 'valid' : result.error;
    };
    const m = new SessionManager({ storage: 'localStorage', prefix: 'mgr1:' });
    const created = await m.create({ userId: 'alice', metadata: { wallet: '0xabc' } });
    const stored = localStorage.getItem(`mgr1:${created.tokenHash}`);
    const first = [stored !== null, stored.includes(created.token), await verdict(m, created.token)];
    const refreshed = await m.refresh(created.token);
    const forward = localStorage.getItem(`mgr1:${created.tokenHash}`);
    const rotation = [await verdict(m, created.token), forward.includes('successor'), forward.includes(refreshed.token), await verdict(m, refreshed.token)];
    await m.destroy(created.id);
    const revoked = await verdict(m, refreshed.token);
    await m.destroyAllForUser('alice');
    const ended = await verdict(m, refreshed.token);

    const earlier = new SessionManager({ storage: 'localStorage', prefix: 'mgr2:' });
    const a = await earlier.create({ userId: 'alice' });
    await earlier.create({ userId: 'alice' });
    await earlier.create({ userId: 'bob' });
    earlier.free();
    const later = new SessionManager({ storage: 'localStorage', prefix: 'mgr2:' });
    const listed = await later.listForUser('alice');
    const found = [listed.length, listed.every((session) => !session.token && session.createdAt instanceof Date), await verdict(later, a.token)];
    await later.destroyAllForUser('alice');
    await later.destroyAllForUser('bob');
    const left = Object.keys(localStorage).filter((key) => key.startsWith('mgr2:')).length;

    const agent = navigator.userAgent;
    const bound = new SessionManager({ storage: 'localStorage', prefix: 'mgr3:', bindToUserAgent: true });
    const mine = await bound.create({ userId: 'alice', userAgent: agent });
    const binding = [await verdict(bound, mine.token, { userAgent: agent }), await verdict(bound, mine.token, { userAgent: 'curl/8' })];
    const refused = await bound.refresh(mine.token, { userAgent: 'curl/8' }).then(() => 'rotated', (error) => error.code);
    const rotated = await bound.refresh(mine.token, { userAgent: agent });
    binding.push(refused, await verdict(bound, rotated.token, { userAgent: agent }));
    await bound.destroyAllForUser('alice');
    return { first, rotation, revoked, ended, found, left, binding };
  });
  assert.deepEqual(outcome, {
    first: [true, false, 'valid'],
    rotation: ['invalid_token', true, false, 'valid'],
    revoked: 'session_revoked',
    ended: 'invalid_token',
    found: [2, true, 'valid'],
    left: 0,
    binding: ['valid', 'user_agent_mismatch', 'USER_AGENT_MISMATCH', 'valid'],
  });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('lockedLocalStorage() under a prefix that its cross-tab stamp key falls under (`w`): the stamp is never a session, never listed, counted or removed', async () => {
  const page = await conformancePage();
  const outcome = await page.evaluate(async () => {
    const { AdapterSessionStore, LocalStorageSessionStore, lockedLocalStorage } = window.sessions;
    localStorage.clear();
    const store = new AdapterSessionStore({ storage: lockedLocalStorage(), prefix: 'w' });
    const heard = [];
    store.subscribe((event) => heard.push(event.type));
    await store.set('a', { id: 'a' });
    await store.set('b', { id: 'b' });
    const stamps = Object.keys(localStorage).filter((key) => key.startsWith('w') && key.endsWith(' stamp'));
    const removed = await store.cleanExpired();
    const ids = [...(await store.getAll()).keys()].sort();
    const plain = [...(await new LocalStorageSessionStore({ prefix: 'w' }).getAll()).keys()].sort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stampsAfter = Object.keys(localStorage).filter((key) => key.endsWith(' stamp')).length;
    await store.clear();
    store.free();
    return { stamps: stamps.length, removed, ids, plain, stampsAfter, heard };
  });
  assert.deepEqual(outcome, { stamps: 1, removed: 0, ids: ['a', 'b'], plain: ['a', 'b'], stampsAfter: 1, heard: ['set', 'set', 'clear'] });
  assert.deepEqual(page.problems, []);
  await page.close();
});
