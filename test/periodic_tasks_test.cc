// The monitor's scheduler, on a clock the test moves by hand.
#include "trainer/periodic_tasks.h"

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace w2v::trainer {
namespace {

using Clock = PeriodicTasks::Clock;
using std::chrono::milliseconds;

class PeriodicTasksTest : public ::testing::Test {
 protected:
  PeriodicTasks tasks_{[this] { return now_; }};
  Clock::time_point now_{};
  std::vector<std::string> ran_;
};

TEST_F(PeriodicTasksTest, EachTaskRunsOncePerPeriodInTheOrderAdded) {
  tasks_.Add(0.1, [this] { ran_.push_back("log"); });
  tasks_.Add(0.25, [this] { ran_.push_back("snapshot"); });
  tasks_.RunDue();
  EXPECT_TRUE(ran_.empty()) << "nothing is due before its first period";
  now_ += milliseconds(100);
  tasks_.RunDue();
  EXPECT_EQ(ran_, std::vector<std::string>{"log"});
  now_ += milliseconds(99);
  tasks_.RunDue();
  EXPECT_EQ(ran_.size(), 1u);
  now_ += milliseconds(51);  // 250 ms: both
  tasks_.RunDue();
  EXPECT_EQ(ran_, (std::vector<std::string>{"log", "log", "snapshot"}));
}

TEST_F(PeriodicTasksTest, TheNextRunCountsFromWhenASlowTaskFinished) {
  // A snapshot that takes longer than its period does not run again at once.
  tasks_.Add(1, [this] {
    ran_.push_back("slow");
    now_ += milliseconds(1500);
  });
  now_ += milliseconds(1000);
  tasks_.RunDue();
  tasks_.RunDue();
  EXPECT_EQ(ran_.size(), 1u);
  now_ += milliseconds(999);
  tasks_.RunDue();
  EXPECT_EQ(ran_.size(), 1u);
  now_ += milliseconds(1);
  tasks_.RunDue();
  EXPECT_EQ(ran_.size(), 2u);
}

TEST_F(PeriodicTasksTest, APeriodOfZeroNeverRunsAndTheTickIsTheShortestPeriod) {
  tasks_.Add(0, [this] { ran_.push_back("never"); });
  EXPECT_EQ(tasks_.ShortestPeriod(milliseconds(100)), milliseconds(100));
  tasks_.Add(0.05, [this] { ran_.push_back("often"); });
  tasks_.Add(5, [this] { ran_.push_back("rarely"); });
  EXPECT_EQ(tasks_.ShortestPeriod(milliseconds(100)), milliseconds(50));
  now_ += std::chrono::hours(1);
  tasks_.RunDue();
  EXPECT_EQ(ran_, (std::vector<std::string>{"often", "rarely"}));
}

}  // namespace
}  // namespace w2v::trainer
