// What the monitor does every so often while the workers run (a log line and metrics record, a
// snapshot, and for a run over several machines a rank synchronisation): each task with its period,
// run when its time has come, the next time counted from when it finished, so that a task slower
// than its period (a big snapshot) does not run back to back.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

namespace w2v::trainer {

class PeriodicTasks {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  // `now` tells the time (tests pass a clock of their own).
  explicit PeriodicTasks(Now now = Clock::now);

  // Runs `task` every `period_seconds`, the first time one period from now; a period ≤ 0 never.
  void Add(double period_seconds, std::function<void()> task);

  // Runs every task whose time has come, in the order they were added.
  void RunDue();

  // The shortest period, or `longest` when that is shorter or there is no task: how long the
  // monitor may sleep between two looks.
  Clock::duration ShortestPeriod(Clock::duration longest) const;

 private:
  struct Task {
    Clock::duration period;
    Clock::time_point next;
    std::function<void()> run;
  };
  Now now_;
  std::vector<Task> tasks_;
};

}  // namespace w2v::trainer
