// The golden corpus (tests/golden/): every stored entry read by the one JavaScript codec
// (js/envelope.js, from source) and by the packaged localStorage store, to the outcome
// tests/golden/expected.json gives. tests/golden.rs holds the Rust decoder to the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { CORRUPT, decodeEntry } from '../../js/envelope.js';
import { LocalStorageSessionStore, rejectsWithCode, stubLocalStorage } from './support.mjs';

const golden = new URL('../golden/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', golden), 'utf8'));
const entries = readdirSync(new URL('entries/', golden)).map((file) => [file.replace(/\.txt$/, ''), readFileSync(new URL(`entries/${file}`, golden), 'utf8')]);
const time = (value) => (value === null ? NaN : value);
const sameData = (actual, text) => assert.equal(JSON.stringify(actual), JSON.stringify(JSON.parse(text)));

test('the corpus holds today\'s format, @walletmesh\'s, corrupt, hostile and huge entries, each with its outcome', () => {
  assert.deepEqual(entries.map(([name]) => name).sort(), Object.keys(expected).sort());
  const outcomes = Object.values(expected).map((one) => one.outcome);
  assert.ok(outcomes.filter((outcome) => outcome === 'session').length >= 20);
  assert.ok(outcomes.filter((outcome) => outcome === 'corrupt').length >= 30);
  assert.ok(entries.some(([, text]) => text.length > 1_000_000), 'a huge entry');
});

test('js/envelope.js reads every entry of the corpus as expected.json says', () => {
  for (const [name, text] of entries) {
    const want = expected[name];
    const session = decodeEntry(text);
    if (want.outcome === 'absent') assert.equal(session, undefined, name);
    else if (want.outcome === 'corrupt') assert.equal(session, CORRUPT, name);
    else {
      assert.ok(session, name);
      assert.deepEqual([session.expiresAt, session.createdAt, session.deadline], [time(want.expiresAt), time(want.createdAt), time(want.deadline)], name);
      sameData(session.data, want.data);
    }
  }
});

test('the packaged localStorage store reads every entry of the corpus the same way', async (t) => {
  const storage = stubLocalStorage(t);
  // Before every time in the corpus: no session of it has expired.
  t.mock.method(Date, 'now', () => -1e300);
  const store = new LocalStorageSessionStore({ prefix: 'golden:' });
  for (const [name, text] of entries) {
    storage.setItem(`golden:${name}`, text);
    const want = expected[name];
    if (want.outcome === 'corrupt') await rejectsWithCode(store.get(name), 'CORRUPT_ENTRY');
    else if (want.outcome === 'absent') assert.equal(await store.get(name), undefined, name);
    else sameData(await store.get(name), want.data);
  }
});
