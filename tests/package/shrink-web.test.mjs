// scripts/shrink-web.mjs on a small module shaped like wasm-bindgen's output: the renamed module
// still links with the rewritten glue, and a glue that does not match the module is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MODULE = './wasm_session_store_bg.js';

// Two imports and an export, with wasm-bindgen's long hashed names.
const WAT = `(module
  (import "${MODULE}" "__wbg_first_0123456789abcdef" (func $first (result i32)))
  (import "${MODULE}" "__wbg_second_fedcba9876543210" (func $second (param i32) (result i32)))
  (func (export "store_total_0123") (result i32) (call $second (call $first))))`;

const glue = (imports, exportRead) => `let wasm;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
${imports.map(([name, body]) => `        ${name}: function(arg0) { ${body} },`).join('\n')}
    };
    return {
        __proto__: null,
        "${MODULE}": import0,
    };
}
export function link(instance) { wasm = instance.exports; }
export function imports() { return __wbg_get_imports(); }
export function total() { return ${exportRead}(); }
`;

const GOOD_IMPORTS = [['__wbg_first_0123456789abcdef', 'return 20;'], ['__wbg_second_fedcba9876543210', 'return arg0 + 22;']];

function build(glueText) {
  const dir = mkdtempSync(`${tmpdir()}/shrink-web-`);
  writeFileSync(`${dir}/module.wat`, WAT);
  execFileSync(`${root}node_modules/.bin/wasm-as`, [`${dir}/module.wat`, '-o', `${dir}/wasm_session_store_bg.wasm`]);
  writeFileSync(`${dir}/wasm_session_store.js`, glueText);
  return dir;
}

const shrink = (dir) => spawnSync(process.execPath, [`${root}scripts/shrink-web.mjs`, dir], { encoding: 'utf8' });

test('the renamed module links with the rewritten, minified glue and works', async () => {
  const dir = build(glue(GOOD_IMPORTS, 'wasm.store_total_0123'));
  const result = shrink(dir);
  assert.equal(result.status, 0, result.stderr);
  const bytes = readFileSync(`${dir}/wasm_session_store_bg.wasm`);
  const module = new WebAssembly.Module(bytes);
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    assert.ok(from.length <= 2 && name.length <= 2, `import ${from}.${name} was not renamed`);
  }
  const shrunk = readFileSync(`${dir}/wasm_session_store.js`, 'utf8');
  assert.doesNotMatch(shrunk, /__wbg_|store_total_0123|wasm_session_store_bg/);
  const js = await import(`${pathToFileURL(`${dir}/wasm_session_store.js`)}`);
  js.link(await WebAssembly.instantiate(module, js.imports()));
  assert.equal(js.total(), 42);
});

test('a glue without one of the module\'s imports is refused', () => {
  const result = shrink(build(glue(GOOD_IMPORTS.slice(0, 1), 'wasm.store_total_0123')));
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /the glue has no import __wbg_second_fedcba9876543210/);
});

test('a glue that reads an export the module lacks is refused', () => {
  const result = shrink(build(glue(GOOD_IMPORTS, 'wasm.store_missing')));
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /the glue reads wasm.store_missing, which the module does not export/);
});
