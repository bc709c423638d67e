// Tests of the TOML config: defaults, every error class with its code and location, --set
// overrides, the ConfigToToml round trip, the shipped configs, the key table in configs/README.md,
// a key for every member of the config structs, and the `w2v config` command end to end.
#include "io/config.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

namespace fs = std::filesystem;

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using w2v::testing::ReadFile;
using w2v::testing::RunResult;
using w2v::testing::RunW2v;
using w2v::testing::SourceDir;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

std::string Cwd(const std::string& relative) {
  return (fs::current_path() / relative).lexically_normal().string();
}

// ConfigToToml without its "# read from" line, to compare configs read from different files.
std::string Canonical(TrainConfig config) {
  config.source.clear();
  return ConfigToToml(config);
}

// Every key set to something other than its default, with doubles that only an exact printer
// round-trips and strings that need escaping.
constexpr char kEverything[] = R"(threads = 3

[corpus]
paths = ["a.txt", "/abs/b.txt"]
format = "sst"
lowercase = true
max_sentence_length = 77
max_token_bytes = 4

[vocab]
min_count = 2
max_vocab = 1000
path = "vocab.txt"

[model]
dim = 16
window = 3
loss = "softmax"
negatives = 0
noise_exponent = 0.30000000000000004
subsample = 0.3333333333333333
subsample_formula = "assignment"
init = "assignment"

[optim]
lr = 5e-324
schedule = "step"
min_lr = 0
step_factor = 0.1
step_every = 7
epochs = 2
iterations = 1000000000000
batch_windows = 3
seed = 9223372036854775807
sentence_copies = 7

[log]
interval_seconds = 0.5

[snapshot]
every_seconds = 0
path = "snap/s.w2v"

[output]
dir = "out"
text = false
binary = false
sample_words = ["quote\"", "back\\slash", "tab\there", "new\nline", "ctl\u0001", "ünï", "日本"]
plots = true
)";

// configs/README.md's default column, written out here so that a changed initialiser, a loader
// that writes over a default, and a README row edited to agree with either all fail a test.
const std::map<std::string, std::string>& DocumentedDefaults() {
  static const auto* const defaults = new std::map<std::string, std::string>{
      {"threads", "the number of cores"},
      {"corpus.paths", "[]"},
      {"corpus.format", "\"text\""},
      {"corpus.lowercase", "false"},
      {"corpus.max_sentence_length", "1000"},
      {"corpus.max_token_bytes", "100"},
      {"corpus.invalid_utf8", "\"error\""},
      {"vocab.min_count", "5"},
      {"vocab.max_vocab", "0"},
      {"vocab.max_counted_words", "21000000"},
      {"vocab.path", "\"\""},
      {"vocab.unk_word", "\"\""},
      {"model.dim", "100"},
      {"model.window", "5"},
      {"model.arch", "\"skipgram\""},
      {"model.loss", "\"negative_sampling\""},
      {"model.cbow_gradient", "\"word2vec\""},
      {"model.negatives", "5"},
      {"model.noise_exponent", "0.75"},
      {"model.subsample", "1e-4"},
      {"model.subsample_formula", "\"word2vec\""},
      {"model.init", "\"word2vec\""},
      {"optim.lr", "0.025"},
      {"optim.kernel", "\"block\""},
      {"optim.schedule", "\"linear\""},
      {"optim.min_lr", "2.5e-6"},
      {"optim.step_factor", "0.5"},
      {"optim.step_every", "20000"},
      {"optim.epochs", "5"},
      {"optim.iterations", "0"},
      {"optim.batch_windows", "50"},
      {"optim.seed", "1"},
      {"optim.sampling", "\"sequential\""},
      {"optim.sentence_copies", "30"},
      {"log.interval_seconds", "5.0"},
      {"snapshot.every_seconds", "600.0"},
      {"snapshot.path", "\"\""},
      {"distributed.sync_seconds", "0.1"},
      {"distributed.sync_rows", "1024"},
      {"distributed.combine", "\"adaptive\""},
      {"eval.every_epochs", "0"},
      {"eval.questions", "\"\""},
      {"eval.pairs", "[]"},
      {"eval.restrict", "30000"},
      {"output.dir", "\"runs/default\""},
      {"output.text", "true"},
      {"output.binary", "true"},
      {"output.sample_words", "[]"},
      {"output.plots", "false"},
  };
  return *defaults;
}

// Dotted key -> value text of ConfigToToml's "name = value" lines (values on one line only).
std::map<std::string, std::string> PrintedValues(const std::string& toml) {
  std::map<std::string, std::string> values;
  std::stringstream in(toml);
  std::string section;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    const size_t equals = line.find(" = ");
    if (equals == std::string::npos) continue;
    const std::string name = line.substr(0, equals);
    values[section.empty() ? name : section + "." + name] = line.substr(equals + 3);
  }
  return values;
}

// Writes the text to a config file in a fresh directory and loads it.
class ConfigTest : public ::testing::Test {
 protected:
  absl::StatusOr<TrainConfig> Load(const std::string& toml,
                                   const std::vector<std::string>& overrides = {}) {
    dir_.Write("w2v.toml", toml);
    return LoadConfig(path(), overrides);
  }
  std::string path() const { return dir_.File("w2v.toml"); }
  std::string At(int line) const { return path() + ":" + std::to_string(line) + ": "; }
  const std::string& dir() const { return dir_.path(); }

  // The load fails with `code` and a one-line message "FILE:LINE: KEY: ..." containing `detail`.
  void ExpectError(const std::string& toml, absl::StatusCode code, int line, const std::string& key,
                   const std::string& detail) {
    const auto config = Load(toml);
    EXPECT_THAT(config, StatusIs(code, AllOf(StartsWith(At(line) + key + ": "), HasSubstr(detail),
                                             Not(HasSubstr("\n")))))
        << toml;
  }

 private:
  TempDir dir_;
};

