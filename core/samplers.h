// The random draws of training: negatives from the noise distribution, the shrunk window, and the
// subsampling of frequent words.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/random.h"

namespace w2v::core {

// Draws index i with probability weights[i] / Σ weights in O(1), from O(V) memory: Walker's alias
// method as Vose builds it. word2vec's 1e8-entry table costs 400 MB and quantises the
// probabilities; this is exact up to float rounding and 8 bytes per word.
class AliasSampler {
 public:
  AliasSampler() = default;
  explicit AliasSampler(std::span<const double> weights);

  // One 64-bit draw serves both choices: the high 32 bits pick the column (multiply-shift), the low
  // 24 the uniform compared with its threshold.
  int32_t Draw(Rng& rng) const {
    const uint64_t bits = rng.Next();
    const uint32_t column = ColumnOf(bits);
    const float uniform = static_cast<float>(bits & 0xFFFFFF) * 0x1.0p-24f;
    const Column& entry = columns_[column];
    // Chosen by a mask, not a branch: which side wins is a coin toss for the predictor, and a
    // branch here mispredicted about every other draw (half of planning's time, 2026-12-06).
    const int32_t keep = -static_cast<int32_t>(uniform < entry.threshold);
    return (static_cast<int32_t>(column) & keep) | (entry.alias & ~keep);
  }

  // Starts loading the columns of the next `count` draws of `rng` (a copy: the caller's stream
  // does not move), so that drawing them later finds them in cache. A column is a miss past L1
  // whatever the word frequencies (the column is uniform), and planning a window waits on its
  // draws' columns.
  void PrefetchDraws(Rng rng, int32_t count) const {
    for (int32_t k = 0; k < count; ++k) {
      const Column* column = columns_.data() + ColumnOf(rng.Next());
      __builtin_prefetch(column);
      // GCC counts a prefetch as no effect and deleted the whole loop as one that computes
      // nothing (-ffinite-loops); an empty volatile asm is an effect it must keep.
      asm volatile("" : : "r"(column));
    }
  }

  int64_t size() const { return static_cast<int64_t>(columns_.size()); }
  // The probability the sampler was built to give index i (for tests and diagnostics).
  double Probability(int64_t i) const { return probability_[i]; }

 private:
  // A column's threshold and alias side by side: a draw touches one cache line, not two.
  struct Column {
    float threshold = 1.0f;  // keep the column's own index when U < threshold
    int32_t alias = 0;
  };
  // The column a draw's bits pick (Draw's high 32 bits, multiply-shift).
  uint32_t ColumnOf(uint64_t bits) const {
    return static_cast<uint32_t>(((bits >> 32) * columns_.size()) >> 32);
  }

  std::vector<Column> columns_;
  std::vector<double> probability_;
};

// The noise distribution of negative sampling: P(w) ∝ count(w)^exponent (word2vec: 0.75).
AliasSampler MakeNoiseSampler(std::span<const int64_t> counts, double exponent);

// Which keep-probability subsampling uses (the config's model.subsample_formula).
enum class SubsampleFormula { kWord2Vec, kAssignment };

// The probability of keeping one occurrence of a word of frequency f = count / total when
// subsampling with threshold t, capped at 1; 1 when t <= 0 or count <= 0.
//   kWord2Vec:   (sqrt(f/t) + 1) · t/f, word2vec.c's;
//   kAssignment: sqrt(t/f), the CS224N starter code's (it rejects with probability
//                max(0, 1 - sqrt(t·N/count))).
float KeepProbability(int64_t count, int64_t total, double threshold,
                      SubsampleFormula formula = SubsampleFormula::kWord2Vec);

inline bool KeepToken(float keep_probability, Rng& rng) {
  return keep_probability >= 1.0f || rng.UniformFloat() < keep_probability;
}

// The effective window of one center word: uniform in [1, window], as word2vec shrinks it, which
// weights near neighbours more than far ones.
inline int32_t DrawWindow(int32_t window, Rng& rng) {
  return 1 + static_cast<int32_t>(rng.Below(static_cast<uint32_t>(window)));
}

// Redraws of a negative that hit the true word before it is let through; only a vocabulary of one
// or two words ever needs more than one.
inline constexpr int kNegativeRedraws = 8;

// A negative for `target` from `noise`, redrawn when it hits `target`.
inline int32_t DrawNegative(const AliasSampler& noise, int32_t target, Rng& rng) {
  int32_t draw = noise.Draw(rng);
  for (int r = 0; draw == target && r < kNegativeRedraws; ++r) draw = noise.Draw(rng);
  return draw;
}

}  // namespace w2v::core
