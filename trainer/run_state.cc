#include "trainer/run_state.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/status.h"
#include "io/config_options.h"
#include "io/encoded_corpus.h"
#include "oneapi/tbb/task_arena.h"
#include "spdlog/spdlog.h"
#include "trainer/resume_policy.h"
#include "trainer/run_outputs.h"

namespace w2v::trainer {
namespace {

// How many shards training cuts a corpus into for `workers` threads in all: many per thread keep
// every thread busy to an epoch's end (with 4, the thread that finished first idled for about 6%
// of a 2-thread epoch, waiting on the last shard), and counting groups consecutive shards into a
// few tables (io/word_counting.h), so more cost it little. But a shard has at least a megabyte
// while there are 4 per thread: a small corpus gains nothing from finer shards, whose cuts split
// more sentences.
int64_t TrainingShardCount(int64_t corpus_bytes, int64_t workers) {
  constexpr int64_t kMinShardsPerThread = 4;
  constexpr int64_t kMaxShardsPerThread = 16;
  constexpr int64_t kMinShardBytes = int64_t{1} << 20;
  return std::clamp(corpus_bytes / kMinShardBytes, kMinShardsPerThread * workers,
                    kMaxShardsPerThread * workers);
}

// On config.threads threads, like every other parallel pass (InitializeWord2Vec runs in blocks).
void InitializeStore(const io::TrainConfig& config, core::EmbeddingStore& store) {
  tbb::task_arena arena(static_cast<int>(std::max<int64_t>(1, config.threads)));
  arena.execute([&] {
    if (config.model.init == io::InitKind::kWord2Vec) {
      store.InitializeWord2Vec(config.optim.seed);
    } else {
      store.InitializeUniform(config.optim.seed);
    }
  });
}

// What a distributed run cannot do: the assignment's sampling gives the same vectors at any
// thread count from one process, and a run counted in iterations stops at a window count that the
// ranks only know at their syncs.
absl::Status CheckDistributable(const io::TrainConfig& config, const RankGroup& ranks) {
  if (!ranks.distributed()) return absl::OkStatus();
  if (config.optim.sampling == io::SamplingKind::kRandomContext) {
    return absl::FailedPreconditionError(absl::StrCat(
        config.source, ": optim.sampling: random_context trains in one process (its vectors are the "
                       "same at any thread count); run it without mpirun"));
  }
  if (config.optim.iterations > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        config.source, ": optim.iterations: a run of several ranks is counted in epochs; set "
                       "optim.iterations = 0 or run it without mpirun"));
  }
  return absl::OkStatus();
}

// Rank 0's vocabulary for every rank, as its words and counts in id order.
absl::StatusOr<io::Vocabulary> ShareVocabulary(const io::TrainConfig& config,
                                               std::optional<io::Vocabulary> root_vocab,
                                               RankGroup& ranks) {
  std::string text;
  if (ranks.is_root()) {
    for (int32_t w = 0; w < root_vocab->size(); ++w) {
      absl::StrAppend(&text, root_vocab->word(w), " ", root_vocab->count(w), "\n");
    }
  }
  ranks.Broadcast(text, /*root=*/0);
  if (ranks.is_root()) return std::move(*root_vocab);
  std::vector<std::pair<std::string, int64_t>> counts;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const size_t space = line.rfind(' ');
    int64_t count = 0;
    if (space == absl::string_view::npos || !absl::SimpleAtoi(line.substr(space + 1), &count)) {
      return absl::InternalError("the vocabulary rank 0 sent is garbled");
    }
    counts.emplace_back(std::string(line.substr(0, space)), count);
  }
  return io::Vocabulary::FromCounts(std::move(counts), io::VocabOptionsFrom(config),
                                    "rank 0's vocabulary");
}

}  // namespace

