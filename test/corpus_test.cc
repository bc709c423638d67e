#include "io/corpus.h"
#include "io/token_reader.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "gmock/gmock.h"
#include "io/encoded_corpus.h"
#include "io/utf8.h"
#include "io/vocabulary.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

// Every token of the corpus, in order, with "<eol>" for each sentence boundary, read shard by shard.
struct ReadResult {
  std::vector<std::string> tokens;
  int64_t sentences = 0;
  int64_t truncated = 0;
  int64_t lines = 0;
  int64_t invalid_lines = 0;
  absl::Status status;
};

ReadResult ReadAll(const Corpus& corpus, int64_t shard_count) {
  ReadResult result;
  for (const Shard& shard : corpus.MakeShards(shard_count)) {
    TokenReader reader(corpus, shard);
    std::string_view token;
    for (auto e = reader.Next(&token); e != TokenReader::Event::kEnd; e = reader.Next(&token)) {
      if (e == TokenReader::Event::kToken) {
        result.tokens.emplace_back(token);
      } else {
        ++result.sentences;
      }
    }
    result.truncated += reader.truncated_tokens();
    result.lines += reader.lines();
    result.invalid_lines += reader.invalid_utf8_lines();
    if (!reader.status().ok()) result.status = reader.status();
  }
  return result;
}

Corpus OpenOne(const std::string& path, CorpusOptions options = {}) {
  auto corpus = Corpus::Open({path}, options);
  EXPECT_TRUE(corpus.ok()) << corpus.status();
  return std::move(*corpus);
}

