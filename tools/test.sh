#!/usr/bin/env bash
# The whole test suite from a fresh machine: installs what is missing, builds, runs every test.
# Usage: tools/test.sh [PRESET]   (release by default; asan runs the same suite under
# AddressSanitizer and UndefinedBehaviorSanitizer)
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${1:-release}"
tools/build.sh "$preset"
ctest --preset "$preset" --timeout 600
