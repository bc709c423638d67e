#include "core/reference_losses.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/sigmoid.h"

namespace w2v::core {
namespace {

double DotProduct(std::span<const double> a, std::span<const double> b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// Adds one pair's gradients into the window's: the center row of dJ/dV and all of dJ/dU.
void Accumulate(const PairGradients& pair, int32_t center_word, WindowGradients& window) {
  window.loss += pair.loss;
  auto center_row = window.grad_center_vectors.row(center_word);
  for (size_t i = 0; i < center_row.size(); ++i) center_row[i] += pair.grad_center[i];
  for (size_t i = 0; i < window.grad_outside_vectors.values.size(); ++i) {
    window.grad_outside_vectors.values[i] += pair.grad_outside.values[i];
  }
}

}  // namespace

PairGradients NaiveSoftmaxLossAndGradient(std::span<const double> center, int32_t outside_word,
                                          const DenseMatrix& outside_vectors) {
  const int64_t vocab = outside_vectors.rows;
  const int64_t dim = outside_vectors.cols;
  assert(static_cast<int64_t>(center.size()) == dim);
  assert(outside_word >= 0 && outside_word < vocab);

  std::vector<double> scores(vocab);
  for (int64_t w = 0; w < vocab; ++w) scores[w] = DotProduct(outside_vectors.row(w), center);
  const double max_score = *std::max_element(scores.begin(), scores.end());
  double sum_exp = 0;
  for (double s : scores) sum_exp += std::exp(s - max_score);
  const double log_sum_exp = max_score + std::log(sum_exp);

  PairGradients out;
  out.loss = log_sum_exp - scores[outside_word];
  out.grad_center.assign(dim, 0.0);
  out.grad_outside = DenseMatrix(vocab, dim);
  for (int64_t w = 0; w < vocab; ++w) {
    // (ŷ − y)_w: the predicted probability, minus one for the true outside word.
    const double error = std::exp(scores[w] - log_sum_exp) - (w == outside_word ? 1.0 : 0.0);
    const auto u_w = outside_vectors.row(w);
    auto grad_u_w = out.grad_outside.row(w);
    for (int64_t i = 0; i < dim; ++i) {
      out.grad_center[i] += error * u_w[i];
      grad_u_w[i] = error * center[i];
    }
  }
  return out;
}

PairGradients NegSamplingLossAndGradient(std::span<const double> center, int32_t outside_word,
                                         std::span<const int32_t> negatives,
                                         const DenseMatrix& outside_vectors) {
  const int64_t dim = outside_vectors.cols;
  assert(static_cast<int64_t>(center.size()) == dim);

  PairGradients out;
  out.grad_center.assign(dim, 0.0);
  out.grad_outside = DenseMatrix(outside_vectors.rows, dim);

  // The true outside word has label +1, each negative −1: the term is −log σ(label · u_wᵀv_c), whose
  // derivative with respect to the score is −label · σ(−label · score).
  auto add_term = [&](int32_t word, double label) {
    const auto u_w = outside_vectors.row(word);
    const double score = DotProduct(u_w, center);
    out.loss -= LogSigmoid(label * score);
    const double dscore = -label * Sigmoid(-label * score);
    auto grad_u_w = out.grad_outside.row(word);
    for (int64_t i = 0; i < dim; ++i) {
      out.grad_center[i] += dscore * u_w[i];
      grad_u_w[i] += dscore * center[i];
    }
  };
  add_term(outside_word, +1.0);
  for (int32_t negative : negatives) add_term(negative, -1.0);
  return out;
}

WindowGradients SkipGramNaiveSoftmax(int32_t center_word, std::span<const int32_t> outside_words,
                                     const DenseMatrix& center_vectors,
                                     const DenseMatrix& outside_vectors) {
  WindowGradients window{0, DenseMatrix(center_vectors.rows, center_vectors.cols),
                         DenseMatrix(outside_vectors.rows, outside_vectors.cols)};
  const auto center = center_vectors.row(center_word);
  for (int32_t outside_word : outside_words) {
    Accumulate(NaiveSoftmaxLossAndGradient(center, outside_word, outside_vectors), center_word,
               window);
  }
  return window;
}

WindowGradients SkipGramNegSampling(int32_t center_word, std::span<const int32_t> outside_words,
                                    std::span<const int32_t> negatives, int32_t num_negatives,
                                    const DenseMatrix& center_vectors,
                                    const DenseMatrix& outside_vectors) {
  assert(negatives.size() == outside_words.size() * static_cast<size_t>(num_negatives));
  WindowGradients window{0, DenseMatrix(center_vectors.rows, center_vectors.cols),
                         DenseMatrix(outside_vectors.rows, outside_vectors.cols)};
  const auto center = center_vectors.row(center_word);
  for (size_t j = 0; j < outside_words.size(); ++j) {
    Accumulate(NegSamplingLossAndGradient(center, outside_words[j],
                                          negatives.subspan(j * num_negatives, num_negatives),
                                          outside_vectors),
               center_word, window);
  }
  return window;
}

void SgdStep(std::span<double> params, std::span<const double> grad, double lr) {
  assert(params.size() == grad.size());
  for (size_t i = 0; i < params.size(); ++i) params[i] -= lr * grad[i];
}

}  // namespace w2v::core
