#include "io/word_count_merge.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "gtest/gtest.h"
#include "io/word_table.h"

namespace w2v::io {
namespace {

// Shards over one Zipf-like vocabulary, so that frequent words occur in every shard and rare ones
// in one; word lengths cross the 16 bytes a table entry holds whole.
std::vector<WordTable> RandomShards(uint64_t seed, int shards, std::map<std::string, int64_t>& total) {
  core::Rng rng(seed);
  std::vector<WordTable> tables(static_cast<size_t>(shards));
  for (WordTable& table : tables) {
    const int tokens = static_cast<int>(rng.Uniform() * 20'000);
    for (int t = 0; t < tokens; ++t) {
      const auto rank = static_cast<int64_t>(1.0 / (rng.Uniform() + 1e-4));
      const std::string word = absl::StrCat(rank % 3 == 0 ? "a-rather-long-prefix-" : "w", rank);
      const auto count = static_cast<int64_t>(1 + rng.Uniform() * 3);
      table.Add(word, count);
      total[word] += count;
    }
  }
  return tables;
}

// Each table's words and counts, taken as counting hands them to the merge.
std::vector<std::vector<int64_t>> TakeWords(std::vector<WordTable>& shards) {
  std::vector<std::vector<int64_t>> counts(shards.size());
  for (size_t s = 0; s < shards.size(); ++s) shards[s] = shards[s].TakeWords(counts[s]);
  return counts;
}

TEST(WordCountMergeTest, CountsAreSummedAndEveryShardWordIsRenumbered) {
  for (const int threads : {1, 2, 3}) {
    for (const int shard_count : {1, 2, 7}) {
      std::map<std::string, int64_t> total;
      std::vector<WordTable> shards = RandomShards(threads * 10 + shard_count, shard_count, total);
      // What each shard held, before the merge empties it.
      std::vector<std::vector<std::string>> shard_words(shards.size());
      std::vector<bool> renumber;
      for (size_t s = 0; s < shards.size(); ++s) {
        for (int32_t i = 0; i < shards[s].size(); ++i) shard_words[s].emplace_back(shards[s].word(i));
        renumber.push_back(s % 2 == 0);
      }
      std::vector<std::vector<int32_t>> indices;
      std::optional<MergedWords> merged =
          MergeWordCounts(shards, TakeWords(shards), renumber, indices, threads);
      ASSERT_TRUE(merged.has_value());
      const std::string where = absl::StrCat(threads, " threads, ", shard_count, " shards");
      ASSERT_EQ(merged->size(), static_cast<int64_t>(total.size())) << where;
      std::map<std::string, int64_t> seen;
      for (int64_t m = 0; m < merged->size(); ++m) {
        seen[std::string(merged->word(m))] = merged->count(m);
      }
      EXPECT_EQ(seen, total) << where;  // each word once, with the sum of its counts
      for (size_t s = 0; s < shards.size(); ++s) {
        EXPECT_EQ(shards[s].size(), 0) << where;
        if (!renumber[s]) {
          EXPECT_TRUE(indices[s].empty()) << where;
          continue;
        }
        ASSERT_EQ(indices[s].size(), shard_words[s].size()) << where;
        for (size_t i = 0; i < indices[s].size(); ++i) {
          ASSERT_EQ(merged->word(indices[s][i]), shard_words[s][i]) << where << ", shard " << s;
        }
      }
    }
  }
}

TEST(WordCountMergeTest, AWordCountedOnceMoreIsNewOrOneMoreOfAKnownOne) {
  std::map<std::string, int64_t> total;
  const std::vector<WordTable> shards = RandomShards(5, 3, total);
  const std::string known = total.begin()->first;
  for (const std::string& once : {std::string("UNK"), known}) {
    std::vector<WordTable> copies = shards;
    std::vector<std::vector<int32_t>> indices;
    std::optional<MergedWords> merged = MergeWordCounts(
        copies, TakeWords(copies), std::vector<bool>(copies.size(), true), indices, 2, once);
    ASSERT_TRUE(merged.has_value());
    std::map<std::string, int64_t> seen;
    for (int64_t m = 0; m < merged->size(); ++m) {
      seen[std::string(merged->word(m))] = merged->count(m);
    }
    std::map<std::string, int64_t> expected = total;
    ++expected[once];
    EXPECT_EQ(seen, expected) << once;
    // The renumbering counts the extra word in: every index still names its shard's word.
    for (size_t s = 0; s < shards.size(); ++s) {
      for (int32_t i = 0; i < shards[s].size(); ++i) {
        ASSERT_EQ(merged->word(indices[s][i]), shards[s].word(i)) << once;
      }
    }
  }
}

TEST(WordCountMergeTest, EmptyShardsAndEmptyPartitionsKeepTheNumbering) {
  // One word among 12 partitions (3 threads): 11 are empty, so partitions share their first index.
  std::vector<WordTable> shards(3);
  shards[1].Add("only", 4);
  std::vector<std::vector<int32_t>> indices;
  std::optional<MergedWords> merged =
      MergeWordCounts(shards, TakeWords(shards), std::vector<bool>(3, true), indices, 3, "UNK");
  ASSERT_TRUE(merged.has_value());
  ASSERT_EQ(merged->size(), 2);
  EXPECT_TRUE(indices[0].empty());
  EXPECT_TRUE(indices[2].empty());
  ASSERT_EQ(indices[1].size(), 1u);
  EXPECT_EQ(merged->word(indices[1][0]), "only");
  EXPECT_EQ(merged->count(indices[1][0]), 4);
  const int64_t unk = 1 - indices[1][0];
  EXPECT_EQ(merged->word(unk), "UNK");
  EXPECT_EQ(merged->count(unk), 1);
}

}  // namespace
}  // namespace w2v::io
