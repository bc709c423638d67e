#include "io/checksum.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace w2v::io {
namespace {

constexpr uint64_t kRoundMultiplier = 0x9fb21c651e98df25ULL;  // odd: multiplying is a bijection
constexpr uint64_t kFoldMultiplier = 0xc6a4a7935bd1e995ULL;

uint64_t Load8(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

uint64_t Round(uint64_t lane, uint64_t input) {
  return std::rotl((lane + input) * kRoundMultiplier, 29);
}

// A final avalanche, so that the lanes' last inputs reach every bit of the value.
uint64_t Avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kFoldMultiplier;
  h ^= h >> 29;
  h *= kRoundMultiplier;
  return h ^ (h >> 32);
}

}  // namespace

void Fnv1a::Add(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t h = hash_;
  for (size_t i = 0; i < size; ++i) h = (h ^ bytes[i]) * 0x100000001b3ULL;
  hash_ = h;
}

void BlockChecksum::Block(const unsigned char* block) {
  for (int lane = 0; lane < 4; ++lane) lanes_[lane] = Round(lanes_[lane], Load8(block + 8 * lane));
}

void BlockChecksum::Add(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  total_ += size;
  if (pending_size_ > 0) {
    const size_t taken = std::min(size, sizeof(pending_) - pending_size_);
    std::memcpy(pending_ + pending_size_, bytes, taken);
    pending_size_ += taken;
    bytes += taken;
    size -= taken;
    if (pending_size_ < sizeof(pending_)) return;
    Block(pending_);
    pending_size_ = 0;
  }
  for (; size >= sizeof(pending_); bytes += sizeof(pending_), size -= sizeof(pending_)) Block(bytes);
  std::memcpy(pending_, bytes, size);
  pending_size_ = size;
}

uint64_t BlockChecksum::value() const {
  // The bytes short of a block, zero-padded, and the length, which tells the padding from data.
  unsigned char last[32] = {};
  std::memcpy(last, pending_, pending_size_);
  uint64_t h = total_ * kFoldMultiplier;
  for (int lane = 0; lane < 4; ++lane) {
    h = Round(h ^ Round(lanes_[lane], Load8(last + 8 * lane)), static_cast<uint64_t>(lane));
  }
  return Avalanche(h);
}

}  // namespace w2v::io