TEST_F(ConfigTest, EmptyFileGivesTheDefaults) {
  const auto config = Load("");
  W2V_ASSERT_OK(config);
  // Against the documented defaults rather than a default-constructed struct, so that a loader
  // that writes over a default it was not given fails here too.
  std::map<std::string, std::string> expected = DocumentedDefaults();
  expected["threads"] =
      std::to_string(std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 1024));
  expected["output.dir"] = absl::StrCat("\"", Cwd("runs/default"), "\"");  // relative to the cwd
  const std::map<std::string, std::string> printed = PrintedValues(ConfigToToml(*config));
  for (const auto& [key, value] : expected) {
    const auto it = printed.find(key);
    ASSERT_NE(it, printed.end()) << key;
    EXPECT_EQ(it->second, value) << key;
  }
  EXPECT_EQ(printed.size(), expected.size());
  EXPECT_EQ(config->source, path());
  EXPECT_TRUE(config->corpus.paths.empty());
  EXPECT_EQ(config->model.dim, 100);
  EXPECT_EQ(config->model.loss, LossKind::kNegativeSampling);
  EXPECT_EQ(config->optim.lr, 0.025);
  EXPECT_EQ(config->optim.min_lr, 2.5e-6);
  EXPECT_EQ(config->vocab.path, "");
  EXPECT_EQ(config->vocab.unk_word, "");
  EXPECT_EQ(config->model.subsample_formula, SubsampleFormula::kWord2Vec);
  EXPECT_EQ(config->optim.sampling, SamplingKind::kSequential);
  EXPECT_EQ(config->optim.sentence_copies, 30);
  EXPECT_EQ(config->snapshot.path, "");
}

TEST_F(ConfigTest, CommentsOnlyIsEmpty) {
  W2V_EXPECT_OK(Load("# nothing here\n\n   # nor here\n"));
}

TEST_F(ConfigTest, ThreadsDefaultToTheCores) {
  const auto config = Load("");
  W2V_ASSERT_OK(config);
  const int64_t cores = std::thread::hardware_concurrency();
  EXPECT_GE(config->threads, 1);
  EXPECT_LE(config->threads, 1024);
  EXPECT_EQ(config->threads, std::clamp<int64_t>(cores, 1, 1024));
  const auto set = Load("threads = 7\n");
  W2V_ASSERT_OK(set);
  EXPECT_EQ(set->threads, 7);
}

TEST_F(ConfigTest, ReadsEveryKey) {
  const auto c = Load(kEverything);
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->threads, 3);
  EXPECT_THAT(c->corpus.paths, ElementsAre(dir() + "/a.txt", "/abs/b.txt"));
  EXPECT_EQ(c->corpus.format, CorpusFormat::kSst);
  EXPECT_TRUE(c->corpus.lowercase);
  EXPECT_EQ(c->corpus.max_sentence_length, 77);
  EXPECT_EQ(c->corpus.max_token_bytes, 4);
  EXPECT_EQ(c->vocab.min_count, 2);
  EXPECT_EQ(c->vocab.max_vocab, 1000);
  EXPECT_EQ(c->vocab.path, dir() + "/vocab.txt");
  EXPECT_EQ(c->model.dim, 16);
  EXPECT_EQ(c->model.window, 3);
  EXPECT_EQ(c->model.loss, LossKind::kSoftmax);
  EXPECT_EQ(c->model.negatives, 0);
  EXPECT_EQ(c->model.noise_exponent, 0.1 + 0.2);
  EXPECT_EQ(c->model.subsample, 1.0 / 3);
  EXPECT_EQ(c->model.subsample_formula, SubsampleFormula::kAssignment);
  EXPECT_EQ(c->model.init, InitKind::kAssignment);
  EXPECT_EQ(c->optim.lr, 5e-324);
  EXPECT_EQ(c->optim.schedule, ScheduleKind::kStep);
  EXPECT_EQ(c->optim.min_lr, 0);
  EXPECT_EQ(c->optim.step_factor, 0.1);
  EXPECT_EQ(c->optim.step_every, 7);
  EXPECT_EQ(c->optim.epochs, 2);
  EXPECT_EQ(c->optim.iterations, 1'000'000'000'000);
  EXPECT_EQ(c->optim.batch_windows, 3);
  EXPECT_EQ(c->optim.seed, 9223372036854775807ULL);
  EXPECT_EQ(c->optim.sentence_copies, 7);
  EXPECT_EQ(c->log.interval_seconds, 0.5);
  EXPECT_EQ(c->snapshot.every_seconds, 0);
  EXPECT_EQ(c->snapshot.path, dir() + "/snap/s.w2v");
  EXPECT_EQ(c->output.dir, dir() + "/out");
  EXPECT_FALSE(c->output.text);
  EXPECT_FALSE(c->output.binary);
  EXPECT_THAT(c->output.sample_words, ElementsAre("quote\"", "back\\slash", "tab\there",
                                                  "new\nline", "ctl\x01", "ünï", "日本"));
  EXPECT_TRUE(c->output.plots);
}

TEST_F(ConfigTest, ReadsTheAssignmentsSamplingKeys) {
  // random_context with what it needs: iterations, negative sampling, the pairwise kernel.
  const auto c = Load(
      "[vocab]\nunk_word = \"UNK\"\n[model]\nsubsample_formula = \"assignment\"\n"
      "[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\niterations = 100\n"
      "sentence_copies = 5\n");
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->vocab.unk_word, "UNK");  // a word, not a path: not resolved against the directory
  EXPECT_EQ(c->model.subsample_formula, SubsampleFormula::kAssignment);
  EXPECT_EQ(c->optim.sampling, SamplingKind::kRandomContext);
  EXPECT_EQ(c->optim.sentence_copies, 5);
  const std::string toml = ConfigToToml(*c);
  EXPECT_THAT(toml, HasSubstr("\nunk_word = \"UNK\"\n"));
  EXPECT_THAT(toml, HasSubstr("\nsubsample_formula = \"assignment\"\n"));
  EXPECT_THAT(toml, HasSubstr("\nsampling = \"random_context\"\n"));
  EXPECT_THAT(toml, HasSubstr("\nsentence_copies = 5\n"));
  TempDir other;
  other.Write("again.toml", toml);
  const auto again = LoadConfig(other.File("again.toml"));
  W2V_ASSERT_OK(again) << toml;
  EXPECT_EQ(Canonical(*again), Canonical(*c));

  const auto set = Load("", {"optim.sampling=random_context", "optim.kernel=pairwise",
                             "optim.iterations=10", "model.subsample_formula=assignment",
                             "vocab.unk_word=<unk>", "optim.sentence_copies=1000"});
  W2V_ASSERT_OK(set);
  EXPECT_EQ(set->optim.sampling, SamplingKind::kRandomContext);
  EXPECT_EQ(set->model.subsample_formula, SubsampleFormula::kAssignment);
  EXPECT_EQ(set->vocab.unk_word, "<unk>");
  EXPECT_EQ(set->optim.sentence_copies, 1000);
}

