// Counting a corpus's words: its shards read in parallel, runs of consecutive shards each counted
// in a table of its own (at most 4 tables a thread), with each shard's tokens recorded as it goes
// so that it can be encoded as ids without a second read. Vocabulary::Build merges the tables and
// keeps what reaches min_count.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "io/corpus.h"
#include "io/word_table.h"

namespace w2v::io {

// What counting saw, for the report `w2v vocab` prints.
struct CountStats {
  int64_t tokens = 0;
  int64_t bytes = 0;
  int64_t distinct = 0;          // distinct words before min_count and max_vocab
  int64_t truncated_tokens = 0;  // tokens cut at max_token_bytes
  int64_t pruned = 0;  // words dropped while counting to bound memory (see CountWords)
  int64_t invalid_utf8_lines = 0;  // lines repaired or skipped under corpus.invalid_utf8
  double seconds = 0;
};

// A shard's tokens as counting saw them, so that it can be encoded as vocabulary ids without a
// second read (io/encoded_corpus.h): each token as the index of its word in the table that counted
// the shard, each line's end as kLineEnd, and word_ids giving each such word's vocabulary id (or
// Vocabulary::kNotFound), shared by the consecutive shards one table counted. `complete` is false,
// and the rest empty, when that table was pruned while counting: the pruned words' indices no
// longer name anything.
struct ShardTokens {
  static constexpr int32_t kLineEnd = -1;
  std::vector<int32_t> tokens;
  std::shared_ptr<const std::vector<int32_t>> word_ids;
  bool complete = true;
};

// The tables counting filled, in the order of the shards they counted.
struct CountedWords {
  // Table t counted shards [first_shard[t], first_shard[t + 1]).
  std::vector<size_t> first_shard;
  // Each table's words by index, with their hashes (WordTable::TakeWords), and their counts.
  std::vector<WordTable> tables;
  std::vector<std::vector<int64_t>> counts;
  // Whether table t's shards have their tokens recorded (ShardTokens::complete).
  std::vector<bool> recorded;
  // tokens, truncated_tokens, pruned and invalid_utf8_lines.
  CountStats stats;
};

// Counts `shards` on `threads` threads; with `tokens`, also records each shard's ShardTokens. A
// table that grows past its share of `max_counted_words` (or 10 × max_vocab words when that is
// less, and max_vocab > 0) drops the words seen at most n times (n = 1, 2, ...), as word2vec's
// ReduceVocab does, so memory stays bounded however many distinct tokens the corpus holds; counts
// of pruned words are then lower bounds. Errors: the corpus's own (naming file and line);
// InvalidArgument when a file has more than 1% of lines that are not UTF-8 under the replace or
// skip_line policy.
absl::StatusOr<CountedWords> CountWords(const Corpus& corpus, const std::vector<Shard>& shards,
                                        int threads, int64_t max_counted_words, int64_t max_vocab,
                                        std::vector<ShardTokens>* tokens);

}  // namespace w2v::io
