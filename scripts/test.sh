#!/usr/bin/env bash
# Quick start 2: installs what is missing, then runs every test; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "setup"
bash scripts/setup.sh --browser

section "native core: cargo test"
cargo test --quiet

section "wasm in Node: wasm-pack test --node"
wasm-pack test --node --mode no-install

section "wasm in headless Chromium: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --mode no-install

section "JS contract tests of the built package (node:test)"
bash scripts/build.sh
node --test tests/js/

section "TypeScript declarations: tsc --strict on a consumer"
(cd tests/types && npm ci --silent --no-audit --no-fund && npx tsc -p .)

section "all tests passed"
