#include "io/word_table.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"

namespace w2v::io {
namespace {

// Words whose lengths straddle every boundary of the key (0, 3, 4, 7, 8, 15, 16, 17) and beyond,
// over a small alphabet so that many share their first and last bytes.
std::string RandomWord(core::Rng& rng) {
  const auto length = static_cast<size_t>(rng.Uniform() * 41);
  std::string word(length, 'a');
  for (char& c : word) c = static_cast<char>('a' + static_cast<int>(rng.Uniform() * 3));
  return word;
}

// The reference: std::map's counts, and indices in order of first sight.
struct Reference {
  std::map<std::string, int64_t> counts;
  std::map<std::string, int32_t> index;
  std::vector<std::string> order;
  void Add(const std::string& word, int64_t count = 1) {
    if (index.emplace(word, static_cast<int32_t>(order.size())).second) order.push_back(word);
    counts[word] += count;
  }
};

void ExpectSame(const WordTable& table, const Reference& reference) {
  ASSERT_EQ(table.size(), static_cast<int32_t>(reference.order.size()));
  for (int32_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(table.word(i), reference.order[i]) << i;
    EXPECT_EQ(table.count(i), reference.counts.at(reference.order[i])) << reference.order[i];
  }
}

// Adds `words` random words to both, checking each index Add returns.
void AddRandomWords(uint64_t seed, int words, WordTable& table, Reference& reference) {
  core::Rng rng(seed);
  for (int n = 0; n < words; ++n) {
    const std::string word = RandomWord(rng);
    reference.Add(word);
    ASSERT_EQ(table.Add(word), reference.index.at(word)) << "'" << word << "'";
  }
}

TEST(WordTableTest, CountsAndIndicesMatchAReferenceThroughManyGrowths) {
  WordTable table;
  Reference reference;
  AddRandomWords(7, 200'000, table, reference);
  ASSERT_GT(table.size(), 10'000);  // past several doublings of the initial 1024 slots
  ExpectSame(table, reference);
}

TEST(WordTableTest, LongWordsDifferingOnlyInTheMiddleAreDifferentWords) {
  // Same length, same first 8 and last 8 bytes: only the byte-by-byte comparison tells them apart.
  const std::string a = "abcdefgh" + std::string(9, 'x') + "12345678";
  std::string b = a;
  b[12] = 'y';
  WordTable table;
  EXPECT_EQ(table.Add(a), 0);
  EXPECT_EQ(table.Add(b), 1);
  EXPECT_EQ(table.Add(a, 5), 0);
  EXPECT_EQ(table.count(0), 6);
  EXPECT_EQ(table.count(1), 1);
}

TEST(WordTableTest, ShortWordsThatDifferInLengthOrZeroBytesAreDifferentWords) {
  // A word's padding is zeros, so "a" and "a\0" have the same head: the length tells them apart.
  WordTable table;
  EXPECT_EQ(table.Add(std::string_view("a", 1)), 0);
  EXPECT_EQ(table.Add(std::string_view("a\0", 2)), 1);
  EXPECT_EQ(table.Add(std::string_view("", 0)), 2);
  EXPECT_EQ(table.Add(std::string_view("a", 1)), 0);
  EXPECT_EQ(table.size(), 3);
}

TEST(WordTableTest, ReadingSixteenBytesAheadFindsTheSameWords) {
  // A buffer with room to read past each word, as a mapped corpus has everywhere but its end.
  core::Rng rng(3);
  std::vector<std::string> words;
  std::string buffer;
  std::vector<size_t> starts;
  for (int n = 0; n < 5'000; ++n) {
    words.push_back(RandomWord(rng));
    starts.push_back(buffer.size());
    buffer += words.back() + ' ';
  }
  buffer.append(16, ' ');
  WordTable careful, ahead;
  for (size_t n = 0; n < words.size(); ++n) {
    const std::string_view in_buffer(buffer.data() + starts[n], words[n].size());
    ASSERT_EQ(careful.Add(words[n]),
              ahead.Add(ahead.Prepare(in_buffer, buffer.data() + buffer.size())))
        << "'" << words[n] << "'";
  }
  for (int32_t i = 0; i < careful.size(); ++i) EXPECT_EQ(careful.count(i), ahead.count(i));
}

TEST(WordTableTest, NeverReadsPastAWordThatEndsAtTheEndOfItsMemory) {
  // Two pages, the second unreadable: a word of each length ends at the first page's last byte.
  const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* mapped = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  char* memory = static_cast<char*>(mapped);
  std::memset(memory, 'q', page);
  ASSERT_EQ(mprotect(memory + page, page, PROT_NONE), 0);
  const char* end = memory + page;
  WordTable table;
  for (size_t length = 1; length <= 40; ++length) {
    const std::string_view word(end - length, length);
    EXPECT_EQ(table.Add(word), static_cast<int32_t>(length - 1));
    EXPECT_EQ(table.Add(table.Prepare(word, end)), static_cast<int32_t>(length - 1));
  }
  munmap(mapped, 2 * page);
}

TEST(WordTableTest, ErasingRareWordsKeepsTheOthersInOrder) {
  WordTable table;
  Reference reference;
  AddRandomWords(11, 50'000, table, reference);
  int64_t expected_erased = 0;
  Reference kept;
  for (const std::string& word : reference.order) {
    const int64_t count = reference.counts.at(word);
    if (count <= 2) {
      ++expected_erased;
    } else {
      kept.Add(word, count);
    }
  }
  ASSERT_GT(expected_erased, 0);
  EXPECT_EQ(table.EraseCountsAtMost(2), expected_erased);
  ExpectSame(table, kept);
  // Still a working table: old words are found at their new index, new ones get the next.
  EXPECT_EQ(table.Add(kept.order.front()), 0);
  EXPECT_EQ(table.Add("not-in-the-table-before"), static_cast<int32_t>(kept.order.size()));
}

TEST(WordTableTest, TakenWordsKeepIndicesAndCountsAndTheTableCountsAgainFromEmpty) {
  WordTable table;
  Reference first;
  AddRandomWords(13, 50'000, table, first);
  std::vector<int64_t> counts;
  const WordTable taken = table.TakeWords(counts);
  ASSERT_EQ(taken.size(), static_cast<int32_t>(first.order.size()));
  ASSERT_EQ(counts.size(), first.order.size());
  const WordTable fresh;
  for (int32_t i = 0; i < taken.size(); ++i) {
    const std::string& word = first.order[i];
    EXPECT_EQ(taken.word(i), word) << i;
    EXPECT_EQ(counts[i], first.counts.at(word)) << word;
    EXPECT_EQ(taken.hash(i), fresh.Prepare(word).hash) << word;
    EXPECT_EQ(taken.PreparedEntry(i).word, word) << i;
  }
  // Left empty: every word is new again, numbered from 0 (a slot kept from before would hand back
  // its old index), through growth past the slots it kept.
  EXPECT_EQ(table.size(), 0);
  Reference second;
  AddRandomWords(17, 120'000, table, second);
  ExpectSame(table, second);
}

// Counting's cycle on one thread's table: reserved for a shard, filled, pruned, handed over, reserved
// again (a no-op on slots it has), and filled by the next shard from index 0.
TEST(WordTableTest, ATableReservedPrunedAndTakenCountsTheNextShardAsANewOne) {
  WordTable table;
  for (int shard = 0; shard < 3; ++shard) {
    table.Reserve(5'000);
    Reference reference;
    AddRandomWords(100 + shard, 30'000, table, reference);
    Reference kept;
    for (const std::string& word : reference.order) {
      if (reference.counts.at(word) > 1) kept.Add(word, reference.counts.at(word));
    }
    table.EraseCountsAtMost(1);
    ExpectSame(table, kept);
    std::vector<int64_t> counts;
    const WordTable taken = table.TakeWords(counts);
    ASSERT_EQ(taken.size(), static_cast<int32_t>(kept.order.size()));
    for (int32_t i = 0; i < taken.size(); ++i) {
      EXPECT_EQ(taken.word(i), kept.order[i]);
      EXPECT_EQ(counts[i], kept.counts.at(kept.order[i]));
    }
    EXPECT_EQ(table.size(), 0);
  }
}

}  // namespace
}  // namespace w2v::io
