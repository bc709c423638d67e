// The two matrix shapes the math is written over. Both are row-major with one row per word, so a
// word's vector is contiguous: the assignment's U (columns u_w) is stored here as its transpose.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace w2v::core {

// A dense double-precision matrix owned by value: the reference losses and the gradient check.
struct DenseMatrix {
  DenseMatrix() = default;
  DenseMatrix(int64_t rows, int64_t cols) : rows(rows), cols(cols), values(rows * cols, 0.0) {}

  std::span<double> row(int64_t r) { return {values.data() + r * cols, static_cast<size_t>(cols)}; }
  std::span<const double> row(int64_t r) const {
    return {values.data() + r * cols, static_cast<size_t>(cols)};
  }
  double& at(int64_t r, int64_t c) { return values[r * cols + c]; }
  double at(int64_t r, int64_t c) const { return values[r * cols + c]; }

  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> values;
};

// A non-owning view of float rows `stride` floats apart (stride ≥ dim, so rows can be padded and
// aligned): how the fast training steps see the embedding matrices.
struct MatrixView {
  float* row(int64_t r) const { return data + r * stride; }

  float* data = nullptr;
  int64_t rows = 0;
  int64_t dim = 0;
  int64_t stride = 0;
};

}  // namespace w2v::core
