// One run at a time in a directory. A run holds the lock on its output directory (and on the
// directory of the snapshot it resumes) from before it writes anything until its outputs are
// written; a second run into the same directory is refused at once, naming the process that holds
// it. The lock is an flock(2) on DIR/.w2v.lock, which the kernel drops when the holder's process
// ends in any way, so a lock file left behind by a `kill -9` never blocks the next run.
#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace w2v::io {

class DirectoryLock {
 public:
  // Locks the existing directory `dir`. FailedPrecondition, naming `dir` and the holder's process
  // id, when another open of the lock file (another run, or another lock in this process) holds it.
  static absl::StatusOr<DirectoryLock> Acquire(const std::string& dir);

  DirectoryLock(DirectoryLock&& other) noexcept;
  DirectoryLock& operator=(DirectoryLock&& other) noexcept;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();  // removes the lock file, then releases the lock

  const std::string& dir() const { return dir_; }

 private:
  DirectoryLock(std::string dir, int dir_fd, int fd)
      : dir_(std::move(dir)), dir_fd_(dir_fd), fd_(fd) {}
  void Release();

  std::string dir_;
  int dir_fd_ = -1;  // the directory: the release removes the file from it even if it was renamed
  int fd_ = -1;      // the lock file, held open (and flocked) until the release
};

}  // namespace w2v::io
