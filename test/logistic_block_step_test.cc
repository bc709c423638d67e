// core/logistic_block_step.h: the block step is one SGD step on the sum of its window's
// reference gradients at every shape, its σ (core/simd.h's) is accurate everywhere, and its
// update is the gradient of the loss it returns.
#include "core/logistic_block_step.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "core/gradcheck.h"
#include "core/huffman_tree.h"
#include "core/logistic_targets.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "core/sigmoid.h"
#include "core/simd.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

using simd::SigmoidAndLoss;

// Negative sampling's targets: the first the true one, the rest negatives drawn counts[t − 1] times.
LogisticTargets SampledTargets(const std::vector<int32_t>& rows, const std::vector<float>& counts) {
  LogisticTargets targets;
  for (size_t t = 0; t < rows.size(); ++t) {
    targets.Add(rows[t], t == 0 ? 1.0f : 0.0f, t == 0 ? 1.0f : counts[t - 1]);
  }
  return targets;
}

// The block step on the window {inputs} → targets[0] with the negatives shared, against the
// reference: Σ over the inputs of the pair gradient, all taken at the same starting point.
void ExpectBlockStepMatchesReference(int64_t dim, int64_t stride, std::vector<int32_t> inputs,
                                     std::vector<int32_t> targets, std::vector<float> counts,
                                     uint64_t seed) {
  Rng rng(seed);
  const int64_t vocab = 48;
  const DenseMatrix input_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const DenseMatrix target_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  std::vector<int32_t> expanded;  // the negatives as drawn, repeats and all
  for (size_t t = 1; t < targets.size(); ++t)
    expanded.insert(expanded.end(), counts[t - 1], targets[t]);
  const float lr = 0.05f;

  DenseMatrix input_grad(vocab, dim), target_grad(vocab, dim);
  double loss = 0;
  for (int32_t input : inputs) {
    const std::span<const double> row(&input_vectors.values[input * dim], dim);
    const PairGradients g = NegSamplingLossAndGradient(row, targets[0], expanded, target_vectors);
    loss += g.loss;
    for (int64_t c = 0; c < dim; ++c) input_grad.at(input, c) += g.grad_center[c];
    for (size_t i = 0; i < target_grad.values.size(); ++i) {
      target_grad.values[i] += g.grad_outside.values[i];
    }
  }

  ExpectFastStepMatches(input_vectors, input_grad, target_vectors, target_grad, loss, stride, lr,
                        [&](FloatMatrix& fast_inputs, FloatMatrix& fast_targets) {
                          BlockScratch scratch;
                          return LogisticBlockStep(fast_inputs.view, inputs, fast_targets.view,
                                                   SampledTargets(targets, counts), lr, scratch);
                        });
}

// 3 twice among the inputs: both updates add up. Targets: the true one, then negatives.
const std::vector<int32_t> kSevenInputs = {1, 3, 3, 8, 0, 11, 4};
const std::vector<int32_t> kSixTargets = {4, 2, 5, 7, 9, 1};
const std::vector<float> kFiveCounts = {2, 1, 3, 1, 1};

TEST(BlockStepTest, IsAnSgdStepOnTheReferenceGradientOfTheWindow) {
  for (const auto& [dim, stride] :
       {std::pair<int64_t, int64_t>{7, 16}, {16, 16}, {37, 48}, {100, 112}}) {
    // One chunk with padding and without, three chunks, text8's shape.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, kSixTargets, kFiveCounts, dim);
  }
}

// Inputs drawn from the vocabulary (repeats likely once there are many).
std::vector<int32_t> RandomInputs(int64_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> inputs(count);
  for (auto& input : inputs) input = static_cast<int32_t>(rng.Below(48));
  return inputs;
}

TEST(BlockStepTest, MatchesTheReferenceAtEveryShape) {
  for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{7, 16}, {37, 48}, {100, 112}}) {
    SCOPED_TRACE(::testing::Message() << "dim " << dim);
    // One input (a window of one word): one lane of the first chunk.
    ExpectBlockStepMatchesReference(dim, stride, {5}, kSixTargets, kFiveCounts, 1);
    // 16 inputs fill the first lane chunk; 17 and 33 spill into a second and a third, masked.
    for (int64_t b : {16, 17, 33}) {
      ExpectBlockStepMatchesReference(dim, stride, RandomInputs(b, b), kSixTargets, kFiveCounts, b);
    }
    // A single target: every negative was the center and dropped.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, {4}, {}, 2);
    // A negative drawn many times and a single distinct negative.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, {4, 30}, {15}, 3);
    // Many distinct negatives (a second tile row of targets) with repeats among them.
    std::vector<int32_t> targets = {47};
    std::vector<float> counts;
    for (int32_t t = 0; t < 25; ++t) {
      targets.push_back(t);
      counts.push_back(static_cast<float>(1 + t % 3));
    }
    ExpectBlockStepMatchesReference(dim, stride, RandomInputs(19, 4), targets, counts, 4);
  }
}