std::vector<std::string> SplitWhitespace(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

TEST(CorpusTest, EveryTokenIsReadExactlyOnceWhateverTheShardCount) {
  const std::vector<std::string> texts = {
      "the quick brown fox\njumps over the lazy dog\n",           // trailing newline
      "the quick brown fox\njumps over the lazy dog",             // none
      "crlf line one\r\ncrlf line two\r\n\r\nafter an empty line\r\n",
      "\n\n  leading blank lines and   runs of   spaces \n\n\n\tand tabs\t\n",
      " anarchism is a political philosophy that advocates stateless societies",  // text8-like
      "x",
      "",
  };
  TempDir dir;
  for (size_t t = 0; t < texts.size(); ++t) {
    dir.Write("c.txt", texts[t]);
    const Corpus corpus = OpenOne(dir.File("c.txt"));
    const auto expected = SplitWhitespace(texts[t]);
    for (int n = 1; n <= 16; ++n) {
      const ReadResult r = ReadAll(corpus, n);
      W2V_EXPECT_OK(r.status);
      EXPECT_EQ(r.tokens, expected) << "text " << t << " with " << n << " shards";
    }
  }
}

// Random texts of `pieces` and whitespace, read whole and in shards with tokens cut at
// `max_bytes`, give what a plain split gives.
void ExpectReadAsASplitGivesThem(const std::vector<std::string>& pieces, int64_t max_bytes) {
  const std::vector<std::string> gaps = {" ", " ", " ", "  ", "\t", "\n", "\r\n", " \n\n ",
                                         "\v", "\f"};
  const auto cut = [&](const std::string& piece) {
    size_t length = std::min<size_t>(piece.size(), max_bytes);
    while (length > 0 && (static_cast<unsigned char>(piece[length]) & 0xC0) == 0x80) --length;
    return piece.substr(0, length);
  };
  core::Rng rng(11);
  TempDir dir;
  for (int text_index = 0; text_index < 40; ++text_index) {
    std::string text;
    std::vector<std::string> expected;  // tokens, and "<eol>" for each sentence end
    int64_t expected_truncated = 0;
    bool line_has_tokens = false;
    const int tokens = 1 + static_cast<int>(rng.Uniform() * 400);
    for (int t = 0; t < tokens; ++t) {
      const std::string& piece = pieces[static_cast<size_t>(rng.Uniform() * pieces.size())];
      text += piece;
      expected.push_back(cut(piece));
      expected_truncated += static_cast<int64_t>(piece.size()) > max_bytes;
      line_has_tokens = true;
      if (t + 1 < tokens || rng.Uniform() < 0.5) {
        const std::string& gap = gaps[static_cast<size_t>(rng.Uniform() * gaps.size())];
        text += gap;
        if (gap.find('\n') != std::string::npos && line_has_tokens) {
          expected.push_back("<eol>");
          line_has_tokens = false;
        }
      }
    }
    if (line_has_tokens) expected.push_back("<eol>");
    dir.Write("c.txt", text);
    CorpusOptions options;
    options.max_token_bytes = max_bytes;
    const Corpus corpus = OpenOne(dir.File("c.txt"), options);
    std::vector<std::string> events;
    int64_t truncated = 0;
    TokenReader reader(corpus, {0, 0, corpus.total_bytes()});
    std::string_view token;
    for (auto e = reader.Next(&token); e != TokenReader::Event::kEnd; e = reader.Next(&token)) {
      events.push_back(e == TokenReader::Event::kToken ? std::string(token) : "<eol>");
    }
    W2V_EXPECT_OK(reader.status());
    truncated += reader.truncated_tokens();
    EXPECT_EQ(events, expected) << "text " << text_index << ", cut at " << max_bytes;
    EXPECT_EQ(truncated, expected_truncated) << "text " << text_index;
    // Cut into shards, the same tokens (a shard may end a sentence inside a line).
    for (const int64_t shards : {3, 7}) {
      std::vector<std::string> only_tokens;
      for (const std::string& e : expected) {
        if (e != "<eol>") only_tokens.push_back(e);
      }
      const ReadResult r = ReadAll(corpus, shards);
      W2V_EXPECT_OK(r.status);
      EXPECT_EQ(r.tokens, only_tokens) << "text " << text_index << ", " << shards << " shards";
      EXPECT_EQ(r.truncated, expected_truncated) << "text " << text_index;
    }
  }
}

// The reader takes plain ASCII text in fast loops (whole 64-byte blocks, then token by token) and
// hands anything else to its general path: tokens of every kind, in random order and over many
// read-aheads, come out as a plain split gives them (the long ones cut at max_token_bytes and
// counted), each line holding tokens ending in a sentence end, whatever the shard count.
TEST(CorpusTest, PlainAndOtherTokensInAnyOrderReadAsASplitGivesThem) {
  // Plain tokens of 1 to 130 bytes: one, two and three 16-byte loads, either side of each cut and
  // of a 64-byte block's length.
  std::vector<std::string> plain = {"a", "the", "anarchism"};
  for (const size_t length : {15, 16, 17, 29, 30, 31, 32, 33, 40, 63, 64, 65, 100, 101, 130}) {
    plain.push_back(std::string(length, static_cast<char>('a' + length % 26)));
  }
  // With tokens the general path takes (non-ASCII, and non-ASCII past the cut) among them; plain
  // tokens alone keep the block loop going.
  std::vector<std::string> mixed = plain;
  for (const std::string& other :
       {std::string("\xc3\xa9t\xc3\xa9"), std::string("na\xc3\xafve"), std::string("\xe2\x82\xac"),
        std::string(20, 'e') + "\xc3\xa9" + std::string(20, 'e')}) {
    mixed.push_back(other);
  }
  // Short plain tokens alone: a read-ahead filled within the blocks, ending on a token or a line
  // end.
  const std::vector<std::string> short_plain(plain.begin(), plain.begin() + 6);
  for (const int64_t max_bytes : {30, 100}) {
    ExpectReadAsASplitGivesThem(mixed, max_bytes);
    ExpectReadAsASplitGivesThem(plain, max_bytes);
    ExpectReadAsASplitGivesThem(short_plain, max_bytes);
  }
}

TEST(CorpusTest, ShardsOfALargerFileCoverItWithoutGapsOrOverlap) {
  std::string text;
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&text, "w", i % 97, i % 13 == 0 ? "\n" : " ");
  TempDir dir;
  dir.Write("c.txt", text);
  const Corpus corpus = OpenOne(dir.File("c.txt"));
  const auto expected = SplitWhitespace(text);
  for (int n : {1, 2, 3, 7, 16, 64}) {
    const auto shards = corpus.MakeShards(n);
    EXPECT_EQ(static_cast<int>(shards.size()), n);
    int64_t next = 0;
    for (const Shard& s : shards) {
      EXPECT_EQ(s.begin, next);
      EXPECT_LT(s.begin, s.end);
      next = s.end;
    }
    EXPECT_EQ(next, static_cast<int64_t>(text.size()));
    EXPECT_EQ(ReadAll(corpus, n).tokens, expected) << n;
  }
}

