#include "core/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/huffman_tree.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"

namespace w2v::core {

GradCheckResult GradCheck(const Objective& f, std::span<const double> x, double step,
                          double tolerance) {
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> analytic(x.size());
  std::vector<double> unused(x.size());
  f(point, analytic);

  GradCheckResult result;
  for (size_t i = 0; i < point.size(); ++i) {
    const double original = point[i];
    point[i] = original + step;
    const double f_plus = f(point, unused);
    point[i] = original - step;
    const double f_minus = f(point, unused);
    point[i] = original;
    const double numeric = (f_plus - f_minus) / (2 * step);
    double error = std::abs(numeric - analytic[i]) /
                   std::max({1.0, std::abs(numeric), std::abs(analytic[i])});
    // A NaN anywhere must fail the check, and NaN compares false with everything.
    if (std::isnan(error)) error = INFINITY;
    if (error > result.max_relative_error || result.worst_index < 0) {
      result.max_relative_error = error;
      result.worst_index = static_cast<int64_t>(i);
    }
  }
  result.passed = result.max_relative_error <= tolerance;
  return result;
}

namespace {

void FillUniform(std::span<double> values, Rng& rng) {
  for (double& v : values) v = 2.0 * rng.Uniform() - 1.0;
}

// K negatives drawn uniformly (the true word excluded), with the second forced to repeat the first
// so that every problem exercises a gradient row that accumulates.
std::vector<int32_t> DrawNegatives(int32_t count, int32_t outside_word, int64_t vocab, Rng& rng) {
  std::vector<int32_t> negatives(count);
  for (int32_t& n : negatives) {
    do {
      n = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(vocab)));
    } while (n == outside_word);
  }
  if (count >= 2) negatives[1] = negatives[0];
  return negatives;
}

// Copies x into the matrices it parameterises, in order, and back for the gradient.
void Unpack(std::span<const double> x, std::initializer_list<std::span<double>> parts) {
  size_t offset = 0;
  for (auto part : parts) {
    std::copy_n(x.begin() + offset, part.size(), part.begin());
    offset += part.size();
  }
}
void Pack(std::initializer_list<std::span<const double>> parts, std::span<double> out) {
  size_t offset = 0;
  for (auto part : parts) {
    std::copy(part.begin(), part.end(), out.begin() + offset);
    offset += part.size();
  }
}

void Merge(GradCheckResult& worst, const GradCheckResult& next) {
  const bool passed = worst.passed && next.passed;
  if (next.max_relative_error >= worst.max_relative_error) worst = next;
  worst.passed = passed;
}

}  // namespace

