#include "trainer/coordinator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <functional>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/encoded_corpus.h"
#include "io/snapshot.h"
#include "nlohmann/json.hpp"  // Evaluate returns a record
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"
#include "spdlog/spdlog.h"
#include "trainer/metrics_log.h"
#include "trainer/context_sentences.h"
#include "trainer/monitor.h"
#include "trainer/random_context_trainer.h"
#include "trainer/rank_sync.h"
#include "trainer/run_outputs.h"
#include "trainer/run_state.h"
#include "trainer/sentence_trainer.h"
#include "trainer/stop_signals.h"
#include "trainer/training_evaluation.h"
#include "trainer/worker.h"

namespace w2v::trainer {
namespace {

using Clock = std::chrono::steady_clock;
using core::ShardProgress;

void ResetProgress(std::vector<ShardProgress>& progress) {
  std::fill(progress.begin(), progress.end(), ShardProgress{});
}

bool AllDone(const std::vector<ShardProgress>& progress) {
  return std::all_of(progress.begin(), progress.end(),
                     [](const ShardProgress& p) { return p.state == ShardProgress::State::kDone; });
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
  return absl::FailedPreconditionError(
      absl::StrCat(absl::StrJoin(config.corpus.paths, ", "),
                   ": no training window: every sentence has fewer than two vocabulary words "
                   "(vocab.min_count = ",
                   config.vocab.min_count, ")"));
}

// optim.sampling = "random_context": the sentence copies the windows are drawn from, built from
// the encoded shards (then freed) with a generator of their own, so that a resumed run builds the
// same ones.
absl::StatusOr<ContextSentences> BuildContextSentences(RunState& state) {
  const io::TrainConfig& config = state.config;
  const auto start = Clock::now();
  core::Rng rng(config.optim.seed, /*stream=*/0);
  ContextSentences sentences =
      ContextSentences::Build(state.shard_ids, state.vocab.keep_probabilities(),
                              config.optim.sentence_copies, config.corpus.max_sentence_length, rng);
  state.shard_ids = {};
  if (!sentences.has_window()) {
    return absl::FailedPreconditionError(absl::StrCat(
        absl::StrJoin(config.corpus.paths, ", "),
        ": no training window: after subsampling (model.subsample = ",
        absl::StrFormat("%g", config.model.subsample),
        "), no sentence of the random_context copies holds two different words"));
  }
  spdlog::info("random_context: {} copies of the corpus, {} sentences of {} words, in {:.2f} s",
               config.optim.sentence_copies, sentences.size(), sentences.tokens(),
               std::chrono::duration<double>(Clock::now() - start).count());
  return sentences;
}

// Whether any rank's sentences hold a training window (each rank encoded only its own shards).
bool AnyRankHasTrainingWindow(const std::vector<std::vector<int32_t>>& shard_ids,
                              RankGroup& ranks) {
  int64_t has = HasTrainingWindow(shard_ids) ? 1 : 0;
  ranks.MaxInPlace(std::span<int64_t>(&has, 1));
  return has != 0;
}

// After the epoch loop: the closing records, the errors that ended training, and (rank 0) the
// final snapshot and the outputs.
absl::Status FinishRun(RunState& state, const SharedTraining& shared, Monitor& monitor,
                       const OutputPaths& paths, bool finished, std::exception_ptr failure,
                       const std::function<absl::Status(const std::string&, double)>& write_snapshot,
                       const MetricsLog& metrics, bool root) {
  const io::TrainConfig& config = state.config;
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
  if (!root) return absl::OkStatus();
  RETURN_IF_ERROR(WriteOutputs(state.config, state.vocab, state.store, paths, [&] {
    return write_snapshot(metrics.text(), monitor.elapsed());
  }));
  spdlog::info("wrote the vectors, vocabulary, metrics and config to {}", config.output.dir);
  return absl::OkStatus();
}

// Runs (or continues) the epochs of `state`, then writes the final snapshot and the outputs.
absl::StatusOr<RunResult> Train(RunState& state, const RunOptions& options, RankGroup& ranks) {
  const io::TrainConfig& config = state.config;
  const bool root = ranks.is_root();
  const OutputPaths paths(config);  // locked and checked by the builder of `state` (rank 0)
  absl::StatusOr<EvaluationSets> read_sets =
      root ? ReadEvaluationSets(config) : absl::StatusOr<EvaluationSets>(EvaluationSets{});
  RETURN_IF_ERROR(ranks.Agree(read_sets.status()));
  const EvaluationSets evaluation_sets = std::move(*read_sets);
  if (state.finished) {
    // Resuming a run that had ended (killed while writing its outputs, say): write them again.
    if (!root) return RunResult{false, 0, paths.snapshot};
    spdlog::info("the snapshot's run is complete; writing its outputs");
    RETURN_IF_ERROR(io::WriteFileAtomically(paths.metrics, state.metrics_before));
    RETURN_IF_ERROR(WriteOutputs(state.config, state.vocab, state.store, paths));
    return RunResult{false, 0, paths.snapshot};
  }

  // Each rank encodes the shards it trains, unless counting did (rank 0 of a fresh run).
  std::vector<size_t> owned;
  std::vector<io::Shard> owned_shards;
  for (size_t s = 0; s < state.shards.size(); ++s) {
    if (!ranks.Owns(s)) continue;
    owned.push_back(s);
    owned_shards.push_back(state.shards[s]);
  }
  if (state.shard_ids.empty()) {
    const auto encode_start = Clock::now();
    absl::StatusOr<std::vector<std::vector<int32_t>>> encoded = io::EncodeShards(
        state.corpus, owned_shards, state.vocab, static_cast<int>(config.threads));
    RETURN_IF_ERROR(ranks.Agree(encoded.status()));
    state.shard_ids.assign(state.shards.size(), {});
    for (size_t i = 0; i < owned.size(); ++i) state.shard_ids[owned[i]] = std::move((*encoded)[i]);
    spdlog::info("corpus encoded as vocabulary ids in {:.2f} s",
                 std::chrono::duration<double>(Clock::now() - encode_start).count());
  } else {
    RETURN_IF_ERROR(ranks.Agree(absl::OkStatus()));
  }
  if (!AnyRankHasTrainingWindow(state.shard_ids, ranks)) {
    return ranks.Agree(NoTrainingWindowError(config));
  }
  if (config.model.loss == io::LossKind::kHierarchicalSoftmax && state.vocab.size() < 2) {
    // A tree of one leaf has no inner node: every path is empty and nothing would train.
    return ranks.Agree(absl::FailedPreconditionError(absl::StrCat(
        absl::StrJoin(config.corpus.paths, ", "),
        ": model.loss: hierarchical_softmax needs at least two vocabulary words, and this "
        "corpus has one (vocab.min_count = ",
        config.vocab.min_count, ")")));
  }
  std::optional<ContextSentences> context_sentences;
  if (config.optim.sampling == io::SamplingKind::kRandomContext) {
    ASSIGN_OR_RETURN(context_sentences, BuildContextSentences(state));
  }

  const SentenceTrainerFactory trainers(config, state.vocab);
  SharedTraining shared(config, state.vocab, state.store, trainers);
  shared.ranks = ranks.size();
  const bool by_iterations = config.optim.iterations > 0;
  shared.windows_total = by_iterations ? config.optim.iterations * config.optim.batch_windows : 0;
  shared.words_total = by_iterations ? 0 : config.optim.epochs * state.vocab.total_count();
  shared.words_done = state.words_done;
  shared.windows_done = state.windows_done;
  shared.stop_after_words = options.stop_after_words;
  shared.smoothed_loss = state.smoothed_loss;
  // The smoothed loss moves every 10th iteration, so the last to move it follows from the count.
  const int64_t iterations_done = state.windows_done / config.optim.batch_windows;
  shared.smoothed_iteration = iterations_done - iterations_done % 10;
  std::vector<WorkerCounters> counters(state.shards.size());
  for (size_t s = 0; s < counters.size() && s < state.totals.size(); ++s) {
    counters[s].Store(state.totals[s]);
  }

  spdlog::info("training: {}, dim {}, window {}, {}, {} threads{}, {} shards, {}{}",
               config.model.arch == io::ArchKind::kCbow ? "cbow" : "skip-gram", config.model.dim,
               config.model.window,
               config.model.loss == io::LossKind::kSoftmax ? std::string("naive softmax")
               : config.model.loss == io::LossKind::kHierarchicalSoftmax
                   ? std::string("hierarchical softmax")
                   : absl::StrCat("negative sampling K=", config.model.negatives),
               config.threads,
               ranks.distributed() ? absl::StrCat(" on each of ", ranks.size(), " ranks") : "",
               state.shards.size(),
               by_iterations ? absl::StrCat(config.optim.iterations, " iterations of ",
                                            config.optim.batch_windows, " windows")
                             : absl::StrCat(config.optim.epochs, " epochs"),
               state.words_done > 0 ? absl::StrCat(", resuming at word ", state.words_done) : "");

  std::atomic<int64_t> epoch{state.epoch};
  bool finished = false;
  // Writes the snapshot (rank 0) with the workers still: parked here, or by the rank sync.
  const auto write_parked = [&](const std::string& metrics, double elapsed) {
    if (shared.diverged.load()) {
      return absl::FailedPreconditionError("the model diverged; the last good snapshot stays");
    }
    const io::SnapshotContents contents = MakeSnapshot(state, shared, counters, epoch.load(),
                                                       finished, metrics, elapsed, ranks.size());
    absl::Status status = io::WriteSnapshot(paths.snapshot, contents, state.store);
    if (status.ok()) spdlog::info("snapshot written to {}", paths.snapshot);
    return status;
  };
  const auto write_snapshot = [&](const std::string& metrics, double elapsed) {
    if (!root) return absl::OkStatus();
    shared.parking.PauseAll();
    absl::Status status = write_parked(metrics, elapsed);
    shared.parking.ResumeAll();
    return status;
  };
  std::optional<RankSync> sync;
  if (ranks.distributed()) sync.emplace(ranks, shared, counters, state.progress);
  // A distributed run's periodic snapshot is taken at a sync, with every rank's workers parked
  // and every shard's progress gathered; only rank 0 keeps the schedule.
  Monitor::SnapshotWriter periodic_snapshot = write_snapshot;
  if (sync.has_value()) {
    periodic_snapshot = nullptr;
    if (root) {
      periodic_snapshot = [&](const std::string& metrics, double elapsed) {
        return sync->RequestSnapshot([&, metrics, elapsed] { return write_parked(metrics, elapsed); });
      };
    }
  }

  const StopSignalHandlers handlers;
  MetricsLog metrics(root ? paths.metrics : std::string(), state.metrics_before);
  Monitor monitor(config, shared, counters, metrics, state.elapsed_before, periodic_snapshot);
  monitor.set_epoch(state.epoch);
  if (state.counting.has_value()) {
    // The corpus as counting saw it, so that what was repaired or pruned is on record.
    const io::CountStats& counted = *state.counting;
    monitor.AppendRecord({{"counted", true},
                          {"corpus_tokens", counted.tokens},
                          {"distinct_words", counted.distinct},
                          {"vocab_words", state.vocab.size()},
                          {"invalid_utf8_lines", counted.invalid_utf8_lines},
                          {"truncated_tokens", counted.truncated_tokens},
                          {"pruned_words", counted.pruned},
                          {"count_seconds", Rounded(counted.seconds, 3)}});
  }
  monitor.Start();
  if (sync.has_value()) sync->Start();
  tbb::task_arena arena(static_cast<int>(config.threads));
  std::exception_ptr failure;
  double max_epoch_seconds = 0, mean_epoch_seconds = 0;
  // A rank alone stops at once when interrupted; ranks stop together, at an epoch's end that
  // every rank reached with the same flags (rank_sync.h), so they never part ways.
  while (sync.has_value() || !shared.interrupt.load()) {
    const int64_t words_before = shared.words_done.load();
    const auto epoch_start = Clock::now();
    try {
      // A worker's exception cancels the other tasks and is rethrown here.
      arena.execute([&] {
        if (context_sentences.has_value()) {
          TrainRandomContext(shared, *context_sentences, trainers.noise(), counters.front());
          return;
        }
        tbb::parallel_for(
            tbb::blocked_range<size_t>(0, owned.size(), 1),
            [&](const tbb::blocked_range<size_t>& range) {
              for (size_t i = range.begin(); i != range.end(); ++i) {
                const size_t s = owned[i];
                TrainShard(shared, state.shard_ids[s], static_cast<int64_t>(s), epoch.load(),
                           state.progress[s], counters[s]);
              }
            },
            tbb::simple_partitioner());
      });
    } catch (...) {
      failure = std::current_exception();
      if (sync.has_value()) {
        // The other ranks would wait for this one at the epoch's end: end the job instead.
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& e) {
          spdlog::error("rank {} failed: {}; ending every rank", ranks.rank(), e.what());
        }
        ranks.Abort(1);
      }
      break;
    }
    if (sync.has_value()) {
      const RankSync::EpochTimes times = sync->FinishEpoch(
          std::chrono::duration<double>(Clock::now() - epoch_start).count());
      max_epoch_seconds += times.max_seconds;
      mean_epoch_seconds += times.mean_seconds;
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
    if (root && every > 0 && (finished || epochs_done % every == 0)) {
      monitor.AppendRecord(
          Evaluate(config, state.vocab, state.store, evaluation_sets, epochs_done, arena));
    }
    if (finished) break;
    if (sync.has_value()) sync->BeginEpoch();
  }
  if (sync.has_value()) {
    sync->Stop();
    const RankSync::Stats stats = sync->stats();
    const double elapsed = std::max(monitor.elapsed() - state.elapsed_before, 1e-9);
    // What keeping the ranks one cost: the sync thread's share of the time (overlapping the
    // training), and the slowest rank's epochs against the mean (the others wait for it).
    monitor.AppendRecord(
        {{"ranks", ranks.size()},
         {"syncs", stats.syncs},
         {"full_syncs", stats.full_syncs},
         {"sync_seconds", Rounded(stats.seconds, 3)},
         {"sync_share", Rounded(stats.seconds / elapsed, 4)},
         {"sync_megabytes", Rounded(stats.bytes / 1e6, 1)},
         {"load_imbalance",
          Rounded(mean_epoch_seconds > 0 ? max_epoch_seconds / mean_epoch_seconds - 1 : 0, 4)}});
  }
  absl::Status ended = sync.has_value() ? sync->CheckSameModel() : absl::OkStatus();
  if (ended.ok()) {
    ended = FinishRun(state, shared, monitor, paths, finished, failure, write_snapshot,
                      metrics, root);
  }
  if (sync.has_value()) ended = ranks.Agree(ended);
  RETURN_IF_ERROR(ended);
  if (root && config.output.plots) DrawPlots(config, paths);
  if (context_sentences.has_value() && finished && !std::isnan(shared.smoothed_loss.load())) {
    // Last, as the assignment's run ends: its final `iter N: exploss` line.
    spdlog::info("iter {}: {:f}", shared.smoothed_iteration.load(), shared.smoothed_loss.load());
  }
  const bool interrupted = !finished && !failure;
  return RunResult{interrupted, monitor.signal(), paths.snapshot};
}

}  // namespace

absl::StatusOr<RunResult> RunTraining(const io::TrainConfig& config, const RunOptions& options,
                                      RankGroup& ranks) {
  ASSIGN_OR_RETURN(RunState state, BuildFreshRun(config, ranks));
  return Train(state, options, ranks);
}

absl::StatusOr<RunResult> ResumeTraining(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides,
                                         const RunOptions& options, RankGroup& ranks) {
  ASSIGN_OR_RETURN(RunState state, BuildResumedRun(snapshot_path, overrides, ranks));
  return Train(state, options, ranks);
}

}  // namespace w2v::trainer
