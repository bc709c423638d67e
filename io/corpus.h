// Reading the training corpus: memory-mapped files cut into shards at whitespace (io/token_reader.h
// walks one). Every token of the corpus lies in exactly one shard, whatever the number of shards, so
// workers never read a token twice or lose one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "io/config.h"

namespace w2v::io {

// The bytes that separate tokens: ASCII whitespace.
inline constexpr std::array<bool, 256> kIsSpace = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {' ', '\t', '\n', '\r', '\v', '\f'}) table[c] = true;
  return table;
}();

// A read-only memory map of a whole file.
class MappedFile {
 public:
  static absl::StatusOr<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view data() const { return {data_, static_cast<size_t>(size_)}; }
  int64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile(std::string path, const char* data, int64_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const char* data_ = nullptr;
  int64_t size_ = 0;
};

// What the tokenizer needs of the config's corpus section (io/config_options.h maps one to the
// other). The defaults are the config's, so a corpus opened without a config reads as with one.
struct CorpusOptions {
  CorpusFormat format = TrainConfig::Corpus{}.format;
  bool lowercase = TrainConfig::Corpus{}.lowercase;
  int64_t max_token_bytes = TrainConfig::Corpus{}.max_token_bytes;
  InvalidUtf8Policy invalid_utf8 = TrainConfig::Corpus{}.invalid_utf8;
};

// Tokens whose first byte lies in [begin, end) of file `file`.
struct Shard {
  int32_t file = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

class Corpus {
 public:
  // Maps every file. A directory among `paths` stands for every regular file directly in it, in
  // name order, hidden ones (".name") aside, as gensim's PathLineSentences reads one. Errors:
  // NotFound (missing), FailedPrecondition (a directory with no file, a device), and the like.
  static absl::StatusOr<Corpus> Open(const std::vector<std::string>& paths,
                                     const CorpusOptions& options);

  // About `count` shards (at least one per non-empty file), sized by bytes. Text shards start at a
  // whitespace byte; SST shards start at the beginning of a line, since each line opens with an
  // index that must be skipped.
  std::vector<Shard> MakeShards(int64_t count) const;

  const std::vector<MappedFile>& files() const { return files_; }
  const CorpusOptions& options() const { return options_; }
  // Drops the shard's pages from this process's memory (they stay in the page cache and come back
  // if read again): once a pass over a shard is done, its bytes no longer count in the resident size.
  void ReleaseShard(const Shard& shard) const;
  int64_t total_bytes() const;

 private:
  std::vector<MappedFile> files_;
  CorpusOptions options_;
};

// 1-based line number of byte `offset` in `data` (for error messages only: it scans from the start).
int64_t LineOfOffset(std::string_view data, int64_t offset);

// What `policy` did to the lines that were not UTF-8, for the reports of `w2v vocab` and a run.
inline const char* InvalidUtf8Effect(InvalidUtf8Policy policy) {
  return policy == InvalidUtf8Policy::kReplace ? "each bad sequence replaced by U+FFFD" : "skipped";
}

}  // namespace w2v::io
