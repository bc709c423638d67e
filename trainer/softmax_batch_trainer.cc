// Skip-gram with the naive softmax, up to `batch` windows per pass over U
// (core/softmax_batch_step.h's NaiveSoftmaxBatchStep). A batch never outlives its sentence, so a
// worker parks or stops with nothing in flight.
#include "core/softmax_batch_step.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

class SoftmaxBatchTrainer final : public SentenceTrainer {
 public:
  SoftmaxBatchTrainer(core::EmbeddingStore& store, int32_t window, int64_t batch)
      : centers_(store.center()), outside_(store.outside()), window_(window), batch_(batch) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    for (int64_t i = 0; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, context_);
      if (context_.empty()) continue;
      batch_centers_.push_back(sentence[i]);
      batch_outside_.insert(batch_outside_.end(), context_.begin(), context_.end());
      batch_offsets_.push_back(static_cast<int32_t>(batch_outside_.size()));
      if (static_cast<int64_t>(batch_centers_.size()) == batch_) Flush(observer);
    }
    Flush(observer);
  }

 private:
  void Flush(StepObserver& observer) {
    if (batch_centers_.empty()) return;
    const double loss =
        core::NaiveSoftmaxBatchStep(centers_, batch_centers_, outside_, batch_outside_,
                                    batch_offsets_, observer.lr(), scratch_);
    observer.Trained(loss, static_cast<int64_t>(batch_centers_.size()),
                     static_cast<int64_t>(batch_outside_.size()));
    batch_centers_.clear();
    batch_outside_.clear();
    batch_offsets_.assign(1, 0);
  }

  const core::MatrixView centers_, outside_;
  const int32_t window_;
  const int64_t batch_;
  core::SoftmaxScratch scratch_;
  std::vector<int32_t> context_;
  // Empty between sentences (Flush leaves it so); batch_offsets_ starts at 0.
  std::vector<int32_t> batch_centers_, batch_outside_, batch_offsets_ = {0};
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakeSoftmaxBatchTrainer(core::EmbeddingStore& store,
                                                         int32_t window, int64_t batch) {
  return std::make_unique<SoftmaxBatchTrainer>(store, window, batch);
}

}  // namespace w2v::trainer
