// The size check: the gzipped web build (.wasm + JS glue + entry) must not grow past its ceiling.
// The ceiling is the size measured when it was set, rounded up; it comes down as the size does,
// towards the 30 KiB budget (see the README's performance section).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const CEILING = 35 * 1024;
const files = ['web/wasm_session_store_bg.wasm', 'web/wasm_session_store.js', 'web/index.js'];

test(`the gzipped web build stays under its ceiling of ${CEILING} bytes`, () => {
  const sizes = files.map((file) => gzipSync(readFileSync(new URL(`../pkg/${file}`, import.meta.url)), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const detail = files.map((file, i) => `${file} ${sizes[i]}`).join(', ');
  console.log(`web build, gzip: ${total} bytes (${detail}); ceiling ${CEILING}, budget ${BUDGET}`);
  assert.ok(total <= CEILING, `${total} bytes gzipped is past the ceiling of ${CEILING}: ${detail}`);
});
