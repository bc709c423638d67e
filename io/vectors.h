// Word vectors on disk in word2vec's formats, readable by word2vec.c's tools and by gensim's
// KeyedVectors.load_word2vec_format: a header "COUNT DIM", then one row per word in vocabulary order.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/matrix.h"
#include "io/atomic_file.h"

namespace w2v::io {

// Text: "word v1 v2 ... vd" per line, each value in the shortest form that reads back to the same
// float. Written through a temporary file and a rename. The rows are formatted in parallel, on the
// caller's TBB arena.
absl::Status WriteVectorsText(const std::string& path, const std::vector<std::string>& words,
                              const core::MatrixView& vectors);

// Binary: "word " then DIM little-endian float32, then '\n' (as word2vec.c writes it).
absl::Status WriteVectorsBinary(const std::string& path, const std::vector<std::string>& words,
                                const core::MatrixView& vectors);

// The same contents into an open writer, left uncommitted: for a caller that writes several
// files at once and commits them only when all succeeded (trainer/run_outputs.h).
absl::Status WriteVectorsText(AtomicFileWriter& writer, const std::vector<std::string>& words,
                              const core::MatrixView& vectors);
absl::Status WriteVectorsBinary(AtomicFileWriter& writer, const std::vector<std::string>& words,
                                const core::MatrixView& vectors);

// {"word": [v1, ..., vd], ...} for the listed words found in `words` (the assignment's
// sample-vectors file); words not in the vocabulary are left out.
absl::Status WriteSampleVectorsJson(const std::string& path,
                                    const std::vector<std::string>& sample_words,
                                    const std::vector<std::string>& words,
                                    const core::MatrixView& vectors);


}  // namespace w2v::io