absl::StatusOr<RunState> BuildFreshRun(const io::TrainConfig& config, RankGroup& ranks) {
  RETURN_IF_ERROR(ranks.Agree(CheckDistributable(config, ranks)));
  if (config.corpus.paths.empty()) {
    return ranks.Agree(absl::FailedPreconditionError(
        absl::StrCat(config.source, ": corpus.paths: no corpus file given (set it in a config, "
                                   "or --set corpus.paths=FILE)")));
  }
  std::vector<io::DirectoryLock> locks;
  absl::Status prepared = absl::OkStatus();
  if (ranks.is_root()) prepared = PrepareOutputs(config, OutputPaths(config), locks);
  RETURN_IF_ERROR(ranks.Agree(prepared));

  // Every rank opens the corpus (its own copy on its own host, at the config's path).
  absl::StatusOr<io::Corpus> corpus =
      io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus));
  RETURN_IF_ERROR(ranks.Agree(corpus.status()));
  // Several shards per thread (TrainingShardCount). Random-context sampling reads the shards only
  // to copy their sentences, and one per file keeps every line whole (a text shard may end inside
  // one), so the copies are the same at any thread count. A distributed run cuts one layout for
  // all its ranks, each taking its share (RankGroup::Owns).
  const bool random_context = config.optim.sampling == io::SamplingKind::kRandomContext;
  std::vector<io::Shard> shards = corpus->MakeShards(
      random_context ? 1
                     : TrainingShardCount(corpus->total_bytes(), config.threads * ranks.size()));
  io::CountStats stats;
  std::optional<io::Vocabulary> root_vocab;
  std::vector<std::vector<int32_t>> shard_ids;
  absl::Status counted = absl::OkStatus();
  if (ranks.is_root()) {
    absl::StatusOr<io::Vocabulary> vocab;
    if (!config.vocab.path.empty()) {
      vocab = io::Vocabulary::Read(config.vocab.path, io::VocabOptionsFrom(config));
    } else if (random_context) {
      vocab = io::Vocabulary::Build(*corpus, io::VocabOptionsFrom(config), &stats);
    } else {
      // Counted over the training shards, recording their tokens, so that encoding them as ids
      // needs no second read of the corpus.
      const auto start = std::chrono::steady_clock::now();
      std::vector<io::ShardTokens> tokens;
      vocab = io::Vocabulary::Build(*corpus, shards, io::VocabOptionsFrom(config), &stats, &tokens);
      if (vocab.ok()) {
        absl::StatusOr<std::vector<std::vector<int32_t>>> encoded = io::EncodeShards(
            *corpus, shards, *vocab, std::move(tokens), static_cast<int>(config.threads));
        if (encoded.ok()) {
          shard_ids = std::move(*encoded);
          stats.seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          for (size_t s = 0; s < shard_ids.size(); ++s) {
            if (!ranks.Owns(s)) std::vector<int32_t>().swap(shard_ids[s]);
          }
        } else {
          vocab = encoded.status();
        }
      }
    }
    counted = vocab.status();
    if (vocab.ok()) root_vocab = std::move(*vocab);
  }
  RETURN_IF_ERROR(ranks.Agree(counted));
  absl::StatusOr<io::Vocabulary> shared_vocab =
      ShareVocabulary(config, std::move(root_vocab), ranks);
  RETURN_IF_ERROR(ranks.Agree(shared_vocab.status()));
  io::Vocabulary vocab = std::move(*shared_vocab);
  spdlog::info("vocabulary: {} words, {} tokens in the vocabulary{}", vocab.size(),
               vocab.total_count(),
               !config.vocab.path.empty() ? " (read from " + config.vocab.path + ")"
               : shard_ids.empty()
                   ? absl::StrFormat(" (counted in %.2f s)", stats.seconds)
                   : absl::StrFormat(" (counted, and the corpus encoded as ids, in %.2f s)",
                                     stats.seconds));
  if (stats.invalid_utf8_lines > 0) {
    spdlog::warn("{} lines were not UTF-8: {} (corpus.invalid_utf8)", stats.invalid_utf8_lines,
                 io::InvalidUtf8Effect(config.corpus.invalid_utf8));
  }
  if (stats.pruned > 0) {
    spdlog::warn(
        "{} rare words were pruned while counting, to bound memory (vocab.max_counted_words = "
        "{}, vocab.max_vocab = {}); counts of words pruned and seen again are lower bounds",
        stats.pruned, config.vocab.max_counted_words, config.vocab.max_vocab);
  }

  core::EmbeddingStore store(vocab.size(), config.model.dim);
  InitializeStore(config, store);
  // The same start on every rank: rank 0's, whatever each rank's library would draw.
  ranks.Broadcast(std::span<float>(store.center().data, store.rows() * store.stride()), 0);
  ranks.Broadcast(std::span<float>(store.outside().data, store.rows() * store.stride()), 0);
  const size_t shard_count = shards.size();
  RunState state{.locks = std::move(locks),
                 .config = config,
                 .corpus = std::move(*corpus),
                 .vocab = std::move(vocab),
                 .store = std::move(store),
                 .shards = std::move(shards),
                 .shard_ids = std::move(shard_ids),
                 .progress = std::vector<core::ShardProgress>(shard_count),
                 .totals = {},
                 .metrics_before = {},
                 .counting = config.vocab.path.empty() && ranks.is_root() ? std::optional(stats)
                                                                          : std::nullopt};
  return state;
}

