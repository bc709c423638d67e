#!/usr/bin/env bash
# Writes the fuzz targets' seed inputs into DIR/TARGET/: the shipped configs, small text and SST
# corpora, text and binary vector files, and a real snapshot trained by W2V. tools/fuzz.sh starts
# from them; the replay tests (test/fuzz/replay_test.sh) run every target over them in the suite.
# Usage: tools/fuzz_seeds.sh DIR W2V_BINARY
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seeds="$1" w2v="$2"

mkdir -p "$seeds"/{config_fuzz,tokenizer_fuzz,vector_reader_fuzz,snapshot_fuzz}
cp "$root"/configs/*.toml "$seeds/config_fuzz/"
# The tokenizer target's first byte picks the format (bit 0: SST) and lower-casing (bit 1).
printf '\000the cat sat\non the mat\n' >"$seeds/tokenizer_fuzz/text"
printf '\003sentence_index\tsentence\n1\tA b c\n2\tD e\n' >"$seeds/tokenizer_fuzz/sst"
printf '2 3\nthe 0.1 0.2 0.3 \ncat -1 2e-3 4\n' >"$seeds/vector_reader_fuzz/text"
/usr/bin/python3 -c 'import struct, sys; sys.stdout.buffer.write(
    b"2 3\nthe " + struct.pack("<3f", 0.1, 0.2, 0.3) + b"\ncat " + struct.pack("<3f", -1, 2e-3, 4) + b"\n")' \
  >"$seeds/vector_reader_fuzz/binary"
# A real snapshot; subsampling off, or the 12 words would keep no window.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'a b c d\nb c d a\nc d a b\n' >"$work/c.txt"
printf '[corpus]\npaths = ["c.txt"]\n[vocab]\nmin_count = 1\n[model]\ndim = 4\nsubsample = 0\n[optim]\nepochs = 1\n' >"$work/r.toml"
"$w2v" train "$work/r.toml" --set "output.dir=$work/out" --set threads=1 >/dev/null 2>&1
cp "$work/out/snapshot.w2v" "$seeds/snapshot_fuzz/tiny.w2v"
