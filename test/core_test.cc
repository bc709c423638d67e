#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/block_step.h"
#include "core/embedding_store.h"
#include "core/gradcheck.h"
#include "core/lr_schedule.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "core/samplers.h"
#include "core/sigmoid.h"
#include "core/training_steps.h"
#include "gtest/gtest.h"

namespace w2v::core {
namespace {

// ---------------------------------------------------------------- sigmoid

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

// ---------------------------------------------------------------- helpers

DenseMatrix RandomMatrix(int64_t rows, int64_t cols, Rng& rng, double scale = 1.0) {
  DenseMatrix m(rows, cols);
  for (double& v : m.values) v = scale * (2.0 * rng.Uniform() - 1.0);
  return m;
}

std::vector<double> RandomVector(int64_t n, Rng& rng, double scale = 1.0) {
  std::vector<double> v(n);
  for (double& x : v) x = scale * (2.0 * rng.Uniform() - 1.0);
  return v;
}

// ---------------------------------------------------------------- reference losses

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

// ---------------------------------------------------------------- gradient check

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
  ASSERT_EQ(checks.size(), 4u);
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

// ---------------------------------------------------------------- schedules and SGD

TEST(ScheduleTest, StepAnnealingHalvesEveryPeriod) {
  const StepAnnealing schedule{0.3, 0.5, 5000};
  EXPECT_DOUBLE_EQ(schedule.At(0), 0.3);
  EXPECT_DOUBLE_EQ(schedule.At(4999), 0.3);
  EXPECT_DOUBLE_EQ(schedule.At(5000), 0.15);
  EXPECT_DOUBLE_EQ(schedule.At(39999), 0.3 / 128);
}

TEST(ScheduleTest, LinearDecayStopsAtTheFloor) {
  const LinearDecay schedule{0.025, 0.0001};
  EXPECT_DOUBLE_EQ(schedule.At(0.0), 0.025);
  EXPECT_DOUBLE_EQ(schedule.At(0.5), 0.0125);
  EXPECT_DOUBLE_EQ(schedule.At(1.0), 0.0001);
  EXPECT_DOUBLE_EQ(schedule.At(2.0), 0.0001);
  EXPECT_GT(schedule.At(0.3), schedule.At(0.31));
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

// ---------------------------------------------------------------- fast vs reference

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

void ExpectMatchesSgdStep(const FloatMatrix& fast, const DenseMatrix& before,
                          const DenseMatrix& grad, double lr) {
  for (int64_t r = 0; r < before.rows; ++r) {
    for (int64_t c = 0; c < before.cols; ++c) {
      EXPECT_NEAR(fast.view.row(r)[c], before.at(r, c) - lr * grad.at(r, c), 1e-5)
          << "row " << r << " col " << c;
    }
    for (int64_t c = before.cols; c < fast.view.stride; ++c) EXPECT_EQ(fast.view.row(r)[c], 0.0f);
  }
}

TEST(TrainingStepTest, NegSamplingWindowStepIsAnSgdStepOnTheReferenceGradient) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    Rng rng(seed);
    const int64_t vocab = 9, dim = 7;
    const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng);
    const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng);
    const std::vector<int32_t> window = {1, 3, 3, 8};
    // Repeats within a pair and across pairs, and a negative that is another pair's true word.
    const std::vector<int32_t> negatives = {2, 2, 5, 1, 4, 6, 7, 7, 7, 0, 3, 5};
    const float lr = 0.05f;
    const WindowGradients reference =
        SkipGramNegSampling(4, window, negatives, 3, center_vectors, outside_vectors);

    FloatMatrix fast_center(center_vectors, 16), fast_outside(outside_vectors, 16);
    StepScratch scratch;
    const double loss = NegSamplingWindowStep(fast_center.view.row(4), fast_outside.view, window,
                                              negatives, 3, lr, scratch);
    EXPECT_NEAR(loss, reference.loss, 1e-5 * reference.loss);
    ExpectMatchesSgdStep(fast_center, center_vectors, reference.grad_center_vectors, lr);
    ExpectMatchesSgdStep(fast_outside, outside_vectors, reference.grad_outside_vectors, lr);
  }
}

