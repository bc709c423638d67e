// Two runs, one directory, end to end: a run holds its output directory (and the snapshot it
// resumes) from before it writes anything until its outputs are written; a second run into it exits
// 1 at once with one line naming the directory and the holder, and writes nothing; a lock left by a
// `kill -9` does not block the next run.
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

// Generous for a sanitizer build on a busy machine; a run that works takes well under a second to
// get there.
constexpr std::chrono::seconds kDeadline{20};

// The process id in DIR/.w2v.lock once a run has written it, or 0 if none did before the deadline.
int64_t WaitForHolder(const std::string& dir) {
  for (const auto end = Clock::now() + kDeadline; Clock::now() < end;) {
    const std::string text = ReadFile(dir + "/.w2v.lock");
    int64_t pid = 0;
    if (!text.empty() && text.back() == '\n' &&
        std::from_chars(text.data(), text.data() + text.size() - 1, pid).ec == std::errc() &&
        pid > 0) {
      return pid;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

bool WaitForFile(const std::string& path) {
  for (const auto end = Clock::now() + kDeadline; Clock::now() < end;) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// The files in `dir`, but for the temporary files metrics.jsonl is rewritten through while a run
// logs.
std::set<std::string> FileNames(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("metrics.jsonl.tmp.", 0) != 0) names.insert(name);
  }
  return names;
}

int64_t Lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

class ConcurrentRunsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text;
    const std::vector<std::string> words = {"cat", "dog", "horse", "cow", "fur", "tail", "barn",
                                            "car", "truck", "bus", "van", "wheel", "road"};
    for (int s = 0; s < 2000; ++s) {
      for (int w = 0; w < 12; ++w) text += words[(s * 7 + w * w) % words.size()] + " ";
      text += "\n";
    }
    dir_.Write("corpus.txt", text);
    // Runs until stopped: 100,000 epochs. No log record and no periodic snapshot while it trains,
    // so the directory holds only what the test expects; a test that waits for training to have
    // started (and so for the SIGINT handler to be in place) logs every 0.1 s and waits for
    // metrics.jsonl.
    dir_.Write("run.toml",
               "[corpus]\npaths = [\"corpus.txt\"]\n"
               "[vocab]\nmin_count = 1\n"
               "[model]\ndim = 8\nwindow = 2\nnegatives = 2\nsubsample = 0\n"
               "[optim]\nepochs = 100000\n"
               "[log]\ninterval_seconds = 1000\n");
  }

  std::vector<std::string> Train(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"train", dir_.File("run.toml"), "--set", "output.dir=" + out,
                                     "--set", "threads=1"};
    for (const std::string& e : extra) {
      args.push_back("--set");
      args.push_back(e);
    }
    return args;
  }

  // `args` stopped with a snapshot after its first words.
  static std::vector<std::string> Stopped(std::vector<std::string> args) {
    args.insert(args.end(), {"--stop-after-words", "1000"});
    return args;
  }

  // A refusal: exit 1 at once, one line naming `dir` and the holder `pid`, the vocabulary not
  // counted.
  static void ExpectRefused(const RunResult& r, const std::string& dir, int64_t pid) {
    EXPECT_EQ(r.signal, 0);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr(dir + ": another w2v run (process " + std::to_string(pid) +
                                 ") is using this directory"));
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_THAT(r.out, Not(HasSubstr("vocabulary"))) << "the refused run counted the corpus";
  }

  TempDir dir_;
};

