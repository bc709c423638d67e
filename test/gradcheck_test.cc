// core/gradcheck.h: that it passes right gradients and catches wrong ones, and the suite
// `w2v gradcheck` runs, over many shapes.
#include "core/gradcheck.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

TEST(GradCheckTest, PassesOnAQuadratic) {
  // f(x) = Σ i·x_i², ∇f = 2 i x_i.
  Objective f = [](std::span<const double> x, std::span<double> grad) {
    double value = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      value += (i + 1) * x[i] * x[i];
      grad[i] = 2.0 * (i + 1) * x[i];
    }
    return value;
  };
  const std::vector<double> x = {0.3, -1.2, 2.0};
  const GradCheckResult r = GradCheck(f, x);
  EXPECT_TRUE(r.passed);
  EXPECT_LT(r.max_relative_error, 1e-8);
}

TEST(GradCheckTest, CatchesAPerturbedGradient) {
  Rng rng(17);
  const DenseMatrix outside = RandomMatrix(6, 4, rng);
  const int64_t n = 4 + 6 * 4;
  std::vector<double> x(n);
  for (double& v : x) v = 2 * rng.Uniform() - 1;
  auto objective = [&](double perturbation, int64_t coordinate) -> Objective {
    return [&, perturbation, coordinate](std::span<const double> p, std::span<double> grad) {
      DenseMatrix u(6, 4);
      std::copy(p.begin() + 4, p.end(), u.values.begin());
      const auto g = NaiveSoftmaxLossAndGradient(p.first(4), 2, u);
      std::copy(g.grad_center.begin(), g.grad_center.end(), grad.begin());
      std::copy(g.grad_outside.values.begin(), g.grad_outside.values.end(), grad.begin() + 4);
      grad[coordinate] += perturbation;
      return g.loss;
    };
  };
  EXPECT_TRUE(GradCheck(objective(0.0, 0), x).passed);
  const GradCheckResult bad = GradCheck(objective(1e-3, 13), x);
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.worst_index, 13);
  EXPECT_NEAR(bad.max_relative_error, 1e-3, 1e-6);
}

TEST(GradCheckTest, NanGradientFails) {
  Objective f = [](std::span<const double> x, std::span<double> grad) {
    grad[0] = std::numeric_limits<double>::quiet_NaN();
    grad[1] = 2 * x[1];
    return x[0] + x[1] * x[1];
  };
  const std::vector<double> x = {1.0, 1.0};
  EXPECT_FALSE(GradCheck(f, x).passed);
}

struct SuiteCase {
  int64_t dim;
  int64_t vocab;
  int32_t negatives;
  uint64_t seed;
};

class GradCheckSuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(GradCheckSuiteTest, EveryLossPasses) {
  const SuiteCase c = GetParam();
  GradCheckSuiteOptions options;
  options.dim = c.dim;
  options.vocab = c.vocab;
  options.negatives = c.negatives;
  options.seed = c.seed;
  options.problems = 3;
  const auto checks = RunGradCheckSuite(options);
  ASSERT_EQ(checks.size(), 8u);
  for (const auto& check : checks) {
    EXPECT_TRUE(check.result.passed)
        << check.name << " max relative error " << check.result.max_relative_error;
    EXPECT_GE(check.result.worst_index, 0) << check.name;
  }
}

INSTANTIATE_TEST_SUITE_P(ManyShapes, GradCheckSuiteTest,
                         ::testing::Values(SuiteCase{3, 5, 10, 1}, SuiteCase{5, 10, 10, 31415},
                                           SuiteCase{8, 4, 3, 2}, SuiteCase{10, 20, 5, 3},
                                           SuiteCase{16, 7, 15, 4}, SuiteCase{1, 3, 2, 5}));
}  // namespace
}  // namespace w2v::core
