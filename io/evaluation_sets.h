// The evaluation sets word vectors are measured on: analogy questions (word2vec's
// questions-words.txt format) and word pairs with human similarity scores (WordSim-353, SimLex-999,
// MEN). Malformed lines are InvalidArgument errors naming the file and line.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace w2v::io {

struct AnalogySection {
  std::string name;
  // "a b c d": a is to b as c is to d.
  std::vector<std::array<std::string, 4>> questions;
};

// ": SECTION" lines open sections; every other non-blank line is a question of four words.
absl::StatusOr<std::vector<AnalogySection>> ReadAnalogyQuestions(const std::string& path);

struct WordPair {
  std::string first;
  std::string second;
  double score = 0;
};

// "word1 word2 score" per line, separated by tabs or spaces; blank lines and lines starting with
// '#' (gensim's test files) are skipped.
absl::StatusOr<std::vector<WordPair>> ReadWordPairs(const std::string& path);

}  // namespace w2v::io
