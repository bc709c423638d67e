// What the core tests share: random matrices for the double-precision references, float copies of
// them laid out as the embedding store lays out its rows, and the check that a fast step moved
// those copies by one SGD step on the reference's gradient. Test-only; in w2v::core so that the
// tests read as they would inside the module.
#pragma once

#include <cstdint>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "gtest/gtest.h"

namespace w2v::core {

inline DenseMatrix RandomMatrix(int64_t rows, int64_t cols, Rng& rng, double scale = 1.0) {
  DenseMatrix m(rows, cols);
  for (double& v : m.values) v = scale * (2.0 * rng.Uniform() - 1.0);
  return m;
}

// Float rows padded to a stride, as the embedding store lays them out.
struct FloatMatrix {
  FloatMatrix(const DenseMatrix& m, int64_t stride)
      : values(m.rows * stride, 0.0f), view{nullptr, m.rows, m.cols, stride} {
    for (int64_t r = 0; r < m.rows; ++r) {
      for (int64_t c = 0; c < m.cols; ++c) values[r * stride + c] = static_cast<float>(m.at(r, c));
    }
    view.data = values.data();
  }
  std::vector<float> values;
  MatrixView view;
};

inline void ExpectMatchesSgdStep(const FloatMatrix& fast, const DenseMatrix& before,
                                 const DenseMatrix& grad, double lr) {
  for (int64_t r = 0; r < before.rows; ++r) {
    for (int64_t c = 0; c < before.cols; ++c) {
      EXPECT_NEAR(fast.view.row(r)[c], before.at(r, c) - lr * grad.at(r, c), 1e-5)
          << "row " << r << " col " << c;
    }
    for (int64_t c = before.cols; c < fast.view.stride; ++c) EXPECT_EQ(fast.view.row(r)[c], 0.0f);
  }
}

// Runs `step` on float copies of two matrices and expects its loss and the matrices after it to be
// the reference's loss and one SGD step on the reference's gradients.
template <typename Step>
void ExpectFastStepMatches(const DenseMatrix& first, const DenseMatrix& first_grad,
                           const DenseMatrix& second, const DenseMatrix& second_grad, double loss,
                           int64_t stride, float lr, Step step) {
  FloatMatrix fast_first(first, stride), fast_second(second, stride);
  EXPECT_NEAR(step(fast_first, fast_second), loss, 1e-5 * loss);
  ExpectMatchesSgdStep(fast_first, first, first_grad, lr);
  ExpectMatchesSgdStep(fast_second, second, second_grad, lr);
}

}  // namespace w2v::core
