#include "core/hogwild.h"

#if defined(W2V_THREAD_SANITIZER)

namespace w2v::core {

void TouchRowAsHogwild(float* row, int64_t dim) {
  // An OR with zero is a real atomic write to TSan and changes no bit, even of a -0.0f that a
  // floating-point add of zero would turn into +0.0f.
  auto* words = reinterpret_cast<uint32_t*>(row);
  for (int64_t c = 0; c < dim; ++c) __atomic_fetch_or(&words[c], 0u, __ATOMIC_RELAXED);
}

void TouchRowsAsHogwild(const MatrixView& matrix, std::span<const int32_t> rows) {
  for (int32_t r : rows) TouchRowAsHogwild(matrix.row(r), matrix.dim);
}

void TouchAllRowsAsHogwild(const MatrixView& matrix) { TouchRowsAsHogwild(matrix, 0, matrix.rows); }

void TouchRowsAsHogwild(const MatrixView& matrix, int64_t first, int64_t end) {
  for (int64_t r = first; r < end; ++r) TouchRowAsHogwild(matrix.row(r), matrix.dim);
}

}  // namespace w2v::core

#endif