TEST_F(ConfigTest, OtherTomlSpellingsOfTheSameKeys) {
  // Dotted keys and inline tables are ordinary TOML; an integer is a fine float.
  const auto c =
      Load("model.dim = 7\noptim = { lr = 1, epochs = 3 }\n[output]\nsample_words = []\n");
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->model.dim, 7);
  EXPECT_EQ(c->optim.lr, 1.0);
  EXPECT_EQ(c->optim.epochs, 3);
  EXPECT_TRUE(c->output.sample_words.empty());
}

TEST_F(ConfigTest, PathsFromTheFileAreRelativeToIt) {
  const auto c = Load(
      "[corpus]\npaths = [\"a.txt\", \"../b.txt\", \"/abs/c.txt\"]\n"
      "[vocab]\npath = \"\"\n[output]\ndir = \"./out/\"\n");
  W2V_ASSERT_OK(c);
  const std::string parent = fs::path(dir()).parent_path().string();
  EXPECT_THAT(c->corpus.paths, ElementsAre(dir() + "/a.txt", parent + "/b.txt", "/abs/c.txt"));
  EXPECT_EQ(c->vocab.path, "");  // empty means none, not the config's directory
  EXPECT_EQ(c->output.dir, dir() + "/out/");
}

// --- errors -------------------------------------------------------------------------------------

TEST_F(ConfigTest, UnknownKeyAtTopLevel) {
  ExpectError("threads = 2\nbogus = 1\n", absl::StatusCode::kInvalidArgument, 2, "bogus",
              "unknown key");
  // A key outside its section is pointed to it.
  ExpectError("dim = 3\n", absl::StatusCode::kInvalidArgument, 1, "dim",
              "unknown key (did you mean model.dim?)");
}

TEST_F(ConfigTest, UnknownKeyInASection) {
  ExpectError("[model]\ndim = 3\ndimm = 4\n", absl::StatusCode::kInvalidArgument, 3, "model.dimm",
              "unknown key (did you mean model.dim?)");
  ExpectError("[model.extra]\nx = 1\n", absl::StatusCode::kInvalidArgument, 1, "model.extra",
              "unknown key");
}

TEST_F(ConfigTest, UnknownSection) {
  ExpectError("\n[modle]\ndim = 3\n", absl::StatusCode::kInvalidArgument, 2, "modle",
              "unknown key (did you mean model?)");
  ExpectError("[training]\nlr = 3\n", absl::StatusCode::kInvalidArgument, 1, "training",
              "unknown key");
}

TEST_F(ConfigTest, ReportsTheEarliestErrorInTheFile) {
  // TOML tables are unordered; the error a reader meets first is the one to report.
  ExpectError("[model]\nzzz = 1\n[corpus]\naaa = 2\n", absl::StatusCode::kInvalidArgument, 2,
              "model.zzz", "unknown key");
}

TEST_F(ConfigTest, WrongType) {
  using absl::StatusCode;
  ExpectError("[model]\ndim = \"ten\"\n", StatusCode::kInvalidArgument, 2, "model.dim",
              "expected an integer, got a string");
  ExpectError("[model]\ndim = 10.0\n", StatusCode::kInvalidArgument, 2, "model.dim",
              "expected an integer, got a float");
  ExpectError("[optim]\nlr = \"fast\"\n", StatusCode::kInvalidArgument, 2, "optim.lr",
              "expected a number, got a string");
  ExpectError("[corpus]\nlowercase = 1\n", StatusCode::kInvalidArgument, 2, "corpus.lowercase",
              "expected a boolean, got an integer");
  ExpectError("[output]\ndir = 5\n", StatusCode::kInvalidArgument, 2, "output.dir",
              "expected a string, got an integer");
  ExpectError("[corpus]\npaths = 5\n", StatusCode::kInvalidArgument, 2, "corpus.paths",
              "expected an array of strings, or a string, got an integer");
  ExpectError("[corpus]\npaths = \"\"\n", StatusCode::kInvalidArgument, 2, "corpus.paths",
              "must not be empty");
  ExpectError("[corpus]\npaths = [\n  \"a.txt\",\n  3,\n]\n", StatusCode::kInvalidArgument, 4,
              "corpus.paths[1]", "expected a string, got an integer");
  ExpectError("[corpus]\npaths = [\"\"]\n", StatusCode::kInvalidArgument, 2, "corpus.paths[0]",
              "must not be empty");
  ExpectError("threads = [1]\n", StatusCode::kInvalidArgument, 1, "threads",
              "expected an integer, got an array");
  ExpectError("model = 3\n", StatusCode::kInvalidArgument, 1, "model",
              "expected a table, got an integer");
  ExpectError("[[model]]\ndim = 3\n", StatusCode::kInvalidArgument, 1, "model",
              "expected a table, got an array");
}

TEST_F(ConfigTest, OutOfRange) {
  using absl::StatusCode;
  ExpectError("[model]\ndim = 0\n", StatusCode::kOutOfRange, 2, "model.dim",
              "0 is out of range [1, 10000]");
  ExpectError("[model]\nwindow = 0\n", StatusCode::kOutOfRange, 2, "model.window",
              "0 is out of range [1, 1000]");
  ExpectError("threads = 0\n", StatusCode::kOutOfRange, 1, "threads",
              "0 is out of range [1, 1024]");
  ExpectError("threads = 1025\n", StatusCode::kOutOfRange, 1, "threads",
              "1025 is out of range [1, 1024]");
  ExpectError("[optim]\nlr = 0\n", StatusCode::kOutOfRange, 2, "optim.lr",
              "0 is out of range (0, 10]");
  ExpectError("[optim]\nlr = -1\n", StatusCode::kOutOfRange, 2, "optim.lr",
              "-1 is out of range (0, 10]");
  ExpectError("[optim]\nepochs = 0\n", StatusCode::kOutOfRange, 2, "optim.epochs",
              "0 is out of range [1, 100000]");
  ExpectError("[optim]\nseed = -1\n", StatusCode::kOutOfRange, 2, "optim.seed",
              "-1 is out of range [0, 9223372036854775807]");
  ExpectError("[corpus]\nmax_token_bytes = 3\n", StatusCode::kOutOfRange, 2,
              "corpus.max_token_bytes", "3 is out of range [4, 1000000]");
  ExpectError("[model]\nsubsample = nan\n", StatusCode::kOutOfRange, 2, "model.subsample",
              "nan is out of range [0, 1]");
  ExpectError("[log]\ninterval_seconds = inf\n", StatusCode::kOutOfRange, 2, "log.interval_seconds",
              "inf is out of range (0, 86400]");
  ExpectError("[optim]\nsentence_copies = 0\n", StatusCode::kOutOfRange, 2,
              "optim.sentence_copies", "0 is out of range [1, 1000]");
  ExpectError("[optim]\nsentence_copies = 1001\n", StatusCode::kOutOfRange, 2,
              "optim.sentence_copies", "1001 is out of range [1, 1000]");
}

