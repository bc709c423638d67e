#include "core/block_step.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

#include "core/hogwild.h"

namespace w2v::core {
namespace {

// 16 floats: one AVX-512 register. Aligned to a float only, so a row that is not 64-byte aligned
// (a test's plain vector) is still safe; the store's rows are aligned, so the loads are as fast.
using V16 = float __attribute__((vector_size(64), aligned(4)));
constexpr int64_t kLanes = 16;

inline V16 Load(const float* p) { return *reinterpret_cast<const V16*>(p); }
inline void Store(float* p, V16 v) { *reinterpret_cast<V16*>(p) = v; }
inline V16 Broadcast(float x) { return V16{} + x; }

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
constexpr V16i kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

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

inline void SigmoidAndLoss16(V16 x, V16& sigmoid, V16& minus_log_sigmoid) {
  const V16 abs_x = x < 0.0f ? -x : x;
  const V16 e = ExpNonPositive16(-abs_x);
  const V16 sigmoid_abs = 1.0f / (1.0f + e);
  sigmoid = x >= 0.0f ? sigmoid_abs : e * sigmoid_abs;
  minus_log_sigmoid = (x < 0.0f ? -x : V16{}) + Log1pUnit16(e);
}

// Scores of `kInputs` input rows against `kTargets` target rows: g[t * row + i] = y[t] · x[i].
template <int kInputs, int kTargets>
inline void ScoreTile(const float* const* x, const float* const* y, int64_t stride, float* g,
                      int64_t row) {
  V16 acc[kInputs][kTargets] = {};
  for (int64_t c = 0; c < stride; c += kLanes) {
    V16 xv[kInputs];
    for (int i = 0; i < kInputs; ++i) xv[i] = Load(x[i] + c);
    for (int t = 0; t < kTargets; ++t) {
      const V16 yv = Load(y[t] + c);
      for (int i = 0; i < kInputs; ++i) acc[i][t] += xv[i] * yv;
    }
  }
  for (int t = 0; t < kTargets; ++t) {
    for (int i = 0; i < kInputs; ++i) g[t * row + i] = Sum(acc[i][t]);
  }
}

// Every target's scores for `kInputs` inputs, four targets at a time and then the rest.
template <int kInputs>
inline void ScoreRow(const float* const* x, const float* const* y, int64_t num_targets,
                     int64_t stride, float* g, int64_t row) {
  int64_t t = 0;
  for (; t + 4 <= num_targets; t += 4) ScoreTile<kInputs, 4>(x, y + t, stride, g + t * row, row);
  switch (num_targets - t) {
    case 3: ScoreTile<kInputs, 3>(x, y + t, stride, g + t * row, row); break;
    case 2: ScoreTile<kInputs, 2>(x, y + t, stride, g + t * row, row); break;
    case 1: ScoreTile<kInputs, 1>(x, y + t, stride, g + t * row, row); break;
    default: break;
  }
}

}  // namespace

void SigmoidAndLoss(float x, float* sigmoid, float* minus_log_sigmoid) {
  V16 s, m;
  SigmoidAndLoss16(Broadcast(x), s, m);
  *sigmoid = s[0];
  *minus_log_sigmoid = m[0];
}

double NegSamplingBlockStep(const MatrixView& input_matrix, std::span<const int32_t> inputs,
                            const MatrixView& target_matrix, std::span<const int32_t> targets,
                            std::span<const float> negative_counts, float lr,
                            BlockScratch& scratch) {
  TouchRowsAsHogwild(input_matrix, inputs);
  TouchRowsAsHogwild(target_matrix, targets);
  const HogwildStep hogwild;
  assert(input_matrix.stride == target_matrix.stride && input_matrix.stride % kLanes == 0);
  assert(negative_counts.size() + 1 == targets.size());
  const auto num_inputs = static_cast<int64_t>(inputs.size());
  const auto num_targets = static_cast<int64_t>(targets.size());
  const int64_t stride = input_matrix.stride;
  // Each target's coefficients fill whole vectors, so step 2 runs vectorised for any B instead of
  // falling into a scalar remainder loop. The lanes beyond B hold whatever the last window left
  // there: step 2 masks them out and writes zeros, so they need no clearing here.
  const int64_t row = (num_inputs + kLanes - 1) / kLanes * kLanes;
  scratch.coefficients.resize(static_cast<size_t>(num_targets * row));
  scratch.input_grads.resize(static_cast<size_t>(num_inputs * kLanes));
  scratch.input_rows.resize(static_cast<size_t>(num_inputs));
  scratch.target_rows.resize(static_cast<size_t>(num_targets));
  float* const g = scratch.coefficients.data();  // g[t * row + b]
  float* const dx = scratch.input_grads.data();  // one chunk of ΔX: dx[b * 16 + lane]
  float** const x = scratch.input_rows.data();
  float** const y = scratch.target_rows.data();
  for (int64_t b = 0; b < num_inputs; ++b) x[b] = input_matrix.row(inputs[b]);
  for (int64_t t = 0; t < num_targets; ++t) y[t] = target_matrix.row(targets[t]);

  // 1. Scores s[t][b] = y_t · x_b in tiles of up to 2 inputs × 4 targets: each chunk loaded feeds
  //    several multiply-adds, and the tile's accumulators are independent chains.
  for (int64_t b = 0; b < num_inputs; b += 2) {
    if (b + 2 <= num_inputs) {
      ScoreRow<2>(x + b, y, num_targets, stride, g + b, row);
    } else {
      ScoreRow<1>(x + b, y, num_targets, stride, g + b, row);
    }
  }

  // 2. Coefficients: lr · count · (label − σ(s)), and the loss count · (−log σ(±s)).
  double loss = 0;
  for (int64_t t = 0; t < num_targets; ++t) {
    const float sign = t == 0 ? 1.0f : -1.0f;  // label 1 scores σ(s), label 0 scores σ(−s)
    const float count = t == 0 ? 1.0f : negative_counts[t - 1];
    const float scale = sign * lr * count;
    V16 row_loss{};
    for (int64_t b0 = 0; b0 < row; b0 += kLanes) {
      float* gt = g + t * row + b0;
      const V16i in_window = kLaneIndex < static_cast<int32_t>(num_inputs - b0);
      V16 sigmoid, minus_log_sigmoid;
      SigmoidAndLoss16(Broadcast(sign) * Load(gt), sigmoid, minus_log_sigmoid);
      Store(gt, in_window ? Broadcast(scale) * (1.0f - sigmoid) : V16{});
      row_loss += in_window ? minus_log_sigmoid : V16{};
    }
    loss += static_cast<double>(count) * Sum(row_loss);
  }

  // 3. The updates, one 16-float chunk of every row at a time (chunks do not interact): ΔX = Gᵀ·Y
  //    from the target rows as they were, then Y += G·X from the input rows as they were, then
  //    X += ΔX. A context word that occurs twice in the window gets both of its updates.
  // Each loop keeps four independent accumulators: a single chain of dependent FMAs would wait on
  // the FMA latency at every step.
  for (int64_t c = 0; c < stride; c += kLanes) {
    int64_t b = 0;
    for (; b + 4 <= num_inputs; b += 4) {
      V16 a0{}, a1{}, a2{}, a3{};
      for (int64_t t = 0; t < num_targets; ++t) {
        const V16 yv = Load(y[t] + c);
        const float* gt = g + t * row + b;
        a0 += Broadcast(gt[0]) * yv;
        a1 += Broadcast(gt[1]) * yv;
        a2 += Broadcast(gt[2]) * yv;
        a3 += Broadcast(gt[3]) * yv;
      }
      Store(dx + b * kLanes, a0);
      Store(dx + (b + 1) * kLanes, a1);
      Store(dx + (b + 2) * kLanes, a2);
      Store(dx + (b + 3) * kLanes, a3);
    }
    for (; b < num_inputs; ++b) {
      V16 acc{};
      for (int64_t t = 0; t < num_targets; ++t) acc += Broadcast(g[t * row + b]) * Load(y[t] + c);
      Store(dx + b * kLanes, acc);
    }
    int64_t t = 0;
    for (; t + 4 <= num_targets; t += 4) {
      V16 a0 = Load(y[t] + c), a1 = Load(y[t + 1] + c), a2 = Load(y[t + 2] + c),
          a3 = Load(y[t + 3] + c);
      const float* g0 = g + t * row;
      for (int64_t i = 0; i < num_inputs; ++i) {
        const V16 xv = Load(x[i] + c);
        a0 += Broadcast(g0[i]) * xv;
        a1 += Broadcast(g0[row + i]) * xv;
        a2 += Broadcast(g0[2 * row + i]) * xv;
        a3 += Broadcast(g0[3 * row + i]) * xv;
      }
      Store(y[t] + c, a0);
      Store(y[t + 1] + c, a1);
      Store(y[t + 2] + c, a2);
      Store(y[t + 3] + c, a3);
    }
    for (; t < num_targets; ++t) {
      const float* gt = g + t * row;
      V16 acc = Load(y[t] + c);
      for (int64_t i = 0; i < num_inputs; ++i) acc += Broadcast(gt[i]) * Load(x[i] + c);
      Store(y[t] + c, acc);
    }
    for (int64_t i = 0; i < num_inputs; ++i) {
      Store(x[i] + c, Load(x[i] + c) + Load(dx + i * kLanes));
    }
  }
  return loss;
}

double NaiveSoftmaxBatchStep(const MatrixView& center_matrix, std::span<const int32_t> centers,
                             const MatrixView& outside_matrix,
                             std::span<const int32_t> outside_words,
                             std::span<const int32_t> offsets, float lr, SoftmaxScratch& scratch) {
  TouchRowsAsHogwild(center_matrix, centers);
  TouchAllRowsAsHogwild(outside_matrix);
  const HogwildStep hogwild;
  const auto num_centers = static_cast<int64_t>(centers.size());
  assert(num_centers <= kSoftmaxBatch && offsets.size() == centers.size() + 1);
  const int64_t dim = center_matrix.dim;
  const int64_t vocab = outside_matrix.rows;
  scratch.centers_t.assign(static_cast<size_t>(dim * kLanes), 0.0f);
  scratch.center_grads_t.assign(static_cast<size_t>(dim * kLanes), 0.0f);
  scratch.scores.resize(static_cast<size_t>(vocab * kLanes));
  float* const vt = scratch.centers_t.data();
  float* const grad_t = scratch.center_grads_t.data();
  float* const scores = scratch.scores.data();
  const int64_t stride = center_matrix.stride;
  const float* v[kLanes];
  for (int64_t c = 0; c < num_centers; ++c) {
    v[c] = center_matrix.row(centers[c]);
    for (int64_t i = 0; i < dim; ++i) vt[i * kLanes + c] = v[c][i];
  }

  // 1. Scores of every word against the 16 centers at once, and each column's maximum.
  V16 max_score = Broadcast(-INFINITY);
  for (int64_t w = 0; w < vocab; ++w) {
    const float* u = outside_matrix.row(w);
    V16 s{};
    for (int64_t i = 0; i < dim; ++i) s += Broadcast(u[i]) * Load(vt + i * kLanes);
    Store(scores + w * kLanes, s);
    max_score = s > max_score ? s : max_score;
  }
  // The loss needs the outside words' raw scores, read before anything changes.
  double loss = 0;
  for (int64_t c = 0; c < num_centers; ++c) {
    for (int32_t j = offsets[c]; j < offsets[c + 1]; ++j) {
      loss -= scores[outside_words[j] * kLanes + c];
    }
  }
  // 2. exp(score − max) in place, and each column's sum.
  V16 sum{};
  for (int64_t w = 0; w < vocab; ++w) {
    const V16 e = ExpNonPositive16(Load(scores + w * kLanes) - max_score);
    Store(scores + w * kLanes, e);
    sum += e;
  }
  // K[w][c] = m_c · ŷ_c[w] − #{j : o_j = w}: the first term is scale[c] · e[w][c]; the one-hot term
  // is applied separately, below.
  float scale[kLanes] = {};
  for (int64_t c = 0; c < num_centers; ++c) {
    const auto outside_count = static_cast<double>(offsets[c + 1] - offsets[c]);
    scale[c] = static_cast<float>(outside_count / sum[c]);
    loss += outside_count * (max_score[c] + std::log(static_cast<double>(sum[c])));
  }
  const V16 scale_v = Load(scale);
  // The one-hot term of the centers' gradients, −u_o, from the outside rows before step 3 moves
  // them.
  for (int64_t c = 0; c < num_centers; ++c) {
    for (int32_t j = offsets[c]; j < offsets[c + 1]; ++j) {
      const float* u = outside_matrix.row(outside_words[j]);
      for (int64_t i = 0; i < dim; ++i) grad_t[i * kLanes + c] -= u[i];
    }
  }

  // 3. One pass over U: each row's share of the centers' gradients (from the row as it was), then
  //    the row's own update, u_w −= lr · Σ_c K[w][c] v_c.
  for (int64_t w = 0; w < vocab; ++w) {
    float* u = outside_matrix.row(w);
    const V16 k = scale_v * Load(scores + w * kLanes);
    for (int64_t i = 0; i < dim; ++i) {
      Store(grad_t + i * kLanes, Load(grad_t + i * kLanes) + Broadcast(u[i]) * k);
    }
    float step[kLanes];
    Store(step, Broadcast(-lr) * k);
    for (int64_t chunk = 0; chunk < stride; chunk += kLanes) {
      V16 acc = Load(u + chunk);
      for (int64_t c = 0; c < num_centers; ++c) acc += Broadcast(step[c]) * Load(v[c] + chunk);
      Store(u + chunk, acc);
    }
  }
  // The one-hot term of U's update: u_o += lr · v_c for each outside word.
  for (int64_t c = 0; c < num_centers; ++c) {
    for (int32_t j = offsets[c]; j < offsets[c + 1]; ++j) {
      float* u = outside_matrix.row(outside_words[j]);
      for (int64_t i = 0; i < dim; ++i) u[i] += lr * vt[i * kLanes + c];
    }
  }
  // 4. The centers: v_c −= lr · grad_c (a center that occurs twice gets both updates).
  for (int64_t c = 0; c < num_centers; ++c) {
    float* center = center_matrix.row(centers[c]);
    for (int64_t i = 0; i < dim; ++i) center[i] -= lr * grad_t[i * kLanes + c];
  }
  return loss;
}

}  // namespace w2v::core
