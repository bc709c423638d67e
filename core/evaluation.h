// What users measure trained vectors by: nearest neighbours by cosine, word analogies (3CosAdd and
// 3CosMul) and Spearman's rank correlation with human similarity scores. Words are found ignoring
// ASCII case and rows are in frequency order, as word2vec's compute-accuracy and gensim's
// evaluate_word_analogies take them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace w2v::core {

// Word lookup ignoring ASCII case. Rows whose words differ only in case ("Paris", "paris") are one
// word: it is found at its first (most frequent) row, its canonical row.
class WordLookup {
 public:
  explicit WordLookup(std::span<const std::string> words);

  // The canonical row of `word`, or -1 when no row spells it.
  int32_t Find(const std::string& word) const;
  // canonical()[j]: the canonical row of row j's word (j itself unless an earlier row spells it).
  std::span<const int32_t> canonical() const { return canonical_; }
  // Every row spelling the word of canonical row `row`, `row` first.
  std::vector<int32_t> Spellings(int32_t row) const;

 private:
  absl::flat_hash_map<std::string, int32_t> canonical_of_folded_;
  std::vector<int32_t> canonical_;
  // (canonical row, row) for each later spelling of a word, sorted: few, so a sorted list.
  std::vector<std::pair<int32_t, int32_t>> later_spellings_;
};

// ASCII letters lower-cased; other bytes (UTF-8 included) unchanged.
std::string FoldCase(const std::string& word);

// The first rows of a row-major matrix, each scaled to unit length (a zero row stays zero), stored
// transposed (dim × rows) so that the similarities of a few query vectors against a range of rows
// are a small matrix product whose inner loops run along contiguous rows.
class UnitVectors {
 public:
  // Rows [0, rows) of `vectors` (row-major, `dim` floats a row).
  UnitVectors(const float* vectors, int64_t rows, int64_t dim);

  int64_t rows() const { return rows_; }
  int64_t dim() const { return dim_; }
  // Copies row `row`'s unit vector to out[0, dim).
  void CopyRow(int64_t row, float* out) const;
  // scores[q * (end - begin) + (j - begin)] = queries_q · unit row j for the `count` query vectors
  // (row-major, `dim` floats each) and the rows j in [begin, end).
  void Dots(const float* queries, int64_t count, int64_t begin, int64_t end, float* scores) const;

 private:
  int64_t rows_;
  int64_t dim_;
  std::vector<float> transposed_;  // coordinate i of row j at i * rows_ + j
};

struct Neighbor {
  int32_t row;
  float cosine;
};

// The `k` rows of highest cosine with `query`, best first (ties: the lower row), leaving out the
// rows in `excluded`.
std::vector<Neighbor> NearestNeighbors(const UnitVectors& vectors, std::span<const float> query,
                                       int64_t k, std::span<const int32_t> excluded);

// "a is to b as c is to ?", each word given by its canonical row.
struct AnalogyQuestion {
  int32_t a;
  int32_t b;
  int32_t c;
};

// The canonical rows each method answers, or -1 when every row is one of the question's words.
struct AnalogyAnswer {
  int32_t cos_add = -1;
  int32_t cos_mul = -1;
};

// Answers every question by 3CosAdd (the row of highest cos(x, b − a + c)) and 3CosMul (highest
// cos'(x, b)·cos'(x, c) / (cos'(x, a) + 1e-6) with cos' = (1 + cos) / 2, as gensim's
// most_similar_cosmul), over all rows of `vectors` except the spellings of a, b and c. The rows are
// cut into tiles that fit in L2 with their scores; per tile, the unit vectors of all the questions'
// distinct words times the tile's rows is one matrix product, and every question combines three
// rows of the result. Questions share words (questions-words.txt has 19,544 over 905 words), so
// this does a fraction of the work of one product per question. Tiles run in parallel on the
// calling TBB arena. `lookup` must describe the rows of `vectors`.
std::vector<AnalogyAnswer> AnswerAnalogies(const UnitVectors& vectors, const WordLookup& lookup,
                                           std::span<const AnalogyQuestion> questions);

// 1-based ranks of `values`, tied values sharing the mean of their ranks.
std::vector<double> AverageRanks(std::span<const double> values);

// Spearman's rank correlation (ties averaged, as scipy.stats.spearmanr): the Pearson correlation of
// the ranks. NaN when there are fewer than two values or one side is constant.
double SpearmanRho(std::span<const double> x, std::span<const double> y);

}  // namespace w2v::core
