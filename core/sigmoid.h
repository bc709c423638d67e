// The logistic function and its logarithm, safe for any finite input: no overflow, no NaN.
//
// This is the exact form (libm's exp and log1p), the definition the reference losses and the
// pairwise steps use. The block kernel takes core/simd.h's vector approximation instead (one exp
// for σ and −log σ together, about 1e-6 relative), which the tests hold to this one.
#pragma once

#include <cmath>
#include <span>

namespace w2v::core {

// exp is only ever taken of a non-positive number, so it cannot overflow; for x = -1e4 it
// underflows to 0 and the result is exactly 0 (or 1), never NaN.
inline double Sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
inline float Sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

// log σ(x), computed without forming σ(x): for very negative x, σ(x) underflows while log σ(x) ≈ x
// is perfectly representable, and the loss must stay finite.
inline double LogSigmoid(double x) {
  if (x >= 0) return -std::log1p(std::exp(-x));
  return x - std::log1p(std::exp(x));
}

// Element-wise σ over a vector; `out` may alias `in`.
void Sigmoid(std::span<const float> in, std::span<float> out);
void Sigmoid(std::span<const double> in, std::span<double> out);

}  // namespace w2v::core
