#include "io/snapshot.h"

#include <bit>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/checksum.h"

namespace w2v::io {
namespace {

constexpr char kMagic[8] = {'W', '2', 'V', 'S', 'N', 'A', 'P', '\n'};
static_assert(std::endian::native == std::endian::little, "snapshots are little-endian");

// Appends fields to the file and to the checksum at once.
class Encoder {
 public:
  explicit Encoder(AtomicFileWriter& writer) : writer_(writer) {}

  void Bytes(const void* data, size_t size) {
    if (!status_.ok()) return;
    hash_.Add(data, size);
    status_ = writer_.Write(data, size);
  }
  template <typename T>
    requires std::is_arithmetic_v<T>
  void Put(T value) {
    Bytes(&value, sizeof(value));
  }
  void String(std::string_view text) {
    Put<int64_t>(static_cast<int64_t>(text.size()));
    Bytes(text.data(), text.size());
  }
  void Matrix(const core::MatrixView& matrix) {
    for (int64_t r = 0; r < matrix.rows; ++r) {
      Bytes(matrix.row(r), static_cast<size_t>(matrix.dim) * sizeof(float));
    }
  }
  absl::Status Finish() {
    const uint64_t checksum = hash_.value();
    if (status_.ok()) status_ = writer_.Write(&checksum, sizeof(checksum));
    return status_;
  }

 private:
  AtomicFileWriter& writer_;
  BlockChecksum hash_;
  absl::Status status_;
};

// Reads fields back with a bounds check on every one: a damaged length can never read past the end
// or allocate more than the file holds.
class Decoder {
 public:
  Decoder(const std::string& path, std::string_view data) : path_(path), data_(data) {}

  bool Bytes(void* out, size_t size) {
    if (!ok_ || size > data_.size() - pos_) return Fail();
    std::memcpy(out, data_.data() + pos_, size);
    pos_ += size;
    return true;
  }
  template <typename T>
    requires std::is_arithmetic_v<T>
  T Get() {
    T value{};
    Bytes(&value, sizeof(value));
    return value;
  }
  // A length or count of items of `item_bytes` each that must fit in what is left of the file.
  int64_t Count(size_t item_bytes) {
    const auto n = Get<int64_t>();
    if (n < 0 || static_cast<uint64_t>(n) > (data_.size() - pos_) / item_bytes) {
      Fail();
      return 0;
    }
    return n;
  }
  std::string String() {
    const int64_t n = Count(1);
    std::string text(static_cast<size_t>(n), '\0');
    Bytes(text.data(), text.size());
    return text;
  }
  void Matrix(const core::MatrixView& matrix) {
    for (int64_t r = 0; r < matrix.rows && ok_; ++r) {
      Bytes(matrix.row(r), static_cast<size_t>(matrix.dim) * sizeof(float));
    }
  }

  bool ok() const { return ok_; }
  size_t remaining() const { return data_.size() - pos_; }
  absl::Status Error(const std::string& what) const {
    return absl::DataLossError(absl::StrCat(path_, ": damaged snapshot: ", what));
  }

 private:
  bool Fail() {
    ok_ = false;
    return false;
  }