std::vector<NamedGradCheck> RunGradCheckSuite(const GradCheckSuiteOptions& options) {
  const int64_t dim = options.dim;
  const int64_t vocab = options.vocab;
  Rng rng(options.seed);
  std::vector<NamedGradCheck> checks = {{"naive_softmax", {}},
                                        {"negative_sampling", {}},
                                        {"skipgram/naive_softmax", {}},
                                        {"skipgram/negative_sampling", {}},
                                        {"hierarchical_softmax", {}},
                                        {"skipgram/hierarchical_softmax", {}},
                                        {"cbow/negative_sampling", {}},
                                        {"cbow/hierarchical_softmax", {}}};
  // A Huffman tree over random counts, in the vocabulary's descending order.
  std::vector<int64_t> counts(vocab);
  for (int64_t& c : counts) c = 1 + rng.Below(1000);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  const HuffmanTree tree(counts);
  const int64_t inner = tree.inner_nodes();

  for (int32_t problem = 0; problem < options.problems; ++problem) {
    const int32_t outside_word = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(vocab)));
    const auto negatives = DrawNegatives(options.negatives, outside_word, vocab, rng);
    const int32_t center_word = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(vocab)));
    std::vector<int32_t> window(options.outside_words);
    std::vector<int32_t> window_negatives;
    for (int32_t& o : window) {
      o = static_cast<int32_t>(rng.Below(static_cast<uint32_t>(vocab)));
      const auto drawn = DrawNegatives(options.negatives, o, vocab, rng);
      window_negatives.insert(window_negatives.end(), drawn.begin(), drawn.end());
    }

    // Pair losses: x = [v_c, U].
    std::vector<double> pair_x(dim + vocab * dim);
    FillUniform(pair_x, rng);
    auto pair_objective = [&](bool sampled) {
      return [&, sampled](std::span<const double> x, std::span<double> grad) {
        std::vector<double> center(dim);
        DenseMatrix outside(vocab, dim);
        Unpack(x, {center, outside.values});
        const PairGradients g =
            sampled ? NegSamplingLossAndGradient(center, outside_word, negatives, outside)
                    : NaiveSoftmaxLossAndGradient(center, outside_word, outside);
        Pack({g.grad_center, g.grad_outside.values}, grad);
        return g.loss;
      };
    };
    Merge(checks[0].result, GradCheck(pair_objective(false), pair_x, 1e-4, options.tolerance));
    Merge(checks[1].result, GradCheck(pair_objective(true), pair_x, 1e-4, options.tolerance));

    // Skip-gram: x = [V, U].
    std::vector<double> window_x(2 * vocab * dim);
    FillUniform(window_x, rng);
    auto window_objective = [&](bool sampled) {
      return [&, sampled](std::span<const double> x, std::span<double> grad) {
        DenseMatrix center_vectors(vocab, dim);
        DenseMatrix outside_vectors(vocab, dim);
        Unpack(x, {center_vectors.values, outside_vectors.values});
        const WindowGradients g =
            sampled ? SkipGramNegSampling(center_word, window, window_negatives,
                                          options.negatives, center_vectors, outside_vectors)
                    : SkipGramNaiveSoftmax(center_word, window, center_vectors, outside_vectors);
        Pack({g.grad_center_vectors.values, g.grad_outside_vectors.values}, grad);
        return g.loss;
      };
    };
    Merge(checks[2].result, GradCheck(window_objective(false), window_x, 1e-4, options.tolerance));
    Merge(checks[3].result, GradCheck(window_objective(true), window_x, 1e-4, options.tolerance));

    // Hierarchical softmax over the path of `outside_word`: x = [h, inner nodes].
    const auto nodes = tree.nodes(outside_word);
    const auto codes = tree.codes(outside_word);
    std::vector<double> tree_x(dim + inner * dim);
    FillUniform(tree_x, rng);
    const auto tree_objective = [&](std::span<const double> x, std::span<double> grad) {
      std::vector<double> input(dim);
      DenseMatrix inner_vectors(inner, dim);
      Unpack(x, {input, inner_vectors.values});
      const PairGradients g = HierarchicalSoftmaxLossAndGradient(input, nodes, codes, inner_vectors);
      Pack({g.grad_center, g.grad_outside.values}, grad);
      return g.loss;
    };
    Merge(checks[4].result, GradCheck(tree_objective, tree_x, 1e-4, options.tolerance));

    // Windows over [V, inner nodes] (hierarchical softmax) or [V, U]: skip-gram's context rows
    // each predicting the centre, and CBOW's mean of them (a repeated context word included).
    const auto center_nodes = tree.nodes(center_word);
    const auto center_codes = tree.codes(center_word);
    std::vector<int32_t> context = window;
    if (context.size() >= 2) context[1] = context[0];
    const auto cbow_negatives = DrawNegatives(options.negatives, center_word, vocab, rng);
    std::vector<double> model_x(2 * vocab * dim);
    FillUniform(model_x, rng);
    enum class Model { kSkipGramTree, kCbowSampled, kCbowTree };
    const auto model_objective = [&](Model model) {
      return [&, model](std::span<const double> x, std::span<double> grad) {
        DenseMatrix center_vectors(vocab, dim);
        DenseMatrix second(model == Model::kCbowSampled ? vocab : inner, dim);
        Unpack(x.first(static_cast<size_t>((vocab + second.rows) * dim)),
               {center_vectors.values, second.values});
        const WindowGradients g =
            model == Model::kSkipGramTree
                ? SkipGramHierarchicalSoftmax(center_nodes, center_codes, context, center_vectors,
                                              second)
            : model == Model::kCbowSampled
                ? CbowNegSampling(center_word, context, cbow_negatives, center_vectors, second)
                : CbowHierarchicalSoftmax(center_nodes, center_codes, context, center_vectors,
                                          second);
        std::fill(grad.begin(), grad.end(), 0.0);
        Pack({g.grad_center_vectors.values, g.grad_outside_vectors.values}, grad);
        return g.loss;
      };
    };
    const std::span<const double> tree_model_x(model_x.data(), (vocab + inner) * dim);
    Merge(checks[5].result,
          GradCheck(model_objective(Model::kSkipGramTree), tree_model_x, 1e-4, options.tolerance));
    Merge(checks[6].result,
          GradCheck(model_objective(Model::kCbowSampled), model_x, 1e-4, options.tolerance));
    Merge(checks[7].result,
          GradCheck(model_objective(Model::kCbowTree), tree_model_x, 1e-4, options.tolerance));
  }
  return checks;
}

}  // namespace w2v::core
