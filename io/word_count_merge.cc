#include "io/word_count_merge.h"

#include <algorithm>
#include <array>

#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

// Words are added a batch at a time, the batch prepared first, as in counting: the merged
// tables' cache misses for a batch overlap.
constexpr int32_t kBatch = 64;

// A few partitions per thread, so that one holding more words than the others delays no thread
// for long.
constexpr int kPartitionsPerThread = 4;

// The partition of a word's hash: from its bits 16-31, which neither a table's slot (the low bits
// of a table this size) nor its tag (the top 32 bits) depends on alone.
size_t PartitionOf(uint64_t hash, size_t partitions) {
  return static_cast<size_t>(((hash >> 16) & 0xffff) * partitions >> 16);
}

}  // namespace

size_t MergedWords::Partition(int64_t index) const {
  return static_cast<size_t>(std::upper_bound(first_.begin(), first_.end(), index) -
                             first_.begin()) - 1;
}

std::optional<MergedWords> MergeWordCounts(std::vector<WordTable>& shards,
                                            const std::vector<std::vector<int64_t>>& counts,
                                            const std::vector<bool>& renumber,
                                            std::vector<std::vector<int32_t>>& indices, int threads,
                                            std::string_view count_once) {
  MergedWords merged;
  const size_t partitions = static_cast<size_t>(kPartitionsPerThread * std::max(1, threads));
  merged.partitions_.resize(partitions);
  indices.resize(shards.size());
  int64_t largest_shard = 0;
  for (size_t s = 0; s < shards.size(); ++s) {
    largest_shard = std::max<int64_t>(largest_shard, shards[s].size());
    if (renumber[s]) indices[s].resize(static_cast<size_t>(shards[s].size()));
  }
  std::vector<char> full(partitions, 0);
  tbb::task_arena arena(std::max(1, threads));
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, partitions, [&](size_t p) {
      WordTable& table = merged.partitions_[p];
      // The merged table holds at least the largest shard's words: this partition's share of
      // those is reserved, and the table grows from there. Reserving for the shards' total would
      // hold memory twice over for the frequent words every shard has.
      table.Reserve(largest_shard / static_cast<int64_t>(partitions) + 1024);
      std::array<WordTable::Prepared, kBatch> batch;
      std::array<int32_t, kBatch> from;
      for (size_t s = 0; s < shards.size(); ++s) {
        const WordTable& shard = shards[s];
        for (int32_t first = 0; first < shard.size(); first += kBatch) {
          const int32_t end = std::min<int32_t>(shard.size(), first + kBatch);
          int batched = 0;
          for (int32_t i = first; i < end; ++i) {
            if (PartitionOf(shard.hash(i), partitions) != p) continue;
            batch[batched] = shard.PreparedEntry(i);
            table.PrefetchSlot(batch[batched]);
            from[batched++] = i;
          }
          for (int b = 0; b < batched; ++b) {
            if (table.size() == WordTable::kMaxWords) {
              full[p] = 1;
              return;
            }
            const int32_t local = table.Add(batch[b], counts[s][from[b]]);
            if (renumber[s]) indices[s][from[b]] = local;
          }
        }
      }
    });
  });
  if (!count_once.empty()) {
    // A word's hash is the same in every table.
    const WordTable::Prepared word = merged.partitions_[0].Prepare(count_once);
    WordTable& table = merged.partitions_[PartitionOf(word.hash, partitions)];
    if (table.size() == WordTable::kMaxWords) return std::nullopt;
    table.Add(word);
  }
  merged.first_.assign(partitions + 1, 0);
  for (size_t p = 0; p < partitions; ++p) {
    merged.first_[p + 1] = merged.first_[p] + merged.partitions_[p].size();
  }
  if (std::any_of(full.begin(), full.end(), [](char f) { return f != 0; }) ||
      merged.size() > WordTable::kMaxWords) {
    return std::nullopt;
  }
  // Local indices to merged ones, each shard's in a task of its own.
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, shards.size(), [&](size_t s) {
      if (renumber[s]) {
        for (int32_t i = 0; i < shards[s].size(); ++i) {
          const size_t p = PartitionOf(shards[s].hash(i), partitions);
          indices[s][i] = static_cast<int32_t>(merged.first_[p] + indices[s][i]);
        }
      }
      shards[s] = WordTable();
    });
  });
  return merged;
}

}  // namespace w2v::io
