#include "trainer/coordinator.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/embedding_store.h"
#include "core/samplers.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/corpus.h"
#include "io/vectors.h"
#include "io/vocabulary.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "spdlog/spdlog.h"
#include "trainer/worker.h"

namespace w2v::trainer {
namespace {

using Clock = std::chrono::steady_clock;

struct OutputPaths {
  explicit OutputPaths(const std::string& dir)
      : vectors_text(dir + "/vectors.txt"),
        vectors_binary(dir + "/vectors.bin"),
        vocab(dir + "/vocab.txt"),
        metrics(dir + "/metrics.jsonl"),
        config(dir + "/config.toml"),
        sample_vectors(dir + "/sample_vectors.json") {}
  std::string vectors_text, vectors_binary, vocab, metrics, config, sample_vectors;
};

// Totals over every worker's counters at one moment.
struct Totals {
  double loss_sum = 0;
  int64_t windows = 0;
  int64_t pairs = 0;
  int64_t words = 0;
  int64_t kept = 0;
};

Totals Sum(const std::vector<WorkerCounters>& counters) {
  Totals t;
  for (const WorkerCounters& c : counters) {
    t.loss_sum += c.loss_sum.load(std::memory_order_relaxed);
    t.windows += c.windows.load(std::memory_order_relaxed);
    t.pairs += c.pairs.load(std::memory_order_relaxed);
    t.words += c.words.load(std::memory_order_relaxed);
    t.kept += c.kept.load(std::memory_order_relaxed);
  }
  return t;
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<int64_t>(seconds + 0.5);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
}

// Logs a line and appends a metrics record every interval while the workers run; the metrics file is
// rewritten whole through a temporary file each time, so it is never seen half-written.
class ProgressMonitor {
 public:
  ProgressMonitor(const io::TrainConfig& config, const SharedTraining& shared,
                  const std::vector<WorkerCounters>& counters, std::string metrics_path)
      : config_(config),
        shared_(shared),
        counters_(counters),
        metrics_path_(std::move(metrics_path)),
        start_(Clock::now()),
        last_time_(start_) {}

  void Start() {
    thread_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      const auto interval = std::chrono::duration<double>(config_.log.interval_seconds);
      while (!cv_.wait_for(lock, interval, [this] { return done_; })) Report(false);
    });
  }

