// A worker's private copy of a few rows that every window writes: the inner nodes near the root of
// hierarchical softmax's tree, on nearly every path. Under Hogwild two threads writing such a row
// at once send its cache lines back and forth between the cores at every window (measured on text8:
// CBOW with hierarchical softmax ran slower on two threads than on one); with a copy each, a thread
// writes its own, and every few windows folds what it changed into the shared rows and reads them
// back with the other threads' changes.
//
// Folding is exact when no other thread touched an element since the copy was taken: the shared
// value is then replaced by the copy's, not by base + (copy − base), which float rounding could
// change. So one thread trains bit for bit as without the copies, whenever the folds happen. With
// several, a hot row lags the others' updates by at most the windows between two folds.
#pragma once

#include <cstdint>
#include <vector>

#include "core/matrix.h"

namespace w2v::core {

class HotRows {
 public:
  HotRows() = default;
  // Rows [first, first + count) of `matrix` (clamped to its rows), copied now.
  HotRows(const MatrixView& matrix, int64_t first, int64_t count);

  int64_t size() const { return end_ - first_; }
  bool holds(int64_t row) const { return row >= first_ && row < end_; }
  float* row(int64_t r) { return copy_.data() + (r - first_) * matrix_.stride; }

  // Folds this copy's changes into the shared rows (element by element: the copy's value where the
  // shared one is still what was copied, shared + change otherwise), then copies them again.
  void Fold();

 private:
  MatrixView matrix_;
  int64_t first_ = 0;
  int64_t end_ = 0;
  std::vector<float> copy_;  // the rows as this worker trains them
  std::vector<float> base_;  // the rows as last copied from the matrix
};

}  // namespace w2v::core
