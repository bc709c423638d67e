// The snapshot format: everything written reads back exactly, and damage is refused with the file's
// name (end-to-end refusals through `w2v resume` are in train_test).
#include "io/snapshot.h"

#include <signal.h>
#include <sys/resource.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/checksum.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using core::ShardProgress;
using core::TrainingCounts;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;

SnapshotContents SampleContents() {
  SnapshotContents c;
  c.program_version = "9.9.9";
  c.config_toml = "[model]\ndim = 5\n";
  c.vocabulary = {{"the", 10}, {"caf\xc3\xa9", 4}, {"a", 3}};
  c.corpus_file_sizes = {1000, 20};
  c.metrics_jsonl = "{\"loss\":1.5}\n";
  c.epoch = 3;
  c.words_done = 12345;
  c.windows_done = 678;
  c.elapsed_seconds = 12.5;
  c.smoothed_loss = 9.8125;
  c.shards = {{0, 0, 600}, {0, 600, 1000}, {1, 0, 20}};
  c.progress.resize(3);
  c.progress[0].state = ShardProgress::State::kDone;
  c.progress[1].state = ShardProgress::State::kPartial;
  c.progress[1].position = 70;
  c.progress[1].rng = {1, 2, 3, 0xFFFFFFFFFFFFFFFFULL};
  c.progress[1].lr = 0.0125f;
  c.progress[1].pending = {3.25, 5, 40, 7, 6};
  c.totals = {{1.5, 2, 3, 4, 5}, {6.5, 7, 8, 9, 10}, {}};
  return c;
}

core::EmbeddingStore SampleStore() {
  core::EmbeddingStore store(3, 5);
  store.InitializeUniform(7);
  for (int64_t r = 0; r < 3; ++r) {
    for (int64_t i = 0; i < 5; ++i) store.outside().row(r)[i] = static_cast<float>(r * 10 + i);
  }
  return store;
}

TEST(SnapshotTest, EverythingReadsBackExactly) {
  TempDir dir;
  const SnapshotContents c = SampleContents();
  const core::EmbeddingStore store = SampleStore();
  W2V_ASSERT_OK(WriteSnapshot(dir.File("s.w2v"), c, store));
  auto loaded = ReadSnapshot(dir.File("s.w2v"));
  W2V_ASSERT_OK(loaded.status());
  const SnapshotContents& r = loaded->contents;
  EXPECT_EQ(r.program_version, c.program_version);
  EXPECT_EQ(r.config_toml, c.config_toml);
  EXPECT_EQ(r.vocabulary, c.vocabulary);
  EXPECT_EQ(r.corpus_file_sizes, c.corpus_file_sizes);
  EXPECT_EQ(r.metrics_jsonl, c.metrics_jsonl);
  EXPECT_EQ(r.epoch, 3);
  EXPECT_FALSE(r.finished);
  EXPECT_EQ(r.words_done, 12345);
  EXPECT_EQ(r.windows_done, 678);
  EXPECT_EQ(r.elapsed_seconds, 12.5);
  EXPECT_EQ(r.smoothed_loss, 9.8125);
  ASSERT_EQ(r.shards.size(), 3u);
  EXPECT_EQ(r.shards[1].begin, 600);
  EXPECT_EQ(r.shards[2].file, 1);
  EXPECT_EQ(r.progress[0].state, ShardProgress::State::kDone);
  EXPECT_EQ(r.progress[2].state, ShardProgress::State::kPending);
  const ShardProgress& p = r.progress[1];
  EXPECT_EQ(p.state, ShardProgress::State::kPartial);
  EXPECT_EQ(p.position, 70);
  EXPECT_EQ(p.rng, c.progress[1].rng);
  EXPECT_EQ(p.lr, 0.0125f);
  EXPECT_EQ(p.pending.loss_sum, 3.25);
  EXPECT_EQ(p.pending.windows, 5);
  EXPECT_EQ(p.pending.pairs, 40);
  EXPECT_EQ(p.pending.words, 7);
  EXPECT_EQ(p.pending.kept, 6);
  EXPECT_EQ(r.totals[1].loss_sum, 6.5);
  EXPECT_EQ(r.totals[1].kept, 10);
  for (int64_t row = 0; row < 3; ++row) {
    for (int64_t i = 0; i < 5; ++i) {
      EXPECT_EQ(loaded->store.center().row(row)[i], store.center().row(row)[i]);
      EXPECT_EQ(loaded->store.outside().row(row)[i], store.outside().row(row)[i]);
    }
  }
}

