// migrateSessions: from a localStorage store into an adapter store, entries moved as stored; run
// again it does nothing; interrupted at every step it loses nothing, and the next run completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mapAdapter } from '../conformance/backends.mjs';
import { T0, packagePath, rejectsWithCode, stubLocalStorage } from './support.mjs';

const { LocalStorageSessionStore, MemorySessionStore, AdapterSessionStore, migrateSessions } = createRequire(import.meta.url)(packagePath);
const IDS = ['a', 'b', 'c', 'd'];
const wallet = (id) => ({ id, origin: `https://${id}.example` });

/** A localStorage store holding four sessions and an adapter store to move them into. */
async function stores(t, adapter = mapAdapter()) {
  const storage = stubLocalStorage(t, [['other-app', 'kept']]);
  const from = new LocalStorageSessionStore({ lifetime: 60_000 });
  for (const id of IDS) await from.set(id, wallet(id));
  const to = new AdapterSessionStore({ storage: adapter, prefix: 'moved:', lifetime: 60_000 });
  return { storage, from, to, adapter };
}

/**
 * Makes the `n`-th call (from 0) on the source's Storage or the target's adapter, and every later
 * one, throw, as a crash would; `Infinity` only counts. Returns the count so far and the undo.
 */
function crashAt(n, storage, adapter) {
  const counter = { calls: 0 };
  const wrap = (target, methods) => {
    for (const method of methods) {
      const real = target[method].bind(target);
      target[method] = (...args) => {
        if (counter.calls++ >= n) throw new Error('crashed');
        return real(...args);
      };
    }
  };
  wrap(storage, ['getItem', 'setItem', 'removeItem', 'key']);
  wrap(adapter, ['getItem', 'setItem', 'removeItem', 'keys']);
  counter.undo = () => {
    for (const method of ['getItem', 'setItem', 'removeItem', 'key']) delete storage[method];
    Object.assign(adapter, mapAdapter(adapter.map));
  };
  return counter;
}

test('moves every session with its entry text unchanged, marks the move, and a second run moves nothing', async (t) => {
  t.mock.method(Date, 'now', () => T0);
  const { storage, from, to, adapter } = await stores(t);
  const texts = IDS.map((id) => storage.peek(`wm_session_${id}`));
  assert.deepEqual(await migrateSessions(from, to), { moved: 4, removed: 4 });
  assert.deepEqual(IDS.map((id) => adapter.map.get(`moved:${id}`)), texts, 'entries as stored, times kept');
  assert.deepEqual(storage.entries(), [['other-app', 'kept']], 'the source holds nothing of ours');
  assert.equal([...adapter.map.keys()].filter((key) => !key.startsWith('moved:')).length, 1, 'one marker, outside the prefix');
  assert.deepEqual(await migrateSessions(from, to), { moved: 0, removed: 0 });
  assert.deepEqual(await to.get('c'), wallet('c'));
  assert.equal((await to.getAll()).size, 4, 'the marker is no session');
  assert.equal(await to.cleanExpired(), 0, 'and no corrupt entry either');
});

test('interrupted at every step, every session stays readable from one side, and the next run completes the move', async (t) => {
  const total = await (async () => {
    const { storage, from, to, adapter } = await stores(t);
    const counter = crashAt(Infinity, storage, adapter);
    await migrateSessions(from, to);
    return counter.calls;
  })();
  assert.ok(total >= 14, `the move takes ${total} calls on the two storages`);
  for (let n = 0; n < total; n++) {
    const { storage, from, to, adapter } = await stores(t);
    const crash = crashAt(n, storage, adapter);
    await rejectsWithCode(migrateSessions(from, to), 'STORAGE_ERROR');
    crash.undo();
    for (const id of IDS) {
      const found = (await from.get(id)) ?? (await to.get(id));
      assert.deepEqual(found, wallet(id), `crash at call ${n}: ${id} readable`);
    }
    await migrateSessions(from, to);
    assert.deepEqual([...(await to.getAll())].sort(), IDS.map((id) => [id, wallet(id)]), `crash at call ${n}: all moved`);
    assert.equal((await from.getAll()).size, 0);
  }
});

test('before the move completes the source is the truth; after it, the target keeps its own', async (t) => {
  const { storage, from, to, adapter } = await stores(t);
  const crash = crashAt(6, storage, adapter);
  await rejectsWithCode(migrateSessions(from, to), 'STORAGE_ERROR');
  crash.undo();
  await from.set('a', { id: 'a', origin: 'changed before the move completed' });
  await migrateSessions(from, to);
  assert.equal((await to.get('a')).origin, 'changed before the move completed');

  await to.set('b', { id: 'b', origin: 'changed in the target' });
  await from.set('b', { id: 'b', origin: 'written to the old store by mistake' });
  await from.set('e', wallet('e'));
  assert.deepEqual(await migrateSessions(from, to), { moved: 1, removed: 2 });
  assert.equal((await to.get('b')).origin, 'changed in the target');
  assert.deepEqual(await to.get('e'), wallet('e'));
});