TEST(CorpusTest, SeveralFilesAreReadInOrder) {
  TempDir dir;
  dir.Write("a.txt", "one two\nthree");
  dir.Write("b.txt", "");
  dir.Write("c.txt", "four\nfive six\n");
  auto corpus = Corpus::Open({dir.File("a.txt"), dir.File("b.txt"), dir.File("c.txt")}, {});
  W2V_ASSERT_OK(corpus);
  for (int n = 1; n <= 8; ++n) {
    const ReadResult r = ReadAll(*corpus, n);
    EXPECT_THAT(r.tokens, ElementsAre("one", "two", "three", "four", "five", "six"));
    // A shard that ends inside a line ends the sentence there: its rest belongs to another worker.
    if (n <= 2) {
      EXPECT_EQ(r.sentences, 4);
    } else {
      EXPECT_GE(r.sentences, 4);
    }
  }
}

TEST(CorpusTest, LinesAreSentences) {
  TempDir dir;
  dir.Write("c.txt", "a b\n\n   \nc\r\nd e f");
  const ReadResult r = ReadAll(OpenOne(dir.File("c.txt")), 1);
  EXPECT_EQ(r.sentences, 3);
}

TEST(CorpusTest, SstFormatSkipsTheHeaderAndTheIndices) {
  // Lower-casing is ASCII only: the double-encoded "Ã" stays as it is.
  const std::string text =
      "sentence_index\tsentence\n"
      "1\tThe Rock is destined to be great .\n"
      "2\tIt 's a -LRB- good -RRB- film .\n"
      "\n"
      "3\tJirÃ­ Menzel\n";
  TempDir dir;
  dir.Write("datasetSentences.txt", text);
  CorpusOptions options;
  options.format = CorpusFormat::kSst;
  options.lowercase = true;
  const Corpus corpus = OpenOne(dir.File("datasetSentences.txt"), options);
  for (int n = 1; n <= 16; ++n) {
    const ReadResult r = ReadAll(corpus, n);
    W2V_EXPECT_OK(r.status);
    EXPECT_THAT(r.tokens, ElementsAre("the", "rock", "is", "destined", "to", "be", "great", ".",
                                      "it", "'s", "a", "-lrb-", "good", "-rrb-", "film", ".",
                                      "jirÃ­", "menzel"))
        << n;
    EXPECT_EQ(r.sentences, 3);
  }
}

TEST(CorpusTest, SstLineWithoutIndexIsAnErrorWithItsLine) {
  TempDir dir;
  dir.Write("s.txt", "sentence_index\tsentence\n1\tfine\nno tab here\n");
  CorpusOptions options;
  options.format = CorpusFormat::kSst;
  const ReadResult r = ReadAll(OpenOne(dir.File("s.txt"), options), 1);
  EXPECT_THAT(r.status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(dir.File("s.txt") + ":3: expected INDEX<TAB>SENTENCE")));
}

TEST(CorpusTest, LongTokensAreCutAtACharacterBoundaryAndCounted) {
  std::string e_acute_60;
  for (int i = 0; i < 60; ++i) e_acute_60 += "\xc3\xa9";  // é, two bytes
  TempDir dir;
  dir.Write("c.txt", "short " + e_acute_60 + " " + std::string(150, 'a') + "\n");
  for (int64_t max_bytes : {100, 101}) {
    CorpusOptions options;
    options.max_token_bytes = max_bytes;
    const ReadResult r = ReadAll(OpenOne(dir.File("c.txt"), options), 1);
    ASSERT_EQ(r.tokens.size(), 3u);
    EXPECT_EQ(r.tokens[0], "short");
    EXPECT_EQ(r.tokens[1].size(), 100u) << max_bytes;  // 50 whole characters either way
    EXPECT_TRUE(IsValidUtf8(r.tokens[1]));
    EXPECT_EQ(r.tokens[2], std::string(max_bytes, 'a'));
    EXPECT_EQ(r.truncated, 2);
  }
}

