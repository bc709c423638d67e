// Word vectors ready to query, shared by `w2v eval`, `w2v neighbors` and `w2v analogy`: the words
// in file order, their case-insensitive lookup and their unit vectors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/evaluation.h"

namespace w2v::trainer {

struct VectorSpace {
  std::vector<std::string> words;
  core::WordLookup lookup;
  core::UnitVectors unit;
  int64_t header_rows = 0;  // the file's row count, of which `max_rows` may have kept fewer
};

// Reads a vectors file (text or binary), keeping its first `max_rows` rows when max_rows >= 0.
absl::StatusOr<VectorSpace> LoadVectorSpace(const std::string& path, int64_t max_rows);

}  // namespace w2v::trainer
