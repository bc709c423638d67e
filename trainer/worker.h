// A training worker: walks one corpus shard for one epoch and applies the configured loss step to
// every window, writing into the shared embedding store (the Hogwild race documented there).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "core/embedding_store.h"
#include "core/random.h"
#include "core/samplers.h"
#include "core/training_steps.h"
#include "io/config.h"
#include "io/corpus.h"
#include "io/vocabulary.h"

namespace w2v::trainer {

// What every worker reads, and the few counters they all advance.
struct SharedTraining {
  const io::TrainConfig& config;
  const io::Vocabulary& vocab;
  const io::Corpus& corpus;
  core::EmbeddingStore& store;
  const core::AliasSampler& noise;
  // Vocabulary tokens read so far over all epochs (before subsampling: word2vec's count), and the
  // run's total; their ratio drives the linear schedule. Relaxed: only a progress estimate.
  std::atomic<int64_t> words_done{0};
  int64_t words_total = 0;
  // Windows trained so far; the step schedule counts iterations of batch_windows windows, and a run
  // with optim.iterations stops at iterations × batch_windows windows.
  std::atomic<int64_t> windows_done{0};
  int64_t windows_total = 0;  // 0: no window limit (train by epochs)
  std::atomic<bool> stop{false};
};

// A worker's running totals, read by the coordinator while the worker writes them. One per shard,
// each on its own cache line so that workers do not share lines with each other.
struct alignas(64) WorkerCounters {
  std::atomic<double> loss_sum{0};  // Σ window losses (each summed over the window's outside words)
  std::atomic<int64_t> windows{0};
  std::atomic<int64_t> pairs{0};
  std::atomic<int64_t> words{0};  // vocabulary tokens read
  std::atomic<int64_t> kept{0};   // tokens left after subsampling
};

// The current learning rate per window, from the shared counters.
double CurrentLearningRate(const SharedTraining& shared);

// Trains one shard for one epoch. The RNG is seeded from (seed, epoch, shard), never from the thread
// that runs the task, so one thread with a fixed seed is reproducible bit for bit.
void TrainShard(SharedTraining& shared, const io::Shard& shard, int64_t shard_index, int64_t epoch,
                WorkerCounters& counters);

}  // namespace w2v::trainer
