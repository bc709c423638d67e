#!/usr/bin/env bash
# The whole test suite from a fresh machine: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/build.sh release
ctest --preset release --timeout 300
