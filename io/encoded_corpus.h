// The corpus as the workers read it: each shard's tokens turned into vocabulary ids once, before the
// first epoch, so that no epoch tokenizes or hashes a word again (a 100 MB corpus is about 68 MB of
// ids). Words outside the vocabulary are dropped here, as word2vec drops them while reading; a line
// is a sentence, ended by kSentenceEnd.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "io/corpus.h"
#include "io/vocabulary.h"

namespace w2v::io {

inline constexpr int32_t kSentenceEnd = -1;

// One id list per shard, encoded in parallel by a TBB arena of `threads`. Errors are the corpus's
// own (invalid UTF-8, binary bytes), naming the file and line.
absl::StatusOr<std::vector<std::vector<int32_t>>> EncodeShards(const Corpus& corpus,
                                                               const std::vector<Shard>& shards,
                                                               const Vocabulary& vocab,
                                                               int threads);

// The same ids from what counting recorded of the same shards (Vocabulary::Build's ShardTokens),
// without reading the corpus again; a shard whose tokens counting dropped is read.
absl::StatusOr<std::vector<std::vector<int32_t>>> EncodeShards(const Corpus& corpus,
                                                               const std::vector<Shard>& shards,
                                                               const Vocabulary& vocab,
                                                               std::vector<ShardTokens> counted,
                                                               int threads);

}  // namespace w2v::io
