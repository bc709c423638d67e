// Words counted as a corpus is read: a hash table from a word's bytes to its index in order of first
// sight, and its count. Counting probes it once per token, and in English text the same few thousand
// words come back millions of times, so a probe is built to touch little memory:
//  - a slot is 8 bytes, the top half of the word's hash beside its index, so a probe that meets
//    another word rarely reads that word's entry;
//  - an entry holds a word of up to 16 bytes whole (as two 8-byte integers), so a hit on such a word
//    compares two integers and never reads the key bytes kept elsewhere;
//  - entries lie in order of first sight, so the frequent words, met first, share cache lines.
#pragma once

#include <cstdint>
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
  Prepared Prepare(std::string_view word, const char* readable_end = nullptr) const;
  // Once the slot has had time to arrive (after preparing the rest of the batch): starts loading
  // the entry it names.
  void PrefetchEntry(const Prepared& word) const;

  // Adds `count` occurrences of the word and returns its index (new words get the next one).
  int32_t Add(const Prepared& word, int64_t count = 1);
  int32_t Add(std::string_view word, int64_t count = 1) { return Add(Prepare(word), count); }

  // Makes room for `words` words in all, so that adding them rebuilds no slots.
  void Reserve(int64_t words);

  int32_t size() const { return static_cast<int32_t>(entries_.size()); }
  std::string_view word(int32_t index) const {
    return {bytes_.data() + offsets_[index], entries_[index].length};
  }
  int64_t count(int32_t index) const { return entries_[index].count; }

  // Drops the words counted at most `max_count` times; the others keep their order and are
  // renumbered from 0. Returns how many were dropped.
  int64_t EraseCountsAtMost(int64_t max_count);

 private:
  // A word of up to 16 bytes is its length and its bytes as two 8-byte integers, zero-padded (head
  // the first 8, tail the next 8); a longer word's head and tail are its first and last 8 bytes,
  // and it is also compared byte by byte.
  struct Entry {
    uint64_t head;
    uint64_t tail;
    int64_t count;
    uint32_t length;
  };

  bool Matches(const Entry& entry, const Prepared& word, int32_t index) const;
  void Place(uint64_t hash, int32_t index);
  void Rebuild(size_t capacity);

  std::vector<uint64_t> slots_;  // (hash's top 32 bits << 32) | (index + 1); 0 is empty
  uint64_t mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<uint64_t> hashes_;   // each entry's hash, to rebuild the slots without rehashing
  std::vector<uint64_t> offsets_;  // where each word's bytes start in bytes_
  std::string bytes_;              // every word's bytes, one after another
};

}  // namespace w2v::io
