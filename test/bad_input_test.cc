// The bad-input battery: every command that reads a file, fed each kind of bad file. Each must end
// with exit status 1 (never a signal), print exactly one line naming the file by the path it was
// given (with the line, or the key, where the docs promise one), and leave what it would have
// written untouched.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "test/run_binary.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct BadFile {
  std::string name;
  std::string contents;  // written unless `directory`
  bool directory = false;
  bool missing = false;
  int64_t repeat = 1;  // `contents` written this many times over
};

const std::vector<BadFile>& BadFiles() {
  static const std::vector<BadFile> files = {
      {"missing.txt", "", false, true},
      {"a_directory", "", true, false},
      {"empty.txt", "", false, false},
      {"garbage.bin", std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00\x01", 14), false,
       false},
      {"bad_utf8.txt", "good words here\nand \xc3\x28 broken\n", false, false},
      // One 100 MB line without whitespace: a single token, cut to max_token_bytes.
      {"huge_line.txt", std::string(1 << 20, 'x'), false, false, 100},
  };
  return files;
}

// The line a reader must name in its message about a bad file (by BadFile::name); a bad file not
// listed is named by its path alone, or by its path and any line.
using Lines = std::map<std::string, int>;
// Readers of lines of text (corpus, TOML): the line of the first byte that is not UTF-8.
const Lines kFirstBadByte = {{"garbage.bin", 1}, {"bad_utf8.txt", 2}};
// The vector reader: every bad file fails at its header.
const Lines kHeader = {
    {"empty.txt", 1}, {"garbage.bin", 1}, {"bad_utf8.txt", 1}, {"huge_line.txt", 1}};
// The question and pair readers: no bad file has a valid first line (an empty one has none).
const Lines kFirstLine = {{"garbage.bin", 1}, {"bad_utf8.txt", 1}, {"huge_line.txt", 1}};

class BadInputTest : public ::testing::Test {
 protected:
  // The bad files are only read, so one set of them serves the suite; made on first use, because
  // CTest runs every test in a process of its own, and most tests need none of them, which would
  // otherwise write the 100 MB file once per test.
  static const TempDir& BadFilesDir() {
    if (bad_files_ == nullptr) {
      bad_files_ = new TempDir;
      for (const BadFile& file : BadFiles()) {
        if (file.directory) {
          std::filesystem::create_directory(bad_files_->File(file.name));
        } else if (!file.missing) {
          std::ofstream out(bad_files_->File(file.name), std::ios::binary);
          for (int64_t i = 0; i < file.repeat; ++i) out << file.contents;
        }
      }
    }
    return *bad_files_;
  }
  static void TearDownTestSuite() {
    delete bad_files_;
    bad_files_ = nullptr;
  }

  void SetUp() override {
    dir_.Write("corpus.txt", "the cat sat on the mat\nthe dog sat on the log\n");
    dir_.Write("good.toml",
               "[corpus]\npaths = [\"corpus.txt\"]\n[vocab]\nmin_count = 1\n"
               "[model]\ndim = 8\nsubsample = 0\n[optim]\nepochs = 1\n");
    dir_.Write("vectors.txt", "2 3\nthe 0.1 0.2 0.3\ncat 0.3 0.2 0.1\n");
    dir_.Write("questions.txt", ": s\nthe cat the cat\n");
  }

  // Expects `args` to fail cleanly: exit 1, no signal, one line of standard error that holds every
  // one of `named` (the file's path with its line, or with the key).
  void ExpectRefused(const std::vector<std::string>& args, const std::vector<std::string>& named) {
    const RunResult r = RunW2v(args);
    const std::string what = absl::StrJoin(args, " ");
    EXPECT_EQ(r.signal, 0) << what;
    EXPECT_EQ(r.exit_code, 1) << what << ": " << r.err;
    for (const std::string& name : named) EXPECT_THAT(r.err, HasSubstr(name)) << what;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
  }

