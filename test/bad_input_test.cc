// The bad-input battery: every command that reads a file, fed each kind of bad file. Each must end
// with exit status 1 (never a signal), print exactly one line naming the file, and leave what it
// would have written untouched.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;

struct BadFile {
  std::string name;
  std::string contents;  // written unless `directory`
  bool directory = false;
  bool missing = false;
};

const std::vector<BadFile>& BadFiles() {
  static const std::vector<BadFile> files = {
      {"missing.txt", "", false, true},
      {"a_directory", "", true, false},
      {"empty.txt", "", false, false},
      {"garbage.bin", std::string("\x7f" "ELF\x02\x01\x01\x00\x00\x00\xff\xfe\x00\x01", 14), false,
       false},
      {"bad_utf8.txt", "good words here\nand \xc3\x28 broken\n", false, false},
  };
  return files;
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("corpus.txt", "the cat sat on the mat\nthe dog sat on the log\n");
    dir_.Write("good.toml",
               "[corpus]\npaths = [\"corpus.txt\"]\n[vocab]\nmin_count = 1\n"
               "[model]\ndim = 8\n[optim]\nepochs = 1\n");
    dir_.Write("vectors.txt", "2 3\nthe 0.1 0.2 0.3\ncat 0.3 0.2 0.1\n");
    dir_.Write("questions.txt", ": s\nthe cat the cat\n");
    for (const BadFile& file : BadFiles()) {
      if (file.directory) {
        std::filesystem::create_directory(dir_.File(file.name));
      } else if (!file.missing) {
        dir_.Write(file.name, file.contents);
      }
    }
  }

  // Runs `args` with "FILE" (in any argument) replaced by each bad file's path; each run must fail
  // cleanly, except for the files named in `accepted`.
  void ExpectEveryBadFileRefused(const std::vector<std::string>& args,
                                 const std::vector<std::string>& accepted = {}) {
    for (const BadFile& file : BadFiles()) {
      if (std::find(accepted.begin(), accepted.end(), file.name) != accepted.end()) continue;
      std::vector<std::string> with_file;
      for (std::string a : args) {
        if (const size_t at = a.find("FILE"); at != std::string::npos) {
          a.replace(at, 4, dir_.File(file.name));
        }
        with_file.push_back(a);
      }
      const RunResult r = RunW2v(with_file);
      const std::string what = args[0] + " with " + file.name;
      EXPECT_EQ(r.signal, 0) << what;
      EXPECT_EQ(r.exit_code, 1) << what << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr(file.name)) << what;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    }
  }

  TempDir dir_;
};

TEST_F(BadInputTest, TrainRefusesEveryBadCorpus) {
  // An empty corpus has no tokens; the others cannot be read.
  ExpectEveryBadFileRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=[\"FILE\"]",
                             "--set", "output.dir=" + dir_.File("out")});
}

TEST_F(BadInputTest, TrainAndConfigRefuseEveryBadConfig) {
  // An empty config is a valid one (all defaults): train then fails on its missing corpus instead.
  ExpectEveryBadFileRefused({"train", "FILE"}, {"empty.txt"});
  ExpectEveryBadFileRefused({"config", "FILE"}, {"empty.txt"});
}

TEST_F(BadInputTest, VocabRefusesEveryBadCorpus) {
  ExpectEveryBadFileRefused({"vocab", "FILE", "--out", dir_.File("vocab.txt")});
}

TEST_F(BadInputTest, ResumeRefusesEveryBadSnapshot) {
  ExpectEveryBadFileRefused({"resume", "FILE"});
}

TEST_F(BadInputTest, EvaluationsAndQueriesRefuseEveryBadVectorsFile) {
  ExpectEveryBadFileRefused(
      {"eval", "analogy", "--vectors", "FILE", "--questions", dir_.File("questions.txt")});
  ExpectEveryBadFileRefused({"neighbors", "--vectors", "FILE", "cat"});
  ExpectEveryBadFileRefused({"analogy", "--vectors", "FILE", "the", "cat", "the"});
}

TEST_F(BadInputTest, EvaluationsRefuseEveryBadQuestionsOrPairsFile) {
  ExpectEveryBadFileRefused(
      {"eval", "analogy", "--vectors", dir_.File("vectors.txt"), "--questions", "FILE"});
  ExpectEveryBadFileRefused({"eval", "similarity", "--vectors", dir_.File("vectors.txt"),
                             "--pairs", "FILE"});
}

TEST_F(BadInputTest, NothingWasWrittenByTheFailedRuns) {
  ExpectEveryBadFileRefused({"train", dir_.File("good.toml"), "--set", "corpus.paths=[\"FILE\"]",
                             "--set", "output.dir=" + dir_.File("out")});
  // Failed before training: the output directory may exist but holds no file.
  if (std::filesystem::exists(dir_.File("out"))) {
    EXPECT_TRUE(std::filesystem::is_empty(dir_.File("out")));
  }
}

}  // namespace
}  // namespace w2v::testing
