#!/usr/bin/env bash
# The benchmark (not part of the tests): builds the package, then measures ours against the
# plain-TypeScript baseline and the raw floor in Node and headless Chromium, start-up and size.
# Prints the tables and writes bench/results/latest.json; then the many-tabs stress
# (bench/stress.mjs, bench/results/stress.json), the import calls per operation
# (bench/import-calls.mjs), the memory rows (bench/memory.mjs) and the server
# rows over Redis (bench/redis.mjs), each writing its bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# `--against <git ref>`: that ref's package is built too, and this build's stores are measured
# against it (bench/against.mjs).
against=""
if [ "${1:-}" = "--against" ]; then
  against="${2:?--against needs a git ref}"
  other=target/bench/against
  rm -rf "$other" && git worktree prune
  git worktree add --detach --force "$other" "$against" >/dev/null
  # Its own build directory, kept between runs, so that this build's is not invalidated.
  mkdir -p target/bench/against-target
  ln -s "$PWD/node_modules" "$other/node_modules"
  ln -s "$PWD/target/bench/against-target" "$other/target"
  (cd "$other" && bash scripts/package.sh >/dev/null)
fi
bash scripts/package.sh >/dev/null
node bench/run.mjs
node bench/import-calls.mjs
node bench/memory.mjs
node bench/stress.mjs
node bench/redis.mjs
node bench/listing.mjs
if [ -n "$against" ]; then
  node bench/against.mjs "$other/pkg"
  git worktree remove --force "$other"
fi