  // Runs `args` with "FILE" (in any argument) replaced by each bad file's path; each run must fail
  // cleanly, naming the file as "PATH:LINE: " with its line in `lines`, or else as "PATH:", except
  // for the files named in `accepted`.
  void ExpectEveryBadFileRefused(const std::vector<std::string>& args, const Lines& lines,
                                 const std::vector<std::string>& accepted = {}) {
    for (const BadFile& file : BadFiles()) {
      if (std::find(accepted.begin(), accepted.end(), file.name) != accepted.end()) continue;
      const std::string path = BadFilesDir().File(file.name);
      std::vector<std::string> with_file;
      for (std::string a : args) {
        if (const size_t at = a.find("FILE"); at != std::string::npos) a.replace(at, 4, path);
        with_file.push_back(a);
      }
      const auto line = lines.find(file.name);
      const std::string at_line = line == lines.end() ? "" : std::to_string(line->second) + ": ";
      ExpectRefused(with_file, {path + ":" + at_line});
    }
  }

  TempDir dir_;

 private:
  static inline TempDir* bad_files_ = nullptr;
};

TEST_F(BadInputTest, TrainRefusesEveryBadCorpus) {
  // An empty corpus has no tokens; the others cannot be read.
  ExpectEveryBadFileRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=[\"FILE\"]",
                             "--set", "output.dir=" + dir_.File("out")},
                            kFirstBadByte);
}

TEST_F(BadInputTest, TrainAndConfigRefuseEveryBadConfig) {
  // An empty config is a valid one (all defaults): train then fails on its missing corpus instead.
  ExpectEveryBadFileRefused({"train", "FILE"}, kFirstBadByte, {"empty.txt"});
  ExpectEveryBadFileRefused({"config", "FILE"}, kFirstBadByte, {"empty.txt"});
}

TEST_F(BadInputTest, VocabRefusesEveryBadCorpus) {
  ExpectEveryBadFileRefused({"vocab", "FILE", "--out", dir_.File("vocab.txt")}, kFirstBadByte);
}

TEST_F(BadInputTest, ResumeRefusesEveryBadSnapshot) {
  ExpectEveryBadFileRefused({"resume", "FILE"}, {});  // a snapshot has no lines
}

TEST_F(BadInputTest, EvaluationsAndQueriesRefuseEveryBadVectorsFile) {
  ExpectEveryBadFileRefused(
      {"eval", "analogy", "--vectors", "FILE", "--questions", dir_.File("questions.txt")}, kHeader);
  ExpectEveryBadFileRefused({"neighbors", "--vectors", "FILE", "cat"}, kHeader);
  ExpectEveryBadFileRefused({"analogy", "--vectors", "FILE", "the", "cat", "the"}, kHeader);
}

TEST_F(BadInputTest, EvaluationsRefuseEveryBadQuestionsOrPairsFile) {
  ExpectEveryBadFileRefused(
      {"eval", "analogy", "--vectors", dir_.File("vectors.txt"), "--questions", "FILE"},
      kFirstLine);
  ExpectEveryBadFileRefused(
      {"eval", "similarity", "--vectors", dir_.File("vectors.txt"), "--pairs", "FILE"}, kFirstLine);
}

TEST_F(BadInputTest, NothingWasWrittenByTheFailedRuns) {
  ExpectEveryBadFileRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=[\"FILE\"]",
                             "--set", "output.dir=" + dir_.File("out")},
                            kFirstBadByte);
  // Failed before training: the output directory may exist but holds no file.
  if (std::filesystem::exists(dir_.File("out"))) {
    EXPECT_TRUE(std::filesystem::is_empty(dir_.File("out")));
  }
}

