#include "core/neg_sampling_minibatch_step.h"

#include <algorithm>
#include <cassert>

#include "core/simd.h"

namespace w2v::core {
namespace {

// Not a hot loop (a minibatch is applied in order, on one thread): the native width, not
// dispatched.
using V = simd::NativeFloats;
constexpr int64_t kLanes = simd::kLanesOf<V>;

float RowDot(const float* a, const float* b, int64_t stride) {
  V sum{};
  for (int64_t c = 0; c < stride; c += kLanes) sum += simd::Load<V>(a + c) * simd::Load<V>(b + c);
  return simd::Sum(sum);
}

// y += alpha · x over a padded row.
void RowAxpy(float alpha, const float* x, float* y, int64_t stride) {
  const V a = simd::Broadcast<V>(alpha);
  for (int64_t c = 0; c < stride; c += kLanes) simd::Store(y + c, simd::Load<V>(y + c) + a * simd::Load<V>(x + c));
}

}  // namespace

void NegSamplingWindowGradient(const MatrixView& centers, const MatrixView& outside,
                               int32_t negatives, MinibatchWindow& window) {
  assert(outside.stride % kLanes == 0 && centers.stride == outside.stride);
  assert(window.negatives.size() == window.outside.size() * static_cast<size_t>(negatives));
  const int64_t stride = outside.stride;
  const float* center_row = centers.row(window.center);
  const auto targets_per_word = static_cast<size_t>(negatives) + 1;
  window.center_grad.assign(stride, 0.0f);
  window.coefficients.resize(window.outside.size() * targets_per_word);
  double loss = 0;
  for (size_t j = 0; j < window.outside.size(); ++j) {
    auto target_of = [&](size_t t) {
      return t == 0 ? window.outside[j] : window.negatives[j * negatives + t - 1];
    };
    float* coefficients = window.coefficients.data() + j * targets_per_word;
    for (size_t first = 0; first < targets_per_word; first += kLanes) {
      const size_t count = std::min<size_t>(kLanes, targets_per_word - first);
      // x = label · score, label +1 for the outside word and −1 for a negative.
      V x{};
      for (size_t l = 0; l < count; ++l) {
        const float score = RowDot(outside.row(target_of(first + l)), center_row, stride);
        x[l] = first + l == 0 ? score : -score;
      }
      // σ(−x), the coefficient's size, from a call of its own rather than as 1 − σ(x), which loses
      // every digit once σ(x) is near 1.
      V sigmoid_x, minus_log_sigmoid_x, sigmoid_minus_x, minus_log_sigmoid_minus_x;
      simd::SigmoidAndLossLanes(x, sigmoid_x, minus_log_sigmoid_x);
      simd::SigmoidAndLossLanes(-x, sigmoid_minus_x, minus_log_sigmoid_minus_x);
      for (size_t l = 0; l < count; ++l) {
        const size_t t = first + l;
        loss += static_cast<double>(minus_log_sigmoid_x[l]);
        // ∂(−log σ(label·s))/∂s = −label · σ(−label·s).
        const float coefficient = t == 0 ? -sigmoid_minus_x[l] : sigmoid_minus_x[l];
        coefficients[t] = coefficient;
        RowAxpy(coefficient, outside.row(target_of(t)), window.center_grad.data(), stride);
      }
    }
  }
  window.loss = loss;
}

void ApplyMinibatch(const MatrixView& centers, const MatrixView& outside,
                    std::span<const MinibatchWindow> windows, int32_t negatives, float scale) {
  const int64_t stride = outside.stride;
  const auto targets_per_word = static_cast<size_t>(negatives) + 1;
  for (const MinibatchWindow& window : windows) {
    const float* center_row = centers.row(window.center);
    for (size_t j = 0; j < window.outside.size(); ++j) {
      const float* coefficients = window.coefficients.data() + j * targets_per_word;
      for (size_t t = 0; t < targets_per_word; ++t) {
        const int32_t target = t == 0 ? window.outside[j] : window.negatives[j * negatives + t - 1];
        RowAxpy(-scale * coefficients[t], center_row, outside.row(target), stride);
      }
    }
  }
  for (const MinibatchWindow& window : windows) {
    RowAxpy(-scale, window.center_grad.data(), centers.row(window.center), stride);
  }
}

}  // namespace w2v::core
