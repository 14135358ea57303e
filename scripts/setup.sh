#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: a second run installs nothing.
# Usage: scripts/setup.sh [--browser]   (--browser also installs what the tests start: Chromium and
# its driver, and redis-server for the server tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The CLI must be the exact version Cargo.toml pins, or bindgen fails with "schema version" errors.
bindgen_version=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)
wasm_pack_version=0.15.1

step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen_version}\$"; then
  step "installing wasm-bindgen-cli ${bindgen_version} (about 2 minutes)"
  # --locked fails here: the CLI's lockfile names a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --no-default-features --force
fi

if ! wasm-pack --version 2>/dev/null | grep -q " ${wasm_pack_version}\$"; then
  step "installing wasm-pack ${wasm_pack_version} (about 3 minutes)"
  cargo install wasm-pack --version "$wasm_pack_version" --locked --force
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    step "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
  if ! command -v redis-server >/dev/null; then
    step "installing Debian's redis-server (the tests start their own instance, never the service)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    # The package starts the system service: the tests need none.
    (systemctl stop redis-server 2>/dev/null || service redis-server stop 2>/dev/null || true) >/dev/null
  fi
fi
# Build and test tools from npm (binaryen's wasm-opt, esbuild, playwright-core, typescript; vite, webpack,
# rollup, next with react, and bun for the consumer tests), reinstalled
# only when package-lock.json changes.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.installed-lock 2>/dev/null)" != "$lock_sum" ]; then
  step "installing the npm tools of package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.installed-lock
fi
step "tools ready: $(wasm-bindgen --version), $(wasm-pack --version), wasm-opt $(node_modules/.bin/wasm-opt --version | cut -d' ' -f3)"
