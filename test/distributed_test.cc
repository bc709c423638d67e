// End-to-end tests of training over several processes: `mpirun -np 2 w2v train` on small corpora
// the tests make (Open MPI; as root with its two OMPI_ALLOW_RUN_AS_ROOT variables, --oversubscribe
// for the 2 cores, --bind-to none so a rank's threads are not pinned to one core). Every mpirun is
// under `timeout`, so a rank left waiting fails the test instead of hanging it.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test/run_binary.h"
#include "test/topic_corpus.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The mpirun CMake found beside the MPI w2v was built with.
std::string Mpirun() { return W2V_MPIEXEC; }

// The launch prefix of `ranks` ranks of w2v, as the README gives it for one machine.
std::string Launch(int ranks) {
  return absl::StrCat("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 ",
                      Mpirun(), " -np ", ranks, " --oversubscribe --bind-to none ", W2vBinary());
}

std::vector<nlohmann::json> Records(const std::string& metrics_path) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(ReadFile(metrics_path));
  for (std::string line; std::getline(lines, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

const nlohmann::json* Find(const std::vector<nlohmann::json>& records, const char* field) {
  for (const nlohmann::json& r : records) {
    if (r.contains(field)) return &r;
  }
  return nullptr;
}

// Σ counts of the vocabulary file: the corpus's vocabulary tokens, once.
int64_t VocabularyTokens(const std::string& vocab_path) {
  int64_t total = 0;
  std::istringstream lines(ReadFile(vocab_path));
  for (std::string word, count; lines >> word >> count;) {
    int64_t c = 0;
    EXPECT_TRUE(absl::SimpleAtoi(count, &c));
    total += c;
  }
  return total;
}

class DistributedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 240,000 words: an epoch lasts several syncs.
    dir_.Write("corpus.txt", TopicCorpus(20000, 7));
    dir_.Write("run.toml",
               "threads = 1\n"
               "[corpus]\npaths = [\"corpus.txt\"]\n"
               "[vocab]\nmin_count = 1\n"
               "[model]\ndim = 16\nwindow = 3\nnegatives = 4\nsubsample = 0\n"
               "[optim]\nlr = 0.05\nepochs = 4\nseed = 5\n"
               "[distributed]\nsync_seconds = 0.01\nsync_rows = 4\n"
               "[log]\ninterval_seconds = 0.05\n");
  }

  CommandRun Train(int ranks, const std::string& out, const std::vector<std::string>& extra = {}) {
    std::string command =
        absl::StrCat(Launch(ranks), " train ", dir_.File("run.toml"), " --set output.dir=", dir_.File(out));
    for (const std::string& e : extra) absl::StrAppend(&command, " ", e);
    return RunCommand(command);
  }

  TempDir dir_;
};

TEST_F(DistributedTest, TwoRanksTrainOneModelOverTheWholeCorpus) {
  const CommandRun run = Train(2, "out");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // Checked by the ranks themselves after the final sync: the same model bit for bit.
  EXPECT_THAT(run.output, HasSubstr("the 2 ranks hold the same model"));
  // The log is rank 0's alone: one summary line, not one a rank.
  size_t summaries = 0;
  for (size_t at = 0; (at = run.output.find("trained ", at)) != std::string::npos; ++at) ++summaries;
  EXPECT_EQ(summaries, 1u) << run.output;

  const std::vector<nlohmann::json> records = Records(dir_.File("out/metrics.jsonl"));
  const nlohmann::json* final_record = Find(records, "final");
  ASSERT_NE(final_record, nullptr);
  // Every token of the corpus, once an epoch, over both ranks.
  EXPECT_EQ((*final_record)["words"].get<int64_t>(),
            4 * VocabularyTokens(dir_.File("out/vocab.txt")));
  const nlohmann::json* sync = Find(records, "sync_share");
  ASSERT_NE(sync, nullptr);
  EXPECT_EQ((*sync)["ranks"].get<int>(), 2);
  EXPECT_GT((*sync)["syncs"].get<int64_t>(), 0);
  EXPECT_EQ((*sync)["full_syncs"].get<int64_t>(), 4);  // one at each epoch's end
  EXPECT_GE((*sync)["load_imbalance"].get<double>(), 0.0);

  // The one model learned the topics.
  const auto rows = ParseText(ReadFile(dir_.File("out/vectors.txt"))).rows;
  EXPECT_GT(Cosine(rows.at("cat"), rows.at("dog")), Cosine(rows.at("cat"), rows.at("car")) + 0.3);
  EXPECT_GT(Cosine(rows.at("bus"), rows.at("van")), Cosine(rows.at("bus"), rows.at("cow")) + 0.3);
}

