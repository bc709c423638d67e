// Word vectors ready to query, shared by `w2v eval`, `w2v neighbors` and `w2v analogy`: the words
// in file order, their case-insensitive lookup and their unit vectors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/unit_vectors.h"
#include "core/word_lookup.h"
#include "io/evaluation_sets.h"

namespace w2v::trainer {

struct VectorSpace {
  std::vector<std::string> words;
  core::WordLookup lookup;
  core::UnitVectors unit;
  int64_t header_rows = 0;  // the file's row count, of which `max_rows` may have kept fewer
};

// Reads a vectors file (text or binary), keeping its first `max_rows` rows when max_rows >= 0.
absl::StatusOr<VectorSpace> LoadVectorSpace(const std::string& path, int64_t max_rows);

// The same from rows in memory (`stride` floats apart), e.g. the center matrix during training.
VectorSpace MakeVectorSpace(std::vector<std::string> words, const float* rows, int64_t count,
                            int64_t dim, int64_t stride);

// Questions answered and right, by 3CosAdd and by 3CosMul.
struct AnalogyTally {
  int64_t total = 0;
  int64_t seen = 0;  // all four words known
  int64_t cos_add = 0;
  int64_t cos_mul = 0;
  void Add(const AnalogyTally& other);
};

// 100 · correct / seen, and 0 when nothing was seen: how every analogy accuracy is reported.
inline double PercentCorrect(int64_t correct, int64_t seen) {
  return seen > 0 ? 100.0 * static_cast<double>(correct) / static_cast<double>(seen) : 0.0;
}

struct AnalogyScores {
  std::vector<AnalogyTally> sections;  // in file order
  AnalogyTally semantic, syntactic, total;
};

// word2vec's compute-accuracy counts the first five sections of questions-words.txt as semantic.
inline constexpr size_t kSemanticSections = 5;

// Answers every question over `space` (in the calling thread's TBB arena); a question with an
// unknown word is counted in `total` but not `seen`.
AnalogyScores ScoreAnalogies(const VectorSpace& space,
                             const std::vector<io::AnalogySection>& sections);

struct SimilarityScore {
  double rho = 0;  // Spearman's ρ between cosine and the human scores; NaN with under two pairs
  int64_t seen = 0;
  int64_t total = 0;
};

SimilarityScore ScoreSimilarity(const VectorSpace& space, const std::vector<io::WordPair>& pairs);

}  // namespace w2v::trainer
