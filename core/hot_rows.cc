#include "core/hot_rows.h"

#include <algorithm>
#include <cstring>

#include "core/hogwild.h"

namespace w2v::core {

HotRows::HotRows(const MatrixView& matrix, int64_t first, int64_t count)
    : matrix_(matrix),
      first_(std::clamp<int64_t>(first, 0, matrix.rows)),
      end_(std::clamp<int64_t>(first + count, first_, matrix.rows)) {
  const auto floats = static_cast<size_t>((end_ - first_) * matrix_.stride);
  copy_.resize(floats);
  base_.resize(floats);
  if (floats > 0) {
    TouchRowsAsHogwild(matrix_, first_, end_);
    const HogwildStep hogwild;
    std::memcpy(copy_.data(), matrix_.row(first_), floats * sizeof(float));
    std::memcpy(base_.data(), copy_.data(), floats * sizeof(float));
  }
}

void HotRows::Fold() {
  if (copy_.empty()) return;
  // The shared rows are Hogwild rows: other workers fold into them too.
  TouchRowsAsHogwild(matrix_, first_, end_);
  const HogwildStep hogwild;
  float* shared = matrix_.row(first_);
  const size_t floats = copy_.size();
  for (size_t i = 0; i < floats; ++i) {
    const float now = shared[i];
    shared[i] = now == base_[i] ? copy_[i] : now + (copy_[i] - base_[i]);
  }
  std::memcpy(copy_.data(), shared, floats * sizeof(float));
  std::memcpy(base_.data(), shared, floats * sizeof(float));
}

}  // namespace w2v::core
