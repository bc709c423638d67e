#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "io/errno_status.h"

namespace w2v::io {
namespace {

// stdio's buffer: a write syscall per megabyte rather than per 4 KB.
constexpr size_t kBufferBytes = 1 << 20;
// How much is written before the disk is asked to write it: large enough that the requests stay
// few, small enough that the disk starts early and the final fsync finds little left to do.
constexpr int64_t kWritebackBytes = 8 << 20;

std::string DirectoryOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

absl::StatusOr<AtomicFileWriter> AtomicFileWriter::Open(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a file"));
  }
  std::string temp_path = absl::StrCat(path, ".tmp.XXXXXX");
  const int fd = mkstemp(temp_path.data());
  if (fd < 0) return ErrnoStatus(errno, temp_path, "cannot create a temporary file");
  std::FILE* file = fdopen(fd, "wb");
  if (file == nullptr) {
    ::close(fd);
    ::unlink(temp_path.c_str());
    return ErrnoStatus(errno, temp_path, "cannot open");
  }
  auto buffer = std::make_unique_for_overwrite<char[]>(kBufferBytes);
  std::setvbuf(file, buffer.get(), _IOFBF, kBufferBytes);
  // mkstemp creates 0600; outputs are ordinary files, readable as the user's umask allows.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  return AtomicFileWriter(path, std::move(temp_path), file, std::move(buffer));
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      file_(other.file_),
      buffer_(std::move(other.buffer_)),
      committed_(other.committed_),
      written_(other.written_),
      written_back_(other.written_back_) {
  other.file_ = nullptr;
  other.committed_ = true;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

absl::Status AtomicFileWriter::Write(const void* data, size_t size) {
  if (file_ == nullptr) return absl::FailedPreconditionError(path_ + ": write after close");
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    return ErrnoStatus(errno, path_, "write failed");
  }
  written_ += static_cast<int64_t>(size);
  if (written_ - written_back_ >= kWritebackBytes) return StartWriteback();
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::StartWriteback() {
  if (std::fflush(file_) != 0) return ErrnoStatus(errno, path_, "write failed");
#ifdef __linux__
  // Only a hint: an error here shows again, and is reported, at the fsync.
  ::sync_file_range(fileno(file_), written_back_, written_ - written_back_,
                    SYNC_FILE_RANGE_WRITE);
#endif
  written_back_ = written_;
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::Sync() {
  if (file_ == nullptr) return absl::FailedPreconditionError(path_ + ": already closed");
  if (std::fflush(file_) != 0 || ::fsync(fileno(file_)) != 0) {
    return ErrnoStatus(errno, path_, "write failed");
  }
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::Commit() {
  if (file_ == nullptr) return absl::FailedPreconditionError(path_ + ": already closed");
  std::FILE* file = file_;
  file_ = nullptr;
  const bool flushed = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const int flush_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!flushed || !closed) {
    return ErrnoStatus(flushed ? errno : flush_errno, path_, "write failed");
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return ErrnoStatus(errno, path_, "cannot rename the finished file into place");
  }
  committed_ = true;
  const int dir_fd = ::open(DirectoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  RETURN_IF_ERROR(writer.Write(contents));
  return writer.Commit();
}

absl::Status CheckWritable(const std::string& path) {
  ASSIGN_OR_RETURN(AtomicFileWriter probe, AtomicFileWriter::Open(path));
  return absl::OkStatus();  // the destructor removes the probe without touching `path`
}

}  // namespace w2v::io
