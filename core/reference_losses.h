// The assignment's losses and gradients in their plain dense form, in double precision: written for
// clarity, used by the tests and the gradient check as the definition the fast steps must meet.
// docs/MATH.md derives each formula and names the function here that computes it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

// Loss and gradients for one (center, outside) pair.
struct PairGradients {
  double loss = 0;
  std::vector<double> grad_center;  // dJ/dv_c, length d
  DenseMatrix grad_outside;         // dJ/dU, one row per word (V × d)
};

// J = −log softmax(U v_c)_o, with dJ/dv_c = Uᵀ(ŷ − y) and dJ/dU = (ŷ − y) v_cᵀ, computed through a
// log-sum-exp so that large scores do not overflow.
PairGradients NaiveSoftmaxLossAndGradient(std::span<const double> center, int32_t outside_word,
                                          const DenseMatrix& outside_vectors);

// J = −log σ(u_oᵀv_c) − Σ_k log σ(−u_kᵀv_c). A negative drawn more than once contributes once per
// draw, so its gradient row accumulates.
PairGradients NegSamplingLossAndGradient(std::span<const double> center, int32_t outside_word,
                                         std::span<const int32_t> negatives,
                                         const DenseMatrix& outside_vectors);

// Loss and gradients of a whole window: the sum over its outside words.
struct WindowGradients {
  double loss = 0;
  DenseMatrix grad_center_vectors;   // V × d; zero but for the center word's row
  DenseMatrix grad_outside_vectors;  // V × d
};

WindowGradients SkipGramNaiveSoftmax(int32_t center_word, std::span<const int32_t> outside_words,
                                     const DenseMatrix& center_vectors,
                                     const DenseMatrix& outside_vectors);

// `negatives` holds K ids for each outside word, in order: outside_words.size() × K.
WindowGradients SkipGramNegSampling(int32_t center_word, std::span<const int32_t> outside_words,
                                    std::span<const int32_t> negatives, int32_t num_negatives,
                                    const DenseMatrix& center_vectors,
                                    const DenseMatrix& outside_vectors);

// Hierarchical softmax (docs/MATH.md §9): the predicted word's path through the Huffman tree,
// J = −Σ_l log σ(sign_l · u_{n_l}ᵀ h) with sign_l = 1 − 2·code_l, so that dJ/dh =
// Σ_l (σ(s_l) − (1 − code_l)) u_{n_l} and dJ/du_{n_l} = (σ(s_l) − (1 − code_l)) h. `inner_vectors`
// holds one row per inner node; grad_outside is over those rows.
PairGradients HierarchicalSoftmaxLossAndGradient(std::span<const double> input,
                                                 std::span<const int32_t> nodes,
                                                 std::span<const uint8_t> codes,
                                                 const DenseMatrix& inner_vectors);

// Skip-gram with hierarchical softmax in word2vec.c's pairing: each context word's row of V
// predicts the centre through the centre's path (`nodes`, `codes`). grad_outside_vectors is over
// the inner nodes.
WindowGradients SkipGramHierarchicalSoftmax(std::span<const int32_t> nodes,
                                            std::span<const uint8_t> codes,
                                            std::span<const int32_t> context_words,
                                            const DenseMatrix& center_vectors,
                                            const DenseMatrix& inner_vectors);

// CBOW: h = (1/m) Σ_j v_{context_j} predicts the centre, by negative sampling (the centre, then K
// negatives) or by the centre's path. The gradient of each context row is the exact one,
// (1/m)·dJ/dh per occurrence (word2vec.c applies m times it: core/cbow_step.h).
WindowGradients CbowNegSampling(int32_t center_word, std::span<const int32_t> context_words,
                                std::span<const int32_t> negatives,
                                const DenseMatrix& center_vectors,
                                const DenseMatrix& outside_vectors);
WindowGradients CbowHierarchicalSoftmax(std::span<const int32_t> nodes,
                                        std::span<const uint8_t> codes,
                                        std::span<const int32_t> context_words,
                                        const DenseMatrix& center_vectors,
                                        const DenseMatrix& inner_vectors);

// params ← params − lr · grad
void SgdStep(std::span<double> params, std::span<const double> grad, double lr);

}  // namespace w2v::core
