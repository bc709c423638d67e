// The fast block step: HogBatch (Ji et al., "Parallelizing Word2Vec in Shared and Distributed
// Memory", 2016), as Intel's pWord2Vec trains negative sampling, and hierarchical softmax in the same
// shape.
//
// For one center word, its window's B context words are the inputs (rows of V) and the center's
// targets are rows of the second matrix (core/logistic_targets.h): the center and K negatives shared
// by the whole window, or the inner nodes on the center's path in the Huffman tree — word2vec.c's
// pairing of a window, where each context word's V row predicts the center. The B·T scores are one
// small dense block S = Y·Xᵀ, the coefficients G = lr·weight·(label − σ(S)) another, and the updates
// are ΔX = Gᵀ·Y and ΔY = G·X. Rows touched per center fall from B(T+1) to B+T and the arithmetic
// becomes dense and vectorised. All reads happen before any write, so the update is exactly −lr
// times the sum over the window's B pairs of core/reference_losses.h's gradient (the tests hold it
// to that).
//
// Under hierarchical softmax the nodes near the root are on nearly every path, so every window
// writes them and two threads often write one at once: the Hogwild race of
// core/embedding_store.h at its densest, each collision one small step lost or mixed, as in
// word2vec.c. A score past saturation is not skipped (word2vec.c skips HS nodes at |s| ≥ 6 and
// clamps NS there, from its σ table): σ here is computed, and such a node's update is its true,
// tiny one.
//
// The kernel works on whole padded rows (a multiple of 16 floats, zero beyond dim): padding stays
// zero because every update to it is a multiple of other padding. Its vector code is core/simd.h's.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/logistic_targets.h"
#include "core/matrix.h"

namespace w2v::core {

// Per-worker buffers, allocated once and reused for every window.
struct BlockScratch {
  std::vector<float> coefficients;  // T rows of B rounded up to 16
  std::vector<float> input_grads;   // B × 16: one chunk of ΔX
  std::vector<float*> input_rows;
  std::vector<float*> target_rows;
};

// One block step. `inputs` are rows of `input_matrix` (may repeat: their updates add up);
// `targets.rows` are distinct rows of `target_matrix`, each with its label and weight. Returns the
// loss summed over the B pairs: Σ_b Σ_t weight_t · −log σ(±s_tb), + for label 1.
double LogisticBlockStep(const MatrixView& input_matrix, std::span<const int32_t> inputs,
                         const MatrixView& target_matrix, const LogisticTargets& targets, float lr,
                         BlockScratch& scratch);

// Asks the memory system for a row, or `rows` of `matrix`, ahead of use, every cache line, with
// intent to write, all at once: how the window trainers ask for the next window's rows before each
// step.
// Measured on text8 (docs/PERFORMANCE.md, issue 16): no prefetch at all, every other line (leaving
// the adjacent line to the hardware) and read intent were all slower. On a Zen 5 whose two virtual
// CPUs were far apart, all at once before the step beat the same requests spread over the block
// step's update, a line of each row per line updated (2 threads: 8% less training time; 1 thread:
// no change), which a Zen 4 had preferred at one thread (by 5%): a row another core wrote takes
// longer to come, and the earlier its request goes out the less of that wait is left.
inline void PrefetchRow(const float* row, int64_t stride) {
  for (int64_t c = 0; c < stride; c += 16) __builtin_prefetch(row + c, 1, 3);
}
inline void PrefetchRows(const MatrixView& matrix, std::span<const int32_t> rows) {
  for (int32_t r : rows) PrefetchRow(matrix.row(r), matrix.stride);
}

}  // namespace w2v::core
