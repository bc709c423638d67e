#!/usr/bin/env bash
# Builds Intel's pWord2Vec (HogBatch; the fastest published CPU skip-gram trainer) for
# tools/compare_peers.sh from its unchanged public source, against Debian's OpenBLAS in place of MKL
# (the source folder's shim/mkl.h maps its two MKL calls), and finds which OpenBLAS kernels it needs.
# Debian's OpenBLAS 0.3.21 does not recognise every current CPU and falls back to its SSE3 "Prescott"
# kernels, which halves pWord2Vec's speed: then the CPU's own kernels are forced through
# OPENBLAS_CORETYPE (COOPERLAKE with AVX-512 BF16, SKYLAKEX with AVX-512, HASWELL with AVX2).
# Builds pWord2Vec_mpi beside it when mpicxx is there.
# Prints two lines: the binary's path, and the OPENBLAS_CORETYPE to run it with (empty: none needed).
# Usage: tools/peers/build_pword2vec.sh [SOURCE_DIR]   (default: ../shared/peers/pWord2Vec beside
#        this checkout); exits 1 with a note when there is no source there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

src="${1:-$root/../shared/peers/pWord2Vec}"
if [ ! -f "$src/pWord2Vec.cpp" ] || [ ! -f "$src/shim/mkl.h" ]; then
  echo "build_pword2vec: $src: no pWord2Vec source (pWord2Vec.cpp and shim/mkl.h)" >&2
  exit 1
fi
"$root/tools/setup.sh" libopenblas-dev
dir="$root/build/peers"
binary="$dir/pWord2Vec"
mkdir -p "$dir"
if [ ! -x "$binary" ] || [ "$src/pWord2Vec.cpp" -nt "$binary" ]; then
  # Its README's flags, with g++ for Intel's compiler.
  g++ -std=c++11 -fopenmp -O3 -march=native -D USE_MKL -I "$src/shim" "$src/pWord2Vec.cpp" \
    -o "$binary.part" -lopenblas
  mv "$binary.part" "$binary"
fi
# Its MPI version (pWord2Vec_mpi, the anchor of distributed training), when Open MPI is installed.
if command -v mpicxx > /dev/null && [ -f "$src/pWord2Vec_mpi.cpp" ]; then
  if [ ! -x "$binary"_mpi ] || [ "$src/pWord2Vec_mpi.cpp" -nt "$binary"_mpi ]; then
    mpicxx -std=c++11 -fopenmp -O3 -march=native -D USE_MKL -I "$src/shim" "$src/pWord2Vec_mpi.cpp" \
      -o "$binary"_mpi.part -lopenblas
    mv "$binary"_mpi.part "$binary"_mpi
  fi
fi
probe="$dir/openblas_corename"
if [ ! -x "$probe" ]; then
  printf '#include <stdio.h>\nchar *openblas_get_corename(void);\nint main(void) { puts(openblas_get_corename()); return 0; }\n' \
    | gcc -x c - -o "$probe.part" -lopenblas
  mv "$probe.part" "$probe"
fi
coretype=""
if [ "$(env -u OPENBLAS_CORETYPE "$probe")" = Prescott ]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
  case " $flags " in
    *" avx512_bf16 "*) coretype=COOPERLAKE ;;
    *" avx512f "*) coretype=SKYLAKEX ;;
    *" avx2 "*) coretype=HASWELL ;;
  esac
fi
echo "$binary"
echo "$coretype"
