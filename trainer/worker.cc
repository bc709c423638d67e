#include "trainer/worker.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/block_step.h"
#include "core/lr_schedule.h"
#include "io/encoded_corpus.h"

namespace w2v::trainer {
namespace {

// Workers publish progress and refresh the learning rate this often (in vocabulary tokens), which
// keeps the shared atomics off the hot path (word2vec and fastText do the same).
constexpr int64_t kWordsPerUpdate = 10000;

class ShardTrainer {
 public:
  ShardTrainer(SharedTraining& shared, WorkerCounters& counters, uint64_t stream)
      : shared_(shared),
        config_(shared.config),
        counters_(counters),
        rng_(config_.optim.seed, stream),
        lr_(static_cast<float>(CurrentLearningRate(shared))) {}

  void Run(std::span<const int32_t> ids, io::ShardProgress& progress) {
    if (progress.state == io::ShardProgress::State::kDone) return;
    size_t position = 0;
    if (progress.state == io::ShardProgress::State::kPartial) {
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
    progress.state = io::ShardProgress::State::kDone;
  }

 private:
  // Between sentences nothing is in flight, so the worker's whole state is its position in the
  // shard, the RNG, the learning rate and the unpublished counts. Returns true when the worker must
  // stop.
  bool AtSentenceBoundary(size_t position, io::ShardProgress& progress) {
    const bool interrupted = shared_.interrupt.load(std::memory_order_relaxed);
    if (!interrupted && !shared_.parking.requested()) return false;
    Save(position, progress);
    if (interrupted) return true;
    shared_.parking.Park();
    return false;
  }

  void Save(size_t position, io::ShardProgress& progress) const {
    progress.state = io::ShardProgress::State::kPartial;
    progress.position = static_cast<int64_t>(position);
    progress.rng = rng_.state();
    progress.lr = lr_;
    progress.pending = pending_;
  }

  void Restore(const io::ShardProgress& progress) {
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
    lr_ = static_cast<float>(CurrentLearningRate(shared_));
  }

  void TrainSentence() {
    pending_.kept += static_cast<int64_t>(sentence_.size());
    if (config_.optim.kernel == io::KernelKind::kPairwise) {
      TrainSentencePairwise();
    } else if (config_.model.loss == io::LossKind::kNegativeSampling) {
      TrainSentenceInBlocks();
    } else {
      TrainSentenceInSoftmaxBatches();
    }
    sentence_.clear();
  }

  // The window of center i: its context words, as `DrawWindow` shrinks it.
  void GatherWindow(int64_t i, std::vector<int32_t>& outside) {
    const auto n = static_cast<int64_t>(sentence_.size());
    const int32_t reach = core::DrawWindow(static_cast<int32_t>(config_.model.window), rng_);
    outside.clear();
    for (int64_t j = std::max<int64_t>(0, i - reach); j <= std::min(n - 1, i + reach); ++j) {
      if (j != i) outside.push_back(sentence_[j]);
    }
  }

  // One center's block step, drawn ahead of time so that its rows can be prefetched.
  struct BlockWindow {
    std::vector<int32_t> inputs;   // the context words (rows of V)
    std::vector<int32_t> targets;  // the center, then the distinct negatives (rows of U)
    std::vector<float> negative_counts;
  };

  // Plans the first center at or after `i` with a non-empty window into `plan`; returns its index,
  // or the sentence's length when none is left. The draws happen in the same order as if each
  // window were drawn just before its step, so planning ahead changes no result.
  int64_t PlanNextWindow(int64_t i, BlockWindow& plan) {
    const auto n = static_cast<int64_t>(sentence_.size());
    for (; i < n; ++i) {
      GatherWindow(i, plan.inputs);
      if (plan.inputs.empty()) continue;
      core::DrawSharedNegatives(shared_.noise, sentence_[i], config_.model.negatives, rng_,
                                plan.targets, plan.negative_counts);
      return i;
    }
    return n;
  }

  void TrainSentenceInBlocks() {
    const auto n = static_cast<int64_t>(sentence_.size());
    const core::MatrixView inputs = shared_.store.center();
    const core::MatrixView targets = shared_.store.outside();
    int current = 0;
    for (int64_t i = PlanNextWindow(0, planned_[current]); i < n;) {
      // Ask for the next window's rows while this one computes: most of them are not in cache.
      const int64_t next = PlanNextWindow(i + 1, planned_[1 - current]);
      if (next < n) {
        core::PrefetchRows(inputs, planned_[1 - current].inputs);
        core::PrefetchRows(targets, planned_[1 - current].targets);
      }
      const BlockWindow& window = planned_[current];
      const double loss = core::NegSamplingBlockStep(inputs, window.inputs, targets, window.targets,
                                                     window.negative_counts, lr_, block_scratch_);
      CountWindows(loss, 1, static_cast<int64_t>(window.inputs.size()));
      current = 1 - current;
      i = next;
    }
  }

  // Up to softmax_batch_ windows per pass over U. A batch never outlives its sentence, so a worker
  // parks or stops with nothing in flight.
  void TrainSentenceInSoftmaxBatches() {
    const auto n = static_cast<int64_t>(sentence_.size());
    for (int64_t i = 0; i < n; ++i) {
      GatherWindow(i, outside_);
      if (outside_.empty()) continue;
      batch_centers_.push_back(sentence_[i]);
      batch_outside_.insert(batch_outside_.end(), outside_.begin(), outside_.end());
      batch_offsets_.push_back(static_cast<int32_t>(batch_outside_.size()));
      if (static_cast<int64_t>(batch_centers_.size()) == softmax_batch_) FlushSoftmaxBatch();
    }
    FlushSoftmaxBatch();
  }

  void FlushSoftmaxBatch() {
    if (batch_centers_.empty()) return;
    const double loss =
        core::NaiveSoftmaxBatchStep(shared_.store.center(), batch_centers_, shared_.store.outside(),
                                    batch_outside_, batch_offsets_, lr_, softmax_scratch_);
    CountWindows(loss, static_cast<int64_t>(batch_centers_.size()),
                 static_cast<int64_t>(batch_outside_.size()));
    batch_centers_.clear();
    batch_outside_.clear();
    batch_offsets_.assign(1, 0);
  }

  void TrainSentencePairwise() {
    const auto n = static_cast<int64_t>(sentence_.size());
    const auto negatives = static_cast<int32_t>(config_.model.negatives);
    const bool sampled = config_.model.loss == io::LossKind::kNegativeSampling;
    const core::MatrixView outside_matrix = shared_.store.outside();
    for (int64_t i = 0; i < n; ++i) {
      GatherWindow(i, outside_);
      if (outside_.empty()) continue;
      float* center_row = shared_.store.center().row(sentence_[i]);
      double loss;
      if (sampled) {
        negatives_.resize(outside_.size() * negatives);
        for (size_t o = 0; o < outside_.size(); ++o) {
          for (int32_t k = 0; k < negatives; ++k) {
            negatives_[o * negatives + k] = core::DrawNegative(shared_.noise, outside_[o], rng_);
          }
        }
        loss = core::NegSamplingWindowStep(center_row, outside_matrix, outside_, negatives_,
                                           negatives, lr_, scratch_);
      } else {
        loss = core::NaiveSoftmaxWindowStep(center_row, outside_matrix, outside_, lr_, scratch_);
      }
      CountWindows(loss, 1, static_cast<int64_t>(outside_.size()));
    }
  }

  void CountWindows(double loss, int64_t windows, int64_t pairs) {
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

  SharedTraining& shared_;
  const io::TrainConfig& config_;
  WorkerCounters& counters_;
  core::Rng rng_;
  float lr_;
  core::StepScratch scratch_;
  core::BlockScratch block_scratch_;
  BlockWindow planned_[2];  // the window being trained and the next one
  core::SoftmaxScratch softmax_scratch_;
  // A batch sums its windows' gradients taken at one point. Over a vocabulary of a few hundred
  // words every window moves the same rows, and 16 summed steps overshoot where 16 sequential ones
  // do not (a 20-word vocabulary diverged at lr 0.05), so small vocabularies get small batches: one
  // window per 1,024 words, at most 16, at least 1 (which is the sequential step).
  const int64_t softmax_batch_ =
      std::clamp<int64_t>(shared_.vocab.size() / 1024, 1, core::kSoftmaxBatch);
  // Empty between sentences (FlushSoftmaxBatch leaves it so); batch_offsets_ starts at 0.
  std::vector<int32_t> batch_centers_, batch_outside_, batch_offsets_ = {0};
  std::vector<int32_t> sentence_, outside_, negatives_;
  io::TrainingCounts pending_;  // since the last Publish()
};

}  // namespace

double CurrentLearningRate(const SharedTraining& shared) {
  const io::TrainConfig::Optim& optim = shared.config.optim;
  if (optim.schedule == io::ScheduleKind::kStep) {
    // The assignment averages the gradient over a batch of windows; applied window by window, that
    // is a step of lr / batch_windows for each.
    const int64_t iteration =
        shared.windows_done.load(std::memory_order_relaxed) / optim.batch_windows;
    return core::StepAnnealing{optim.lr, optim.step_factor, optim.step_every}.At(iteration) /
           static_cast<double>(optim.batch_windows);
  }
  const double progress =
      shared.words_total > 0
          ? static_cast<double>(shared.words_done.load(std::memory_order_relaxed)) /
                static_cast<double>(shared.words_total)
          : 0.0;
  return core::LinearDecay{optim.lr, optim.min_lr}.At(progress);
}

void TrainShard(SharedTraining& shared, std::span<const int32_t> ids, int64_t shard_index,
                int64_t epoch, io::ShardProgress& progress, WorkerCounters& counters) {
  const ParkingLotScope running(shared.parking);
  // Streams (epoch, shard) are distinct for any realistic shard count.
  const uint64_t stream = static_cast<uint64_t>(epoch) * 1'000'003ULL + shard_index;
  ShardTrainer(shared, counters, stream).Run(ids, progress);
}

}  // namespace w2v::trainer
