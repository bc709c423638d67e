#include "io/vectors.h"

#include <algorithm>
#include <bit>
#include <charconv>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "oneapi/tbb/parallel_for.h"

namespace w2v::io {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

void AppendFloat(std::string& out, float value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

// Buffers output and hands it to the writer a megabyte at a time.
class BufferedWriter {
 public:
  explicit BufferedWriter(AtomicFileWriter& writer) : writer_(writer) {}
  std::string& buffer() { return buffer_; }
  absl::Status MaybeFlush() {
    if (buffer_.size() < kFlushBytes) return absl::OkStatus();
    return Flush();
  }
  absl::Status Flush() {
    RETURN_IF_ERROR(writer_.Write(buffer_));
    buffer_.clear();
    return absl::OkStatus();
  }

 private:
  AtomicFileWriter& writer_;
  std::string buffer_;
};

// A JSON string literal of `text` (quotes and escapes added).
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

absl::Status WriteVectorsText(AtomicFileWriter& writer, const std::vector<std::string>& words,
                              const core::MatrixView& vectors) {
  RETURN_IF_ERROR(writer.Write(absl::StrCat(words.size(), " ", vectors.dim, "\n")));
  // Formatting the floats is most of the time (the shortest form takes tens of nanoseconds a
  // value), so blocks of rows are formatted in parallel, a round of them at a time to bound the
  // memory, and written in order.
  constexpr int64_t kRowsPerBlock = 1024;
  constexpr int64_t kBlocksPerRound = 16;
  const auto rows = static_cast<int64_t>(words.size());
  std::vector<std::string> blocks(kBlocksPerRound);
  for (int64_t first = 0; first < rows; first += kRowsPerBlock * kBlocksPerRound) {
    const int64_t count =
        std::min(kBlocksPerRound, (rows - first + kRowsPerBlock - 1) / kRowsPerBlock);
    tbb::parallel_for(int64_t{0}, count, [&](int64_t b) {
      std::string& out = blocks[b];
      out.clear();
      const int64_t begin = first + b * kRowsPerBlock;
      for (int64_t w = begin; w < std::min(rows, begin + kRowsPerBlock); ++w) {
        out += words[w];
        const float* row = vectors.row(w);
        for (int64_t i = 0; i < vectors.dim; ++i) {
          out += ' ';
          AppendFloat(out, row[i]);
        }
        out += '\n';
      }
    });
    for (int64_t b = 0; b < count; ++b) RETURN_IF_ERROR(writer.Write(blocks[b]));
  }
  return absl::OkStatus();
}

absl::Status WriteVectorsText(const std::string& path, const std::vector<std::string>& words,
                              const core::MatrixView& vectors) {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  RETURN_IF_ERROR(WriteVectorsText(writer, words, vectors));
  return writer.Commit();
}

absl::Status WriteVectorsBinary(AtomicFileWriter& writer, const std::vector<std::string>& words,
                                const core::MatrixView& vectors) {
  static_assert(std::endian::native == std::endian::little, "word2vec's binary format is little-endian");
  BufferedWriter out(writer);
  absl::StrAppend(&out.buffer(), words.size(), " ", vectors.dim, "\n");
  for (size_t w = 0; w < words.size(); ++w) {
    out.buffer() += words[w];
    out.buffer() += ' ';
    out.buffer().append(reinterpret_cast<const char*>(vectors.row(static_cast<int64_t>(w))),
                        static_cast<size_t>(vectors.dim) * sizeof(float));
    out.buffer() += '\n';
    RETURN_IF_ERROR(out.MaybeFlush());
  }
  return out.Flush();
}

absl::Status WriteVectorsBinary(const std::string& path, const std::vector<std::string>& words,
                                const core::MatrixView& vectors) {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  RETURN_IF_ERROR(WriteVectorsBinary(writer, words, vectors));
  return writer.Commit();
}

absl::Status WriteSampleVectorsJson(const std::string& path,
                                    const std::vector<std::string>& sample_words,
                                    const std::vector<std::string>& words,
                                    const core::MatrixView& vectors) {
  absl::flat_hash_map<std::string, int64_t> index;
  for (size_t w = 0; w < words.size(); ++w) index.emplace(words[w], static_cast<int64_t>(w));
  std::string json = "{";
  bool first = true;
  for (const std::string& word : sample_words) {
    auto it = index.find(word);
    if (it == index.end()) continue;
    absl::StrAppend(&json, first ? "\n  " : ",\n  ", JsonString(word), ": [");
    first = false;
    const float* row = vectors.row(it->second);
    for (int64_t i = 0; i < vectors.dim; ++i) {
      if (i > 0) json += ", ";
      AppendFloat(json, row[i]);
    }
    json += "]";
  }
  json += "\n}\n";
  return WriteFileAtomically(path, json);
}

}  // namespace w2v::io
