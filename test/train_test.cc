// End-to-end tests of `w2v train` on small corpora the tests make.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/vector_reader.h"
#include "nlohmann/json.hpp"
#include "test/run_binary.h"
#include "test/topic_corpus.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Waits until `path` exists (the run has started training), up to a minute.
bool WaitForFile(const std::string& path) {
  for (int i = 0; i < 6000; ++i) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A number field of the final summary record of metrics.jsonl.
double FinalField(const std::string& metrics, const std::string& field) {
  double value = NAN;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.value("final", false)) continue;
    const auto it = record.find(field);
    value = it != record.end() && it->is_number() ? it->get<double>() : NAN;
  }
  return value;
}

// What an untrained model scores: with U initialised to zero every score is 0, so a pair costs
// (K + 1)·ln 2 with K negatives, and ln V under the naive softmax over V words. A run whose mean
// loss ends well below that has learned from its first windows on; comparing intervals instead is
// at the mercy of timing (on this tiny corpus the first interval already has most of the drop).
constexpr int kNegatives = 4;        // run.toml's
constexpr int kVocabularySize = 20;  // TopicCorpus's words
const double kUntrainedNegSamplingLoss = (kNegatives + 1) * std::log(2.0);
const double kUntrainedSoftmaxLoss = std::log(static_cast<double>(kVocabularySize));

class TrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("corpus.txt", TopicCorpus(3000));
    dir_.Write("run.toml",
               "[corpus]\npaths = [\"corpus.txt\"]\n"
               "[vocab]\nmin_count = 1\n"
               "[model]\ndim = 16\nwindow = 3\nnegatives = 4\nsubsample = 0\n"
               "[optim]\nlr = 0.05\nepochs = 6\nseed = 5\n"
               "[log]\ninterval_seconds = 0.01\n"
               "[output]\nsample_words = [\"cat\", \"car\", \"notaword\"]\n");
  }

  RunResult Train(const std::string& out, int threads, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"train", dir_.File("run.toml"),
                                     "--set", "output.dir=" + dir_.File(out),
                                     "--set", "threads=" + std::to_string(threads)};
    for (auto& e : extra) {
      args.push_back("--set");
      args.push_back(e);
    }
    return RunW2v(args);
  }

  void ExpectStoppedAndResumedRunsAreBitIdentical(const std::vector<std::string>& settings,
                                                  const std::vector<int64_t>& stops,
                                                  const std::string& name);

  TempDir dir_;
};

TEST_F(TrainTest, WritesEveryOutputAndVectorsReflectContexts) {
  const RunResult r = Train("out", 1);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const Vectors v = ParseText(ReadFile(dir_.File("out/vectors.txt")));
  ASSERT_EQ(v.rows.size(), 20u);
  EXPECT_EQ(v.dim, 16);
  // Words of one topic end closer to each other than to the other topic's.
  double same = 0, across = 0;
  const std::vector<std::string> animals = {"cat", "dog", "horse", "cow"};
  const std::vector<std::string> vehicles = {"car", "truck", "bus", "van"};
  for (const auto& a : animals) {
    for (const auto& b : animals) same += a == b ? 0 : Cosine(v.rows.at(a), v.rows.at(b));
    for (const auto& b : vehicles) across += Cosine(v.rows.at(a), v.rows.at(b));
  }
  EXPECT_GT(same / 12, across / 16 + 0.3);

  EXPECT_THAT(ReadFile(dir_.File("out/vocab.txt")), HasSubstr("cat "));
  EXPECT_THAT(ReadFile(dir_.File("out/config.toml")), HasSubstr("dim = 16"));
  const std::string sample = ReadFile(dir_.File("out/sample_vectors.json"));
  EXPECT_THAT(sample, HasSubstr("\"cat\": ["));
  EXPECT_THAT(sample, HasSubstr("\"car\": ["));
  EXPECT_THAT(sample, ::testing::Not(HasSubstr("notaword")));
  const std::string metrics = ReadFile(dir_.File("out/metrics.jsonl"));
  for (const char* key : {"\"time_s\":", "\"words\":", "\"epoch\":", "\"lr\":", "\"loss\":",
                          "\"words_per_sec\":", "\"threads\":1", "\"final\":true"}) {
    EXPECT_THAT(metrics, HasSubstr(key));
  }
}

