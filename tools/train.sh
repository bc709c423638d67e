#!/usr/bin/env bash
# Trains the default config end to end from a fresh machine: installs what is missing, builds the
# w2v binary, and runs it. Until the trainer lands this runs the gradient check of every loss.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/build.sh release w2v
build/release/trainer/w2v gradcheck "$@"
