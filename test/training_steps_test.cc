// core/training_steps.h: each pairwise step is one SGD step on the reference gradient.
#include "core/training_steps.h"

#include <cstdint>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

TEST(TrainingStepTest, NegSamplingWindowStepIsAnSgdStepOnTheReferenceGradient) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    Rng rng(seed);
    const int64_t vocab = 9, dim = 7;
    const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng);
    const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng);
    const std::vector<int32_t> window = {1, 3, 3, 8};
    // Repeats within a pair and across pairs, and a negative that is another pair's true word.
    const std::vector<int32_t> negatives = {2, 2, 5, 1, 4, 6, 7, 7, 7, 0, 3, 5};
    const float lr = 0.05f;
    const WindowGradients reference =
        SkipGramNegSampling(4, window, negatives, 3, center_vectors, outside_vectors);

    FloatMatrix fast_center(center_vectors, 16), fast_outside(outside_vectors, 16);
    StepScratch scratch;
    const double loss = NegSamplingWindowStep(fast_center.view.row(4), fast_outside.view, window,
                                              negatives, 3, lr, scratch);
    EXPECT_NEAR(loss, reference.loss, 1e-5 * reference.loss);
    ExpectMatchesSgdStep(fast_center, center_vectors, reference.grad_center_vectors, lr);
    ExpectMatchesSgdStep(fast_outside, outside_vectors, reference.grad_outside_vectors, lr);
  }
}

TEST(TrainingStepTest, NaiveSoftmaxWindowStepIsAnSgdStepOnTheReferenceGradient) {
  for (uint64_t seed : {5, 6, 7}) {
    Rng rng(seed);
    const int64_t vocab = 11, dim = 5;
    const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng);
    const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng);
    const std::vector<int32_t> window = {0, 2, 2, 10, 6};
    const float lr = 0.1f;
    const WindowGradients reference =
        SkipGramNaiveSoftmax(6, window, center_vectors, outside_vectors);

    FloatMatrix fast_center(center_vectors, 16), fast_outside(outside_vectors, 16);
    StepScratch scratch;
    const double loss =
        NaiveSoftmaxWindowStep(fast_center.view.row(6), fast_outside.view, window, lr, scratch);
    EXPECT_NEAR(loss, reference.loss, 1e-5 * reference.loss);
    ExpectMatchesSgdStep(fast_center, center_vectors, reference.grad_center_vectors, lr);
    ExpectMatchesSgdStep(fast_outside, outside_vectors, reference.grad_outside_vectors, lr);
  }
}
}  // namespace
}  // namespace w2v::core
