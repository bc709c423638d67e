// The training configuration: one typed, validated struct read from a TOML file, with command-line
// overrides. The defaults are the member initialisers below and nowhere else; configs/README.md
// documents every key (a test keeps the two in step).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/samplers.h"

namespace w2v::io {

enum class CorpusFormat { kText, kSst };
enum class ArchKind { kSkipGram, kCbow };
enum class LossKind { kNegativeSampling, kSoftmax, kHierarchicalSoftmax };
enum class CbowGradient { kWord2Vec, kExact };
enum class InitKind { kWord2Vec, kAssignment };
enum class ScheduleKind { kLinear, kStep };
enum class KernelKind { kBlock, kPairwise };
enum class InvalidUtf8Policy { kError, kReplace, kSkipLine };
enum class SamplingKind { kSequential, kRandomContext };
enum class CombineKind { kAdaptive, kMean, kSum };
using SubsampleFormula = core::SubsampleFormula;  // core/samplers.h: "word2vec" | "assignment"

struct TrainConfig {
  struct Corpus {
    std::vector<std::string> paths;  // TOML key corpus.paths; resolved to absolute paths
    CorpusFormat format = CorpusFormat::kText;   // "text" | "sst"
    bool lowercase = false;                      // ASCII lower-casing of every token
    int64_t max_sentence_length = 1000;          // longer lines are cut into sentences of this many
    int64_t max_token_bytes = 100;               // longer tokens are cut at a UTF-8 boundary
    InvalidUtf8Policy invalid_utf8 = InvalidUtf8Policy::kError;  // "error" | "replace" | "skip_line"
  } corpus;

  struct Vocab {
    int64_t min_count = 5;
    int64_t max_vocab = 0;  // 0: no cap
    // Distinct words held while counting (gensim's max_vocab_size): word2vec.c's bound, 0.7 of its
    // 30M-entry table; about 150 bytes a word, so some 3 GB.
    int64_t max_counted_words = 21'000'000;
    std::string path;       // empty: count the corpus; otherwise read this `word count` file
    // A word added to the counted vocabulary with count 1, as the assignment's treebank reader adds
    // "UNK" (so N, the noise table and the outputs hold it); "" adds none.
    std::string unk_word;
  } vocab;

  struct Model {
    int64_t dim = 100;
    int64_t window = 5;
    // "skipgram": the centre predicts its context; "cbow": the mean of the context predicts the
    // centre (word2vec.c's -cbow 1, gensim's sg=0 with cbow_mean=1).
    ArchKind arch = ArchKind::kSkipGram;
    // "negative_sampling" | "softmax" | "hierarchical_softmax"
    LossKind loss = LossKind::kNegativeSampling;
    // CBOW: each context row takes the hidden vector's whole gradient ("word2vec", as word2vec.c and
    // gensim) or its 1/m share ("exact", the true gradient through the mean).
    CbowGradient cbow_gradient = CbowGradient::kWord2Vec;
    int64_t negatives = 5;
    double noise_exponent = 0.75;
    double subsample = 1e-4;  // 0 disables subsampling
    // "word2vec": keep (sqrt(f/t) + 1)·t/f; "assignment": keep sqrt(t/f), the starter code's.
    SubsampleFormula subsample_formula = SubsampleFormula::kWord2Vec;
    InitKind init = InitKind::kWord2Vec;  // "word2vec" | "assignment"
  } model;

  struct Optim {
    KernelKind kernel = KernelKind::kBlock;  // "block" | "pairwise"
    double lr = 0.025;
    ScheduleKind schedule = ScheduleKind::kLinear;  // "linear" | "step"
    double min_lr = 0.025 * 1e-4;  // floor of the linear schedule
    double step_factor = 0.5;      // step schedule: lr *= step_factor every step_every iterations
    int64_t step_every = 20000;
    int64_t epochs = 5;
    int64_t iterations = 0;       // > 0: stop after this many iterations instead of `epochs`
    int64_t batch_windows = 50;   // windows per iteration (the assignment's batch)
    uint64_t seed = 1;
    // "sequential": every worker walks its shard, each position a centre once an epoch (word2vec);
    // "random_context": each window a uniformly random sentence and position of
    // `sentence_copies` subsampled copies of the corpus, as the assignment's getRandomContext.
    SamplingKind sampling = SamplingKind::kSequential;
    int64_t sentence_copies = 30;  // random_context: the starter code's `sentences * 30`
  } optim;

