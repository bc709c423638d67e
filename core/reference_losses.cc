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

// Adds one pair's gradients into the window's: `share` of its input gradient into the input
// word's row of dJ/dV, and all of dJ/dU.
void Accumulate(const PairGradients& pair, int32_t input_word, WindowGradients& window,
                double share = 1.0) {
  auto input_row = window.grad_center_vectors.row(input_word);
  for (size_t i = 0; i < input_row.size(); ++i) input_row[i] += share * pair.grad_center[i];
  window.loss += pair.loss;
  for (size_t i = 0; i < window.grad_outside_vectors.values.size(); ++i) {
    window.grad_outside_vectors.values[i] += pair.grad_outside.values[i];
  }
}

// One logistic term −log σ(sign · u_rᵀx), whose derivative with respect to the score is
// −sign · σ(−sign · score), added into `out`.
void AddLogisticTerm(std::span<const double> input, int32_t row, double sign,
                     const DenseMatrix& matrix, PairGradients& out) {
  const auto u = matrix.row(row);
  const double score = DotProduct(u, input);
  out.loss -= LogSigmoid(sign * score);
  const double dscore = -sign * Sigmoid(-sign * score);
  auto grad_u = out.grad_outside.row(row);
  for (size_t i = 0; i < input.size(); ++i) {
    out.grad_center[i] += dscore * u[i];
    grad_u[i] += dscore * input[i];
  }
}

std::vector<double> MeanRow(std::span<const int32_t> words, const DenseMatrix& vectors) {
  std::vector<double> mean(vectors.cols, 0.0);
  for (int32_t w : words) {
    const auto row = vectors.row(w);
    for (size_t i = 0; i < mean.size(); ++i) mean[i] += row[i];
  }
  for (double& x : mean) x /= static_cast<double>(words.size());
  return mean;
}

// The CBOW window from the hidden vector's pair gradients: the loss and dJ/dU once, dJ/dh shared
// among the context rows.
WindowGradients CbowWindow(const PairGradients& pair, std::span<const int32_t> context_words,
                           const DenseMatrix& center_vectors) {
  WindowGradients window{pair.loss, DenseMatrix(center_vectors.rows, center_vectors.cols),
                         pair.grad_outside};
  const double share = 1.0 / static_cast<double>(context_words.size());
  for (int32_t w : context_words) {
    auto row = window.grad_center_vectors.row(w);
    for (size_t i = 0; i < row.size(); ++i) row[i] += share * pair.grad_center[i];
  }
  return window;
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

  // The true outside word has label +1, each negative −1.
  AddLogisticTerm(center, outside_word, +1.0, outside_vectors, out);
  for (int32_t negative : negatives) AddLogisticTerm(center, negative, -1.0, outside_vectors, out);
  return out;
}

PairGradients HierarchicalSoftmaxLossAndGradient(std::span<const double> input,
                                                 std::span<const int32_t> nodes,
                                                 std::span<const uint8_t> codes,
                                                 const DenseMatrix& inner_vectors) {
  assert(nodes.size() == codes.size());
  assert(static_cast<int64_t>(input.size()) == inner_vectors.cols);
  PairGradients out;
  out.grad_center.assign(inner_vectors.cols, 0.0);
  out.grad_outside = DenseMatrix(inner_vectors.rows, inner_vectors.cols);
  // Code 0 takes the branch of probability σ(s), code 1 that of σ(−s) = 1 − σ(s).
  for (size_t l = 0; l < nodes.size(); ++l) {
    AddLogisticTerm(input, nodes[l], codes[l] == 0 ? 1.0 : -1.0, inner_vectors, out);
  }
  return out;
}

WindowGradients SkipGramHierarchicalSoftmax(std::span<const int32_t> nodes,
                                            std::span<const uint8_t> codes,
                                            std::span<const int32_t> context_words,
                                            const DenseMatrix& center_vectors,
                                            const DenseMatrix& inner_vectors) {
  WindowGradients window{0, DenseMatrix(center_vectors.rows, center_vectors.cols),
                         DenseMatrix(inner_vectors.rows, inner_vectors.cols)};
  for (int32_t context_word : context_words) {
    Accumulate(HierarchicalSoftmaxLossAndGradient(center_vectors.row(context_word), nodes, codes,
                                                  inner_vectors),
               context_word, window);
  }
  return window;
}

WindowGradients CbowNegSampling(int32_t center_word, std::span<const int32_t> context_words,
                                std::span<const int32_t> negatives,
                                const DenseMatrix& center_vectors,
                                const DenseMatrix& outside_vectors) {
  const std::vector<double> hidden = MeanRow(context_words, center_vectors);
  return CbowWindow(NegSamplingLossAndGradient(hidden, center_word, negatives, outside_vectors),
                    context_words, center_vectors);
}

WindowGradients CbowHierarchicalSoftmax(std::span<const int32_t> nodes,
                                        std::span<const uint8_t> codes,
                                        std::span<const int32_t> context_words,
                                        const DenseMatrix& center_vectors,
                                        const DenseMatrix& inner_vectors) {
  const std::vector<double> hidden = MeanRow(context_words, center_vectors);
  return CbowWindow(HierarchicalSoftmaxLossAndGradient(hidden, nodes, codes, inner_vectors),
                    context_words, center_vectors);
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
