#include "trainer/periodic_tasks.h"

#include <algorithm>
#include <utility>

namespace w2v::trainer {

PeriodicTasks::PeriodicTasks(Now now) : now_(std::move(now)) {}

void PeriodicTasks::Add(double period_seconds, std::function<void()> task) {
  if (period_seconds <= 0) return;
  const auto period =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period_seconds));
  tasks_.push_back({period, now_() + period, std::move(task)});
}

void PeriodicTasks::RunDue() {
  for (Task& task : tasks_) {
    if (now_() < task.next) continue;
    task.run();
    task.next = now_() + task.period;
  }
}

PeriodicTasks::Clock::duration PeriodicTasks::ShortestPeriod(Clock::duration longest) const {
  for (const Task& task : tasks_) longest = std::min(longest, task.period);
  return longest;
}

}  // namespace w2v::trainer
