// The counting tables' word counts summed into one numbering of the corpus's words. Words are split
// by hash into partitions, each merged by one task into a table of its own, so the merge runs on
// every thread without locks, and a word's merged index is its partition's first index plus its
// index within the partition.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "io/word_table.h"

namespace w2v::io {

class MergedWords {
 public:
  int64_t size() const { return first_.back(); }
  std::string_view word(int64_t index) const { return Table(index).word(Local(index)); }
  int64_t count(int64_t index) const { return Table(index).count(Local(index)); }
  // The partitions in order: partition p's word i is merged word first(p) + i. Walking them is
  // cheaper than finding each index's partition.
  const std::vector<WordTable>& partitions() const { return partitions_; }
  int64_t first(size_t partition) const { return first_[partition]; }

 private:
  friend std::optional<MergedWords> MergeWordCounts(std::vector<WordTable>& shards,
                                                     const std::vector<std::vector<int64_t>>& counts,
                                                     const std::vector<bool>& renumber,
                                                     std::vector<std::vector<int32_t>>& indices,
                                                     int threads, std::string_view count_once);
  size_t Partition(int64_t index) const;
  const WordTable& Table(int64_t index) const { return partitions_[Partition(index)]; }
  int32_t Local(int64_t index) const {
    return static_cast<int32_t>(index - first_[Partition(index)]);
  }

  std::vector<WordTable> partitions_;
  std::vector<int64_t> first_{0};  // partition p's word 0 is merged word first_[p]; then the total
};

// Merges `shards` (the counting tables, each of a run of corpus shards, in order, so that within a
// partition words keep their order of first sight), whose counts are counts[s]
// (WordTable::TakeWords), and empties them. For each table s with renumber[s], indices[s][i]
// becomes the merged index of the table's word i. A non-empty
// `count_once` is counted once more (the assignment's "UNK"). Nothing when the corpus holds 2^31
// distinct words or more.
std::optional<MergedWords> MergeWordCounts(std::vector<WordTable>& shards,
                                            const std::vector<std::vector<int64_t>>& counts,
                                            const std::vector<bool>& renumber,
                                            std::vector<std::vector<int32_t>>& indices, int threads,
                                            std::string_view count_once = {});

}  // namespace w2v::io