TEST_F(ConfigTest, NegativesDependOnTheLoss) {
  ExpectError("[model]\nnegatives = 0\n", absl::StatusCode::kOutOfRange, 2, "model.negatives",
              "negative_sampling needs at least 1");
  ExpectError("[model]\nloss = \"negative_sampling\"\nnegatives = 0\n",
              absl::StatusCode::kOutOfRange, 3, "model.negatives",
              "negative_sampling needs at least 1");
  const auto softmax = Load("[model]\nloss = \"softmax\"\nnegatives = 0\n");
  W2V_ASSERT_OK(softmax);
  EXPECT_EQ(softmax->model.negatives, 0);
}

TEST_F(ConfigTest, MinLrMayNotExceedLr) {
  ExpectError("[optim]\nlr = 0.1\nmin_lr = 0.5\n", absl::StatusCode::kOutOfRange, 3, "optim.min_lr",
              "0.5 is out of range [0, optim.lr = 0.1]");
  // Lowering lr under the default floor is caught too, at the line that did it.
  ExpectError("[optim]\nlr = 1e-7\n", absl::StatusCode::kOutOfRange, 2, "optim.min_lr",
              "is out of range [0, optim.lr = 1e-7]");
  W2V_EXPECT_OK(Load("[optim]\nlr = 0.1\nmin_lr = 0.1\n"));
}

TEST_F(ConfigTest, RandomContextNeedsIterationsNegativeSamplingPairwiseAndNoEpochEval) {
  using absl::StatusCode;
  ExpectError("[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\n",
              StatusCode::kInvalidArgument, 2, "optim.sampling",
              "\"random_context\" needs optim.iterations > 0 (it draws windows at random, so there "
              "are no epochs)");
  ExpectError("[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\niterations = 0\n",
              StatusCode::kInvalidArgument, 2, "optim.sampling", "needs optim.iterations > 0");
  ExpectError(
      "[model]\nloss = \"softmax\"\n[optim]\nsampling = \"random_context\"\n"
      "kernel = \"pairwise\"\niterations = 10\n",
      StatusCode::kInvalidArgument, 4, "optim.sampling",
      "\"random_context\" needs model.loss = \"negative_sampling\"");
  ExpectError("[optim]\nsampling = \"random_context\"\niterations = 10\n",
              StatusCode::kInvalidArgument, 2, "optim.sampling",
              "\"random_context\" needs optim.kernel = \"pairwise\" (it trains the assignment's "
              "pairwise step, each outside word with its own K negatives, in minibatches of "
              "optim.batch_windows windows)");
  ExpectError(
      "[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\niterations = 10\n"
      "[eval]\nevery_epochs = 1\nquestions = \"q.txt\"\n",
      StatusCode::kInvalidArgument, 2, "optim.sampling",
      "\"random_context\" needs eval.every_epochs = 0 (it has no epochs)");
  // Set by an override, the error names the override.
  EXPECT_THAT(Load("", {"optim.sampling=random_context", "optim.kernel=pairwise"}),
              StatusIs(StatusCode::kInvalidArgument,
                       StartsWith("--set optim.sampling=random_context: optim.sampling: "
                                  "\"random_context\" needs optim.iterations > 0")));
  // Sequential sampling asks none of it.
  W2V_EXPECT_OK(Load("[model]\nloss = \"softmax\"\n[optim]\nsampling = \"sequential\"\n"));
}

TEST_F(ConfigTest, TheWindowCountFitsAndARandomContextBatchFitsInMemory) {
  using absl::StatusCode;
  ExpectError("[optim]\niterations = 1000000000000\nbatch_windows = 1000000000\n",
              StatusCode::kOutOfRange, 2, "optim.iterations",
              "1000000000000 iterations of 1000000000 windows are more windows than can be counted");
  ExpectError("[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\niterations = 10\n"
              "batch_windows = 1000001\n",
              StatusCode::kOutOfRange, 5, "optim.batch_windows",
              "1000001 is out of range [1, 1000000] for \"random_context\"");
  W2V_EXPECT_OK(Load("[optim]\nsampling = \"random_context\"\nkernel = \"pairwise\"\n"
                     "iterations = 10\nbatch_windows = 1000000\n"));
}

TEST_F(ConfigTest, UnkWordIsOneWordAndOnlyForACountedVocabulary) {
  using absl::StatusCode;
  ExpectError("[vocab]\nunk_word = \"U K\"\n", StatusCode::kInvalidArgument, 2, "vocab.unk_word",
              "\"U K\" contains whitespace, so it is no word");
  ExpectError("[vocab]\nunk_word = \"UNK\\t\"\n", StatusCode::kInvalidArgument, 2,
              "vocab.unk_word", "contains whitespace");
  // A newline stays escaped: the message is one line (ExpectError checks).
  ExpectError("[vocab]\nunk_word = \"U\\nK\"\n", StatusCode::kInvalidArgument, 2,
              "vocab.unk_word", "contains whitespace");
  ExpectError("[vocab]\npath = \"v.txt\"\nunk_word = \"UNK\"\n", StatusCode::kInvalidArgument, 3,
              "vocab.unk_word",
              "cannot be combined with vocab.path (a vocabulary file is taken as it is; "
              "vocab.unk_word applies when counting)");
  EXPECT_THAT(Load("[vocab]\nunk_word = \"UNK\"\n", {"vocab.path=v.txt"}),
              StatusIs(StatusCode::kInvalidArgument, StartsWith(At(2) + "vocab.unk_word: ")));
  W2V_EXPECT_OK(Load("[vocab]\nunk_word = \"UNK\"\npath = \"\"\n"));
}