TEST(TrainingStepTest, NaiveSoftmaxWindowStepIsAnSgdStepOnTheReferenceGradient) {
  for (uint64_t seed : {5, 6, 7}) {
    Rng rng(seed);
    const int64_t vocab = 11, dim = 5;
    const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng);
    const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng);
    const std::vector<int32_t> window = {0, 2, 2, 10, 6};
    const float lr = 0.1f;
    const WindowGradients reference =
        SkipGramNaiveSoftmax(6, window, center_vectors, outside_vectors);

    FloatMatrix fast_center(center_vectors, 16), fast_outside(outside_vectors, 16);
    StepScratch scratch;
    const double loss =
        NaiveSoftmaxWindowStep(fast_center.view.row(6), fast_outside.view, window, lr, scratch);
    EXPECT_NEAR(loss, reference.loss, 1e-5 * reference.loss);
    ExpectMatchesSgdStep(fast_center, center_vectors, reference.grad_center_vectors, lr);
    ExpectMatchesSgdStep(fast_outside, outside_vectors, reference.grad_outside_vectors, lr);
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

// The block step on the window {inputs} → targets[0] with the negatives shared, against the
// reference: Σ over the inputs of the pair gradient, all taken at the same starting point.
void ExpectBlockStepMatchesReference(int64_t dim, int64_t stride, std::vector<int32_t> inputs,
                                     std::vector<int32_t> targets, std::vector<float> counts,
                                     uint64_t seed) {
  Rng rng(seed);
  const int64_t vocab = 48;
  const DenseMatrix input_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const DenseMatrix target_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  std::vector<int32_t> expanded;  // the negatives as drawn, repeats and all
  for (size_t t = 1; t < targets.size(); ++t)
    expanded.insert(expanded.end(), counts[t - 1], targets[t]);
  const float lr = 0.05f;

  DenseMatrix input_grad(vocab, dim), target_grad(vocab, dim);
  double loss = 0;
  for (int32_t input : inputs) {
    const std::span<const double> row(&input_vectors.values[input * dim], dim);
    const PairGradients g = NegSamplingLossAndGradient(row, targets[0], expanded, target_vectors);
    loss += g.loss;
    for (int64_t c = 0; c < dim; ++c) input_grad.at(input, c) += g.grad_center[c];
    for (size_t i = 0; i < target_grad.values.size(); ++i) {
      target_grad.values[i] += g.grad_outside.values[i];
    }
  }

  ExpectFastStepMatches(input_vectors, input_grad, target_vectors, target_grad, loss, stride, lr,
                        [&](FloatMatrix& fast_inputs, FloatMatrix& fast_targets) {
                          BlockScratch scratch;
                          return NegSamplingBlockStep(fast_inputs.view, inputs, fast_targets.view,
                                                      targets, counts, lr, scratch);
                        });
}

// 3 twice among the inputs: both updates add up. Targets: the true one, then negatives.
const std::vector<int32_t> kSevenInputs = {1, 3, 3, 8, 0, 11, 4};
const std::vector<int32_t> kSixTargets = {4, 2, 5, 7, 9, 1};
const std::vector<float> kFiveCounts = {2, 1, 3, 1, 1};

TEST(BlockStepTest, IsAnSgdStepOnTheReferenceGradientOfTheWindow) {
  for (const auto& [dim, stride] :
       {std::pair<int64_t, int64_t>{7, 16}, {16, 16}, {37, 48}, {100, 112}}) {
    // One chunk with padding and without, three chunks, text8's shape.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, kSixTargets, kFiveCounts, dim);
  }
}

// Inputs drawn from the vocabulary (repeats likely once there are many).
std::vector<int32_t> RandomInputs(int64_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> inputs(count);
  for (auto& input : inputs) input = static_cast<int32_t>(rng.Below(48));
  return inputs;
}

TEST(BlockStepTest, MatchesTheReferenceAtEveryShape) {
  for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{7, 16}, {37, 48}, {100, 112}}) {
    SCOPED_TRACE(::testing::Message() << "dim " << dim);
    // One input (a window of one word): one lane of the first chunk.
    ExpectBlockStepMatchesReference(dim, stride, {5}, kSixTargets, kFiveCounts, 1);
    // 16 inputs fill the first lane chunk; 17 and 33 spill into a second and a third, masked.
    for (int64_t b : {16, 17, 33}) {
      ExpectBlockStepMatchesReference(dim, stride, RandomInputs(b, b), kSixTargets, kFiveCounts, b);
    }
    // A single target: every negative was the center and dropped.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, {4}, {}, 2);
    // A negative drawn many times and a single distinct negative.
    ExpectBlockStepMatchesReference(dim, stride, kSevenInputs, {4, 30}, {15}, 3);
    // Many distinct negatives (a second tile row of targets) with repeats among them.
    std::vector<int32_t> targets = {47};
    std::vector<float> counts;
    for (int32_t t = 0; t < 25; ++t) {
      targets.push_back(t);
      counts.push_back(static_cast<float>(1 + t % 3));
    }
    ExpectBlockStepMatchesReference(dim, stride, RandomInputs(19, 4), targets, counts, 4);
  }
}

