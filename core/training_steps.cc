#include "core/training_steps.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/hogwild.h"
#include "core/sigmoid.h"
#include "core/vector_ops.h"

namespace w2v::core {

double NegSamplingWindowStep(float* center_row, const MatrixView& outside,
                             std::span<const int32_t> outside_words,
                             std::span<const int32_t> negatives, int32_t num_negatives, float lr,
                             StepScratch& scratch) {
  TouchRowAsHogwild(center_row, outside.dim);
  TouchRowsAsHogwild(outside, outside_words);
  TouchRowsAsHogwild(outside, negatives);
  const HogwildStep hogwild;
  assert(negatives.size() == outside_words.size() * static_cast<size_t>(num_negatives));
  const int64_t dim = outside.dim;
  const size_t targets_per_pair = num_negatives + 1;
  scratch.center_grad.assign(dim, 0.0f);
  scratch.coefficients.resize(outside_words.size() * targets_per_pair);

  auto target_of = [&](size_t pair, size_t t) {
    return t == 0 ? outside_words[pair] : negatives[pair * num_negatives + t - 1];
  };

  double loss = 0;
  for (size_t pair = 0; pair < outside_words.size(); ++pair) {
    for (size_t t = 0; t < targets_per_pair; ++t) {
      const float* target_row = outside.row(target_of(pair, t));
      const float label = t == 0 ? 1.0f : -1.0f;
      const float score = Dot(target_row, center_row, dim);
      loss -= LogSigmoid(static_cast<double>(label * score));
      const float coefficient = -label * Sigmoid(-label * score);
      scratch.coefficients[pair * targets_per_pair + t] = coefficient;
      Axpy(coefficient, target_row, scratch.center_grad.data(), dim);
    }
  }
  for (size_t pair = 0; pair < outside_words.size(); ++pair) {
    for (size_t t = 0; t < targets_per_pair; ++t) {
      Axpy(-lr * scratch.coefficients[pair * targets_per_pair + t], center_row,
           outside.row(target_of(pair, t)), dim);
    }
  }
  Axpy(-lr, scratch.center_grad.data(), center_row, dim);
  return loss;
}

double NaiveSoftmaxWindowStep(float* center_row, const MatrixView& outside,
                              std::span<const int32_t> outside_words, float lr,
                              StepScratch& scratch) {
  TouchRowAsHogwild(center_row, outside.dim);
  TouchAllRowsAsHogwild(outside);
  const HogwildStep hogwild;
  const int64_t vocab = outside.rows;
  const int64_t dim = outside.dim;
  auto& scores = scratch.coefficients;
  scores.resize(vocab);
  scratch.center_grad.assign(dim, 0.0f);

  float max_score = -INFINITY;
  for (int64_t w = 0; w < vocab; ++w) {
    scores[w] = Dot(outside.row(w), center_row, dim);
    max_score = std::max(max_score, scores[w]);
  }
  double sum_exp = 0;
  for (int64_t w = 0; w < vocab; ++w) sum_exp += std::exp(static_cast<double>(scores[w] - max_score));
  const double log_sum_exp = max_score + std::log(sum_exp);

  const double pairs = static_cast<double>(outside_words.size());
  double loss = 0;
  for (int32_t o : outside_words) loss += log_sum_exp - scores[o];

  // Turn the scores into the window's coefficients m·ŷ_w − #{j : o_j = w} in place.
  for (int64_t w = 0; w < vocab; ++w) {
    scores[w] = static_cast<float>(pairs * std::exp(scores[w] - log_sum_exp));
  }
  for (int32_t o : outside_words) scores[o] -= 1.0f;

  for (int64_t w = 0; w < vocab; ++w) {
    Axpy(scores[w], outside.row(w), scratch.center_grad.data(), dim);
  }
  for (int64_t w = 0; w < vocab; ++w) Axpy(-lr * scores[w], center_row, outside.row(w), dim);
  Axpy(-lr, scratch.center_grad.data(), center_row, dim);
  return loss;
}

}  // namespace w2v::core
