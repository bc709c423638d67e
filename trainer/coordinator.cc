#include "trainer/coordinator.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/embedding_store.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/corpus.h"
#include "io/encoded_corpus.h"
#include "io/evaluation_sets.h"
#include "io/snapshot.h"
#include "io/vectors.h"
#include "io/vocabulary.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "spdlog/spdlog.h"
#include "trainer/resume_policy.h"
#include "trainer/run_outputs.h"
#include "trainer/stop_signals.h"
#include "trainer/training_evaluation.h"
#include "trainer/worker.h"

namespace w2v::trainer {
namespace {

using Clock = std::chrono::steady_clock;
using io::ShardProgress;

// Totals over every worker's counters at one moment.
using Totals = io::TrainingCounts;

Totals Sum(const std::vector<WorkerCounters>& counters) {
  Totals t;
  for (const WorkerCounters& c : counters) {
    const io::TrainingCounts counts = c.Load();
    t.loss_sum += counts.loss_sum;
    t.windows += counts.windows;
    t.pairs += counts.pairs;
    t.words += counts.words;
    t.kept += counts.kept;
  }
  return t;
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<int64_t>(seconds + 0.5);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
}

// Everything a run holds, built fresh from a config or read back from a snapshot.
struct RunState {
  io::TrainConfig config;
  io::Corpus corpus;
  io::Vocabulary vocab;
  core::EmbeddingStore store;
  std::vector<io::Shard> shards;
  std::vector<std::vector<int32_t>> shard_ids;  // each shard encoded (io/encoded_corpus.h)
  std::vector<ShardProgress> progress;  // of the epoch in progress, one per shard
  std::vector<io::TrainingCounts> totals;  // restored into the workers' counters
  int64_t epoch = 0;
  bool finished = false;
  int64_t words_done = 0;
  int64_t windows_done = 0;
  double elapsed_before = 0;   // training seconds before this process (resume)
  std::string metrics_before;  // metrics.jsonl lines before this process (resume)
};

// Logs a line and appends a metrics record every interval while the workers run, draws a progress
// bar when standard error is a terminal, turns a stop signal into an interruption, and calls for a
// snapshot every snapshot.every_seconds. The metrics file is rewritten whole through a temporary
// file each time, so it is never seen half-written.
class Monitor {
 public:
  using SnapshotWriter = std::function<absl::Status(const std::string& metrics, double elapsed)>;

  Monitor(const io::TrainConfig& config, SharedTraining& shared,
          const std::vector<WorkerCounters>& counters, std::string metrics_path,
          const RunState& state, SnapshotWriter write_snapshot)
      : config_(config),
        shared_(shared),
        counters_(counters),
        metrics_path_(std::move(metrics_path)),
        metrics_(state.metrics_before),
        write_snapshot_(std::move(write_snapshot)),
        start_(Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(state.elapsed_before))),
        last_time_(Clock::now()),
        last_(Sum(counters)),
        bar_(isatty(STDERR_FILENO) != 0) {}

  void Start() {
    thread_ = std::thread([this] { Loop(); });
  }

  // Stops the thread and writes the final summary record.
  absl::Status Finish(bool interrupted) {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    ClearBar();
    // The words since the last tick close the loss curve, so that it reaches the end of training
    // (and a run shorter than one interval still has a point).
    Report(Record::kInterval);
    Report(interrupted ? Record::kInterrupted : Record::kFinal);
    return metrics_status_;
  }

  void set_epoch(int64_t epoch) { epoch_.store(epoch, std::memory_order_relaxed); }

  // Appends a record of the caller's (an evaluation) after the current time and word count.
  void AppendRecord(const std::string& fields) {
    std::lock_guard lock(mutex_);
    const Totals now = Sum(counters_);
    absl::StrAppendFormat(&metrics_, "{\"time_s\":%.3f,\"words\":%d,\"epoch\":%d,%s}\n", elapsed(),
                          now.words, epoch_.load(std::memory_order_relaxed), fields);
    if (absl::Status s = io::WriteFileAtomically(metrics_path_, metrics_); !s.ok()) {
      metrics_status_ = s;
    }
  }
  const Totals& totals() const { return last_; }
  const std::string& metrics() const { return metrics_; }
  double elapsed() const { return Seconds(Clock::now() - start_); }
  int signal() const { return signal_; }

