// Test adapters for the conformance suite and the adapter tests: a Map behind a synchronous
// adapter, and one whose every call answers after a random delay, so that calls overlap and
// settle out of order.

/**
 * `{ getItem, setItem, removeItem, keys }` over a Map, answering at once. Its `quota` fills it as a
 * browser's quota does: once full, a write fits only in the room (key and value lengths) that
 * removals have made since.
 */
export function mapAdapter(map = new Map()) {
  let room = Infinity;
  const size = (key) => (map.has(key) ? key.length + map.get(key).length : 0);
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => {
      const cost = key.length + value.length - size(key);
      if (cost > room) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
      room -= cost;
      map.set(key, value);
    },
    removeItem: (key) => {
      room += size(key);
      map.delete(key);
    },
    keys: () => [...map.keys()],
    quota: { fill: () => { room = 0; }, release: () => { room = Infinity; } },
  };
}

/** The same over a Map, each answer after 0 to `most` ms (a seeded sequence), like a network store. */
export function jitteryAdapter(most = 3, map = new Map()) {
  let state = 7;
  const delay = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return new Promise((resolve) => setTimeout(resolve, state % (most + 1)));
  };
  const later = (answer) => async (...args) => {
    await delay();
    return answer(...args);
  };
  const inner = mapAdapter(map);
  return { map, getItem: later(inner.getItem), setItem: later(inner.setItem), removeItem: later(inner.removeItem), keys: later(inner.keys), quota: inner.quota };
}

/** A conformance backend over an adapter: stores made by `create(config)`, entry texts read through the Map. */
export function adapterBackend(name, create, adapter) {
  return {
    name,
    make: (config) => create({ ...config, storage: adapter }),
    raw: { get: async (key) => adapter.map.get(key) ?? null, set: async (key, value) => void adapter.map.set(key, value) },
    quota: adapter.quota,
  };
}
