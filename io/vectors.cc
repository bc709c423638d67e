#include "io/vectors.h"

#include <algorithm>
#include <atomic>
#include <bit>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/shortest_float.h"
#include "oneapi/tbb/parallel_pipeline.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

void AppendFloat(std::string& out, float value) {
  char buffer[kShortestFloatChars];
  out.append(buffer, WriteShortestFloat(buffer, value));
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
  // value), so blocks of rows are formatted in parallel and written in order as each is ready (a
  // pipeline: the file gets a block while later ones are still being formatted, and no thread
  // waits for a whole round), with a few blocks per thread in memory at most.
  constexpr int64_t kRowsPerBlock = 512;
  const auto rows = static_cast<int64_t>(words.size());
  int64_t next_block = 0;
  // The first and last stages run at the same time on different threads: only the last touches
  // `status`, and the first learns of a failure from the flag.
  absl::Status status;
  std::atomic<bool> failed{false};
  tbb::parallel_pipeline(
      static_cast<size_t>(4 * tbb::this_task_arena::max_concurrency()),
      tbb::make_filter<void, int64_t>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& control) -> int64_t {
            if (next_block >= rows || failed.load(std::memory_order_relaxed)) {
              control.stop();
              return 0;
            }
            const int64_t begin = next_block;
            next_block += kRowsPerBlock;
            return begin;
          }) &
          tbb::make_filter<int64_t, std::string>(
              tbb::filter_mode::parallel,
              [&](int64_t begin) {
                // Written through a pointer into room sized for the longest form of every
                // value: appending each one to the string would copy it again.
                const int64_t end = std::min(rows, begin + kRowsPerBlock);
                size_t room = 0;
                for (int64_t w = begin; w < end; ++w) {
                  room += words[w].size() + static_cast<size_t>(vectors.dim) *
                                                (kShortestFloatChars + 1) + 1;
                }
                std::string out(room, '\0');
                char* cursor = out.data();
                for (int64_t w = begin; w < end; ++w) {
                  cursor = std::copy(words[w].begin(), words[w].end(), cursor);
                  cursor = WriteSpacedShortestFloats(
                      cursor, {vectors.row(w), static_cast<size_t>(vectors.dim)});
                  *cursor++ = '\n';
                }
                out.resize(static_cast<size_t>(cursor - out.data()));
                return out;
              }) &
          tbb::make_filter<std::string, void>(tbb::filter_mode::serial_in_order,
                                              [&](const std::string& block) {
                                                if (!status.ok()) return;
                                                status = writer.Write(block);
                                                if (!status.ok()) failed.store(true);
                                              }));
  return status;
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
