#include "io/corpus.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/errno_status.h"
#include "io/utf8.h"

namespace w2v::io {
namespace {

constexpr std::array<bool, 256> kIsSpace = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {' ', '\t', '\n', '\r', '\v', '\f'}) table[c] = true;
  return table;
}();

// Bytes that never occur in text: the control bytes other than whitespace, and DEL.
constexpr std::array<bool, 256> kIsBinary = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = !kIsSpace[c];
  table[0x7f] = true;
  return table;
}();

// Skips, sixteen at a time, the bytes of a token that need no look of their own: all but
// whitespace and the control bytes (all ≤ 0x20) and DEL. Returns where the byte-by-byte loop takes
// over (at most 15 bytes before the end: a load never leaves the mapping), with the skipped bytes'
// high bit (non-ASCII, for the UTF-8 check) ORed into any_high.
int64_t SkipPlainBytes(const unsigned char* data, int64_t pos, int64_t size,
                       unsigned char& any_high) {
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7f);
  while (pos + 16 <= size) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i at_most_space = _mm_cmpeq_epi8(_mm_min_epu8(bytes, space), bytes);
    const auto stops = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(at_most_space, _mm_cmpeq_epi8(bytes, del))));
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(bytes));
    if (stops != 0) {
      const int plain = __builtin_ctz(stops);
      if ((high & ((1u << plain) - 1)) != 0) any_high = 0x80;
      return pos + plain;
    }
    if (high != 0) any_high = 0x80;
    pos += 16;
  }
#endif
  return pos;
}

}  // namespace

absl::StatusOr<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, path, "cannot open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return ErrnoStatus(errno, path, "cannot open");
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a file"));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(path, ": is not a regular file"));
  }
  const int64_t size = st.st_size;
  if (size == 0) {
    ::close(fd);
    return MappedFile(path, nullptr, 0);
  }
  void* data = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (data == MAP_FAILED) return ErrnoStatus(errno, path, "cannot open");
  ::madvise(data, static_cast<size_t>(size), MADV_SEQUENTIAL);
  return MappedFile(path, static_cast<const char*>(data), size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)), data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), static_cast<size_t>(size_));
    path_ = std::move(other.path_);
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), static_cast<size_t>(size_));
}

namespace {

// The regular files directly in `dir`, hidden ones aside, in name order.
absl::StatusOr<std::vector<std::string>> FilesOfDirectory(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator(dir, error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.')) continue;
    std::error_code type_error;
    if (it->is_regular_file(type_error)) files.push_back(it->path().string());
  }
  if (error) return ErrnoStatus(error.value(), dir, "cannot list the directory");
  if (files.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": is a directory with no regular file in it"));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

absl::StatusOr<Corpus> Corpus::Open(const std::vector<std::string>& paths,
                                    const CorpusOptions& options) {
  if (paths.empty()) return absl::InvalidArgumentError("no corpus files given");
  Corpus corpus;
  corpus.options_ = options;
  for (const std::string& path : paths) {
    std::error_code error;
    std::vector<std::string> files = {path};
    if (std::filesystem::is_directory(path, error)) {
      ASSIGN_OR_RETURN(files, FilesOfDirectory(path));
    }
    for (const std::string& file_path : files) {
      ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(file_path));
      corpus.files_.push_back(std::move(file));
    }
  }
  return corpus;
}

int64_t Corpus::total_bytes() const {
  int64_t total = 0;
  for (const MappedFile& f : files_) total += f.size();
  return total;
}

std::vector<Shard> Corpus::MakeShards(int64_t count) const {
  count = std::max<int64_t>(count, 1);
  const double total = static_cast<double>(std::max<int64_t>(total_bytes(), 1));
  std::vector<Shard> shards;
  for (size_t f = 0; f < files_.size(); ++f) {
    const std::string_view data = files_[f].data();
    const int64_t size = files_[f].size();
    if (size == 0) continue;
    const int64_t pieces = std::clamp<int64_t>(std::llround(count * (size / total)), 1, size);
    // Moves a cut forward to a boundary no token crosses.
    auto boundary = [&](int64_t pos) {
      if (options_.format == CorpusFormat::kSst) {
        while (pos < size && data[pos - 1] != '\n') ++pos;
      } else {
        while (pos < size && !kIsSpace[static_cast<unsigned char>(data[pos])]) ++pos;
      }
      return pos;
    };
    int64_t begin = 0;
    for (int64_t i = 1; i <= pieces; ++i) {
      const int64_t end = i == pieces ? size : std::max(begin, boundary(size / pieces * i));
      if (end > begin) shards.push_back({static_cast<int32_t>(f), begin, end});
      begin = end;
    }
  }
  return shards;
}

void Corpus::ReleaseShard(const Shard& shard) const {
  const MappedFile& file = files_[shard.file];
  if (file.size() == 0) return;
  // Only whole pages inside the shard: a page shared with a neighbour may still be in use.
  const auto page = static_cast<int64_t>(sysconf(_SC_PAGESIZE));
  const int64_t begin = (shard.begin + page - 1) / page * page;
  const int64_t end = shard.end == file.size() ? file.size() : shard.end / page * page;
  if (end <= begin) return;
  ::madvise(const_cast<char*>(file.data().data()) + begin, static_cast<size_t>(end - begin),
            MADV_DONTNEED);
}