// A batch of softmax windows against the reference: the sum of each window's gradient, all taken at
// the same starting point (the assignment's minibatch).
struct SoftmaxBatch {
  std::vector<int32_t> centers, outside, offsets;
};

// Five windows; center 2 twice, outside words repeated within and across windows.
const SoftmaxBatch kFiveWindows = {
    {2, 5, 2, 0, 7}, {1, 3, 3, 0, 4, 6, 2, 1, 5, 9, 9, 8}, {0, 3, 5, 6, 9, 12}};

// `windows` windows of 1 to 10 outside words each, over the first `vocab` words.
SoftmaxBatch RandomSoftmaxBatch(int windows, int64_t vocab, uint64_t seed) {
  Rng rng(seed);
  SoftmaxBatch batch{{}, {}, {0}};
  for (int w = 0; w < windows; ++w) {
    batch.centers.push_back(static_cast<int32_t>(rng.Below(vocab)));
    for (uint32_t o = 0, n = 1 + rng.Below(10); o < n; ++o) {
      batch.outside.push_back(static_cast<int32_t>(rng.Below(vocab)));
    }
    batch.offsets.push_back(static_cast<int32_t>(batch.outside.size()));
  }
  return batch;
}

void ExpectSoftmaxBatchMatchesReference(int64_t dim, int64_t stride, int64_t vocab, uint64_t seed,
                                        const SoftmaxBatch& batch = kFiveWindows) {
  Rng rng(seed);
  const DenseMatrix center_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const DenseMatrix outside_vectors = RandomMatrix(vocab, dim, rng, 0.5);
  const std::vector<int32_t>& centers = batch.centers;
  const std::vector<int32_t>& outside = batch.outside;
  const std::vector<int32_t>& offsets = batch.offsets;
  const float lr = 0.05f;

  DenseMatrix center_grad(vocab, dim), outside_grad(vocab, dim);
  double loss = 0;
  for (size_t c = 0; c < centers.size(); ++c) {
    const std::span<const int32_t> window(outside.data() + offsets[c], offsets[c + 1] - offsets[c]);
    const WindowGradients g =
        SkipGramNaiveSoftmax(centers[c], window, center_vectors, outside_vectors);
    loss += g.loss;
    for (size_t i = 0; i < center_grad.values.size(); ++i) {
      center_grad.values[i] += g.grad_center_vectors.values[i];
      outside_grad.values[i] += g.grad_outside_vectors.values[i];
    }
  }

  ExpectFastStepMatches(center_vectors, center_grad, outside_vectors, outside_grad, loss, stride,
                        lr, [&](FloatMatrix& fast_center, FloatMatrix& fast_outside) {
                          SoftmaxScratch scratch;
                          return NaiveSoftmaxBatchStep(fast_center.view, centers, fast_outside.view,
                                                       outside, offsets, lr, scratch);
                        });
}

TEST(SoftmaxBatchTest, IsAnSgdStepOnTheReferenceGradientOfTheBatch) {
  ExpectSoftmaxBatchMatchesReference(10, 16, 12, 1);  // SST's dimension
  ExpectSoftmaxBatchMatchesReference(37, 48, 15, 2);  // several chunks
  ExpectSoftmaxBatchMatchesReference(16, 16, 40, 3);  // no padding
}

TEST(SoftmaxBatchTest, MatchesTheReferenceAtEveryBatchSize) {
  // One window (the sequential step), a full batch of 16 (every lane), and the sizes between.
  for (int windows : {1, 2, 7, 15, 16}) {
    for (const auto& [dim, stride] : {std::pair<int64_t, int64_t>{10, 16}, {37, 48}}) {
      SCOPED_TRACE(::testing::Message() << windows << " windows, dim " << dim);
      ExpectSoftmaxBatchMatchesReference(dim, stride, 60, windows,
                                         RandomSoftmaxBatch(windows, 60, windows));
    }
  }
}

