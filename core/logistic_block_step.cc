#include "core/logistic_block_step.h"

#include <cassert>

#include "core/hogwild.h"
#include "core/simd.h"

namespace w2v::core {

using simd::Broadcast;
using simd::kLanesOf;
using simd::Load;
using simd::LoadToRegister;
using simd::SigmoidAndLossLanes;
using simd::Store;
using simd::Sum;

namespace {

// Scores of `kInputs` input rows against `kTargets` target rows: g[t * row + i] = y[t] · x[i].
template <class V, int kInputs, int kTargets>
inline void ScoreTile(const float* const* x, const float* const* y, int64_t stride, float* g,
                      int64_t row) {
  V acc[kInputs][kTargets] = {};
  for (int64_t c = 0; c < stride; c += kLanesOf<V>) {
    V xv[kInputs];
    for (int i = 0; i < kInputs; ++i) xv[i] = LoadToRegister<V>(x[i] + c);
    for (int t = 0; t < kTargets; ++t) {
      const V yv = LoadToRegister<V>(y[t] + c);
      for (int i = 0; i < kInputs; ++i) acc[i][t] += xv[i] * yv;
    }
  }
  for (int t = 0; t < kTargets; ++t) {
    for (int i = 0; i < kInputs; ++i) g[t * row + i] = Sum(acc[i][t]);
  }
}

// Every target's scores for `kInputs` inputs, four targets at a time and then the rest.
template <class V, int kInputs>
inline void ScoreRow(const float* const* x, const float* const* y, int64_t num_targets,
                     int64_t stride, float* g, int64_t row) {
  int64_t t = 0;
  for (; t + 4 <= num_targets; t += 4) ScoreTile<V, kInputs, 4>(x, y + t, stride, g + t * row, row);
  switch (num_targets - t) {
    case 3: ScoreTile<V, kInputs, 3>(x, y + t, stride, g + t * row, row); break;
    case 2: ScoreTile<V, kInputs, 2>(x, y + t, stride, g + t * row, row); break;
    case 1: ScoreTile<V, kInputs, 1>(x, y + t, stride, g + t * row, row); break;
    default: break;
  }
}

// Step 3 goes through the rows a chunk of kChunkVectors vectors at a time: every coefficient it
// broadcasts then feeds that many multiply-adds. Below 16 floats a vector, a broadcast per
// multiply-add left the loads, not the FMAs, the limit (AVX2: 16 floats, a cache line, a chunk).
template <class V>
inline constexpr int kChunkVectors = kLanesOf<V> >= 16 ? 1 : 2;
template <class V>
inline constexpr int64_t kChunkFloats = kChunkVectors<V> * kLanesOf<V>;

// Step 3's inner loop, for both of its updates: into kRows accumulators of chunk c, each source
// row's chunk times its coefficient for that accumulator, g[s * source_step + j * row_step]. One
// accumulator per row and vector, so that a remainder of rows is as many independent chains,
// never one chain per row after another.
template <class V, int kRows>
inline void AccumulateChunk(float* const* sources, int64_t num_sources, const float* g,
                            int64_t source_step, int64_t row_step, int64_t c,
                            V (&acc)[kRows][kChunkVectors<V>]) {
  constexpr int kN = kChunkVectors<V>;
  for (int64_t s = 0; s < num_sources; ++s) {
    V chunk[kN];
    for (int n = 0; n < kN; ++n) chunk[n] = Load<V>(sources[s] + c + n * kLanesOf<V>);
    for (int j = 0; j < kRows; ++j) {
      const V coefficient = Broadcast<V>(g[s * source_step + j * row_step]);
      for (int n = 0; n < kN; ++n) acc[j][n] += coefficient * chunk[n];
    }
  }
}

// Chunk c of ΔX for `kInputs` inputs: dx[b] = Σ_t g[t][b] · y_t.
template <class V, int kInputs>
inline void InputGradTile(float* const* y, const float* g, int64_t num_targets, int64_t row,
                          int64_t c, float* dx) {
  V acc[kInputs][kChunkVectors<V>] = {};
  AccumulateChunk<V, kInputs>(y, num_targets, g, row, 1, c, acc);
  for (int b = 0; b < kInputs; ++b) {
    for (int n = 0; n < kChunkVectors<V>; ++n) {
      Store(dx + b * kChunkFloats<V> + n * kLanesOf<V>, acc[b][n]);
    }
  }
}

// Chunk c of Y += G·X for `kTargets` targets.
template <class V, int kTargets>
inline void TargetTile(float* const* x, const float* g, int64_t num_inputs, int64_t row, int64_t c,
                       float* const* y) {
  V acc[kTargets][kChunkVectors<V>];
  for (int t = 0; t < kTargets; ++t) {
    for (int n = 0; n < kChunkVectors<V>; ++n) acc[t][n] = Load<V>(y[t] + c + n * kLanesOf<V>);
  }
  AccumulateChunk<V, kTargets>(x, num_inputs, g, 1, row, c, acc);
  for (int t = 0; t < kTargets; ++t) {
    for (int n = 0; n < kChunkVectors<V>; ++n) Store(y[t] + c + n * kLanesOf<V>, acc[t][n]);
  }
}

template <class V>
double LogisticBlockStepIn(const MatrixView& input_matrix, std::span<const int32_t> inputs,
                           const MatrixView& target_matrix, const LogisticTargets& targets,
                           float lr, BlockScratch& scratch) {
  constexpr int64_t kLanes = kLanesOf<V>;
  TouchRowsAsHogwild(input_matrix, inputs);
  TouchRowsAsHogwild(target_matrix, targets.rows);
  const HogwildStep hogwild;
  assert(input_matrix.stride == target_matrix.stride &&
         input_matrix.stride % kChunkFloats<V> == 0);
  assert(targets.labels.size() == targets.rows.size() &&
         targets.weights.size() == targets.rows.size());
  const auto num_inputs = static_cast<int64_t>(inputs.size());
  const auto num_targets = static_cast<int64_t>(targets.rows.size());
  const int64_t stride = input_matrix.stride;
  // Each target's coefficients fill whole vectors, so step 2 runs vectorised for any B instead of
  // falling into a scalar remainder loop. The lanes beyond B hold whatever the last window left
  // there: step 2 masks them out and writes zeros, so they need no clearing here.
  const int64_t row = (num_inputs + kLanes - 1) / kLanes * kLanes;
  scratch.coefficients.resize(static_cast<size_t>(num_targets * row));
  constexpr int64_t kChunk = kChunkFloats<V>;
  scratch.input_grads.resize(static_cast<size_t>(num_inputs * kChunk));
  scratch.input_rows.resize(static_cast<size_t>(num_inputs));
  scratch.target_rows.resize(static_cast<size_t>(num_targets));
  float* const g = scratch.coefficients.data();  // g[t * row + b]
  float* const dx = scratch.input_grads.data();  // one chunk of ΔX: dx[b * kChunk + lane]
  float** const x = scratch.input_rows.data();
  float** const y = scratch.target_rows.data();
  for (int64_t b = 0; b < num_inputs; ++b) x[b] = input_matrix.row(inputs[b]);
  for (int64_t t = 0; t < num_targets; ++t) y[t] = targets.row(target_matrix, t);

  // 1. Scores s[t][b] = y_t · x_b in tiles of up to 2 inputs × 4 targets: each chunk loaded feeds
  //    several multiply-adds, and the tile's accumulators are independent chains.
  for (int64_t b = 0; b < num_inputs; b += 2) {
    if (b + 2 <= num_inputs) {
      ScoreRow<V, 2>(x + b, y, num_targets, stride, g + b, row);
    } else {
      ScoreRow<V, 1>(x + b, y, num_targets, stride, g + b, row);
    }
  }

  // 2. Coefficients: lr · weight · (label − σ(s)), and the loss weight · (−log σ(±s)).
  double loss = 0;
  for (int64_t t = 0; t < num_targets; ++t) {
    // Label 1 scores σ(s), label 0 σ(−s); label − σ(s) = sign · (1 − σ(sign · s)).
    const float sign = targets.labels[t] > 0.5f ? 1.0f : -1.0f;
    const float count = targets.weights[t];
    const float scale = sign * lr * count;
    V row_loss{};
    for (int64_t b0 = 0; b0 < row; b0 += kLanes) {
      float* gt = g + t * row + b0;
      const simd::IntsOf<V> in_window = simd::LaneIndex<V>() < static_cast<int32_t>(num_inputs - b0);
      V sigmoid, minus_log_sigmoid;
      SigmoidAndLossLanes(Broadcast<V>(sign) * Load<V>(gt), sigmoid, minus_log_sigmoid);
      Store(gt, in_window ? Broadcast<V>(scale) * (1.0f - sigmoid) : V{});
      row_loss += in_window ? minus_log_sigmoid : V{};
    }
    loss += static_cast<double>(count) * Sum(row_loss);
  }

  // 3. The updates, one chunk of every row at a time (chunks do not interact): ΔX = Gᵀ·Y
  //    from the target rows as they were, then Y += G·X from the input rows as they were, then
  //    X += ΔX. A context word that occurs twice in the window gets both of its updates.
  // Tiles of up to four inputs or targets, the remainder in a tile of its own width: each tile's
  // accumulators are independent chains, where a chain of dependent FMAs per remaining row would
  // wait on the FMA latency at every step (text8's usual 6 targets leave a remainder of 2).
  for (int64_t c = 0; c < stride; c += kChunk) {
    int64_t b = 0;
    for (; b + 4 <= num_inputs; b += 4) InputGradTile<V, 4>(y, g + b, num_targets, row, c, dx + b * kChunk);
    switch (num_inputs - b) {
      case 3: InputGradTile<V, 3>(y, g + b, num_targets, row, c, dx + b * kChunk); break;
      case 2: InputGradTile<V, 2>(y, g + b, num_targets, row, c, dx + b * kChunk); break;
      case 1: InputGradTile<V, 1>(y, g + b, num_targets, row, c, dx + b * kChunk); break;
      default: break;
    }
    int64_t t = 0;
    for (; t + 4 <= num_targets; t += 4) TargetTile<V, 4>(x, g + t * row, num_inputs, row, c, y + t);
    switch (num_targets - t) {
      case 3: TargetTile<V, 3>(x, g + t * row, num_inputs, row, c, y + t); break;
      case 2: TargetTile<V, 2>(x, g + t * row, num_inputs, row, c, y + t); break;
      case 1: TargetTile<V, 1>(x, g + t * row, num_inputs, row, c, y + t); break;
      default: break;
    }
    for (int64_t i = 0; i < num_inputs; ++i) {
      for (int64_t n = 0; n < kChunk; n += kLanes) {
        Store(x[i] + c + n, Load<V>(x[i] + c + n) + Load<V>(dx + i * kChunk + n));
      }
    }
  }
  return loss;
}

}  // namespace

double LogisticBlockStep(const MatrixView& input_matrix, std::span<const int32_t> inputs,
                         const MatrixView& target_matrix, const LogisticTargets& targets, float lr,
                         BlockScratch& scratch) {
  return simd::AtWidestWidth([&]<class V>() {
    return LogisticBlockStepIn<V>(input_matrix, inputs, target_matrix, targets, lr, scratch);
  });
}

}  // namespace w2v::core
