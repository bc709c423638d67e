// The sentence trainers, one file each, as SentenceTrainerFactory builds them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/embedding_store.h"
#include "core/logistic_targets.h"
#include "core/random.h"
#include "core/samplers.h"
#include "trainer/sentence_trainer.h"

namespace w2v::trainer {

// The context of center i: the words within a window drawn uniform in [1, window] (DrawWindow), as
// word2vec shrinks it. One draw per center, even when the context turns out empty.
inline void DrawContext(std::span<const int32_t> sentence, int64_t i, int32_t window,
                        core::Rng& rng, std::vector<int32_t>& context) {
  const auto n = static_cast<int64_t>(sentence.size());
  const int32_t reach = core::DrawWindow(window, rng);
  const int64_t first = std::max<int64_t>(0, i - reach);
  const int64_t last = std::min(n - 1, i + reach);
  // Sized once and written through a pointer: a push_back per word kept the vector's end in
  // memory, stored and compared with the capacity at every word.
  context.resize(static_cast<size_t>(last - first));
  int32_t* out = context.data();
  for (int64_t j = first; j < i; ++j) *out++ = sentence[j];
  for (int64_t j = i + 1; j <= last; ++j) *out++ = sentence[j];
}

// Skip-gram with negative sampling or hierarchical softmax, HogBatch blocks
// (core/logistic_block_step.h): window_trainer.cc.
// Rows of the second matrix that every window writes, trained in a copy per worker
// (core/hot_rows.h); count 0: none.
struct HotRowRange {
  int64_t first = 0;
  int64_t count = 0;
};

std::unique_ptr<SentenceTrainer> MakeBlockTrainer(core::EmbeddingStore& store, int32_t window,
                                                  const core::TargetPlanner& planner,
                                                  HotRowRange hot);
// CBOW with negative sampling or hierarchical softmax (core/cbow_step.h): window_trainer.cc.
std::unique_ptr<SentenceTrainer> MakeCbowTrainer(core::EmbeddingStore& store, int32_t window,
                                                 const core::TargetPlanner& planner,
                                                 bool exact_gradient, HotRowRange hot);
// Skip-gram with the naive softmax, `batch` windows per pass over U: softmax_batch_trainer.cc.
std::unique_ptr<SentenceTrainer> MakeSoftmaxBatchTrainer(core::EmbeddingStore& store,
                                                         int32_t window, int64_t batch);
// The assignment's step, each outside word with its own K negatives:
// pairwise_neg_sampling_trainer.cc.
std::unique_ptr<SentenceTrainer> MakePairwiseNegSamplingTrainer(core::EmbeddingStore& store,
                                                                int32_t window, int32_t negatives,
                                                                const core::AliasSampler& noise);
// The assignment's naive-softmax step, one window at a time: pairwise_softmax_trainer.cc.
std::unique_ptr<SentenceTrainer> MakePairwiseSoftmaxTrainer(core::EmbeddingStore& store,
                                                            int32_t window);

}  // namespace w2v::trainer
