#include "core/unit_vectors.h"

#include <algorithm>
#include <cmath>

#include "core/vector_ops.h"

namespace w2v::core {
namespace {

// The Dots kernel's register block: the scores of kQueries queries × kLanes rows (8 AVX-512
// registers) accumulate in registers while it walks the coordinates, and each stretch of a
// coordinate's row serves kQueries queries while it is in L1.
constexpr int64_t kQueries = 4;
constexpr int64_t kLanes = UnitVectors::kRowBlock;

}  // namespace

UnitVectors::UnitVectors(const float* vectors, int64_t rows, int64_t dim)
    : rows_(rows), dim_(dim), transposed_(rows * dim) {
  for (int64_t j = 0; j < rows; ++j) {
    const float* row = vectors + j * dim;
    const float norm = std::sqrt(Dot(row, row, dim));
    const float scale = norm > 0 ? 1.0f / norm : 0.0f;
    for (int64_t i = 0; i < dim; ++i) transposed_[i * rows + j] = row[i] * scale;
  }
}

void UnitVectors::CopyRow(int64_t row, float* out) const {
  for (int64_t i = 0; i < dim_; ++i) out[i] = transposed_[i * rows_ + row];
}

void UnitVectors::Dots(const float* queries, int64_t count, int64_t begin, int64_t end,
                       float* scores) const {
  const int64_t length = end - begin;
  int64_t j = 0;
  for (; j + kLanes <= length; j += kLanes) {
    const float* columns = transposed_.data() + begin + j;
    int64_t q = 0;
    for (; q + kQueries <= count; q += kQueries) {
      float sums[kQueries][kLanes] = {};
      const float* query = queries + q * dim_;
      // Not unrolled: GCC then keeps `sums` in registers instead of on the stack.
#pragma GCC unroll 1
      for (int64_t i = 0; i < dim_; ++i) {
        const float* column = columns + i * rows_;
        for (int64_t k = 0; k < kQueries; ++k) {
          const float qi = query[k * dim_ + i];
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) sums[k][l] += qi * column[l];
        }
      }
      for (int64_t k = 0; k < kQueries; ++k) {
        std::copy(sums[k], sums[k] + kLanes, scores + (q + k) * length + j);
      }
    }
    for (; q < count; ++q) {
      float sums[kLanes] = {};
      const float* query = queries + q * dim_;
#pragma GCC unroll 1
      for (int64_t i = 0; i < dim_; ++i) {
        const float qi = query[i];
        const float* column = columns + i * rows_;
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l) sums[l] += qi * column[l];
      }
      std::copy(sums, sums + kLanes, scores + q * length + j);
    }
  }
  if (j == length) return;
  for (int64_t q = 0; q < count; ++q) {
    float* out = scores + q * length;
    std::fill(out + j, out + length, 0.0f);
    for (int64_t i = 0; i < dim_; ++i) {
      Axpy(queries[q * dim_ + i], transposed_.data() + i * rows_ + begin + j, out + j, length - j);
    }
  }
}

}  // namespace w2v::core