TEST_F(BadInputTest, EveryBadConfigValueIsNamedByFileLineAndKey) {
  // An earlier run's outputs, which no refused run may touch.
  ASSERT_EQ(RunW2v({"train", dir_.File("good.toml"), "--set", "output.dir=" + dir_.File("out")})
                .exit_code,
            0);
  const std::string vectors = ReadFile(dir_.File("out/vectors.bin"));
  // Each bad `line` goes on line 4 of the file, in `section` (on line 1 for the top-level threads).
  struct Case {
    std::string section, line, named;
  };
  const std::vector<Case> cases = {
      {"model", "dim = 0", "bad.toml:4: model.dim: 0 is out of range"},
      {"model", "window = 0", "bad.toml:4: model.window: 0 is out of range"},
      {"model", "negatives = 0", "bad.toml:4: model.negatives: 0 is out of range"},
      {"optim", "lr = 0", "bad.toml:4: optim.lr: 0 is out of range"},
      {"optim", "lr = -0.5", "bad.toml:4: optim.lr: -0.5 is out of range"},
      {"optim", "epochs = 0", "bad.toml:4: optim.epochs: 0 is out of range"},
      // Random windows have no epochs, so optim.iterations (0 by default) must say when to stop.
      {"optim", "sampling = \"random_context\"",
       "bad.toml:4: optim.sampling: \"random_context\" needs optim.iterations > 0"},
      // The combinations that are not built: CBOW with the naive softmax, and the assignment's
      // pairwise step for anything but its own skip-gram losses.
      {"model", "arch = \"cbow\"\nloss = \"softmax\"",
       "bad.toml:4: model.arch: \"cbow\" trains with model.loss = \"negative_sampling\" or "
       "\"hierarchical_softmax\""},
      {"model", "loss = \"hierarchical_softmax\"\n[optim]\nkernel = \"pairwise\"",
       "bad.toml:6: optim.kernel: \"pairwise\" is the assignment's skip-gram step"},
      {"model", "arch = \"bag\"", "bad.toml:4: model.arch: "},
      {"", "threads = 0", "bad.toml:1: threads: 0 is out of range"},
      {"", "threads = 1025", "bad.toml:1: threads: 1025 is out of range"},
      {"model", "dim = \"big\"", "bad.toml:4: model.dim: expected an integer"},
      {"model", "colour = 3", "bad.toml:4: model.colour: unknown key"},
      {"model", "dim == 3", "bad.toml:4:"},  // not TOML
  };
  for (const Case& c : cases) {
    const std::string corpus = "[corpus]\npaths = [\"corpus.txt\"]\n";
    dir_.Write("bad.toml", c.section.empty() ? c.line + "\n" + corpus
                                             : corpus + "[" + c.section + "]\n" + c.line + "\n");
    const std::string named = dir_.path() + "/" + c.named;  // the path as given, then LINE: KEY
    ExpectRefused({"train", dir_.File("bad.toml"), "--set", "output.dir=" + dir_.File("out")},
                  {named});
    ExpectRefused({"config", dir_.File("bad.toml")}, {named});
  }
  EXPECT_EQ(ReadFile(dir_.File("out/vectors.bin")), vectors);
}

// One vocabulary word makes a Huffman tree with no inner node: nothing would train, so it is
// refused rather than written out untrained.
TEST_F(BadInputTest, HierarchicalSoftmaxOverOneWordIsRefused) {
  dir_.Write("one_word.txt", "a a a a a a\na a a\n");
  ExpectRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=" + dir_.File("one_word.txt"),
                 "--set", "vocab.min_count=1", "--set", "model.loss=hierarchical_softmax", "--set",
                 "output.dir=" + dir_.File("out")},
                {dir_.File("one_word.txt") + ": model.loss: hierarchical_softmax needs at least two "
                                             "vocabulary words"});
}

TEST_F(BadInputTest, ACorpusWhereNoWordReachesMinCountIsRefused) {
  ExpectRefused({"train", dir_.File("good.toml"), "--set", "vocab.min_count=100", "--set",
                 "output.dir=" + dir_.File("out")},
                {dir_.File("corpus.txt") + ": no word occurs at least min_count = 100 times"});
  ExpectRefused({"vocab", dir_.File("corpus.txt"), "--min-count", "100", "--out",
                 dir_.File("vocab.txt")},
                {dir_.File("corpus.txt") + ": no word occurs at least min_count = 100 times"});
  EXPECT_FALSE(std::filesystem::exists(dir_.File("vocab.txt")));
  // Every word reaches min_count, but subsampling this hard keeps about 1 token in 80 of so small a
  // corpus, and no two in one sentence.
  ExpectRefused({"train", dir_.File("good.toml"), "--set", "model.subsample=1e-5", "--set",
                 "threads=1", "--set", "output.dir=" + dir_.File("out")},
                {dir_.File("good.toml") +
                 ": model.subsample: subsampling at 1e-05 dropped every training window"});
}

