// The checksums a snapshot ends with. One changed byte always changes either (each step of each is
// a bijection of its state); lost or added bytes, or damage in several places, go unnoticed with a
// chance of about 2^-64.
#pragma once

#include <cstddef>
#include <cstdint>

namespace w2v::io {

// FNV-1a, 64 bits, one byte at a time: about 1 GB/s. Snapshots of format 3 and earlier.
class Fnv1a {
 public:
  void Add(const void* data, size_t size);
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// Four independent 64-bit lanes, 32 bytes a step, each round a bijection of its lane (multiply by an
// odd constant, rotate), so no input is ever forgotten: about ten times FNV-1a's speed, which a
// snapshot of two 100-dimensional matrices of a million words (800 MB) needs to be checked in well
// under a second.
class BlockChecksum {
 public:
  void Add(const void* data, size_t size);
  uint64_t value() const;

 private:
  void Block(const unsigned char* block);

  uint64_t lanes_[4] = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL,
                        0x27d4eb2f165667c5ULL};
  unsigned char pending_[32] = {};
  size_t pending_size_ = 0;
  uint64_t total_ = 0;
};

}  // namespace w2v::io