// pWord2Vec's model average. (Not "sum": on this 20-word vocabulary every row is every rank's, and
// summing their alike moves overshoots now and then, as it diverges on text8 at 4 ranks.)
TEST_F(DistributedTest, MeanCombinationTrainsToo) {
  const CommandRun run = Train(2, "out", {"--set distributed.combine=mean"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("the 2 ranks hold the same model"));
  const auto rows = ParseText(ReadFile(dir_.File("out/vectors.txt"))).rows;
  EXPECT_GT(Cosine(rows.at("cat"), rows.at("dog")), Cosine(rows.at("cat"), rows.at("car")) + 0.3);
}

TEST_F(DistributedTest, OneRankUnderMpirunIsThePlainRun) {
  const CommandRun ranked = Train(1, "ranked");
  ASSERT_EQ(ranked.exit_code, 0) << ranked.output;
  const RunResult plain = RunW2v({"train", dir_.File("run.toml"), "--set",
                                  "output.dir=" + dir_.File("plain")});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const std::string vectors = ReadFile(dir_.File("plain/vectors.bin"));
  ASSERT_FALSE(vectors.empty());
  EXPECT_EQ(ReadFile(dir_.File("ranked/vectors.bin")), vectors);
}

TEST_F(DistributedTest, StoppedRunResumesUnderTheSameRankCountOnly) {
  const CommandRun stopped = Train(2, "out", {"--stop-after-words 60000"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output;
  EXPECT_THAT(stopped.output, HasSubstr("continue with: mpirun -np 2 w2v resume"));
  const std::string snapshot = dir_.File("out/snapshot.w2v");
  ASSERT_TRUE(std::filesystem::exists(snapshot));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/vectors.bin.tmp")));

  // Another world size is refused by every rank, naming the one to use; the snapshot stays.
  const std::string saved = ReadFile(snapshot);
  const RunResult alone = RunW2v({"resume", snapshot});
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_THAT(alone.err, HasSubstr("resume it with mpirun -np 2"));
  const CommandRun three = RunCommand(Launch(3) + " resume " + snapshot);
  EXPECT_NE(three.exit_code, 0);
  EXPECT_THAT(three.output, HasSubstr("resume it with mpirun -np 2 (this is 3 ranks)"));
  EXPECT_THAT(three.output, HasSubstr("rank 0: " + snapshot));  // ranks 1 and 2 say so too
  EXPECT_EQ(ReadFile(snapshot), saved);

  const CommandRun resumed = RunCommand(Launch(2) + " resume " + snapshot);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr("the 2 ranks hold the same model"));
  const std::vector<nlohmann::json> records = Records(dir_.File("out/metrics.jsonl"));
  const nlohmann::json* final_record = Find(records, "final");
  ASSERT_NE(final_record, nullptr);
  EXPECT_EQ((*final_record)["words"].get<int64_t>(),
            4 * VocabularyTokens(dir_.File("out/vocab.txt")));
}

TEST_F(DistributedTest, PlainSnapshotIsNotResumedByRanks) {
  const RunResult stopped = RunW2v({"train", dir_.File("run.toml"), "--set",
                                    "output.dir=" + dir_.File("out"), "--stop-after-words",
                                    "30000"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  const CommandRun ranked = RunCommand(Launch(2) + " resume " + dir_.File("out/snapshot.w2v"));
  EXPECT_NE(ranked.exit_code, 0);
  EXPECT_THAT(ranked.output, HasSubstr("resume it without mpirun (this is 2 ranks)"));
}

TEST_F(DistributedTest, KilledRankLeavesTheLastSnapshotToResumeFrom) {
  // Long enough to be killed in the middle: a bigger corpus, many epochs, frequent snapshots.
  dir_.Write("corpus.txt", TopicCorpus(40000, 8));  // 100 epochs of 480,000 words
  const std::string out = dir_.File("out");
  const std::string snapshot = out + "/snapshot.w2v";
  const std::string command = absl::StrCat(
      Launch(2), " train ", dir_.File("run.toml"), " --set output.dir=", out,
      " --set optim.epochs=100 --set snapshot.every_seconds=0.3 > ", dir_.File("log"),
      " 2>&1; echo $? > ", dir_.File("rc"));
  ASSERT_EQ(std::system(("(" + command + ") &").c_str()), 0);
  // Wait for a snapshot, then kill rank 1 with SIGKILL.
  bool have_snapshot = false;
  for (int i = 0; i < 6000 && !have_snapshot; ++i) {
    have_snapshot = std::filesystem::exists(snapshot);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(have_snapshot) << ReadFile(dir_.File("log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // Rank 1 is the process whose environment says so and whose arguments name this run.
  pid_t victim = -1;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    std::string cmdline = ReadFile(entry.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.rfind(W2vBinary() + " train", 0) != 0 || cmdline.find(out) == std::string::npos)
      continue;
    const std::string environ = ReadFile(entry.path().string() + "/environ");
    if (environ.find(std::string("OMPI_COMM_WORLD_RANK=1") + '\0') != std::string::npos) victim = pid;
  }
  ASSERT_GT(victim, 0) << "rank 1 not found";
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  std::string rc;
  for (int i = 0; i < 6000 && rc.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (std::filesystem::exists(dir_.File("rc"))) rc = ReadFile(dir_.File("rc"));
  }
  ASSERT_FALSE(rc.empty()) << "mpirun did not end after a rank was killed";
  EXPECT_NE(rc, "0\n");
  const std::string log = ReadFile(dir_.File("log"));
  EXPECT_THAT(log, HasSubstr("signal 9")) << log;  // mpirun names the killed rank
  EXPECT_FALSE(std::filesystem::exists(out + "/vectors.bin")) << "no outputs of a broken run";

  const CommandRun resumed = RunCommand(Launch(2) + " resume " + snapshot);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr("resuming " + snapshot));
  const std::vector<nlohmann::json> records = Records(out + "/metrics.jsonl");
  const nlohmann::json* final_record = Find(records, "final");
  ASSERT_NE(final_record, nullptr);
  EXPECT_EQ((*final_record)["words"].get<int64_t>(), 100 * VocabularyTokens(out + "/vocab.txt"));
}

TEST_F(DistributedTest, RankThatCannotReadTheCorpusStopsEveryRank) {
  // mpirun's MPMD form gives rank 1 a corpus path its host does not have.
  const std::string missing = dir_.File("not-here.txt");
  const CommandRun run = RunCommand(absl::StrCat(
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 120 ", Mpirun(),
      " --oversubscribe --bind-to none -np 1 ", W2vBinary(), " train ", dir_.File("run.toml"),
      " --set output.dir=", dir_.File("out"), " : -np 1 ", W2vBinary(), " train ",
      dir_.File("run.toml"), " --set output.dir=", dir_.File("out"), " --set corpus.paths=",
      missing));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.exit_code, 124) << "timed out: a rank waited forever\n" << run.output;
  // Rank 1 names its file; rank 0 names rank 1 and the file.
  EXPECT_THAT(run.output, HasSubstr("w2v train: " + missing));
  EXPECT_THAT(run.output, HasSubstr("w2v train: rank 1: " + missing));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/vectors.bin")));
}

TEST_F(DistributedTest, ChangedCorpusIsRefusedByEveryRank) {
  const CommandRun stopped = Train(2, "out", {"--stop-after-words 60000"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.output;
  dir_.Write("corpus.txt", TopicCorpus(20001, 7));
  const CommandRun resumed = RunCommand(Launch(2) + " resume " + dir_.File("out/snapshot.w2v"));
  EXPECT_NE(resumed.exit_code, 0);
  EXPECT_NE(resumed.exit_code, 124) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr("the corpus changed"));
  EXPECT_THAT(resumed.output, HasSubstr("rank 0: " + dir_.File("corpus.txt")));
}

TEST_F(DistributedTest, AssignmentSamplingIsRefusedUnderMpirun) {
  const CommandRun run = Train(2, "out",
                               {"--set optim.sampling=random_context", "--set optim.iterations=10",
                                "--set optim.kernel=pairwise"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.exit_code, 124) << run.output;
  EXPECT_THAT(run.output, HasSubstr("optim.sampling: random_context trains in one process"));
}

}  // namespace
}  // namespace w2v::testing