TEST(CorpusTest, InvalidUtf8IsAnErrorNamingFileAndLine) {
  TempDir dir;
  dir.Write("c.txt", "fine line\nsecond line\nbad \xff\xfe token\n");
  const ReadResult r = ReadAll(OpenOne(dir.File("c.txt")), 1);
  EXPECT_THAT(r.status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(dir.File("c.txt") + ":3: invalid UTF-8")));
}

TEST(CorpusTest, BinaryGarbageIsAnError) {
  TempDir dir;
  dir.Write("c.bin", std::string("ELF\x01\x02\x00\x00garbage", 14));
  const ReadResult r = ReadAll(OpenOne(dir.File("c.bin")), 1);
  EXPECT_THAT(r.status, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr(dir.File("c.bin") + ":1: binary data (byte 0x01)")));
}

TEST(CorpusTest, MissingFileAndDirectory) {
  TempDir dir;
  EXPECT_THAT(Corpus::Open({dir.File("nope.txt")}, {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.txt")));
  EXPECT_THAT(Corpus::Open({dir.path()}, {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(dir.path() + ": is a directory with no regular file in it")));
  EXPECT_THAT(Corpus::Open({}, {}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CorpusTest, ADirectoryIsItsRegularFilesInNameOrder) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("corpus/sub"));
  dir.Write("corpus/b.txt", "two\n");
  dir.Write("corpus/a.txt", "one\n");
  dir.Write("corpus/.hidden", "never\n");
  dir.Write("corpus/sub/c.txt", "nor this\n");
  dir.Write("last.txt", "three\n");
  auto corpus = Corpus::Open({dir.File("corpus"), dir.File("last.txt")}, {});
  W2V_ASSERT_OK(corpus);
  ASSERT_EQ(corpus->files().size(), 3u);
  EXPECT_EQ(corpus->files()[0].path(), dir.File("corpus") + "/a.txt");
  EXPECT_EQ(corpus->files()[1].path(), dir.File("corpus") + "/b.txt");
  EXPECT_THAT(ReadAll(*corpus, 3).tokens, ElementsAre("one", "two", "three"));
}

TEST(CorpusTest, ValidUtf8Passes) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
}

TEST(CorpusTest, ReplacementFollowsPythonsErrorsReplace) {
  // The expected strings are what b"...".decode("utf-8", "replace") gives, as UTF-8.
  const std::string fffd = "\xEF\xBF\xBD";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"caf\xe9", "caf" + fffd},
      {"\xe2\x82", fffd},                            // a truncated 3-byte sequence: one
      {"\xe2\x82x", fffd + "x"},
      {"\xf0\x9f\x98", fffd},                        // a truncated 4-byte sequence: one
      {"\xc0\xaf", fffd + fffd},                      // overlong: each byte
      {"\xed\xa0\x80", fffd + fffd + fffd},           // a surrogate: each byte
      {"\x80\x80", fffd + fffd},                      // lone continuations: each
      {"ok\xc3\xa9\xff\xc3\xa9", "ok\xc3\xa9" + fffd + "\xc3\xa9"},  // valid ones kept
  };
  for (const auto& [in, want] : cases) {
    std::string out;
    ReplaceInvalidUtf8(in, &out);
    EXPECT_EQ(out, want) << absl::CEscape(in);
    EXPECT_TRUE(IsValidUtf8(out));
  }
}

// A corpus whose lines 2 and 5 hold stray bytes, long enough lines that shards cut inside them.
std::string StrayByteCorpus() {
  std::string text;
  for (int line = 1; line <= 6; ++line) {
    for (int i = 0; i < 30; ++i) {
      absl::StrAppend(&text, (line == 2 && i == 7) || (line == 5 && i == 29) ? "caf\xe9" : "w",
                      i, " ");
    }
    text += "\n";
  }
  return text;
}

TEST(CorpusTest, ReplacePolicyRepairsTokensAndCountsEachBadLineOnce) {
  TempDir dir;
  dir.Write("c.txt", StrayByteCorpus());
  CorpusOptions options;
  options.invalid_utf8 = InvalidUtf8Policy::kReplace;
  const Corpus corpus = OpenOne(dir.File("c.txt"), options);
  for (int64_t shards : {1, 2, 7, 40, 400}) {
    const ReadResult r = ReadAll(corpus, shards);
    W2V_EXPECT_OK(r.status);
    ASSERT_EQ(r.tokens.size(), 180u) << shards;
    EXPECT_EQ(r.tokens[37], "caf\xEF\xBF\xBD" "7") << shards;
    EXPECT_EQ(r.tokens[149], "caf\xEF\xBF\xBD" "29") << shards;
    EXPECT_EQ(r.lines, 6) << shards;
    EXPECT_EQ(r.invalid_lines, 2) << shards;
  }
}

TEST(CorpusTest, SkipLinePolicyDropsWholeLinesWhateverTheShardCount) {
  TempDir dir;
  dir.Write("c.txt", StrayByteCorpus());
  CorpusOptions options;
  options.invalid_utf8 = InvalidUtf8Policy::kSkipLine;
  const Corpus corpus = OpenOne(dir.File("c.txt"), options);
  for (int64_t shards : {1, 2, 7, 40, 400}) {
    const ReadResult r = ReadAll(corpus, shards);
    W2V_EXPECT_OK(r.status);
    // Lines 1, 3, 4 and 6: no token of lines 2 and 5, however the shards cut them.
    ASSERT_EQ(r.tokens.size(), 120u) << shards;
    for (const std::string& token : r.tokens) EXPECT_TRUE(IsValidUtf8(token)) << shards;
    EXPECT_EQ(r.lines, 6) << shards;
    EXPECT_EQ(r.invalid_lines, 2) << shards;
  }
  const ReadResult one = ReadAll(corpus, 1);
  EXPECT_EQ(one.sentences, 4);
}

TEST(CorpusTest, BinaryBytesAreRefusedUnderEveryPolicy) {
  TempDir dir;
  constexpr char kText[] = "caf\xe9 ok\nnul\0here caf\xe9\n";
  dir.Write("c.txt", std::string(kText, sizeof(kText) - 1));  // the NUL inside included
  for (InvalidUtf8Policy policy : {InvalidUtf8Policy::kError, InvalidUtf8Policy::kReplace,
                                   InvalidUtf8Policy::kSkipLine}) {
    CorpusOptions options;
    options.invalid_utf8 = policy;
    const ReadResult r = ReadAll(OpenOne(dir.File("c.txt"), options), 1);
    if (policy == InvalidUtf8Policy::kError) {
      EXPECT_THAT(r.status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(":1: invalid")));
    } else {
      EXPECT_THAT(r.status, StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr(dir.File("c.txt") + ":2: binary data (byte 0x00)")));
    }
  }
}

