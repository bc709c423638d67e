// A training worker: walks one corpus shard for one epoch, subsamples it, cuts it into sentences
// and hands each to the run's SentenceTrainer, which writes into the shared embedding store (the
// Hogwild race documented there); publishes its counts, parks for snapshots, saves and restores.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/embedding_store.h"
#include "core/training_progress.h"
#include "io/config.h"
#include "io/vocabulary.h"
#include "trainer/parking_lot.h"
#include "trainer/sentence_trainer.h"

namespace w2v::trainer {

// What every worker reads, and the few counters they all advance.
struct SharedTraining {
  SharedTraining(const io::TrainConfig& config, const io::Vocabulary& vocab,
                 core::EmbeddingStore& store, const SentenceTrainerFactory& trainers)
      : config(config), vocab(vocab), store(store), trainers(trainers) {}

  const io::TrainConfig& config;
  const io::Vocabulary& vocab;
  core::EmbeddingStore& store;
  const SentenceTrainerFactory& trainers;
  int ranks = 1;  // the processes training this model (rank_group.h), each with config.threads
  // Vocabulary tokens read so far over all epochs (before subsampling: word2vec's count), and the
  // run's total; their ratio drives the linear schedule. Relaxed: only a progress estimate.
  std::atomic<int64_t> words_done{0};
  int64_t words_total = 0;
  // Windows trained so far; the step schedule counts iterations of batch_windows windows, and a run
  // with optim.iterations stops at iterations × batch_windows windows.
  std::atomic<int64_t> windows_done{0};
  int64_t windows_total = 0;  // 0: no window limit (train by epochs)
  // The window limit is reached: the run is complete and workers return at once.
  std::atomic<bool> stop{false};
  // A signal or --stop-after-words: workers save their state at the next sentence boundary and
  // return, and the coordinator writes a snapshot to continue from.
  std::atomic<bool> interrupt{false};
  int64_t stop_after_words = 0;  // 0: none
  // A window's loss came out NaN or infinite: the model is ruined, so workers stop at once (as on
  // `stop`), and the coordinator neither snapshots nor writes it. Set with the words done then.
  std::atomic<bool> diverged{false};
  std::atomic<int64_t> diverged_at_words{0};
  // optim.sampling = "random_context": the assignment's printed loss, exploss = 0.95·exploss +
  // 0.05·(the iteration's mean window loss) every 10th iteration, the first one that loss itself;
  // NaN before the 10th.
  std::atomic<double> smoothed_loss{std::numeric_limits<double>::quiet_NaN()};
  std::atomic<int64_t> smoothed_iteration{0};  // the iteration that last moved it
  ParkingLot parking;
};

// A worker's running totals, read by the coordinator while the worker writes them. One per shard,
// each on its own cache line so that workers do not share lines with each other.
struct alignas(64) WorkerCounters {
  std::atomic<double> loss_sum{0};  // Σ window losses (each summed over the window's outside words)
  std::atomic<int64_t> windows{0};
  std::atomic<int64_t> pairs{0};
  std::atomic<int64_t> words{0};  // vocabulary tokens read
  std::atomic<int64_t> kept{0};   // tokens left after subsampling

  core::TrainingCounts Load() const {
    return {loss_sum.load(std::memory_order_relaxed), windows.load(std::memory_order_relaxed),
            pairs.load(std::memory_order_relaxed), words.load(std::memory_order_relaxed),
            kept.load(std::memory_order_relaxed)};
  }
  void Store(const core::TrainingCounts& counts) {
    loss_sum = counts.loss_sum;
    windows = counts.windows;
    pairs = counts.pairs;
    words = counts.words;
    kept = counts.kept;
  }
};

// Totals over every worker's counters at one moment.
core::TrainingCounts SumCounters(const std::vector<WorkerCounters>& counters);

// The learning rate the schedule gives now, from the shared counters: the rate the config names
// (optim.lr, annealed), which the log shows. The linear schedule moves with the share of the run
// done, counted in windows for a run of optim.iterations and in words otherwise.
double ScheduledLearningRate(const SharedTraining& shared);

// The rate a sequential worker applies to each window's gradient: the scheduled one, divided by
// optim.batch_windows under the step schedule, which stands for the assignment's minibatch average.
double WindowLearningRate(const SharedTraining& shared);

// Trains one shard (its encoded ids, see io/encoded_corpus.h) for one epoch, from where `progress`
// says it stands (pending: from the start; partial: from the saved position, RNG and counts). It
// leaves `progress` done, or partial with the state to continue from when interrupted, and saves
// that state whenever it parks for a snapshot. The RNG is seeded from (seed, epoch, shard), never
// from the thread that runs the task, so one thread with a fixed seed is reproducible bit for bit,
// across a snapshot and resume too.
void TrainShard(SharedTraining& shared, std::span<const int32_t> ids, int64_t shard_index,
                int64_t epoch, core::ShardProgress& progress, WorkerCounters& counters);

}  // namespace w2v::trainer
