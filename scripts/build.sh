#!/usr/bin/env bash
# Builds the Node (CommonJS) package into target/js/node, the one the example and JS tests load.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# --mode no-install: wasm-pack must use the wasm-bindgen that setup.sh installed, not download one.
wasm-pack --quiet build --release --target nodejs --out-dir target/js/node --mode no-install
