// The store contract, written once and run against every backend: natively in Node
// (tests/js/conformance.test.mjs) and in headless Chromium pages, workers and an extension
// (tests/browser/conformance.test.mjs). Plain JavaScript with no test framework, so that it runs in
// a service worker too. A backend is `{ name, make(config), raw?, quota? }`: `make` builds a store
// over it, `raw` (where entries are text) reads and writes an entry's text by key, and `quota`
// (where the storage has one) has `fill()`, after which the storage takes no new entry that is
// larger than one it frees, and `release()`. The server adapters run it in
// tests/server/conformance.test.mjs.

// The faked clock starts a day ahead of the real one, on a whole second: a storage that expires
// entries by its own clock (Redis, Workers KV) then keeps every entry the suite expects to read.
const T0 = (Math.ceil(Date.now() / 1000) + 86_400) * 1000;

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function same(actual, expected, message) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  check(a === e, `${message}: got ${a}, expected ${e}`);
}

async function rejectsWith(promise, code, message) {
  const outcome = await promise.then(() => 'resolved', (error) => error?.code ?? String(error));
  same(outcome, code, message);
}

/** Runs `body` with `Date.now` under its control (`clock.now`), starting at T0. */
async function withClock(body) {
  const real = Date.now;
  const clock = { now: T0 };
  Date.now = () => clock.now;
  try {
    await body(clock);
  } finally {
    Date.now = real;
  }
}

/** A small deterministic PRNG, so that a failing random sequence can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return state % n;
  };
}

/** What a store with `lifetime` (and `refreshOnAccess`) must answer: the contract as a model. */
class Model {
  sessions = new Map();

  constructor({ lifetime, refreshOnAccess = false }) {
    this.lifetime = lifetime;
    this.refresh = refreshOnAccess;
  }

  set(id, data, now) {
    this.sessions.set(id, { data, expiresAt: now + this.lifetime });
  }

  get(id, now) {
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (now > session.expiresAt) {
      this.sessions.delete(id);
      return undefined;
    }
    if (this.refresh) session.expiresAt = now + this.lifetime;
    return session.data;
  }

  getAll(now) {
    const live = [];
    for (const id of [...this.sessions.keys()]) {
      const data = this.get(id, now);
      if (data !== undefined) live.push([id, data]);
    }
    return live.sort(([a], [b]) => (a < b ? -1 : 1));
  }

  delete(id) {
    this.sessions.delete(id);
  }

