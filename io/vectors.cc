#include "io/vectors.h"

#include <bit>
#include <charconv>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/atomic_file.h"

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

absl::Status WriteVectorsText(const std::string& path, const std::vector<std::string>& words,
                              const core::MatrixView& vectors) {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  BufferedWriter out(writer);
  absl::StrAppend(&out.buffer(), words.size(), " ", vectors.dim, "\n");
  for (size_t w = 0; w < words.size(); ++w) {
    out.buffer() += words[w];
    const float* row = vectors.row(static_cast<int64_t>(w));
    for (int64_t i = 0; i < vectors.dim; ++i) {
      out.buffer() += ' ';
      AppendFloat(out.buffer(), row[i]);
    }
    out.buffer() += '\n';
    RETURN_IF_ERROR(out.MaybeFlush());
  }
  RETURN_IF_ERROR(out.Flush());
  return writer.Commit();
}

absl::Status WriteVectorsBinary(const std::string& path, const std::vector<std::string>& words,
                                const core::MatrixView& vectors) {
  static_assert(std::endian::native == std::endian::little, "word2vec's binary format is little-endian");
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
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
  RETURN_IF_ERROR(out.Flush());
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
