// Many tabs under load, checked against a model. Pages of one origin (one browser context) run
// un-awaited mixed operations on overlapping session ids and on shared manager tokens for a while;
// then the model checks the final storage and every page's event log:
// - every change is heard exactly once in every page (its own, and the others' relayed);
// - each session's final entry is what the last change every page heard leaves: no `set` is lost
//   unless a later operation removed or replaced it;
// - no token rotates twice (a session never has two live tokens), and no session is lost;
// - nobody is logged out: no refresh or validate of a token that was current (or superseded less
//   than the rotation grace ago) answers that the session is gone.
// Used by tests/browser/stress.test.mjs (a few seconds) and bench/stress.mjs (30 s).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../../scripts/serve.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const IDS = 12;
const CHAINS = 6;
const GRACE = 10_000;

/** Serves the store page with the built package; resolves to `{ url, close }`. */
export function serveStressSite() {
  const site = `${root}target/stress-site`;
  rmSync(site, { recursive: true, force: true });
  mkdirSync(site, { recursive: true });
  cpSync(`${root}tests/browser/site/store.html`, `${site}/store.html`);
  cpSync(`${root}pkg`, `${site}/pkg`, { recursive: true });
  return serve(site);
}

/**
 * Runs the load in `pages` new pages of a new context of `browser` over `storage` ('localStorage'
 * or 'indexedDB') for `seconds`; resolves to `{ operations, perSecond, violations, counts }`.
 */
export async function runStress(browser, url, { storage, seconds, pages = 4 }) {
  const context = await browser.newContext();
  try {
    const tabs = [];
    for (let i = 0; i < pages; i++) {
      const page = await context.newPage();
      await page.goto(`${url}store.html`);
      await page.waitForFunction(() => document.title === 'ready');
      tabs.push(page);
    }
    await Promise.all(tabs.map((tab) => tab.evaluate(setUp, { storage, grace: GRACE })));
    const chains = await tabs[0].evaluate(startChains, CHAINS);
    const started = Date.now();
    const runs = await Promise.all(tabs.map((tab, at) => tab.evaluate(work, { tab: at, seconds, ids: IDS, chains })));
    const elapsed = (Date.now() - started) / 1000;
    // Quiet: every expiry passed and swept, every relayed event arrived.
    await tabs[0].waitForTimeout(2_500);
    const logs = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.stress.log)));
    const final = await tabs[0].evaluate(readEntries, storage);
    const live = await tabs[0].evaluate(liveSessionIds, pages);
    const operations = runs.reduce((sum, run) => sum + run.operations, 0);
    return { operations, perSecond: Math.round(operations / elapsed), ...check(runs, logs, final, live) };
  } finally {
    await context.close();
  }
}

// ---- in the pages ----

/** Each page: a store and a manager over the storage, a listener logging every event. */
function setUp({ storage, grace }) {
  const { LocalStorageSessionStore, IndexedDbSessionStore, AdapterSessionStore, SessionManager, indexedDbStorage, lockedLocalStorage } = window.sessions;
  const config = { prefix: 'stress:', lifetime: 60_000, refreshOnAccess: true };
  const stores = {
    indexedDB: () => new IndexedDbSessionStore({ database: 'stress', ...config }),
    localStorage: () => new LocalStorageSessionStore(config),
    lockedLocalStorage: () => new AdapterSessionStore({ ...config, storage: lockedLocalStorage() }),
  };
  const store = stores[storage]();
  const manager = new SessionManager({
    storage: storage === 'indexedDB' ? indexedDbStorage({ database: 'stress' }) : 'localStorage',
    prefix: 'stress-m:', inactivityTimeout: 60_000, rotationGrace: grace,
  });
  const log = [];
  store.subscribe((event) => log.push([event.type, event.sessionId ?? null, event.data?.tag ?? null]));
  // The newest token of each chain any page has seen, shared as pages rotate them.
  const newest = new Map();
  const channel = new BroadcastChannel('stress-tokens');
  channel.onmessage = ({ data: { chain, generation, token } }) => {
    if ((newest.get(chain)?.generation ?? -1) < generation) newest.set(chain, { generation, token });
  };
  window.stress = { store, manager, log, newest, channel };
}

async function startChains(count) {
  const chains = [];
  for (let i = 0; i < count; i++) chains.push((await window.stress.manager.create({ userId: `user-${i % 3}` })).token);
  return chains;
}