TokenReader::TokenReader(const Corpus& corpus, const Shard& shard)
    : file_(corpus.files()[shard.file]),
      data_(reinterpret_cast<const unsigned char*>(file_.data().data())),
      size_(file_.size()),
      pos_(shard.begin),
      end_(shard.end),
      options_(corpus.options()),
      at_line_start_(options_.format == CorpusFormat::kSst) {
  // The SST file opens with a header line ("sentence_index<TAB>sentence"), not a sentence.
  if (options_.format == CorpusFormat::kSst && pos_ == 0) {
    while (pos_ < size_ && data_[pos_] != '\n') ++pos_;
    if (pos_ < size_) ++pos_;
  }
}

TokenReader::Event TokenReader::Fail(std::string problem) {
  status_ = absl::InvalidArgumentError(absl::StrCat(
      file_.path(), ":", LineOfOffset(file_.data(), pos_), ": ", problem));
  pos_ = end_;
  return Event::kEnd;
}

// An SST line is "INDEX<TAB>SENTENCE": step past the index.
bool TokenReader::SkipSstIndex() {
  int64_t p = pos_;
  while (p < size_ && data_[p] != '\t' && data_[p] != '\n') ++p;
  if (p >= size_ || data_[p] != '\t') return false;
  pos_ = p + 1;
  at_line_start_ = false;
  return true;
}

// Under kReplace and kSkipLine a line is judged whole, at its first token in this shard, so that
// the shards holding pieces of one line decide alike, and it is counted once: by the shard holding
// its first token. Returns true when the line is skipped (pos_ then sits at its end, or the
// shard's). A line holding binary bytes is never skipped: the tokenizer refuses it.
bool TokenReader::JudgeLineSkipped() {
  int64_t line_start = pos_;
  bool holds_first_token = true;
  while (line_start > 0 && data_[line_start - 1] != '\n') {
    --line_start;
    holds_first_token &= kIsSpace[data_[line_start]];
  }
  const void* newline = std::memchr(data_ + pos_, '\n', static_cast<size_t>(size_ - pos_));
  const int64_t line_end =
      newline != nullptr ? static_cast<const unsigned char*>(newline) - data_ : size_;
  const std::string_view line(reinterpret_cast<const char*>(data_ + line_start),
                              static_cast<size_t>(line_end - line_start));
  if (holds_first_token) ++lines_;
  if (IsValidUtf8(line)) return false;
  if (holds_first_token) ++invalid_lines_;
  if (options_.invalid_utf8 != InvalidUtf8Policy::kSkipLine) return false;
  if (std::any_of(line.begin(), line.end(),
                  [](char c) { return kIsBinary[static_cast<unsigned char>(c)]; })) {
    return false;
  }
  pos_ = std::min(line_end, end_);
  return true;
}

TokenReader::Event TokenReader::Next(std::string_view* token) {
  while (true) {
    while (pos_ < end_ && kIsSpace[data_[pos_]]) {
      if (data_[pos_++] == '\n') {
        at_line_start_ = options_.format == CorpusFormat::kSst;
        line_judged_ = false;
        if (line_has_tokens_) {
          line_has_tokens_ = false;
          return Event::kEndOfLine;
        }
      }
    }
    if (pos_ >= end_) {
      if (line_has_tokens_) {
        line_has_tokens_ = false;
        return Event::kEndOfLine;
      }
      return Event::kEnd;
    }
    if (options_.invalid_utf8 != InvalidUtf8Policy::kError && !line_judged_) {
      line_judged_ = true;
      if (JudgeLineSkipped()) continue;
    }
    if (!at_line_start_) break;
    if (!SkipSstIndex()) return Fail("expected INDEX<TAB>SENTENCE (SST datasetSentences format)");
  }

  // Shards end at whitespace, so a token never crosses `end_`; scanning to the file's end is safe.
  const int64_t start = pos_;
  unsigned char any_high = 0;
  bool control = false;
  pos_ = SkipPlainBytes(data_, pos_, size_, any_high);
  while (pos_ < size_ && !kIsSpace[data_[pos_]]) {
    const unsigned char c = data_[pos_++];
    any_high |= c;
    control |= kIsBinary[c];
  }
  if (control) {
    pos_ = start;
    while (!kIsBinary[data_[pos_]]) ++pos_;
    return Fail(absl::StrFormat("binary data (byte 0x%02x) where text was expected", data_[pos_]));
  }
  std::string_view word(reinterpret_cast<const char*>(data_ + start),
                        static_cast<size_t>(pos_ - start));
  if ((any_high & 0x80) && !IsValidUtf8(word)) {
    if (options_.invalid_utf8 == InvalidUtf8Policy::kError) {
      pos_ = start;
      return Fail("invalid UTF-8");
    }
    // kReplace; or kSkipLine on a line kept for its binary bytes, which another token will refuse.
    ReplaceInvalidUtf8(word, &replaced_);
    word = replaced_;
  }
  if (static_cast<int64_t>(word.size()) > options_.max_token_bytes) {
    size_t length = static_cast<size_t>(options_.max_token_bytes);
    while (length > 0 && (static_cast<unsigned char>(word[length]) & 0xC0) == 0x80) --length;
    word = word.substr(0, length);
    ++truncated_;
  }
  line_has_tokens_ = true;
  *token = word;
  if (options_.lowercase) {
    const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (std::any_of(token->begin(), token->end(), is_upper)) {
      lowered_.assign(*token);
      for (char& c : lowered_) {
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
      }
      *token = lowered_;
    }
  }
  return Event::kToken;
}

int64_t LineOfOffset(std::string_view data, int64_t offset) {
  offset = std::min<int64_t>(offset, static_cast<int64_t>(data.size()));
  return 1 + std::count(data.begin(), data.begin() + offset, '\n');
}

}  // namespace w2v::io