TEST_F(ConfigTest, BadEnumNameListsTheChoices) {
  ExpectError("[model]\nloss = \"hierarchical\"\n", absl::StatusCode::kInvalidArgument, 2,
              "model.loss", "\"hierarchical\" is not one of \"negative_sampling\", \"softmax\"");
  ExpectError("[corpus]\nformat = \"csv\"\n", absl::StatusCode::kInvalidArgument, 2,
              "corpus.format", "\"text\", \"sst\"");
  ExpectError("[model]\ninit = \"xavier\"\n", absl::StatusCode::kInvalidArgument, 2, "model.init",
              "\"word2vec\", \"assignment\"");
  ExpectError("[optim]\nschedule = \"cosine\"\n", absl::StatusCode::kInvalidArgument, 2,
              "optim.schedule", "\"linear\", \"step\"");
  ExpectError("[optim]\nsampling = \"shuffled\"\n", absl::StatusCode::kInvalidArgument, 2,
              "optim.sampling", "\"shuffled\" is not one of \"sequential\", \"random_context\"");
  ExpectError("[model]\nsubsample_formula = \"gensim\"\n", absl::StatusCode::kInvalidArgument, 2,
              "model.subsample_formula", "\"gensim\" is not one of \"word2vec\", \"assignment\"");
  EXPECT_THAT(Load("", {"optim.sampling=random"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("--set optim.sampling=random: optim.sampling: \"random\" is not "
                                  "one of")));
}

TEST_F(ConfigTest, NotToml) {
  EXPECT_THAT(
      Load("[model]\ndim = 3\nthis is not toml\n"),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(StartsWith(At(3)), Not(HasSubstr("\n")))));
  EXPECT_THAT(Load("[model]\ndim = 3\ndim = 4\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(At(3))));
}

TEST_F(ConfigTest, BinaryGarbage) {
  constexpr char kGarbage[] = "\x7f\x45LF\x02\x01\x01\x00\xff\xfe\x80\x81 garbage";
  EXPECT_THAT(Load(std::string(kGarbage, sizeof(kGarbage) - 1)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith(path() + ":"), Not(HasSubstr("\n")))));
}

TEST_F(ConfigTest, MissingFile) {
  const std::string missing = dir() + "/nope.toml";
  EXPECT_THAT(LoadConfig(missing), StatusIs(absl::StatusCode::kNotFound, HasSubstr(missing)));
}

TEST_F(ConfigTest, Directory) {
  EXPECT_THAT(LoadConfig(dir()), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(dir())));
}

