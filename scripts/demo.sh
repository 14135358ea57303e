#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds the package (and www/pkg), runs the Node
# walkthrough, then serves the demo dApp on 127.0.0.1 (port $DEMO_PORT, default 8080) until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/package.sh >/dev/null
printf '\n\033[1m== Node walkthrough (examples/sessions.mjs)\033[0m\n'
node examples/sessions.mjs
printf '\n\033[1m== Demo dApp\033[0m (Ctrl-C to stop)\n'
exec node scripts/serve.mjs www "${DEMO_PORT:-8080}"