TEST_F(ConcurrentRunsTest, ASecondTrainIntoTheSameDirectoryIsRefusedAndWritesNothing) {
  const std::string out = dir_.File("out");
  RunningW2v first(Train(out, {"log.interval_seconds=0.1"}));
  const int64_t holder = WaitForHolder(out);
  ASSERT_GT(holder, 0) << "the first run never locked " << out;
  ASSERT_TRUE(WaitForFile(out + "/metrics.jsonl")) << "the first run never started training";

  const RunResult second = RunW2v(Train(out, {"optim.seed=2"}));
  ExpectRefused(second, out, holder);
  // Only what the first run has written so far: its lock and its metrics, no probe left over.
  EXPECT_EQ(FileNames(out), (std::set<std::string>{".w2v.lock", "metrics.jsonl"}));
  EXPECT_EQ(ReadFile(out + "/.w2v.lock"), std::to_string(holder) + "\n");

  first.Signal(SIGINT);
  const RunResult r = first.Wait();
  EXPECT_EQ(r.exit_code, 128 + SIGINT) << r.err;
  for (const char* name : {"vectors.txt", "vectors.bin", "vocab.txt", "config.toml"}) {
    EXPECT_FALSE(ReadFile(out + "/" + name).empty()) << name;
  }
  EXPECT_THAT(ReadFile(out + "/config.toml"), Not(HasSubstr("seed = 2")));
  EXPECT_THAT(ReadFile(out + "/metrics.jsonl"), HasSubstr("\"interrupted\":true"));
  EXPECT_FALSE(std::filesystem::exists(out + "/.w2v.lock")) << "a finished run leaves no lock";

  // Free again: the next run goes ahead.
  const RunResult third = RunW2v(Train(out, {"optim.epochs=1"}));
  EXPECT_EQ(third.exit_code, 0) << third.err;
}

TEST_F(ConcurrentRunsTest, ALockLeftByAKilledRunDoesNotBlockTheNext) {
  const std::string out = dir_.File("out");
  RunningW2v killed(Train(out));
  const int64_t holder = WaitForHolder(out);
  ASSERT_GT(holder, 0) << "the run never locked " << out;
  killed.Signal(SIGKILL);
  ASSERT_EQ(killed.Wait().signal, SIGKILL);
  ASSERT_EQ(ReadFile(out + "/.w2v.lock"), std::to_string(holder) + "\n");  // left behind

  const RunResult next = RunW2v(Train(out, {"optim.epochs=1"}));
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(ReadFile(out + "/vectors.txt").empty());
  EXPECT_FALSE(std::filesystem::exists(out + "/.w2v.lock"));
}

TEST_F(ConcurrentRunsTest, AResumeOfTheSnapshotInADirectoryATrainIsUsingIsRefused) {
  const std::string out = dir_.File("out");
  ASSERT_EQ(RunW2v(Stopped(Train(out))).exit_code, 0);
  const std::string snapshot = ReadFile(out + "/snapshot.w2v");
  ASSERT_FALSE(snapshot.empty());

  RunningW2v train(Train(out, {"optim.seed=2"}));
  const int64_t holder = WaitForHolder(out);
  ASSERT_GT(holder, 0) << "the train never locked " << out;
  ExpectRefused(RunW2v({"resume", out + "/snapshot.w2v"}), out, holder);
  EXPECT_EQ(ReadFile(out + "/snapshot.w2v"), snapshot);
}

// The snapshot's own directory is held too: two resumes of one snapshot would both write it.
TEST_F(ConcurrentRunsTest, ASecondResumeOfASnapshotIsRefusedEvenIntoAnotherOutputDirectory) {
  ASSERT_EQ(RunW2v(Stopped(Train(dir_.File("out")))).exit_code, 0);
  const std::string snapshots = dir_.File("snapshots");
  std::filesystem::create_directory(snapshots);
  std::filesystem::copy_file(dir_.File("out/snapshot.w2v"), snapshots + "/run.w2v");

  RunningW2v first({"resume", snapshots + "/run.w2v", "--set", "output.dir=" + dir_.File("a")});
  const int64_t holder = WaitForHolder(snapshots);
  ASSERT_GT(holder, 0) << "the resume never locked " << snapshots;
  EXPECT_EQ(WaitForHolder(dir_.File("a")), holder) << "nor its output directory";
  ExpectRefused(
      RunW2v({"resume", snapshots + "/run.w2v", "--set", "output.dir=" + dir_.File("b")}),
      snapshots, holder);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b")));
}

}  // namespace
}  // namespace w2v::testing
