// Reading word vectors in word2vec's text and binary formats as the tools around it write them:
// word2vec.c (text rows end with a space; binary rows end with a newline), gensim (binary rows with
// no newline), fastText's .vec (text), with LF or CRLF line ends. A header "COUNT DIM" comes first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace w2v::io {

struct WordVectors {
  int64_t rows() const { return static_cast<int64_t>(words.size()); }
  const float* row(int64_t r) const { return values.data() + r * dim; }

  std::vector<std::string> words;  // in file order, which is frequency order for word2vec's tools
  std::vector<float> values;       // row-major: word r's vector is values[r * dim, (r + 1) * dim)
  int64_t dim = 0;
  int64_t header_rows = 0;  // the header's COUNT: more than rows() when reading stopped early
};

// Reads `path`, telling text from binary by the bytes after the first word (a text row holds only
// digits, signs, points, exponents and spaces there; binary floats almost never do). With
// `max_rows` >= 0 it stops after that many rows and reads nothing beyond them, as gensim's `limit`
// does. Every malformed input is an InvalidArgument (DataLoss for a truncated binary row) naming
// the file and the line (text) or row (binary): a header that is not two integers, fewer rows than
// the header says, a row with the wrong number of values, a value that is not a finite number, data
// after the last row.
absl::StatusOr<WordVectors> ReadVectors(const std::string& path, int64_t max_rows = -1);

}  // namespace w2v::io
