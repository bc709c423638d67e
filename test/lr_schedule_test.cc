// core/lr_schedule.h: the assignment's halving and word2vec's linear decay.
#include "core/lr_schedule.h"

#include "gtest/gtest.h"

namespace w2v::core {
namespace {

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
}  // namespace
}  // namespace w2v::core
