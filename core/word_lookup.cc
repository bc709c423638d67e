#include "core/word_lookup.h"

#include <algorithm>

namespace w2v::core {

std::string FoldCase(const std::string& word) {
  std::string folded = word;
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

WordLookup::WordLookup(std::span<const std::string> words) {
  canonical_.resize(words.size());
  for (size_t r = 0; r < words.size(); ++r) {
    const int32_t row = static_cast<int32_t>(r);
    auto [it, inserted] = canonical_of_folded_.emplace(FoldCase(words[r]), row);
    canonical_[r] = it->second;
    if (!inserted) later_spellings_.emplace_back(it->second, row);
  }
  std::sort(later_spellings_.begin(), later_spellings_.end());
}

int32_t WordLookup::Find(const std::string& word) const {
  auto it = canonical_of_folded_.find(FoldCase(word));
  return it == canonical_of_folded_.end() ? -1 : it->second;
}

std::vector<int32_t> WordLookup::Spellings(int32_t row) const {
  std::vector<int32_t> rows = {row};
  auto it = std::lower_bound(later_spellings_.begin(), later_spellings_.end(),
                             std::pair<int32_t, int32_t>(row, -1));
  for (; it != later_spellings_.end() && it->first == row; ++it) rows.push_back(it->second);
  return rows;
}

}  // namespace w2v::core
