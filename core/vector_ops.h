// Dot and Axpy over float arrays of any length: what the pairwise steps and the evaluations are
// built from. Inline so the compiler can fuse them into the callers' loops; `omp simd` (enabled by
// -fopenmp-simd, no OpenMP runtime) lets GCC vectorise the float reduction in Dot without
// -ffast-math for the whole program. The fast kernels, which work on whole padded rows, use
// core/simd.h's explicit vectors instead.
#pragma once

#include <cstdint>

namespace w2v::core {

inline float Dot(const float* a, const float* b, int64_t n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// y += alpha * x
inline void Axpy(float alpha, const float* x, float* y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace w2v::core
