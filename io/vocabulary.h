// The vocabulary: words with their counts, ids sorted by descending count (ties by the word's bytes,
// so every build is deterministic), and each word's subsampling keep-probability computed once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "io/config.h"
#include "io/corpus.h"
#include "io/word_counting.h"

namespace w2v::io {

// What building a vocabulary needs of the config (io/config_options.h maps one to the other); the
// defaults are the config's.
struct VocabOptions {
  int64_t min_count = TrainConfig::Vocab{}.min_count;
  int64_t max_vocab = TrainConfig::Vocab{}.max_vocab;  // 0: no cap
  int64_t max_counted_words = TrainConfig::Vocab{}.max_counted_words;
  // The threshold t of the keep-probability; 0 keeps every token.
  double subsample = TrainConfig::Model{}.subsample;
  int threads = 1;  // for counting
  // Appended, so that designated initialisers in the order above still compile.
  // Which keep-probability the threshold feeds (core::KeepProbability).
  SubsampleFormula subsample_formula = TrainConfig::Model{}.subsample_formula;
  // Build only: a word whose count goes up by 1 after counting (a new word gets count 1), as the
  // assignment's treebank reader adds "UNK"; kept, it makes total_count() the tokens + 1. min_count
  // and max_vocab apply to it like to any word (with min_count > 1 an unseen one is dropped); ""
  // adds none. Read takes a vocabulary file as it is and ignores it.
  std::string unk_word = TrainConfig::Vocab{}.unk_word;
};

class Vocabulary {
 public:
  static constexpr int32_t kNotFound = -1;

  // Counts the corpus in parallel (CountWords, which bounds memory by pruning rare words), merges
  // the counts (MergeWordCounts) and keeps what FromCounts keeps. Errors: counting's;
  // FailedPrecondition when the corpus has no token or no word reaches min_count.
  static absl::StatusOr<Vocabulary> Build(const Corpus& corpus, const VocabOptions& options,
                                          CountStats* stats = nullptr);
  // The same over the given shards; with `tokens`, also each shard's ShardTokens, recorded in the
  // counting pass.
  static absl::StatusOr<Vocabulary> Build(const Corpus& corpus, const std::vector<Shard>& shards,
                                          const VocabOptions& options, CountStats* stats,
                                          std::vector<ShardTokens>* tokens);

  // Reads word2vec's vocabulary format, one `word count` a line, and applies min_count/max_vocab.
  static absl::StatusOr<Vocabulary> Read(const std::string& path, const VocabOptions& options);

  // Sorts, filters by min_count and max_vocab, and computes keep-probabilities.
  static absl::StatusOr<Vocabulary> FromCounts(std::vector<std::pair<std::string, int64_t>> counts,
                                               const VocabOptions& options,
                                               const std::string& source);

  // Writes word2vec's format through a temporary file and a rename.
  absl::Status Write(const std::string& path) const;

  int32_t Find(std::string_view word) const;
  int32_t size() const { return static_cast<int32_t>(words_.size()); }
  const std::string& word(int32_t id) const { return words_[id]; }
  int64_t count(int32_t id) const { return counts_[id]; }
  float keep_probability(int32_t id) const { return keep_probabilities_[id]; }
  std::span<const int64_t> counts() const { return counts_; }
  std::span<const float> keep_probabilities() const { return keep_probabilities_; }
  // Σ counts: the tokens of the corpus that are in the vocabulary (word2vec's train_words).
  int64_t total_count() const { return total_count_; }

 private:
  std::vector<std::string> words_;
  std::vector<int64_t> counts_;
  std::vector<float> keep_probabilities_;
  absl::flat_hash_map<std::string, int32_t> index_;
  int64_t total_count_ = 0;
};

}  // namespace w2v::io
