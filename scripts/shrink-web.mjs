// Shrinks the web build, the one browsers download: wasm-opt renames the module's imports and
// exports to one or two letters (wasm-bindgen's names carry 16-digit hashes), the JS glue is
// rewritten to the same names, then minified. Fails if a name the module declares is missing from
// the glue or the other way round. Usage: node scripts/shrink-web.mjs pkg/web
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.argv[2];
const wasmPath = `${dir}/wasm_session_store_bg.wasm`;
const gluePath = `${dir}/wasm_session_store.js`;

// binaryen from npm; Debian's wasm-opt produces modules that fail to load. Optimized to a fixed
// point first (flattened and re-relooped twice: about 1 % smaller gzipped than -Oz alone, measured
// on both modules), then renamed in a pass of its own, so that the names are reported once; the
// producers and target-features sections are dropped (no engine reads them).
const wasmOpt = (...args) => execFileSync(`${root}node_modules/.bin/wasm-opt`, [...args, wasmPath, '-o', wasmPath], { encoding: 'utf8' });
wasmOpt('--flatten', '--rereloop', '-Oz', '--flatten', '--rereloop', '-Oz', '--converge');
const report = wasmOpt('-Oz', '--minify-imports-and-exports-and-modules', '--strip-producers', '--strip-target-features');
const renamed = JSON.parse(report.slice(report.indexOf('{')));

let glue = readFileSync(gluePath, 'utf8');
const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));
if (imports.length !== renamed.imports.length) throw new Error('wasm-opt did not report every import');

// Imports from JavaScript modules of the crate's own (`#[wasm_bindgen(module = ...)]`), which
// wasm-bindgen wires straight to each module's namespace, now go under the one import module too.
const snippets = new Map(); // module path -> [[short, name]]
const snippetEntries = [];
for (const [module, name, short] of renamed.imports) {
  if (module.startsWith('./snippets/')) snippets.set(module, [...(snippets.get(module) ?? []), [short, name]]);
}
for (const [module, names] of snippets) {
  const line = new RegExp(`^(\\s+)${JSON.stringify(module).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: (import\\d+),\n`, 'gm');
  const namespaces = [...glue.matchAll(line)].map((match) => match[2]);
  if (namespaces.length === 0) throw new Error(`the glue does not import ${module}`);
  glue = glue.replace(line, '');
  for (const [short, name] of names) snippetEntries.push(`${JSON.stringify(short)}: ${namespaces[0]}.${name}`);
}

// Imports: the keys of the glue's import object, one line each.
for (const [module, name, short] of renamed.imports) {
  if (snippets.has(module)) continue;
  const key = new RegExp(`^(\\s+)${name}:`, 'm');
  if (!key.test(glue)) throw new Error(`the glue has no import ${name}`);
  glue = glue.replace(key, (_, indent) => `${indent}${JSON.stringify(short)}:`);
}
const moduleNames = new Set(imports.map((entry) => entry.module));
if (moduleNames.size !== 1) throw new Error(`expected one import module, found ${[...moduleNames]}`);
const moduleKey = '"./wasm_session_store_bg.js": import0';
if (!glue.includes(moduleKey)) throw new Error('the glue names its import module differently');
const ownImports = snippetEntries.length ? `Object.assign(import0, { ${snippetEntries.join(', ')} })` : 'import0';
glue = glue.replace(moduleKey, () => `${JSON.stringify([...moduleNames][0])}: ${ownImports}`);

// Exports: every `wasm.name` the glue reads.
const exportNames = new Map(renamed.exports);
glue = glue.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (_, name) => {
  const short = exportNames.get(name);
  if (!short) throw new Error(`the glue reads wasm.${name}, which the module does not export`);
  return `wasm.${short}`;
});

// wasm-bindgen's plumbing, its pointer field and its destroy method, would be `_` members of every
// class (of instances and prototypes): module-private symbols instead.
for (const [name, symbol] of [['__wbg_ptr', 'POINTER'], ['__destroy_into_raw', 'DESTROY']]) {
  glue = glue.replace(new RegExp(`\\.${name}\\b`, 'g'), `[${symbol}]`).replace(new RegExp(`^(\\s+)${name}\\(`, 'gm'), `$1[${symbol}](`);
  if (glue.includes(name)) throw new Error(`the glue names ${name} in a way this script does not rewrite`);
}
glue = `const POINTER = Symbol('pointer');\nconst DESTROY = Symbol('destroy');\n${glue}`;

const { code } = await minify(glue, { module: true, compress: true, mangle: true, format: { comments: false } });
writeFileSync(gluePath, code);
