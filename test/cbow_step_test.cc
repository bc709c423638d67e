// core/cbow_step.h: with the exact gradient the CBOW step is one SGD step on the reference
// gradient (core/reference_losses.h) for negative sampling and for hierarchical softmax; with
// word2vec's, the context rows move m times as far and everything else is the same.
#include "core/cbow_step.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/huffman_tree.h"
#include "core/logistic_targets.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

constexpr int64_t kVocab = 30;
// 3 twice: a repeated context word gets its share twice.
const std::vector<int32_t> kContext = {1, 3, 3, 8, 20, 11};

// Negative sampling's targets for `center`, with `negatives` as drawn (repeats merged).
LogisticTargets SampledTargets(int32_t center, const std::vector<int32_t>& negatives) {
  LogisticTargets targets;
  targets.Add(center, 1.0f, 1.0f);
  for (int32_t n : negatives) {
    const auto seen = std::find(targets.rows.begin() + 1, targets.rows.end(), n);
    if (seen != targets.rows.end()) {
      targets.weights[seen - targets.rows.begin()] += 1.0f;
    } else {
      targets.Add(n, 0.0f, 1.0f);
    }
  }
  return targets;
}

HuffmanTree RandomTree(Rng& rng) {
  std::vector<int64_t> counts(kVocab);
  for (int64_t& c : counts) c = 1 + rng.Below(3000);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  return HuffmanTree(counts);
}

DenseMatrix Scaled(DenseMatrix m, double factor) {
  for (double& v : m.values) v *= factor;
  return m;
}

TEST(CbowStepTest, NegativeSamplingIsAnSgdStepOnTheReferenceGradient) {
  for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{7, 16}, {100, 112}}) {
    Rng rng(dim);
    const DenseMatrix input_vectors = RandomMatrix(kVocab, dim, rng, 0.5);
    const DenseMatrix outside_vectors = RandomMatrix(kVocab, dim, rng, 0.5);
    const int32_t center = 5;
    const std::vector<int32_t> negatives = {2, 9, 9, 14, 27};
    const WindowGradients reference =
        CbowNegSampling(center, kContext, negatives, input_vectors, outside_vectors);
    const LogisticTargets targets = SampledTargets(center, negatives);
    const float lr = 0.1f;
    for (const bool exact : {true, false}) {
      SCOPED_TRACE(exact ? "exact" : "word2vec");
      // word2vec's update gives each context row all of ∂J/∂h: m times the exact share.
      const double context_factor = exact ? 1.0 : static_cast<double>(kContext.size());
      ExpectFastStepMatches(input_vectors, Scaled(reference.grad_center_vectors, context_factor),
                            outside_vectors, reference.grad_outside_vectors, reference.loss,
                            stride, lr, [&](FloatMatrix& fast_inputs, FloatMatrix& fast_outside) {
                              CbowScratch scratch;
                              return CbowStep(fast_inputs.view, kContext, fast_outside.view,
                                              targets, lr, exact, scratch);
                            });
    }
  }
}

TEST(CbowStepTest, HierarchicalSoftmaxIsAnSgdStepOnTheReferenceGradient) {
  Rng rng(3);
  const HuffmanTree tree = RandomTree(rng);
  const HierarchicalSoftmaxTargets planner(tree);
  for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{7, 16}, {100, 112}}) {
    for (int32_t center : {0, 12, 29}) {
      const DenseMatrix input_vectors = RandomMatrix(kVocab, dim, rng, 0.5);
      const DenseMatrix inner_vectors = RandomMatrix(tree.inner_nodes(), dim, rng, 0.5);
      const WindowGradients reference = CbowHierarchicalSoftmax(
          tree.nodes(center), tree.codes(center), kContext, input_vectors, inner_vectors);
      LogisticTargets targets;
      planner.Plan(center, rng, targets);
      const float lr = 0.1f;
      for (const bool exact : {true, false}) {
        const double context_factor = exact ? 1.0 : static_cast<double>(kContext.size());
        ExpectFastStepMatches(input_vectors, Scaled(reference.grad_center_vectors, context_factor),
                              inner_vectors, reference.grad_outside_vectors, reference.loss,
                              stride, lr, [&](FloatMatrix& fast_inputs, FloatMatrix& fast_inner) {
                                CbowScratch scratch;
                                return CbowStep(fast_inputs.view, kContext, fast_inner.view,
                                                targets, lr, exact, scratch);
                              });
      }
    }
  }
}

// Every leaf's probability, Π_l σ(±u_nᵀh) over its path, sums to one over the vocabulary: the
// tree's inner nodes split each subtree's probability between its two children.
TEST(CbowStepTest, TheTreesProbabilitiesSumToOne) {
  Rng rng(4);
  const HuffmanTree tree = RandomTree(rng);
  const DenseMatrix inner_vectors = RandomMatrix(tree.inner_nodes(), 6, rng, 2.0);
  const DenseMatrix hidden = RandomMatrix(1, 6, rng, 2.0);
  double total = 0;
  for (int32_t w = 0; w < kVocab; ++w) {
    total += std::exp(
        -HierarchicalSoftmaxLossAndGradient(hidden.row(0), tree.nodes(w), tree.codes(w),
                                            inner_vectors)
             .loss);
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

}  // namespace
}  // namespace w2v::core
