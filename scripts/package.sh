#!/usr/bin/env bash
# Assembles the npm package in pkg/ (web build for browsers and bundlers, nodejs build for Node,
# both through wasm-opt; the web one also with short names and minified glue) from pkg-template/, and packs it into target/package/.
# Also copies the web build to www/pkg for the demo. Prints the tarball's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
wasm=target/wasm32-unknown-unknown/release/wasm_session_store.wasm

cargo build --quiet --release --target wasm32-unknown-unknown --lib --features wasm-module

rm -rf pkg
mkdir -p pkg target/package
for target in web nodejs; do
  out=pkg/${target/nodejs/node}
  wasm-bindgen "$wasm" --target "$target" --out-dir "$out"
  rm -f "$out"/*_bg.wasm.d.ts  # declarations of the raw exports: not part of the API
  if [ "$target" = web ]; then
    # What browsers download: short import/export names, minified glue.
    node scripts/shrink-web.mjs "$out"
  else
    # binaryen from npm; Debian's wasm-opt produces modules that fail to load.
    node_modules/.bin/wasm-opt -Oz --converge "$out/wasm_session_store_bg.wasm" -o "$out/wasm_session_store_bg.wasm"
  fi
done
cp -R pkg-template/. pkg/
cp LICENSE pkg/
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  manifest.version = process.argv[1];
  fs.writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
' "$version"
# The demo page imports the web build from www/pkg.
rm -rf www/pkg && cp -R pkg/web www/pkg
rm -f target/package/*.tgz
tarball=$(cd pkg && npm pack --silent --pack-destination ../target/package)
echo "target/package/$tarball"
