#include "io/evaluation_sets.h"

#include <cmath>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "io/corpus.h"
#include "io/text_lines.h"

namespace w2v::io {
namespace {

absl::Status LineError(const std::string& path, int64_t line, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", problem));
}

// Calls visit(line number, fields) for every line of `path` that has a field; stops at
// the first error `visit` returns.
template <typename Visit>
absl::Status VisitLines(const std::string& path, Visit visit) {
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  const std::string_view data = file->data();
  size_t pos = 0;
  for (int64_t line_number = 1; pos < data.size(); ++line_number) {
    const std::vector<std::string_view> fields = SplitFields(NextLine(data, &pos));
    if (fields.empty()) continue;
    if (absl::Status s = visit(line_number, fields); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<AnalogySection>> ReadAnalogyQuestions(const std::string& path) {
  std::vector<AnalogySection> sections;
  int64_t questions = 0;
  absl::Status status =
      VisitLines(path, [&](int64_t line_number, const std::vector<std::string_view>& fields) {
        if (fields[0] == ":") {
          if (fields.size() < 2) return LineError(path, line_number, "a section line with no name");
          // The name runs from its first field to the end of the line, spaces and all.
          const char* name_end = fields.back().data() + fields.back().size();
          sections.push_back({std::string(fields[1].data(), name_end), {}});
          return absl::OkStatus();
        }
        if (sections.empty()) {
          return LineError(path, line_number, "a question before the first ': SECTION' line");
        }
        if (fields.size() != 4) {
          return LineError(path, line_number,
                           absl::StrCat("expected 4 words 'a b c d', found ", fields.size()));
        }
        sections.back().questions.push_back({std::string(fields[0]), std::string(fields[1]),
                                             std::string(fields[2]), std::string(fields[3])});
        ++questions;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (questions == 0) return absl::InvalidArgumentError(absl::StrCat(path, ": no questions"));
  return sections;
}

absl::StatusOr<std::vector<WordPair>> ReadWordPairs(const std::string& path) {
  std::vector<WordPair> pairs;
  absl::Status status = VisitLines(path, [&](int64_t line_number,
                                             const std::vector<std::string_view>& fields) {
    if (fields[0][0] == '#') return absl::OkStatus();
    if (fields.size() != 3) {
      return LineError(
          path, line_number,
          absl::StrCat("expected 'word1 word2 score', found ", fields.size(), " fields"));
    }
    WordPair pair{std::string(fields[0]), std::string(fields[1]), 0};
    if (!absl::SimpleAtod(std::string(fields[2]), &pair.score) || !std::isfinite(pair.score)) {
      return LineError(path, line_number,
                       absl::StrCat("the score '", std::string(fields[2]), "' is not a number"));
    }
    pairs.push_back(std::move(pair));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (pairs.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no word pairs"));
  return pairs;
}

}  // namespace w2v::io
