#!/usr/bin/env bash
# The all-reduce bandwidth between N ranks on this machine (loopback) or a hostfile's hosts, for
# docs/DISTRIBUTED.md's cost model. Usage: tools/allreduce_bandwidth.sh [N] [mpirun flags...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/setup.sh"
ranks="${1:-2}"
shift || true
mkdir -p "$root/build/peers"
binary="$root/build/peers/allreduce_bandwidth"
if [ ! -x "$binary" ] || [ "$root/bench/allreduce_bandwidth.cc" -nt "$binary" ]; then
  mpicxx -O2 "$root/bench/allreduce_bandwidth.cc" -o "$binary"
fi
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -np "$ranks" --oversubscribe --bind-to none "$@" "$binary"