TEST(SnapshotTest, EveryFlippedByteAndEveryTruncationIsRefused) {
  TempDir dir;
  W2V_ASSERT_OK(WriteSnapshot(dir.File("s.w2v"), SampleContents(), SampleStore()));
  const std::string good = ReadFile(dir.File("s.w2v"));
  for (size_t at = 0; at < good.size(); ++at) {
    std::string bad = good;
    bad[at] ^= 0x01;
    dir.Write("bad.w2v", bad);
    EXPECT_FALSE(ReadSnapshot(dir.File("bad.w2v")).ok()) << "flipped byte " << at;
  }
  for (size_t length = 0; length < good.size(); length += 7) {
    dir.Write("short.w2v", good.substr(0, length));
    const auto loaded = ReadSnapshot(dir.File("short.w2v"));
    ASSERT_FALSE(loaded.ok()) << "cut at " << length;
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(dir.File("short.w2v")));
  }
}

TEST(SnapshotTest, AVersion3SnapshotWithItsFnvChecksumStillReads) {
  // Version 3 is this layout with FNV-1a for its checksum: rewrite a snapshot as one.
  TempDir dir;
  W2V_ASSERT_OK(WriteSnapshot(dir.File("s.w2v"), SampleContents(), SampleStore()));
  std::string old = ReadFile(dir.File("s.w2v"));
  const uint32_t version = 3;
  std::memcpy(old.data() + 8, &version, sizeof(version));
  Fnv1a fnv;
  fnv.Add(old.data(), old.size() - sizeof(uint64_t));
  const uint64_t checksum = fnv.value();
  std::memcpy(old.data() + old.size() - sizeof(uint64_t), &checksum, sizeof(checksum));
  dir.Write("v3.w2v", old);
  const auto loaded = ReadSnapshot(dir.File("v3.w2v"));
  W2V_ASSERT_OK(loaded.status());
  const auto current = ReadSnapshot(dir.File("s.w2v"));
  W2V_ASSERT_OK(current.status());
  EXPECT_EQ(loaded->contents.vocabulary, current->contents.vocabulary);
  EXPECT_EQ(loaded->contents.config_toml, current->contents.config_toml);
  // With the current checksum left in place, a version-3 header is damage.
  std::string mismatched = ReadFile(dir.File("s.w2v"));
  std::memcpy(mismatched.data() + 8, &version, sizeof(version));
  dir.Write("mismatched.w2v", mismatched);
  EXPECT_THAT(ReadSnapshot(dir.File("mismatched.w2v")).status(),
              testing::StatusIs(absl::StatusCode::kDataLoss, HasSubstr("checksum mismatch")));
}

TEST(SnapshotTest, APositionOutsideItsShardIsDamage) {
  TempDir dir;
  SnapshotContents c = SampleContents();
  c.progress[1].position = 5000;
  W2V_ASSERT_OK(WriteSnapshot(dir.File("s.w2v"), c, SampleStore()));
  const auto loaded = ReadSnapshot(dir.File("s.w2v"));
  EXPECT_THAT(loaded.status(), testing::StatusIs(absl::StatusCode::kDataLoss,
                                                 HasSubstr("position lies outside the shard")));
}

TEST(SnapshotTest, AFullDiskLeavesThePreviousSnapshot) {
  TempDir dir;
  W2V_ASSERT_OK(WriteSnapshot(dir.File("s.w2v"), SampleContents(), SampleStore()));
  const std::string before = ReadFile(dir.File("s.w2v"));
  // A file-size limit fails the write the way a full disk does (EFBIG instead of ENOSPC).
  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit small = old_limit;
  small.rlim_cur = 100;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  SnapshotContents bigger = SampleContents();
  bigger.metrics_jsonl.assign(1000, 'x');
  const absl::Status status = WriteSnapshot(dir.File("s.w2v"), bigger, SampleStore());
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);
  EXPECT_THAT(status, testing::StatusIs(absl::StatusCode::kResourceExhausted,
                                        HasSubstr(dir.File("s.w2v"))));
  EXPECT_EQ(ReadFile(dir.File("s.w2v")), before);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "the temporary file was left behind";
}

}  // namespace
}  // namespace w2v::io
