#include "io/vocabulary.h"

#include <cmath>
#include <filesystem>
#include <string>

#include "core/samplers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using ::testing::HasSubstr;
using w2v::testing::ReadFile;
using w2v::testing::RunResult;
using w2v::testing::RunW2v;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

// "w0" ×40, "w1" ×39, ... "w39" ×1, interleaved over lines.
std::string GraduatedCorpus() {
  std::string text;
  for (int round = 0; round < 40; ++round) {
    for (int w = 0; w + round < 40; ++w) absl::StrAppend(&text, "w", w, " ");
    text += "\n";
  }
  return text;
}

absl::StatusOr<Vocabulary> BuildFrom(const TempDir& dir, const std::string& text,
                                     const VocabOptions& options) {
  dir.Write("corpus.txt", text);
  auto corpus = Corpus::Open({dir.File("corpus.txt")}, {});
  if (!corpus.ok()) return corpus.status();
  return Vocabulary::Build(*corpus, options);
}

TEST(VocabularyTest, SortedByCountThenWordWithMinCount) {
  TempDir dir;
  VocabOptions options;
  options.min_count = 2;
  auto vocab = BuildFrom(dir, "b a c a b d a\ne e b\n", options);
  W2V_ASSERT_OK(vocab);
  ASSERT_EQ(vocab->size(), 3);
  EXPECT_EQ(vocab->word(0), "a");  // 3, ties with b broken by the word
  EXPECT_EQ(vocab->word(1), "b");
  EXPECT_EQ(vocab->word(2), "e");
  EXPECT_EQ(vocab->count(0), 3);
  EXPECT_EQ(vocab->count(1), 3);
  EXPECT_EQ(vocab->count(2), 2);
  EXPECT_EQ(vocab->total_count(), 8);
  EXPECT_EQ(vocab->Find("b"), 1);
  EXPECT_EQ(vocab->Find("c"), Vocabulary::kNotFound);
  EXPECT_EQ(vocab->Find("zzz"), Vocabulary::kNotFound);
}

TEST(VocabularyTest, SameResultWithAnyThreadCount) {
  TempDir dir;
  const std::string text = GraduatedCorpus();
  VocabOptions options;
  options.min_count = 1;
  auto reference = BuildFrom(dir, text, options);
  W2V_ASSERT_OK(reference);
  ASSERT_EQ(reference->size(), 40);
  for (int w = 0; w < 40; ++w) {
    EXPECT_EQ(reference->word(w), absl::StrCat("w", w));
    EXPECT_EQ(reference->count(w), 40 - w);
  }
  for (int threads = 2; threads <= 8; ++threads) {
    options.threads = threads;
    auto vocab = BuildFrom(dir, text, options);
    W2V_ASSERT_OK(vocab);
    ASSERT_EQ(vocab->size(), reference->size());
    for (int w = 0; w < vocab->size(); ++w) {
      EXPECT_EQ(vocab->word(w), reference->word(w));
      EXPECT_EQ(vocab->count(w), reference->count(w));
    }
  }
}

TEST(VocabularyTest, MaxVocabKeepsTheMostFrequent) {
  TempDir dir;
  VocabOptions options;
  options.min_count = 1;
  options.max_vocab = 5;
  auto vocab = BuildFrom(dir, GraduatedCorpus(), options);
  W2V_ASSERT_OK(vocab);
  ASSERT_EQ(vocab->size(), 5);
  EXPECT_EQ(vocab->word(4), "w4");
  EXPECT_EQ(vocab->count(0), 40);
}

// 20,000 words seen once, and three frequent words ("the" 40,000 times, "of" and "and" 20,000).
absl::StatusOr<Corpus> RareWordsCorpus(const TempDir& dir) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "rare" + std::to_string(i) + " the of and the\n";
  }
  dir.Write("corpus.txt", text);
  return Corpus::Open({dir.File("corpus.txt")}, {});
}

TEST(VocabularyTest, PruningWhileCountingBoundsMemoryAndKeepsFrequentWords) {
  // With max_vocab 10 the per-shard maps must be pruned as they grow, and the frequent words must
  // survive with exact counts.
  TempDir dir;
  auto corpus = RareWordsCorpus(dir);
  W2V_ASSERT_OK(corpus);
  VocabOptions options;
  options.min_count = 1;
  options.max_vocab = 10;
  CountStats stats;
  auto vocab = Vocabulary::Build(*corpus, options, &stats);
  W2V_ASSERT_OK(vocab);
  EXPECT_GT(stats.pruned, 19000);
  EXPECT_LE(stats.distinct, 4 * 10 * 10 + 3);  // at most 10·max_vocab per shard map, 4 shards
  EXPECT_EQ(vocab->word(0), "the");
  EXPECT_EQ(vocab->count(0), 40000);
  EXPECT_EQ(vocab->count(1), 20000);
  EXPECT_EQ(vocab->count(2), 20000);
}

