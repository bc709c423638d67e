// core/softmax_batch_step.h: a batch is one SGD step on the sum of its windows' reference
// gradients, at every batch size.
#include "core/softmax_batch_step.h"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

// A batch of softmax windows against the reference: the sum of each window's gradient, all taken at
// the same starting point (the assignment's minibatch).
struct SoftmaxBatch {
  std::vector<int32_t> centers, outside, offsets;
};

// Five windows; center 2 twice, outside words repeated within and across windows.
const SoftmaxBatch kFiveWindows = {
    {2, 5, 2, 0, 7}, {1, 3, 3, 0, 4, 6, 2, 1, 5, 9, 9, 8}, {0, 3, 5, 6, 9, 12}};

// `windows` windows of 1 to 10 outside words each, over the first `vocab` words.
SoftmaxBatch RandomSoftmaxBatch(int windows, int64_t vocab, uint64_t seed) {
  Rng rng(seed);
  SoftmaxBatch batch{{}, {}, {0}};
  for (int w = 0; w < windows; ++w) {
    batch.centers.push_back(static_cast<int32_t>(rng.Below(vocab)));
    for (uint32_t o = 0, n = 1 + rng.Below(10); o < n; ++o) {
      batch.outside.push_back(static_cast<int32_t>(rng.Below(vocab)));
    }
    batch.offsets.push_back(static_cast<int32_t>(batch.outside.size()));
  }
  return batch;
}

void ExpectSoftmaxBatchMatchesReference(int64_t dim, int64_t stride, int64_t vocab, uint64_t seed,
                                        const SoftmaxBatch& batch = kFiveWindows) {
  Rng rng(seed);
  const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const std::vector<int32_t>& centers = batch.centers;
  const std::vector<int32_t>& outside = batch.outside;
  const std::vector<int32_t>& offsets = batch.offsets;
  const float lr = 0.05f;

  DenseMatrix center_grad(vocab, dim), outside_grad(vocab, dim);
  double loss = 0;
  for (size_t c = 0; c < centers.size(); ++c) {
    const std::span<const int32_t> window(outside.data() + offsets[c], offsets[c + 1] - offsets[c]);
    const WindowGradients g =
        SkipGramNaiveSoftmax(centers[c], window, center_vectors, outside_vectors);
    loss += g.loss;
    for (size_t i = 0; i < center_grad.values.size(); ++i) {
      center_grad.values[i] += g.grad_center_vectors.values[i];
      outside_grad.values[i] += g.grad_outside_vectors.values[i];
    }
  }

  ExpectFastStepMatches(center_vectors, center_grad, outside_vectors, outside_grad, loss, stride,
                        lr, [&](FloatMatrix& fast_center, FloatMatrix& fast_outside) {
                          SoftmaxScratch scratch;
                          return NaiveSoftmaxBatchStep(fast_center.view, centers, fast_outside.view,
                                                       outside, offsets, lr, scratch);
                        });
}

TEST(SoftmaxBatchTest, IsAnSgdStepOnTheReferenceGradientOfTheBatch) {
  ExpectSoftmaxBatchMatchesReference(10, 16, 12, 1);  // SST's dimension
  ExpectSoftmaxBatchMatchesReference(37, 48, 15, 2);  // several chunks
  ExpectSoftmaxBatchMatchesReference(16, 16, 40, 3);  // no padding
}

TEST(SoftmaxBatchTest, MatchesTheReferenceAtEveryBatchSize) {
  // One window (the sequential step), a full batch of 16 (every lane), and the sizes between.
  for (int windows : {1, 2, 7, 15, 16}) {
    for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{10, 16}, {37, 48}}) {
      SCOPED_TRACE(::testing::Message() << windows << " windows, dim " << dim);
      ExpectSoftmaxBatchMatchesReference(dim, stride, 60, windows,
                                         RandomSoftmaxBatch(windows, 60, windows));
    }
  }
}
}  // namespace
}  // namespace w2v::core
