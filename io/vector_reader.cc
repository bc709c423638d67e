#include "io/vector_reader.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "io/corpus.h"
#include "io/text_lines.h"

namespace w2v::io {
namespace {

// Larger dimensions are a corrupt header, not a model: no word2vec tool writes them.
constexpr int64_t kMaxDim = 100'000;
constexpr int64_t kMaxRows = INT32_MAX;  // the evaluators index rows with int32

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// At most 40 bytes of `text` for an error message, with anything unprintable as '?'.
std::string Shown(std::string_view text) {
  std::string shown(text.substr(0, 40));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return text.size() > 40 ? shown + "..." : shown;
}

bool ParseInt(std::string_view text, int64_t* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

// The bytes a text row can hold after its word: numbers, and the letters of nan and inf(inity) in
// either case, so that a NaN in the first row is reported as one rather than read as binary.
bool IsTextNumberByte(char c) {
  return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == ' ' || c == '\t' ||
         c == '\r' || std::string_view("eEnNaAiIfFtTyY").find(c) != std::string_view::npos;
}

// Binary unless the first row, after its word, holds only what text numbers are made of, up to the
// end of its line or the DIM floats a binary row would hold there, and at least one digit or NaN.
// That is 30 byte values of 256; the raw bytes of DIM floats (mantissa bytes close to uniform) fall
// wholly inside them only by a chance that shrinks as 30/256 per byte.
bool LooksLikeText(std::string_view data, size_t first_row, int64_t dim) {
  size_t pos = first_row;
  while (pos < data.size() && data[pos] != ' ' && data[pos] != '\t' && data[pos] != '\n') ++pos;
  const size_t limit = std::min(data.size(), pos + static_cast<size_t>(dim) * sizeof(float) + 1);
  bool has_value = false;
  for (; pos < limit && data[pos] != '\n'; ++pos) {
    const char c = data[pos];
    if (!IsTextNumberByte(c)) return false;
    has_value |= (c >= '0' && c <= '9') || c == 'n' || c == 'N' || c == 'i' || c == 'I';
  }
  return has_value;
}

class Reader {
 public:
  Reader(const MappedFile& file, int64_t max_rows)
      : file_(file), data_(file.data()), max_rows_(max_rows) {}

  absl::StatusOr<WordVectors> Read() {
    if (absl::Status s = ReadHeader(); !s.ok()) return s;
    const int64_t rows = max_rows_ >= 0 ? std::min(count_, max_rows_) : count_;
    const bool text = LooksLikeText(data_, pos_, vectors_.dim);
    // Reserve no more than the file could hold, whatever a corrupt header claims.
    const int64_t min_row_bytes = text ? 2 * vectors_.dim + 1 : 4 * vectors_.dim + 2;
    const int64_t fit = std::min<int64_t>(rows, file_.size() / min_row_bytes + 1);
    vectors_.words.reserve(fit);
    vectors_.values.reserve(fit * vectors_.dim);
    for (int64_t r = 0; r < rows; ++r) {
      if (absl::Status s = text ? ReadTextRow(r) : ReadBinaryRow(r); !s.ok()) return s;
    }
    if (rows == count_) {
      while (pos_ < data_.size() && IsBlank(data_[pos_])) ++pos_;
      if (pos_ < data_.size()) {
        line_ = LineOfOffset(data_, static_cast<int64_t>(pos_));
        if (!text) binary_row_ = count_;
        return absl::InvalidArgumentError(absl::StrCat(Where(), "more rows than the header's ",
                                                       count_, ": '", Shown(NextLine(data_, &pos_)),
                                                       "'"));
      }
    }
    return std::move(vectors_);
  }

 private:
  // "file:LINE: " for text, "file: row R: " for binary (the row being read).
  std::string Where() const {
    if (binary_row_ >= 0) return absl::StrCat(file_.path(), ": row ", binary_row_ + 1, ": ");
    return absl::StrCat(file_.path(), ":", line_, ": ");
  }

  absl::Status ReadHeader() {
    const std::string_view header = NextLine(data_, &pos_);
    const std::vector<std::string_view> fields = SplitFields(header);
    int64_t count = 0, dim = 0;
    if (data_.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_.path(), ":1: empty file; expected a header 'COUNT DIM'"));
    }
    if (fields.size() != 2 || !ParseInt(fields[0], &count) || !ParseInt(fields[1], &dim)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_.path(), ":1: expected a header of two integers 'COUNT DIM', got '",
                       Shown(header), "'"));
    }
    if (count < 0 || count > kMaxRows) {
      return absl::InvalidArgumentError(absl::StrCat(file_.path(), ":1: the header's row count ",
                                                     count, " is out of range [0, ", kMaxRows,
                                                     "]"));
    }
    if (dim < 1 || dim > kMaxDim) {
      return absl::InvalidArgumentError(absl::StrCat(file_.path(), ":1: the header's dimension ",
                                                     dim, " is out of range [1, ", kMaxDim, "]"));
    }
    count_ = count;
    vectors_.dim = dim;
    vectors_.header_rows = count;
    line_ = 2;
    return absl::OkStatus();
  }

  absl::Status RowsMissing(int64_t rows_read) const {
    return absl::InvalidArgumentError(absl::StrCat(Where(), "the file ends after ", rows_read,
                                                   " rows; the header says ", count_));
  }

  absl::Status ReadTextRow(int64_t r) {
    if (pos_ >= data_.size()) return RowsMissing(r);
    const std::string_view line = NextLine(data_, &pos_);
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t word_start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i == word_start) return absl::InvalidArgumentError(absl::StrCat(Where(), "empty row"));
    vectors_.words.emplace_back(line.substr(word_start, i - word_start));

    const int64_t dim = vectors_.dim;
    const size_t first = vectors_.values.size();
    vectors_.values.resize(first + dim);
    float* row = vectors_.values.data() + first;
    int64_t found = 0;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i == line.size()) break;
      size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
      float value = 0;
      const auto [parsed_end, error] = std::from_chars(line.data() + i, line.data() + end, value);
      // from_chars reports ERANGE for values beyond float; they are not finite numbers either.
      if (parsed_end != line.data() + end ||
          (error != std::errc() && error != std::errc::result_out_of_range)) {
        return absl::InvalidArgumentError(absl::StrCat(Where(), "value ", found + 1, " '",
                                                       Shown(line.substr(i, end - i)),
                                                       "' is not a number"));
      }
      if (error == std::errc::result_out_of_range || !std::isfinite(value)) {
        return absl::InvalidArgumentError(absl::StrCat(Where(), "value ", found + 1, " '",
                                                       Shown(line.substr(i, end - i)),
                                                       "' is not a finite number"));
      }
      if (found < dim) row[found] = value;
      ++found;
      i = end;
    }
    if (found != dim) {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(), "expected ", dim, " values, found ", found));
    }
    ++line_;
    return absl::OkStatus();
  }

  absl::Status ReadBinaryRow(int64_t r) {
    static_assert(std::endian::native == std::endian::little,
                  "word2vec's binary format is little-endian");
    binary_row_ = r;
    // word2vec.c ends a row with '\n', gensim does not: skip whatever whitespace comes first.
    while (pos_ < data_.size() && IsBlank(data_[pos_])) ++pos_;
    if (pos_ >= data_.size()) return RowsMissing(r);
    size_t word_end = pos_;
    while (word_end < data_.size() && data_[word_end] != ' ' && data_[word_end] != '\n') ++word_end;
    const std::string_view word = data_.substr(pos_, word_end - pos_);
    if (word_end >= data_.size() || data_[word_end] != ' ') {
      return absl::InvalidArgumentError(absl::StrCat(
          Where(), "expected a word and a space before the values, got '", Shown(word), "'"));
    }
    const int64_t dim = vectors_.dim;
    const size_t needed = static_cast<size_t>(dim) * sizeof(float);
    const size_t left = data_.size() - (word_end + 1);
    if (left < needed) {
      return absl::DataLossError(absl::StrCat(Where(), "'", Shown(word), "' is truncated: ", dim,
                                              " floats need ", needed, " bytes, ", left,
                                              " are left"));
    }
    const size_t first = vectors_.values.size();
    vectors_.values.resize(first + dim);
    float* row = vectors_.values.data() + first;
    std::memcpy(row, data_.data() + word_end + 1, needed);
    for (int64_t i = 0; i < dim; ++i) {
      if (!std::isfinite(row[i])) {
        return absl::InvalidArgumentError(absl::StrCat(Where(), "'", Shown(word), "': value ",
                                                       i + 1, " is not a finite number (", row[i],
                                                       ")"));
      }
    }
    vectors_.words.emplace_back(word);
    pos_ = word_end + 1 + needed;
    return absl::OkStatus();
  }

  const MappedFile& file_;
  std::string_view data_;
  int64_t max_rows_;
  int64_t count_ = 0;
  size_t pos_ = 0;
  int64_t line_ = 1;
  int64_t binary_row_ = -1;
  WordVectors vectors_;
};

}  // namespace

absl::StatusOr<WordVectors> ReadVectors(const std::string& path, int64_t max_rows) {
  absl::StatusOr<MappedFile> file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  return Reader(*file, max_rows).Read();
}

}  // namespace w2v::io
