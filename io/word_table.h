// Words counted as a corpus is read: a hash table from a word's bytes to its index in order of first
// sight, and its count. Counting probes it once per token, and in English text the same few thousand
// words come back millions of times, so a probe is built to touch one cache line:
//  - a slot is 32 bytes and holds the word's key, its count and its index, so a hit reads the slot
//    alone and never an entry kept elsewhere;
//  - a key is a word of up to 16 bytes whole (as two 8-byte integers), so a hit on such a word
//    compares two integers and never reads the key bytes kept elsewhere.
// Preparing a word and a hit are inline: counting does them for every token, and a call each cost
// more than a hit's own work.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace w2v::io {

class WordTable {
 public:
  // Indices are int32_t: Add may be called while size() < kMaxWords.
  static constexpr int32_t kMaxWords = INT32_MAX;

  WordTable();

  // A word hashed once, for Add. Preparing starts loading the word's slot into cache, so a caller
  // that prepares a batch of words before adding them has their cache misses overlap instead of
  // waiting for each in turn. `word` must stay valid until it is added. When the caller can read
  // 16 bytes from the word's start without leaving its buffer (bytes up to `readable_end`, which
  // is at least the word's end), a short word is read in two loads, with no branch on its length.
  struct Prepared {
    uint64_t head = 0;
    uint64_t tail = 0;
    uint64_t hash = 0;
    std::string_view word;
  };
  Prepared Prepare(std::string_view word, const char* readable_end = nullptr) const {
    Prepared prepared;
    PrepareInto(prepared, word, readable_end);
    return prepared;
  }
  // The same, written in place: a Prepared built in a temporary and copied into an array was
  // stored 8 bytes at a time and loaded back as 32- and 16-byte vectors, loads that wait for the
  // stores to reach the cache (half of counting's own time, 2026-12-06).
  void PrepareInto(Prepared& prepared, std::string_view word,
                   const char* readable_end = nullptr) const;
  // Word `index` as Add takes it, with its stored hash: for adding it to another table. Valid
  // while this table is unchanged.
  // It reads the word's bytes and stored hash, which lie in order of index, and not its slot, so
  // walking a table's words in order reads memory in order.
  Prepared PreparedEntry(int32_t index) const {
    Prepared prepared;
    prepared.word = word(index);
    SetKey(prepared.word, bytes_.data() + bytes_.size(), prepared);
    prepared.hash = hashes_[index];
    return prepared;
  }
  // Hands the words over for merging: `counts` gets every word's count by index (one pass over the
  // slots in order, where reading count(i) for each i would visit them at random), and the words,
  // by index with their hashes, move into the table returned, which holds no slots and is read by
  // index only (size, word, hash, PreparedEntry). This table is left empty but keeps its slots'
  // memory, cleared: counting the next shard in it makes no slots until it outgrows them, where a
  // new table would grow from 1024 slots by doubling, rebuilding and page-faulting at each step.
  // For a table that counts, not for one TakeWords returned.
  WordTable TakeWords(std::vector<int64_t>& counts);
  // Starts loading the word's slot, as Prepare does: for a word prepared by another table.
  void PrefetchSlot(const Prepared& word) const { __builtin_prefetch(&slots_[word.hash & mask_]); }

  // Adds `count` occurrences of the word and returns its index (new words get the next one).
  int32_t Add(const Prepared& word, int64_t count = 1);
  int32_t Add(std::string_view word, int64_t count = 1) { return Add(Prepare(word), count); }

  // Makes room for `words` words in all, so that adding them rebuilds no slots.
  void Reserve(int64_t words);

  int32_t size() const { return static_cast<int32_t>(hashes_.size()); }
  std::string_view word(int32_t index) const {
    const size_t end = index + 1 < size() ? offsets_[index + 1] : bytes_.size();
    return {bytes_.data() + offsets_[index], end - offsets_[index]};
  }
  int64_t count(int32_t index) const { return slots_[slot_of_[index]].count; }
  uint64_t hash(int32_t index) const { return hashes_[index]; }

  // Drops the words counted at most `max_count` times; the others keep their order and are
  // renumbered from 0. Returns how many were dropped.
  int64_t EraseCountsAtMost(int64_t max_count);

