// Every file the program writes goes through here: into a temporary file beside the target, flushed
// and fsynced, then renamed over it. A crash, a kill or a full disk at any moment leaves either the
// old file or the new one, never half of one.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace w2v::io {

class AtomicFileWriter {
 public:
  // Creates a temporary file in the target's directory (same file system, so rename is atomic).
  static absl::StatusOr<AtomicFileWriter> Open(const std::string& path);

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();  // removes the temporary file unless Commit() succeeded

  // Large files go to the disk while they are still being written (a writeback is started every
  // few megabytes), so the fsync at the end waits only for the last of them.
  absl::Status Write(const void* data, size_t size);
  absl::Status Write(std::string_view text) { return Write(text.data(), text.size()); }

  // Flushes and fsyncs what was written, leaving the file open and uncommitted: the slow half of
  // Commit, for a caller that writes several files at once and renames them after.
  absl::Status Sync();

  // Flushes, fsyncs, closes and renames the temporary file over the target, then fsyncs the
  // directory so the rename itself survives a power loss.
  absl::Status Commit();

  const std::string& path() const { return path_; }

 private:
  AtomicFileWriter(std::string path, std::string temp_path, std::FILE* file,
                   std::unique_ptr<char[]> buffer)
      : path_(std::move(path)),
        temp_path_(std::move(temp_path)),
        file_(file),
        buffer_(std::move(buffer)) {}

  // Hands the bytes written since the last call to the disk without waiting for them.
  absl::Status StartWriteback();

  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  // stdio's buffer, ours: glibc ignores the size asked for unless it is given the memory. Declared
  // after file_ so that it outlives the fclose in the destructor.
  std::unique_ptr<char[]> buffer_;
  bool committed_ = false;
  int64_t written_ = 0;       // bytes given to Write
  int64_t written_back_ = 0;  // of which the disk was asked to write this many already
};

// Writes `contents` to `path` atomically.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Fails unless a file can be created in `path`'s directory (checked before a long run starts).
absl::Status CheckWritable(const std::string& path);

}  // namespace w2v::io