TEST(VocabularyTest, MaxCountedWordsBoundsCountingWithoutMaxVocab) {
  // With no max_vocab: max_counted_words alone bounds the tables, all shards together, and the
  // frequent words still come out exact.
  TempDir dir;
  auto corpus = RareWordsCorpus(dir);
  W2V_ASSERT_OK(corpus);
  for (int threads : {1, 2}) {
    VocabOptions options;
    options.min_count = 1;
    options.max_counted_words = 1000;
    options.threads = threads;
    CountStats stats;
    auto vocab = Vocabulary::Build(*corpus, options, &stats);
    W2V_ASSERT_OK(vocab);
    EXPECT_GT(stats.pruned, 19000) << threads;
    EXPECT_LE(stats.distinct, 1000 + 4 * threads) << threads;  // each shard may pass it by one
    EXPECT_EQ(vocab->word(0), "the");
    EXPECT_EQ(vocab->count(0), 40000);
    EXPECT_EQ(vocab->count(1), 20000);
  }
  // The default bound does not touch a corpus of 20,000 distinct words.
  VocabOptions defaults;
  defaults.min_count = 1;
  CountStats stats;
  W2V_ASSERT_OK(Vocabulary::Build(*corpus, defaults, &stats));
  EXPECT_EQ(stats.pruned, 0);
  EXPECT_EQ(stats.distinct, 20003);
}

TEST(VocabularyTest, InvalidUtf8PoliciesCountLinesAndRefuseAFileMostlyInvalid) {
  TempDir dir;
  std::string stray;  // one bad line in 200: repaired
  for (int i = 0; i < 200; ++i) stray += i == 50 ? "caf\xe9 the end\n" : "the end of it\n";
  dir.Write("stray.txt", stray);
  std::string latin1;  // a file in Latin-1: 3 bad lines in 100, refused
  for (int i = 0; i < 100; ++i) latin1 += i % 33 == 1 ? "na\xefve caf\xe9\n" : "plain words\n";
  dir.Write("latin1.txt", latin1);
  for (InvalidUtf8Policy policy : {InvalidUtf8Policy::kReplace, InvalidUtf8Policy::kSkipLine}) {
    CorpusOptions corpus_options;
    corpus_options.invalid_utf8 = policy;
    VocabOptions options;
    options.min_count = 1;
    auto corpus = Corpus::Open({dir.File("stray.txt")}, corpus_options);
    W2V_ASSERT_OK(corpus);
    CountStats stats;
    auto vocab = Vocabulary::Build(*corpus, options, &stats);
    W2V_ASSERT_OK(vocab);
    EXPECT_EQ(stats.invalid_utf8_lines, 1);
    EXPECT_EQ(vocab->Find("caf\xEF\xBF\xBD") != Vocabulary::kNotFound,
              policy == InvalidUtf8Policy::kReplace);
    EXPECT_EQ(vocab->count(vocab->Find("the")), policy == InvalidUtf8Policy::kReplace ? 200 : 199);

    auto both = Corpus::Open({dir.File("stray.txt"), dir.File("latin1.txt")}, corpus_options);
    W2V_ASSERT_OK(both);
    EXPECT_THAT(Vocabulary::Build(*both, options).status(),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr(dir.File("latin1.txt") + ": 3 of its 100 lines are not UTF-8")));
  }
}

TEST(VocabularyTest, KeepProbabilitiesFollowWord2vecsFormula) {
  TempDir dir;
  VocabOptions options;
  options.min_count = 1;
  options.subsample = 1e-3;
  auto vocab = BuildFrom(dir, GraduatedCorpus(), options);
  W2V_ASSERT_OK(vocab);
  const double total = static_cast<double>(vocab->total_count());
  for (int w = 0; w < vocab->size(); ++w) {
    const double f = vocab->count(w) / total;
    const double t = 1e-3;
    const double expected = std::min(1.0, (std::sqrt(f / t) + 1) * t / f);
    EXPECT_NEAR(vocab->keep_probability(w), expected, 1e-6) << w;
  }
  EXPECT_LT(vocab->keep_probability(0), vocab->keep_probability(39));
  options.subsample = 0;
  auto no_subsampling = BuildFrom(dir, GraduatedCorpus(), options);
  W2V_ASSERT_OK(no_subsampling);
  for (float p : no_subsampling->keep_probabilities()) EXPECT_EQ(p, 1.0f);
}

