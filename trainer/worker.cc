#include "trainer/worker.h"

#include <cmath>
#include <stdexcept>

#include "core/lr_schedule.h"
#include "io/encoded_corpus.h"

namespace w2v::trainer {
namespace {

// Workers publish progress and refresh the learning rate this often (in vocabulary tokens), which
// keeps the shared atomics off the hot path (word2vec and fastText do the same).
constexpr int64_t kWordsPerUpdate = 10000;

// How far ahead in the shard subsampling's keep-probabilities are asked for.
constexpr size_t kKeepAhead = 64;

class ShardTrainer final : public StepObserver {
 public:
  ShardTrainer(SharedTraining& shared, WorkerCounters& counters, uint64_t stream)
      : shared_(shared),
        config_(shared.config),
        counters_(counters),
        trainer_(shared.trainers.Make(shared.store)),
        rng_(config_.optim.seed, stream),
        lr_(static_cast<float>(WindowLearningRate(shared))) {}

  float lr() const override { return lr_; }

  void Trained(double loss, int64_t windows, int64_t pairs) override {
    // NaN or inf in a loss means NaN or inf in the rows it read or is about to spread: catch it at
    // the first window, before a snapshot or the outputs can take it.
    if (!std::isfinite(loss) && !shared_.diverged.exchange(true)) {
      shared_.diverged_at_words.store(shared_.words_done.load(std::memory_order_relaxed) +
                                      pending_.words);
      shared_.stop.store(true);
    }
    pending_.loss_sum += loss;
    pending_.windows += windows;
    pending_.pairs += pairs;
    // A window-limited run (the assignment's iterations) must see the step schedule move often.
    if (shared_.windows_total > 0 && pending_.windows >= config_.optim.batch_windows) Publish();
  }

  void Run(std::span<const int32_t> ids, core::ShardProgress& progress) {
    if (progress.state == core::ShardProgress::State::kDone) return;
    size_t position = 0;
    if (progress.state == core::ShardProgress::State::kPartial) {
      if (progress.position > static_cast<int64_t>(ids.size())) {
        throw std::runtime_error("the snapshot's position lies past the end of its shard");
      }
      position = static_cast<size_t>(progress.position);
      Restore(progress);
    }
    // A task that starts after an interruption leaves its shard as it was.
    if (shared_.interrupt.load(std::memory_order_relaxed)) return;
    const auto max_length = static_cast<size_t>(config_.corpus.max_sentence_length);
    std::span<const float> keep = shared_.vocab.keep_probabilities();
    while (position < ids.size()) {
      if (shared_.stop.load(std::memory_order_relaxed)) break;
      // The keep-probability of a word further on: looked up at random in the vocabulary's
      // table, where subsampling would otherwise wait for it at every word.
      if (position + kKeepAhead < ids.size()) {
        const int32_t ahead = ids[position + kKeepAhead];
        if (ahead >= 0) __builtin_prefetch(keep.data() + ahead);
      }
      const int32_t id = ids[position++];
      if (id == io::kSentenceEnd) {
        TrainSentence();
        if (AtSentenceBoundary(position, progress)) return;
        continue;
      }
      if (++pending_.words >= kWordsPerUpdate) Publish();
      if (!core::KeepToken(keep[id], rng_)) continue;
      sentence_.push_back(id);
      if (sentence_.size() >= max_length) {
        TrainSentence();
        if (AtSentenceBoundary(position, progress)) return;
      }
    }
    TrainSentence();
    Publish();
    progress = {};
    progress.state = core::ShardProgress::State::kDone;
  }

 private:
  // Between sentences nothing is in flight, so the worker's whole state is its position in the
  // shard, the RNG, the learning rate and the unpublished counts. Returns true when the worker must
  // stop.
  bool AtSentenceBoundary(size_t position, core::ShardProgress& progress) {
    const bool interrupted = shared_.interrupt.load(std::memory_order_relaxed);
    if (!interrupted && !shared_.parking.requested()) return false;
    Save(position, progress);
    if (interrupted) return true;
    shared_.parking.Park();
    return false;
  }

  void Save(size_t position, core::ShardProgress& progress) const {
    progress.state = core::ShardProgress::State::kPartial;
    progress.position = static_cast<int64_t>(position);
    progress.rng = rng_.state();
    progress.lr = lr_;
    progress.pending = pending_;
  }

