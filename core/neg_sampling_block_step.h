// The fast negative-sampling step: HogBatch (Ji et al., "Parallelizing Word2Vec in Shared and
// Distributed Memory", 2016), as Intel's pWord2Vec trains.
//
// For one center word, its window's B context words are the inputs (rows of V) and the center word
// plus K negatives shared by the whole window are the targets (rows of U) — word2vec.c's pairing of
// a window, where each context word's V row predicts the center word's U row. The B·T scores are
// one small dense block S = Y·Xᵀ, the coefficients G = lr·count·(label − σ(S)) another, and the
// updates are ΔX = Gᵀ·Y and ΔY = G·X. Rows touched per center fall from B(K+2) to B+K+1 and the
// arithmetic becomes dense and vectorised. All reads happen before any write, so the update is
// exactly −lr times the sum over the window's B pairs of core/reference_losses.h's gradient (the
// tests hold it to that).
//
// The kernel works on whole padded rows (a multiple of 16 floats, zero beyond dim): padding stays
// zero because every update to it is a multiple of other padding. Its vector code is core/simd.h's.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

// Per-worker buffers, allocated once and reused for every window.
struct BlockScratch {
  std::vector<float> coefficients;  // T rows of B rounded up to 16
  std::vector<float> input_grads;   // B × 16: one chunk of ΔX
  std::vector<float*> input_rows;
  std::vector<float*> target_rows;
};

// One HogBatch step. `inputs` are rows of `input_matrix` (may repeat: their updates add up);
// `targets` are distinct rows of `target_matrix`, targets[0] the true one (label 1) and the rest
// negatives (label 0), each negative standing for `negative_counts[t − 1]` draws. Returns the loss
// summed over the B pairs: Σ_b [−log σ(s_0b) − Σ_t count_t · log σ(−s_tb)].
double NegSamplingBlockStep(const MatrixView& input_matrix, std::span<const int32_t> inputs,
                            const MatrixView& target_matrix, std::span<const int32_t> targets,
                            std::span<const float> negative_counts, float lr,
                            BlockScratch& scratch);

// Asks the memory system for `rows` of `matrix` ahead of their use (with intent to write). Every
// other cache line only: the hardware fetches the adjacent line of a pair itself, and a prefetch
// per line fills the miss buffers until prefetches themselves stall.
inline void PrefetchRows(const MatrixView& matrix, std::span<const int32_t> rows) {
  for (int32_t r : rows) {
    const float* row = matrix.row(r);
    for (int64_t c = 0; c < matrix.stride; c += 16) __builtin_prefetch(row + c, 1, 3);
  }
}

}  // namespace w2v::core
