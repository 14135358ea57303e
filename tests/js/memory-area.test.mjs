// The session manager's memory (js/memory-area.js, which the module makes one of per manager): a
// Storage over a Map, holding at most 2^23 entries, past which it refuses a new key as a full
// localStorage does, so that the manager rejects QUOTA_EXCEEDED. Tested at its source: the package
// does not export it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SESSIONS, memoryArea } from '../../js/memory-area.js';

test('a memory area is a Storage: text in and out, key(i) over every key in order, null for none', () => {
  const area = memoryArea();
  area.setItem('a', 1);
  area.setItem('b', 'two');
  area.setItem('a', 'one');
  assert.equal(area.getItem('a'), 'one');
  assert.equal(area.getItem('missing'), null);
  assert.deepEqual([area.length, area.key(0), area.key(1), area.key(2)], [2, 'a', 'b', null]);
  area.removeItem('a');
  area.removeItem('a');
  assert.deepEqual([area.length, area.key(0)], [1, 'b']);
  assert.notEqual(memoryArea(), memoryArea(), 'one per manager');
});

test('a full memory area refuses a new key with a QuotaExceededError; overwrites go on, and a removal makes room', () => {
  assert.equal(MAX_SESSIONS, 2 ** 23);
  const area = memoryArea();
  for (let i = 0; i < MAX_SESSIONS; i++) area.setItem(`k${i}`, 'v');
  assert.throws(() => area.setItem('one-more', 'v'), { name: 'QuotaExceededError' });
  assert.equal(area.getItem('one-more'), null);
  area.setItem('k1', 'new');
  assert.equal(area.getItem('k1'), 'new');
  area.removeItem('k2');
  area.setItem('one-more', 'v');
  assert.equal(area.length, MAX_SESSIONS);
});
