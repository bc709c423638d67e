#!/usr/bin/env bash
# Builds the original word2vec C tool (Mikolov et al., 2013) into build/peers/word2vec for
# tools/compare_peers.sh, and prints the binary's path.
# Why from npm: Debian does not package word2vec.c and this machine reaches no other source host.
# The npm package `word2vec` (a node.js wrapper) ships Google's word2vec.c unchanged in src/; its
# tarball is pinned by SHA-256, and the tool is compiled with the flags of the original makefile.
# Usage: tools/peers/build_word2vec.sh   (does nothing but print the path when already built)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

version=1.1.5
sha256=3f8283efa8c629b0b18bad2488ec28feec7bf25349f7325ffd03fa38c387fa83
url="${W2V_NPM_REGISTRY:-https://registry.npmjs.org}/word2vec/-/word2vec-${version}.tgz"
dir="$root/build/peers"
binary="$dir/word2vec"

if [ ! -x "$binary" ]; then
  tarball="$dir/word2vec-${version}.tgz"
  "$root/tools/fetch_pinned.sh" "$url" "$sha256" "$tarball"
  tar -xzf "$tarball" -C "$dir" package/src/word2vec.c
  # The original makefile's flags.
  gcc "$dir/package/src/word2vec.c" -o "$binary.part" -lm -pthread -O3 -march=native -Wall \
    -funroll-loops -Wno-unused-result -fno-stack-protector
  mv "$binary.part" "$binary"
fi
echo "$binary"
