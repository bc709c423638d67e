#!/usr/bin/env bash
# Installs the Debian packages w2v needs to build, test (gensim and scipy are the evaluation tests'
# references; time is the benchmark harnesses' /usr/bin/time; curl fetches the pinned sources of the
# TSan oneTBB and of word2vec.c, and the data), train over several processes (Open MPI) and draw its
# plots, plus any packages
# named as arguments (tools/fuzz.sh asks for clang). A no-op when all are there.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config unzip time curl xz-utils
  libtbb-dev libabsl-dev libspdlog-dev libtomlplusplus-dev
  libbenchmark-dev libgtest-dev libgmock-dev nlohmann-json3-dev
  openmpi-bin libopenmpi-dev
  python3-numpy python3-matplotlib python3-scipy python3-gensim
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
