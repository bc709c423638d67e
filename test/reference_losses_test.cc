// core/reference_losses.h against explicit formulas: the definition the fast steps are tested
// against must itself be right.
#include "core/reference_losses.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/matrix.h"
#include "core/random.h"
#include "core/sigmoid.h"
#include "gtest/gtest.h"
#include "test/matrices.h"

namespace w2v::core {
namespace {

std::vector<double> RandomVector(int64_t n, Rng& rng, double scale = 1.0) {
  std::vector<double> v(n);
  for (double& x : v) x = scale * (2.0 * rng.Uniform() - 1.0);
  return v;
}

TEST(NaiveSoftmaxTest, LossIsMinusLogOfExplicitProbability) {
  Rng rng(7);
  const DenseMatrix outside = RandomMatrix(12, 6, rng);
  const auto center = RandomVector(6, rng);
  std::vector<double> exp_scores(12);
  double total = 0;
  for (int w = 0; w < 12; ++w) {
    double score = 0;
    for (int i = 0; i < 6; ++i) score += outside.at(w, i) * center[i];
    exp_scores[w] = std::exp(score);
    total += exp_scores[w];
  }
  for (int32_t o = 0; o < 12; ++o) {
    EXPECT_NEAR(NaiveSoftmaxLossAndGradient(center, o, outside).loss,
                -std::log(exp_scores[o] / total), 1e-12);
  }
}

TEST(NaiveSoftmaxTest, StableForHugeScores) {
  DenseMatrix outside(3, 2);
  outside.at(0, 0) = 1000;
  outside.at(1, 0) = 999;
  outside.at(2, 0) = -1000;
  const std::vector<double> center = {1.0, 0.0};
  const PairGradients g = NaiveSoftmaxLossAndGradient(center, 1, outside);
  EXPECT_NEAR(g.loss, std::log1p(std::exp(1.0)), 1e-9);  // −log(e^999 / (e^1000 + e^999))
  for (double v : g.grad_center) EXPECT_TRUE(std::isfinite(v));
}

TEST(NaiveSoftmaxTest, GradientsMatchClosedForms) {
  // dJ/dU rows: (ŷ_w − 1) v_c for w = o, ŷ_w v_c otherwise; dJ/dv_c = −u_o + Σ ŷ_w u_w.
  Rng rng(11);
  const DenseMatrix outside = RandomMatrix(5, 3, rng);
  const auto center = RandomVector(3, rng);
  const int32_t o = 2;
  const PairGradients g = NaiveSoftmaxLossAndGradient(center, o, outside);
  std::vector<double> prob(5);
  double total = 0;
  for (int w = 0; w < 5; ++w) {
    double s = 0;
    for (int i = 0; i < 3; ++i) s += outside.at(w, i) * center[i];
    total += prob[w] = std::exp(s);
  }
  for (double& p : prob) p /= total;
  for (int i = 0; i < 3; ++i) {
    double expected = -outside.at(o, i);
    for (int w = 0; w < 5; ++w) expected += prob[w] * outside.at(w, i);
    EXPECT_NEAR(g.grad_center[i], expected, 1e-12);
    for (int w = 0; w < 5; ++w) {
      EXPECT_NEAR(g.grad_outside.at(w, i), (prob[w] - (w == o ? 1.0 : 0.0)) * center[i], 1e-12);
    }
  }
}

TEST(NegSamplingTest, LossMatchesDefinition) {
  Rng rng(3);
  const DenseMatrix outside = RandomMatrix(8, 4, rng);
  const auto center = RandomVector(4, rng);
  const std::vector<int32_t> negatives = {1, 5, 5, 7};
  auto score = [&](int w) {
    double s = 0;
    for (int i = 0; i < 4; ++i) s += outside.at(w, i) * center[i];
    return s;
  };
  double expected = -std::log(Sigmoid(score(0)));
  for (int k : negatives) expected -= std::log(Sigmoid(-score(k)));
  EXPECT_NEAR(NegSamplingLossAndGradient(center, 0, negatives, outside).loss, expected, 1e-12);
}

TEST(NegSamplingTest, RepeatedNegativeAccumulates) {
  Rng rng(5);
  const DenseMatrix outside = RandomMatrix(6, 3, rng);
  const auto center = RandomVector(3, rng);
  const std::vector<int32_t> once = {4};
  const std::vector<int32_t> twice = {4, 4};
  const auto g1 = NegSamplingLossAndGradient(center, 1, once, outside);
  const auto g2 = NegSamplingLossAndGradient(center, 1, twice, outside);
  // The row of the true word is the same; the negative's row doubles.
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(g2.grad_outside.at(1, i), g1.grad_outside.at(1, i), 1e-15);
    EXPECT_NEAR(g2.grad_outside.at(4, i), 2 * g1.grad_outside.at(4, i), 1e-15);
    EXPECT_NE(g1.grad_outside.at(4, i), 0.0);
  }
  // Rows never drawn stay zero.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(g2.grad_outside.at(0, i), 0.0);
}

TEST(SkipGramTest, CenterGradientIsZeroButForTheCenterRow) {
  Rng rng(13);
  const DenseMatrix center_vectors = RandomMatrix(7, 4, rng);
  const DenseMatrix outside_vectors = RandomMatrix(7, 4, rng);
  const std::vector<int32_t> window = {1, 2, 4, 4};
  const WindowGradients g = SkipGramNaiveSoftmax(3, window, center_vectors, outside_vectors);
  double loss = 0;
  for (int32_t o : window) {
    loss += NaiveSoftmaxLossAndGradient(center_vectors.row(3), o, outside_vectors).loss;
  }
  EXPECT_NEAR(g.loss, loss, 1e-12);
  for (int w = 0; w < 7; ++w) {
    for (int i = 0; i < 4; ++i) {
      if (w == 3) {
        EXPECT_NE(g.grad_center_vectors.at(w, i), 0.0);
      } else {
        EXPECT_EQ(g.grad_center_vectors.at(w, i), 0.0);
      }
    }
  }
}

TEST(SgdTest, StepsAgainstTheGradient) {
  std::vector<double> params = {1.0, -2.0};
  const std::vector<double> grad = {0.5, -1.0};
  SgdStep(params, grad, 0.1);
  EXPECT_DOUBLE_EQ(params[0], 0.95);
  EXPECT_DOUBLE_EQ(params[1], -1.9);
}

TEST(SgdTest, MinimisesTheSkipGramLoss) {
  Rng rng(23);
  DenseMatrix center_vectors = RandomMatrix(6, 4, rng, 0.1);
  DenseMatrix outside_vectors = RandomMatrix(6, 4, rng, 0.1);
  const std::vector<int32_t> window = {1, 2, 5};
  double first = 0, last = 0;
  for (int step = 0; step < 200; ++step) {
    const WindowGradients g = SkipGramNaiveSoftmax(0, window, center_vectors, outside_vectors);
    if (step == 0) first = g.loss;
    last = g.loss;
    SgdStep(center_vectors.values, g.grad_center_vectors.values, 0.5);
    SgdStep(outside_vectors.values, g.grad_outside_vectors.values, 0.5);
  }
  EXPECT_LT(last, first - 1.0);
}
}  // namespace
}  // namespace w2v::core
