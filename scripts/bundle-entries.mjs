// Bundles each entry of js/ with its shrunk wasm-bindgen build (scripts/package.sh) into one
// self-contained file per module format: the glue, js/load.js and the module's bytes as hex.
// Writes pkg/<entry>.js (ESM), pkg/<entry>.cjs (CommonJS) and their declarations.
// Usage: node scripts/bundle-entries.mjs <build dir> <entry>...
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { minify } from 'terser';

const root = fileURLToPath(new URL('..', import.meta.url));
const [buildDir, ...entries] = process.argv.slice(2);
// The module each entry carries: `./adapters` is the stores' module with more JavaScript around it,
// the Workers entry the main one's.
const moduleOf = { adapters: 'stores', worker: 'index' };
// The Workers entry imports its module as `./index.wasm` (Workers compile no bytes at run time):
// ESM only, the `.wasm` beside it.
const importsWasm = new Set(['worker']);
// The declarations of the stores over adapters, written by hand next to their code.
const withAdapters = new Set(['index', 'adapters', 'worker']);

// Entries of JavaScript alone, used beside the main entry: each server adapter of js/adapters/,
// its own subpath (`./redis`, `./kv`).
const plain = new Set(readdirSync(`${root}js/adapters`).filter((file) => file.endsWith('.js')).map((file) => file.slice(0, -3)));

for (const entry of entries) {
  if (plain.has(entry)) {
    for (const [format, extension] of [['esm', 'js'], ['cjs', 'cjs']]) {
      await build({ entryPoints: [`${root}js/adapters/${entry}.js`], bundle: true, format, minify: true, legalComments: 'none', outfile: `${root}pkg/${entry}.${extension}`, logLevel: 'warning' });
    }
    const types = readFileSync(`${root}js/adapters/${entry}.d.ts`, 'utf8');
    writeFileSync(`${root}pkg/${entry}.d.ts`, types);
    writeFileSync(`${root}pkg/${entry}.d.cts`, types.replace("from './index.js'", "from './index.cjs'"));
    continue;
  }
  const dir = `${buildDir}/${moduleOf[entry] ?? entry}`;
  const wasm = readFileSync(`${dir}/wasm_session_store_bg.wasm`);
  const imported = importsWasm.has(entry);
  if (imported) writeFileSync(`${root}pkg/${moduleOf[entry]}.wasm`, wasm);
  const moduleSource = imported ? `export { default } from './${moduleOf[entry]}.wasm';` : `export default ${JSON.stringify(wasm.toString('hex'))};`;
  // './glue.js' and './module-hex.js' in js/ name this entry's build.
  const thisBuild = {
    name: 'this-build',
    setup(plugin) {
      plugin.onResolve({ filter: /^\.\/glue\.js$/ }, () => ({ path: `${root}${dir}/wasm_session_store.js` }));
      // wasm-bindgen's copies of the crate's own modules (`module = "/js/…"`) are those of js/: one
      // instance of each in the bundle, shared with the JavaScript that imports them itself.
      plugin.onResolve({ filter: /\/snippets\/[^/]+\/js\/[\w-]+\.js$/ }, (args) => ({ path: `${root}js/${args.path.split('/js/').pop()}` }));
      plugin.onResolve({ filter: /^\.\/module-hex\.js$/ }, () => ({ path: 'module-hex', namespace: 'this-build' }));
      plugin.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, external: true }));
      plugin.onLoad({ filter: /.*/, namespace: 'this-build' }, () => ({ contents: moduleSource, loader: 'js' }));
    },
  };
  // CommonJS from the ESM output, in which wasm-bindgen's async loader (and its `import.meta`) is
  // already shaken out.
  const formats = [['esm', 'js', `${root}js/${entry}.js`], ['cjs', 'cjs', `${root}pkg/${entry}.js`]];
  for (const [format, extension, from] of imported ? formats.slice(0, 1) : formats) {
    const result = await build({
      entryPoints: [from],
      bundle: true,
      format,
      minify: true,
      legalComments: 'none',
      outfile: `${root}pkg/${entry}.${extension}`,
      plugins: [thisBuild],
      logLevel: 'warning',
      // Each class declares `free` twice: wasm-bindgen's, then ours (which marks the handle freed). The later wins, as meant.
      logOverride: { 'duplicate-class-member': 'silent' },
    });
    if (result.warnings.length) throw new Error(`esbuild warned: ${result.warnings.map((w) => w.text).join('; ')}`);
    let code = readFileSync(`${root}pkg/${entry}.${extension}`, 'utf8');
    if (format === 'esm') {
      // terser with three passes over the whole bundle: 150 bytes smaller gzipped than esbuild alone.
      ({ code } = await minify(code, { module: true, compress: { passes: 3 }, mangle: { toplevel: true }, format: { comments: false } }));
      writeFileSync(`${root}pkg/${entry}.${extension}`, code);
    }
    // wasm-bindgen's async loader fetches a file next to the glue: it must not survive (the Workers
    // entry imports its module, and nothing else).
    const wasmRefs = code.match(/\.wasm\b/g)?.length ?? 0;
    if (/import\.meta|fetch\(/.test(code) || wasmRefs > (imported ? 1 : 0)) throw new Error(`pkg/${entry}.${extension} still refers to a .wasm file`);
  }
  // Declarations: the hand-written ones wasm-bindgen gathered, without its init functions.
  const declarations = readFileSync(`${dir}/wasm_session_store.d.ts`, 'utf8');
  const end = declarations.indexOf('export type InitInput');
  if (end < 0) throw new Error('wasm-bindgen declarations changed shape');
  let types = `${declarations.slice(0, end).trimEnd()}\n`;
  if (withAdapters.has(entry)) types += readFileSync(`${root}js/adapters.d.ts`, 'utf8');
  // The Workers entry has the KV adapter too, declared by its own entry.
  if (imported) types += "export { kvStorage, type KvNamespaceLike } from './kv.js';\n";
  writeFileSync(`${root}pkg/${entry}.d.ts`, types);
  if (!imported) writeFileSync(`${root}pkg/${entry}.d.cts`, types);
}
