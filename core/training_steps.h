// The fast, in-place float forms of the skip-gram losses: one SGD step over one window, writing
// straight into the embedding rows. Each step reads every row it needs before it writes any, so the
// update is exactly −lr times the window's gradient as core/reference_losses.h defines it (repeated
// negatives included); the tests hold the two forms to that.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

// Per-worker buffers, allocated once and reused for every window.
struct StepScratch {
  std::vector<float> center_grad;   // d
  std::vector<float> coefficients;  // ∂J/∂score per target (NS: pairs × (K+1); softmax: V)
};

// Negative sampling: for outside word j the targets are outside_words[j] (label +1) and
// negatives[j*K .. j*K+K) (label −1). Returns the window's loss (summed over its outside words).
double NegSamplingWindowStep(float* center_row, const MatrixView& outside,
                             std::span<const int32_t> outside_words,
                             std::span<const int32_t> negatives, int32_t num_negatives, float lr,
                             StepScratch& scratch);

// Naive softmax over the whole vocabulary. Every outside word of a window shares the center, so
// they share ŷ too: the window's gradient is Uᵀ(m·ŷ − Σ_j y_j) for v_c and (m·ŷ − Σ_j y_j) v_cᵀ for U,
// one pass over U for the whole window instead of one per outside word.
double NaiveSoftmaxWindowStep(float* center_row, const MatrixView& outside,
                              std::span<const int32_t> outside_words, float lr,
                              StepScratch& scratch);

}  // namespace w2v::core