TEST_F(BadInputTest, VectorFilesThatLieOrHoldNanAreRefusedByEveryReader) {
  dir_.Write("pairs.txt", "the cat 5\n");
  const std::string binary_good = "2 2\n" + BinaryRow("the", {1, 2}) + BinaryRow("cat", {3, 4});
  struct Case {
    std::string contents, named;
  };
  const std::vector<Case> cases = {
      {"3 2\nthe 1 2\ncat 3 4\n", "lie.txt:4: the file ends after 2 rows; the header says 3"},
      {"1 2\nthe 1 2\ncat 3 4\n", "lie.txt:3: more rows than the header's 1"},
      {"2 3\nthe 1 2\ncat 3 4\n", "lie.txt:2: expected 3 values, found 2"},
      {"2 2\nthe 1 2\ncat 3\n", "lie.txt:3: expected 2 values, found 1"},
      {"2 2\nthe nan 2\ncat 3 4\n", "lie.txt:2: value 1 'nan' is not a finite number"},
      {"2 2\nthe 1 2\ncat 3 -inf\n", "lie.txt:3: value 2 '-inf' is not a finite number"},
      {binary_good.substr(0, binary_good.size() - 5), "lie.txt: row 2: 'cat' is truncated"},
      {"2 2\n" + BinaryRow("the", {1, 2}) + BinaryRow("cat", {3, std::nanf("")}),
       "lie.txt: row 2: 'cat': value 2 is not a finite number"},
  };
  for (const Case& c : cases) {
    dir_.Write("lie.txt", c.contents);
    const std::string vectors = dir_.File("lie.txt");
    const std::string named = dir_.path() + "/" + c.named;  // the path as given, then LINE or row
    ExpectRefused({"eval", "analogy", "--vectors", vectors, "--questions", dir_.File("questions.txt")},
                  {named});
    ExpectRefused({"eval", "similarity", "--vectors", vectors, "--pairs", dir_.File("pairs.txt")},
                  {named});
    ExpectRefused({"neighbors", "--vectors", vectors, "the"}, {named});
    ExpectRefused({"analogy", "--vectors", vectors, "the", "cat", "the"}, {named});
  }
}

