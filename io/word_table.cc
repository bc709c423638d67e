#include "io/word_table.h"

#include <bit>
#include <cassert>

#include "core/prefault.h"

namespace w2v::io {
namespace {

// At most half the slots are used: linear probing then needs about 1.5 probes a hit.
constexpr size_t kInitialSlots = 1024;

// Two more spread constants (xxHash's and MurmurHash3's finalizer's) for a long word's tail.
constexpr uint64_t kMul2 = 0x165667b19e3779f9ULL;
constexpr uint64_t kMul3 = 0xff51afd7ed558ccdULL;

}  // namespace

WordTable::WordTable() { Rebuild(kInitialSlots / 2, {}); }

uint64_t WordTable::HashLong(const Prepared& word) {
  const char* p = word.word.data();
  const size_t n = word.word.size();
  uint64_t hash = Mix(word.head ^ kMul0, kMul1 ^ n) ^ Mix(word.tail ^ kMul2, kMul3);
  // The middle bytes, which head and tail leave out.
  for (size_t i = 8; i + 8 < n; i += 8) hash = Mix(hash ^ Load8(p + i), kMul1);
  return hash;
}

int32_t WordTable::Insert(const Prepared& word, int64_t count, uint64_t pos) {
  const int32_t index = size();
  slots_[pos] = {word.head, word.tail, count, static_cast<uint32_t>(word.word.size()),
                 static_cast<uint32_t>(index) + 1};
  slot_of_.push_back(static_cast<uint32_t>(pos));
  hashes_.push_back(word.hash);
  offsets_.push_back(bytes_.size());
  bytes_.append(word.word);
  if (2 * slot_of_.size() > slots_.size()) {
    const std::vector<Slot> old = std::move(slots_);
    Rebuild(old.size(), old);
  }
  return index;
}

WordTable WordTable::TakeWords(std::vector<int64_t>& counts) {
  assert(!slots_.empty() && "TakeWords is for a counting table, not for one it returned");
  counts.assign(hashes_.size(), 0);
  for (const Slot& slot : slots_) {
    if (slot.index_plus_one != 0) counts[slot.index_plus_one - 1] = slot.count;
  }
  WordTable taken(kWithoutSlots);
  taken.hashes_ = std::move(hashes_);
  taken.offsets_ = std::move(offsets_);
  taken.bytes_ = std::move(bytes_);
  // Empty whatever the moves left; Reserve sizes them again for the next shard.
  hashes_.clear();
  offsets_.clear();
  bytes_.clear();
  slot_of_.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{});
  return taken;
}

void WordTable::Reserve(int64_t words) {
  const auto wanted = static_cast<size_t>(words);
  slot_of_.reserve(wanted);
  hashes_.reserve(wanted);
  offsets_.reserve(wanted);
  if (2 * wanted > slots_.size()) {
    const std::vector<Slot> old = std::move(slots_);
    Rebuild(wanted, old);
  }
}

int64_t WordTable::EraseCountsAtMost(int64_t max_count) {
  std::vector<Slot> kept_slots;
  std::string bytes;
  for (size_t i = 0; i < slot_of_.size(); ++i) {
    Slot slot = slots_[slot_of_[i]];
    if (slot.count <= max_count) continue;
    const std::string_view kept_word = word(static_cast<int32_t>(i));
    slot.index_plus_one = static_cast<uint32_t>(kept_slots.size()) + 1;
    hashes_[kept_slots.size()] = hashes_[i];
    offsets_[kept_slots.size()] = bytes.size();
    bytes.append(kept_word);
    kept_slots.push_back(slot);
  }
  const auto erased = static_cast<int64_t>(slot_of_.size() - kept_slots.size());
  slot_of_.resize(kept_slots.size());
  hashes_.resize(kept_slots.size());
  offsets_.resize(kept_slots.size());
  bytes_ = std::move(bytes);
  Rebuild(slots_.size() / 2, kept_slots);
  return erased;
}

void WordTable::Place(const Slot& slot, uint64_t hash) {
  uint64_t pos = hash & mask_;
  while (slots_[pos].index_plus_one != 0) pos = (pos + 1) & mask_;
  slots_[pos] = slot;
  slot_of_[slot.index_plus_one - 1] = static_cast<uint32_t>(pos);
}

void WordTable::Rebuild(size_t capacity, const std::vector<Slot>& slots) {
  const size_t size = std::bit_ceil(2 * std::max<size_t>(capacity, 1));
  // In place when the slots have room (EraseCountsAtMost, which bounds memory, must not hold two
  // tables at once); new ones prefaulted, or zeroing them would fault page by page.
  if (slots_.capacity() < size) {
    std::vector<Slot> fresh;
    fresh.reserve(size);
    core::AdviseHugePages(fresh.data(), size * sizeof(Slot));
    core::PrefaultForWriting(fresh.data(), size * sizeof(Slot));
    slots_ = std::move(fresh);
  }
  slots_.assign(size, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : slots) {
    if (slot.index_plus_one != 0) Place(slot, hashes_[slot.index_plus_one - 1]);
  }
}

}  // namespace w2v::io
