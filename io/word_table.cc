#include "io/word_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace w2v::io {
namespace {

// At most half the slots are used: linear probing then needs about 1.5 probes a hit.
constexpr size_t kInitialSlots = 1024;

// Odd 64-bit constants with well-spread bits (the golden ratio's and MurmurHash3's), so that no
// ordinary word's bytes cancel them.
constexpr uint64_t kMul0 = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kMul1 = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kMul2 = 0x165667b19e3779f9ULL;
constexpr uint64_t kMul3 = 0xff51afd7ed558ccdULL;

// The two halves of a 64 × 64-bit product folded together: every input bit reaches every output bit.
uint64_t Mix(uint64_t a, uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// The low `bytes` bytes of an 8-byte integer (bytes ≤ 8): on a little-endian CPU, the first bytes
// of what it was loaded from, as the zero-padded copy of a short word gives them.
static_assert(std::endian::native == std::endian::little);
uint64_t LowBytes(uint64_t value, size_t bytes) {
  return bytes == 0 ? 0 : value & (~uint64_t{0} >> (64 - 8 * bytes));
}

}  // namespace

WordTable::WordTable() { Rebuild(kInitialSlots); }

WordTable::Prepared WordTable::Prepare(std::string_view word, const char* readable_end) const {
  const char* p = word.data();
  const size_t n = word.size();
  Prepared prepared;
  prepared.word = word;
  if (n > 16) {
    prepared.head = Load8(p);
    prepared.tail = Load8(p + n - 8);
  } else if (readable_end != nullptr && readable_end - p >= 16) {
    prepared.head = LowBytes(Load8(p), std::min<size_t>(n, 8));
    prepared.tail = LowBytes(Load8(p + 8), n - std::min<size_t>(n, 8));
  } else {
    // Never past the word's end: it may end at the last byte of a mapped file.
    char padded[16] = {};
    std::memcpy(padded, p, n);
    prepared.head = Load8(padded);
    prepared.tail = Load8(padded + 8);
  }
  uint64_t hash = Mix(prepared.head ^ kMul0, kMul1 ^ n) ^ Mix(prepared.tail ^ kMul2, kMul3);
  // A longer word's middle bytes, which its head and tail leave out.
  for (size_t i = 8; i + 8 < n; i += 8) hash = Mix(hash ^ Load8(p + i), kMul1);
  prepared.hash = hash;
  __builtin_prefetch(&slots_[hash & mask_]);
  return prepared;
}

void WordTable::PrefetchEntry(const Prepared& word) const {
  if (const uint64_t slot = slots_[word.hash & mask_]; slot != 0) {
    __builtin_prefetch(&entries_[static_cast<uint32_t>(slot) - 1]);
  }
}

bool WordTable::Matches(const Entry& entry, const Prepared& word, int32_t index) const {
  return entry.head == word.head && entry.tail == word.tail && entry.length == word.word.size() &&
         (entry.length <= 16 ||
          std::memcmp(bytes_.data() + offsets_[index], word.word.data(), entry.length) == 0);
}

int32_t WordTable::Add(const Prepared& word, int64_t count) {
  for (uint64_t pos = word.hash & mask_;; pos = (pos + 1) & mask_) {
    const uint64_t slot = slots_[pos];
    if (slot == 0) break;
    if ((slot ^ word.hash) >> 32 != 0) continue;
    const auto index = static_cast<int32_t>(static_cast<uint32_t>(slot) - 1);
    if (Entry& entry = entries_[index]; Matches(entry, word, index)) {
      entry.count += count;
      return index;
    }
  }
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