// CRLF line ends are not bad input: every reader takes a file with them as it takes its LF twin.
TEST_F(BadInputTest, CrlfFilesReadAsTheirLfTwins) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"corpus.txt", "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n"},
      {"run.toml", "[corpus]\npaths = [\"corpus.txt\"]\n[vocab]\nmin_count = 1\n"
                   "[model]\ndim = 8\nsubsample = 0\n[optim]\nepochs = 2\nseed = 3\n"},
      {"vectors.txt", "4 3\nthe 0.1 0.2 0.3\ncat 0.3 0.2 0.1\ndog 0.3 0.1 0.2\nmat 1 0 0\n"},
      {"questions.txt", ": animals\nthe cat the dog\ncat dog the mat\n"},
      {"pairs.txt", "the cat 5\ncat dog 9\ndog mat 1\n"},
  };
  for (const char* twin : {"lf", "crlf"}) {
    std::filesystem::create_directory(dir_.File(twin));
    for (const auto& [name, contents] : files) {
      dir_.Write(std::string(twin) + "/" + name,
                 twin == std::string("lf") ? contents : absl::StrReplaceAll(contents, {{"\n", "\r\n"}}));
    }
  }
  const auto run_in = [&](const std::string& twin, std::vector<std::string> args) {
    for (std::string& a : args) a = absl::StrReplaceAll(a, {{"DIR", dir_.File(twin)}});
    const RunResult r = RunW2v(args);
    EXPECT_EQ(r.exit_code, 0) << twin << " " << absl::StrJoin(args, " ") << ": " << r.err;
    return absl::StrReplaceAll(r.out, {{dir_.File(twin), "DIR"}});
  };
  // Commands whose report holds timings are compared by the files they write instead.
  const std::vector<std::vector<std::string>> same_report = {
      {"config", "DIR/run.toml"},
      {"neighbors", "--vectors", "DIR/vectors.txt", "--k", "3", "the", "cat"},
      {"analogy", "--vectors", "DIR/vectors.txt", "the", "cat", "dog"},
      {"eval", "similarity", "--vectors", "DIR/vectors.txt", "--pairs", "DIR/pairs.txt"},
  };
  for (const auto& command : same_report) {
    EXPECT_EQ(run_in("lf", command), run_in("crlf", command)) << command[0];
  }
  const std::vector<std::vector<std::string>> same_files = {
      {"eval", "analogy", "--vectors", "DIR/vectors.txt", "--questions", "DIR/questions.txt"},
      {"vocab", "DIR/corpus.txt", "--min-count", "1", "--out", "DIR/vocab.txt"},
      {"train", "DIR/run.toml", "--set", "threads=1", "--set", "output.dir=DIR/out"},
  };
  for (const auto& command : same_files) {
    for (const char* twin : {"lf", "crlf"}) run_in(twin, command);
  }
  EXPECT_THAT(run_in("crlf", same_files[0]), HasSubstr("animals           2       2"));
  EXPECT_EQ(ReadFile(dir_.File("lf/vocab.txt")), ReadFile(dir_.File("crlf/vocab.txt")));
  EXPECT_EQ(ReadFile(dir_.File("lf/out/vocab.txt")), ReadFile(dir_.File("crlf/out/vocab.txt")));
}

// --- Real corpora: stray bytes, directories, quick launches, mostly distinct tokens -----------

// `lines` lines of the same sentence, with `odd` put in as line `at` (1-based) when `at` > 0.
std::string Sentences(int lines, int at = 0, const std::string& odd = "") {
  std::string text;
  for (int i = 1; i <= lines; ++i) text += i == at ? odd + "\n" : "the cat sat on the mat\n";
  return text;
}

TEST_F(BadInputTest, StrayBytesTrainUnderReplaceOrSkipLineAndAreCounted) {
  dir_.Write("stray.txt", Sentences(300, 120, "the caf\xe9 sat"));
  const std::string stray = dir_.File("stray.txt");
  const std::vector<std::string> train = {"train", dir_.File("good.toml"), "--set",
                                          "corpus.paths=" + stray};  // one path, no brackets
  // The default still stops at the first bad byte.
  std::vector<std::string> args = train;
  args.insert(args.end(), {"--set", "output.dir=" + dir_.File("refused")});
  ExpectRefused(args, {stray + ":120: invalid UTF-8"});

  for (const std::string policy : {"replace", "skip_line"}) {
    args = train;
    args.insert(args.end(), {"--set", "corpus.invalid_utf8=" + policy, "--set",
                             "output.dir=" + dir_.File(policy)});
    const RunResult r = RunW2v(args);
    ASSERT_EQ(r.exit_code, 0) << policy << ": " << r.err;
    EXPECT_THAT(r.out + r.err, HasSubstr("1 lines were not UTF-8: " +
                                         std::string(policy == "replace"
                                                         ? "each bad sequence replaced by U+FFFD"
                                                         : "skipped")));
    EXPECT_THAT(ReadFile(dir_.File(policy + "/metrics.jsonl")),
                HasSubstr("\"invalid_utf8_lines\":1,"));
    const std::string vocab = ReadFile(dir_.File(policy + "/vocab.txt"));
    EXPECT_EQ(vocab.find("caf\xEF\xBF\xBD 1\n") != std::string::npos, policy == "replace")
        << vocab;
    EXPECT_THAT(vocab, HasSubstr(policy == "replace" ? "the 599\n" : "the 598\n"));
  }

  // Text in another encoding, and binary bytes, are refused under either policy, naming the file.
  std::string latin1;
  for (int i = 0; i < 100; ++i) latin1 += i % 10 == 0 ? "na\xefve caf\xe9\n" : "plain words\n";
  dir_.Write("latin1.txt", latin1);
  dir_.Write("nul.txt", Sentences(300, 7, std::string("nul\0byte", 8)));
  for (const std::string policy : {"replace", "skip_line"}) {
    for (const auto& [file, named] :
         std::vector<std::pair<std::string, std::string>>{
             {"latin1.txt", ": 10 of its 100 lines are not UTF-8"},
             {"nul.txt", ":7: binary data (byte 0x00)"}}) {
      ExpectRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=" + dir_.File(file),
                     "--set", "corpus.invalid_utf8=" + policy, "--set",
                     "output.dir=" + dir_.File("refused")},
                    {dir_.File(file) + named});
    }
  }
  EXPECT_TRUE(!std::filesystem::exists(dir_.File("refused")) ||
              std::filesystem::is_empty(dir_.File("refused")));
}

