// Lumen Exchange: a dApp page whose wallet connection is a session in wasm-session-store.
import { LocalStorageSessionStore } from './pkg/index.js';
import { askWallet, demoAccount, CHAINS } from './wallet.js';
import { defaultSettings, fillForm, loadSettings, readForm, saveSettings, storeConfig } from './settings.js';
import { deadline, remaining, renderSessions, storedEntries } from './sessions-view.js';

const $ = (id) => document.getElementById(id);
let settings = loadSettings();
let store;
try {
  store = new LocalStorageSessionStore(storeConfig(settings));
} catch (error) {
  // Saved settings someone edited by hand (or another version wrote): the page still starts.
  settings = defaultSettings();
  store = new LocalStorageSessionStore(storeConfig(settings));
  $('settings-error').textContent = `The saved policy was refused (${error.code}: ${error.message}); the defaults apply.`;
  $('settings-error').hidden = false;
}
// Other tabs' changes are heard through a store that never refreshes, so two tabs never answer
// each other's writes with writes of their own. While it has a listener it also sweeps each
// session at its deadline, so an expiry is heard here, and in every other tab, the moment it is due.
const viewer = new LocalStorageSessionStore();
let current = null; // { id, data } of this dApp's connection

function log(text) {
  const item = document.createElement('li');
  item.innerHTML = '<time></time> <span></span>';
  item.firstChild.textContent = new Date().toLocaleTimeString();
  item.lastChild.textContent = text;
  $('log').prepend(item);
  while ($('log').children.length > 30) $('log').lastChild.remove();
}

function notice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

async function findConnection(source) {
  const sessions = await source.getAll();
  const mine = [...sessions].find(([, data]) => data?.origin === location.origin);
  return mine ? { id: mine[0], data: mine[1] } : null;
}

async function connect() {
  const permissions = await askWallet($('wallet'));
  if (!permissions) return log('The wallet request was rejected');
  const id = crypto.randomUUID();
  const data = { id, origin: location.origin, permissions, account: demoAccount(), wallet: 'Demo Wallet', connectedAt: Date.now() };
  await store.set(id, data);
  current = { id, data };
  notice(null);
  log(`Connected ${short(data.account)} on ${Object.keys(permissions).map(chainName).join(', ')}`);
  render();
}

async function disconnect() {
  await store.delete(current.id);
  log(`Disconnected ${short(current.data.account)}`);
  current = null;
  render();
}

async function useSession() {
  const data = await store.validateAndRefresh(current.id);
  if (!data) return expire();
  log(settings.refreshOnAccess ? 'Session used: expiry pushed forward' : 'Session used');
  render();
}

function expire(where = '') {
  current = null;
  notice('Your session expired. Connect your wallet again to continue.');
  log(`Session expired and was removed${where}`);
  render();
}

async function applySettings(event) {
  event.preventDefault();
  const next = readForm($('settings'));
  try {
    const replaced = store;
    store = new LocalStorageSessionStore(storeConfig(next));
    store.subscribe(expiryHeard);
    replaced.free();
  } catch (error) {
    $('settings-error').textContent = `${error.code}: ${error.message}`;
    $('settings-error').hidden = false;
    return;
  }
  $('settings-error').hidden = true;
  settings = next;
  saveSettings(settings);
  log(`Policy: idle ${settings.lifetime || '∞'} s, refresh ${settings.refreshOnAccess ? 'on' : 'off'}, absolute ${settings.absoluteLifetime || '∞'} s (applies to the next connection)`);
}

async function cleanExpired() {
  const removed = await store.cleanExpired();
  log(`Clean expired: removed ${removed} session${removed === 1 ? '' : 's'}`);
  render();
}

function render() {
  const connected = current !== null;
  $('status').dataset.state = connected ? 'connected' : 'disconnected';
  $('status-text').textContent = connected ? `Connected · ${short(current.data.account)}` : 'Not connected';
  $('connected').hidden = !connected;
  $('disconnected').hidden = connected;
  if (connected) {
    const { account, connectedAt, permissions } = current.data;
    $('account').textContent = account;
    $('since').textContent = `${new Date(connectedAt).toLocaleString()}`;
    $('permissions').replaceChildren(...Object.entries(permissions).map(([chain, methods]) => {
      const item = document.createElement('li');
      item.innerHTML = '<strong></strong><span class="muted small"></span><div class="chips"></div>';
      item.children[0].textContent = chainName(chain);
      item.children[1].textContent = ` ${chain}`;
      item.children[2].replaceChildren(...methods.map((method) => Object.assign(document.createElement('span'), { className: 'chip', textContent: method })));
      return item;
    }));
  }
  tick();
}

/** Countdowns from the raw entries (the expiry itself is heard from the store, not polled). */
function tick() {
  const now = Date.now();
  const absolute = settings.absoluteLifetime * 1000;
  const entries = storedEntries();
  renderSessions($('sessions'), $('empty'), entries, now, absolute);
  if (!current) return;
  const entry = entries.find((e) => e.id === current.id);
  const end = entry ? deadline(entry, absolute) : null;
  $('expires').textContent = end === null ? 'never' : `in ${remaining(end, now)}`;
  const lifetime = settings.lifetime * 1000;
  $('meter').style.width = end === null || !lifetime ? '100%' : `${Math.max(0, Math.min(1, (end - now) / lifetime)) * 100}%`;
}

function chainName(id) {
  return CHAINS.find((chain) => chain.id === id)?.name ?? id;
}

function short(account) {
  return `${account.slice(0, 6)}…${account.slice(-4)}`;
}

// This tab's store sweeps its sessions at their deadlines while it has a listener: the expiry is
// heard the moment it is due, with no polling.
function expiryHeard(event) {
  if (event.type === 'expire' && event.sessionId === current?.id) expire(' at its deadline');
}
store.subscribe(expiryHeard);

// What other tabs did (the storage event), or an expiry the viewer swept.
viewer.subscribe(async (event) => {
  if (event.type === 'expire' && event.sessionId === current?.id) return expire(' at its deadline');
  if (event.type === 'refresh') return render();
  const before = current?.id;
  current = await findConnection(viewer);
  if (current?.id !== before) log(current ? 'Connected in another tab' : 'Disconnected in another tab');
  render();
});

$('connect').addEventListener('click', connect);
$('disconnect').addEventListener('click', disconnect);
$('use').addEventListener('click', useSession);
$('clean').addEventListener('click', cleanExpired);
$('settings').addEventListener('submit', applySettings);
fillForm($('settings'), settings);

current = await findConnection(store);
if (current) log(`Restored the connection of ${short(current.data.account)} from localStorage`);
render();
setInterval(tick, 250);
