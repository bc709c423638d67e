#include "trainer/monitor.h"

#include <signal.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "trainer/stop_signals.h"

namespace w2v::trainer {
namespace {

// How often the thread wakes to poll for a signal and redraw the bar, at the longest.
constexpr auto kTick = std::chrono::milliseconds(100);

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

Monitor::Monitor(const io::TrainConfig& config, SharedTraining& shared,
                 const std::vector<WorkerCounters>& counters, MetricsLog& metrics,
                 double elapsed_before, SnapshotWriter write_snapshot)
    : config_(config),
      shared_(shared),
      counters_(counters),
      metrics_(metrics),
      write_snapshot_(std::move(write_snapshot)),
      start_(Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(elapsed_before))),
      last_time_(Clock::now()),
      last_(SumCounters(counters)) {
  tasks_.Add(config_.log.interval_seconds, [this] {
    bar_.Clear();
    Report(Record::kInterval);
  });
  // No writer: a rank other than 0 of a distributed run, whose snapshots rank 0 takes.
  tasks_.Add(write_snapshot_ ? config_.snapshot.every_seconds : 0, [this] {
    bar_.Clear();
    if (absl::Status s = write_snapshot_(metrics_.text(), elapsed()); !s.ok()) {
      // Losing the snapshot must not lose the run: the previous one is still in place.
      spdlog::error("snapshot failed, training goes on: {}", std::string(s.message()));
    }
  });
}

void Monitor::Start() {
  thread_ = std::thread([this] { Loop(); });
}

absl::Status Monitor::Finish(bool interrupted) {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  bar_.Clear();
  // The words since the last tick close the loss curve, so that it reaches the end of training
  // (and a run shorter than one interval still has a point).
  Report(Record::kInterval);
  Report(interrupted ? Record::kInterrupted : Record::kFinal);
  return metrics_status_;
}

void Monitor::AppendRecord(const nlohmann::ordered_json& fields) {
  std::lock_guard lock(mutex_);
  nlohmann::ordered_json record = {{"time_s", Rounded(elapsed(), 3)},
                                   {"words", SumCounters(counters_).words},
                                   {"epoch", epoch_.load(std::memory_order_relaxed)}};
  record.update(fields);
  Write(record);
}

double Monitor::elapsed() const { return Seconds(Clock::now() - start_); }

void Monitor::Loop() {
  const auto tick = tasks_.ShortestPeriod(kTick);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, tick, [this] { return done_; })) {
    PollSignal();
    tasks_.RunDue();
    if (!bar_.enabled()) continue;
    const core::TrainingCounts now = SumCounters(counters_);
    const double progress = Progress(now);
    bar_.Draw(progress, now.words, EtaSeconds(elapsed(), progress));
  }
}

void Monitor::PollSignal() {
  const int s = PendingStopSignal();
  if (s == 0 || signal_ != 0) return;
  signal_ = s;
  bar_.Clear();
  spdlog::warn(
      "{}: stopping at the next sentence boundary and writing a snapshot "
      "(again to kill at once)",
      s == SIGINT ? "interrupted" : "terminated");
  shared_.interrupt.store(true);
}

double Monitor::Progress(const core::TrainingCounts& now) const {
  const double progress =
      shared_.windows_total > 0
          ? static_cast<double>(now.windows) / static_cast<double>(shared_.windows_total)
          : static_cast<double>(now.words) /
                static_cast<double>(std::max<int64_t>(1, shared_.words_total));
  return std::min(progress, 1.0);
}

void Monitor::Report(Record record) {
  const bool summary = record != Record::kInterval;
  const core::TrainingCounts now = SumCounters(counters_);
  const auto time = Clock::now();
  const double elapsed_s = Seconds(time - start_);
  const double interval = Seconds(time - last_time_);
  const int64_t windows = summary ? now.windows : now.windows - last_.windows;
  const double loss_sum = summary ? now.loss_sum : now.loss_sum - last_.loss_sum;
  const double loss = windows > 0 ? loss_sum / static_cast<double>(windows) : NAN;
  const int64_t words = now.words - last_.words;
  const int64_t pairs = summary ? now.pairs : now.pairs - last_.pairs;
  const double words_per_sec =
      summary ? now.words / std::max(elapsed_s, 1e-9) : words / std::max(interval, 1e-9);
  const double lr = ScheduledLearningRate(shared_);
  const double progress = Progress(now);
  const double eta = EtaSeconds(elapsed_s, progress);
  const int64_t threads = config_.threads * shared_.ranks;  // every rank's
  // What the assignment prints, `iter N: exploss`: N is the last iteration that moved exploss.
  const bool random_context = config_.optim.sampling == io::SamplingKind::kRandomContext;
  const int64_t iteration =
      shared_.windows_done.load(std::memory_order_relaxed) / config_.optim.batch_windows;
  const int64_t smoothed_at = shared_.smoothed_iteration.load(std::memory_order_acquire);
  const double smoothed = shared_.smoothed_loss.load(std::memory_order_relaxed);
  const std::string assignment_line =
      random_context && !std::isnan(smoothed) ? absl::StrFormat("iter %d: %f", smoothed_at, smoothed)
                                              : std::string();

  if (summary) {
    spdlog::info("{} {} words in {:.2f} s: {:.0f} words/s ({:.0f} per thread), {}",
                 record == Record::kFinal ? "trained" : "stopped after", now.words, elapsed_s,
                 words_per_sec, words_per_sec / threads,
                 windows > 0 ? absl::StrFormat("mean loss per window %.4f", loss)
                             : std::string("no training window"));
  } else if (windows > 0) {
    spdlog::info("{:5.1f}% | {:.0f} words/s ({:.0f}/thread) | loss {:.4f}{} | lr {:.6f} | ETA {}",
                 100 * progress, words_per_sec, words_per_sec / threads, loss,
                 assignment_line.empty() ? "" : " | " + assignment_line, lr, FormatDuration(eta));
  }
  if (windows > 0 || summary) {
    nlohmann::ordered_json entry = {
        {"time_s", Rounded(elapsed_s, 3)},
        {"words", now.words},
        {"epoch", epoch_.load(std::memory_order_relaxed)},
        {"progress", Rounded(progress, 6)},
        {"lr", lr},
        {"loss", Rounded(loss, 6)},
        {"loss_per_pair", pairs > 0 ? Rounded(loss_sum / static_cast<double>(pairs), 6) : NAN},
        {"windows", now.windows},
        {"words_per_sec", Rounded(words_per_sec, 1)},
        {"words_per_sec_per_thread", Rounded(words_per_sec / threads, 1)},
        {"threads", threads}};
    if (shared_.ranks > 1) entry["ranks"] = shared_.ranks;
    if (shared_.windows_total > 0) entry["iteration"] = iteration;
    if (random_context) entry["smoothed_loss"] = Rounded(smoothed, 6);
    if (summary) {
      entry[record == Record::kFinal ? "final" : "interrupted"] = true;
      entry["kept_words"] = now.kept;
      entry["pairs"] = now.pairs;
    }
    Write(entry);
  }
  last_ = now;
  last_time_ = time;
}

void Monitor::Write(const nlohmann::ordered_json& record) {
  if (absl::Status s = metrics_.Append(record); !s.ok()) metrics_status_ = s;
}

}  // namespace w2v::trainer
