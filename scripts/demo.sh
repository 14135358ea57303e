#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds the package, and runs the example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
node examples/sessions.mjs
