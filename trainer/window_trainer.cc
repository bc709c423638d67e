// The trainers that pair a window's context with the centre's targets (core/logistic_targets.h: the
// centre's row and K negatives shared by the window, or the inner nodes of its path):
// - skip-gram in HogBatch blocks: the context rows (of V) against the targets, one block step per
//   centre (core/logistic_block_step.h);
// - CBOW: the mean of the context rows against the targets, one CBOW step per centre
//   (core/cbow_step.h).
// Both plan the next window while this one computes, so that its rows can be prefetched; the
// draws keep their order, so planning ahead changes no result.
#include "core/cbow_step.h"
#include "core/logistic_block_step.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

enum class Step { kSkipGramBlock, kCbow, kCbowExactGradient };

class WindowTrainer final : public SentenceTrainer {
 public:
  WindowTrainer(core::EmbeddingStore& store, int32_t window, const core::TargetPlanner& planner,
                Step step)
      : inputs_(store.center()),
        targets_(store.outside()),
        window_(window),
        planner_(planner),
        step_(step) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    int current = 0;
    for (int64_t i = PlanNextWindow(sentence, 0, rng, planned_[current]); i < n;) {
      // Ask for the next window's rows while this one computes: most of them are not in cache.
      const int64_t next = PlanNextWindow(sentence, i + 1, rng, planned_[1 - current]);
      if (next < n) {
        core::PrefetchRows(inputs_, planned_[1 - current].context);
        core::PrefetchRows(targets_, planned_[1 - current].targets.rows);
      }
      const Window& window = planned_[current];
      const double loss =
          step_ == Step::kSkipGramBlock
              ? core::LogisticBlockStep(inputs_, window.context, targets_, window.targets,
                                        observer.lr(), block_scratch_)
              : core::CbowStep(inputs_, window.context, targets_, window.targets, observer.lr(),
                               step_ == Step::kCbowExactGradient, cbow_scratch_);
      // A skip-gram window is one prediction per context word; a CBOW window is one prediction.
      observer.Trained(loss, 1,
                       step_ == Step::kSkipGramBlock ? static_cast<int64_t>(window.context.size())
                                                     : 1);
      current = 1 - current;
      i = next;
    }
  }

 private:
  // One center's step, drawn ahead of time so that its rows can be prefetched.
  struct Window {
    std::vector<int32_t> context;  // rows of V
    core::LogisticTargets targets;
  };

  // Plans the first center at or after `i` with a non-empty context into `plan`; returns its index,
  // or the sentence's length when none is left. The draws happen in the same order as if each
  // window were drawn just before its step.
  int64_t PlanNextWindow(std::span<const int32_t> sentence, int64_t i, core::Rng& rng,
                         Window& plan) const {
    const auto n = static_cast<int64_t>(sentence.size());
    for (; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, plan.context);
      if (plan.context.empty()) continue;
      planner_.Plan(sentence[i], rng, plan.targets);
      return i;
    }
    return n;
  }

  const core::MatrixView inputs_, targets_;
  const int32_t window_;
  const core::TargetPlanner& planner_;
  const Step step_;
  core::BlockScratch block_scratch_;
  core::CbowScratch cbow_scratch_;
  Window planned_[2];  // the window being trained and the next one
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakeBlockTrainer(core::EmbeddingStore& store, int32_t window,
                                                  const core::TargetPlanner& planner) {
  return std::make_unique<WindowTrainer>(store, window, planner, Step::kSkipGramBlock);
}

std::unique_ptr<SentenceTrainer> MakeCbowTrainer(core::EmbeddingStore& store, int32_t window,
                                                 const core::TargetPlanner& planner,
                                                 bool exact_gradient) {
  return std::make_unique<WindowTrainer>(store, window, planner,
                                         exact_gradient ? Step::kCbowExactGradient : Step::kCbow);
}

}  // namespace w2v::trainer