TEST(BlockStepTest, SigmoidAndLossAreAccurateEverywhere) {
  for (double x = -120; x <= 120; x += 0.01) {
    float sigmoid, minus_log_sigmoid;
    SigmoidAndLoss(static_cast<float>(x), &sigmoid, &minus_log_sigmoid);
    const double xf = static_cast<float>(x);
    const double exact_sigmoid = 1 / (1 + std::exp(-xf));
    const double exact_loss = -LogSigmoid(xf);
    ASSERT_NEAR(sigmoid, exact_sigmoid, 2e-7 + 1e-6 * exact_sigmoid) << x;
    ASSERT_NEAR(minus_log_sigmoid, exact_loss, 2e-7 + 1e-6 * exact_loss) << x;
  }
}

TEST(BlockStepTest, GradientChecksOnItsOwnLoss) {
  // The step's update with lr = 1 is minus the gradient of the loss it returns; check it against
  // centered differences of that loss (float, so a looser step and tolerance than in double).
  Rng rng(11);
  const int64_t vocab = 6, dim = 5, stride = 16;
  const std::vector<int32_t> inputs = {0, 2, 2};
  const std::vector<int32_t> targets = {1, 3, 4};
  const std::vector<float> counts = {2, 1};
  const DenseMatrix start = RandomMatrix(2 * vocab, dim, rng, 0.5);
  auto run = [&](std::span<const double> x, bool update, std::vector<double>* grad) {
    DenseMatrix in(vocab, dim), out(vocab, dim);
    std::copy(x.begin(), x.begin() + vocab * dim, in.values.begin());
    std::copy(x.begin() + vocab * dim, x.end(), out.values.begin());
    FloatMatrix fin(in, stride), fout(out, stride);
    BlockScratch scratch;
    const double loss = NegSamplingBlockStep(fin.view, inputs, fout.view, targets, counts,
                                             update ? 1.0f : 0.0f, scratch);
    if (grad != nullptr) {
      for (int64_t r = 0; r < vocab; ++r) {
        for (int64_t c = 0; c < dim; ++c) {
          (*grad)[r * dim + c] = in.at(r, c) - fin.view.row(r)[c];
          (*grad)[(vocab + r) * dim + c] = out.at(r, c) - fout.view.row(r)[c];
        }
      }
    }
    return loss;
  };
  const GradCheckResult result = GradCheck(
      [&](std::span<const double> x, std::span<double> grad) {
        std::vector<double> g(x.size());
        const double loss = run(x, true, &g);
        std::copy(g.begin(), g.end(), grad.begin());
        return loss;
      },
      start.values, 1e-2, 2e-3);
  EXPECT_TRUE(result.passed) << "worst relative error " << result.max_relative_error << " at "
                             << result.worst_index;
}

// ---------------------------------------------------------------- RNG

TEST(RngTest, StreamsDifferAndRepeat) {
  Rng a(42, 0), b(42, 1), a_again(42, 0);
  bool differ = false;
  for (int i = 0; i < 8; ++i) {
    const uint64_t x = a.Next();
    differ = differ || x != b.Next();
    EXPECT_EQ(x, a_again.Next());
  }
  EXPECT_TRUE(differ);
}