  int64_t threads = 0;  // 0 in the struct means "not set"; loading fills in DefaultThreads()

  struct Log {
    double interval_seconds = 5;
  } log;

  struct Snapshot {
    double every_seconds = 600;  // 0 disables periodic snapshots (the final one is still written)
    std::string path;            // empty: <output.dir>/snapshot.w2v
  } snapshot;

  // A run of several processes under mpirun (trainer/rank_sync.h, docs/DISTRIBUTED.md).
  struct Distributed {
    double sync_seconds = 0.1;  // between two syncs of the ranks' models while they train
    // Rows of the most frequent words in every sync; twice as many every second sync, four times
    // every fourth, and so on up to the whole model.
    int64_t sync_rows = 1024;
    // How the ranks' changes to a row since the last sync combine: "adaptive", the sum's direction
    // at the root-sum-square of their lengths (the sum when they are independent); "mean"; "sum".
    CombineKind combine = CombineKind::kAdaptive;
  } distributed;

  struct Eval {
    int64_t every_epochs = 0;        // 0: never; N: after every N epochs and at the end
    std::string questions;           // analogy questions (questions-words.txt format); "": none
    std::vector<std::string> pairs;  // word-similarity files ("word1 word2 score" lines)
    int64_t restrict = 30000;        // the most frequent words the evaluation uses; 0: all
  } eval;

  struct Output {
    std::string dir = "runs/default";
    bool text = true;    // vectors.txt
    bool binary = true;  // vectors.bin
    std::vector<std::string> sample_words;  // words for sample_vectors.json and the 2-D picture
    bool plots = false;                     // draw the loss curve and the picture at the end
  } output;

  std::string source;  // the file the config was read from ("" for defaults)
};

// The largest thread count a config or a flag may ask for.
inline constexpr int64_t kMaxThreads = 1024;

// The thread count when none is given: the number of cores, within [1, kMaxThreads].
int64_t DefaultThreads();

// Reads `path`, applies each "key=value" of `overrides` (dotted keys, e.g. "model.dim=200"; the value
// is TOML, or a bare string), validates, and resolves relative paths: those in the file against the
// file's directory, those given as overrides against the current directory.
// Errors: NotFound (missing file), InvalidArgument (not TOML, unknown key, wrong type, bad override),
// OutOfRange (a value outside its range). Messages start "FILE:LINE: KEY:" (or "--set KEY=VALUE:").
// An empty `path` means no file: the defaults with the overrides, named kNoConfigFile in errors.
absl::StatusOr<TrainConfig> LoadConfig(const std::string& path,
                                       const std::vector<std::string>& overrides = {});
inline constexpr char kNoConfigFile[] = "(no config file)";

// The same from TOML text already in memory (a snapshot's config); `source` names it in errors and
// relative paths resolve against its directory.
absl::StatusOr<TrainConfig> LoadConfigText(const std::string& contents, const std::string& source,
                                           const std::vector<std::string>& overrides = {});

// The effective config as TOML, every key present: what `w2v config` prints and what a run saves.
std::string ConfigToToml(const TrainConfig& config);

// The documented keys, in order: the rows of configs/README.md's table.
struct ConfigKeyDoc {
  std::string key;  // "model.dim"
  std::string type;
  std::string default_value;
  std::string range;
  std::string meaning;
};
std::vector<ConfigKeyDoc> DocumentedConfigKeys();

}  // namespace w2v::io