TEST_F(TrainTest, LossFalls) {
  const RunResult r = Train("out", 1, {"optim.epochs=30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(FinalField(ReadFile(dir_.File("out/metrics.jsonl")), "loss_per_pair"),
            0.8 * kUntrainedNegSamplingLoss);
}

TEST_F(TrainTest, OneThreadWithASeedIsDeterministic) {
  ASSERT_EQ(Train("a", 1).exit_code, 0);
  ASSERT_EQ(Train("b", 1).exit_code, 0);
  const std::string a = ReadFile(dir_.File("a/vectors.bin"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, ReadFile(dir_.File("b/vectors.bin")));
  ASSERT_EQ(Train("c", 1, {"optim.seed=6"}).exit_code, 0);
  EXPECT_NE(a, ReadFile(dir_.File("c/vectors.bin")));
}

// Every kernel on several threads; under the tsan preset this is also the check that the Hogwild
// row updates are the only race (core/hogwild.h).
TEST_F(TrainTest, SeveralThreadsGiveFiniteVectorsAndAFallingLoss) {
  // The pairwise kernel takes fewer epochs: it is several times slower under TSan.
  struct Run {
    std::string kernel;
    int threads;
    int epochs;
  };
  for (const auto& [kernel, threads, epochs] :
       {Run{"block", 2, 30}, Run{"block", 4, 30}, Run{"pairwise", 2, 10}}) {
    const std::string out = absl::StrCat(kernel, threads);
    const RunResult r = Train(
        out, threads, {absl::StrCat("optim.epochs=", epochs), "optim.kernel=\"" + kernel + "\""});
    ASSERT_EQ(r.exit_code, 0) << kernel << " " << threads << " threads: " << r.err;
    const Vectors v = ParseText(ReadFile(dir_.File(out + "/vectors.txt")));
    for (const auto& [word, row] : v.rows) {
      for (float x : row) ASSERT_TRUE(std::isfinite(x)) << kernel << " " << word;
    }
    EXPECT_LT(FinalField(ReadFile(dir_.File(out + "/metrics.jsonl")), "loss_per_pair"),
              0.8 * kUntrainedNegSamplingLoss)
        << kernel << " " << threads << " threads";
  }
}

TEST_F(TrainTest, TextAndBinaryOutputsRoundTripThroughTheReader) {
  ASSERT_EQ(Train("out", 1).exit_code, 0);
  const auto text = io::ReadVectors(dir_.File("out/vectors.txt"));
  const auto binary = io::ReadVectors(dir_.File("out/vectors.bin"));
  ASSERT_TRUE(text.ok()) << text.status();
  ASSERT_TRUE(binary.ok()) << binary.status();
  EXPECT_EQ(text->rows(), 20);
  EXPECT_EQ(text->dim, 16);
  EXPECT_EQ(text->words, binary->words);
  // Shortest round-trip text: bit-identical to the binary floats.
  EXPECT_EQ(text->values, binary->values);
  // Vocabulary order: the vocabulary file lists the same words in the same order.
  std::istringstream vocab(ReadFile(dir_.File("out/vocab.txt")));
  std::string word;
  int64_t count = 0;
  for (const std::string& expected : text->words) {
    ASSERT_TRUE(vocab >> word >> count);
    EXPECT_EQ(word, expected);
  }
}

TEST_F(TrainTest, SoftmaxLossTrains) {
  for (const std::string kernel : {"block", "pairwise"}) {
    const RunResult r =
        Train(kernel, 2,
              {"model.loss=\"softmax\"", "optim.epochs=10", "optim.kernel=\"" + kernel + "\""});
    ASSERT_EQ(r.exit_code, 0) << kernel << ": " << r.err;
    EXPECT_LT(FinalField(ReadFile(dir_.File(kernel + "/metrics.jsonl")), "loss_per_pair"),
              0.85 * kUntrainedSoftmaxLoss)
        << kernel;
  }
}

// CBOW with either loss and either share of the gradient, and skip-gram with hierarchical
// softmax, on two threads (under the tsan preset, the check that their Hogwild writes are the only
// race): in each, every topic word's nearest topic word is of its own topic, and the loss ends well
// under the untrained model's (the same run at a learning rate of 1e-30, which never moves a row).
// Nearest neighbours rather than WritesEveryOutput's margin of cosines: CBOW with hierarchical
// softmax leaves this corpus's vectors nearly parallel (mean cosine across the topics 0.92 here,
// 0.81 from word2vec.c -cbow 1 -hs 1 on the same corpus), the topics in a small part of them.
TEST_F(TrainTest, EveryArchitectureAndLossLearnsTheTopics) {
  const std::vector<std::vector<std::string>> models = {
      {"model.arch=\"cbow\""},
      {"model.arch=\"cbow\"", "model.cbow_gradient=\"exact\"", "optim.lr=0.2"},
      {"model.loss=\"hierarchical_softmax\""},
      {"model.arch=\"cbow\"", "model.loss=\"hierarchical_softmax\""},
      {"model.arch=\"cbow\"", "model.loss=\"hierarchical_softmax\"",
       "model.cbow_gradient=\"exact\"", "optim.lr=0.2"}};
  const std::vector<std::string> topic_words = {"cat", "dog", "horse", "cow",
                                                "car", "truck", "bus", "van"};
  for (size_t m = 0; m < models.size(); ++m) {
    const std::string name = absl::StrJoin(models[m], " ");
    std::vector<std::string> settings = models[m];
    settings.push_back("optim.epochs=10");
    RunResult r = Train(absl::StrCat("m", m), 2, settings);
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    const Vectors v = ParseText(ReadFile(dir_.File(absl::StrCat("m", m, "/vectors.txt"))));
    ASSERT_EQ(v.rows.size(), 20u) << name;
    for (size_t a = 0; a < topic_words.size(); ++a) {
      size_t nearest = a;
      double best = -2;
      for (size_t b = 0; b < topic_words.size(); ++b) {
        const double c = Cosine(v.rows.at(topic_words[a]), v.rows.at(topic_words[b]));
        if (b != a && c > best) std::tie(best, nearest) = std::pair(c, b);
      }
      EXPECT_EQ(nearest / 4, a / 4) << name << ": " << topic_words[a] << "'s nearest is "
                                    << topic_words[nearest];
    }

    settings.push_back("optim.lr=1e-30");
    settings.push_back("optim.min_lr=0");
    r = Train(absl::StrCat("u", m), 1, settings);
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    const double untrained =
        FinalField(ReadFile(dir_.File(absl::StrCat("u", m, "/metrics.jsonl"))), "loss");
    EXPECT_LT(FinalField(ReadFile(dir_.File(absl::StrCat("m", m, "/metrics.jsonl"))), "loss"),
              0.8 * untrained)
        << name;
  }
}

// Trains `settings` straight through on one thread, then again stopped after each count of words in
// `stops` (the first as a fresh run, the rest resumed) and resumed to the end: both must write the
// same vectors bit for bit.
void TrainTest::ExpectStoppedAndResumedRunsAreBitIdentical(const std::vector<std::string>& settings,
                                                           const std::vector<int64_t>& stops,
                                                           const std::string& name) {
  std::vector<std::string> overrides = {"--set", "threads=1"};
  for (const std::string& setting : settings) {
    overrides.push_back("--set");
    overrides.push_back(setting);
  }
  const auto train = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"train", dir_.File("run.toml"), "--set",
                                     "output.dir=" + dir_.File(out)};
    args.insert(args.end(), overrides.begin(), overrides.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return RunW2v(args);
  };
  RunResult r = train(name + "_straight", {});
  ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
  const std::string straight = ReadFile(dir_.File(name + "_straight/vectors.bin"));
  ASSERT_FALSE(straight.empty());

  const std::string out = name + "_split";
  r = train(out, {"--stop-after-words", std::to_string(stops.front())});
  ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
  ASSERT_THAT(r.out + r.err, HasSubstr("w2v resume"));
  EXPECT_NE(ReadFile(dir_.File(out + "/vectors.bin")), straight) << name;
  const std::string snapshot = dir_.File(out + "/snapshot.w2v");
  for (size_t i = 1; i < stops.size(); ++i) {
    r = RunW2v({"resume", snapshot, "--stop-after-words", std::to_string(stops[i])});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
  }
  r = RunW2v({"resume", snapshot});
  ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
  EXPECT_EQ(ReadFile(dir_.File(out + "/vectors.bin")), straight) << name;
  EXPECT_THAT(ReadFile(dir_.File(out + "/metrics.jsonl")), HasSubstr("\"final\":true"));
}

// 120,000 words an epoch in 4 shards of about 30,000; workers publish every 10,000 words and at the
// end of a shard, so the stops below land inside a shard, at an epoch's end, and in epoch two.
TEST_F(TrainTest, StoppingAndResumingGivesBitIdenticalVectors) {
  dir_.Write("corpus.txt", TopicCorpus(10000));
  for (const std::vector<int64_t>& stops :
       {std::vector<int64_t>{12000}, {120000}, {50000, 170000}}) {
    ExpectStoppedAndResumedRunsAreBitIdentical({"optim.epochs=2"}, stops,
                                               absl::StrCat("block", stops.front()));
  }
}

// Every kernel and loss, subsampling (whose draws share the workers' RNG with the windows and
// negatives), and the assignment's mode: the step schedule over a count of iterations, where the
// learning rate follows the windows done, not the words.
TEST_F(TrainTest, EveryKernelLossAndScheduleResumesBitIdentically) {
  // 48,000 words an epoch in 4 shards of 12,000: a stop inside the second shard, one in epoch two.
  dir_.Write("corpus.txt", TopicCorpus(4000));
  const std::vector<int64_t> stops = {20000, 70000};
  ExpectStoppedAndResumedRunsAreBitIdentical({"optim.epochs=2", "model.subsample=1e-2"}, stops,
                                             "subsampled");
  ExpectStoppedAndResumedRunsAreBitIdentical({"optim.epochs=2", "model.loss=\"softmax\""}, stops,
                                             "softmax");
  for (const char* loss : {"negative_sampling", "softmax"}) {
    ExpectStoppedAndResumedRunsAreBitIdentical(
        {"optim.epochs=2", "optim.kernel=\"pairwise\"", absl::StrCat("model.loss=\"", loss, "\"")},
        stops, absl::StrCat("pairwise_", loss));
  }
  ExpectStoppedAndResumedRunsAreBitIdentical({"optim.epochs=2", "model.arch=\"cbow\""}, stops,
                                             "cbow");
  ExpectStoppedAndResumedRunsAreBitIdentical(
      {"optim.epochs=2", "model.loss=\"hierarchical_softmax\"", "model.subsample=1e-2"}, stops,
      "skipgram_hs");
  ExpectStoppedAndResumedRunsAreBitIdentical(
      {"optim.epochs=2", "model.arch=\"cbow\"", "model.loss=\"hierarchical_softmax\"",
       "model.cbow_gradient=\"exact\""},
      stops, "cbow_hs");
  // 1,600 iterations of 50 windows: 1.7 epochs of 48,000 windows, the rate halved every 200.
  ExpectStoppedAndResumedRunsAreBitIdentical(
      {"optim.schedule=\"step\"", "optim.iterations=1600", "optim.step_every=200", "optim.lr=0.3",
       "model.subsample=1e-2"},
      stops, "iterations");
}

// A treebank-format corpus (datasetSentences.txt's layout) of TopicCorpus's sentences.
std::string TreebankCorpus(int sentences) {
  std::string text = "sentence_index\tsentence\n";
  std::istringstream topics(TopicCorpus(sentences));
  int index = 1;
  for (std::string line; std::getline(topics, line); ++index) {
    absl::StrAppend(&text, index, "\t", line, "\n");
  }
  return text;
}

// The last `iter N: X` line a random_context run logs: {N, X}, or {-1, NaN} without one.
std::pair<int64_t, double> LastAssignmentLine(const std::string& log) {
  std::pair<int64_t, double> last = {-1, NAN};
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.rfind("iter ");
    if (at == std::string::npos) continue;
    std::istringstream fields(line.substr(at + 5));
    int64_t iteration = 0;
    char colon = 0;
    double value = NAN;
    if (fields >> iteration >> colon >> value && colon == ':') last = {iteration, value};
  }
  return last;
}

