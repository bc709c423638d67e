#!/usr/bin/env bash
# Trains the default config end to end from a fresh machine: installs what is missing, builds the
# w2v binary, puts the data in data/, and trains. The default is the CS224N assignment's run on the
# Stanford Sentiment Treebank (configs/sst.toml): it finishes in seconds; configs/text8.toml is the
# word2vec-scale run. Extra arguments go to `w2v train` (e.g. --set threads=2).
# Usage: tools/train.sh [CONFIG] [--set KEY=VALUE]...
set -euo pipefail
cd "$(dirname "$0")/.."

config=configs/sst.toml
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then config="$1"; shift; fi
tools/build.sh release w2v
tools/fetch_data.sh
build/release/trainer/w2v train "$config" "$@"
