// The assignment's minibatch step (CS224N's word2vec_sgd_wrapper): the negative-sampling gradient of
// every window of a batch taken at the same point, summed, and one SGD step of −scale times the sum
// (scale = lr / batch for the assignment's average). The pairing is the assignment's: each outside
// word of a window is a target with K negatives of its own, the centre's row of V the input.
//
// The two halves are apart so that the gradients, which only read the matrices, can be computed for
// the windows of a batch in parallel, while the update, which writes them, runs alone and in window
// order: the result is the same float for float whatever the thread count. There is no Hogwild race
// here (core/embedding_store.h): nothing writes while the gradients are read.
//
// Rows are whole padded rows (a multiple of 16 floats, zero beyond dim), as the embedding store
// keeps them; the vector code is core/simd.h's, so σ and −log σ are its approximations (about 1e-6
// relative), which the tests hold to core/reference_losses.h.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

// One window of a batch: what was drawn, and the gradient NegSamplingWindowGradient leaves.
struct MinibatchWindow {
  int32_t center = 0;
  std::vector<int32_t> outside;    // the outside words
  std::vector<int32_t> negatives;  // K per outside word: outside[j]'s are [j·K, j·K + K)
  double loss = 0;                 // Σ over outside words of −log σ(u_oᵀv_c) − Σ_k log σ(−u_kᵀv_c)
  // ∂loss/∂score of each target, K + 1 per outside word (the outside word first, then its K).
  std::vector<float> coefficients;
  std::vector<float> center_grad;  // ∂loss/∂v_c, one padded row
};

// Fills `window`'s loss, coefficients and centre gradient from the matrices as they stand; writes
// neither matrix.
void NegSamplingWindowGradient(const MatrixView& centers, const MatrixView& outside,
                               int32_t negatives, MinibatchWindow& window);

// Applies −scale × the gradient of every window: first the outside rows of all the windows (their
// gradients need the centre rows as the batch found them), then the centre rows, each in window
// order, so that equal inputs give equal floats.
void ApplyMinibatch(const MatrixView& centers, const MatrixView& outside,
                    std::span<const MinibatchWindow> windows, int32_t negatives, float scale);

}  // namespace w2v::core