 private:
  enum class Record { kInterval, kFinal, kInterrupted };
  // How often the thread wakes to poll for a signal and redraw the bar (or the log interval, if
  // shorter).
  static constexpr auto kTick = std::chrono::milliseconds(100);

  static double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

  void Loop() {
    const auto log_every = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(config_.log.interval_seconds));
    const auto snapshot_every = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(config_.snapshot.every_seconds));
    auto next_log = Clock::now() + log_every;
    auto next_snapshot = Clock::now() + snapshot_every;
    const auto tick = std::min<Clock::duration>(kTick, log_every);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, tick, [this] { return done_; })) {
      if (const int s = PendingStopSignal(); s != 0 && signal_ == 0) {
        signal_ = s;
        ClearBar();
        spdlog::warn("{}: stopping at the next sentence boundary and writing a snapshot "
                     "(again to kill at once)",
                     s == SIGINT ? "interrupted" : "terminated");
        shared_.interrupt.store(true);
      }
      const auto now = Clock::now();
      if (now >= next_log) {
        ClearBar();
        Report(Record::kInterval);
        next_log = now + log_every;
      }
      if (config_.snapshot.every_seconds > 0 && now >= next_snapshot) {
        ClearBar();
        if (absl::Status s = write_snapshot_(metrics_, elapsed()); !s.ok()) {
          // Losing the snapshot must not lose the run: the previous one is still in place.
          spdlog::error("snapshot failed, training goes on: {}", std::string(s.message()));
        }
        next_snapshot = Clock::now() + snapshot_every;
      }
      DrawBar();
    }
  }

  double Progress(const Totals& now) const {
    const double progress =
        shared_.windows_total > 0
            ? static_cast<double>(now.windows) / static_cast<double>(shared_.windows_total)
            : static_cast<double>(now.words) /
                  static_cast<double>(std::max<int64_t>(1, shared_.words_total));
    return std::min(progress, 1.0);
  }

  void DrawBar() {
    if (!bar_) return;
    const Totals now = Sum(counters_);
    const double progress = Progress(now);
    const double elapsed_s = elapsed();
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(progress * kWidth);
    const double eta = progress > 0 ? elapsed_s * (1 - progress) / progress : NAN;
    std::fprintf(stderr, "\r[%s%s] %5.1f%% | %s words | ETA %s\033[K",
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 100 * progress, absl::StrCat(now.words).c_str(), FormatDuration(eta).c_str());
    std::fflush(stderr);
    bar_drawn_ = true;
  }

  void ClearBar() {
    if (!bar_drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    bar_drawn_ = false;
  }

  void Report(Record record) {
    const bool summary = record != Record::kInterval;
    const Totals now = Sum(counters_);
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
    const double lr = CurrentLearningRate(shared_);
    const double progress = Progress(now);
    const double eta = progress > 0 ? elapsed_s * (1 - progress) / progress : NAN;
    const int64_t threads = config_.threads;

    if (summary) {
      spdlog::info("{} {} words in {:.2f} s: {:.0f} words/s ({:.0f} per thread), {}",
                   record == Record::kFinal ? "trained" : "stopped after", now.words, elapsed_s,
                   words_per_sec, words_per_sec / threads,
                   windows > 0 ? absl::StrFormat("mean loss per window %.4f", loss)
                               : std::string("no training window"));
    } else if (windows > 0) {
      spdlog::info("{:5.1f}% | {:.0f} words/s ({:.0f}/thread) | loss {:.4f} | lr {:.6f} | ETA {}",
                   100 * progress, words_per_sec, words_per_sec / threads, loss, lr,
                   FormatDuration(eta));
    }
    if (windows > 0 || summary) {
      absl::StrAppendFormat(
          &metrics_,
          "{\"time_s\":%.3f,\"words\":%d,\"epoch\":%d,\"progress\":%.6f,\"lr\":%.9g,"
          "\"loss\":%s,\"loss_per_pair\":%s,\"windows\":%d,\"words_per_sec\":%.1f,"
          "\"words_per_sec_per_thread\":%.1f,\"threads\":%d%s}\n",
          elapsed_s, now.words, epoch_.load(std::memory_order_relaxed), progress, lr,
          std::isfinite(loss) ? absl::StrFormat("%.6f", loss) : "null",
          pairs > 0 ? absl::StrFormat("%.6f", loss_sum / static_cast<double>(pairs)) : "null",
          now.windows, words_per_sec, words_per_sec / threads, threads,
          summary ? absl::StrFormat(",\"%s\":true,\"kept_words\":%d,\"pairs\":%d",
                                    record == Record::kFinal ? "final" : "interrupted", now.kept,
                                    now.pairs)
                  : "");
      if (absl::Status s = io::WriteFileAtomically(metrics_path_, metrics_); !s.ok()) {
        metrics_status_ = s;
      }
    }
    last_ = now;
    last_time_ = time;
  }

  const io::TrainConfig& config_;
  SharedTraining& shared_;
  const std::vector<WorkerCounters>& counters_;
  std::string metrics_path_;
  std::string metrics_;
  SnapshotWriter write_snapshot_;
  absl::Status metrics_status_;
  Clock::time_point start_, last_time_;
  Totals last_;
  std::atomic<int64_t> epoch_{0};
  const bool bar_;
  bool bar_drawn_ = false;
  int signal_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

io::VocabOptions VocabOptionsFrom(const io::TrainConfig& config) {
  return {config.vocab.min_count, config.vocab.max_vocab, config.model.subsample,
          static_cast<int>(config.threads)};
}

// The snapshot of `state` as it stands while the workers are parked (or done).
io::SnapshotContents MakeSnapshot(const RunState& state, const SharedTraining& shared,
                                  const std::vector<WorkerCounters>& counters, int64_t epoch,
                                  bool finished, const std::string& metrics, double elapsed) {
  io::SnapshotContents c;
  c.program_version = W2V_VERSION;
  c.config_toml = io::ConfigToToml(state.config);
  c.vocabulary.reserve(state.vocab.size());
  for (int32_t w = 0; w < state.vocab.size(); ++w) {
    c.vocabulary.emplace_back(state.vocab.word(w), state.vocab.count(w));
  }
  for (const io::MappedFile& file : state.corpus.files()) c.corpus_file_sizes.push_back(file.size());
  c.metrics_jsonl = metrics;
  c.epoch = epoch;
  c.finished = finished;
  c.words_done = shared.words_done.load();
  c.windows_done = shared.windows_done.load();
  c.elapsed_seconds = elapsed;
  c.shards = state.shards;
  c.progress = state.progress;
  for (const WorkerCounters& w : counters) c.totals.push_back(w.Load());
  return c;
}

void ResetProgress(std::vector<ShardProgress>& progress) {
  std::fill(progress.begin(), progress.end(), ShardProgress{});
}

bool AllDone(const std::vector<ShardProgress>& progress) {
  return std::all_of(progress.begin(), progress.end(), [](const ShardProgress& p) {
    return p.state == ShardProgress::State::kDone;
  });
}

// Whether some sentence holds two vocabulary words, the least a context window needs.
bool HasTrainingWindow(const std::vector<std::vector<int32_t>>& shard_ids) {
  for (const std::vector<int32_t>& ids : shard_ids) {
    for (size_t i = 1; i < ids.size(); ++i) {
      if (ids[i - 1] != io::kSentenceEnd && ids[i] != io::kSentenceEnd) return true;
    }
  }
  return false;
}

absl::Status NoTrainingWindowError(const io::TrainConfig& config) {
  return absl::FailedPreconditionError(absl::StrCat(
      absl::StrJoin(config.corpus.paths, ", "),
      ": no training window: every sentence has fewer than two vocabulary words (vocab.min_count = ",
      config.vocab.min_count, ")"));
}

// Runs (or continues) the epochs of `state`, then writes the final snapshot and the outputs.
absl::StatusOr<RunResult> Train(RunState& state, const RunOptions& options) {
  const io::TrainConfig& config = state.config;
  const OutputPaths paths(config);
  RETURN_IF_ERROR(PrepareOutputs(config, paths));
  ASSIGN_OR_RETURN(const EvaluationSets evaluation_sets, ReadEvaluationSets(config));
  if (state.finished) {
    // Resuming a run that had ended (killed while writing its outputs, say): write them again.
    spdlog::info("the snapshot's run is complete; writing its outputs");
    RETURN_IF_ERROR(io::WriteFileAtomically(paths.metrics, state.metrics_before));
    RETURN_IF_ERROR(WriteOutputs(state.config, state.vocab, state.store, paths));
    return RunResult{false, 0, paths.snapshot};
  }

  const auto encode_start = Clock::now();
  ASSIGN_OR_RETURN(state.shard_ids, io::EncodeShards(state.corpus, state.shards, state.vocab,
                                                     static_cast<int>(config.threads)));
  spdlog::info("corpus encoded as vocabulary ids in {:.2f} s",
               std::chrono::duration<double>(Clock::now() - encode_start).count());
  if (!HasTrainingWindow(state.shard_ids)) return NoTrainingWindowError(config);

  const SentenceTrainerFactory trainers(config, state.vocab);
  SharedTraining shared(config, state.vocab, state.store, trainers);
  const bool by_iterations = config.optim.iterations > 0;
  shared.windows_total = by_iterations ? config.optim.iterations * config.optim.batch_windows : 0;
  shared.words_total = by_iterations ? 0 : config.optim.epochs * state.vocab.total_count();
  shared.words_done = state.words_done;
  shared.windows_done = state.windows_done;
  shared.stop_after_words = options.stop_after_words;
  std::vector<WorkerCounters> counters(state.shards.size());
  for (size_t s = 0; s < counters.size() && s < state.totals.size(); ++s) {
    counters[s].Store(state.totals[s]);
  }

  spdlog::info("training: dim {}, window {}, {}, {} threads, {} shards, {}{}", config.model.dim,
               config.model.window,
               config.model.loss == io::LossKind::kSoftmax
                   ? std::string("naive softmax")
                   : absl::StrCat("negative sampling K=", config.model.negatives),
               config.threads, state.shards.size(),
               by_iterations ? absl::StrCat(config.optim.iterations, " iterations of ",
                                            config.optim.batch_windows, " windows")
                             : absl::StrCat(config.optim.epochs, " epochs"),
               state.words_done > 0 ? absl::StrCat(", resuming at word ", state.words_done) : "");

  std::atomic<int64_t> epoch{state.epoch};
  bool finished = false;
  const auto write_snapshot = [&](const std::string& metrics, double elapsed) {
    shared.parking.PauseAll();
    if (shared.diverged.load()) {
      shared.parking.ResumeAll();
      return absl::FailedPreconditionError("the model diverged; the last good snapshot stays");
    }
    const io::SnapshotContents contents =
        MakeSnapshot(state, shared, counters, epoch.load(), finished, metrics, elapsed);
    absl::Status status = io::WriteSnapshot(paths.snapshot, contents, state.store);
    shared.parking.ResumeAll();
    if (status.ok()) spdlog::info("snapshot written to {}", paths.snapshot);
    return status;
  };

  const StopSignalHandlers handlers;
  Monitor monitor(config, shared, counters, paths.metrics, state, write_snapshot);
  monitor.set_epoch(state.epoch);
  monitor.Start();
  tbb::task_arena arena(static_cast<int>(config.threads));
  std::exception_ptr failure;
  while (!shared.interrupt.load()) {
    const int64_t words_before = shared.words_done.load();
    try {
      // A worker's exception cancels the other tasks and is rethrown here.
      arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<size_t>(0, state.shards.size(), 1),
            [&](const tbb::blocked_range<size_t>& range) {
              for (size_t s = range.begin(); s != range.end(); ++s) {
                TrainShard(shared, state.shard_ids[s], static_cast<int64_t>(s), epoch.load(),
                           state.progress[s], counters[s]);
              }
            },
            tbb::simple_partitioner());
      });
    } catch (...) {
      failure = std::current_exception();
      break;
    }
    if (!shared.stop.load() && !AllDone(state.progress)) break;  // interrupted mid-epoch
    if (shared.diverged.load()) break;
    const int64_t epochs_done = epoch.load() + 1;
    {
      // The epoch is over: move on under the parking lot, so a snapshot never sees half of it.
      const ParkingLotScope moving_on(shared.parking);
      const bool nothing_trained = shared.words_done.load() == words_before;
      finished = shared.stop.load() || (by_iterations && nothing_trained) ||
                 (!by_iterations && epochs_done >= config.optim.epochs);
      if (!finished) {
        ResetProgress(state.progress);
        epoch.fetch_add(1);
        monitor.set_epoch(epoch.load());
      }
    }
    // Outside the parking lot: the monitor may be waiting in it to write a snapshot, and the
    // evaluation only reads the store, which no worker touches between epochs.
    const int64_t every = config.eval.every_epochs;
    if (every > 0 && (finished || epochs_done % every == 0)) {
      monitor.AppendRecord(
          Evaluate(config, state.vocab, state.store, evaluation_sets, epochs_done, arena));
    }
    if (finished) break;
  }
  const bool interrupted = !finished && !failure;
  RETURN_IF_ERROR(monitor.Finish(/*interrupted=*/!finished));
  if (shared.diverged.load()) {
    std::error_code ec;
    const bool have_snapshot = std::filesystem::exists(paths.snapshot, ec);
    return absl::FailedPreconditionError(absl::StrCat(
        config.source, ": optim.lr: training diverged (a loss became NaN or infinite after ",
        shared.diverged_at_words.load(), " words) at lr ", absl::StrFormat("%g", config.optim.lr),
        "; try a smaller optim.lr. No vectors were written",
        have_snapshot ? absl::StrCat("; ", paths.snapshot, " still holds the last good state")
                      : ""));
  }
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return absl::InternalError(e.what());
    }
  }
  if (finished && monitor.totals().windows == 0) {
    // The corpus has windows (checked before training), but subsampling dropped every one.
    return absl::FailedPreconditionError(
        absl::StrCat(config.source, ": model.subsample: subsampling at ",
                     absl::StrFormat("%g", config.model.subsample),
                     " dropped every training window of this small corpus; set it higher, or 0 "
                     "to keep every word"));
  }

  RETURN_IF_ERROR(write_snapshot(monitor.metrics(), monitor.elapsed()));
  RETURN_IF_ERROR(WriteOutputs(state.config, state.vocab, state.store, paths));
  spdlog::info("wrote the vectors, vocabulary, metrics and config to {}", config.output.dir);
  if (config.output.plots) DrawPlots(config, paths);
  return RunResult{interrupted, monitor.signal(), paths.snapshot};
}