TEST(VocabularyTest, UnkWordIsCountedOnceAndTheAssignmentFormulaKeepsSqrtTOverF) {
  // As the assignment's treebank reader: "UNK" with frequency 1, and the word count + 1.
  TempDir dir;
  VocabOptions options;
  options.min_count = 1;
  options.subsample = 1e-2;
  options.subsample_formula = SubsampleFormula::kAssignment;
  options.unk_word = "UNK";
  CountStats stats;
  dir.Write("corpus.txt", "a b a c\na b a\n");  // 7 tokens: a 4, b 2, c 1
  auto corpus = Corpus::Open({dir.File("corpus.txt")}, {});
  W2V_ASSERT_OK(corpus);
  auto vocab = Vocabulary::Build(*corpus, options, &stats);
  W2V_ASSERT_OK(vocab);
  EXPECT_EQ(stats.tokens, 7);
  ASSERT_EQ(vocab->size(), 4);
  const int32_t unk = vocab->Find("UNK");
  ASSERT_NE(unk, Vocabulary::kNotFound);
  EXPECT_EQ(vocab->count(unk), 1);
  EXPECT_EQ(vocab->total_count(), 7 + 1);
  EXPECT_EQ(vocab->word(0), "a");
  EXPECT_EQ(vocab->count(0), 4);
  // keep = min(1, sqrt(t·N/count)) with N = 8: a sqrt(0.02) = 0.1414..., b sqrt(0.04) = 0.2,
  // c and UNK sqrt(0.08) = 0.2828...
  const double t = 1e-2;
  for (int w = 0; w < vocab->size(); ++w) {
    const double expected = std::min(1.0, std::sqrt(t * 8.0 / vocab->count(w)));
    EXPECT_NEAR(vocab->keep_probability(w), expected, 1e-6) << vocab->word(w);
  }
  EXPECT_NEAR(vocab->keep_probability(vocab->Find("b")), 0.2, 1e-6);
  EXPECT_NEAR(vocab->keep_probability(unk), std::sqrt(0.08), 1e-6);

  // A word of the corpus gains one; min_count applies to UNK like to any word.
  options.unk_word = "c";
  auto seen = BuildFrom(dir, "a b a c\na b a\n", options);
  W2V_ASSERT_OK(seen);
  EXPECT_EQ(seen->count(seen->Find("c")), 2);
  EXPECT_EQ(seen->total_count(), 8);
  options.unk_word = "UNK";
  options.min_count = 2;
  auto filtered = BuildFrom(dir, "a b a c\na b a\n", options);
  W2V_ASSERT_OK(filtered);
  EXPECT_EQ(filtered->Find("UNK"), Vocabulary::kNotFound);
  EXPECT_EQ(filtered->total_count(), 6);
  // Without one nothing is added.
  options.unk_word = "";
  options.min_count = 1;
  auto none = BuildFrom(dir, "a b a c\na b a\n", options);
  W2V_ASSERT_OK(none);
  EXPECT_EQ(none->size(), 3);
  EXPECT_EQ(none->total_count(), 7);
}

