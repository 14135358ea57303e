// No tab may stall another, and no lifecycle leaves anything behind, in headless Chromium: a
// page whose main thread is blocked while it holds a store's Web Lock (the others reject
// LOCK_TIMEOUT within their bound, having written nothing, and work once it is back); React
// Strict Mode's double mount; hot module replacement; the back-forward cache during a call; a tab
// closed in the middle of a locked call. Each page counts what the package leaves running: open
// BroadcastChannels, `storage` listeners, pending timers, and the Web Locks held or asked for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../../scripts/serve.mjs';
import { launchChromium, stageSite } from '../support/browser.mjs';

let browser;
/** With the back-forward cache, which playwright turns off by default. */
let caching;
let server;

before(async () => {
  const site = stageSite('lifecycle-site');
  [browser, caching, server] = await Promise.all([launchChromium(), launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] }), serve(site)]);
});
after(async () => {
  await browser?.close();
  await caching?.close();
  await server?.close();
});

/** Runs in each page before the package loads: counts what it leaves running, and makes stores. */
function instrument() {
  const leftovers = { channels: new Set(), listeners: new Set(), timers: new Set() };
  window.leftovers = leftovers;
  const Channel = window.BroadcastChannel;
  window.BroadcastChannel = class extends Channel {
    constructor(name) {
      super(name);
      leftovers.channels.add(this);
    }
    close() {
      leftovers.channels.delete(this);
      super.close();
    }
  };
  const [add, remove] = [window.addEventListener, window.removeEventListener];
  window.addEventListener = function (type, listener, options) {
    if (type === 'storage') leftovers.listeners.add(listener);
    return add.call(this, type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    if (type === 'storage') leftovers.listeners.delete(listener);
    return remove.call(this, type, listener, options);
  };
  const [set, clear] = [window.setTimeout, window.clearTimeout];
  window.setTimeout = (callback, ms, ...args) => {
    const id = set(() => {
      leftovers.timers.delete(id);
      callback(...args);
    }, ms);
    leftovers.timers.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    leftovers.timers.delete(id);
    clear(id);
  };
  /** What is left running, once the stamps' locks (held 2 s by design) have had time to go. */
  window.leftAfterFree = async () => {
    await new Promise((done) => set(done, 2_300));
    const { held = [], pending = [] } = await navigator.locks.query();
    const ours = [...held, ...pending].map(({ name }) => name).filter((name) => name.startsWith('wasm-session-store'));
    return { channels: leftovers.channels.size, listeners: leftovers.listeners.size, timers: leftovers.timers.size, locks: ours };
  };
  const stall = { ms: 0, until: undefined, writesOnly: false, writesFirst: 0 };
  window.stall = stall;
  const stalled = async () => {
    if (stall.ms > 0) {
      const end = Date.now() + stall.ms;
      stall.ms = 0;
      while (Date.now() < end); // A long task, or a debugger: the main thread does nothing else.
    }
    if (stall.until !== undefined) {
      const waiting = stall.until;
      stall.until = undefined;
      await waiting;
    }
  };
  /**
   * The adapter of `kind` ('indexedDB' or 'lockedLocalStorage'), which, when asked, blocks the main
   * thread (`stall.ms`) or waits (`stall.until`) inside its next read or write (`stall.writesOnly`:
   * write, after `stall.writesFirst` more).
   */
  const adapterOf = (kind) => {
    const { sessions } = window;
    const base = kind === 'indexedDB' ? sessions.indexedDbStorage() : sessions.lockedLocalStorage();
    const writing = async () => {
      if (stall.writesFirst > 0) stall.writesFirst -= 1;
      else await stalled();
    };
    const adapter = {
      ...base,
      getItem: async (key) => (stall.writesOnly || (await stalled()), base.getItem(key)),
      setItem: async (key, value) => (await writing(), base.setItem(key, value)),
      removeItem: async (key) => (await writing(), base.removeItem(key)),
    };
    if (base.commit) adapter.commit = async (...args) => (await writing(), base.commit(...args));
    return adapter;
  };
  /** A store of `kind`, over such an adapter unless it is a `LocalStorageSessionStore`. */
  window.makeStore = (kind, config = {}) => {
    const { sessions } = window;
    if (kind === 'localStorage') return new sessions.LocalStorageSessionStore(config);
    return new sessions.AdapterSessionStore({ ...config, storage: adapterOf(kind) });
  };
  window.makeManager = (kind, config = {}) => new window.sessions.SessionManager({ ...config, storage: adapterOf(kind) });
}

async function storePage(context, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.addInitScript(instrument);
  await page.goto(`${server.url}store.html${query}`);
  await page.waitForFunction(() => document.title === 'ready');
  return page;
}

const LOCKED = ['indexedDB', 'lockedLocalStorage'];
const NOTHING_LEFT = { channels: 0, listeners: 0, timers: 0, locks: [] };

for (const kind of LOCKED) {
  test(`${kind}: a tab blocked while it holds the lock makes another tab's call reject LOCK_TIMEOUT within its bound, having written nothing; once it is back, calls work`, async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const [holder, other] = [await storePage(context), await storePage(context)];
    await holder.evaluate(async (kind) => {
      window.store = window.makeStore(kind);
      await window.store.set('held', { id: 'held', origin: 'holder' });
      window.stall.ms = 4_000;
      window.pending = window.store.get('held');
    }, kind);
    // The holder's main thread is blocked from its next task on: this page is in another process.
    await other.waitForTimeout(300);
    const outcome = await other.evaluate(async (kind) => {
      const store = window.makeStore(kind, { timeout: 700 });
      const started = performance.now();
      const code = await store.set('other', { id: 'other', origin: 'other tab' }).then(() => 'landed', (error) => error.code);
      const waited = performance.now() - started;
      window.store = store;
      return { code, waited };
    }, kind);
    assert.equal(outcome.code, 'LOCK_TIMEOUT');
    assert.ok(outcome.waited >= 650 && outcome.waited < 2_500, `rejected after ${outcome.waited} ms`);
    assert.deepEqual(await holder.evaluate(() => window.pending), { id: 'held', origin: 'holder' }, 'the holder\'s call completes, intact');
    const after = await other.evaluate(async () => {
      const before = await window.store.get('other');
      await window.store.set('other', { id: 'other', origin: 'later' });
      return { before, all: [...(await window.store.getAll()).keys()].sort() };
    });
    assert.deepEqual(after, { before: undefined, all: ['held', 'other'] }, 'the refused call wrote nothing; a later one works');
    for (const page of [holder, other]) {
      await page.evaluate(async () => {
        await window.store.clear();
        window.store.free();
      });
      assert.deepEqual(await page.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
      assert.deepEqual(page.errors, []);
    }
  });
}

for (const kind of [...LOCKED, 'localStorage']) {
  test(`${kind}: React Strict Mode's double mount and hot module replacement leave no lock, timer, listener or call behind`, async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const page = await storePage(context);
    const outcome = await page.evaluate(async (kind) => {
      const heard = [];
      // Strict Mode: mount, unmount, mount again with the same prefix, in one tick.
      const first = window.makeStore(kind);
      const stopFirst = first.subscribe((event) => heard.push(['first', event.type]));
      const calls = [first.set('a', { id: 'a', origin: 'first mount' })];
      stopFirst();
      first.free();
      const second = window.makeStore(kind);
      second.subscribe((event) => heard.push(['second', event.type]));
      calls.push(second.set('b', { id: 'b', origin: 'second mount' }), second.set('c', { id: 'c', origin: 'second mount' }, { expiresAt: Date.now() + 60_000 }));
      // HMR: the module runs again and makes a new store beside the old, which is disposed later.
      const replaced = window.makeStore(kind);
      replaced.subscribe((event) => heard.push(['replaced', event.type]));
      calls.push(replaced.get('b'), second.delete('b'), replaced.getAll());
      let timer;
      const settled = await Promise.race([
        Promise.allSettled(calls).then((all) => all.map((one) => (one.status === 'fulfilled' ? 'ok' : one.reason.code))),
        new Promise((done) => (timer = setTimeout(() => done('a call never settled'), 10_000))),
      ]);
      clearTimeout(timer);
      second.free();
      const left = [...(await replaced.getAll()).keys()].sort();
      await replaced.clear();
      replaced.free();
      return { settled, left, heardSecond: heard.filter(([who]) => who === 'second').map(([, type]) => type) };
    }, kind);
    // A call queued on the first store before free() rejects FREED over an adapter; a Web Storage
    // store does its work at call time.
    assert.deepEqual(outcome.settled, [kind === 'localStorage' ? 'ok' : 'FREED', 'ok', 'ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(outcome.left, kind === 'localStorage' ? ['a', 'c'] : ['c']);
    assert.deepEqual(outcome.heardSecond.slice(0, 2), ['set', 'set']);
    assert.deepEqual(await page.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
    assert.deepEqual(page.errors, []);
  });
}

for (const kind of LOCKED) {
  test(`${kind}: a tab closed in the middle of a locked call frees the lock at once; the other tab's call goes on, nothing half-written`, async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const [closing, other] = [await storePage(context), await storePage(context)];
    await closing.evaluate(async (kind) => {
      window.store = window.makeStore(kind, { timeout: Infinity });
      await window.store.set('kept', { id: 'kept', origin: 'before' });
      window.stall.until = new Promise(() => {}); // Its write never returns: the lock stays held.
      window.store.set('kept', { id: 'kept', origin: 'never landed' });
    }, kind);
    await other.waitForTimeout(200);
    const waiting = other.evaluate(async (kind) => {
      window.store = window.makeStore(kind, { timeout: 8_000 });
      const started = performance.now();
      const found = await window.store.get('kept');
      return { found, waited: performance.now() - started };
    }, kind);
    await other.waitForTimeout(500);
    await closing.close();
    const { found, waited } = await waiting;
    assert.deepEqual(found, { id: 'kept', origin: 'before' }, 'the closed tab\'s call wrote nothing');
    assert.ok(waited < 5_000, `the other tab got the lock ${waited} ms after asking`);
    await other.evaluate(async () => {
      await window.store.clear();
      window.store.free();
    });
    assert.deepEqual(await other.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
  });

  test(`${kind}: a page leaving for the back-forward cache during a call holds no lock meanwhile, and works once restored`, async (t) => {
    const context = await caching.newContext();
    t.after(() => context.close());
    const [page, other] = [await storePage(context), await storePage(context)];
    await page.evaluate(async (kind) => {
      window.store = window.makeStore(kind);
      await window.store.set('a', { id: 'a', origin: 'before' });
      let release;
      window.stall.until = new Promise((done) => (release = done));
      window.release = release;
      window.pending = window.store.get('a');
      sessionStorage.setItem('loaded', String(Number(sessionStorage.getItem('loaded') ?? 0) + 1));
    }, kind);
    await page.goto(`${server.url}store.html?away`);
    const elsewhere = await other.evaluate(async (kind) => {
      window.store = window.makeStore(kind, { timeout: 3_000 });
      return window.store.set('b', { id: 'b', origin: 'while the first page was away' }).then(() => 'landed', (error) => error.code);
    }, kind);
    assert.equal(elsewhere, 'landed', 'no lock held by the page that left');
    // Restored from the cache, the page fires no load event.
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => document.title === 'ready');
    const restored = await page.evaluate(async (kind) => {
      // Restored from the cache, the page still has its store and its call; reloaded, neither.
      const fromCache = window.store !== undefined;
      if (fromCache) window.release();
      const pending = fromCache ? await window.pending : undefined;
      window.store ??= window.makeStore(kind);
      const all = [...(await window.store.getAll()).keys()].sort();
      await window.store.clear();
      window.store.free();
      return { fromCache, pending, all };
    }, kind);
    if (restored.fromCache) assert.deepEqual(restored.pending, { id: 'a', origin: 'before' }, 'the call made before it left completes');
    assert.deepEqual(restored.all, ['a', 'b']);
    t.diagnostic(restored.fromCache ? 'restored from the back-forward cache' : 'evicted from the back-forward cache (it held a lock) and loaded again');
    other.evaluate(() => window.store.free());
    assert.deepEqual(await page.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
  });
}

test('indexedDB: a subscribed store in a page restored from the back-forward cache works, and hears the other tabs again', async (t) => {
  const context = await caching.newContext();
  t.after(() => context.close());
  const [page, other] = [await storePage(context), await storePage(context)];
  await page.evaluate(async () => {
    window.store = window.makeStore('indexedDB');
    window.store.subscribe((event) => window.heard.push(event.type));
    await window.store.set('a', { id: 'a', origin: 'before' });
    window.persisted = [];
    window.addEventListener('pageshow', (event) => window.persisted.push(event.persisted));
  });
  await page.goto(`${server.url}store.html?away`);
  // A message relayed to a cached page evicts it (Chromium): the other tab writes once it is back.
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => window.persisted?.length > 0);
  assert.deepEqual(await page.evaluate(() => window.persisted), [true], 'restored from the back-forward cache');
  await other.evaluate(async () => {
    window.store = window.makeStore('indexedDB');
    await window.store.set('b', { id: 'b', origin: 'after the restore' });
  });
  await page.waitForFunction(() => window.heard.includes('set') && window.heard.length >= 2, null, { timeout: 5_000 });
  const outcome = await page.evaluate(async () => {
    const all = [...(await window.store.getAll()).keys()].sort();
    const heard = [...window.heard];
    await window.store.clear();
    window.store.free();
    return { all, heard };
  });
  assert.deepEqual(outcome, { all: ['a', 'b'], heard: ['set', 'set'] }, 'its own set before, the other tab\'s after');
  await other.evaluate(() => window.store.free());
  assert.deepEqual(await page.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
  assert.deepEqual(page.errors, []);
});

for (const kind of LOCKED) {
  test(`${kind}: a tab closed between the writes of a manager's refresh leaves one working token, never two`, async (t) => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const [closing, other] = [await storePage(context), await storePage(context)];
    const token = await closing.evaluate(async (kind) => {
      window.manager = window.makeManager(kind, { timeout: Infinity });
      const { token } = await window.manager.create({ userId: 'u' });
      // The refresh's second write never returns; or, over an adapter that lands a call's writes
      // at once, the one commit that holds them all.
      window.stall.writesOnly = true;
      window.stall.writesFirst = window.sessions[kind === 'indexedDB' ? 'indexedDbStorage' : 'lockedLocalStorage']().commit ? 0 : 1;
      window.stall.until = new Promise(() => {});
      window.manager.refresh(token);
      return token;
    }, kind);
    await closing.waitForTimeout(300);
    await closing.close();
    const outcome = await other.evaluate(async ([kind, token]) => {
      const manager = window.makeManager(kind, { timeout: 8_000 });
      const listed = (await manager.listForUser('u')).length;
      const valid = (await manager.validate(token)).valid;
      // The refresh landed whole (the old token rotated away) or not at all (it still works).
      await manager.destroyAllForUser('u');
      manager.free();
      return { listed, valid };
    }, [kind, token]);
    assert.deepEqual(outcome, { listed: 1, valid: true }, 'the refresh landed whole or not at all: one session, one token');
    assert.deepEqual(await other.evaluate(() => window.leftAfterFree()), NOTHING_LEFT);
  });
}
