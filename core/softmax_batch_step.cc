#include "core/softmax_batch_step.h"

#include <cassert>
#include <cmath>

#include "core/hogwild.h"
#include "core/simd.h"

namespace w2v::core {

using simd::Broadcast;
using simd::ExpNonPositive;
using simd::Load;
using simd::Store;

namespace {

// One center per lane, at every CPU width: the batch is 16 windows wherever it runs, so a run's
// result does not depend on the CPU's vector width.
using V16 = simd::Lanes<kSoftmaxBatch>::Floats;
constexpr int64_t kLanes = kSoftmaxBatch;

double NaiveSoftmaxBatchStepIn(const MatrixView& center_matrix, std::span<const int32_t> centers,
                               const MatrixView& outside_matrix,
                               std::span<const int32_t> outside_words,
                               std::span<const int32_t> offsets, float lr,
                               SoftmaxScratch& scratch) {
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
  V16 max_score = Broadcast<V16>(-INFINITY);
  for (int64_t w = 0; w < vocab; ++w) {
    const float* u = outside_matrix.row(w);
    V16 s{};
    for (int64_t i = 0; i < dim; ++i) s += Broadcast<V16>(u[i]) * Load<V16>(vt + i * kLanes);
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
    const V16 e = ExpNonPositive(Load<V16>(scores + w * kLanes) - max_score);
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
  const V16 scale_v = Load<V16>(scale);
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
    const V16 k = scale_v * Load<V16>(scores + w * kLanes);
    for (int64_t i = 0; i < dim; ++i) {
      Store(grad_t + i * kLanes, Load<V16>(grad_t + i * kLanes) + Broadcast<V16>(u[i]) * k);
    }
    float step[kLanes];
    Store(step, Broadcast<V16>(-lr) * k);
    for (int64_t chunk = 0; chunk < stride; chunk += kLanes) {
      V16 acc = Load<V16>(u + chunk);
      for (int64_t c = 0; c < num_centers; ++c) acc += Broadcast<V16>(step[c]) * Load<V16>(v[c] + chunk);
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

}  // namespace

double NaiveSoftmaxBatchStep(const MatrixView& center_matrix, std::span<const int32_t> centers,
                             const MatrixView& outside_matrix,
                             std::span<const int32_t> outside_words,
                             std::span<const int32_t> offsets, float lr, SoftmaxScratch& scratch) {
  // The lambda's width goes unused (the batch's type is fixed), but running through AtWidestWidth
  // compiles the step for the CPU level as the other kernels are.
  return simd::AtWidestWidth([&]<class>() {
    return NaiveSoftmaxBatchStepIn(center_matrix, centers, outside_matrix, outside_words, offsets,
                                   lr, scratch);
  });
}

}  // namespace w2v::core
