// core/sigmoid.h: the exact σ and log σ, which every other form is held to.
#include "core/sigmoid.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace w2v::core {
namespace {

TEST(SigmoidTest, IsSymmetric) {
  for (double x = -30; x <= 30; x += 0.37) {
    EXPECT_NEAR(Sigmoid(-x), 1.0 - Sigmoid(x), 1e-15) << x;
    EXPECT_NEAR(Sigmoid(static_cast<float>(-x)), 1.0f - Sigmoid(static_cast<float>(x)), 1e-6f) << x;
  }
}

TEST(SigmoidTest, KnownValues) {
  EXPECT_DOUBLE_EQ(Sigmoid(0.0), 0.5);
  EXPECT_NEAR(Sigmoid(1.0), 1.0 / (1.0 + std::exp(-1.0)), 1e-15);
  EXPECT_NEAR(Sigmoid(-2.0), 1.0 / (1.0 + std::exp(2.0)), 1e-15);
}

TEST(SigmoidTest, FiniteAtExtremes) {
  for (double x : {-1e4, -1e3, -745.0, -100.0, 100.0, 745.0, 1e3, 1e4}) {
    const double s = Sigmoid(x);
    EXPECT_TRUE(std::isfinite(s)) << x;
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
    EXPECT_TRUE(std::isfinite(Sigmoid(static_cast<float>(x)))) << x;
    EXPECT_TRUE(std::isfinite(LogSigmoid(x))) << x;
  }
  EXPECT_EQ(Sigmoid(1e4), 1.0);
  EXPECT_EQ(Sigmoid(-1e4), 0.0);
  // log σ(−1e4) ≈ −1e4: representable, so it must not collapse to −inf.
  EXPECT_NEAR(LogSigmoid(-1e4), -1e4, 1e-9);
  EXPECT_NEAR(LogSigmoid(1e4), 0.0, 1e-12);
}

TEST(SigmoidTest, VectorFormMatchesScalar) {
  std::vector<float> in = {-1e4f, -3.5f, 0.0f, 0.25f, 7.0f, 1e4f};
  std::vector<float> out(in.size());
  Sigmoid(in, out);
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i], Sigmoid(in[i]));
  Sigmoid(in, in);  // in place
  EXPECT_EQ(in, out);
}

TEST(SigmoidTest, DerivativeIsSigmaTimesOneMinusSigma) {
  for (double x = -8; x <= 8; x += 0.5) {
    const double h = 1e-6;
    const double numeric = (Sigmoid(x + h) - Sigmoid(x - h)) / (2 * h);
    EXPECT_NEAR(numeric, Sigmoid(x) * (1 - Sigmoid(x)), 1e-9) << x;
  }
}
}  // namespace
}  // namespace w2v::core
