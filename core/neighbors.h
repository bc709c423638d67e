// Nearest neighbours by cosine, as word2vec's `distance` lists them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/unit_vectors.h"

namespace w2v::core {

struct Neighbor {
  int32_t row;
  float cosine;
};

// The `k` rows of highest cosine with `query`, best first (ties: the lower row), leaving out the
// rows in `excluded`.
std::vector<Neighbor> NearestNeighbors(const UnitVectors& vectors, std::span<const float> query,
                                       int64_t k, std::span<const int32_t> excluded);

}  // namespace w2v::core