void InitializeStore(const io::TrainConfig& config, core::EmbeddingStore& store) {
  if (config.model.init == io::InitKind::kWord2Vec) {
    store.InitializeWord2Vec(config.optim.seed);
  } else {
    store.InitializeUniform(config.optim.seed);
  }
}

}  // namespace

absl::StatusOr<RunResult> RunTraining(const io::TrainConfig& config, const RunOptions& options) {
  if (config.corpus.paths.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(config.source, ": corpus.paths: no corpus file given"));
  }
  RETURN_IF_ERROR(PrepareOutputs(config, OutputPaths(config)));

  ASSIGN_OR_RETURN(io::Corpus corpus,
                   io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus)));
  io::CountStats stats;
  ASSIGN_OR_RETURN(io::Vocabulary vocab,
                   config.vocab.path.empty()
                       ? io::Vocabulary::Build(corpus, VocabOptionsFrom(config), &stats)
                       : io::Vocabulary::Read(config.vocab.path, VocabOptionsFrom(config)));
  spdlog::info("vocabulary: {} words, {} tokens in the vocabulary{}", vocab.size(),
               vocab.total_count(),
               config.vocab.path.empty() ? absl::StrFormat(" (counted in %.2f s)", stats.seconds)
                                         : " (read from " + config.vocab.path + ")");

  core::EmbeddingStore store(vocab.size(), config.model.dim);
  InitializeStore(config, store);
  // Several shards per thread keep both threads busy when shards take unequal time.
  std::vector<io::Shard> shards = corpus.MakeShards(4 * config.threads);
  const size_t shard_count = shards.size();
  RunState state{.config = config,
                 .corpus = std::move(corpus),
                 .vocab = std::move(vocab),
                 .store = std::move(store),
                 .shards = std::move(shards),
                 .shard_ids = {},
                 .progress = std::vector<ShardProgress>(shard_count),
                 .totals = {},
                 .metrics_before = {}};
  return Train(state, options);
}

