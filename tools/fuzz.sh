#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for SECONDS (default 30) from seeds made here. The
# corpus grows in build/fuzz/corpus/TARGET across runs; a crashing input lands in
# build/fuzz/findings/TARGET/ and makes this script exit 1 (turn it into a regression test).
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
mkdir -p "$seeds"/{config_fuzz,tokenizer_fuzz,vector_reader_fuzz,snapshot_fuzz}
cp configs/*.toml "$seeds/config_fuzz/"
# The tokenizer target's first byte picks the format (bit 0: SST) and lower-casing (bit 1).
printf '\000the cat sat\non the mat\n' >"$seeds/tokenizer_fuzz/text"
printf '\003sentence_index\tsentence\n1\tA b c\n2\tD e\n' >"$seeds/tokenizer_fuzz/sst"
printf '2 3\nthe 0.1 0.2 0.3 \ncat -1 2e-3 4\n' >"$seeds/vector_reader_fuzz/text"
/usr/bin/python3 -c 'import struct, sys; sys.stdout.buffer.write(
    b"2 3\nthe " + struct.pack("<3f", 0.1, 0.2, 0.3) + b"\ncat " + struct.pack("<3f", -1, 2e-3, 4) + b"\n")' \
  >"$seeds/vector_reader_fuzz/binary"
# A real snapshot to start from, when the release build is there to make one.
if [ -x build/release/trainer/w2v ]; then
  work=$(mktemp -d)
  printf 'a b c d\nb c d a\nc d a b\n' >"$work/c.txt"
  printf '[corpus]\npaths = ["c.txt"]\n[vocab]\nmin_count = 1\n[model]\ndim = 4\nsubsample = 0\n[optim]\nepochs = 1\n' >"$work/r.toml"
  build/release/trainer/w2v train "$work/r.toml" --set "output.dir=$work/out" >/dev/null
  cp "$work/out/snapshot.w2v" "$seeds/snapshot_fuzz/tiny.w2v"
  rm -rf "$work"
fi

status=0
for target in "${targets[@]}"; do
  mkdir -p "build/fuzz/corpus/$target" "build/fuzz/findings/$target"
  echo "== $target: ${seconds} s"
  if ! "build/fuzz/test/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="build/fuzz/findings/$target/" \
      "build/fuzz/corpus/$target" "$seeds/$target" 2>"build/fuzz/$target.log"; then
    echo "$target: FOUND A CRASH; see build/fuzz/$target.log and build/fuzz/findings/$target/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build/fuzz/$target.log" || true
done
exit $status
