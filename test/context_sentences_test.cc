// trainer/context_sentences.h draws what the CS224N starter code draws: each copy's words rejected
// at their own rate, sentences of fewer than two words dropped, every sentence as likely as any
// other whatever its length, the centre word never in its own context, and C' uniform in
// [1, window]. Counts from fixed seeds, held to within 4.5 standard deviations of the starter
// code's expectations.
#include "trainer/context_sentences.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"
#include "io/encoded_corpus.h"

namespace w2v::trainer {
namespace {

using io::kSentenceEnd;

// Within 4.5 standard deviations of a binomial share p over n draws.
void ExpectShare(int64_t hits, int64_t n, double p, const char* what) {
  const double sd = std::sqrt(p * (1 - p) / static_cast<double>(n));
  EXPECT_NEAR(static_cast<double>(hits) / static_cast<double>(n), p, 4.5 * sd + 1e-12) << what;
}

TEST(ContextSentencesTest, EachCopyRejectsEachWordAtItsOwnRate) {
  // Word 0 twice in every sentence and never rejected, so that no sentence is dropped and every
  // draw of words 1 and 2 is seen.
  const std::vector<float> keep = {1.0f, 0.25f, 0.6f};
  const std::vector<std::vector<int32_t>> shards = {{0, 1, 2, 0, 2, 1, kSentenceEnd},
                                                    {1, 0, 0, 2, kSentenceEnd}};
  core::Rng rng(7);
  const int64_t copies = 2000;
  const ContextSentences sentences = ContextSentences::Build(shards, keep, copies, 1000, rng);
  ASSERT_EQ(sentences.size(), 2 * copies);
  std::map<int32_t, int64_t> kept;
  for (int64_t s = 0; s < sentences.size(); ++s) {
    for (int32_t id : sentences.sentence(s)) ++kept[id];
  }
  EXPECT_EQ(kept[0], 4 * copies);
  ExpectShare(kept[1], 3 * copies, 0.25, "word 1");
  ExpectShare(kept[2], 3 * copies, 0.6, "word 2");
  // The copies come in corpus order, the first shard's sentence before the second's.
  EXPECT_EQ(sentences.sentence(0).front(), 0);
}

TEST(ContextSentencesTest, SentencesLeftWithFewerThanTwoWordsAreDropped) {
  const std::vector<float> keep = {1.0f, 0.5f};
  // Sentence one keeps both words with probability 1/2; sentence two is one word; three always two.
  const std::vector<std::vector<int32_t>> shards = {
      {0, 1, kSentenceEnd, 0, kSentenceEnd, 0, 0, kSentenceEnd}};
  core::Rng rng(8);
  const int64_t copies = 4000;
  const ContextSentences sentences = ContextSentences::Build(shards, keep, copies, 1000, rng);
  int64_t pairs = 0, repeats = 0;
  for (int64_t s = 0; s < sentences.size(); ++s) {
    const auto words = sentences.sentence(s);
    ASSERT_EQ(words.size(), 2u);
    (words[1] == 1 ? pairs : repeats) += 1;
  }
  EXPECT_EQ(repeats, copies);
  ExpectShare(pairs, copies, 0.5, "sentence one kept");
}

TEST(ContextSentencesTest, LongSentencesAreCutAtTheMaximumLength) {
  const std::vector<float> keep(10, 1.0f);
  const std::vector<std::vector<int32_t>> shards = {{0, 1, 2, 3, 4, 5, 6, kSentenceEnd}};
  core::Rng rng(9);
  const ContextSentences sentences = ContextSentences::Build(shards, keep, 1, 3, rng);
  ASSERT_EQ(sentences.size(), 2);  // 0 1 2 | 3 4 5 | 6 (dropped: one word)
  EXPECT_EQ(sentences.sentence(1)[0], 3);
}

// Sentences of 2, 4 and 8 different words, every word its own id: under uniform sentence sampling
// each length has a third of the windows (word2vec's walk would give 2/14, 4/14 and 8/14).
TEST(ContextSentencesTest, EverySentenceIsAsLikelyWhateverItsLength) {
  std::vector<int32_t> ids;
  std::vector<int> length_of_word;
  for (int length : {2, 4, 8}) {
    for (int w = 0; w < length; ++w) {
      ids.push_back(static_cast<int32_t>(length_of_word.size()));
      length_of_word.push_back(length);
    }
    ids.push_back(kSentenceEnd);
  }
  const std::vector<float> keep(length_of_word.size(), 1.0f);
  core::Rng build_rng(1);
  const ContextSentences sentences = ContextSentences::Build({ids}, keep, 1, 1000, build_rng);
  ASSERT_EQ(sentences.size(), 3);
  core::Rng rng(2);
  std::map<int, int64_t> windows_by_length;
  const int64_t draws = 30000;
  std::vector<int32_t> context;
  for (int64_t i = 0; i < draws; ++i) {
    int32_t center = 0;
    sentences.DrawWindow(5, rng, center, context);
    ++windows_by_length[length_of_word[center]];
  }
  for (int length : {2, 4, 8}) ExpectShare(windows_by_length[length], draws, 1.0 / 3, "length");
}

TEST(ContextSentencesTest, TheCentreWordIsNeverInItsOwnContext) {
  // Word 5 all over its sentence; [9 9] can never give a window (its only context is itself), so
  // every draw that lands there is drawn again.
  const std::vector<std::vector<int32_t>> shards = {
      {5, 5, 6, 5, 7, 5, 5, kSentenceEnd, 9, 9, kSentenceEnd}};
  const std::vector<float> keep(10, 1.0f);
  core::Rng build_rng(3);
  const ContextSentences sentences = ContextSentences::Build(shards, keep, 1, 1000, build_rng);
  ASSERT_TRUE(sentences.has_window());
  core::Rng rng(4);
  std::vector<int32_t> context;
  int64_t centre_five = 0;
  for (int i = 0; i < 5000; ++i) {
    int32_t center = 0;
    sentences.DrawWindow(3, rng, center, context);
    ASSERT_FALSE(context.empty());
    EXPECT_NE(center, 9);
    EXPECT_EQ(std::count(context.begin(), context.end(), center), 0) << "centre " << center;
    centre_five += center == 5;
  }
  // Five of the sentence's seven positions hold 5, and every one of them has a 6 or 7 within 3.
  ExpectShare(centre_five, 5000, 5.0 / 7, "centre 5");

  const ContextSentences none =
      ContextSentences::Build({{9, 9, kSentenceEnd, 8, 8, 8, kSentenceEnd}}, keep, 3, 1000, rng);
  EXPECT_EQ(none.size(), 6);
  EXPECT_FALSE(none.has_window());
}

// One sentence of 40 different words: a centre at least `window` from either end has 2·C' context
// words, and C' is uniform in [1, window].
TEST(ContextSentencesTest, TheWindowIsUniformUpToItsSize) {
  std::vector<int32_t> ids(40);
  for (int32_t i = 0; i < 40; ++i) ids[i] = i;
  ids.push_back(kSentenceEnd);
  const std::vector<float> keep(40, 1.0f);
  core::Rng build_rng(5);
  const ContextSentences sentences = ContextSentences::Build({ids}, keep, 1, 1000, build_rng);
  core::Rng rng(6);
  std::vector<int32_t> context;
  std::map<size_t, int64_t> reach_count;
  int64_t inner = 0;
  for (int i = 0; i < 40000; ++i) {
    int32_t center = 0;
    sentences.DrawWindow(5, rng, center, context);
    for (int32_t w : context) ASSERT_LE(std::abs(w - center), 5);
    if (center < 5 || center > 34) continue;
    ++inner;
    ASSERT_EQ(context.size() % 2, 0u);
    ++reach_count[context.size() / 2];
  }
  ASSERT_EQ(reach_count.size(), 5u);
  for (size_t reach = 1; reach <= 5; ++reach) ExpectShare(reach_count[reach], inner, 0.2, "C'");
}

}  // namespace
}  // namespace w2v::trainer