 private:
  // A word of up to 16 bytes is its length and its bytes as two 8-byte integers, zero-padded (head
  // the first 8, tail the next 8); a longer word's head and tail are its first and last 8 bytes,
  // and it is also compared byte by byte. Two slots share a cache line.
  struct Slot {
    uint64_t head = 0;
    uint64_t tail = 0;
    int64_t count = 0;
    uint32_t length = 0;
    uint32_t index_plus_one = 0;  // 0: empty
  };
  static_assert(sizeof(Slot) == 32);

  // Odd 64-bit constants with well-spread bits (the golden ratio's and MurmurHash3's), so that no
  // ordinary word's bytes cancel them.
  static constexpr uint64_t kMul0 = 0x9e3779b97f4a7c15ULL;
  static constexpr uint64_t kMul1 = 0xc2b2ae3d27d4eb4fULL;

  // The two halves of a 64 × 64-bit product folded together: every input bit reaches every output
  // bit.
  static uint64_t Mix(uint64_t a, uint64_t b) {
    const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
  }
  static uint64_t Load8(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  // The low `bytes` bytes of an 8-byte integer (bytes ≤ 8): on a little-endian CPU, the first bytes
  // of what it was loaded from, as the zero-padded copy of a short word gives them.
  static uint64_t LowBytes(uint64_t value, size_t bytes) {
    static_assert(std::endian::native == std::endian::little);
    return bytes == 0 ? 0 : value & (~uint64_t{0} >> (64 - 8 * bytes));
  }
  // Sets the word's head and tail (see Slot), reading 16 bytes at once when `readable_end` allows.
  static void SetKey(std::string_view word, const char* readable_end, Prepared& prepared) {
    const char* p = word.data();
    const size_t n = word.size();
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
  }
  // A longer word's hash, over all its bytes.
  static uint64_t HashLong(const Prepared& word);

  bool Matches(const Slot& slot, const Prepared& word) const {
    return slot.head == word.head && slot.tail == word.tail && slot.length == word.word.size() &&
           (slot.length <= 16 || std::memcmp(bytes_.data() + offsets_[slot.index_plus_one - 1],
                                             word.word.data(), slot.length) == 0);
  }
  // Add's miss at the empty slot `pos`: the word becomes the next index.
  int32_t Insert(const Prepared& word, int64_t count, uint64_t pos);
  // Puts `slot` in the first empty slot from `hash`'s, and notes where.
  void Place(const Slot& slot, uint64_t hash);
  // New slots for `capacity` words at most half full, with `slots` (any order) placed in them.
  void Rebuild(size_t capacity, const std::vector<Slot>& slots);

  // A table of words read by index only, for TakeWords: no slots made only to be dropped.
  enum WithoutSlots { kWithoutSlots };
  explicit WordTable(WithoutSlots) {}

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  std::vector<uint32_t> slot_of_;  // each index's slot
  std::vector<uint64_t> hashes_;   // each index's hash, to rebuild the slots without rehashing
  std::vector<uint64_t> offsets_;  // where each word's bytes start in bytes_
  std::string bytes_;              // every word's bytes, one after another
};

inline void WordTable::PrepareInto(Prepared& prepared, std::string_view word,
                                   const char* readable_end) const {
  prepared.word = word;
  SetKey(word, readable_end, prepared);
  // A word of up to 16 bytes is named by its zero-padded bytes and its length (Matches compares
  // both), so one product of its two halves, the length folded in, is its hash.
  prepared.hash = word.size() > 16
                      ? HashLong(prepared)
                      : Mix(prepared.head ^ kMul0, prepared.tail ^ kMul1 ^ word.size());
  PrefetchSlot(prepared);
}

inline int32_t WordTable::Add(const Prepared& word, int64_t count) {
  for (uint64_t pos = word.hash & mask_;; pos = (pos + 1) & mask_) {
    Slot& slot = slots_[pos];
    if (slot.index_plus_one == 0) return Insert(word, count, pos);
    if (Matches(slot, word)) {
      slot.count += count;
      return static_cast<int32_t>(slot.index_plus_one - 1);
    }
  }
}

}  // namespace w2v::io
