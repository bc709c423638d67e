// The coordinator of a training run: sets up the vocabulary, the store and the samplers, runs the
// workers in a TBB arena of `threads` threads epoch by epoch, logs progress and metrics while they
// run, and writes the outputs.
#pragma once

#include "absl/status/status.h"
#include "io/config.h"

namespace w2v::trainer {

absl::Status RunTraining(const io::TrainConfig& config);

}  // namespace w2v::trainer