TEST_F(ConfigTest, EndlessFile) {
  // Not a directory and not missing, but no config either: it must be refused, not read forever.
  EXPECT_THAT(LoadConfig("/dev/zero"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/dev/zero: over")));
}

// --- overrides ----------------------------------------------------------------------------------

TEST_F(ConfigTest, OverridesApplyAfterTheFile) {
  const auto c =
      Load("[model]\ndim = 10\n",
           {"model.dim=20", "model.loss=softmax", "optim.lr=0.5", "corpus.lowercase=true",
            "output.sample_words=[\"a\", \"b\"]", " threads = 3 ", "model.dim=30"});
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->model.dim, 30);  // the last one wins
  EXPECT_EQ(c->model.loss, LossKind::kSoftmax);
  EXPECT_EQ(c->optim.lr, 0.5);
  EXPECT_TRUE(c->corpus.lowercase);
  EXPECT_THAT(c->output.sample_words, ElementsAre("a", "b"));
  EXPECT_EQ(c->threads, 3);
}

TEST_F(ConfigTest, OverrideErrors) {
  EXPECT_THAT(Load("", {"model.dimm=3"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--set model.dimm=3: model.dimm: unknown key (did you mean model.dim?)"));
  EXPECT_THAT(Load("", {"model=3"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown key")));
  EXPECT_THAT(Load("", {"model.dim"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--set model.dim: expected KEY=VALUE"));
  EXPECT_THAT(Load("", {"model.dim=abc"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--set model.dim=abc: model.dim: expected an integer, got a string"));
  EXPECT_THAT(Load("", {"model.dim=0"}),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "--set model.dim=0: model.dim: 0 is out of range [1, 10000]"));
  EXPECT_THAT(Load("", {"model.loss=hs"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not one of")));
  EXPECT_THAT(Load("", {"corpus.paths=[\"\"]"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must not be empty")));
  // A value that would smuggle in another key is just a (bad) string.
  EXPECT_THAT(Load("", {"model.dim=3\nwindow=2"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("got a string"), Not(HasSubstr("\n")))));
  EXPECT_THAT(Load("", {"model.dim\n"}),
              StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("\n"))));
  // Cross-field errors point at the override that broke the constraint.
  EXPECT_THAT(
      Load("[model]\nloss = \"softmax\"\nnegatives = 0\n", {"model.loss=negative_sampling"}),
      StatusIs(absl::StatusCode::kOutOfRange, StartsWith(At(3) + "model.negatives:")));
  EXPECT_THAT(Load("", {"model.negatives=0"}),
              StatusIs(absl::StatusCode::kOutOfRange, StartsWith("--set model.negatives=0: ")));
}

TEST_F(ConfigTest, OverrideStringsNeedNoQuotes) {
  const auto c = Load("", {"output.dir=/tmp/run", "snapshot.path=\"/tmp/with space/s.w2v\"",
                           "vocab.path=", "corpus.format=sst", "model.init=assignment"});
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->output.dir, "/tmp/run");
  EXPECT_EQ(c->snapshot.path, "/tmp/with space/s.w2v");
  EXPECT_EQ(c->vocab.path, "");
  EXPECT_EQ(c->corpus.format, CorpusFormat::kSst);
  EXPECT_EQ(c->model.init, InitKind::kAssignment);
  // Text that happens to be another TOML type is still the string a string key asks for.
  const auto dated = Load("", {"output.dir=2024-01-01", "snapshot.path=17"});
  W2V_ASSERT_OK(dated);
  EXPECT_EQ(dated->output.dir, Cwd("2024-01-01"));
  EXPECT_EQ(dated->snapshot.path, Cwd("17"));
}

TEST_F(ConfigTest, OverridePathsAreRelativeToTheCurrentDirectory) {
  const auto c = Load(
      "[corpus]\npaths = [\"in-file.txt\"]\n[output]\ndir = \"file-out\"\n",
      {"output.dir=run/out", "vocab.path=../v.txt", "corpus.paths=[\"c.txt\", \"/abs/d.txt\"]"});
  W2V_ASSERT_OK(c);
  EXPECT_EQ(c->output.dir, Cwd("run/out"));
  EXPECT_EQ(c->vocab.path, Cwd("../v.txt"));
  EXPECT_THAT(c->corpus.paths, ElementsAre(Cwd("c.txt"), "/abs/d.txt"));
}

TEST_F(ConfigTest, AListKeyTakesASingleString) {
  const auto bare = Load("", {"corpus.paths=/data/x.txt", "eval.pairs=2024-01-01"});
  W2V_ASSERT_OK(bare);
  EXPECT_THAT(bare->corpus.paths, ElementsAre("/data/x.txt"));
  EXPECT_THAT(bare->eval.pairs, ElementsAre(Cwd("2024-01-01")));
  const auto quoted = Load("[corpus]\npaths = \"/data/y.txt\"\n", {});
  W2V_ASSERT_OK(quoted);
  EXPECT_THAT(quoted->corpus.paths, ElementsAre("/data/y.txt"));
}

// --- ConfigToToml -------------------------------------------------------------------------------

TEST_F(ConfigTest, RoundTripsThroughToml) {
  const auto first = Load(kEverything);
  W2V_ASSERT_OK(first);
  const std::string toml = ConfigToToml(*first);
  // Read back from another directory: every path must already be absolute.
  TempDir other;
  other.Write("again.toml", toml);
  const auto second = LoadConfig(other.File("again.toml"));
  W2V_ASSERT_OK(second) << toml;
  EXPECT_EQ(Canonical(*second), Canonical(*first));
  EXPECT_EQ(second->model.noise_exponent, first->model.noise_exponent);
  EXPECT_EQ(second->optim.lr, 5e-324);
  EXPECT_EQ(second->output.sample_words, first->output.sample_words);
  EXPECT_EQ(second->corpus.paths, first->corpus.paths);

  const auto defaults = Load("");
  W2V_ASSERT_OK(defaults);
  other.Write("defaults.toml", ConfigToToml(*defaults));
  const auto defaults_again = LoadConfig(other.File("defaults.toml"));
  W2V_ASSERT_OK(defaults_again);
  EXPECT_EQ(Canonical(*defaults_again), Canonical(*defaults));
}

TEST_F(ConfigTest, TomlHasEveryKeyInOrderAndShortNumbers) {
  const auto c = Load("");
  W2V_ASSERT_OK(c);
  const std::string toml = ConfigToToml(*c);
  EXPECT_THAT(toml, HasSubstr("\nlr = 0.025\n"));
  EXPECT_THAT(toml, HasSubstr("\nnoise_exponent = 0.75\n"));
  EXPECT_THAT(toml, HasSubstr("\ninterval_seconds = 5.0\n"));  // a float, not an integer
  EXPECT_THAT(toml, HasSubstr("\ndim = 100\n"));
  EXPECT_THAT(toml, HasSubstr("\npath = \"\"\n"));
  EXPECT_THAT(toml, HasSubstr("\nsubsample = 1e-4\n"));  // not to_chars' "1e-04"
  size_t previous = 0;
  for (const char* section :
       {"[corpus]", "[vocab]", "[model]", "[optim]", "[log]", "[snapshot]", "[output]"}) {
    const size_t at = toml.find(std::string("\n") + section + "\n");
    ASSERT_NE(at, std::string::npos) << section;
    EXPECT_GT(at, previous) << section;
    previous = at;
  }
  EXPECT_LT(toml.find("\nthreads = "), toml.find("[corpus]"));  // top-level keys come first
  for (const ConfigKeyDoc& doc : DocumentedConfigKeys()) {
    const std::string name = doc.key.substr(doc.key.rfind('.') + 1);
    EXPECT_THAT(toml, HasSubstr("\n" + name + " = ")) << doc.key;
  }
}

TEST_F(ConfigTest, ExponentsPrintShortAndReadBack) {
  const auto c = Load("[snapshot]\nevery_seconds = 1e9\n[model]\nsubsample = 1.5e-10\n");
  W2V_ASSERT_OK(c);
  const std::string toml = ConfigToToml(*c);
  EXPECT_THAT(toml, HasSubstr("\nevery_seconds = 1e9\n"));
  EXPECT_THAT(toml, HasSubstr("\nsubsample = 1.5e-10\n"));
  TempDir other;
  other.Write("again.toml", toml);
  const auto again = LoadConfig(other.File("again.toml"));
  W2V_ASSERT_OK(again);
  EXPECT_EQ(again->snapshot.every_seconds, 1e9);
  EXPECT_EQ(again->model.subsample, 1.5e-10);
}

TEST_F(ConfigTest, LongListsWrapAndReadBack) {
  std::string paths = "[corpus]\npaths = [";
  for (int i = 0; i < 30; ++i) paths += "\"/corpus/part-" + std::to_string(i) + ".txt\", ";
  const auto c = Load(paths + "]\n");
  W2V_ASSERT_OK(c);
  const std::string toml = ConfigToToml(*c);
  EXPECT_THAT(toml, HasSubstr("paths = [\n  \"/corpus/part-0.txt\","));
  TempDir other;
  other.Write("again.toml", toml);
  const auto again = LoadConfig(other.File("again.toml"));
  W2V_ASSERT_OK(again);
  EXPECT_EQ(again->corpus.paths, c->corpus.paths);
  EXPECT_EQ(again->corpus.paths.size(), 30u);
}

// --- the shipped configs and their documentation ------------------------------------------------

TEST(ConfigFilesTest, EveryShippedConfigLoads) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/configs")) {
    if (entry.path().extension() != ".toml") continue;
    ++count;
    const auto config = LoadConfig(entry.path().string());
    W2V_EXPECT_OK(config) << entry.path();
    if (config.ok()) {
      EXPECT_FALSE(config->corpus.paths.empty()) << entry.path();
    }
  }
  EXPECT_GE(count, 3);
}

TEST(ConfigFilesTest, SstIsTheAssignmentsRun) {
  const std::string source = SourceDir();
  const auto c = LoadConfig(source + "/configs/sst.toml");
  W2V_ASSERT_OK(c);
  const std::string repo = fs::path(source).lexically_normal().string();
  EXPECT_THAT(c->corpus.paths,
              ElementsAre(repo + "/data/stanfordSentimentTreebank/datasetSentences.txt"));
  EXPECT_EQ(c->corpus.format, CorpusFormat::kSst);
  EXPECT_EQ(c->model.dim, 10);
  EXPECT_EQ(c->model.negatives, 10);
  EXPECT_EQ(c->model.subsample, 1e-5);
  EXPECT_EQ(c->model.init, InitKind::kAssignment);
  EXPECT_EQ(c->optim.kernel, KernelKind::kPairwise);
  EXPECT_EQ(c->optim.lr, 0.3);
  EXPECT_EQ(c->optim.schedule, ScheduleKind::kStep);
  EXPECT_EQ(c->optim.iterations, 40000);
  EXPECT_EQ(c->optim.seed, 31415u);
  EXPECT_EQ(c->output.dir, repo + "/runs/sst");
  EXPECT_EQ(c->output.sample_words.size(), 24u);
}

TEST(ConfigDocTest, DefaultsComeFromTheStruct) {
  std::map<std::string, std::string> by_key;
  for (const ConfigKeyDoc& doc : DocumentedConfigKeys()) by_key[doc.key] = doc.default_value;
  for (const auto& [key, value] : DocumentedDefaults()) {
    const auto it = by_key.find(key);
    ASSERT_NE(it, by_key.end()) << key;
    EXPECT_EQ(it->second, value) << key;
  }
  for (const auto& [key, value] : by_key) {
    EXPECT_TRUE(DocumentedDefaults().contains(key))
        << key << " = " << value << " is missing from DocumentedDefaults() in this test";
  }
}

// Converts to any member's type, so that an aggregate T accepts T{AnyMember{}, ...} with as many
// initialisers as it has members and no more: without reflection, that counts members (Boost.PFR
// does the same). A nested struct, string or vector counts as one member; a C array member would
// count once per element, and a member type with a constructor template taking anything would
// stop the count short: either way the count, and so the test below, comes out wrong loudly.
struct AnyMember {
  template <typename T>
  operator T() const;  // only named in unevaluated requires-expressions, never called
};

template <typename T, size_t... I>
constexpr bool AcceptsInitializers(std::index_sequence<I...>) {
  return requires { T{(static_cast<void>(I), AnyMember{})...}; };
}

template <typename T, size_t N = 0>
constexpr size_t MemberCount() {
  static_assert(std::is_aggregate_v<T>, "members are counted by aggregate initialisation");
  if constexpr (AcceptsInitializers<T>(std::make_index_sequence<N + 1>())) {
    return MemberCount<T, N + 1>();
  } else {
    return N;
  }
}

// The counter on the kinds of member the config structs hold: each counts once.
struct CountedExample {
  std::vector<std::string> list;
  std::string text;
  struct {
    int a, b;
  } nested;
  bool flag = true;
};
static_assert(MemberCount<CountedExample>() == 4);

TEST(ConfigDocTest, EveryMemberOfTheConfigHasAKey) {
  // The schema binds a key to the member of the same dotted name (W2V_KEY), so with no key named
  // twice, as many keys as a struct has members means every member is read, printed and documented.
  std::map<std::string, size_t> keys_in;  // section -> its keys
  size_t top_level_keys = 0;
  std::set<std::string> seen;
  for (const ConfigKeyDoc& doc : DocumentedConfigKeys()) {
    EXPECT_TRUE(seen.insert(doc.key).second) << doc.key << " has two schema entries";
    const size_t dot = doc.key.find('.');
    if (dot == std::string::npos) {
      ++top_level_keys;
    } else {
      ++keys_in[doc.key.substr(0, dot)];
    }
  }
  const std::map<std::string, size_t> members_of = {
      {"corpus", MemberCount<TrainConfig::Corpus>()},
      {"vocab", MemberCount<TrainConfig::Vocab>()},
      {"model", MemberCount<TrainConfig::Model>()},
      {"optim", MemberCount<TrainConfig::Optim>()},
      {"log", MemberCount<TrainConfig::Log>()},
      {"snapshot", MemberCount<TrainConfig::Snapshot>()},
      {"distributed", MemberCount<TrainConfig::Distributed>()},
      {"eval", MemberCount<TrainConfig::Eval>()},
      {"output", MemberCount<TrainConfig::Output>()},
  };
  for (const auto& [section, members] : members_of) {
    const size_t keys = keys_in.contains(section) ? keys_in.at(section) : 0;
    EXPECT_EQ(keys, members) << "TrainConfig's [" << section << "] struct has " << members
                             << " members but " << keys << " keys in io/config_schema.cc's Schema(): a "
                             << "member without a key is neither read nor printed nor documented";
  }
  for (const auto& [section, keys] : keys_in) {
    EXPECT_TRUE(members_of.contains(section)) << "[" << section << "] is not counted here";
  }
  // TrainConfig itself: a member per section, the top-level keys (threads), and `source`, where
  // the config was read from, which is not a setting.
  EXPECT_EQ(MemberCount<TrainConfig>(), members_of.size() + top_level_keys + 1)
      << "a new top-level member or section of TrainConfig needs its keys, and this test its "
         "section";
}

std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::stringstream in(row);
  std::string cell;
  std::getline(in, cell, '|');  // before the first bar
  while (std::getline(in, cell, '|')) {
    cell.erase(std::remove(cell.begin(), cell.end(), '`'), cell.end());
    const size_t begin = cell.find_first_not_of(' ');
    const size_t end = cell.find_last_not_of(' ');
    cells.push_back(begin == std::string::npos ? "" : cell.substr(begin, end - begin + 1));
  }
  return cells;
}

TEST(ConfigDocTest, ReadmeDocumentsEveryKey) {
  const std::string readme = ReadFile(SourceDir() + "/configs/README.md");
  ASSERT_FALSE(readme.empty());
  std::map<std::string, std::vector<std::string>> rows;  // key -> cells of the "## Keys" table
  std::stringstream in(readme);
  bool in_keys = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_keys = line == "## Keys";
    if (!in_keys || line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells = Cells(line);
    rows[cells[0]] = cells;
  }
  std::set<std::string> known;
  for (const ConfigKeyDoc& doc : DocumentedConfigKeys()) {
    known.insert(doc.key);
    // The row to paste when this fails (escaping | for Markdown).
    std::string expected = "| `" + doc.key + "` | " + doc.type + " | `" + doc.default_value +
                           "` | " + doc.range + " | " + doc.meaning + " |";
    const auto it = rows.find(doc.key);
    ASSERT_NE(it, rows.end()) << "configs/README.md lacks the row\n" << expected;
    ASSERT_GE(it->second.size(), 5u) << expected;
    EXPECT_EQ(it->second[1], doc.type) << expected;
    EXPECT_EQ(it->second[2], doc.default_value) << expected;
    EXPECT_EQ(it->second[3], doc.range) << expected;
  }
  for (const auto& [key, cells] : rows) {
    EXPECT_TRUE(known.contains(key)) << "configs/README.md documents an unknown key " << key;
  }
}

// --- `w2v config` -------------------------------------------------------------------------------

TEST(ConfigCommandTest, PrintsTheEffectiveConfig) {
  TempDir dir;
  dir.Write("c.toml", "[model]\ndim = 12\n");
  const RunResult r = RunW2v(
      {"config", dir.File("c.toml"), "--set", "model.window=9", "--set=output.dir=/tmp/w2v-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("\n[model]\ndim = 12\nwindow = 9\n"));
  EXPECT_THAT(r.out, HasSubstr("\ndir = \"/tmp/w2v-run\"\n"));
  // What it prints is a config that reads back.
  dir.Write("printed.toml", r.out);
  const auto again = LoadConfig(dir.File("printed.toml"));
  W2V_ASSERT_OK(again);
  EXPECT_EQ(again->model.window, 9);
}

TEST(ConfigCommandTest, BadConfigExitsOne) {
  TempDir dir;
  dir.Write("c.toml", "[model]\ndim = 0\n");
  RunResult r = RunW2v({"config", dir.File("c.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "w2v config: " + dir.File("c.toml") + ":2: model.dim: 0 is out of range [1, 10000]\n");

  r = RunW2v({"config", dir.File("missing.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, AllOf(StartsWith("w2v config: "), HasSubstr("missing.toml")));

  dir.Write("ok.toml", "");
  r = RunW2v({"config", dir.File("ok.toml"), "--set", "model.dimm=3"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("w2v config: --set model.dimm=3: model.dimm: unknown key"));
}

TEST(ConfigCommandTest, WithoutAConfigPrintsTheDefaultsAndOverrides) {
  const RunResult r = RunW2v({"config", "--set", "model.dim=7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("# read from (no config file)\n"));
  EXPECT_THAT(r.out, HasSubstr("\ndim = 7\n"));
  EXPECT_THAT(r.out, HasSubstr("\nmin_count = 5\n"));
}

TEST(ConfigCommandTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"config", "--bogus"},
                                               {"config", "a.toml", "--bogus"},
                                               {"config", "a.toml", "b.toml"},
                                               {"config", "a.toml", "--set"}}) {
    const RunResult r = RunW2v(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_THAT(r.err, StartsWith("w2v config: ")) << args.back();
    EXPECT_THAT(r.err, HasSubstr("\nusage: w2v config [CONFIG]")) << args.back();
  }
}

// The rows of `w2v help`'s "commands:" block: name -> description. A row starts with two spaces
// and the name; a line indented further continues the row before it.
std::map<std::string, std::string> UsageRows(const std::string& usage) {
  std::map<std::string, std::string> rows;
  std::stringstream in(usage);
  std::string line;
  while (std::getline(in, line) && line != "commands:") {
  }
  std::string* description = nullptr;
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
    const size_t begin = line.find_first_not_of(' ');
    if (begin == std::string::npos) break;
    if (begin > 2 && description != nullptr) {
      // StrAppend, not `" " + line.substr(...)`: GCC 12 at -O3 warns falsely (-Wrestrict) on that.
      absl::StrAppend(description, " ", line.substr(begin));
      continue;
    }
    const size_t end = line.find(' ', begin);
    const size_t text = line.find_first_not_of(' ', end);
    description = &rows[line.substr(begin, end - begin)];
    *description = text == std::string::npos ? "" : line.substr(text);
  }
  return rows;
}

TEST(ConfigCommandTest, ListedInTheUsage) {
  const RunResult r = RunW2v({"help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::map<std::string, std::string> rows = UsageRows(r.out);
  ASSERT_TRUE(rows.contains("config")) << r.out;
  EXPECT_EQ(rows.at("config"), "print the effective config (a file plus --set overrides) as TOML");
  // Its own usage opens with the synopsis README.md documents.
  const RunResult help = RunW2v({"help", "config"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_THAT(help.out, StartsWith("usage: w2v config [CONFIG] [--set KEY=VALUE]...\n"));

  // The others too: every command of README.md's "## Commands" block has a row, and every row
  // names a command that runs.
  const std::string readme = ReadFile(SourceDir() + "/README.md");
  const size_t commands = readme.find("\n## Commands\n");
  ASSERT_NE(commands, std::string::npos);
  std::stringstream in(readme.substr(commands));
  std::set<std::string> documented;
  std::string line;
  while (std::getline(in, line) && line != "```") {
  }
  while (std::getline(in, line) && line != "```") {
    std::stringstream words(line);
    std::string w2v, command;
    words >> w2v >> command;
    if (w2v == "w2v") documented.insert(command);
  }
  EXPECT_THAT(documented, Contains("config"));
  for (const std::string& command : documented) {
    EXPECT_TRUE(rows.contains(command)) << command << " is missing from\n" << r.out;
  }
  for (const auto& [command, description] : rows) {
    EXPECT_NE(description, "") << command;
    if (command == "help") continue;
    const RunResult usage = RunW2v({command, "--help"});
    EXPECT_EQ(usage.exit_code, 0) << command << ": " << usage.err;
    EXPECT_THAT(usage.out, StartsWith("usage: w2v " + command + " ")) << command;
  }
}

}  // namespace
}  // namespace w2v::io
