#!/usr/bin/env bash
# Assembles the npm package in pkg/ and packs it into target/package/. Its entries are each one
# self-contained file per module format with its module's bytes inside (scripts/bundle-entries.mjs):
# `index` (stores and session manager), `stores` (the stores alone, for routers) and `adapters`;
# `worker` (the `workerd` condition) is the main entry importing its module as `index.wasm`;
# each server adapter of js/adapters/ (`redis`, `kv`) is its own subpath, JavaScript without a
# module, its exports and files added to the manifest here. Each module is
# built, run through wasm-opt, renamed to short import/export names and its glue minified
# (scripts/shrink-web.mjs). Copies pkg/ to www/pkg for the demo. Prints the tarball's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
wasm=target/wasm32-unknown-unknown/release/wasm_session_store.wasm
build=target/package-build

rm -rf pkg "$build"
mkdir -p pkg target/package
for entry in index stores; do
  features=(--features wasm-module)
  [ "$entry" = stores ] && features=(--no-default-features --features wasm-module)
  cargo build --quiet --release --target wasm32-unknown-unknown --lib "${features[@]}"
  wasm-bindgen "$wasm" --target web --out-dir "$build/$entry"
  node scripts/shrink-web.mjs "$build/$entry"
done
adapters=$(cd js/adapters && ls ./*.js | sed 's|^\./||; s|\.js$||')
# shellcheck disable=SC2086 # one word per adapter
node scripts/bundle-entries.mjs "$build" index stores adapters worker $adapters

cp -R pkg-template/. pkg/
cp LICENSE pkg/
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  manifest.version = process.argv[1];
  // Each server adapter: one subpath, ESM for every condition that takes it, CommonJS for require.
  for (const name of process.argv.slice(2)) {
    const esm = { types: `./${name}.d.ts`, default: `./${name}.js` };
    manifest.exports[`./${name}`] = { bun: esm, "module-sync": esm, import: esm, require: { types: `./${name}.d.cts`, default: `./${name}.cjs` }, default: `./${name}.js` };
    manifest.files.push(`${name}.js`, `${name}.cjs`, `${name}.d.ts`, `${name}.d.cts`);
  }
  const { "./package.json": self, ...entries } = manifest.exports;
  manifest.exports = { ...entries, "./package.json": self };
  fs.writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
' "$version" $adapters
# The demo page imports the package from www/pkg.
rm -rf www/pkg && cp -R pkg www/pkg
rm -f target/package/*.tgz
tarball=$(cd pkg && npm pack --silent --pack-destination ../target/package)
echo "target/package/$tarball"
