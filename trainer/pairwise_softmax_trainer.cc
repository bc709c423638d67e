// The assignment's naive-softmax step (core/training_steps.h): one window at a time, one pass over
// U shared by the window's outside words.
#include "core/training_steps.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

class PairwiseSoftmaxTrainer final : public SentenceTrainer {
 public:
  PairwiseSoftmaxTrainer(core::EmbeddingStore& store, int32_t window)
      : centers_(store.center()), outside_(store.outside()), window_(window) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    for (int64_t i = 0; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, context_);
      if (context_.empty()) continue;
      const double loss = core::NaiveSoftmaxWindowStep(centers_.row(sentence[i]), outside_,
                                                       context_, observer.lr(), scratch_);
      observer.Trained(loss, 1, static_cast<int64_t>(context_.size()));
    }
  }

 private:
  const core::MatrixView centers_, outside_;
  const int32_t window_;
  core::StepScratch scratch_;
  std::vector<int32_t> context_;
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakePairwiseSoftmaxTrainer(core::EmbeddingStore& store,
                                                            int32_t window) {
  return std::make_unique<PairwiseSoftmaxTrainer>(store, window);
}

}  // namespace w2v::trainer
