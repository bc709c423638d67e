// Line and field splitting shared by the readers of small text formats (vectors, evaluation sets).
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace w2v::io {

// The line starting at `*pos` without its '\n' or "\r\n"; `*pos` moves to the next line.
inline std::string_view NextLine(std::string_view data, size_t* pos) {
  const size_t end = std::min(data.find('\n', *pos), data.size());
  std::string_view line = data.substr(*pos, end - *pos);
  *pos = std::min(end + 1, data.size());
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The fields of a line separated by runs of spaces and tabs.
inline std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

}  // namespace w2v::io
