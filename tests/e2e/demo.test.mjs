// The demo dApp in headless Chromium: connect, reload, expire, disconnect, a second tab.
// Screenshots of each state go to target/e2e-screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { launchChromium } from '../support/browser.mjs';

const www = fileURLToPath(new URL('../../www', import.meta.url));
const shots = fileURLToPath(new URL('../../target/e2e-screenshots/', import.meta.url));
let browser;
let server;

before(async () => {
  mkdirSync(shots, { recursive: true });
  [browser, server] = await Promise.all([launchChromium(), serve(www)]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page in its own context (its own localStorage), failing on any page error. */
async function openDemo(t, context) {
  const ownContext = context ?? await browser.newContext({ viewport: { width: 1200, height: 900 } });
  if (!context) t.after(() => ownContext.close());
  const page = await ownContext.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  t.after(() => assert.deepEqual(errors, [], 'no page errors'));
  await page.goto(server.url);
  await page.waitForSelector('#status:not([data-state="loading"])');
  return page;
}

async function connect(page, chains = ['eip155:1', 'eip155:137']) {
  await page.click('#connect');
  await page.waitForSelector('#wallet[open]');
  for (const box of await page.$$('#grants [name=chain]')) await box.uncheck();
  for (const chain of chains) await page.check(`fieldset[data-chain="${chain}"] [name=chain]`);
  await page.check('fieldset[data-chain="eip155:1"] input[value="personal_sign"]');
  await page.click('#approve');
  await page.waitForSelector('#status[data-state="connected"]');
}

const sessionKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('wm_session_')));
const permissionsShown = (page) => page.$$eval('#permissions li', (items) => items.map((item) => item.innerText.replace(/\s+/g, ' ').trim()));

test('connect, reload: the page restores the connection with the same permissions', async (t) => {
  const page = await openDemo(t);
  assert.equal(await page.textContent('#status-text'), 'Not connected');
  await page.screenshot({ path: `${shots}1-not-connected.png` });
  await page.click('#connect');
  await page.waitForSelector('#wallet[open]');
  await page.screenshot({ path: `${shots}2-wallet-asks.png` });
  await page.click('#reject');
  await connect(page);
  const account = await page.textContent('#account');
  const permissions = await permissionsShown(page);
  assert.equal(permissions.length, 2);
  assert.match(permissions[0], /Ethereum.*eth_accounts.*eth_sendTransaction.*personal_sign/);
  assert.deepEqual(await sessionKeys(page), [`wm_session_${await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('wm_session_')))).data.id)}`]);
  await page.screenshot({ path: `${shots}3-connected.png` });

  await page.reload();
  await page.waitForSelector('#status[data-state="connected"]');
  assert.equal(await page.textContent('#account'), account);
  assert.deepEqual(await permissionsShown(page), permissions);
  assert.match(await page.textContent('#since'), /\d/);
  assert.match(await page.textContent('#log'), /Restored the connection/);
  await page.screenshot({ path: `${shots}4-restored-after-reload.png` });
});

test('a short lifetime: the session expires, is removed, and the page asks to reconnect', async (t) => {
  const page = await openDemo(t);
  await page.fill('[name=lifetime]', '2');
  await page.uncheck('[name=refreshOnAccess]');
  await page.fill('[name=absoluteLifetime]', '0');
  await page.click('#settings button[type=submit]');
  await connect(page);
  assert.equal((await sessionKeys(page)).length, 1);
  await page.waitForSelector('#status[data-state="disconnected"]', { timeout: 6000 });
  assert.match(await page.textContent('#notice'), /expired.*Connect your wallet again/);
  assert.ok(await page.isVisible('#connect'));
  assert.deepEqual(await sessionKeys(page), [], 'the expired session was removed from localStorage');
  await page.screenshot({ path: `${shots}5-expired.png` });
  await page.reload();
  await page.waitForSelector('#status[data-state="disconnected"]');
});

test('disconnect: the session is gone, after a reload too', async (t) => {
  const page = await openDemo(t);
  await connect(page);
  await page.click('#disconnect');
  await page.waitForSelector('#status[data-state="disconnected"]');
  assert.deepEqual(await sessionKeys(page), []);
  await page.reload();
  await page.waitForSelector('#status[data-state="disconnected"]');
  assert.equal(await page.textContent('#status-text'), 'Not connected');
  await page.screenshot({ path: `${shots}6-disconnected-after-reload.png` });
});

test('a second tab reflects a connection and a disconnection made in the first', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  t.after(() => context.close());
  const first = await openDemo(t, context);
  const second = await openDemo(t, context);
  await connect(first);
  await second.waitForSelector('#status[data-state="connected"]');
  assert.equal(await second.textContent('#account'), await first.textContent('#account'));
  assert.match(await second.textContent('#log'), /Connected in another tab/);
  await second.screenshot({ path: `${shots}7-second-tab.png` });
  await second.click('#disconnect');
  await first.waitForSelector('#status[data-state="disconnected"]');
  assert.match(await first.textContent('#log'), /Disconnected in another tab/);
});

test('a second tab hears the expiry live: both pages ask to reconnect at the deadline, with no click and no reload', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  t.after(() => context.close());
  const first = await openDemo(t, context);
  await first.fill('[name=lifetime]', '2');
  await first.uncheck('[name=refreshOnAccess]');
  await first.fill('[name=absoluteLifetime]', '0');
  await first.click('#settings button[type=submit]');
  const second = await openDemo(t, context);
  await connect(first);
  await second.waitForSelector('#status[data-state="connected"]');
  const connectedAt = Date.now();
  await Promise.all([first, second].map((page) => page.waitForSelector('#status[data-state="disconnected"]', { timeout: 6000 })));
  assert.ok(Date.now() - connectedAt > 1500, 'not before the deadline');
  for (const page of [first, second]) {
    assert.match(await page.textContent('#notice'), /expired.*Connect your wallet again/);
    assert.match(await page.textContent('#log'), /Session expired and was removed at its deadline/);
  }
  assert.deepEqual(await sessionKeys(second), []);
  await second.screenshot({ path: `${shots}8-second-tab-expired.png` });
});

test('an invalid policy is refused with the store\'s error code', async (t) => {
  const page = await openDemo(t);
  await page.fill('[name=lifetime]', '600');
  await page.fill('[name=absoluteLifetime]', '60');
  await page.click('#settings button[type=submit]');
  assert.match(await page.textContent('#settings-error'), /^INVALID_CONFIG: .*absoluteLifetime must be 0 or at least lifetime/);
});

test('tampered saved settings fall back to the defaults with a visible notice, and the page works', async (t) => {
  const tampered = [{ lifetime: 'five' }, { lifetime: -1 }, { lifetime: 1e308 }, { lifetime: 600, absoluteLifetime: 60 }, { refreshOnAccess: 'yes' }];
  for (const [i, saved] of tampered.entries()) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    t.after(() => context.close());
    await context.addInitScript((value) => localStorage.setItem('demo:settings', value), JSON.stringify(saved));
    const page = await openDemo(t, context);
    assert.match(await page.textContent('#settings-error'), /^The saved policy was refused \(INVALID_CONFIG: .*\); the defaults apply\.$/, JSON.stringify(saved));
    assert.equal(await page.inputValue('[name=lifetime]'), '300');
    await connect(page, ['eip155:1']);
    assert.equal(await page.getAttribute('#status', 'data-state'), 'connected');
    await page.screenshot({ path: `${shots}tampered-settings-${i}.png` });
    await page.close();
  }
});
