// core/hot_rows.h: a fold puts a lone writer's values into the shared rows exactly (so one thread
// trains bit for bit as without the copies), adds up the changes of several writers, and leaves
// the other rows alone.
#include "core/hot_rows.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cbow_step.h"
#include "core/logistic_block_step.h"
#include "core/logistic_targets.h"
#include "core/matrix.h"
#include "core/random.h"
#include "gtest/gtest.h"

namespace w2v::core {
namespace {

struct Matrix {
  explicit Matrix(int64_t rows) : values(rows * 16, 0.0f), view{values.data(), rows, 3, 16} {}
  std::vector<float> values;
  MatrixView view;
};

TEST(HotRowsTest, ALoneWritersFoldIsExact) {
  Matrix m(6);
  m.view.row(4)[0] = 1e8f;
  HotRows hot(m.view, 4, 10);  // clamped to rows 4 and 5
  EXPECT_EQ(hot.size(), 2);
  EXPECT_TRUE(hot.holds(5));
  EXPECT_FALSE(hot.holds(3));
  EXPECT_FALSE(hot.holds(6));
  EXPECT_EQ(hot.row(4)[0], 1e8f);
  // base + (copy − base) would be 1e8 + (1 − 1e8) = 0 in float: the fold must give 1.
  hot.row(4)[0] = 1.0f;
  hot.row(5)[2] = -0.0f;
  hot.row(5)[1] = 3.5f;
  hot.Fold();
  EXPECT_EQ(m.view.row(4)[0], 1.0f);
  EXPECT_EQ(m.view.row(5)[1], 3.5f);
  EXPECT_TRUE(std::signbit(m.view.row(5)[2]));
  // The copy goes on from the shared rows as they are now.
  m.view.row(5)[1] = 7.0f;  // another worker's fold
  hot.Fold();
  EXPECT_EQ(hot.row(5)[1], 7.0f);
  EXPECT_EQ(m.view.row(4)[0], 1.0f);
}

TEST(HotRowsTest, TwoWritersChangesAddUp) {
  Matrix m(4);
  for (float& v : m.values) v = 10.0f;
  HotRows a(m.view, 2, 2), b(m.view, 2, 2);
  a.row(2)[0] += 1.0f;
  a.row(3)[1] -= 4.0f;
  b.row(2)[0] += 2.0f;
  b.row(3)[2] += 0.5f;
  a.Fold();
  b.Fold();
  EXPECT_EQ(m.view.row(2)[0], 13.0f);
  EXPECT_EQ(m.view.row(3)[1], 6.0f);
  EXPECT_EQ(m.view.row(3)[2], 10.5f);
  EXPECT_EQ(m.view.row(1)[0], 10.0f);  // rows outside the range are never written
  a.Fold();
  EXPECT_EQ(a.row(3)[2], 10.5f);  // a now sees b's change
}

// What a worker does with its hot rows: the steps write the copies of the rows it holds, and a
// fold puts them in place: with one worker, bit for bit what the steps on the matrix give.
TEST(HotRowsTest, StepsOnRedirectedRowsThenAFoldAreTheStepsOnTheMatrix) {
  Rng rng(9);
  Matrix inputs(8), direct(8), redirected(8);
  for (int64_t r = 0; r < 8; ++r) {
    for (int64_t c = 0; c < 3; ++c) {
      inputs.view.row(r)[c] = static_cast<float>(rng.Uniform() - 0.5);
      direct.view.row(r)[c] = redirected.view.row(r)[c] = static_cast<float>(rng.Uniform() - 0.5);
    }
  }
  Matrix inputs_copy = inputs;
  inputs_copy.view.data = inputs_copy.values.data();
  LogisticTargets targets;
  targets.Add(1, 1.0f, 1.0f);
  targets.Add(6, 0.0f, 1.0f);  // held
  targets.Add(7, 1.0f, 1.0f);  // held
  const std::vector<int32_t> context = {0, 2, 2, 5};
  HotRows hot(redirected.view, 6, 2);
  BlockScratch block;
  CbowScratch cbow;
  for (int round = 0; round < 3; ++round) {
    LogisticBlockStep(inputs.view, context, direct.view, targets, 0.1f, block);
    CbowStep(inputs.view, context, direct.view, targets, 0.1f, false, cbow);
    LogisticTargets moved = targets;
    moved.Redirect(redirected.view, hot);
    LogisticBlockStep(inputs_copy.view, context, redirected.view, moved, 0.1f, block);
    CbowStep(inputs_copy.view, context, redirected.view, moved, 0.1f, false, cbow);
  }
  EXPECT_NE(redirected.values, direct.values);  // rows 6 and 7 are still only in the copies
  hot.Fold();
  EXPECT_EQ(redirected.values, direct.values);
  EXPECT_EQ(inputs_copy.values, inputs.values);
}

}  // namespace
}  // namespace w2v::core
