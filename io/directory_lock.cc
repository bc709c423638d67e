#include "io/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "io/errno_status.h"

namespace w2v::io {
namespace {

constexpr char kLockFile[] = ".w2v.lock";

// A lock won on a file its name no longer points to is retried this many times: each retry means
// another run ended in the meantime, so only a file system whose inode numbers are not stable
// could make it run out.
constexpr int kAttempts = 100;

// Whether DIR/.w2v.lock names the file open as `fd`.
bool NamesFile(int dir_fd, int fd) {
  struct stat held {};
  struct stat named {};
  return ::fstat(fd, &held) == 0 &&
         ::fstatat(dir_fd, kLockFile, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

// The refusal when another open of the lock file holds it. Its holder wrote its process id into
// it; the id may be missing for the moment between the holder's flock and its write.
absl::Status HeldBy(const std::string& dir, int fd) {
  char text[32];
  const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
  int64_t pid = 0;
  const bool known = n > 0 &&
                     absl::SimpleAtoi(absl::string_view(text, static_cast<size_t>(n)), &pid) &&
                     pid > 0;
  return absl::FailedPreconditionError(
      absl::StrCat(dir, ": another w2v run ",
                   known ? absl::StrCat("(process ", pid, ") ") : std::string(),
                   "is using this directory; wait for it to finish, or choose another output.dir"));
}

}  // namespace

absl::StatusOr<DirectoryLock> DirectoryLock::Acquire(const std::string& dir) {
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    return ErrnoStatus(errno, dir, "cannot open the directory to lock it",
                       absl::StatusCode::kFailedPrecondition);
  }
  const std::string path = absl::StrCat(dir, "/", kLockFile);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // O_NOFOLLOW: the file is truncated below, so a symbolic link put in its place is refused
    // rather than followed. O_CLOEXEC: a program w2v starts (the plot scripts) must not inherit,
    // and so prolong, the lock.
    const int fd = ::openat(dir_fd, kLockFile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      const int err = errno;
      ::close(dir_fd);
      return ErrnoStatus(err, path, "cannot open the lock file");
    }
    // flock rather than "the file exists": the kernel drops the lock when its holder's last
    // descriptor closes, which a killed process's do, so a stale file never blocks anyone. Two
    // opens conflict even within one process.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const absl::Status refused =
          err == EWOULDBLOCK ? HeldBy(dir, fd) : ErrnoStatus(err, path, "cannot lock");
      ::close(fd);
      ::close(dir_fd);
      return refused;
    }
    // A holder removes the file just before it lets go (Release). A contender that opened the file
    // before that removal wins a lock on an inode no name points to any more, while a third run
    // may already hold the file now under the name: the lock counts only if the name is still this
    // file's, and otherwise the open is tried again.
    if (!NamesFile(dir_fd, fd)) {
      ::close(fd);
      continue;
    }
    DirectoryLock lock(dir, dir_fd, fd);  // from here on its destructor cleans up
    const std::string pid = absl::StrCat(::getpid(), "\n");
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
      return ErrnoStatus(errno, path, "cannot write the lock file");
    }
    return lock;
  }
  ::close(dir_fd);
  return absl::UnavailableError(
      absl::StrCat(path, ": cannot lock: the lock file was replaced on every one of ", kAttempts,
                   " attempts"));
}

DirectoryLock::DirectoryLock(DirectoryLock&& other) noexcept
    : dir_(std::move(other.dir_)),
      dir_fd_(std::exchange(other.dir_fd_, -1)),
      fd_(std::exchange(other.fd_, -1)) {}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
  if (this != &other) {
    Release();
    dir_ = std::move(other.dir_);
    dir_fd_ = std::exchange(other.dir_fd_, -1);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DirectoryLock::~DirectoryLock() { Release(); }

void DirectoryLock::Release() {
  if (fd_ < 0) return;
  // The file goes while the lock is still held, so that a finished run leaves only its outputs and
  // a run that failed before writing any leaves its directory as it found it. Removing a lock file
  // is safe only because every contender checks, after winning the lock, that the name still
  // points to the file it locked (Acquire). The check here leaves alone a file that took the name
  // after this one was removed by hand: it is another run's.
  if (NamesFile(dir_fd_, fd_)) ::unlinkat(dir_fd_, kLockFile, 0);
  ::close(fd_);  // releases the lock
  ::close(dir_fd_);
  fd_ = -1;
  dir_fd_ = -1;
}

}  // namespace w2v::io
