// The monitor of a running epoch loop: a thread that wakes every 100 ms (or more often, for a
// shorter period) while the workers train. It turns a stop signal into an interruption at the
// workers' next sentence boundary, redraws the progress bar, and runs the periodic tasks: a log
// line and metrics record every log.interval_seconds, a snapshot every snapshot.every_seconds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "io/config.h"
#include "nlohmann/json_fwd.hpp"
#include "trainer/metrics_log.h"
#include "trainer/periodic_tasks.h"
#include "trainer/progress_bar.h"
#include "trainer/worker.h"

namespace w2v::trainer {

class Monitor {
 public:
  // Writes a snapshot with the metrics so far and the training seconds; the caller parks the
  // workers around it. Empty: this monitor takes no snapshots.
  using SnapshotWriter = std::function<absl::Status(const std::string& metrics, double elapsed)>;

  // `elapsed_before`: training seconds of the run before this process (a resume).
  Monitor(const io::TrainConfig& config, SharedTraining& shared,
          const std::vector<WorkerCounters>& counters, MetricsLog& metrics, double elapsed_before,
          SnapshotWriter write_snapshot);

  void Start();
  // Stops the thread and writes the closing interval record and the summary.
  absl::Status Finish(bool interrupted);

  void set_epoch(int64_t epoch) { epoch_.store(epoch, std::memory_order_relaxed); }
  // Appends a record of the caller's (an evaluation's fields) after the time, words and epoch.
  void AppendRecord(const nlohmann::ordered_json& fields);

  // The totals at the last record.
  const core::TrainingCounts& totals() const { return last_; }
  double elapsed() const;
  int signal() const { return signal_; }

 private:
  enum class Record { kInterval, kFinal, kInterrupted };
  using Clock = std::chrono::steady_clock;

  void Loop();
  void PollSignal();
  double Progress(const core::TrainingCounts& now) const;
  void Report(Record record);
  void Write(const nlohmann::ordered_json& record);

  const io::TrainConfig& config_;
  SharedTraining& shared_;
  const std::vector<WorkerCounters>& counters_;
  MetricsLog& metrics_;
  SnapshotWriter write_snapshot_;
  absl::Status metrics_status_;
  Clock::time_point start_, last_time_;
  core::TrainingCounts last_;
  std::atomic<int64_t> epoch_{0};
  ProgressBar bar_;
  PeriodicTasks tasks_;
  int signal_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace w2v::trainer