TEST_F(BadInputTest, TrainWithoutAConfigOnADirectoryOfFiles) {
  std::filesystem::create_directory(dir_.File("texts"));
  dir_.Write("texts/a.txt", Sentences(20));
  dir_.Write("texts/b.txt", "a dog ran in the park\n");
  const RunResult r =
      RunW2v({"train", "--set", "corpus.paths=" + dir_.File("texts"), "--set", "vocab.min_count=1",
              "--set", "model.dim=8", "--set", "model.subsample=0", "--set", "optim.epochs=1", "--set",
              "threads=1", "--set",
              "output.dir=" + dir_.File("quick")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string vocab = ReadFile(dir_.File("quick/vocab.txt"));
  EXPECT_THAT(vocab, HasSubstr("the 41\n"));   // both files
  EXPECT_THAT(vocab, HasSubstr("park 1\n"));
  EXPECT_THAT(ReadFile(dir_.File("quick/config.toml")), HasSubstr("# read from (no config file)"));

  std::filesystem::create_directory(dir_.File("no_texts"));
  ExpectRefused({"train", "--set", "corpus.paths=" + dir_.File("no_texts"), "--set",
                 "output.dir=" + dir_.File("quick2")},
                {dir_.File("no_texts") + ": is a directory with no regular file in it"});
}

TEST_F(BadInputTest, ACorpusOfMostlyDistinctTokensIsCountedWithinMaxCountedWords) {
  // 30,000 distinct tokens beside a frequent sentence: a table of 2,000 words must be pruned, the
  // run says so (log and metrics.jsonl), and the frequent words keep their exact counts.
  std::string text;
  for (int i = 0; i < 30000; ++i) text += "the cat sat id" + std::to_string(i) + "\n";
  dir_.Write("ids.txt", text);
  const RunResult r = RunW2v({"train", dir_.File("good.toml"), "--set",
                              "corpus.paths=" + dir_.File("ids.txt"), "--set",
                              "vocab.max_counted_words=2000", "--set", "vocab.min_count=2", "--set",
                              "output.dir=" + dir_.File("ids")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out + r.err, HasSubstr("rare words were pruned while counting, to bound memory "
                                       "(vocab.max_counted_words = 2000"));
  const std::string metrics = ReadFile(dir_.File("ids/metrics.jsonl"));
  EXPECT_THAT(metrics, HasSubstr("\"pruned_words\":"));
  EXPECT_THAT(metrics, Not(HasSubstr("\"pruned_words\":0,")));
  EXPECT_EQ(ReadFile(dir_.File("ids/vocab.txt")), "cat 30000\nsat 30000\nthe 30000\n");
}

}  // namespace
}  // namespace w2v::testing
