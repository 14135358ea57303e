#!/usr/bin/env bash
# Quick start 2: installs what is missing, then runs every test; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "setup"
bash scripts/setup.sh --browser

section "lint gates: cargo fmt --check, cargo clippy -D warnings (native and wasm32, tests and the npm module)"
cargo fmt --check
(cd fuzz && cargo fmt --check)
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --features wasm-module -- -D warnings

section "native core: cargo test"
cargo test --quiet

section "wasm in Node: wasm-pack test --node"
wasm-pack test --node --mode no-install

section "wasm in headless Chromium: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --mode no-install

section "package: scripts/package.sh (web and Node builds, wasm-opt, npm pack)"
bash scripts/package.sh

section "size: the gzipped web build stays under its ceiling (and how far it is from the 30 KB budget)"
node --test tests/size.test.mjs

section "JS contract tests of the packaged Node build (node:test)"
node --test tests/js/

section "the tarball in consumer projects: Node require/import, tsc --strict, Vite and a plain page in Chromium"
node --test tests/package/

section "reliability in headless Chromium: denied storage in a sandboxed frame, other tabs"
node --test tests/browser/

section "the demo dApp end to end in headless Chromium (screenshots in target/e2e-screenshots/)"
node --test tests/e2e/

section "all tests passed"
