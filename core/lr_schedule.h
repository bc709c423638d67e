// The two learning-rate schedules: the assignment's step annealing and word2vec's linear decay.
#pragma once

#include <cstdint>

namespace w2v::core {

// lr = initial · factor^⌊iteration / period⌋. The assignment starts at 0.3 and halves it every
// 20,000 iterations (its starter code's ANNEAL_EVERY; 5,000 is only how often it saves).
struct StepAnnealing {
  double At(int64_t iteration) const;

  double initial = 0.3;
  double factor = 0.5;
  int64_t period = 20000;
};

// lr = initial · (1 − progress), never below `floor`; progress runs from 0 to 1 over the whole
// run, counted in words as word2vec counts it.
struct LinearDecay {
  double At(double progress) const;

  double initial = 0.025;
  double floor = 0.025 * 1e-4;
};

}  // namespace w2v::core
