// Trained vectors as the evaluations compare them: unit length, so that a dot product is a cosine,
// and transposed, so that scoring many rows is a small matrix product.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace w2v::core {

// Below every cosine: a row left out of a search (a query's own words) scores this.
inline constexpr float kNoScore = -std::numeric_limits<float>::infinity();

// The first rows of a row-major matrix, each scaled to unit length (a zero row stays zero), stored
// transposed (dim × rows) so that the similarities of a few query vectors against a range of rows
// are a small matrix product whose inner loops run along contiguous rows.
class UnitVectors {
 public:
  // Dots scores rows this many at a time (and a shorter tail more slowly): callers cutting the rows
  // into ranges keep them multiples of it.
  static constexpr int64_t kRowBlock = 32;

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

}  // namespace w2v::core
