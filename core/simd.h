// The explicit vector code of the fast kernels (core/logistic_block_step.cc and
// core/softmax_batch_step.cc): GCC vector types of 16 floats, which compile to AVX-512 with
// -march=native and to narrower instructions otherwise, and the exp, log1p and sigmoid those
// kernels need, in the same types. The kernels work on whole padded rows, a multiple of 16 floats.
//
// Header-inline on purpose: the kernels' inner loops are only fast when all of this is inlined into
// them. The other two homes of vector math are for other callers: core/sigmoid.h is the exact
// (libm) σ and log σ that the reference losses and the pairwise steps use and that these
// approximations are tested against; core/vector_ops.h is Dot and Axpy over rows of any length.
#pragma once

#include <bit>
#include <cstdint>

// On a kernel's definition: in a portable build (W2V_NATIVE off, set by CMakeLists.txt) the
// kernel is compiled for AVX-512 (x86-64-v4), AVX2 with FMA (x86-64-v3) and the x86-64 baseline,
// and the loader binds the call to the best one the CPU has; the helpers below are inlined into
// each copy, so they too run at its level. A native build compiles one copy for its own CPU.
#if defined(W2V_KERNEL_CLONES)
#define W2V_DISPATCHED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define W2V_DISPATCHED
#endif

namespace w2v::core::simd {

// 16 floats: one AVX-512 register. Aligned to a float only, so a row that is not 64-byte aligned
// (a test's plain vector) is still safe; the store's rows are aligned, so the loads are as fast.
using V16 = float __attribute__((vector_size(64), aligned(4)));
inline constexpr int64_t kLanes = 16;

inline V16 Load(const float* p) { return *reinterpret_cast<const V16*>(p); }
inline void Store(float* p, V16 v) { *reinterpret_cast<V16*>(p) = v; }
// Spelled out lane by lane: `V16{} + x` would be an add of +0 (not x when x is −0), which the
// compiler must keep, one extra instruction before every broadcast.
inline V16 Broadcast(float x) { return V16{x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x}; }

// Σ lanes by halving: 4 shuffle-and-add steps instead of 15 dependent adds.
inline float Sum(V16 v) {
  using V8 = float __attribute__((vector_size(32)));
  using V4 = float __attribute__((vector_size(16)));
  const V8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
               __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  const V4 b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
  return (b[0] + b[2]) + (b[1] + b[3]);
}

using V16i = int32_t __attribute__((vector_size(64), aligned(4)));
inline constexpr V16i kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// e^y for y ≤ 0 (clamped at −87, where it is 1.6e-38): Cody–Waite reduction to r in [−ln2/2, ln2/2]
// and Cephes' degree-6 polynomial for e^r, about 1 ulp. Written in vector types, 16 lanes at once,
// so the coefficient step is vectorised whatever the compiler's cost model makes of a scalar loop.
inline V16 ExpNonPositive16(V16 y) {
  y = y < -87.0f ? Broadcast(-87.0f) : y;
  // Round to nearest by adding and subtracting 1.5·2^23 (|y·log2 e| < 2^22 here).
  const V16 shifter = Broadcast(12582912.0f);
  const V16 n = (y * 1.44269504088896341f + shifter) - shifter;
  const V16 r = (y - n * 0.693359375f) - n * -2.12194440e-4f;
  V16 p = Broadcast(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const V16i exponent = (__builtin_convertvector(n, V16i) + 127) << 23;
  return p * std::bit_cast<V16>(exponent);
}

// log(1 + u) for u in [0, 1]: 2·atanh(z) with z = u / (2 + u) ≤ 1/3, whose odd series converges
// fast: six terms leave a relative error below 2e-7.
inline V16 Log1pUnit16(V16 u) {
  const V16 z = u / (2.0f + u);
  const V16 z2 = z * z;
  V16 p = Broadcast(1.0f / 11);
  p = p * z2 + 1.0f / 9;
  p = p * z2 + 1.0f / 7;
  p = p * z2 + 1.0f / 5;
  p = p * z2 + 1.0f / 3;
  p = p * z2 + 1.0f;
  return 2.0f * z * p;
}

// σ(x) and −log σ(x) from the one exp of −|x|, which cannot overflow: −log σ(x) is
// max(−x, 0) + log(1 + e^−|x|), and e^−|x| is in (0, 1], the range Log1pUnit16 is written for.
inline void SigmoidAndLoss16(V16 x, V16& sigmoid, V16& minus_log_sigmoid) {
  const V16 abs_x = x < 0.0f ? -x : x;
  const V16 e = ExpNonPositive16(-abs_x);
  const V16 sigmoid_abs = 1.0f / (1.0f + e);
  sigmoid = x >= 0.0f ? sigmoid_abs : e * sigmoid_abs;
  minus_log_sigmoid = (x < 0.0f ? -x : V16{}) + Log1pUnit16(e);
}

// SigmoidAndLoss16 on one value, so tests can hold the kernels' σ to the exact one (about 1e-6
// relative).
inline void SigmoidAndLoss(float x, float* sigmoid, float* minus_log_sigmoid) {
  V16 s, m;
  SigmoidAndLoss16(Broadcast(x), s, m);
  *sigmoid = s[0];
  *minus_log_sigmoid = m[0];
}

}  // namespace w2v::core::simd
