// Training snapshots: everything `w2v resume` needs to continue a run exactly where it stopped — the
// config, the vocabulary, both matrices, and the progress of every shard (position in the shard, RNG state,
// learning rate, counts not yet published) — in one binary file with a format version and a checksum.
//
// Layout (little-endian): "W2VSNAP\n", u32 format version, then the fields in the order of
// WriteSnapshot, then a u64 FNV-1a checksum of every byte before it. Strings and arrays are
// length-prefixed with an i64. The file is written through a temporary file and renamed, so the
// previous snapshot survives a crash or a full disk in the middle of writing the next.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/embedding_store.h"
#include "core/training_progress.h"
#include "io/corpus.h"

namespace w2v::io {

// Bumped whenever the layout changes; a snapshot of a version outside the readable ones is refused.
// 2: smoothed_loss; 3: ranks; 4: the block checksum (io/checksum.h), ten times FNV-1a's speed.
inline constexpr uint32_t kSnapshotFormatVersion = 4;
inline constexpr uint32_t kOldestReadableSnapshotVersion = 3;

struct SnapshotContents {
  std::string program_version;  // the w2v that wrote it, for messages
  std::string config_toml;      // the effective config, as ConfigToToml prints it
  std::vector<std::pair<std::string, int64_t>> vocabulary;  // in id order
  std::vector<int64_t> corpus_file_sizes;  // checked on resume: byte offsets need the same files
  std::string metrics_jsonl;               // the metrics log so far, continued on resume
  int64_t epoch = 0;                       // the epoch in progress
  bool finished = false;                   // every epoch (or iteration) done
  int64_t words_done = 0;                  // published shared counters
  int64_t windows_done = 0;
  double elapsed_seconds = 0;  // training time before this snapshot (metrics' time_s goes on)
  // optim.sampling = "random_context": the assignment's smoothed loss so far (NaN before any).
  double smoothed_loss = std::numeric_limits<double>::quiet_NaN();
  // The processes that trained it (mpirun's -np; 1 without mpirun): each rank's position lies in
  // the shards it owns, so a resume needs as many.
  int64_t ranks = 1;
  std::vector<Shard> shards;   // the shard layout, kept across resumes whatever the thread count
  std::vector<core::ShardProgress> progress;  // one per shard
  std::vector<core::TrainingCounts> totals;   // published, one per shard
};

// Writes `contents` and the store's two matrices to `path` atomically (temporary file, fsync,
// rename). The caller keeps the workers parked while it runs, so the matrices are not moving.
absl::Status WriteSnapshot(const std::string& path, const SnapshotContents& contents,
                           const core::EmbeddingStore& store);

// The checksum a snapshot of `version` ends with, of the bytes before it (io/checksum.h: FNV-1a for
// format 3, the block checksum after).
uint64_t SnapshotChecksum(uint32_t version, std::string_view body);

struct LoadedSnapshot {
  SnapshotContents contents;
  core::EmbeddingStore store;
};

// Reads and verifies a snapshot. Errors name the file: NotFound; InvalidArgument for a file that is
// not a snapshot; FailedPrecondition for another format version; DataLoss for a bad checksum or a
// truncated or inconsistent file.
absl::StatusOr<LoadedSnapshot> ReadSnapshot(const std::string& path);

}  // namespace w2v::io