absl::StatusOr<RunResult> ResumeTraining(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides,
                                         const RunOptions& options) {
  RETURN_IF_ERROR(CheckResumeOverrides(overrides));
  ASSIGN_OR_RETURN(io::LoadedSnapshot snapshot, io::ReadSnapshot(snapshot_path));
  io::SnapshotContents& c = snapshot.contents;
  ASSIGN_OR_RETURN(io::TrainConfig config,
                   io::LoadConfigText(c.config_toml, snapshot_path, overrides));
  // Later snapshots replace the one resumed from, unless the user says otherwise.
  if (std::none_of(overrides.begin(), overrides.end(), [](const std::string& o) {
        return absl::StartsWith(o, "snapshot.path");
      })) {
    config.snapshot.path = snapshot_path;
  }

  ASSIGN_OR_RETURN(io::Corpus corpus,
                   io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus)));
  if (corpus.files().size() != c.corpus_file_sizes.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        snapshot_path, ": the snapshot was taken on ", c.corpus_file_sizes.size(),
        " corpus files, but its config now names ", corpus.files().size()));
  }
  for (size_t f = 0; f < corpus.files().size(); ++f) {
    if (corpus.files()[f].size() != c.corpus_file_sizes[f]) {
      return absl::FailedPreconditionError(absl::StrCat(
          corpus.files()[f].path(), ": ", corpus.files()[f].size(),
          " bytes, but the snapshot was taken when it had ", c.corpus_file_sizes[f],
          ": the corpus changed, so the snapshot's positions in it are meaningless"));
    }
  }
  ASSIGN_OR_RETURN(io::Vocabulary vocab,
                   io::Vocabulary::FromCounts(std::move(c.vocabulary), VocabOptionsFrom(config),
                                              snapshot_path));
  if (vocab.size() != snapshot.store.rows()) {
    return absl::DataLossError(
        absl::StrCat(snapshot_path, ": damaged snapshot: the vocabulary does not match the matrices"));
  }
  spdlog::info("resuming {} (written by w2v {}): epoch {}, {} words trained", snapshot_path,
               c.program_version, c.epoch + 1, c.words_done);
  RunState state{.config = std::move(config),
                 .corpus = std::move(corpus),
                 .vocab = std::move(vocab),
                 .store = std::move(snapshot.store),
                 .shards = std::move(c.shards),
                 .shard_ids = {},
                 .progress = std::move(c.progress),
                 .totals = std::move(c.totals),
                 .epoch = c.epoch,
                 .finished = c.finished,
                 .words_done = c.words_done,
                 .windows_done = c.windows_done,
                 .elapsed_before = c.elapsed_seconds,
                 .metrics_before = std::move(c.metrics_jsonl)};
  return Train(state, options);
}

}  // namespace w2v::trainer
