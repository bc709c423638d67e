// The coordinator of a training run: builds the run state (run_state.h) fresh or from a snapshot,
// then runs the epoch loop: the workers in a TBB arena of `threads` threads epoch by epoch, the
// monitor (monitor.h) beside them, the evaluation between epochs, and at the end the final snapshot
// and the outputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "io/config.h"
#include "trainer/rank_group.h"

namespace w2v::trainer {

struct RunOptions {
  // Stop (as if interrupted, with a snapshot) once this many vocabulary words have been trained
  // over the whole run; 0: never. For testing resume and for splitting a long run by hand.
  int64_t stop_after_words = 0;
};

struct RunResult {
  bool interrupted = false;  // stopped before the end; the snapshot continues it
  int signal = 0;            // the signal that interrupted it, or 0
  std::string snapshot_path;
};

// Trains from scratch as `config` says: this process alone, or as one rank of `ranks` (every rank
// calls it alike; rank 0 writes the log, the metrics, the snapshots and the outputs).
absl::StatusOr<RunResult> RunTraining(const io::TrainConfig& config, const RunOptions& options,
                                      RankGroup& ranks);

// Continues the run saved in `snapshot_path`. `overrides` ("key=value", as for --set) may change
// only what does not change the result: threads, log.*, snapshot.*, eval.* and output.*.
absl::StatusOr<RunResult> ResumeTraining(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides,
                                         const RunOptions& options, RankGroup& ranks);

}  // namespace w2v::trainer
