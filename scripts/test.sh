#!/usr/bin/env bash
# Quick start 2: installs what is missing, then runs every test; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "setup"
bash scripts/setup.sh --browser

section "lint gates: cargo fmt --check, cargo clippy -D warnings (native and wasm32, tests and both npm modules)"
cargo fmt --check
(cd fuzz && cargo fmt --check)
# The fuzz targets type-check against today's crate (without libFuzzer's C++ build).
(cd fuzz && CARGO_TARGET_DIR=../target/fuzz-check cargo clippy --quiet --no-default-features --bins -- -D warnings)
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --features wasm-module -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --lib --no-default-features --features wasm-module -- -D warnings

section "native core: cargo test"
cargo test --quiet

section "wasm in Node: wasm-pack test --node"
wasm-pack test --node --mode no-install

section "wasm in headless Chromium: wasm-pack test --headless --chrome"
wasm-pack test --headless --chrome --mode no-install

section "package: scripts/package.sh (both entries, wasm-opt, each bundled with its module inside, npm pack)"
bash scripts/package.sh

section "size: both entries, gzipped, stay under their ceilings (and how far each is from its budget)"
node --test tests/size.test.mjs

section "JS contract tests of the packaged Node build (node:test)"
node --test tests/js/

section "the tarball in consumer projects: Node, tsc --strict, Vite, webpack, plain page, esbuild, Rollup, bun, a Vite Worker, Next.js 16 (Turbopack and webpack, standalone), WebAssembly refused"
node --test tests/package/

section "server side: the conformance suite over real Redis and real Workers KV; the tarball bundled as wrangler does, in real workerd (Miniflare) over a real KV namespace; the manager over a real redis-server from 8 processes, with a crash"
node --test tests/server/

section "reliability in headless Chromium: denied storage in a sandboxed frame, other tabs, lifecycles (a stalled lock holder, Strict Mode, HMR, the back-forward cache, a tab closed mid-call)"
node --test tests/browser/

section "the demo dApp end to end in headless Chromium (screenshots in target/e2e-screenshots/)"
node --test tests/e2e/

section "all tests passed"
