#!/usr/bin/env bash
# One fuzz target's invariants, in the test suite: its replay binary (test/fuzz/replay_main.cc) over
# the seeds tools/fuzz_seeds.sh makes and over test/fuzz/regressions/TARGET/.
# Usage: test/fuzz/replay_test.sh REPLAY_BINARY TARGET W2V_BINARY SOURCE_DIR
set -euo pipefail
replay="$1" target="$2" w2v="$3" src="$4"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
"$src/tools/fuzz_seeds.sh" "$seeds" "$w2v"
"$replay" "$seeds/$target" "$src/test/fuzz/regressions/$target"
