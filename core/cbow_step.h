// The CBOW step (word2vec.c's cbow = 1, gensim's sg = 0 with cbow_mean = 1): the hidden vector h is
// the mean of the window's context rows of V, scored against the targets' rows (the centre and its
// negatives, or the centre's path in the Huffman tree; core/logistic_targets.h). One dense step per
// centre: every target row reads h before any row is written, so the update is exactly −lr times
// core/reference_losses.h's CBOW gradient, except for the one choice of the context rows' share:
// - word2vec (word2vec.c and gensim): every context row moves by all of −lr·∂J/∂h;
// - exact: by −lr·∂J/∂h / m for m context words, the true gradient of J through the mean (kōan,
//   İrsoy et al. 2020), which needs a learning rate about m times larger to move as far.
// Whole padded rows, core/simd.h's vector code, as the block step.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/logistic_targets.h"
#include "core/matrix.h"

namespace w2v::core {

struct CbowScratch {
  std::vector<float> hidden;       // h, one padded row
  std::vector<float> hidden_grad;  // −lr·∂J/∂h
  std::vector<float> coefficients;
};

// Returns the loss Σ_t weight_t · −log σ(±s_t), s_t = u_tᵀh.
double CbowStep(const MatrixView& input_matrix, std::span<const int32_t> context,
                const MatrixView& target_matrix, const LogisticTargets& targets, float lr,
                bool exact_gradient, CbowScratch& scratch);

}  // namespace w2v::core
