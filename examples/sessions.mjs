// A walk through the session runtime in Node: sessions stored, restored by a new store instance
// (as after a page reload), refreshed on access, expired when idle, and ended by the absolute lifetime.
// Node has no localStorage, so a minimal Storage-compatible object stands in for it.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { LocalStorageSessionStore } = require('../pkg/index.cjs');

const items = new Map();
globalThis.localStorage = {
  getItem: (key) => items.get(key) ?? null,
  setItem: (key, value) => void items.set(key, String(value)),
  removeItem: (key) => void items.delete(key),
  key: (index) => [...items.keys()][index] ?? null,
  get length() { return items.size; },
};

const started = Date.now();
const at = () => `+${String(Date.now() - started).padStart(4)} ms`;
const say = (text) => console.log(`${at()}  ${text}`);
const config = { lifetime: 1200, refreshOnAccess: true, absoluteLifetime: 3000 };
const wallet = (origin, chain, methods) => ({ id: origin.split('.')[1], origin, permissions: { [chain]: methods } });

say(`config: idle lifetime ${config.lifetime} ms, refresh on access, absolute lifetime ${config.absoluteLifetime} ms`);
const tab = new LocalStorageSessionStore(config);
await tab.set('uniswap', wallet('https://app.uniswap.org', 'eip155:1', ['eth_sendTransaction', 'eth_signTypedData_v4']));
await tab.set('aave', wallet('https://app.aave.com', 'eip155:137', ['eth_sendTransaction']));
say('connected two dApps; localStorage now holds:');
for (const [key, value] of items) console.log(`            ${key} = ${value}`);

const reloaded = new LocalStorageSessionStore(config);
const restored = await reloaded.getAll();
say(`page reload: a new store instance restores ${restored.size} sessions: ${[...restored.keys()].join(', ')}`);

for (let step = 0; step < 3; step += 1) {
  await sleep(800);
  const uniswap = await reloaded.get('uniswap');
  const expiresIn = JSON.parse(items.get('wm_session_uniswap')).expiresAt - Date.now();
  const capped = expiresIn < config.lifetime ? ' (capped by the absolute lifetime)' : '';
  say(`uniswap used (${uniswap ? 'live' : 'gone'}), its expiry pushed to ${expiresIn} ms from now${capped}; aave left idle`);
}
say(`aave idle for ${config.lifetime}+ ms: get('aave') → ${await reloaded.get('aave')}; its key was removed: ${!items.has('wm_session_aave')}`);

await sleep(700);
say(`uniswap in use for ${config.absoluteLifetime}+ ms: get('uniswap') → ${await reloaded.get('uniswap')} (absolute lifetime reached)`);

await tab.set('curve', wallet('https://curve.fi', 'eip155:1', ['eth_accounts']));
await tab.set('stale', wallet('https://old.example', 'eip155:10', ['eth_accounts']));
await sleep(700);
await tab.get('curve');
await sleep(700);
say(`cleanExpired() removed ${await tab.cleanExpired()} idle session(s); still stored: ${[...(await tab.getAll()).keys()].join(', ')}`);
await tab.clear();
say(`clear(): ${items.size} keys left`);
