// The trainers that pair a window's context with the centre's targets (core/logistic_targets.h: the
// centre's row and K negatives shared by the window, or the inner nodes of its path):
// - skip-gram in HogBatch blocks: the context rows (of V) against the targets, one block step per
//   centre (core/logistic_block_step.h);
// - CBOW: the mean of the context rows against the targets, one CBOW step per centre
//   (core/cbow_step.h).
// Both plan the next window while this one computes, so that its rows can be prefetched
// (core/logistic_block_step.h's PrefetchRows, before each step); the draws keep their order, so
// planning ahead changes no result. Under hierarchical softmax the inner nodes nearest the root,
// which nearly every window writes, are trained in a copy of the worker's own (core/hot_rows.h),
// folded into the shared rows every kWindowsPerFold windows and at the end of each sentence, so
// that between sentences nothing is in flight.
#include "core/cbow_step.h"
#include "core/hot_rows.h"
#include "core/logistic_block_step.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

enum class Step { kSkipGramBlock, kCbow, kCbowExactGradient };

// Between two folds a worker's hot rows miss the other workers' updates. Measured on text8 at two
// threads (31 hot rows): every 16 windows the folds themselves cost a fifth of the time; every 64
// was the fastest (every 256 or 1,024 no faster), and it keeps the lag to a few dozen windows.
constexpr int kWindowsPerFold = 64;

class WindowTrainer final : public SentenceTrainer {
 public:
  WindowTrainer(core::EmbeddingStore& store, int32_t window, const core::TargetPlanner& planner,
                Step step, HotRowRange hot)
      : inputs_(store.center()),
        targets_(store.outside()),
        window_(window),
        planner_(planner),
        step_(step),
        hot_(targets_, hot.first, hot.count) {}

  void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) override {
    const auto n = static_cast<int64_t>(sentence.size());
    int current = 0;
    for (int64_t i = PlanNextWindow(sentence, 0, rng, planned_[current]); i < n;) {
      // Ask for the next window's rows while this one computes: most of them are not in cache.
      const int64_t next = PlanNextWindow(sentence, i + 1, rng, planned_[1 - current]);
      // And the noise columns of the window after it, whose draws follow its window draw (a
      // guess: a redraw shifts them, and after a sentence's last window they are the next
      // sentence's business).
      core::Rng after_window_draw = rng;
      core::DrawWindow(window_, after_window_draw);
      planner_.Prefetch(after_window_draw);
      // The targets where they will be trained: a hot row's own copy rather than the shared row,
      // which the other workers fold into.
      if (next < n) {
        const Window& ahead = planned_[1 - current];
        core::PrefetchRows(inputs_, ahead.context);
        for (size_t t = 0; t < ahead.targets.rows.size(); ++t) {
          core::PrefetchRow(ahead.targets.row(targets_, t), targets_.stride);
        }
      }
      Window& window = planned_[current];
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
      if (hot_.size() > 0 && ++windows_since_fold_ == kWindowsPerFold) Fold();
    }
    if (hot_.size() > 0) Fold();
  }

 private:
  // One center's step, drawn ahead of time so that its rows can be prefetched.
  struct Window {
    std::vector<int32_t> context;  // rows of V
    core::LogisticTargets targets;
  };

  // Plans the first center at or after `i` with a non-empty context into `plan`, its targets
  // pointed at this worker's hot copies where it has them; returns its index, or the sentence's
  // length when none is left. The draws happen in the same order as if each window were drawn just
  // before its step.
  int64_t PlanNextWindow(std::span<const int32_t> sentence, int64_t i, core::Rng& rng,
                         Window& plan) {
    const auto n = static_cast<int64_t>(sentence.size());
    for (; i < n; ++i) {
      DrawContext(sentence, i, window_, rng, plan.context);
      if (plan.context.empty()) continue;
      planner_.Plan(sentence[i], rng, plan.targets);
      if (hot_.size() > 0) plan.targets.Redirect(targets_, hot_);
      return i;
    }
    return n;
  }

  void Fold() {
    hot_.Fold();
    windows_since_fold_ = 0;
  }

  const core::MatrixView inputs_, targets_;
  const int32_t window_;
  const core::TargetPlanner& planner_;
  const Step step_;
  core::HotRows hot_;
  int windows_since_fold_ = 0;
  core::BlockScratch block_scratch_;
  core::CbowScratch cbow_scratch_;
  Window planned_[2];  // the window being trained and the next one
};

}  // namespace

std::unique_ptr<SentenceTrainer> MakeBlockTrainer(core::EmbeddingStore& store, int32_t window,
                                                  const core::TargetPlanner& planner,
                                                  HotRowRange hot) {
  return std::make_unique<WindowTrainer>(store, window, planner, Step::kSkipGramBlock, hot);
}

std::unique_ptr<SentenceTrainer> MakeCbowTrainer(core::EmbeddingStore& store, int32_t window,
                                                 const core::TargetPlanner& planner,
                                                 bool exact_gradient, HotRowRange hot) {
  return std::make_unique<WindowTrainer>(
      store, window, planner, exact_gradient ? Step::kCbowExactGradient : Step::kCbow, hot);
}

}  // namespace w2v::trainer
