// Interleaved calls, hostile and odd input, clock jumps, and secrets (Node, on the package).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalStorageSessionStore, MemorySessionStore, T0, eachStore, rejectsWithCode, session, stubLocalStorage } from './support.mjs';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

test('5. many un-awaited calls end in the state their call order implies, nothing lost', async (t) => {
  let now = T0;
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 50 })) {
    const next = random(7);
    const model = new Map(); // id → { value, expiresAt }
    const live = (id) => { const s = model.get(id); return s && now <= s.expiresAt ? s.value : undefined; };
    const pending = [];
    for (let step = 0; step < 600; step += 1) {
      const id = `s${next(6)}`;
      now += next(4) * 10;
      switch (next(4)) {
        case 0: {
          const value = { id, origin: 'o', step };
          pending.push(store.set(id, value));
          model.set(id, { value, expiresAt: now + 50 });
          break;
        }
        case 1:
          pending.push(store.delete(id));
          model.delete(id);
          break;
        case 2: {
          const expected = live(id);
          if (expected === undefined) model.delete(id);
          pending.push(store.get(id).then((found) => assert.deepEqual(found, expected, `${kind} step ${step} get ${id}`)));
          break;
        }
        default: {
          const expired = [...model].filter(([, s]) => now > s.expiresAt).map(([key]) => key);
          for (const key of expired) model.delete(key);
          pending.push(store.cleanExpired().then((count) => assert.equal(count, expired.length, `${kind} step ${step} cleanExpired`)));
        }
      }
    }
    await Promise.all(pending);
    const expected = [...model].filter(([, s]) => now <= s.expiresAt).map(([id, s]) => [id, s.value]);
    const actual = [...(await store.getAll())];
    assert.deepEqual(new Map(actual), new Map(expected), kind);
  }
});

test('6. odd but valid ids: 1 MB, __proto__, constructor, control characters and astral unicode', async (t) => {
  const ids = ['x'.repeat(1 << 20), '__proto__', 'constructor', 'hasOwnProperty', '\u0000\u0001\n\r\t\u007f', '🦊🔑 é ß 中文', ' ', '\uFFFD replacement character'];
  for (const { kind, store, storage } of eachStore(t)) {
    for (const id of ids) await store.set(id, { id: id.slice(0, 10), origin: 'o' });
    for (const id of ids) assert.deepEqual(await store.get(id), { id: id.slice(0, 10), origin: 'o' }, `${kind} ${JSON.stringify(id.slice(0, 12))}`);
    assert.deepEqual([...(await store.getAll()).keys()].sort(), [...ids].sort(), kind);
    if (storage) assert.ok(storage.entries().every(([key]) => key.startsWith('wm_session_')));
  }
});

test('1. an entry holding the empty string reads as no session, as in @walletmesh/router', async (t) => {
  const storage = stubLocalStorage(t, [['wm_session_blank', ''], ['wm_session_zero', '0']]);
  const store = new LocalStorageSessionStore();
  assert.equal(await store.get('blank'), undefined);
  await rejectsWithCode(store.get('zero'), 'CORRUPT_ENTRY');
  assert.deepEqual([...(await store.getAll())], []);
  assert.equal(storage.peek('wm_session_blank'), '');
});

test('6. ids with lone surrogate halves are sessions of their own, kept exactly as given', async (t) => {
  // They would all read as U+FFFD once converted to UTF-8: ids stay JavaScript strings instead.
  const ids = ['\uD800', '\uDC00', '\uFFFD', 'a\uDFFFb', 'a\uD800b'];
  for (const { kind, store, storage } of eachStore(t)) {
    for (const [i, id] of ids.entries()) await store.set(id, { id: `s${i}`, origin: 'o' });
    for (const [i, id] of ids.entries()) assert.deepEqual(await store.get(id), { id: `s${i}`, origin: 'o' }, `${kind} ${i}`);
    const all = await store.getAll();
    assert.deepEqual([...all.keys()], ids, kind);
    if (storage) assert.deepEqual(storage.entries().map(([key]) => key).sort(), ids.map((id) => `wm_session_${id}`).sort(), kind);
    await store.delete('\uD800');
    assert.equal(await store.get('\uD800'), undefined, kind);
    assert.deepEqual(await store.get('\uDC00'), { id: 's1', origin: 'o' }, kind);
  }
});

test('6. data: a Date comes back from Web Storage as its JSON string; several MB round-trip', async (t) => {
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  await store.set('when', { id: 'when', origin: 'o', at: new Date(0) });
  assert.deepEqual(await store.get('when'), { id: 'when', origin: 'o', at: '1970-01-01T00:00:00.000Z' });
  const big = { id: 'big', origin: 'o', blob: 'b'.repeat(4 << 20) };
  await store.set('big', big);
  assert.deepEqual(await store.get('big'), big);
  const memory = new MemorySessionStore();
  await memory.set('big', big);
  assert.equal(await memory.get('big'), big);
  assert.ok(storage.peek('wm_session_big').length > 4 << 20);
});

