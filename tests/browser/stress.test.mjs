// The short version of the many-tabs stress (bench/stress.mjs runs it for 30 s): four real pages
// of one origin, un-awaited mixed store and manager operations on overlapping ids and shared
// tokens, checked against the model of tests/browser/stress/stress.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../support/browser.mjs';
import { runStress, serveStressSite } from './stress/stress.mjs';

let browser;
let server;
before(async () => {
  [browser, server] = await Promise.all([launchChromium(), serveStressSite()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const storage of ['indexedDB', 'lockedLocalStorage']) {
  test(`${storage}, four pages for 4 s: every change heard once everywhere, no set lost, no token rotated twice, nobody logged out`, async () => {
    const result = await runStress(browser, server.url, { storage, seconds: 4 });
    console.log(`${storage}: ${result.operations} operations, ${result.perSecond}/s, ${JSON.stringify(result.counts)}`);
    assert.deepEqual(result.violations, []);
    // Load enough to matter even on a slow machine (about 1,700 operations here).
    assert.ok(result.operations > 300 && result.counts.refreshes > 30 && result.counts.events > 300, JSON.stringify(result));
  });
}

test('localStorage, four pages for 4 s: the manager rotates each token once and logs nobody out; what the model finds of the stores is reported (their calls stay synchronous, not serialized across tabs)', async () => {
  const result = await runStress(browser, server.url, { storage: 'localStorage', seconds: 4 });
  console.log(`localStorage: ${result.operations} operations, ${result.perSecond}/s, ${JSON.stringify(result.counts)}; ${result.violations.length} violations: ${result.violations.slice(0, 5).join('; ')}`);
  // Store ids are s0..s9; what the manager's sessions break is named by the model without an id.
  const ofManager = result.violations.filter((violation) => !/^s\d+: /.test(violation));
  assert.deepEqual(ofManager, []);
  assert.ok(result.operations > 300 && result.counts.refreshes > 30, JSON.stringify(result));
});
