#include "io/corpus.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "io/errno_status.h"

namespace w2v::io {

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

int64_t LineOfOffset(std::string_view data, int64_t offset) {
  offset = std::min<int64_t>(offset, static_cast<int64_t>(data.size()));
  return 1 + std::count(data.begin(), data.begin() + offset, '\n');
}

}  // namespace w2v::io
