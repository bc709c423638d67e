// core/samplers.h: the noise distribution, subsampling and the shrunk window.
#include "core/samplers.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"

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

TEST(SubsamplingTest, KeepProbabilityAssignmentFormula) {
  // The starter code keeps a word with probability sqrt(t·N/count), capped at 1.
  constexpr auto kAssignment = SubsampleFormula::kAssignment;
  EXPECT_NEAR(KeepProbability(100, 10000, 1e-4, kAssignment), 0.1, 1e-6);   // sqrt(0.01)
  EXPECT_NEAR(KeepProbability(400, 10000, 1e-4, kAssignment), 0.05, 1e-6);  // sqrt(0.0025)
  EXPECT_NEAR(KeepProbability(2, 10000, 1e-4, kAssignment), std::sqrt(0.5), 1e-6);
  EXPECT_EQ(KeepProbability(1, 10000, 1e-4, kAssignment), 1.0f);    // sqrt(1): exactly the cap
  EXPECT_EQ(KeepProbability(1, 1000, 1e-2, kAssignment), 1.0f);     // sqrt(10) capped at 1
  EXPECT_EQ(KeepProbability(100, 10000, 0.0, kAssignment), 1.0f);   // 0 disables subsampling
  EXPECT_EQ(KeepProbability(0, 10000, 1e-4, kAssignment), 1.0f);    // no count: nothing to drop
  // Below word2vec's for the same word: (sqrt(f/t) + 1)·t/f = sqrt(t/f) + t/f.
  EXPECT_LT(KeepProbability(100, 10000, 1e-4, kAssignment), KeepProbability(100, 10000, 1e-4));
  EXPECT_EQ(KeepProbability(100, 10000, 1e-4, SubsampleFormula::kWord2Vec),
            KeepProbability(100, 10000, 1e-4));
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
