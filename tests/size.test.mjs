// The size check: the gzipped web build (.wasm + JS glue + entry) must not grow past its ceiling,
// so that size never regresses silently. The ceiling is the measured size of the hardened build
// plus a little room; the README's 30 KB budget is not met by it (see Performance and size).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const CEILING = 34 * 1024;
const files = ['web/wasm_session_store_bg.wasm', 'web/wasm_session_store.js', 'web/index.js'];

test(`the gzipped web build stays under its ceiling of ${CEILING} bytes`, () => {
  const sizes = files.map((file) => gzipSync(readFileSync(new URL(`../pkg/${file}`, import.meta.url)), { level: 9 }).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const detail = files.map((file, i) => `${file} ${sizes[i]}`).join(', ');
  console.log(`web build, gzip: ${total} bytes (${detail}); ceiling ${CEILING}; budget ${BUDGET} (${total - BUDGET} over)`);
  assert.ok(total <= CEILING, `${total} bytes gzipped is past the ceiling of ${CEILING}: ${detail}`);
});
