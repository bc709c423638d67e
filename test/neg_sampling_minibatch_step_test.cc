// core/neg_sampling_minibatch_step.h: a batch's update is one SGD step of −scale times the sum of
// its windows' reference gradients, all taken at the point the batch started from, and it does not
// depend on the order the gradients were computed in.
#include "core/neg_sampling_minibatch_step.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

constexpr int32_t kNegatives = 3;

MinibatchWindow Window(int32_t center, std::vector<int32_t> outside,
                       std::vector<int32_t> negatives) {
  MinibatchWindow w;
  w.center = center;
  w.outside = std::move(outside);
  w.negatives = std::move(negatives);
  return w;
}

// Windows that share rows every way a batch can: one centre twice, a centre that is another
// window's outside word and negative, an outside word repeated within a window, and a negative
// equal to its own window's centre.
std::vector<MinibatchWindow> SharingWindows() {
  return {Window(4, {1, 3, 3}, {2, 2, 5, 1, 4, 6, 7, 7, 7}),
          Window(4, {0, 8}, {3, 5, 4, 4, 1, 2}),
          Window(3, {4, 2}, {4, 0, 6, 8, 8, 1})};
}

TEST(MinibatchStepTest, OneWindowIsAnSgdStepOnTheReferenceGradient) {
  for (uint64_t seed : {1, 2, 3}) {
    Rng rng(seed);
    const DenseMatrix center_vectors = RandomMatrix(9, 7, rng);
    const DenseMatrix outside_vectors = RandomMatrix(9, 7, rng);
    std::vector<MinibatchWindow> windows = {SharingWindows().front()};
    const WindowGradients reference =
        SkipGramNegSampling(windows[0].center, windows[0].outside, windows[0].negatives,
                            kNegatives, center_vectors, outside_vectors);
    FloatMatrix centers(center_vectors, 16), outside(outside_vectors, 16);
    NegSamplingWindowGradient(centers.view, outside.view, kNegatives, windows[0]);
    EXPECT_NEAR(windows[0].loss, reference.loss, 1e-5 * reference.loss);
    for (int64_t c = 0; c < 7; ++c) {
      EXPECT_NEAR(windows[0].center_grad[c], reference.grad_center_vectors.at(4, c), 1e-5);
    }
    const float lr = 0.2f;
    ApplyMinibatch(centers.view, outside.view, windows, kNegatives, lr);
    ExpectMatchesSgdStep(centers, center_vectors, reference.grad_center_vectors, lr);
    ExpectMatchesSgdStep(outside, outside_vectors, reference.grad_outside_vectors, lr);
  }
}

TEST(MinibatchStepTest, ABatchStepsOnTheSumOfItsWindowsGradientsAtOnePoint) {
  Rng rng(11);
  const DenseMatrix center_vectors = RandomMatrix(9, 7, rng);
  const DenseMatrix outside_vectors = RandomMatrix(9, 7, rng);
  std::vector<MinibatchWindow> windows = SharingWindows();
  DenseMatrix grad_center(9, 7), grad_outside(9, 7);
  double loss = 0;
  for (const MinibatchWindow& w : windows) {
    const WindowGradients g = SkipGramNegSampling(w.center, w.outside, w.negatives, kNegatives,
                                                  center_vectors, outside_vectors);
    loss += g.loss;
    for (size_t i = 0; i < grad_center.values.size(); ++i) {
      grad_center.values[i] += g.grad_center_vectors.values[i];
      grad_outside.values[i] += g.grad_outside_vectors.values[i];
    }
  }
  FloatMatrix centers(center_vectors, 16), outside(outside_vectors, 16);
  double fast_loss = 0;
  for (MinibatchWindow& w : windows) {
    NegSamplingWindowGradient(centers.view, outside.view, kNegatives, w);
    fast_loss += w.loss;
  }
  EXPECT_NEAR(fast_loss, loss, 1e-5 * loss);
  // The assignment's average over the batch: lr / B.
  const float scale = 0.3f / static_cast<float>(windows.size());
  ApplyMinibatch(centers.view, outside.view, windows, kNegatives, scale);
  ExpectMatchesSgdStep(centers, center_vectors, grad_center, scale);
  ExpectMatchesSgdStep(outside, outside_vectors, grad_outside, scale);
}

TEST(MinibatchStepTest, TheOrderTheGradientsAreComputedInChangesNoBit) {
  Rng rng(12);
  const DenseMatrix center_vectors = RandomMatrix(9, 7, rng);
  const DenseMatrix outside_vectors = RandomMatrix(9, 7, rng);
  FloatMatrix centers_a(center_vectors, 16), outside_a(outside_vectors, 16);
  FloatMatrix centers_b(center_vectors, 16), outside_b(outside_vectors, 16);
  std::vector<MinibatchWindow> forward = SharingWindows(), backward = SharingWindows();
  for (MinibatchWindow& w : forward) {
    NegSamplingWindowGradient(centers_a.view, outside_a.view, kNegatives, w);
  }
  for (auto w = backward.rbegin(); w != backward.rend(); ++w) {
    NegSamplingWindowGradient(centers_b.view, outside_b.view, kNegatives, *w);
  }
  ApplyMinibatch(centers_a.view, outside_a.view, forward, kNegatives, 0.1f);
  ApplyMinibatch(centers_b.view, outside_b.view, backward, kNegatives, 0.1f);
  EXPECT_EQ(centers_a.values, centers_b.values);
  EXPECT_EQ(outside_a.values, outside_b.values);
  EXPECT_NE(centers_a.values, FloatMatrix(center_vectors, 16).values);  // it did move
}

// Scores far past σ's saturation keep a finite loss and a coefficient that is exactly what is
// left of σ(−x), not 1 − σ(x) rounded to zero.
TEST(MinibatchStepTest, SaturatedScoresKeepTheirSmallCoefficients) {
  DenseMatrix center_vectors(2, 1), outside_vectors(2, 1);
  center_vectors.at(0, 0) = 4.0;
  outside_vectors.at(1, 0) = 3.0;  // score 12 for the outside word: σ(−12) ≈ 6.1e-6
  FloatMatrix centers(center_vectors, 16), outside(outside_vectors, 16);
  MinibatchWindow w = Window(0, {1}, {0});
  NegSamplingWindowGradient(centers.view, outside.view, /*negatives=*/1, w);
  const double expected = -1.0 / (1.0 + std::exp(12.0));
  EXPECT_NEAR(w.coefficients[0], expected, 1e-6 * std::abs(expected));
  EXPECT_NEAR(w.loss, std::log1p(std::exp(-12.0)) + std::log(2.0), 1e-6);
}

}  // namespace
}  // namespace w2v::core