  cleanExpired(now) {
    let removed = 0;
    for (const [id, session] of [...this.sessions]) {
      if (now > session.expiresAt) {
        this.sessions.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}

const sorted = (map) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
const wallet = (n) => ({ id: `s${n}`, origin: `https://dapp${n}.example`, permissions: { 'eip155:1': ['eth_sendTransaction'] } });

/** Runs `ops` random operations on `store` and the model, un-awaited in batches, and compares every answer. */
async function randomRun(store, clock, seed, ops, lifetime) {
  const next = random(seed);
  const model = new Model({ lifetime, refreshOnAccess: seed % 2 === 0 });
  const ids = ['a', 'b', 'c', 'd', 'e'];
  for (let done = 0; done < ops;) {
    const batch = [];
    const expected = [];
    for (let i = 0; i < 1 + next(8) && done < ops; i++, done++) {
      const id = ids[next(ids.length)];
      const op = next(6);
      const now = clock.now;
      if (op === 0 || op === 1) {
        const data = { n: done };
        batch.push(store.set(id, data));
        expected.push(model.set(id, data, now));
      } else if (op === 2) {
        batch.push(store.get(id));
        expected.push(model.get(id, now));
      } else if (op === 3) {
        batch.push(store.delete(id));
        expected.push(model.delete(id));
      } else if (op === 4) {
        batch.push(store.getAll().then(sorted));
        expected.push(model.getAll(now));
      } else {
        batch.push(store.cleanExpired());
        expected.push(model.cleanExpired(now));
      }
    }
    same(await Promise.all(batch), expected, `seed ${seed}, operations up to ${done}`);
    clock.now += next(lifetime);
  }
}

/** The cases: each `run(backend, prefix)` uses its own prefix, so cases never see each other's entries. */
export const cases = [
  ['set then get returns the data; a missing session is undefined', async (backend, prefix) => {
    const store = backend.make({ prefix });
    await store.set('a', wallet(1));
    same(await store.get('a'), wallet(1), 'get');
    same(await store.validateAndRefresh('a'), wallet(1), 'validateAndRefresh');
    same(await store.get('missing'), undefined, 'missing');
  }],
  ['set replaces, delete removes, deleting a missing session does nothing', async (backend, prefix) => {
    const store = backend.make({ prefix });
    await store.set('a', wallet(1));
    await store.set('a', wallet(2));
    same(await store.get('a'), wallet(2), 'replaced');
    await store.delete('a');
    await store.delete('a');
    same(await store.get('a'), undefined, 'deleted');
  }],
  ['getAll returns every live session by id; clear removes this store\'s sessions and no other\'s', async (backend, prefix) => {
    const store = backend.make({ prefix });
    const neighbour = backend.make({ prefix: `n${prefix}` });
    await Promise.all([store.set('a', wallet(1)), store.set('b', wallet(2)), neighbour.set('a', wallet(3))]);
    const all = await store.getAll();
    check(all instanceof Map, 'getAll resolves a Map');
    same(sorted(all), [['a', wallet(1)], ['b', wallet(2)]], 'getAll');
    await store.clear();
    same(sorted(await store.getAll()), [], 'cleared');
    same(await neighbour.get('a'), wallet(3), 'the other prefix is untouched');
    await neighbour.clear();
  }],
  ['a session is live at its exact deadline and gone after it, removed on access', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1000 });
      await store.set('a', wallet(1));
      clock.now += 1000;
      same(await store.get('a'), wallet(1), 'at the deadline');
      clock.now += 1;
      same(await store.get('a'), undefined, 'after it');
      clock.now -= 1;
      same(await store.get('a'), undefined, 'removed, not only hidden');
    });
  }],
  ['refreshOnAccess moves the expiry; absoluteLifetime caps it', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1000, refreshOnAccess: true, absoluteLifetime: 2500 });
      await store.set('a', wallet(1));
      for (let i = 0; i < 3; i++) {
        clock.now += 800;
        same(await store.get('a'), wallet(1), `refreshed at ${clock.now - T0}`);
      }
      clock.now += 101;
      same(await store.get('a'), undefined, 'past the absolute lifetime');
    });
  }],
  ['far deadlines (expiresAt Number.MAX_VALUE, a lifetime of 1e21 refreshed on access) are kept and read back', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1e21, refreshOnAccess: true });
      await store.set('until', wallet(1), { expiresAt: Number.MAX_VALUE });
      await store.set('lifetime', wallet(2));
      clock.now += 1000;
      same(await store.get('lifetime'), wallet(2), 'refreshed');
      same(sorted(await store.getAll()), [['lifetime', wallet(2)], ['until', wallet(1)]], 'both live');
      same(await store.cleanExpired(), 0, 'nothing expired');
      if (backend.persistent !== false) same(await backend.make({ prefix, lifetime: 1e21 }).get('until'), wallet(1), 'read by another instance');
    });
  }],
  ['cleanExpired removes and counts expired sessions; getAll skips and removes them', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1000 });
      await store.set('old', wallet(1));
      clock.now += 600;
      await Promise.all([store.set('new', wallet(2)), store.set('older', wallet(3))]);
      clock.now += 500;
      same(await store.cleanExpired(), 1, 'one expired');
      clock.now += 600;
      same(sorted(await store.getAll()), [], 'both expired');
      same(await store.cleanExpired(), 0, 'nothing left');
    });
  }],
  ['entries are JSON.stringify({ data, expiresAt }) under prefix + id, and another instance reads them', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1000 });
      await store.set('a', wallet(1));
      if (backend.raw) same(await backend.raw.get(`${prefix}a`), JSON.stringify({ data: wallet(1), expiresAt: T0 + 1000 }), 'the entry');
      if (backend.persistent !== false) same(await backend.make({ prefix, lifetime: 1000 }).get('a'), wallet(1), 'read by another instance');
    });
  }],
  ['a corrupt entry: get rejects CORRUPT_ENTRY, getAll skips it, cleanExpired removes it, the others live on', async (backend, prefix) => {
    if (!backend.raw) return 'skip: no entry texts';
    const store = backend.make({ prefix });
    await store.set('good', wallet(1));
    await backend.raw.set(`${prefix}bad`, '{"data":');
    await rejectsWith(store.get('bad'), 'CORRUPT_ENTRY', 'get');
    same(sorted(await store.getAll()), [['good', wallet(1)]], 'getAll');
    same(await store.cleanExpired(), 1, 'removed');
    same(await backend.raw.get(`${prefix}bad`), null, 'gone');
    same(await store.get('good'), wallet(1), 'the good one');
  }],
  ['a full storage: set removes this store\'s expired sessions and tries once more; still full, QUOTA_EXCEEDED loses nothing', async (backend, prefix) => {
    if (!backend.quota) return 'n/a: no quota';
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 1000 });
      await store.set('old', wallet(1));
      clock.now += 600;
      await store.set('liv', wallet(2));
      await backend.quota.fill();
      try {
        clock.now += 500;
        await store.set('new', wallet(1));
        same(sorted(await store.getAll()), [['liv', wallet(2)], ['new', wallet(1)]], 'the expired session made room');
        await rejectsWith(store.set('more', wallet(3)), 'QUOTA_EXCEEDED', 'still full');
        await rejectsWith(store.set('liv', { ...wallet(2), origin: 'x'.repeat(4096) }), 'QUOTA_EXCEEDED', 'a larger value');
        same(sorted(await store.getAll()), [['liv', wallet(2)], ['new', wallet(1)]], 'nothing lost');
      } finally {
        await backend.quota.release();
      }
      await store.set('more', wallet(3));
      same(await store.get('more'), wallet(3), 'room again');
      await store.clear();
    });
  }],
  ['subscribe hears this store\'s set, delete and clear, after each call', async (backend, prefix) => {
    const store = backend.make({ prefix });
    const heard = [];
    const stop = store.subscribe((event) => heard.push([event.type, event.sessionId ?? null]));
    await store.set('a', wallet(1));
    await store.delete('a');
    await store.clear();
    await new Promise((resolve) => setTimeout(resolve, 0));
    same(heard, [['set', 'a'], ['delete', 'a'], ['clear', null]], 'events');
    stop();
  }],
  ['300 un-awaited calls take effect in call order, each answering as the model does', async (backend, prefix) => {
    await withClock(async (clock) => {
      const store = backend.make({ prefix, lifetime: 10_000 });
      const model = new Model({ lifetime: 10_000 });
      const calls = [];
      const expected = [];
      for (let i = 0; i < 300; i++) {
        const id = `s${i % 7}`;
        if (i % 5 === 3) {
          calls.push(store.delete(id));
          expected.push(model.delete(id));
        } else if (i % 5 === 4) {
          calls.push(store.get(id));
          expected.push(model.get(id, clock.now));
        } else {
          calls.push(store.set(id, { i }));
          expected.push(model.set(id, { i }, clock.now));
        }
      }
      same(await Promise.all(calls), expected, 'answers');
      same(sorted(await store.getAll()), model.getAll(clock.now), 'final state');
    });
  }],
  ['random sequences of every operation match the model (seeded)', async (backend, prefix) => {
    await withClock(async (clock) => {
      for (const seed of [1, 2, 3]) await randomRun(backend.make({ prefix: `${prefix}${seed}:`, lifetime: 1000, refreshOnAccess: seed % 2 === 0 }), clock, seed, 150, 1000);
    });
  }],
];

/** Runs every case against each backend; resolves to `[{ backend, name, skipped?, error? }]` (for pages and workers). */
export async function runAll(backends) {
  const results = [];
  // Each run its own prefixes: runs in a service worker and a page of one extension share its storage.
  const run = Math.random().toString(36).slice(2, 8);
  for (const backend of backends) {
    let n = 0;
    for (const [name, test] of cases) {
      const prefix = `conf${n++}:${backend.name}:${run}:`;
      try {
        const skipped = await test(backend, prefix);
        results.push({ backend: backend.name, name, skipped });
      } catch (error) {
        results.push({ backend: backend.name, name, error: `${error?.code ?? ''} ${error?.stack ?? error}` });
      }
    }
  }
  return results;
}