TEST(EncodedCorpusTest, IdsFollowTheTextDroppingUnknownWordsAndEndingSentences) {
  TempDir dir;
  dir.Write("c.txt", "a b zz c\n\nd a\nzz zz\ne");
  const Corpus corpus = OpenOne(dir.File("c.txt"));
  const auto vocab = Vocabulary::FromCounts({{"a", 5}, {"b", 4}, {"c", 3}, {"d", 2}, {"e", 1}},
                                            {.min_count = 1, .subsample = 0}, "test");
  W2V_ASSERT_OK(vocab.status());
  const auto one = EncodeShards(corpus, corpus.MakeShards(1), *vocab, 1);
  W2V_ASSERT_OK(one.status());
  ASSERT_EQ(one->size(), 1u);
  // a=0 b=1 c=2 d=3 e=4; the all-unknown line leaves no empty sentence.
  EXPECT_THAT((*one)[0], ElementsAre(0, 1, 2, kSentenceEnd, 3, 0, kSentenceEnd, 4, kSentenceEnd));

  // Any number of shards holds the same words in the same order.
  for (int64_t n = 2; n <= 8; ++n) {
    const auto many = EncodeShards(corpus, corpus.MakeShards(n), *vocab, 2);
    W2V_ASSERT_OK(many.status());
    std::vector<int32_t> words;
    for (const auto& ids : *many) {
      for (int32_t id : ids) {
        if (id != kSentenceEnd) words.push_back(id);
      }
    }
    EXPECT_THAT(words, ElementsAre(0, 1, 2, 3, 0, 4)) << n << " shards";
  }
}

