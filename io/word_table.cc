#include "io/word_table.h"

#include <bit>

namespace w2v::io {
namespace {

// At most half the slots are used: linear probing then needs about 1.5 probes a hit.
constexpr size_t kInitialSlots = 1024;

// Two more spread constants (xxHash's and MurmurHash3's finalizer's) for a long word's tail.
constexpr uint64_t kMul2 = 0x165667b19e3779f9ULL;
constexpr uint64_t kMul3 = 0xff51afd7ed558ccdULL;

}  // namespace

WordTable::WordTable() { Rebuild(kInitialSlots); }

uint64_t WordTable::HashLong(const Prepared& word) {
  const char* p = word.word.data();
  const size_t n = word.word.size();
  uint64_t hash = Mix(word.head ^ kMul0, kMul1 ^ n) ^ Mix(word.tail ^ kMul2, kMul3);
  // The middle bytes, which head and tail leave out.
  for (size_t i = 8; i + 8 < n; i += 8) hash = Mix(hash ^ Load8(p + i), kMul1);
  return hash;
}

int32_t WordTable::Insert(const Prepared& word, int64_t count) {
  const int32_t index = size();
  entries_.push_back({word.head, word.tail, count, static_cast<uint32_t>(word.word.size())});
  hashes_.push_back(word.hash);
  offsets_.push_back(bytes_.size());
  bytes_.append(word.word);
  if (2 * entries_.size() > slots_.size()) {
    Rebuild(2 * slots_.size());
  } else {
    Place(word.hash, index);
  }
  return index;
}

void WordTable::Reserve(int64_t words) {
  const auto wanted = static_cast<size_t>(words);
  entries_.reserve(wanted);
  hashes_.reserve(wanted);
  offsets_.reserve(wanted);
  if (2 * wanted > slots_.size()) Rebuild(2 * wanted);
}

int64_t WordTable::EraseCountsAtMost(int64_t max_count) {
  size_t kept = 0;
  std::string bytes;
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].count <= max_count) continue;
    const std::string_view kept_word = word(static_cast<int32_t>(i));
    entries_[kept] = entries_[i];
    hashes_[kept] = hashes_[i];
    offsets_[kept] = bytes.size();
    bytes.append(kept_word);
    ++kept;
  }
  const auto erased = static_cast<int64_t>(entries_.size() - kept);
  entries_.resize(kept);
  hashes_.resize(kept);
  offsets_.resize(kept);
  bytes_ = std::move(bytes);
  Rebuild(slots_.size());
  return erased;
}

void WordTable::Place(uint64_t hash, int32_t index) {
  uint64_t pos = hash & mask_;
  while (slots_[pos] != 0) pos = (pos + 1) & mask_;
  slots_[pos] = (hash >> 32 << 32) | (static_cast<uint64_t>(index) + 1);
}

void WordTable::Rebuild(size_t capacity) {
  slots_.assign(std::bit_ceil(capacity), 0);
  mask_ = slots_.size() - 1;
  for (size_t i = 0; i < entries_.size(); ++i) Place(hashes_[i], static_cast<int32_t>(i));
}

}  // namespace w2v::io