  void Restore(const core::ShardProgress& progress) {
    rng_.set_state(progress.rng);
    lr_ = progress.lr;
    pending_ = progress.pending;
  }

  void Publish() {
    counters_.words.fetch_add(pending_.words, std::memory_order_relaxed);
    counters_.kept.fetch_add(pending_.kept, std::memory_order_relaxed);
    counters_.windows.fetch_add(pending_.windows, std::memory_order_relaxed);
    counters_.pairs.fetch_add(pending_.pairs, std::memory_order_relaxed);
    counters_.loss_sum.store(counters_.loss_sum.load(std::memory_order_relaxed) + pending_.loss_sum,
                             std::memory_order_relaxed);  // this worker is the only writer
    const int64_t words =
        shared_.words_done.fetch_add(pending_.words, std::memory_order_relaxed) + pending_.words;
    if (shared_.stop_after_words > 0 && words >= shared_.stop_after_words) {
      shared_.interrupt.store(true, std::memory_order_relaxed);
    }
    const int64_t windows =
        shared_.windows_done.fetch_add(pending_.windows, std::memory_order_relaxed) +
        pending_.windows;
    if (shared_.windows_total > 0 && windows >= shared_.windows_total) {
      shared_.stop.store(true, std::memory_order_relaxed);
    }
    pending_ = {};
    lr_ = static_cast<float>(WindowLearningRate(shared_));
  }

  void TrainSentence() {
    pending_.kept += static_cast<int64_t>(sentence_.size());
    trainer_->Train(sentence_, rng_, *this);
    sentence_.clear();
  }

  SharedTraining& shared_;
  const io::TrainConfig& config_;
  WorkerCounters& counters_;
  const std::unique_ptr<SentenceTrainer> trainer_;
  core::Rng rng_;
  float lr_;
  std::vector<int32_t> sentence_;
  core::TrainingCounts pending_;  // since the last Publish()
};

}  // namespace

core::TrainingCounts SumCounters(const std::vector<WorkerCounters>& counters) {
  core::TrainingCounts t;
  for (const WorkerCounters& c : counters) {
    const core::TrainingCounts counts = c.Load();
    t.loss_sum += counts.loss_sum;
    t.windows += counts.windows;
    t.pairs += counts.pairs;
    t.words += counts.words;
    t.kept += counts.kept;
  }
  return t;
}

double ScheduledLearningRate(const SharedTraining& shared) {
  const io::TrainConfig::Optim& optim = shared.config.optim;
  const int64_t windows = shared.windows_done.load(std::memory_order_relaxed);
  if (optim.schedule == io::ScheduleKind::kStep) {
    return core::StepAnnealing{optim.lr, optim.step_factor, optim.step_every}.At(
        windows / optim.batch_windows);
  }
  const double progress =
      shared.windows_total > 0
          ? static_cast<double>(windows) / static_cast<double>(shared.windows_total)
      : shared.words_total > 0
          ? static_cast<double>(shared.words_done.load(std::memory_order_relaxed)) /
                static_cast<double>(shared.words_total)
          : 0.0;
  return core::LinearDecay{optim.lr, optim.min_lr}.At(progress);
}

double WindowLearningRate(const SharedTraining& shared) {
  const io::TrainConfig::Optim& optim = shared.config.optim;
  // The assignment averages the gradient over a batch of windows; applied window by window, that
  // is a step of lr / batch_windows for each.
  return optim.schedule == io::ScheduleKind::kStep
             ? ScheduledLearningRate(shared) / static_cast<double>(optim.batch_windows)
             : ScheduledLearningRate(shared);
}

void TrainShard(SharedTraining& shared, std::span<const int32_t> ids, int64_t shard_index,
                int64_t epoch, core::ShardProgress& progress, WorkerCounters& counters) {
  const ParkingLotScope running(shared.parking);
  // Streams (epoch, shard) are distinct for any realistic shard count.
  const uint64_t stream = static_cast<uint64_t>(epoch) * 1'000'003ULL + shard_index;
  ShardTrainer(shared, counters, stream).Run(ids, progress);
}

}  // namespace w2v::trainer