// Hierarchical softmax in the block shape: the window's context rows against the centre's path
// in the Huffman tree, labels from the code bits, is one SGD step on the reference gradient.
TEST(BlockStepTest, HierarchicalSoftmaxIsAnSgdStepOnTheReferenceGradient) {
  Rng rng(21);
  const int64_t vocab = 40;
  std::vector<int64_t> counts(vocab);
  for (int64_t& c : counts) c = 1 + rng.Below(5000);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  const HuffmanTree tree(counts);
  const HierarchicalSoftmaxTargets planner(tree);
  for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{7, 16}, {37, 48}, {100, 112}}) {
    for (int32_t center : {0, 17, 39}) {  // a short path, a middling one, the longest
      const DenseMatrix input_vectors = RandomMatrix(vocab, dim, rng, 0.5);
      const DenseMatrix inner_vectors = RandomMatrix(tree.inner_nodes(), dim, rng, 0.5);
      std::vector<int32_t> inputs(9);
      for (int32_t& input : inputs) input = static_cast<int32_t>(rng.Below(vocab));
      const WindowGradients reference = SkipGramHierarchicalSoftmax(
          tree.nodes(center), tree.codes(center), inputs, input_vectors, inner_vectors);
      LogisticTargets targets;
      planner.Plan(center, rng, targets);
      ASSERT_EQ(targets.rows.size(), tree.nodes(center).size());
      const float lr = 0.05f;
      ExpectFastStepMatches(input_vectors, reference.grad_center_vectors, inner_vectors,
                            reference.grad_outside_vectors, reference.loss, stride, lr,
                            [&](FloatMatrix& fast_inputs, FloatMatrix& fast_inner) {
                              BlockScratch scratch;
                              return LogisticBlockStep(fast_inputs.view, inputs, fast_inner.view,
                                                       targets, lr, scratch);
                            });
    }
  }
}

TEST(BlockStepTest, SigmoidAndLossAreAccurateEverywhere) {
  for (double x = -120; x <= 120; x += 0.01) {
    float sigmoid, minus_log_sigmoid;
    SigmoidAndLoss(static_cast<float>(x), &sigmoid, &minus_log_sigmoid);
    const double xf = static_cast<float>(x);
    const double exact_sigmoid = 1 / (1 + std::exp(-xf));
    const double exact_loss = -LogSigmoid(xf);
    ASSERT_NEAR(sigmoid, exact_sigmoid, 2e-7 + 1e-6 * exact_sigmoid) << x;
    ASSERT_NEAR(minus_log_sigmoid, exact_loss, 2e-7 + 1e-6 * exact_loss) << x;
  }
}

TEST(BlockStepTest, GradientChecksOnItsOwnLoss) {
  // The step's update with lr = 1 is minus the gradient of the loss it returns; check it against
  // centered differences of that loss (float, so a looser step and tolerance than in double).
  Rng rng(11);
  const int64_t vocab = 6, dim = 5, stride = 16;
  const std::vector<int32_t> inputs = {0, 2, 2};
  const std::vector<int32_t> targets = {1, 3, 4};
  const std::vector<float> counts = {2, 1};
  const DenseMatrix start = RandomMatrix(2 * vocab, dim, rng, 0.5);
  auto run = [&](std::span<const double> x, bool update, std::vector<double>* grad) {
    DenseMatrix in(vocab, dim), out(vocab, dim);
    std::copy(x.begin(), x.begin() + vocab * dim, in.values.begin());
    std::copy(x.begin() + vocab * dim, x.end(), out.values.begin());
    FloatMatrix fin(in, stride), fout(out, stride);
    BlockScratch scratch;
    const double loss = LogisticBlockStep(fin.view, inputs, fout.view,
                                          SampledTargets(targets, counts), update ? 1.0f : 0.0f,
                                          scratch);
    if (grad != nullptr) {
      for (int64_t r = 0; r < vocab; ++r) {
        for (int64_t c = 0; c < dim; ++c) {
          (*grad)[r * dim + c] = in.at(r, c) - fin.view.row(r)[c];
          (*grad)[(vocab + r) * dim + c] = out.at(r, c) - fout.view.row(r)[c];
        }
      }
    }
    return loss;
  };
  const GradCheckResult result = GradCheck(
      [&](std::span<const double> x, std::span<double> grad) {
        std::vector<double> g(x.size());
        const double loss = run(x, true, &g);
        std::copy(g.begin(), g.end(), grad.begin());
        return loss;
      },
      start.values, 1e-2, 2e-3);
  EXPECT_TRUE(result.passed) << "worst relative error " << result.max_relative_error << " at "
                             << result.worst_index;
}
}  // namespace
}  // namespace w2v::core