TEST(VocabularyTest, EmptyCorpusAndNothingReachingMinCount) {
  TempDir dir;
  EXPECT_THAT(BuildFrom(dir, "", {}), StatusIs(absl::StatusCode::kFailedPrecondition,
                                               HasSubstr("corpus.txt: the corpus has no tokens")));
  EXPECT_THAT(BuildFrom(dir, " \n\n \r\n", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has no tokens")));
  EXPECT_THAT(BuildFrom(dir, "a a b c\n", {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("no word occurs at least min_count = 5 times (the most frequent, "
                                 "'a', occurs 2 times)")));
}

TEST(VocabularyTest, HugeLineWithoutNewlineNeitherCrashesNorHangs) {
  // 100 MB with no whitespace: one token, cut to max_token_bytes, seen once.
  TempDir dir;
  auto vocab = BuildFrom(dir, std::string(100 << 20, 'x'), {});
  EXPECT_THAT(vocab, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("occurs 1 times")));
}

TEST(VocabularyTest, WriteAndReadRoundTrip) {
  TempDir dir;
  VocabOptions options;
  options.min_count = 1;
  auto vocab = BuildFrom(dir, GraduatedCorpus(), options);
  W2V_ASSERT_OK(vocab);
  W2V_ASSERT_OK(vocab->Write(dir.File("vocab.txt")));
  EXPECT_THAT(ReadFile(dir.File("vocab.txt")), ::testing::StartsWith("w0 40\nw1 39\n"));
  auto read = Vocabulary::Read(dir.File("vocab.txt"), options);
  W2V_ASSERT_OK(read);
  ASSERT_EQ(read->size(), vocab->size());
  for (int w = 0; w < vocab->size(); ++w) {
    EXPECT_EQ(read->word(w), vocab->word(w));
    EXPECT_EQ(read->count(w), vocab->count(w));
    EXPECT_EQ(read->keep_probability(w), vocab->keep_probability(w));
  }
  // Reading applies min_count again, as word2vec's -read-vocab does.
  options.min_count = 39;
  auto filtered = Vocabulary::Read(dir.File("vocab.txt"), options);
  W2V_ASSERT_OK(filtered);
  EXPECT_EQ(filtered->size(), 2);
}

TEST(VocabularyTest, ReadAcceptsWord2vecsFileWithCrlf) {
  TempDir dir;
  dir.Write("v.txt", "</s> 0\r\nthe 10\r\nof 7\r\n");
  // word2vec writes "</s> 0" first: a count of 0 is not positive, so it is refused by line.
  EXPECT_THAT(Vocabulary::Read(dir.File("v.txt"), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("v.txt:1:")));
  dir.Write("v.txt", "</s> 1301\r\nthe 10\r\nof 7\r\n");
  VocabOptions options;
  options.min_count = 1;
  auto vocab = Vocabulary::Read(dir.File("v.txt"), options);
  W2V_ASSERT_OK(vocab);
  EXPECT_EQ(vocab->word(0), "</s>");
  EXPECT_EQ(vocab->word(1), "the");
}

TEST(VocabularyTest, ReadErrorsNameTheLine) {
  TempDir dir;
  dir.Write("v.txt", "the 10\nof\n");
  EXPECT_THAT(Vocabulary::Read(dir.File("v.txt"), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("v.txt:2: expected")));
  dir.Write("v.txt", "the 10\nof -3\n");
  EXPECT_THAT(Vocabulary::Read(dir.File("v.txt"), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("v.txt:2:")));
  dir.Write("v.txt", "the 10\nof 5\nthe 4\n");
  EXPECT_THAT(Vocabulary::Read(dir.File("v.txt"), {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("v.txt:3: 'the' is listed again (first on line 1)")));
  dir.Write("v.txt", "");
  EXPECT_THAT(Vocabulary::Read(dir.File("v.txt"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Vocabulary::Read(dir.File("missing.txt"), {}),
              StatusIs(absl::StatusCode::kNotFound));
}

// ---------------------------------------------------------------- w2v vocab

TEST(VocabCommandTest, CountsPrintsAndWrites) {
  TempDir dir;
  dir.Write("corpus.txt", GraduatedCorpus());
  const RunResult r = RunW2v({"vocab", dir.File("corpus.txt"), "--min-count", "31", "--threads",
                              "2", "--out", dir.File("vocab.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("vocabulary: 10 words with count >= 31 (of 40 distinct), 820 tokens"));
  EXPECT_THAT(r.out, HasSubstr("MB/s"));
  EXPECT_THAT(ReadFile(dir.File("vocab.txt")), ::testing::StartsWith("w0 40\n"));
}

TEST(VocabCommandTest, ErrorsAreOneLineAndLeaveOutputsAlone) {
  TempDir dir;
  dir.Write("vocab.txt", "precious 1\n");
  dir.Write("bad.txt", "ok\n\xff\n");
  RunResult r = RunW2v({"vocab", dir.File("bad.txt"), "--out", dir.File("vocab.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "w2v vocab: " + dir.File("bad.txt") + ":2: invalid UTF-8\n");
  EXPECT_EQ(ReadFile(dir.File("vocab.txt")), "precious 1\n");

  r = RunW2v({"vocab", dir.File("missing.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("missing.txt: cannot open"));

  // A directory is its files: this one's bad.txt is refused, naming it.
  r = RunW2v({"vocab", dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "w2v vocab: " + dir.File("bad.txt") + ":2: invalid UTF-8\n");
  std::filesystem::create_directory(dir.File("empty_dir"));
  r = RunW2v({"vocab", dir.File("empty_dir")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "w2v vocab: " + dir.File("empty_dir") +
                       ": is a directory with no regular file in it\n");

  dir.Write("empty.txt", "");
  r = RunW2v({"vocab", dir.File("empty.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("empty.txt: the corpus has no tokens"));

  r = RunW2v({"vocab", dir.File("bad.txt"), "--out", dir.File("no/dir/v.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no/dir/v.txt"));

  r = RunW2v({"vocab"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunW2v({"vocab", dir.File("bad.txt"), "--min-count", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--min-count: 0 is out of range"));
}

}  // namespace
}  // namespace w2v::io
