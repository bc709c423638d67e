#include "trainer/run_state.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/config_options.h"
#include "spdlog/spdlog.h"
#include "trainer/resume_policy.h"
#include "trainer/run_outputs.h"

namespace w2v::trainer {
namespace {

void InitializeStore(const io::TrainConfig& config, core::EmbeddingStore& store) {
  if (config.model.init == io::InitKind::kWord2Vec) {
    store.InitializeWord2Vec(config.optim.seed);
  } else {
    store.InitializeUniform(config.optim.seed);
  }
}

}  // namespace


absl::StatusOr<RunState> BuildFreshRun(const io::TrainConfig& config) {
  if (config.corpus.paths.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(config.source, ": corpus.paths: no corpus file given (set it in a config, "
                                   "or --set corpus.paths=FILE)"));
  }
  std::vector<io::DirectoryLock> locks;
  RETURN_IF_ERROR(PrepareOutputs(config, OutputPaths(config), locks));

  ASSIGN_OR_RETURN(io::Corpus corpus,
                   io::Corpus::Open(config.corpus.paths, io::CorpusOptionsFrom(config.corpus)));
  io::CountStats stats;
  ASSIGN_OR_RETURN(io::Vocabulary vocab,
                   config.vocab.path.empty()
                       ? io::Vocabulary::Build(corpus, io::VocabOptionsFrom(config), &stats)
                       : io::Vocabulary::Read(config.vocab.path, io::VocabOptionsFrom(config)));
  spdlog::info("vocabulary: {} words, {} tokens in the vocabulary{}", vocab.size(),
               vocab.total_count(),
               config.vocab.path.empty() ? absl::StrFormat(" (counted in %.2f s)", stats.seconds)
                                         : " (read from " + config.vocab.path + ")");
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
  // Several shards per thread keep both threads busy when shards take unequal time. Random-context
  // sampling reads the shards only to copy their sentences, and one per file keeps every line whole
  // (a text shard may end inside one), so the copies are the same at any thread count.
  std::vector<io::Shard> shards = corpus.MakeShards(
      config.optim.sampling == io::SamplingKind::kRandomContext ? 1 : 4 * config.threads);
  const size_t shard_count = shards.size();
  RunState state{.locks = std::move(locks),
                 .config = config,
                 .corpus = std::move(corpus),
                 .vocab = std::move(vocab),
                 .store = std::move(store),
                 .shards = std::move(shards),
                 .shard_ids = {},
                 .progress = std::vector<core::ShardProgress>(shard_count),
                 .totals = {},
                 .metrics_before = {},
                 .counting = config.vocab.path.empty() ? std::optional(stats) : std::nullopt};
  return state;
}

absl::StatusOr<RunState> BuildResumedRun(const std::string& snapshot_path,
                                         const std::vector<std::string>& overrides) {
  RETURN_IF_ERROR(CheckResumeOverrides(overrides));
  // The snapshot's directory is locked before the snapshot is read: the run that wrote it may still
  // be going. Not a directory this user cannot write into: no run of theirs writes there, and a
  // snapshot kept read-only can still be resumed into another output.dir. (A missing directory is
  // left to the read to report.)
  std::vector<io::DirectoryLock> locks;
  const std::string snapshot_dir = ParentDirectory(snapshot_path);
  if (::access(snapshot_dir.c_str(), W_OK | X_OK) == 0) {
    RETURN_IF_ERROR(LockDirectory(snapshot_dir, locks));
  }
  ASSIGN_OR_RETURN(io::LoadedSnapshot snapshot, io::ReadSnapshot(snapshot_path));
  io::SnapshotContents& c = snapshot.contents;
  ASSIGN_OR_RETURN(io::TrainConfig config,
                   io::LoadConfigText(c.config_toml, snapshot_path, overrides));
  // Later snapshots replace the one resumed from, unless the user says otherwise.
  if (std::none_of(overrides.begin(), overrides.end(),
                   [](const std::string& o) { return absl::StartsWith(o, "snapshot.path"); })) {
    config.snapshot.path = snapshot_path;
  }
  RETURN_IF_ERROR(PrepareOutputs(config, OutputPaths(config), locks));

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
  for (const io::MappedFile& file : state.corpus.files())
    c.corpus_file_sizes.push_back(file.size());
  c.metrics_jsonl = metrics;
  c.epoch = epoch;
  c.finished = finished;
  c.words_done = shared.words_done.load();
  c.windows_done = shared.windows_done.load();
  c.elapsed_seconds = elapsed;
  c.smoothed_loss = shared.smoothed_loss.load();
  c.shards = state.shards;
  c.progress = state.progress;
  for (const WorkerCounters& w : counters) c.totals.push_back(w.Load());
  return c;
}

}  // namespace w2v::trainer
