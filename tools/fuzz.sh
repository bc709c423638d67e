#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 30) from seeds made here. The
# corpus grows in build/fuzz/corpus/TARGET across runs; a crashing input lands in
# build/fuzz/findings/TARGET/ and makes this script exit 1: copy it into test/fuzz/regressions/TARGET/,
# where the test suite replays it from then on (test/fuzz/replay_test.sh) and fuzzing starts from it.
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(config_fuzz tokenizer_fuzz vector_reader_fuzz snapshot_fuzz)
fi

tools/setup.sh clang
if [ ! -f build/fuzz/build.ninja ]; then
  cmake --preset fuzz >/dev/null
fi
cmake --build --preset fuzz --target "${targets[@]}"

seeds=build/fuzz/seeds
tools/build.sh release w2v >/dev/null
tools/fuzz_seeds.sh "$seeds" build/release/trainer/w2v

status=0
for target in "${targets[@]}"; do
  mkdir -p "build/fuzz/corpus/$target" "build/fuzz/findings/$target"
  echo "== $target: ${seconds} s"
  inputs=("build/fuzz/corpus/$target" "$seeds/$target")
  [ -d "test/fuzz/regressions/$target" ] && inputs+=("test/fuzz/regressions/$target")
  if ! "build/fuzz/test/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="build/fuzz/findings/$target/" "${inputs[@]}" 2>"build/fuzz/$target.log"; then
    echo "$target: FOUND A CRASH; see build/fuzz/$target.log and build/fuzz/findings/$target/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build/fuzz/$target.log" || true
done
exit $status
