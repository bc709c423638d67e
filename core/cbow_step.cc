#include "core/cbow_step.h"

#include <algorithm>
#include <cassert>

#include "core/hogwild.h"
#include "core/simd.h"

namespace w2v::core {

using simd::Broadcast;
using simd::Load;
using simd::Store;

namespace {

template <class V>
double CbowStepIn(const MatrixView& input_matrix, std::span<const int32_t> context,
                  const MatrixView& target_matrix, const LogisticTargets& targets, float lr,
                  bool exact_gradient, CbowScratch& scratch) {
  constexpr int64_t kLanes = simd::kLanesOf<V>;
  TouchRowsAsHogwild(input_matrix, context);
  TouchRowsAsHogwild(target_matrix, targets.rows);
  const HogwildStep hogwild;
  assert(input_matrix.stride == target_matrix.stride && input_matrix.stride % kLanes == 0);
  assert(!context.empty());
  const int64_t stride = input_matrix.stride;
  const auto num_targets = static_cast<int64_t>(targets.rows.size());
  scratch.hidden.resize(stride);
  scratch.hidden_grad.resize(stride);
  scratch.coefficients.resize(num_targets);
  float* const h = scratch.hidden.data();
  float* const dh = scratch.hidden_grad.data();
  float* const g = scratch.coefficients.data();

  const float inverse_m = 1.0f / static_cast<float>(context.size());
  for (int64_t c = 0; c < stride; c += kLanes) {
    V sum{};
    for (int32_t w : context) sum += Load<V>(input_matrix.row(w) + c);
    Store(h + c, sum * inverse_m);
    Store(dh + c, V{});
  }

  // Coefficients lr · weight · (label − σ(s)), a vector of targets at a time, with the loss
  // weight · −log σ(±s) (+ for label 1).
  double loss = 0;
  for (int64_t first = 0; first < num_targets; first += kLanes) {
    const int64_t count = std::min<int64_t>(kLanes, num_targets - first);
    V signed_scores{};
    for (int64_t l = 0; l < count; ++l) {
      const float* y = targets.row(target_matrix, first + l);
      V dot{};
      for (int64_t c = 0; c < stride; c += kLanes) dot += Load<V>(y + c) * Load<V>(h + c);
      signed_scores[l] = (targets.labels[first + l] > 0.5f ? 1.0f : -1.0f) * simd::Sum(dot);
    }
    V sigmoid, minus_log_sigmoid;
    simd::SigmoidAndLossLanes(signed_scores, sigmoid, minus_log_sigmoid);
    for (int64_t l = 0; l < count; ++l) {
      const int64_t t = first + l;
      const float sign = targets.labels[t] > 0.5f ? 1.0f : -1.0f;
      // label − σ(s) = sign · (1 − σ(sign · s)).
      g[t] = sign * lr * targets.weights[t] * (1.0f - sigmoid[l]);
      loss += static_cast<double>(targets.weights[t]) * minus_log_sigmoid[l];
    }
  }

  // ∂h from the target rows as they were, then the target rows, then the context rows.
  for (int64_t t = 0; t < num_targets; ++t) {
    float* y = targets.row(target_matrix, t);
    const V gt = Broadcast<V>(g[t]);
    for (int64_t c = 0; c < stride; c += kLanes) {
      Store(dh + c, Load<V>(dh + c) + gt * Load<V>(y + c));
      Store(y + c, Load<V>(y + c) + gt * Load<V>(h + c));
    }
  }
  const V share = Broadcast<V>(exact_gradient ? inverse_m : 1.0f);
  for (int32_t w : context) {
    float* x = input_matrix.row(w);
    for (int64_t c = 0; c < stride; c += kLanes) Store(x + c, Load<V>(x + c) + share * Load<V>(dh + c));
  }
  return loss;
}

}  // namespace

double CbowStep(const MatrixView& input_matrix, std::span<const int32_t> context,
                const MatrixView& target_matrix, const LogisticTargets& targets, float lr,
                bool exact_gradient, CbowScratch& scratch) {
  return simd::AtWidestWidth([&]<class V>() {
    return CbowStepIn<V>(input_matrix, context, target_matrix, targets, lr, exact_gradient, scratch);
  });
}

}  // namespace w2v::core
