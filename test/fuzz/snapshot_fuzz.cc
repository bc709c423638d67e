// Fuzzes the snapshot reader. The input's last 8 bytes are overwritten with the checksum of the rest
// that its version calls for (FNV-1a for format 3, the block checksum after), so that mutations
// reach the decoder instead of stopping at the checksum; any bytes then
// give a snapshot or an error naming the file, and a snapshot that loads can be written and read
// back to the same contents and the same matrices, bit for bit.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedding_store.h"
#include "io/corpus.h"
#include "io/snapshot.h"
#include "test/fuzz/fuzz_file.h"

namespace {

using w2v::fuzz::Check;
using w2v::core::ShardProgress;
using w2v::io::SnapshotContents;
using w2v::core::TrainingCounts;

// Floating-point values by their bits: a NaN read from the file must come back the same NaN (and
// compare unequal to itself otherwise), -0 as -0.
template <typename T>
bool SameBits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T, typename Same>
bool SameElements(const std::vector<T>& a, const std::vector<T>& b, Same same) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same);
}

// Each function below binds every member of its struct by name: a member added to the struct stops
// this target from compiling until the member is compared here too.

bool SameCounts(const TrainingCounts& a, const TrainingCounts& b) {
  const auto& [loss_sum, windows, pairs, words, kept] = a;
  return SameBits(loss_sum, b.loss_sum) && windows == b.windows && pairs == b.pairs &&
         words == b.words && kept == b.kept;
}

bool SameShard(const w2v::io::Shard& a, const w2v::io::Shard& b) {
  const auto& [file, begin, end] = a;
  return file == b.file && begin == b.begin && end == b.end;
}

bool SameProgress(const ShardProgress& a, const ShardProgress& b) {
  const auto& [state, position, rng, lr, pending] = a;
  return state == b.state && position == b.position && rng == b.rng && SameBits(lr, b.lr) &&
         SameCounts(pending, b.pending);
}

// One Check per member, so that a finding's stack trace names the member that changed.
void CheckSameContents(const SnapshotContents& a, const SnapshotContents& b) {
  const auto& [program_version, config_toml, vocabulary, corpus_file_sizes, metrics_jsonl, epoch,
               finished, words_done, windows_done, elapsed_seconds, smoothed_loss, ranks, shards,
               progress, totals] = a;
  Check(program_version == b.program_version);
  Check(config_toml == b.config_toml);
  Check(vocabulary == b.vocabulary);
  Check(corpus_file_sizes == b.corpus_file_sizes);
  Check(metrics_jsonl == b.metrics_jsonl);
  Check(epoch == b.epoch);
  Check(finished == b.finished);
  Check(words_done == b.words_done);
  Check(windows_done == b.windows_done);
  Check(SameBits(elapsed_seconds, b.elapsed_seconds));
  Check(SameBits(smoothed_loss, b.smoothed_loss));
  Check(ranks == b.ranks);
  Check(SameElements(shards, b.shards, SameShard));
  Check(SameElements(progress, b.progress, SameProgress));
  Check(SameElements(totals, b.totals, SameCounts));
}

bool SameMatrix(const w2v::core::MatrixView& a, const w2v::core::MatrixView& b) {
  if (a.rows != b.rows || a.dim != b.dim) return false;
  for (int64_t r = 0; r < a.rows; ++r) {
    if (std::memcmp(a.row(r), b.row(r), static_cast<size_t>(a.dim) * sizeof(float)) != 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (bytes.size() >= 8) {
    uint32_t version = 0;
    if (bytes.size() >= 12) std::memcpy(&version, bytes.data() + 8, sizeof(version));
    const size_t body = bytes.size() - 8;
    const uint64_t hash = w2v::io::SnapshotChecksum(
        version, std::string_view(reinterpret_cast<const char*>(bytes.data()), body));
    std::memcpy(bytes.data() + body, &hash, 8);
  }
  const std::string path = w2v::fuzz::WriteInput(bytes.data(), bytes.size());
  auto snapshot = w2v::io::ReadSnapshot(path);
  if (!snapshot.ok()) {
    Check(std::string(snapshot.status().message()).find(path) != std::string::npos);
    return 0;
  }
  const std::string again = path + ".again";
  Check(w2v::io::WriteSnapshot(again, snapshot->contents, snapshot->store).ok());
  const auto reread = w2v::io::ReadSnapshot(again);
  std::remove(again.c_str());
  Check(reread.ok());
  CheckSameContents(snapshot->contents, reread->contents);
  Check(SameMatrix(snapshot->store.center(), reread->store.center()));
  Check(SameMatrix(snapshot->store.outside(), reread->store.outside()));
  return 0;
}