  // Stops the thread and writes the final summary record.
  absl::Status Finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    Report(true);
    return metrics_status_;
  }

  void set_epoch(int64_t epoch) { epoch_.store(epoch, std::memory_order_relaxed); }
  const Totals& totals() const { return last_; }

 private:
  void Report(bool final) {
    const Totals now = Sum(counters_);
    const auto time = Clock::now();
    const double elapsed = std::chrono::duration<double>(time - start_).count();
    const double interval = std::chrono::duration<double>(time - last_time_).count();
    const int64_t windows = final ? now.windows : now.windows - last_.windows;
    const double loss_sum = final ? now.loss_sum : now.loss_sum - last_.loss_sum;
    const double loss = windows > 0 ? loss_sum / static_cast<double>(windows) : NAN;
    const int64_t words = now.words - last_.words;
    const int64_t pairs = final ? now.pairs : now.pairs - last_.pairs;
    const double words_per_sec =
        final ? now.words / std::max(elapsed, 1e-9) : words / std::max(interval, 1e-9);
    const double lr = CurrentLearningRate(shared_);
    double progress =
        shared_.windows_total > 0
            ? static_cast<double>(now.windows) / static_cast<double>(shared_.windows_total)
            : static_cast<double>(now.words) / static_cast<double>(std::max<int64_t>(1, shared_.words_total));
    progress = std::min(progress, 1.0);
    const double eta = progress > 0 ? elapsed * (1 - progress) / progress : NAN;
    const int64_t threads = config_.threads;

    if (final) {
      spdlog::info("trained {} words in {:.2f} s: {:.0f} words/s ({:.0f} per thread), mean loss "
                   "per window {:.4f}",
                   now.words, elapsed, words_per_sec, words_per_sec / threads, loss);
    } else if (windows > 0) {
      spdlog::info("{:5.1f}% | {:.0f} words/s ({:.0f}/thread) | loss {:.4f} | lr {:.6f} | ETA {}",
                   100 * progress, words_per_sec, words_per_sec / threads, loss, lr,
                   FormatDuration(eta));
    }
    if (windows > 0 || final) {
      absl::StrAppendFormat(
          &metrics_,
          "{\"time_s\":%.3f,\"words\":%d,\"epoch\":%d,\"progress\":%.6f,\"lr\":%.9g,"
          "\"loss\":%s,\"loss_per_pair\":%s,\"windows\":%d,\"words_per_sec\":%.1f,"
          "\"words_per_sec_per_thread\":%.1f,\"threads\":%d%s}\n",
          elapsed, now.words, epoch_.load(std::memory_order_relaxed), progress, lr,
          std::isfinite(loss) ? absl::StrFormat("%.6f", loss) : "null",
          pairs > 0 ? absl::StrFormat("%.6f", loss_sum / static_cast<double>(pairs)) : "null",
          now.windows, words_per_sec, words_per_sec / threads, threads,
          final ? absl::StrFormat(",\"final\":true,\"kept_words\":%d,\"pairs\":%d", now.kept,
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
  const SharedTraining& shared_;
  const std::vector<WorkerCounters>& counters_;
  std::string metrics_path_;
  std::string metrics_;
  absl::Status metrics_status_;
  Clock::time_point start_, last_time_;
  Totals last_;
  std::atomic<int64_t> epoch_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

absl::Status PrepareOutputs(const io::TrainConfig& config, const OutputPaths& paths) {
  std::error_code ec;
  std::filesystem::create_directories(config.output.dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat(config.output.dir, ": cannot create the output directory: ", ec.message()));
  }
  for (const std::string* path : {&paths.vectors_text, &paths.vectors_binary, &paths.vocab,
                                  &paths.metrics, &paths.config, &paths.sample_vectors}) {
    RETURN_IF_ERROR(io::CheckWritable(*path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunTraining(const io::TrainConfig& config) {
  if (config.corpus.paths.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(config.source, ": corpus.paths: no corpus file given"));
  }
  const OutputPaths paths(config.output.dir);
  RETURN_IF_ERROR(PrepareOutputs(config, paths));

  ASSIGN_OR_RETURN(const io::Corpus corpus,
                   io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus)));
  const io::VocabOptions vocab_options{config.vocab.min_count, config.vocab.max_vocab,
                                       config.model.subsample, static_cast<int>(config.threads)};
  io::CountStats stats;
  ASSIGN_OR_RETURN(const io::Vocabulary vocab,
                   config.vocab.path.empty() ? io::Vocabulary::Build(corpus, vocab_options, &stats)
                                             : io::Vocabulary::Read(config.vocab.path, vocab_options));
  spdlog::info("vocabulary: {} words, {} tokens in the vocabulary{}", vocab.size(),
               vocab.total_count(),
               config.vocab.path.empty() ? absl::StrFormat(" (counted in %.2f s)", stats.seconds)
                                         : " (read from " + config.vocab.path + ")");

  core::EmbeddingStore store(vocab.size(), config.model.dim);
  store.InitializeUniform(config.optim.seed);
  const core::AliasSampler noise = core::MakeNoiseSampler(vocab.counts(), config.model.noise_exponent);

  SharedTraining shared{config, vocab, corpus, store, noise};
  const bool by_iterations = config.optim.iterations > 0;
  shared.windows_total = by_iterations ? config.optim.iterations * config.optim.batch_windows : 0;
  shared.words_total = by_iterations ? 0 : config.optim.epochs * vocab.total_count();

  // Several shards per thread keep both threads busy when shards take unequal time.
  const std::vector<io::Shard> shards = corpus.MakeShards(4 * config.threads);
  std::vector<WorkerCounters> counters(shards.size());
  spdlog::info("training: dim {}, window {}, {}, {} threads, {} shards, {}", config.model.dim,
               config.model.window,
               config.model.loss == io::LossKind::kSoftmax
                   ? std::string("naive softmax")
                   : absl::StrCat("negative sampling K=", config.model.negatives),
               config.threads, shards.size(),
               by_iterations ? absl::StrCat(config.optim.iterations, " iterations of ",
                                            config.optim.batch_windows, " windows")
                             : absl::StrCat(config.optim.epochs, " epochs"));

  ProgressMonitor monitor(config, shared, counters, paths.metrics);
  monitor.Start();
  tbb::task_arena arena(static_cast<int>(config.threads));
  std::exception_ptr failure;
  for (int64_t epoch = 0; by_iterations || epoch < config.optim.epochs; ++epoch) {
    if (shared.stop.load()) break;
    monitor.set_epoch(epoch);
    const int64_t words_before = shared.words_done.load();
    try {
      // A worker's exception cancels the other tasks and is rethrown here.
      arena.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<size_t>(0, shards.size(), 1),
            [&](const tbb::blocked_range<size_t>& range) {
              for (size_t s = range.begin(); s != range.end(); ++s) {
                TrainShard(shared, shards[s], static_cast<int64_t>(s), epoch, counters[s]);
              }
            },
            tbb::simple_partitioner());
      });
    } catch (...) {
      failure = std::current_exception();
      break;
    }
    if (by_iterations && shared.words_done.load() == words_before) break;  // nothing to train on
  }
  RETURN_IF_ERROR(monitor.Finish());
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      return absl::InternalError(e.what());
    }
  }
  if (monitor.totals().windows == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        config.source, ": no training window: every sentence has fewer than two vocabulary words"));
  }

  std::vector<std::string> words(vocab.size());
  for (int32_t w = 0; w < vocab.size(); ++w) words[w] = vocab.word(w);
  if (config.output.text) RETURN_IF_ERROR(io::WriteVectorsText(paths.vectors_text, words, store.center()));
  if (config.output.binary) {
    RETURN_IF_ERROR(io::WriteVectorsBinary(paths.vectors_binary, words, store.center()));
  }
  RETURN_IF_ERROR(vocab.Write(paths.vocab));
  RETURN_IF_ERROR(io::WriteFileAtomically(paths.config, io::ConfigToToml(config)));
  if (!config.output.sample_words.empty()) {
    RETURN_IF_ERROR(io::WriteSampleVectorsJson(paths.sample_vectors, config.output.sample_words,
                                               words, store.center()));
  }
  spdlog::info("wrote the vectors, vocabulary, metrics and config to {}", config.output.dir);
  return absl::OkStatus();
}

}  // namespace w2v::trainer