/** The load of one page: batches of un-awaited operations until the time is up. */
async function work({ tab, seconds, ids, chains }) {
  const { store, manager, newest, channel } = window.stress;
  chains.forEach((token, chain) => newest.set(chain, { generation: 0, token }));
  const rotations = [];
  const verdicts = [];
  let created = 0;
  let operations = 0;
  let n = 0;
  const until = Date.now() + seconds * 1000;
  const pick = (count) => Math.floor(Math.random() * count);
  const refresh = async (chain) => {
    const { generation, token } = newest.get(chain);
    const at = Date.now();
    const outcome = await manager.refresh(token).then((session) => session.token, (error) => `error:${error.code}`);
    rotations.push({ chain, generation, token, outcome, at, tab });
    if (!outcome.startsWith('error:')) {
      if ((newest.get(chain)?.generation ?? -1) < generation + 1) newest.set(chain, { generation: generation + 1, token: outcome });
      channel.postMessage({ chain, generation: generation + 1, token: outcome });
    }
  };
  const validate = async (chain) => {
    const { token } = newest.get(chain);
    const at = Date.now();
    const result = await manager.validate(token);
    verdicts.push({ chain, token, valid: result.valid, error: result.error ?? null, at, tab });
  };
  while (Date.now() < until) {
    const batch = [];
    for (let i = 0; i < 24; i++) {
      const id = `s${pick(ids)}`;
      const roll = Math.random();
      n += 1;
      if (roll < 0.3) {
        // A fifth of the sets carry their own, short expiry: they expire (and are swept) under load.
        const options = Math.random() < 0.2 ? { expiresAt: Date.now() + 200 + pick(800) } : undefined;
        batch.push(store.set(id, { tag: `${tab}:${n}` }, options));
      } else if (roll < 0.55) batch.push(store.get(id));
      else if (roll < 0.65) batch.push(store.delete(id));
      else if (roll < 0.68) batch.push(store.cleanExpired());
      else if (roll < 0.7) batch.push(manager.create({ userId: `created-${tab}` }).then(() => (created += 1)));
      else if (roll < 0.85) batch.push(validate(pick(chains.length)));
      else batch.push(refresh(pick(chains.length)));
    }
    const settled = await Promise.allSettled(batch);
    operations += settled.length;
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) return { operations, rotations, verdicts, created, failure: String(failed.reason?.code ?? failed.reason) };
  }
  return { operations, rotations, verdicts, created };
}

/** The ids of the manager's live sessions of the shared chains (one per live token), and how many each page's users have. */
async function liveSessionIds(pages) {
  const { manager } = window.stress;
  const ids = [];
  for (const user of ['user-0', 'user-1', 'user-2']) ids.push(...(await manager.listForUser(user)).map((session) => session.id));
  const created = [];
  for (let tab = 0; tab < pages; tab++) created.push((await manager.listForUser(`created-${tab}`)).length);
  return { ids, created };
}

/** The entries under the store's prefix as stored, read without the store (no side effect). */
async function readEntries(storage) {
  const entries = {};
  if (storage === 'indexedDB') {
    const adapter = window.sessions.indexedDbStorage({ database: 'stress' });
    for (const key of await adapter.keys('stress:')) if (key.startsWith('stress:')) entries[key.slice(7)] = JSON.parse(await adapter.getItem(key));
  } else {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith('stress:')) entries[key.slice(7)] = JSON.parse(localStorage.getItem(key));
    }
  }
  return entries;
}

// ---- the model ----

function check(runs, logs, final, { ids: live, created }) {
  const violations = [];
  for (const run of runs) if (run.failure) violations.push(`a page's operation failed: ${run.failure}`);

  // Every change heard exactly once in every page: the same events, per session, everywhere.
  const perSession = (log) => {
    const by = new Map();
    for (const [type, id, tag] of log) {
      const key = id ?? '*';
      if (!by.has(key)) by.set(key, []);
      by.get(key).push(`${type}${tag ? `:${tag}` : ''}`);
    }
    return by;
  };
  const heard = logs.map(perSession);
  const ids = new Set([...heard.flatMap((by) => [...by.keys()]), ...Object.keys(final)]);
  const sorted = (list) => [...(list ?? [])].sort().join(',');
  for (const id of ids) {
    for (let page = 1; page < logs.length; page++) {
      if (sorted(heard[page].get(id)) !== sorted(heard[0].get(id))) violations.push(`${id}: pages 0 and ${page} heard different changes`);
    }
    // What the last change each page heard leaves, against what is stored.
    const stored = final[id]?.data?.tag ?? null;
    heard.forEach((by, page) => {
      let state = null;
      for (const change of by.get(id) ?? []) {
        if (change.startsWith('set:')) state = change.slice(4);
        else if (change === 'delete' || change === 'expire') state = null;
      }
      if (state !== stored) violations.push(`${id}: stored ${stored}, but page ${page}'s last change leaves ${state}`);
    });
  }

  // Rotation once: a token rotated twice leaves two live tokens, two sessions with one id.
  const twice = live.length - new Set(live).size;
  if (twice) violations.push(`${twice} tokens were rotated twice (two live sessions with one id)`);
  if (new Set(live).size !== CHAINS) violations.push(`${CHAINS - new Set(live).size} sessions lost`);
  runs.forEach((run, page) => {
    if (created[page] !== run.created) violations.push(`page ${page} created ${run.created} sessions, ${created[page]} are listed`);
  });
  const rotations = runs.flatMap((run) => run.rotations);
  const supersededAt = new Map();
  for (const { token, outcome, at } of rotations) {
    if (!outcome.startsWith('error:')) supersededAt.set(token, Math.min(supersededAt.get(token) ?? Infinity, at));
  }
  // Logged out: a token current (or superseded less than the grace ago, with a second to spare) refused.
  const fresh = (token, at) => !supersededAt.has(token) || at < supersededAt.get(token) + GRACE - 1_000;
  const loggedOut = rotations.filter(({ token, outcome, at }) => outcome.startsWith('error:') && fresh(token, at)).length
    + runs.flatMap((run) => run.verdicts).filter(({ token, valid, at }) => !valid && !supersededAt.has(token) && fresh(token, at)).length;
  if (loggedOut) violations.push(`${loggedOut} calls with a live token were refused`);

  const events = logs.reduce((sum, log) => sum + log.length, 0);
  const creates = runs.reduce((sum, run) => sum + run.created, 0);
  return { violations, counts: { creates, rotations: supersededAt.size, refreshes: rotations.length, events, sessionsLeft: Object.keys(final).length } };
}