namespace {

absl::StatusOr<RunState> ReadResumedRun(const std::string& snapshot_path,
                                        const std::vector<std::string>& overrides,
                                        const RankGroup& ranks) {
  RETURN_IF_ERROR(CheckResumeOverrides(overrides));
  // The snapshot's directory is locked before the snapshot is read: the run that wrote it may still
  // be going. Not a directory this user cannot write into: no run of theirs writes there, and a
  // snapshot kept read-only can still be resumed into another output.dir. (A missing directory is
  // left to the read to report.) Of a distributed run, rank 0 alone locks and writes.
  std::vector<io::DirectoryLock> locks;
  const std::string snapshot_dir = ParentDirectory(snapshot_path);
  if (ranks.is_root() && ::access(snapshot_dir.c_str(), W_OK | X_OK) == 0) {
    RETURN_IF_ERROR(LockDirectory(snapshot_dir, locks));
  }
  ASSIGN_OR_RETURN(io::LoadedSnapshot snapshot, io::ReadSnapshot(snapshot_path));
  io::SnapshotContents& c = snapshot.contents;
  ASSIGN_OR_RETURN(io::TrainConfig config,
                   io::LoadConfigText(c.config_toml, snapshot_path, overrides));
  if (c.ranks != ranks.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        snapshot_path, ": the run was trained by ", c.ranks, c.ranks == 1 ? " process" : " ranks",
        ", and each rank's place is in its own shards: resume it ",
        c.ranks == 1 ? std::string("without mpirun")
                     : absl::StrCat("with mpirun -np ", c.ranks),
        " (this is ", ranks.size(), ranks.size() == 1 ? " process)" : " ranks)"));
  }
  // Later snapshots replace the one resumed from, unless the user says otherwise.
  if (std::none_of(overrides.begin(), overrides.end(),
                   [](const std::string& o) { return absl::StartsWith(o, "snapshot.path"); })) {
    config.snapshot.path = snapshot_path;
  }
  if (ranks.is_root()) RETURN_IF_ERROR(PrepareOutputs(config, OutputPaths(config), locks));
  ASSIGN_OR_RETURN(io::Corpus corpus,
                   io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus)));
  if (corpus.files().size() != c.corpus_file_sizes.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat(snapshot_path, ": the snapshot was taken on ", c.corpus_file_sizes.size(),
                     " corpus files, but its config now names ", corpus.files().size()));
  }
  for (size_t f = 0; f < corpus.files().size(); ++f) {
    if (corpus.files()[f].size() != c.corpus_file_sizes[f]) {
      return absl::FailedPreconditionError(
          absl::StrCat(corpus.files()[f].path(), ": ", corpus.files()[f].size(),
                       " bytes, but the snapshot was taken when it had ", c.corpus_file_sizes[f],
                       ": the corpus changed, so the snapshot's positions in it are meaningless"));
    }
  }
  ASSIGN_OR_RETURN(io::Vocabulary vocab,
                   io::Vocabulary::FromCounts(std::move(c.vocabulary), io::VocabOptionsFrom(config),
                                              snapshot_path));
  if (vocab.size() != snapshot.store.rows()) {
    return absl::DataLossError(absl::StrCat(
        snapshot_path, ": damaged snapshot: the vocabulary does not match the matrices"));
  }
  spdlog::info("resuming {} (written by w2v {}): epoch {}, {} words trained", snapshot_path,
               c.program_version, c.epoch + 1, c.words_done);
  RunState state{.locks = std::move(locks),
                 .config = std::move(config),
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
                 .smoothed_loss = c.smoothed_loss,
                 .metrics_before = std::move(c.metrics_jsonl),
                 .counting = std::nullopt};
  return state;
}

}  // namespace

absl::StatusOr<RunState> BuildResumedRun(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides,
                                         RankGroup& ranks) {
  absl::StatusOr<RunState> state = ReadResumedRun(snapshot_path, overrides, ranks);
  RETURN_IF_ERROR(ranks.Agree(state.status()));
  RETURN_IF_ERROR(ranks.Agree(CheckDistributable(state->config, ranks)));
  return state;
}

// The snapshot of `state` as it stands while the workers are parked (or done).
io::SnapshotContents MakeSnapshot(const RunState& state, const SharedTraining& shared,
                                  const std::vector<WorkerCounters>& counters, int64_t epoch,
                                  bool finished, const std::string& metrics, double elapsed,
                                  int ranks) {
  io::SnapshotContents c;
  c.program_version = W2V_VERSION;
  c.config_toml = io::ConfigToToml(state.config);
  c.vocabulary.reserve(state.vocab.size());
  for (int32_t w = 0; w < state.vocab.size(); ++w) {
    c.vocabulary.emplace_back(state.vocab.word(w), state.vocab.count(w));
  }
  for (const io::MappedFile& file : state.corpus.files())
    c.corpus_file_sizes.push_back(file.size());
  c.metrics_jsonl = metrics;
  c.epoch = epoch;
  c.finished = finished;
  c.words_done = shared.words_done.load();
  c.windows_done = shared.windows_done.load();
  c.elapsed_seconds = elapsed;
  c.smoothed_loss = shared.smoothed_loss.load();
  c.ranks = ranks;
  c.shards = state.shards;
  c.progress = state.progress;
  for (const WorkerCounters& w : counters) c.totals.push_back(w.Load());
  return c;
}

}  // namespace w2v::trainer