TEST(RngTest, StateRoundTrips) {
  Rng a(9);
  a.Next();
  Rng b(1);
  b.set_state(a.state());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(RngTest, BelowAndUniformStayInRange) {
  Rng rng(77);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t x = rng.Below(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

}  // namespace
}  // namespace w2v::core

// ---------------------------------------------------------------- samplers

namespace w2v::core {
namespace {

TEST(AliasSamplerTest, DrawsTheNoiseDistribution) {
  // Chi-square goodness of fit at a fixed seed: 30 words, counts spread over three decades.
  std::vector<int64_t> counts;
  for (int i = 0; i < 30; ++i) counts.push_back(1 + (i * 37) % 1000);
  const AliasSampler sampler = MakeNoiseSampler(counts, 0.75);
  double total = 0;
  for (int64_t c : counts) total += std::pow(static_cast<double>(c), 0.75);
  for (int i = 0; i < 30; ++i) {
    EXPECT_NEAR(sampler.Probability(i), std::pow(static_cast<double>(counts[i]), 0.75) / total,
                1e-12);
  }
  constexpr int kDraws = 300000;
  std::vector<int64_t> observed(30, 0);
  Rng rng(2024);
  for (int i = 0; i < kDraws; ++i) {
    const int32_t w = sampler.Draw(rng);
    ASSERT_GE(w, 0);
    ASSERT_LT(w, 30);
    ++observed[w];
  }
  double chi_square = 0;
  for (int i = 0; i < 30; ++i) {
    const double expected = kDraws * sampler.Probability(i);
    chi_square += (observed[i] - expected) * (observed[i] - expected) / expected;
  }
  EXPECT_LT(chi_square, 58.3);  // the 0.001 critical value for 29 degrees of freedom
}

TEST(AliasSamplerTest, ZeroWeightIsNeverDrawnAndOneWordAlwaysIs) {
  const std::vector<double> weights = {0.0, 1.0, 0.0, 3.0};
  const AliasSampler sampler(weights);
  Rng rng(5);
  for (int i = 0; i < 10000; ++i) {
    const int32_t w = sampler.Draw(rng);
    EXPECT_TRUE(w == 1 || w == 3);
  }
  const std::vector<double> single = {2.0};
  const AliasSampler one(single);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(one.Draw(rng), 0);
}

TEST(SubsamplingTest, KeepProbabilityFormula) {
  // f = count/total = 0.01, t = 1e-4: (sqrt(100) + 1) · 0.01 = 0.11.
  EXPECT_NEAR(KeepProbability(100, 10000, 1e-4), 0.11, 1e-6);
  EXPECT_EQ(KeepProbability(1, 10000, 1e-4), 1.0f);   // rare words are always kept
  EXPECT_EQ(KeepProbability(100, 10000, 0.0), 1.0f);  // 0 disables subsampling
  Rng rng(8);
  int kept = 0;
  for (int i = 0; i < 100000; ++i) kept += KeepToken(0.11f, rng);
  EXPECT_NEAR(kept, 11000, 400);
}

TEST(WindowTest, ShrunkWindowIsUniformInOneToWindow) {
  Rng rng(9);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 50000; ++i) {
    const int32_t b = DrawWindow(5, rng);
    ASSERT_GE(b, 1);
    ASSERT_LE(b, 5);
    ++counts[b];
  }
  for (int b = 1; b <= 5; ++b) EXPECT_NEAR(counts[b], 10000, 400);
}

}  // namespace
}  // namespace w2v::core

// ---------------------------------------------------------------- embedding store

namespace w2v::core {
namespace {

TEST(EmbeddingStoreTest, RowsArePaddedAlignedAndInitialisedAsWord2vec) {
  EmbeddingStore store(50, 10);
  EXPECT_EQ(store.stride(), 16);
  EXPECT_EQ(store.bytes(), 2 * 50 * 16 * 4);
  store.InitializeUniform(7);
  double sum = 0;
  for (int64_t r = 0; r < store.rows(); ++r) {
    const float* v = store.center().row(r);
    const float* u = store.outside().row(r);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v) % 64, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(u) % 64, 0u);
    for (int64_t i = 0; i < 10; ++i) {
      EXPECT_GE(v[i], -0.05f);
      EXPECT_LT(v[i], 0.05f);
      EXPECT_EQ(u[i], 0.0f);
      sum += v[i];
    }
    for (int64_t i = 10; i < 16; ++i) EXPECT_EQ(v[i], 0.0f);  // padding stays zero
  }
  EXPECT_NEAR(sum / 500, 0.0, 0.005);
  // The same seed gives the same model; another seed another one.
  EmbeddingStore again(50, 10), other(50, 10);
  again.InitializeUniform(7);
  other.InitializeUniform(8);
  EXPECT_EQ(again.center().row(3)[2], store.center().row(3)[2]);
  EXPECT_NE(other.center().row(3)[2], store.center().row(3)[2]);
}

TEST(EmbeddingStoreTest, DimensionsAtAMultipleOf16NeedNoPadding) {
  EmbeddingStore store(3, 32);
  EXPECT_EQ(store.stride(), 32);
  EmbeddingStore one(1, 1);
  EXPECT_EQ(one.stride(), 16);
}

}  // namespace
}  // namespace w2v::core
