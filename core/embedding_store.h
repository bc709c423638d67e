// The model: the center matrix V and the outside matrix U, one row per word, shared by every worker.
//
// THE ONE DELIBERATE DATA RACE OF THE PROGRAM LIVES HERE. Workers read and write rows of both matrices
// without locks (Hogwild, Recht et al. 2011): two workers may update the same row at once, and a
// reader may see a row half-updated. For sparse SGD like skip-gram the collisions are rare and each is
// one lost or mixed small step, which the convergence results and every word2vec implementation
// tolerate. The rows are plain floats written only by the training steps in
// core/logistic_block_step.cc, core/softmax_batch_step.cc and core/training_steps.cc through
// the views this class hands out, and, in a run under mpirun, by trainer/rank_sync.cc, which adds
// the other ranks' changes to rows the workers may be writing (one more Hogwild writer); core/hogwild.h is how those steps tell ThreadSanitizer that their
// races with each other are this one, and no other race.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "core/matrix.h"
#include "core/random.h"

namespace w2v::core {

class EmbeddingStore {
 public:
  // Rows are padded to a multiple of 16 floats (one 64-byte cache line) and 64-byte aligned, so a
  // row never shares a cache line with another and vector loads are aligned.
  static constexpr int64_t kRowAlignmentFloats = 16;

  EmbeddingStore(int64_t rows, int64_t dim);

  // Both initialisations draw V uniform in [−0.5/d, 0.5/d) and set U to zero, as word2vec.c and
  // the assignment's starter code both do; they differ in the generator.
  // The assignment's (numpy's rand): 24-bit uniforms from this project's generator.
  void InitializeUniform(uint64_t seed);
  // word2vec.c's InitNet exactly: its linear congruential generator from `seed` (word2vec.c always
  // uses 1) and 16-bit uniforms, row by row, so that over the same vocabulary the starting vectors
  // are word2vec.c's own, for side-by-side comparisons.
  void InitializeWord2Vec(uint64_t seed);

  MatrixView center() const { return {center_.get(), rows_, dim_, stride_}; }
  MatrixView outside() const { return {outside_.get(), rows_, dim_, stride_}; }

  int64_t rows() const { return rows_; }
  int64_t dim() const { return dim_; }
  int64_t stride() const { return stride_; }
  // Bytes held by both matrices.
  int64_t bytes() const { return 2 * rows_ * stride_ * static_cast<int64_t>(sizeof(float)); }

 private:
  // Small matrices come from aligned_alloc; large ones are mapped (mapped_bytes > 0).
  struct Deleter {
    size_t mapped_bytes = 0;
    void operator()(float* p) const;
  };
  using AlignedFloats = std::unique_ptr<float[], Deleter>;
  static AlignedFloats AllocateZeroed(int64_t count);

  int64_t rows_;
  int64_t dim_;
  int64_t stride_;
  AlignedFloats center_;
  AlignedFloats outside_;
};

}  // namespace w2v::core
