// The batched naive-softmax step: up to 16 windows at once, all reads before any write (the
// assignment's minibatch: every window's gradient taken at the same point), so the update is
// exactly −lr times the sum of the windows' core/reference_losses.h gradients (the tests hold it to
// that).
//
// Window c has center centers[c] (a row of `center_matrix`) and outside words
// outside_words[offsets[c] .. offsets[c+1]) (rows of `outside_matrix`, which holds the whole
// vocabulary). The scores of every outside row against the 16 centers are one pass over U with the
// centers transposed into 16 lanes, the softmax is 16 columns of vectorised exp, and the updates
// are another pass: U += −lr·K·Vc and Vc += −lr·Kᵀ·U with K = m·ŷ − counts. It works on whole
// padded rows (a multiple of 16 floats); its vector code is core/simd.h's.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

// One center per lane of core/simd.h's 16-float vectors, at every CPU width.
inline constexpr int kSoftmaxBatch = 16;

// Per-worker buffers, allocated once and reused for every batch.
struct SoftmaxScratch {
  std::vector<float> centers_t;       // dim × 16: the centers, transposed
  std::vector<float> center_grads_t;  // dim × 16
  std::vector<float> scores;          // vocab × 16: scores, then exp(score − max)
};

// Returns the windows' summed loss.
double NaiveSoftmaxBatchStep(const MatrixView& center_matrix, std::span<const int32_t> centers,
                             const MatrixView& outside_matrix,
                             std::span<const int32_t> outside_words,
                             std::span<const int32_t> offsets, float lr, SoftmaxScratch& scratch);

}  // namespace w2v::core
