// Where training stands, as the workers keep it and a snapshot saves it: the work counted, and one
// shard's place in the epoch in progress with the worker state that goes with it. In core rather
// than beside the snapshot format, because the hot loop keeps them and must not depend on a file
// format.
#pragma once

#include <cstdint>

#include "core/random.h"

namespace w2v::core {

// Training work counted: a shard's published totals over the run, or what its worker has done since
// it last published (workers publish in batches).
struct TrainingCounts {
  double loss_sum = 0;  // Σ window losses
  int64_t windows = 0;
  int64_t pairs = 0;
  int64_t words = 0;  // vocabulary tokens read
  int64_t kept = 0;   // tokens left after subsampling
};

// One shard's place in the epoch in progress, and the worker state that goes with it.
struct ShardProgress {
  enum class State : uint8_t { kPending = 0, kPartial = 1, kDone = 2 };
  State state = State::kPending;
  int64_t position = 0;    // kPartial only: the next index into the shard's encoded ids
  Rng::State rng{};        // kPartial only
  float lr = 0;            // the learning rate the worker was using
  TrainingCounts pending;  // not yet added to the shared counters
};

}  // namespace w2v::core
