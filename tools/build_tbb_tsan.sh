#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer into build/tbb-tsan, for the `tsan` preset.
# Why: Debian's libtbb is not instrumented, so TSan cannot see a task being handed from one thread to
# another inside the library and reports races in TBB's own inlined task code. An instrumented oneTBB
# removes those false reports without suppressing anything of TBB's.
# The source is Debian's own: the upstream tarball of the libtbb-dev version Debian 12 ships, from
# Debian's archive, checked against the SHA-256 that Debian's source package records.
# Usage: tools/build_tbb_tsan.sh   (does nothing when build/tbb-tsan is already built)
set -euo pipefail
cd "$(dirname "$0")/.."

version=2021.8.0
sha256=7e9111b8bb59c8800bf6d0b06afe7b0891937443d2dae1ee1101c8e2ede6a7ef
tarball="onetbb_${version}.orig.tar.xz"
url="${W2V_DEBIAN_MIRROR:-http://deb.debian.org/debian}/pool/main/o/onetbb/${tarball}"
prefix="$PWD/build/tbb-tsan"
work="$PWD/build/tbb-tsan-src"

if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ] && [ "$(cat "$prefix/VERSION" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

tools/fetch_pinned.sh "$url" "$sha256" "$work/$tarball"
rm -rf "$work/oneTBB-$version" "$work/build" "$prefix"
tar -C "$work" -xf "$work/$tarball"
# tbbmalloc is left out: w2v does not link it, and its allocator hooks are not what is under test.
cmake -S "$work/oneTBB-$version" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$work/build" --target install >/dev/null
echo "$version" > "$prefix/VERSION"