// Encoding from what counting recorded is the same as reading the corpus again, at any shard
// count, with words under min_count, empty lines and lines of unknown words only; with one table
// per shard and with tables that count several consecutive shards (more shards than 4 per thread);
// and when a table is pruned (its shards' records dropped), those shards are read again to the same
// ids.
TEST(EncodedCorpusTest, CountingsRecordEncodesAsReadingAgain) {
  TempDir dir;
  std::string text;
  core::Rng rng(7);
  for (int line = 0; line < 300; ++line) {
    const int64_t words = static_cast<int64_t>(rng.Uniform() * 12);
    for (int64_t w = 0; w < words; ++w) {
      // Zipf-like ranks: a few frequent words, many seen once or twice (under min_count).
      absl::StrAppend(&text, w == 0 ? "" : " ", "w",
                      static_cast<int64_t>(1.0 / (rng.Uniform() + 0.002)));
    }
    text += line % 17 == 0 ? "\n\n" : "\n";
  }
  dir.Write("c.txt", text);
  const Corpus corpus = OpenOne(dir.File("c.txt"));
  for (const int64_t max_counted_words : {int64_t{100'000'000}, int64_t{40}}) {
    for (const int threads : {1, 2}) {
      for (int64_t n = 1; n <= 13; ++n) {
        const std::vector<Shard> shards = corpus.MakeShards(n);
        const VocabOptions options{.min_count = 3,
                                   .max_counted_words = max_counted_words,
                                   .subsample = 0,
                                   .threads = threads};
        std::vector<ShardTokens> tokens;
        CountStats stats;
        const auto vocab = Vocabulary::Build(corpus, shards, options, &stats, &tokens);
        W2V_ASSERT_OK(vocab.status());
        ASSERT_EQ(tokens.size(), shards.size());
        const bool pruned = std::any_of(tokens.begin(), tokens.end(),
                                        [](const ShardTokens& t) { return !t.complete; });
        EXPECT_EQ(pruned, stats.pruned > 0) << n << " shards";
        if (max_counted_words == 40) {
          EXPECT_TRUE(pruned) << n << " shards";
        }
        const auto read = EncodeShards(corpus, shards, *vocab, 2);
        const auto recorded = EncodeShards(corpus, shards, *vocab, std::move(tokens), 2);
        W2V_ASSERT_OK(read.status());
        W2V_ASSERT_OK(recorded.status());
        EXPECT_EQ(*recorded, *read)
            << n << " shards, " << threads << " threads, max_counted_words " << max_counted_words;
        EXPECT_GT((*read)[0].size(), 0u);
      }
    }
  }
}

TEST(EncodedCorpusTest, CorpusErrorsComeBack) {
  TempDir dir;
  dir.Write("c.txt", "a b\nc \xff d\n");
  const Corpus corpus = OpenOne(dir.File("c.txt"));
  const auto vocab = Vocabulary::FromCounts({{"a", 5}}, {.min_count = 1, .subsample = 0}, "test");
  W2V_ASSERT_OK(vocab.status());
  EXPECT_THAT(EncodeShards(corpus, corpus.MakeShards(1), *vocab, 1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.txt:2: invalid UTF-8")));
}

}  // namespace
}  // namespace w2v::io
