// Everything a training run holds, and the three ways it comes about or leaves: built fresh from a
// config, read back from a snapshot, and written into a snapshot's contents.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/embedding_store.h"
#include "core/training_progress.h"
#include "io/config.h"
#include "io/corpus.h"
#include "io/directory_lock.h"
#include "io/snapshot.h"
#include "io/vocabulary.h"
#include "trainer/rank_group.h"
#include "trainer/worker.h"

namespace w2v::trainer {

// Everything a run holds, built fresh from a config or read back from a snapshot.
struct RunState {
  // The output directory's lock and the snapshot's (io/directory_lock.h), taken before anything
  // else and held while the run lasts. First, so that it is the last member to go.
  std::vector<io::DirectoryLock> locks;
  io::TrainConfig config;
  io::Corpus corpus;
  io::Vocabulary vocab;
  core::EmbeddingStore store;
  std::vector<io::Shard> shards;  // the one layout of every rank; each trains those it owns
  std::vector<std::vector<int32_t>> shard_ids;  // each owned shard encoded (io/encoded_corpus.h)
  std::vector<core::ShardProgress> progress;    // of the epoch in progress, one per shard
  std::vector<core::TrainingCounts> totals;     // restored into the workers' counters
  int64_t epoch = 0;
  bool finished = false;
  int64_t words_done = 0;
  int64_t windows_done = 0;
  double elapsed_before = 0;   // training seconds before this process (resume)
  double smoothed_loss = std::numeric_limits<double>::quiet_NaN();  // SharedTraining's, restored
  std::string metrics_before;  // metrics.jsonl lines before this process (resume)
  // What counting the corpus saw, when this process counted it (a fresh run without vocab.path).
  std::optional<io::CountStats> counting;
};

// A fresh run: locks the output directory and checks the outputs can be written
// (PrepareOutputs), opens the corpus, counts (or reads) the vocabulary, initialises the store and
// cuts 4 × threads shards for each rank. Of a distributed run: rank 0 alone takes the locks,
// writes and counts, and sends every rank the vocabulary and the starting model; every error is
// every rank's (RankGroup::Agree).
absl::StatusOr<RunState> BuildFreshRun(const io::TrainConfig& config, RankGroup& ranks);

// The run saved in `snapshot_path`, continued with `overrides` (only the resumable keys, see
// resume_policy.h), after checking the corpus files still have the sizes the snapshot saw. The
// snapshot's directory is locked before the snapshot is read, the output directory (and the next
// snapshot's) once its config says which, and the outputs are checked as for a fresh run.
// Every rank of a distributed run reads the snapshot (its path must reach each one), and a run
// saved by another number of ranks is refused.
absl::StatusOr<RunState> BuildResumedRun(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides,
                                         RankGroup& ranks);

// The snapshot of `state` as it stands while the workers are parked (or done).
io::SnapshotContents MakeSnapshot(const RunState& state, const SharedTraining& shared,
                                  const std::vector<WorkerCounters>& counters, int64_t epoch,
                                  bool finished, const std::string& metrics, double elapsed,
                                  int ranks);

}  // namespace w2v::trainer
