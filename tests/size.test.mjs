// The size check of what a browser downloads: each entry is one file with the module inside, so
// its gzipped size is the whole download. The budgets are 30 KiB for the main entry, 10 KiB for
// ./stores and 16 KiB for ./adapters (see Performance and size). An entry that meets its budget is
// held to it; one that does not yet is held to a ceiling just above its measured size, so that size
// never grows unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

for (const [entry, budget, reached] of [['index.js', 30 * 1024, 41_100], ['stores.js', 10 * 1024, 14_280], ['adapters.js', 16 * 1024, 20_050]]) {
  // The size reached, until the budget is met; then the budget.
  const ceiling = Math.max(budget, reached);
  test(`pkg/${entry} gzipped stays under its ceiling of ${ceiling} bytes`, () => {
    const size = gzipSync(readFileSync(new URL(`../pkg/${entry}`, import.meta.url)), { level: 9 }).length;
    const status = size <= budget ? 'met' : `${size - budget} over`;
    console.log(`pkg/${entry}, gzip: ${size} bytes; ceiling ${ceiling}; budget ${budget} (${status})`);
    assert.ok(size <= ceiling, `${size} bytes gzipped is past the ceiling of ${ceiling}`);
  });
}

test('./stores carries no session manager or adapter code, ./adapters no manager, the main entry both', () => {
  const text = (entry) => readFileSync(new URL(`../pkg/${entry}`, import.meta.url), 'utf8');
  assert.doesNotMatch(text('stores.js'), /SessionManager|hashToken|indexedDB|STORAGE_TIMEOUT/);
  assert.doesNotMatch(text('adapters.js'), /SessionManager|hashToken/);
  assert.match(text('adapters.js'), /indexedDB/);
  assert.match(text('index.js'), /SessionManager/);
  assert.match(text('index.js'), /indexedDB/);
});