test('calls on the target made after migrateSessions wait for it; a memory store or the same store twice is INVALID_STORE', async (t) => {
  const { from, to } = await stores(t);
  const moving = migrateSessions(from, to);
  assert.deepEqual(await to.get('d'), wallet('d'), 'queued behind the move');
  await moving;
  await rejectsWithCode(migrateSessions(new MemorySessionStore(), to), 'INVALID_STORE');
  await rejectsWithCode(migrateSessions(to, to), 'INVALID_STORE');
  await rejectsWithCode(migrateSessions(from, new LocalStorageSessionStore()), 'INVALID_STORE');
});

test('a run interrupted after the marker, run again, never copies back what the target has ended since; what was added to the source since is moved', async (t) => {
  const { storage, from, to, adapter } = await stores(t);
  // The first run stops after its first removal from the source.
  const remove = storage.removeItem.bind(storage);
  let removals = 0;
  storage.removeItem = (key) => {
    if (removals++ >= 1) throw new Error('crashed');
    remove(key);
  };
  await rejectsWithCode(migrateSessions(from, to), 'STORAGE_ERROR');
  delete storage.removeItem;
  assert.equal((await from.getAll()).size, 3, 'three sessions left behind in the source');
  // The app ends two sessions in the target (a logout, a disconnect), and the old code adds one.
  await to.delete('b');
  await to.delete('c');
  await from.set('e', wallet('e'));
  assert.deepEqual(await migrateSessions(from, to), { moved: 1, removed: 4 });
  assert.equal(await to.get('b'), undefined, 'the logout holds');
  assert.equal(await to.get('c'), undefined);
  assert.deepEqual([...(await to.getAll()).keys()].sort(), ['a', 'd', 'e']);
  assert.equal((await from.getAll()).size, 0);
  assert.deepEqual(await migrateSessions(from, to), { moved: 0, removed: 0 });
  assert.equal(JSON.parse([...adapter.map].find(([key]) => key.startsWith('wasm-session-store:migrated:'))[1]).removing, undefined, 'the marker lists nothing once the removals are done');
});

test('calls on a Web Storage target made after migrateSessions are kept: a set is not overwritten by the move, a delete not undone', async (t) => {
  const storage = stubLocalStorage(t);
  const source = mapAdapter();
  const from = new AdapterSessionStore({ storage: source, prefix: 'old:' });
  for (const id of IDS) await from.set(id, wallet(id));
  const to = new LocalStorageSessionStore();
  await to.set('c', { id: 'c', origin: 'already in the target' });
  const heard = [];
  to.subscribe((event) => heard.push(event.type));
  const moving = migrateSessions(from, to);
  const data = { id: 'a', origin: 'set after the migration began' };
  const setting = to.set('a', data);
  data.origin = 'changed after set returned';
  await setting;
  await to.delete('b');
  await to.delete('c');
  assert.deepEqual(await moving, { moved: 4, removed: 4 });
  assert.equal((await to.get('a')).origin, 'set after the migration began');
  assert.equal(await to.get('b'), undefined, 'the delete holds');
  assert.equal(await to.get('c'), undefined);
  assert.deepEqual(await to.get('d'), wallet('d'));
  assert.deepEqual(heard, ['set', 'delete', 'delete'], 'the listeners hear the calls that waited');
  assert.equal(storage.entries().filter(([key]) => key.startsWith('wm_session_')).length, 2);
  assert.equal(source.map.size, 0, 'the source holds none of ours');
});

test('between nested prefixes of one storage, the target\'s entries are never taken for the source\'s, on any run', async (t) => {
  const storage = stubLocalStorage(t);
  const from = new LocalStorageSessionStore();
  for (const id of IDS) await from.set(id, wallet(id));
  const to = new LocalStorageSessionStore({ prefix: 'wm_session_v2_' });
  assert.deepEqual(await migrateSessions(from, to), { moved: 4, removed: 4 });
  await from.set('e', wallet('e'));
  assert.deepEqual(await migrateSessions(from, to), { moved: 1, removed: 1 });
  assert.deepEqual(await migrateSessions(from, to), { moved: 0, removed: 0 });
  assert.deepEqual([...(await to.getAll())].sort(), [...IDS, 'e'].map((id) => [id, wallet(id)]));
  assert.deepEqual(storage.entries().map(([key]) => key).filter((key) => key.startsWith('wm_session_')).sort(), [...IDS, 'e'].map((id) => `wm_session_v2_${id}`));
  // Two adapter stores over one adapter and prefix are one store.
  const adapter = mapAdapter();
  await rejectsWithCode(migrateSessions(new AdapterSessionStore({ storage: adapter }), new AdapterSessionStore({ storage: adapter })), 'INVALID_STORE');
});