  const std::string& path_;
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void EncodeCounts(Encoder& out, const core::TrainingCounts& t) {
  out.Put<double>(t.loss_sum);
  for (int64_t n : {t.windows, t.pairs, t.words, t.kept}) out.Put<int64_t>(n);
}

void DecodeCounts(Decoder& in, core::TrainingCounts& t) {
  t.loss_sum = in.Get<double>();
  for (int64_t* n : {&t.windows, &t.pairs, &t.words, &t.kept}) *n = in.Get<int64_t>();
}

void EncodeShard(Encoder& out, const Shard& shard, const core::ShardProgress& p,
                 const core::TrainingCounts& t) {
  out.Put<int32_t>(shard.file);
  out.Put<int64_t>(shard.begin);
  out.Put<int64_t>(shard.end);
  out.Put<uint8_t>(static_cast<uint8_t>(p.state));
  out.Put<int64_t>(p.position);
  for (uint64_t word : p.rng) out.Put<uint64_t>(word);
  out.Put<float>(p.lr);
  EncodeCounts(out, p.pending);
  EncodeCounts(out, t);
}

void DecodeShard(Decoder& in, Shard& shard, core::ShardProgress& p, core::TrainingCounts& t) {
  shard.file = in.Get<int32_t>();
  shard.begin = in.Get<int64_t>();
  shard.end = in.Get<int64_t>();
  p.state = static_cast<core::ShardProgress::State>(in.Get<uint8_t>());
  p.position = in.Get<int64_t>();
  for (uint64_t& word : p.rng) word = in.Get<uint64_t>();
  p.lr = in.Get<float>();
  DecodeCounts(in, p.pending);
  DecodeCounts(in, t);
}

// The bytes of one shard record, for bounding the shard count by the file's size.
constexpr size_t kCountsBytes = 8 + 4 * 8;
constexpr size_t kShardRecordBytes = 4 + 8 + 8 + 1 + 8 + 32 + 4 + 2 * kCountsBytes;

absl::Status CheckShards(const Decoder& in, const SnapshotContents& c) {
  for (size_t s = 0; s < c.shards.size(); ++s) {
    const Shard& shard = c.shards[s];
    const core::ShardProgress& p = c.progress[s];
    const bool file_ok = shard.file >= 0 &&
                         static_cast<size_t>(shard.file) < c.corpus_file_sizes.size();
    if (!file_ok || shard.begin < 0 || shard.begin > shard.end ||
        shard.end > c.corpus_file_sizes[file_ok ? shard.file : 0]) {
      return in.Error(absl::StrCat("shard ", s, " lies outside its corpus file"));
    }
    if (static_cast<uint8_t>(p.state) > static_cast<uint8_t>(core::ShardProgress::State::kDone)) {
      return in.Error(absl::StrCat("shard ", s, " has an unknown state"));
    }
    // A position cannot exceed the shard's bytes (an id takes at least one byte and a space).
    if (p.state == core::ShardProgress::State::kPartial &&
        (p.position < 0 || p.position > shard.end - shard.begin)) {
      return in.Error(absl::StrCat("shard ", s, "'s position lies outside the shard"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteSnapshot(const std::string& path, const SnapshotContents& c,
                           const core::EmbeddingStore& store) {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  Encoder out(writer);
  out.Bytes(kMagic, sizeof(kMagic));
  out.Put<uint32_t>(kSnapshotFormatVersion);
  out.String(c.program_version);
  out.String(c.config_toml);
  out.Put<int64_t>(static_cast<int64_t>(c.vocabulary.size()));
  for (const auto& [word, count] : c.vocabulary) {
    out.String(word);
    out.Put<int64_t>(count);
  }
  out.Put<int64_t>(static_cast<int64_t>(c.corpus_file_sizes.size()));
  for (int64_t size : c.corpus_file_sizes) out.Put<int64_t>(size);
  out.String(c.metrics_jsonl);
  out.Put<int64_t>(c.epoch);
  out.Put<uint8_t>(c.finished);
  out.Put<int64_t>(c.words_done);
  out.Put<int64_t>(c.windows_done);
  out.Put<double>(c.elapsed_seconds);
  out.Put<double>(c.smoothed_loss);
  out.Put<int64_t>(c.ranks);
  out.Put<int64_t>(static_cast<int64_t>(c.shards.size()));
  for (size_t s = 0; s < c.shards.size(); ++s) {
    EncodeShard(out, c.shards[s], c.progress[s], c.totals[s]);
  }
  out.Put<int64_t>(store.rows());
  out.Put<int64_t>(store.dim());
  out.Matrix(store.center());
  out.Matrix(store.outside());
  RETURN_IF_ERROR(out.Finish());
  return writer.Commit();
}

uint64_t SnapshotChecksum(uint32_t version, std::string_view body) {
  if (version == 3) {
    Fnv1a hash;
    hash.Add(body.data(), body.size());
    return hash.value();
  }
  BlockChecksum hash;
  hash.Add(body.data(), body.size());
  return hash.value();
}

absl::StatusOr<LoadedSnapshot> ReadSnapshot(const std::string& path) {
  ASSIGN_OR_RETURN(const MappedFile file, MappedFile::Open(path));
  const std::string_view data = file.data();
  if (data.size() < sizeof(kMagic) || std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a w2v snapshot"));
  }
  // The version comes before the checksum: another version may checksum differently.
  uint32_t version = 0;
  if (data.size() >= sizeof(kMagic) + sizeof(version)) {
    std::memcpy(&version, data.data() + sizeof(kMagic), sizeof(version));
  }
  if (version < kOldestReadableSnapshotVersion || version > kSnapshotFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": snapshot format version ", version, ", but this w2v reads versions ",
        kOldestReadableSnapshotVersion, " to ", kSnapshotFormatVersion));
  }
  // The layout of version 3 is this one's; only its checksum is another.
  const size_t body = data.size() - sizeof(uint64_t);
  uint64_t stored = 0;
  std::memcpy(&stored, data.data() + body, sizeof(stored));
  if (SnapshotChecksum(version, data.substr(0, body)) != stored) {
    return absl::DataLossError(
        absl::StrCat(path, ": checksum mismatch: the snapshot is damaged or truncated"));
  }

  Decoder in(path, data.substr(0, body));
  char magic[sizeof(kMagic)];
  in.Bytes(magic, sizeof(magic));
  in.Get<uint32_t>();
  SnapshotContents c;
  c.program_version = in.String();
  c.config_toml = in.String();
  c.vocabulary.resize(static_cast<size_t>(in.Count(sizeof(int64_t) * 2)));
  for (auto& [word, count] : c.vocabulary) {
    word = in.String();
    count = in.Get<int64_t>();
  }
  c.corpus_file_sizes.resize(static_cast<size_t>(in.Count(sizeof(int64_t))));
  for (int64_t& size : c.corpus_file_sizes) size = in.Get<int64_t>();
  c.metrics_jsonl = in.String();
  c.epoch = in.Get<int64_t>();
  c.finished = in.Get<uint8_t>() != 0;
  c.words_done = in.Get<int64_t>();
  c.windows_done = in.Get<int64_t>();
  c.elapsed_seconds = in.Get<double>();
  c.smoothed_loss = in.Get<double>();
  c.ranks = in.Get<int64_t>();
  const auto shard_count = static_cast<size_t>(in.Count(kShardRecordBytes));
  c.shards.resize(shard_count);
  c.progress.resize(shard_count);
  c.totals.resize(shard_count);
  for (size_t s = 0; s < shard_count; ++s) DecodeShard(in, c.shards[s], c.progress[s], c.totals[s]);
  const auto rows = in.Get<int64_t>();
  const auto dim = in.Get<int64_t>();
  if (!in.ok()) return in.Error("it ends early");
  if (rows != static_cast<int64_t>(c.vocabulary.size()) || dim < 1 ||
      static_cast<uint64_t>(dim) > in.remaining() ||
      static_cast<uint64_t>(rows) * static_cast<uint64_t>(dim) * 2 * sizeof(float) !=
          in.remaining()) {
    return in.Error(absl::StrCat("matrices of ", rows, " x ", dim, " do not match the ",
                                 c.vocabulary.size(), "-word vocabulary and the file's size"));
  }
  if (c.ranks < 1 || c.ranks > static_cast<int64_t>(std::max<size_t>(c.shards.size(), 1))) {
    return in.Error(absl::StrCat("its rank count ", c.ranks, " does not fit its ", c.shards.size(),
                                 " shards"));
  }
  RETURN_IF_ERROR(CheckShards(in, c));
  LoadedSnapshot loaded{std::move(c), core::EmbeddingStore(rows, dim)};
  in.Matrix(loaded.store.center());
  in.Matrix(loaded.store.outside());
  if (!in.ok()) return in.Error("it ends early");
  return loaded;
}

}  // namespace w2v::io
