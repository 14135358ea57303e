// The size check: the gzipped web build (.wasm + JS glue + entry) must stay within the 30 KB budget
// of the README's performance section, so that size never regresses silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const files = ['web/wasm_session_store_bg.wasm', 'web/wasm_session_store.js', 'web/index.js'];

test(`the gzipped web build stays within its budget of ${BUDGET} bytes`, () => {
  const sizes = files.map((file) => gzipSync(readFileSync(new URL(`../pkg/${file}`, import.meta.url)), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const detail = files.map((file, i) => `${file} ${sizes[i]}`).join(', ');
  console.log(`web build, gzip: ${total} bytes (${detail}); budget ${BUDGET}, ${BUDGET - total} to spare`);
  assert.ok(total <= BUDGET, `${total} bytes gzipped is past the budget of ${BUDGET}: ${detail}`);
});
