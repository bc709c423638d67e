#!/usr/bin/env bash
# Configures and builds one CMake preset (default: release) after making sure the packages are there.
# Usage: tools/build.sh [PRESET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${1:-release}"
shift || true
tools/setup.sh
if [ "$preset" = tsan ]; then tools/build_tbb_tsan.sh; fi
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
if [ $# -gt 0 ]; then
  cmake --build --preset "$preset" --target "$@"
else
  cmake --build --preset "$preset"
fi
