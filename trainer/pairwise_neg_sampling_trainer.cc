// The assignment's negative-sampling step (core/training_steps.h): one window at a time, each
// outside word with K negatives of its own.
#include "core/training_steps.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

class PairwiseNegSamplingTrainer final : public SentenceTrainer {
 public:
  PairwiseNegSamplingTrainer(core::EmbeddingStore& store, int32_t window, int32_t negatives,
                             const core::AliasSampler& noise)
      : centers_(store.center()),
        outside_(store.outside()),
        window_(window),
        negatives_(negatives),
        noise_(noise) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    for (int64_t i = 0; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, context_);
      if (context_.empty()) continue;
      drawn_.resize(context_.size() * negatives_);
      for (size_t o = 0; o < context_.size(); ++o) {
        for (int32_t k = 0; k < negatives_; ++k) {
          drawn_[o * negatives_ + k] = core::DrawNegative(noise_, context_[o], rng);
        }
      }
      const double loss = core::NegSamplingWindowStep(centers_.row(sentence[i]), outside_, context_,
                                                      drawn_, negatives_, observer.lr(), scratch_);
      observer.Trained(loss, 1, static_cast<int64_t>(context_.size()));
    }
  }

 private:
  const core::MatrixView centers_, outside_;
  const int32_t window_;
  const int32_t negatives_;
  const core::AliasSampler& noise_;
  core::StepScratch scratch_;
  std::vector<int32_t> context_, drawn_;
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakePairwiseNegSamplingTrainer(core::EmbeddingStore& store,
                                                                int32_t window, int32_t negatives,
                                                                const core::AliasSampler& noise) {
  return std::make_unique<PairwiseNegSamplingTrainer>(store, window, negatives, noise);
}

}  // namespace w2v::trainer