test('6. data with no JSON form is refused by Web Storage stores, writing nothing, and kept by the memory store', async (t) => {
  const cyclic = { id: 'c', origin: 'o' };
  cyclic.self = cyclic;
  const hostile = [undefined, () => 1, Symbol('s'), 10n, { id: 'b', big: 10n }, cyclic, { toJSON() { throw new Error('no'); } }];
  const storage = stubLocalStorage(t);
  const store = new LocalStorageSessionStore();
  for (const data of hostile) await rejectsWithCode(store.set('a', data), 'DATA_NOT_SERIALIZABLE');
  assert.deepEqual(storage.calls, []);
  const memory = new MemorySessionStore();
  for (const data of hostile) {
    await memory.set('a', data);
    assert.equal(await memory.get('a'), data);
  }
});

test('6. configs with strings, NaN, Infinity or negative numbers throw INVALID_CONFIG', () => {
  for (const value of ['100', NaN, Infinity, -Infinity, -1, {}, [], true]) {
    for (const field of ['lifetime', 'absoluteLifetime']) {
      assert.throws(() => new LocalStorageSessionStore({ [field]: value }), (e) => e.code === 'INVALID_CONFIG' && e.message.includes(field));
    }
  }
  assert.throws(() => new MemorySessionStore({ get lifetime() { throw new Error('getter'); } }), (e) => e.code === 'INVALID_CONFIG');
});

test('7. Date.now() jumping: ahead at set cannot make a session immortal; back never ends it early', async (t) => {
  let now = T0 + 3.2e10; // a year ahead
  t.mock.method(Date, 'now', () => now);
  for (const { kind, store } of eachStore(t, { lifetime: 1000 })) {
    now = T0 + 3.2e10;
    await store.set('ahead', session);
    now = T0;
    assert.deepEqual(await store.get('ahead'), session, kind);
    now = T0 + 1001;
    assert.equal(await store.get('ahead'), undefined, `${kind}: at most a lifetime after the clock came back`);

    now = T0;
    await store.set('behind', session);
    now = T0 - 60_000;
    assert.deepEqual(await store.get('behind'), session, `${kind}: still live after the clock went back`);
  }
});

test('7. a stored expiresAt of null, huge or negative', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const entry = (expiresAt) => JSON.stringify({ data: session, expiresAt });
  stubLocalStorage(t, [['wm_session_null', entry(null)], ['wm_session_huge', entry(1e300)], ['wm_session_negative', entry(-5)]]);
  const plain = new LocalStorageSessionStore();
  assert.deepEqual(await plain.get('null'), session, 'null: never expires');
  assert.deepEqual(await plain.get('huge'), session, 'huge: honoured by a store without a lifetime');
  assert.equal(await plain.get('negative'), undefined, 'negative: expired long ago, removed');
  const timed = new LocalStorageSessionStore({ lifetime: 1000 });
  assert.deepEqual(await timed.get('huge'), session);
  assert.equal(JSON.parse(localStorage.getItem('wm_session_huge')).expiresAt, T0 + 1000, 'huge: pulled back to now + lifetime');
});

test('9. no session data, token or hash appears in an error message', async (t) => {
  const secret = 'secret-7f3a9c';
  const storage = stubLocalStorage(t, [['wm_session_bad', `{"data":"${secret}","expiresAt":"${secret}"}`]]);
  const store = new LocalStorageSessionStore();
  const messages = [(await rejectsWithCode(store.get('bad'), 'CORRUPT_ENTRY')).message];
  t.mock.method(storage, 'setItem', () => { throw new DOMException(`quota ${secret}`, 'QuotaExceededError'); });
  messages.push((await rejectsWithCode(store.set(secret, { secret }), 'QUOTA_EXCEEDED')).message);
  t.mock.method(storage, 'getItem', () => { throw new Error(secret); });
  messages.push((await rejectsWithCode(store.get(secret), 'STORAGE_ERROR')).message);
  for (const message of messages) assert.ok(!message.includes(secret), message);
});

test('1. every kind of corrupt entry: get rejects and keeps it; getAll, clear and cleanExpired never fail or hide another session', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const corrupt = {
    notJson: '{"data":', text: '"just text"', number: '42', nullJson: 'null', array: '[1,2]', noData: '{"expiresAt":5}',
    stringExpiry: '{"data":1,"expiresAt":"soon"}', boolExpiry: '{"data":1,"expiresAt":true}', objectCreated: '{"data":1,"createdAt":{}}',
  };
  const good = JSON.stringify({ data: session, expiresAt: T0 + 1000 });
  const entries = () => [['wm_session_good', good], ...Object.entries(corrupt).map(([id, text]) => [`wm_session_${id}`, text])];

  const storage = stubLocalStorage(t, entries());
  const store = new LocalStorageSessionStore();
  for (const id of Object.keys(corrupt)) {
    await rejectsWithCode(store.get(id), 'CORRUPT_ENTRY');
    await rejectsWithCode(store.validateAndRefresh(id), 'CORRUPT_ENTRY');
    assert.equal(storage.peek(`wm_session_${id}`), corrupt[id], `${id} stays in place`);
  }
  assert.deepEqual([...(await store.getAll())], [['good', session]]);
  assert.equal(await store.cleanExpired(), Object.keys(corrupt).length);
  assert.deepEqual(storage.entries(), [['wm_session_good', good]]);

  const cleared = stubLocalStorage(t, [...entries(), ['other', 'kept']]);
  await new LocalStorageSessionStore().clear();
  assert.deepEqual(cleared.entries(), [['other', 'kept']]);
});
