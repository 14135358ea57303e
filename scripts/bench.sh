#!/usr/bin/env bash
# The benchmark (not part of the tests): builds the package, then measures ours against the
# plain-TypeScript baseline and the raw floor in Node and headless Chromium, start-up and size.
# Prints the tables and writes bench/results/latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/package.sh >/dev/null
node bench/run.mjs
