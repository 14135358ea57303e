// The size check of what a browser downloads: each entry is one file with the module inside, so
// its gzipped size is the whole download. No entry meets its budget now (30 KB for the main entry,
// 20 KB for ./stores and for ./adapters, the stores with every backend in; see Performance and
// size): each is held to a ceiling just above its measured size, so that size never regresses
// silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

for (const [entry, budget, ceiling] of [['index.js', 30 * 1024, 41.25 * 1024], ['stores.js', 20 * 1024, 20 * 1024], ['adapters.js', 20 * 1024, 24.25 * 1024]]) {
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
