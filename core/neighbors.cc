#include "core/neighbors.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/vector_ops.h"

namespace w2v::core {

std::vector<Neighbor> NearestNeighbors(const UnitVectors& vectors, std::span<const float> query,
                                       int64_t k, std::span<const int32_t> excluded) {
  std::vector<float> scores(vectors.rows());
  vectors.Dots(query.data(), 1, 0, vectors.rows(), scores.data());
  for (int32_t row : excluded) scores[row] = kNoScore;
  std::vector<int32_t> rows(vectors.rows());
  std::iota(rows.begin(), rows.end(), 0);
  k = std::clamp<int64_t>(k, 0, vectors.rows());
  std::partial_sort(rows.begin(), rows.begin() + k, rows.end(), [&](int32_t x, int32_t y) {
    return scores[x] > scores[y] || (scores[x] == scores[y] && x < y);
  });
  const float norm = std::sqrt(Dot(query.data(), query.data(), vectors.dim()));
  std::vector<Neighbor> neighbors;
  // Excluded rows sort last: stop at the first.
  for (int64_t n = 0; n < k && scores[rows[n]] != kNoScore; ++n) {
    neighbors.push_back({rows[n], norm > 0 ? scores[rows[n]] / norm : 0.0f});
  }
  return neighbors;
}

}  // namespace w2v::core