// configs/sst.toml, the default config, end to end on a treebank-format corpus the test writes,
// with fewer iterations: exactly iterations × 50 windows drawn at random, the step schedule's
// rate shown as configured, the smoothed loss of the assignment in the metrics and last in the
// log, and the UNK row in the outputs.
TEST_F(TrainTest, TheAssignmentsConfigTrainsEndToEnd) {
  dir_.Write("datasetSentences.txt", TreebankCorpus(2000));
  const RunResult r =
      RunW2v({"train", SourceDir() + "/configs/sst.toml", "--set",
              "corpus.paths=[\"" + dir_.File("datasetSentences.txt") + "\"]", "--set",
              "output.dir=" + dir_.File("sst"), "--set", "output.plots=false", "--set",
              "optim.iterations=2000", "--set", "optim.step_every=500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string metrics = ReadFile(dir_.File("sst/metrics.jsonl"));
  EXPECT_EQ(FinalField(metrics, "windows"), 2000 * 50);
  EXPECT_EQ(FinalField(metrics, "words"), 2000 * 50);  // a window's word is its centre
  EXPECT_EQ(FinalField(metrics, "iteration"), 2000);
  // 0.3 halved after 500, 1,000, 1,500 and 2,000 iterations: the configured rate, not ÷ 50.
  EXPECT_DOUBLE_EQ(FinalField(metrics, "lr"), 0.3 / 16);
  EXPECT_LT(FinalField(metrics, "loss_per_pair"), 0.9 * 11 * std::log(2.0));  // K = 10
  // Every record after the 10th iteration carries the smoothed loss; the run's last is the log's.
  const double smoothed = FinalField(metrics, "smoothed_loss");
  EXPECT_GT(smoothed, 0);
  const auto [iteration, printed] = LastAssignmentLine(r.out + r.err);
  EXPECT_EQ(iteration, 2000);
  EXPECT_NEAR(printed, smoothed, 1e-5);
  const Vectors v = ParseText(ReadFile(dir_.File("sst/vectors.txt")));
  EXPECT_EQ(v.dim, 10);
  EXPECT_EQ(v.rows.size(), 21u);  // TopicCorpus's 20 words and UNK
  EXPECT_EQ(v.rows.count("UNK"), 1u);
  EXPECT_THAT(ReadFile(dir_.File("sst/vocab.txt")), HasSubstr("UNK 1\n"));
}

// Random-context sampling computes a batch's windows on every thread and applies them in order:
// one seed, the same vectors at 1 and 2 threads; and a run stopped and resumed (on another thread
// count) ends as the straight one did, smoothed loss included.
TEST_F(TrainTest, RandomContextRunsAreTheSameAtAnyThreadCountAndAcrossAResume) {
  dir_.Write("datasetSentences.txt", TreebankCorpus(500));
  const std::vector<std::string> base = {
      "train", SourceDir() + "/configs/sst.toml", "--set",
      "corpus.paths=[\"" + dir_.File("datasetSentences.txt") + "\"]", "--set",
      "output.plots=false", "--set", "optim.iterations=600", "--set", "optim.step_every=200"};
  const auto train = [&](const std::string& out, int threads, std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    for (const std::string& s : {"output.dir=" + dir_.File(out),
                                 "threads=" + std::to_string(threads)}) {
      args.push_back("--set");
      args.push_back(s);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunW2v(args);
  };
  RunResult r = train("one", 1, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string straight = ReadFile(dir_.File("one/vectors.bin"));
  const double smoothed = FinalField(ReadFile(dir_.File("one/metrics.jsonl")), "smoothed_loss");
  r = train("two", 2, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir_.File("two/vectors.bin")), straight);
  EXPECT_EQ(FinalField(ReadFile(dir_.File("two/metrics.jsonl")), "smoothed_loss"), smoothed);

  // 12,345 words is iteration 247's; 50 windows a word each, so the stop is at iteration 247.
  r = train("split", 2, {"--stop-after-words", "12345"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(dir_.File("split/vectors.bin")), straight);
  r = RunW2v({"resume", dir_.File("split/snapshot.w2v"), "--set", "threads=1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir_.File("split/vectors.bin")), straight);
  const std::string metrics = ReadFile(dir_.File("split/metrics.jsonl"));
  EXPECT_EQ(FinalField(metrics, "smoothed_loss"), smoothed);
  EXPECT_EQ(FinalField(metrics, "windows"), 600 * 50);
}

// A kill -9 after a periodic snapshot (taken while the worker runs, through the parking lot), then
// a resume from it: the run ends exactly as if never stopped.
TEST_F(TrainTest, AResumeFromAPeriodicSnapshotIsBitIdentical) {
  dir_.Write("corpus.txt", TopicCorpus(10000));
  // 15 epochs: long enough (about 0.35 s here, more under a sanitizer) that the kill, at most
  // 60 ms after the first snapshot, lands before the end.
  const std::vector<std::string> settings = {"optim.epochs=15", "model.subsample=1e-2"};
  ASSERT_EQ(Train("straight", 1, settings).exit_code, 0);
  const std::string straight = ReadFile(dir_.File("straight/vectors.bin"));
  core::Rng rng(3);
  for (int round = 0; round < 2; ++round) {
    const std::string out = dir_.File(absl::StrCat("killed", round));
    RunningW2v run({"train", dir_.File("run.toml"), "--set", "output.dir=" + out, "--set",
                    "threads=1", "--set", settings[0], "--set", settings[1], "--set",
                    "snapshot.every_seconds=0.05"});
    ASSERT_TRUE(WaitForFile(out + "/snapshot.w2v"));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng.Below(60)));
    run.Signal(SIGKILL);
    const RunResult killed = run.Wait();
    ASSERT_EQ(killed.signal, SIGKILL) << "the run ended before the kill: make it longer";
    ASSERT_THAT(ReadFile(out + "/metrics.jsonl"), Not(HasSubstr("\"final\":true")));
    const RunResult resumed = RunW2v({"resume", out + "/snapshot.w2v"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(ReadFile(out + "/vectors.bin"), straight) << "round " << round;
  }
}

// A resume may change the thread count. The shard layout and each shard's random stream (seeded
// from the seed, the epoch and the shard) stay, so every token is still read once an epoch and the
// same windows, pairs and kept words are trained as in a straight run; only the Hogwild
// interleaving of the updates (and so the vectors' last bits) depends on the threads. From any
// snapshot, a resume on one thread is deterministic.
TEST_F(TrainTest, AResumeOnOtherThreadsTrainsTheSameWindowsAndOneThreadIsDeterministic) {
  dir_.Write("corpus.txt", TopicCorpus(10000));
  const std::vector<std::string> settings = {"optim.epochs=2", "model.subsample=1e-2"};
  ASSERT_EQ(Train("straight", 1, settings).exit_code, 0);
  const std::string straight = ReadFile(dir_.File("straight/metrics.jsonl"));
  RunResult r = RunW2v({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("split"),
                        "--set", "threads=1", "--set", settings[0], "--set", settings[1],
                        "--stop-after-words", "50000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunW2v({"resume", dir_.File("split/snapshot.w2v"), "--set", "threads=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string resumed = ReadFile(dir_.File("split/metrics.jsonl"));
  for (const char* field : {"words", "kept_words", "windows", "pairs"}) {
    EXPECT_EQ(FinalField(resumed, field), FinalField(straight, field)) << field;
  }
  EXPECT_EQ(FinalField(straight, "words"), 2 * 120000);

  // A snapshot written by two threads, resumed twice on one.
  r = RunW2v({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("two"), "--set",
              "threads=2", "--set", settings[0], "--set", settings[1], "--stop-after-words",
              "50000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string snapshot = ReadFile(dir_.File("two/snapshot.w2v"));
  std::string first;
  for (const char* copy : {"a", "b"}) {
    dir_.Write(absl::StrCat(copy, ".w2v"), snapshot);
    r = RunW2v({"resume", dir_.File(absl::StrCat(copy, ".w2v")), "--set", "threads=1", "--set",
                absl::StrCat("output.dir=\"", dir_.File(copy), "\"")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string vectors = ReadFile(dir_.File(absl::StrCat(copy, "/vectors.bin")));
    ASSERT_FALSE(vectors.empty());
    if (first.empty()) {
      first = vectors;
    } else {
      EXPECT_EQ(vectors, first);
    }
  }
}

// The loss and counts a run reports, against values known without running it. With U at zero every
// score is 0, so a pair costs (K + 1)·ln 2 under negative sampling and ln V under the softmax; a
// learning rate of 1e-30 keeps U there. Every line starts with a space and all are one width, so
// the shard cuts (at whitespace) fall between lines, and with window 1 a sentence of n ≥ 2 words
// has n windows and 2n − 2 pairs.
TEST_F(TrainTest, ReportedLossAndCountsAreTheUntrainedModelsExactly) {
  std::string corpus;
  int64_t tokens = 0, windows = 0, pairs = 0;
  for (int line = 0; line < 28; ++line) {
    const int n = 1 + line % 7;
    std::string text;
    for (int j = 0; j < n; ++j) absl::StrAppend(&text, " w", (line * 3 + j) % 10);
    text.resize(40, ' ');
    corpus += text + "\n";
    tokens += n;
    if (n >= 2) {
      windows += n;
      pairs += 2 * n - 2;
    }
  }
  dir_.Write("corpus.txt", corpus);
  for (const char* kernel : {"block", "pairwise"}) {
    for (const char* loss : {"negative_sampling", "softmax"}) {
      const std::string out = absl::StrCat(kernel, "_", loss);
      const RunResult r = Train(out, 1,
                                {"optim.lr=1e-30", "optim.min_lr=1e-30", "model.window=1",
                                 "optim.epochs=3", absl::StrCat("optim.kernel=\"", kernel, "\""),
                                 absl::StrCat("model.loss=\"", loss, "\"")});
      ASSERT_EQ(r.exit_code, 0) << out << ": " << r.err;
      const std::string metrics = ReadFile(dir_.File(out + "/metrics.jsonl"));
      EXPECT_EQ(FinalField(metrics, "words"), 3 * tokens) << out;
      EXPECT_EQ(FinalField(metrics, "kept_words"), 3 * tokens) << out;
      EXPECT_EQ(FinalField(metrics, "windows"), 3 * windows) << out;
      EXPECT_EQ(FinalField(metrics, "pairs"), 3 * pairs) << out;
      const double per_pair = std::string(loss) == "softmax" ? std::log(10.0) : 5 * std::log(2.0);
      EXPECT_NEAR(FinalField(metrics, "loss_per_pair"), per_pair, 1e-5) << out;
      EXPECT_NEAR(FinalField(metrics, "loss"), per_pair * pairs / windows, 1e-5) << out;
    }
  }
}

TEST_F(TrainTest, ResumeRefusesChangesToTheModelAndAChangedCorpus) {
  ASSERT_EQ(Train("out", 1, {"optim.epochs=2"}).exit_code, 0);
  ASSERT_EQ(RunW2v({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("out"),
                    "--stop-after-words", "12000"})
                .exit_code,
            0);
  const std::string snapshot = dir_.File("out/snapshot.w2v");
  const std::string snapshot_bytes = ReadFile(snapshot);
  const std::string vectors = ReadFile(dir_.File("out/vectors.bin"));
  RunResult r = RunW2v({"resume", snapshot, "--set", "model.dim=8"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--set model.dim=8: a resumed run keeps the snapshot's config"));

  dir_.Write("corpus.txt", TopicCorpus(100));
  r = RunW2v({"resume", snapshot});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("corpus.txt"));
  EXPECT_THAT(r.err, HasSubstr("the corpus changed"));

  r = RunW2v({"resume", dir_.File("missing.w2v")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("missing.w2v"));
  r = RunW2v({"resume"});
  EXPECT_EQ(r.exit_code, 2);
  // No refused resume touched the run's snapshot or outputs.
  EXPECT_EQ(ReadFile(snapshot), snapshot_bytes);
  EXPECT_EQ(ReadFile(dir_.File("out/vectors.bin")), vectors);
}

TEST_F(TrainTest, InterruptLeavesCompleteOutputsAndAUsableSnapshot) {
  for (int stop_signal : {SIGINT, SIGTERM}) {
    const std::string out = dir_.File("out" + std::to_string(stop_signal));
    RunningW2v run({"train", dir_.File("run.toml"), "--set", "output.dir=" + out, "--set",
                    "threads=2", "--set", "optim.epochs=100000"});
    ASSERT_TRUE(WaitForFile(out + "/metrics.jsonl"));
    run.Signal(stop_signal);
    const RunResult r = run.Wait();
    EXPECT_EQ(r.signal, 0) << "died of the signal instead of stopping";
    EXPECT_EQ(r.exit_code, 128 + stop_signal) << r.err;
    EXPECT_THAT(r.out + r.err, HasSubstr("w2v resume " + out + "/snapshot.w2v"));
    const Vectors v = ParseText(ReadFile(out + "/vectors.txt"));
    EXPECT_EQ(v.rows.size(), 20u);
    EXPECT_THAT(ReadFile(out + "/metrics.jsonl"), HasSubstr("\"interrupted\":true"));
    EXPECT_FALSE(ReadFile(out + "/vocab.txt").empty());

    // The snapshot continues the run: stop it again after a few more words.
    const RunResult resumed = RunW2v({"resume", out + "/snapshot.w2v", "--stop-after-words", "1"});
    EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_THAT(resumed.out + resumed.err, HasSubstr("resuming"));
  }
}

TEST_F(TrainTest, DamagedSnapshotsAreRefused) {
  ASSERT_EQ(RunW2v({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("out"),
                    "--stop-after-words", "12000"})
                .exit_code,
            0);
  const std::string good = ReadFile(dir_.File("out/snapshot.w2v"));
  ASSERT_GT(good.size(), 100u);
  const auto expect_refused = [&](const std::string& bytes, const std::string& message) {
    dir_.Write("bad.w2v", bytes);
    const RunResult r = RunW2v({"resume", dir_.File("bad.w2v")});
    EXPECT_EQ(r.exit_code, 1) << message;
    EXPECT_THAT(r.err, HasSubstr(dir_.File("bad.w2v") + ": " + message));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x10;
  expect_refused(flipped, "checksum mismatch");
  expect_refused(good.substr(0, good.size() - 1000), "checksum mismatch");
  expect_refused(good.substr(0, 10), "snapshot format version");
  std::string other_version = good;
  other_version[8] = 1;
  expect_refused(other_version, "snapshot format version 1, but this w2v reads versions 3 to 4");
  expect_refused("W2V text, not a snapshot", "not a w2v snapshot");
  expect_refused("", "not a w2v snapshot");
  EXPECT_EQ(ReadFile(dir_.File("out/snapshot.w2v")), good);
}

TEST_F(TrainTest, ADivergentRunStopsAndKeepsTheLastGoodOutputsAndSnapshot) {
  ASSERT_EQ(Train("out", 1).exit_code, 0);
  const std::string vectors = ReadFile(dir_.File("out/vectors.bin"));
  const std::string snapshot = ReadFile(dir_.File("out/snapshot.w2v"));
  for (const char* kernel : {"block", "pairwise"}) {
    for (const char* loss : {"negative_sampling", "softmax"}) {
      const RunResult r = Train("out", 2,
                                {"optim.lr=10", std::string("optim.kernel=") + kernel,
                                 std::string("model.loss=") + loss, "optim.epochs=30"});
      EXPECT_EQ(r.exit_code, 1) << kernel << " " << loss << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr("optim.lr: training diverged"));
      EXPECT_THAT(r.err, HasSubstr("snapshot.w2v still holds the last good state"));
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      EXPECT_EQ(ReadFile(dir_.File("out/vectors.bin")), vectors);
      EXPECT_EQ(ReadFile(dir_.File("out/snapshot.w2v")), snapshot);
    }
  }
}

TEST_F(TrainTest, KilledRunsResumeFromTheirLastSnapshotToCompleteOutputs) {
  core::Rng rng(7);
  for (int round = 0; round < 4; ++round) {
    const std::string out = dir_.File("killed" + std::to_string(round));
    // 100 epochs: long enough that the kill, at most 150 ms after the first snapshot, lands before
    // the end (with 40, a round on a Zen 5 ended before its kill).
    RunningW2v run({"train", dir_.File("run.toml"), "--set", "output.dir=" + out, "--set",
                    "threads=2", "--set", "optim.epochs=100", "--set",
                    "snapshot.every_seconds=0.05"});
    ASSERT_TRUE(WaitForFile(out + "/snapshot.w2v"));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng.Below(150)));
    run.Signal(SIGKILL);
    ASSERT_EQ(run.Wait().signal, SIGKILL) << "round " << round << " ended before the kill";
    const RunResult resumed = RunW2v({"resume", out + "/snapshot.w2v"});
    ASSERT_EQ(resumed.exit_code, 0) << "round " << round << ": " << resumed.err;
    EXPECT_EQ(ParseText(ReadFile(out + "/vectors.txt")).rows.size(), 20u);
    EXPECT_THAT(ReadFile(out + "/metrics.jsonl"), HasSubstr("\"final\":true"));
  }
}

TEST_F(TrainTest, AFullDiskLeavesThePreviousSnapshotAndOutputs) {
  ASSERT_EQ(Train("out", 1, {"log.interval_seconds=1000"}).exit_code, 0);
  const std::string vectors = ReadFile(dir_.File("out/vectors.txt"));
  const std::string snapshot = ReadFile(dir_.File("out/snapshot.w2v"));
  ASSERT_GT(snapshot.size(), 2000u);
  // 2,000 bytes hold the metrics (two records) but not the snapshot, which is written first.
  RunningW2v run({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("out"),
                  "--set", "log.interval_seconds=1000", "--set", "optim.seed=9"},
                 "", 2000);
  const RunResult r = run.Wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("snapshot.w2v: write failed: File too large"));
  EXPECT_EQ(ReadFile(dir_.File("out/snapshot.w2v")), snapshot);
  EXPECT_EQ(ReadFile(dir_.File("out/vectors.txt")), vectors);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.File("out"))) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

// The disk fills up after the final snapshot, while the vectors are written: the earlier vectors
// stay, and resuming the (finished) snapshot writes the run's own once there is room again.
TEST_F(TrainTest, AFullDiskWhileWritingTheOutputsKeepsTheOldOnesAndResumeWritesThem) {
  // At dim 100 the text vectors (about 11 bytes a value) outgrow the snapshot (8 bytes a value).
  const std::vector<std::string> settings = {"model.dim=100", "log.interval_seconds=1000"};
  ASSERT_EQ(Train("out", 1, settings).exit_code, 0);
  const std::string old_vectors = ReadFile(dir_.File("out/vectors.txt"));
  const int64_t snapshot_size = std::filesystem::file_size(dir_.File("out/snapshot.w2v"));
  const int64_t vectors_size = static_cast<int64_t>(old_vectors.size());
  ASSERT_GT(vectors_size, snapshot_size + 2000);
  RunningW2v run({"train", dir_.File("run.toml"), "--set", "output.dir=" + dir_.File("out"),
                  "--set", "threads=1", "--set", "model.dim=100", "--set",
                  "log.interval_seconds=1000", "--set", "optim.seed=9"},
                 "", (snapshot_size + vectors_size) / 2);
  const RunResult r = run.Wait();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("vectors.txt: write failed: File too large"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(ReadFile(dir_.File("out/vectors.txt")) == old_vectors);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.File("out"))) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }

  const RunResult resumed = RunW2v({"resume", dir_.File("out/snapshot.w2v")});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out + resumed.err, HasSubstr("writing its outputs"));
  std::vector<std::string> seed_9 = settings;
  seed_9.push_back("optim.seed=9");
  ASSERT_EQ(Train("straight", 1, seed_9).exit_code, 0);
  // Compared whole rather than printed: 2,000 floats.
  EXPECT_TRUE(ReadFile(dir_.File("out/vectors.txt")) ==
              ReadFile(dir_.File("straight/vectors.txt")));
}

TEST_F(TrainTest, EvaluatesEveryNEpochsIntoTheMetrics) {
  dir_.Write("questions.txt",
             ": animals\ncat dog horse cow\nCAT DOG COW HORSE\n"
             ": vehicles\ncar truck bus van\ncar zebra bus van\n");
  dir_.Write("pairs.txt", "cat dog 9\ncat car 1\ntruck bus 8\nhorse van 2\ncow zebra 5\n");
  const RunResult r =
      Train("out", 1,
            {"eval.every_epochs=2", "eval.questions=\"" + dir_.File("questions.txt") + "\"",
             "eval.pairs=[\"" + dir_.File("pairs.txt") + "\"]", "optim.epochs=5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out + r.err, HasSubstr("evaluation after 2 epochs: analogy"));
  // After epochs 2 and 4, and at the end (5).
  std::vector<std::string> records;
  std::istringstream metrics(ReadFile(dir_.File("out/metrics.jsonl")));
  for (std::string line; std::getline(metrics, line);) {
    if (line.find("\"eval\":true") != std::string::npos) records.push_back(line);
  }
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0], HasSubstr("\"epochs_done\":2,"));
  EXPECT_THAT(records[1], HasSubstr("\"epochs_done\":4,"));
  EXPECT_THAT(records[2], HasSubstr("\"epochs_done\":5,"));
  for (const std::string& record : records) {
    EXPECT_THAT(record, HasSubstr("\"analogy_seen\":3,\"analogy_questions\":4"));
    EXPECT_THAT(record, HasSubstr("\"rho pairs.txt\":"));
  }

  const RunResult bad = Train("bad", 1, {"eval.every_epochs=2"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("eval.every_epochs: needs eval.questions or eval.pairs"));
}

TEST_F(TrainTest, BadSetupFailsBeforeTrainingAndLeavesOutputsAlone) {
  ASSERT_EQ(Train("out", 1).exit_code, 0);
  const std::string vectors = ReadFile(dir_.File("out/vectors.txt"));

  RunResult r = Train("out", 1, {"corpus.paths=[\"missing.txt\"]"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("missing.txt: cannot open"));
  EXPECT_EQ(ReadFile(dir_.File("out/vectors.txt")), vectors);

  r = Train("out", 1, {"vocab.min_count=100000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no word occurs at least min_count = 100000 times"));
  EXPECT_EQ(ReadFile(dir_.File("out/vectors.txt")), vectors);

  dir_.Write("file", "");
  r = Train("file/sub", 1);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot create the output directory"));

  // Without a config: the defaults, which name no corpus.
  r = RunW2v({"train"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "w2v train: (no config file): corpus.paths: no corpus file given (set it in a config, "
            "or --set corpus.paths=FILE)\n");
  r = RunW2v({"train", "a.toml", "b.toml"});
  EXPECT_EQ(r.exit_code, 2);
  dir_.Write("empty.toml", "");
  r = RunW2v({"train", dir_.File("empty.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("corpus.paths: no corpus file given"));
}

}  // namespace
}  // namespace w2v::testing
