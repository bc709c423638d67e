// Skip-gram with negative sampling in HogBatch blocks: for each center, its context rows (of V)
// against the center's row and K negatives shared by the window (of U), one block step each.
#include "core/neg_sampling_block_step.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

class BlockNegSamplingTrainer final : public SentenceTrainer {
 public:
  BlockNegSamplingTrainer(core::EmbeddingStore& store, int32_t window, int32_t negatives,
                          const core::AliasSampler& noise)
      : inputs_(store.center()),
        targets_(store.outside()),
        window_(window),
        negatives_(negatives),
        noise_(noise) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    int current = 0;
    for (int64_t i = PlanNextWindow(sentence, 0, rng, planned_[current]); i < n;) {
      // Ask for the next window's rows while this one computes: most of them are not in cache.
      const int64_t next = PlanNextWindow(sentence, i + 1, rng, planned_[1 - current]);
      if (next < n) {
        core::PrefetchRows(inputs_, planned_[1 - current].inputs);
        core::PrefetchRows(targets_, planned_[1 - current].targets);
      }
      const Window& window = planned_[current];
      const double loss =
          core::NegSamplingBlockStep(inputs_, window.inputs, targets_, window.targets,
                                     window.negative_counts, observer.lr(), scratch_);
      observer.Trained(loss, 1, static_cast<int64_t>(window.inputs.size()));
      current = 1 - current;
      i = next;
    }
  }

 private:
  // One center's block step, drawn ahead of time so that its rows can be prefetched.
  struct Window {
    std::vector<int32_t> inputs;   // the context words (rows of V)
    std::vector<int32_t> targets;  // the center, then the distinct negatives (rows of U)
    std::vector<float> negative_counts;
  };

  // Plans the first center at or after `i` with a non-empty context into `plan`; returns its index,
  // or the sentence's length when none is left. The draws happen in the same order as if each
  // window were drawn just before its step, so planning ahead changes no result.
  int64_t PlanNextWindow(std::span<const int32_t> sentence, int64_t i, core::Rng& rng,
                         Window& plan) const {
    const auto n = static_cast<int64_t>(sentence.size());
    for (; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, plan.inputs);
      if (plan.inputs.empty()) continue;
      core::DrawSharedNegatives(noise_, sentence[i], negatives_, rng, plan.targets,
                                plan.negative_counts);
      return i;
    }
    return n;
  }

  const core::MatrixView inputs_, targets_;
  const int32_t window_;
  const int32_t negatives_;
  const core::AliasSampler& noise_;
  core::BlockScratch scratch_;
  Window planned_[2];  // the window being trained and the next one
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakeBlockNegSamplingTrainer(core::EmbeddingStore& store,
                                                             int32_t window, int32_t negatives,
                                                             const core::AliasSampler& noise) {
  return std::make_unique<BlockNegSamplingTrainer>(store, window, negatives, noise);
}

}  // namespace w2v::trainer
