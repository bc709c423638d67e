#include "trainer/worker.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/lr_schedule.h"

namespace w2v::trainer {
namespace {

// Workers publish progress and refresh the learning rate this often (in vocabulary tokens), which
// keeps the shared atomics off the hot path (word2vec and fastText do the same).
constexpr int64_t kWordsPerUpdate = 10000;

// Redraws of a negative that hit the true outside word before it is let through; only a vocabulary
// of one or two words ever needs more than one.
constexpr int kNegativeRedraws = 8;

class ShardTrainer {
 public:
  ShardTrainer(SharedTraining& shared, WorkerCounters& counters, uint64_t stream)
      : shared_(shared),
        config_(shared.config),
        counters_(counters),
        rng_(config_.optim.seed, stream),
        lr_(static_cast<float>(CurrentLearningRate(shared))) {}

  void Run(const io::Shard& shard) {
    io::TokenReader reader(shared_.corpus, shard);
    const auto max_length = static_cast<size_t>(config_.corpus.max_sentence_length);
    std::string_view token;
    for (auto event = reader.Next(&token); event != io::TokenReader::Event::kEnd;
         event = reader.Next(&token)) {
      if (shared_.stop.load(std::memory_order_relaxed)) break;
      if (event == io::TokenReader::Event::kEndOfLine) {
        TrainSentence();
        continue;
      }
      const int32_t id = shared_.vocab.Find(token);
      if (id == io::Vocabulary::kNotFound) continue;
      if (++words_pending_ >= kWordsPerUpdate) Publish();
      if (!core::KeepToken(shared_.vocab.keep_probability(id), rng_)) continue;
      sentence_.push_back(id);
      if (sentence_.size() >= max_length) TrainSentence();
    }
    TrainSentence();
    Publish();
    if (!reader.status().ok()) throw std::runtime_error(std::string(reader.status().message()));
  }

 private:
  void Publish() {
    counters_.words.fetch_add(words_pending_, std::memory_order_relaxed);
    counters_.kept.fetch_add(kept_pending_, std::memory_order_relaxed);
    counters_.windows.fetch_add(windows_pending_, std::memory_order_relaxed);
    counters_.pairs.fetch_add(pairs_pending_, std::memory_order_relaxed);
    counters_.loss_sum.store(counters_.loss_sum.load(std::memory_order_relaxed) + loss_pending_,
                             std::memory_order_relaxed);  // this worker is the only writer
    shared_.words_done.fetch_add(words_pending_, std::memory_order_relaxed);
    const int64_t windows =
        shared_.windows_done.fetch_add(windows_pending_, std::memory_order_relaxed) +
        windows_pending_;
    if (shared_.windows_total > 0 && windows >= shared_.windows_total) {
      shared_.stop.store(true, std::memory_order_relaxed);
    }
    words_pending_ = kept_pending_ = windows_pending_ = pairs_pending_ = 0;
    loss_pending_ = 0;
    lr_ = static_cast<float>(CurrentLearningRate(shared_));
  }

  void TrainSentence() {
    const int64_t n = static_cast<int64_t>(sentence_.size());
    kept_pending_ += n;
    const auto window = static_cast<int32_t>(config_.model.window);
    const auto negatives = static_cast<int32_t>(config_.model.negatives);
    const bool sampled = config_.model.loss == io::LossKind::kNegativeSampling;
    const core::MatrixView outside_matrix = shared_.store.outside();
    for (int64_t i = 0; i < n; ++i) {
      const int32_t reach = core::DrawWindow(window, rng_);
      outside_.clear();
      for (int64_t j = std::max<int64_t>(0, i - reach); j <= std::min(n - 1, i + reach); ++j) {
        if (j != i) outside_.push_back(sentence_[j]);
      }
      if (outside_.empty()) continue;
      float* center_row = shared_.store.center().row(sentence_[i]);
      double loss;
      if (sampled) {
        negatives_.resize(outside_.size() * negatives);
        for (size_t o = 0; o < outside_.size(); ++o) {
          for (int32_t k = 0; k < negatives; ++k) {
            int32_t draw = shared_.noise.Draw(rng_);
            for (int r = 0; draw == outside_[o] && r < kNegativeRedraws; ++r) {
              draw = shared_.noise.Draw(rng_);
            }
            negatives_[o * negatives + k] = draw;
          }
        }
        loss = core::NegSamplingWindowStep(center_row, outside_matrix, outside_, negatives_,
                                           negatives, lr_, scratch_);
      } else {
        loss = core::NaiveSoftmaxWindowStep(center_row, outside_matrix, outside_, lr_, scratch_);
      }
      loss_pending_ += loss;
      ++windows_pending_;
      pairs_pending_ += static_cast<int64_t>(outside_.size());
      // A window-limited run (the assignment's iterations) must see the step schedule move often.
      if (shared_.windows_total > 0 && windows_pending_ >= config_.optim.batch_windows) Publish();
    }
    sentence_.clear();
  }

  SharedTraining& shared_;
  const io::TrainConfig& config_;
  WorkerCounters& counters_;
  core::Rng rng_;
  float lr_;
  core::StepScratch scratch_;
  std::vector<int32_t> sentence_, outside_, negatives_;
  int64_t words_pending_ = 0, kept_pending_ = 0, windows_pending_ = 0, pairs_pending_ = 0;
  double loss_pending_ = 0;
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

void TrainShard(SharedTraining& shared, const io::Shard& shard, int64_t shard_index, int64_t epoch,
                WorkerCounters& counters) {
  // Streams (epoch, shard) are distinct for any realistic shard count.
  const uint64_t stream = static_cast<uint64_t>(epoch) * 1'000'003ULL + shard_index;
  ShardTrainer(shared, counters, stream).Run(shard);
}

}  // namespace w2v::trainer
