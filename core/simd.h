// The explicit vector code of the fast kernels (core/logistic_block_step.cc, core/cbow_step.cc and
// core/softmax_batch_step.cc): GCC vector types of 16, 8 or 4 floats, one register each at the CPU
// level they are compiled for, and the exp, log1p and sigmoid those kernels need, in the same
// types. The kernels work on whole padded rows, a multiple of 16 floats (EmbeddingStore), which
// is a multiple of every width.
//
// Header-inline on purpose: the kernels' inner loops are only fast when all of this is inlined into
// them. The other two homes of vector math are for other callers: core/sigmoid.h is the exact
// (libm) σ and log σ that the reference losses and the pairwise steps use and that these
// approximations are tested against; core/vector_ops.h is Dot and Axpy over rows of any length.
#pragma once

#include <bit>
#include <cstdint>

// A kernel is written once, as a generic lambda over its vector type V, and run through
// AtWidestWidth. A native build instantiates it at the widest vector its own CPU has (16 floats
// with AVX-512, 8 with AVX, 4 otherwise). A portable build (W2V_NATIVE off, set by CMakeLists.txt)
// instantiates it three times, each inlined whole into a wrapper compiled for its CPU level
// (x86-64-v4 with 16 floats, v3 with 8, the baseline with 4), and picks the one this CPU runs.
// The width is the CPU's, never more: a vector wider than the target's registers is not a
// register but a block of memory to GCC, and every operation on it goes through the stack (on an
// AVX2 CPU, 16-float vectors made the block kernel 4.4 times slower than 8-float ones).
namespace w2v::core::simd {

template <int kWidth>
struct Lanes;
template <>
struct Lanes<16> {
  using Floats = float __attribute__((vector_size(64)));
  using Ints = int32_t __attribute__((vector_size(64)));
};
template <>
struct Lanes<8> {
  using Floats = float __attribute__((vector_size(32)));
  using Ints = int32_t __attribute__((vector_size(32)));
};
template <>
struct Lanes<4> {
  using Floats = float __attribute__((vector_size(16)));
  using Ints = int32_t __attribute__((vector_size(16)));
};

template <class V>
inline constexpr int kLanesOf = static_cast<int>(sizeof(V) / sizeof(float));
template <class V>
using IntsOf = typename Lanes<kLanesOf<V>>::Ints;

#if defined(__AVX512F__)
inline constexpr int kNativeWidth = 16;
#elif defined(__AVX__)
inline constexpr int kNativeWidth = 8;
#else
inline constexpr int kNativeWidth = 4;
#endif
using NativeFloats = Lanes<kNativeWidth>::Floats;

// By memcpy, an unaligned load or store: a row that is not aligned to the vector (a test's plain
// vector, a scratch buffer) is safe, and the store's 64-byte aligned rows are as fast. (An aligned(4)
// attribute on the types would say the same, but GCC drops it from a template's argument.)
template <class V>
inline V Load(const float* p) {
  V v;
  __builtin_memcpy(&v, p, sizeof(V));
  return v;
}
template <class V>
inline void Store(float* p, V v) { __builtin_memcpy(p, &v, sizeof(V)); }
// A loaded vector held in a register from here on: GCC otherwise loads it again for each
// multiply-add it feeds, as the FMA's memory operand. ScoreTile's 2 × 4 tile, meant to load 6
// vectors for 8 FMAs, loaded 16, and the loads, not the FMAs, set its pace (AVX-512 on a Zen 5:
// a 6 × 6 block 538 → 465 ns in cache). Elsewhere than x86 and AArch64, a plain load.
template <class V>
inline V LoadToRegister(const float* p) {
  V v = Load<V>(p);
#if defined(__x86_64__) || defined(__i386__)
  asm("" : "+v"(v));
#elif defined(__aarch64__)
  asm("" : "+w"(v));
#endif
  return v;
}
// In a native build, x − (+0): that is x for every x, −0 included, so GCC folds it to one
// broadcast. In the portable build's copies, which GCC first optimises at the baseline level and
// then inlines into each level's wrapper, that bare splat is built through the stack; there
// `V{} + x`, a scalar add of +0 (kept: it is not x when x is −0) and a register broadcast, is the
// cheapest form that stays in registers. Never a loop over the lanes: GCC made it a chain of lane
// inserts inside the block kernel's loops on AVX2.
template <class V>
inline V Broadcast(float x) {
#if defined(W2V_KERNEL_CLONES)
  return V{} + x;
#else
  return x - V{};
#endif
}
template <class V>
inline IntsOf<V> LaneIndex() {
  IntsOf<V> index;
  for (int i = 0; i < kLanesOf<V>; ++i) index[i] = i;
  return index;
}

// Σ lanes by halving: log2(width) shuffle-and-add steps instead of width − 1 dependent adds. The
// same order at every width for the lanes it shares, so 16 lanes sum as 8 lanes of pairs do.
template <class V>
inline float Sum(V v) {
  if constexpr (kLanesOf<V> == 16) {
    return Sum(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
               __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
  } else if constexpr (kLanesOf<V> == 8) {
    return Sum(__builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7));
  } else {
    return (v[0] + v[2]) + (v[1] + v[3]);
  }
}

#if defined(W2V_KERNEL_CLONES)
// flatten inlines the kernel and everything it calls into the wrapper, so all of it is compiled
// for the wrapper's level; the levels' x86-64 "arch" is the baseline's, which is what lets GCC
// inline the baseline-compiled templates into them.
template <class Kernel>
[[gnu::target("arch=x86-64-v4"), gnu::flatten]] double RunAtX86_64_V4(Kernel& kernel) {
  return kernel.template operator()<Lanes<16>::Floats>();
}
template <class Kernel>
[[gnu::target("arch=x86-64-v3"), gnu::flatten]] double RunAtX86_64_V3(Kernel& kernel) {
  return kernel.template operator()<Lanes<8>::Floats>();
}
template <class Kernel>
[[gnu::flatten]] double RunAtBaseline(Kernel& kernel) {
  return kernel.template operator()<Lanes<4>::Floats>();
}
inline int CpuWidth() {
  static const int width = __builtin_cpu_supports("x86-64-v4")   ? 16
                           : __builtin_cpu_supports("x86-64-v3") ? 8
                                                                 : 4;
  return width;
}
#endif

// Runs `kernel`, a generic lambda `[&]<class V>() -> double`, at the widest vector of this CPU.
template <class Kernel>
inline double AtWidestWidth(Kernel&& kernel) {
#if defined(W2V_KERNEL_CLONES)
  switch (CpuWidth()) {
    case 16: return RunAtX86_64_V4(kernel);
    case 8: return RunAtX86_64_V3(kernel);
    default: return RunAtBaseline(kernel);
  }
#else
  return kernel.template operator()<NativeFloats>();
#endif
}

// e^y for y ≤ 0 (clamped at −87, where it is 1.6e-38): Cody–Waite reduction to r in [−ln2/2, ln2/2]
// and Cephes' degree-6 polynomial for e^r, about 1 ulp. Written in vector types, 16 lanes at once,
// so the coefficient step is vectorised whatever the compiler's cost model makes of a scalar loop.
template <class V>
inline V ExpNonPositive(V y) {
  y = y < -87.0f ? Broadcast<V>(-87.0f) : y;
  // Round to nearest by adding and subtracting 1.5·2^23 (|y·log2 e| < 2^22 here).
  const V shifter = Broadcast<V>(12582912.0f);
  const V n = (y * 1.44269504088896341f + shifter) - shifter;
  const V r = (y - n * 0.693359375f) - n * -2.12194440e-4f;
  V p = Broadcast<V>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const IntsOf<V> exponent = (__builtin_convertvector(n, IntsOf<V>) + 127) << 23;
  return p * std::bit_cast<V>(exponent);
}

// log(1 + u) for u in [0, 1]: 2·atanh(z) with z = u / (2 + u) ≤ 1/3, whose odd series converges
// fast: six terms leave a relative error below 2e-7.
template <class V>
inline V Log1pUnit(V u) {
  const V z = u / (2.0f + u);
  const V z2 = z * z;
  V p = Broadcast<V>(1.0f / 11);
  p = p * z2 + 1.0f / 9;
  p = p * z2 + 1.0f / 7;
  p = p * z2 + 1.0f / 5;
  p = p * z2 + 1.0f / 3;
  p = p * z2 + 1.0f;
  return 2.0f * z * p;
}

// σ(x) and −log σ(x) from the one exp of −|x|, which cannot overflow: −log σ(x) is
// max(−x, 0) + log(1 + e^−|x|), and e^−|x| is in (0, 1], the range Log1pUnit is written for.
template <class V>
inline void SigmoidAndLossLanes(V x, V& sigmoid, V& minus_log_sigmoid) {
  const V abs_x = x < 0.0f ? -x : x;
  const V e = ExpNonPositive(-abs_x);
  const V sigmoid_abs = 1.0f / (1.0f + e);
  sigmoid = x >= 0.0f ? sigmoid_abs : e * sigmoid_abs;
  minus_log_sigmoid = (x < 0.0f ? -x : V{}) + Log1pUnit(e);
}

// SigmoidAndLossLanes on one value, so tests can hold the kernels' σ to the exact one (about 1e-6
// relative).
inline void SigmoidAndLoss(float x, float* sigmoid, float* minus_log_sigmoid) {
  NativeFloats s, m;
  SigmoidAndLossLanes(Broadcast<NativeFloats>(x), s, m);
  *sigmoid = s[0];
  *minus_log_sigmoid = m[0];
}

}  // namespace w2v::core::simd
