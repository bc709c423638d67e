// How the evaluations find a word: ignoring ASCII case, the first (most frequent) row of a spelling
// winning, as word2vec's compute-accuracy and gensim's evaluate_word_analogies take them (vectors
// files list rows in frequency order).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace w2v::core {

// Word lookup ignoring ASCII case. Rows whose words differ only in case ("Paris", "paris") are one
// word: it is found at its first (most frequent) row, its canonical row.
class WordLookup {
 public:
  explicit WordLookup(std::span<const std::string> words);

  // The canonical row of `word`, or -1 when no row spells it.
  int32_t Find(const std::string& word) const;
  // canonical()[j]: the canonical row of row j's word (j itself unless an earlier row spells it).
  std::span<const int32_t> canonical() const { return canonical_; }
  // Every row spelling the word of canonical row `row`, `row` first.
  std::vector<int32_t> Spellings(int32_t row) const;

 private:
  absl::flat_hash_map<std::string, int32_t> canonical_of_folded_;
  std::vector<int32_t> canonical_;
  // (canonical row, row) for each later spelling of a word, sorted: few, so a sorted list.
  std::vector<std::pair<int32_t, int32_t>> later_spellings_;
};

// ASCII letters lower-cased; other bytes (UTF-8 included) unchanged.
std::string FoldCase(const std::string& word);

}  // namespace w2v::core
