// The measured operations, shared by the Node run and the Chromium page. Each case makes a fresh
// store, seeds it with `n` sessions (untimed), then times the operation in batches of at least
// MIN_BATCH_MS; its result is the median over ROUNDS batches, in operations per second. Every
// operation runs with `refreshOnAccess` off and on.
export const SIZES = [10, 100, 1000];
export const OPS = ['set', 'get', 'validateAndRefresh', 'delete', 'getAll', 'cleanExpired'];
const HOUR = 3_600_000;
const ROUNDS = 7;
const MIN_BATCH_MS = 25;

export const sessionRecord = (id) => ({
  id, origin: 'https://dapp.example',
  permissions: { 'eip155:1': ['eth_accounts', 'eth_sendTransaction'], 'eip155:137': ['eth_accounts'] },
});

/** The store config of a case: lifetime 1 h, refreshing on access or not. */
export const caseConfig = (refreshOnAccess, prefix) => ({ lifetime: HOUR, refreshOnAccess, prefix });

/** Runs `work` with Date.now() two hours in the past, so that what it stores is already expired. */
async function inThePast(work) {
  const realNow = Date.now;
  const past = realNow() - 2 * HOUR;
  Date.now = () => past;
  try {
    await work();
  } finally {
    Date.now = realNow;
  }
}

/** The floor over a Map: the same records, no contract around them, no Promises. */
export function mapFloor(config) {
  const sessions = new Map();
  const live = (s, now) => now <= s.expiresAt;
  return {
    sync: true,
    set(id, data) { sessions.set(id, { data, expiresAt: Date.now() + config.lifetime }); },
    get(id) { const s = sessions.get(id); return s && live(s, Date.now()) ? s.data : undefined; },
    validateAndRefresh(id) {
      const s = sessions.get(id);
      const now = Date.now();
      if (!s || !live(s, now)) return undefined;
      s.expiresAt = now + config.lifetime;
      return s.data;
    },
    delete(id) { sessions.delete(id); },
    getAll() {
      const all = new Map();
      const now = Date.now();
      for (const [id, s] of sessions) if (live(s, now)) all.set(id, s.data);
      return all;
    },
    cleanExpired() {
      const now = Date.now();
      let removed = 0;
      for (const [id, s] of sessions) if (!live(s, now)) { sessions.delete(id); removed++; }
      return removed;
    },
    clear() { sessions.clear(); },
  };
}

/** The floor over localStorage: raw getItem/setItem/removeItem and JSON of the same records. */
export function storageFloor(config) {
  const prefix = config.prefix;
  const keys = () => {
    const own = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith(prefix)) own.push(key);
    }
    return own;
  };
  return {
    sync: true,
    set(id, data) { localStorage.setItem(prefix + id, JSON.stringify({ data, expiresAt: Date.now() + config.lifetime })); },
    get(id) { const s = JSON.parse(localStorage.getItem(prefix + id)); return s.data; },
    validateAndRefresh(id) {
      const s = JSON.parse(localStorage.getItem(prefix + id));
      s.expiresAt = Date.now() + config.lifetime;
      localStorage.setItem(prefix + id, JSON.stringify(s));
      return s.data;
    },
    delete(id) { localStorage.removeItem(prefix + id); },
    getAll() {
      const all = new Map();
      for (const key of keys()) all.set(key.slice(prefix.length), JSON.parse(localStorage.getItem(key)).data);
      return all;
    },
    cleanExpired() {
      const now = Date.now();
      let removed = 0;
      for (const key of keys()) {
        if (now > JSON.parse(localStorage.getItem(key)).expiresAt) { localStorage.removeItem(key); removed++; }
      }
      return removed;
    },
    clear() { for (const key of keys()) localStorage.removeItem(key); },
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** A case's store with its seeding and one timed batch: `make(config)` gives the store (async
 * methods, or `sync: true` for a floor). */
async function prepare({ make, op, n, refresh, prefix }) {
  const store = make(caseConfig(refresh, prefix));
  const call = store.sync ? (name, ...args) => store[name](...args) : async (name, ...args) => store[name](...args);
  const ids = Array.from({ length: n }, (_, i) => `session-${i}`);
  const seed = async (expiredHalf) => {
    for (let i = 0; i < n; i++) {
      if (expiredHalf && i % 2 === 0) await inThePast(() => call('set', ids[i], sessionRecord(ids[i])));
      else await call('set', ids[i], sessionRecord(ids[i]));
    }
  };
  await call('clear');
  await seed(false);
  /** Runs the operation for at least MIN_BATCH_MS; returns operations per second. */
  const batch = async () => {
    let operations = 0;
    let elapsed = 0;
    while (elapsed < MIN_BATCH_MS) {
      if (op === 'delete') await seed(false);
      if (op === 'cleanExpired') await seed(true);
      const start = performance.now();
      if (op === 'getAll' || op === 'cleanExpired') {
        const result = await call(op);
        operations += 1;
        if (op === 'cleanExpired' && result !== Math.ceil(n / 2)) throw new Error(`cleanExpired removed ${result}, not ${Math.ceil(n / 2)}`);
      } else {
        const data = sessionRecord('x');
        for (const id of ids) {
          if (op === 'set') await call('set', id, data);
          else await call(op, id);
        }
        operations += n;
      }
      elapsed += performance.now() - start;
    }
    return (operations / elapsed) * 1000;
  };
  return { batch, clear: () => call('clear') };
}

/**
 * Every case for the given implementations (`{ ours, walletmesh, baseline, floor }` → makers), as rows of
 * medians. Within a case the implementations take turns batch by batch, so that drift in the
 * machine's speed falls on all of them alike.
 */
export async function runAll(implementations, { prefixFor = (impl) => `${impl}_`, refreshes = [false, true] } = {}) {
  const rows = [];
  for (const op of OPS) {
    for (const refresh of refreshes) {
      for (const n of SIZES) {
        rows.push(await measure(implementations, { op, n, refresh, prefixFor }));
      }
    }
  }
  return rows;
}

/** One case's row: each implementation's median, batches taken in turns. */
async function measure(implementations, { op, n, refresh, prefixFor }) {
  const cases = {};
  for (const [impl, make] of Object.entries(implementations)) cases[impl] = await prepare({ make, op, n, refresh, prefix: prefixFor(impl) });
  const samples = Object.fromEntries(Object.keys(cases).map((impl) => [impl, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [impl, { batch }] of Object.entries(cases)) samples[impl].push(await batch());
  }
  const row = { op, n, refresh };
  for (const [impl, { clear }] of Object.entries(cases)) {
    row[impl] = median(samples[impl]);
    await clear();
  }
  return row;
}
