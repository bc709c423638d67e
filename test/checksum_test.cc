#include "io/checksum.h"

#include <cstring>
#include <string>

#include "core/random.h"
#include "gtest/gtest.h"

namespace w2v::io {
namespace {

std::string RandomBytes(size_t size, uint64_t seed) {
  core::Rng rng(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng.Uniform() * 256);
  return bytes;
}

uint64_t Whole(const std::string& bytes) {
  BlockChecksum checksum;
  checksum.Add(bytes.data(), bytes.size());
  return checksum.value();
}

TEST(ChecksumTest, PiecesOfAnySizeGiveTheValueOfTheWhole) {
  const std::string bytes = RandomBytes(1000, 1);
  const uint64_t whole = Whole(bytes);
  for (const size_t piece : {1, 3, 7, 8, 31, 32, 33, 100}) {
    BlockChecksum checksum;
    for (size_t at = 0; at < bytes.size(); at += piece) {
      checksum.Add(bytes.data() + at, std::min(piece, bytes.size() - at));
    }
    EXPECT_EQ(checksum.value(), whole) << "pieces of " << piece;
  }
}

TEST(ChecksumTest, EveryFlippedBitChangesIt) {
  const std::string bytes = RandomBytes(200, 2);
  const uint64_t whole = Whole(bytes);
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = bytes;
      flipped[at] = static_cast<char>(flipped[at] ^ (1 << bit));
      EXPECT_NE(Whole(flipped), whole) << "byte " << at << " bit " << bit;
    }
  }
}

TEST(ChecksumTest, LostAddedAndZeroBytesChangeIt) {
  // Zeros at the end look like the last block's padding: the length tells them apart.
  const std::string bytes = RandomBytes(96, 3);
  const uint64_t whole = Whole(bytes);
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_NE(Whole(bytes.substr(0, length)), whole) << length;
  }
  for (size_t zeros = 1; zeros <= 40; ++zeros) {
    EXPECT_NE(Whole(bytes + std::string(zeros, '\0')), whole) << zeros;
  }
  EXPECT_NE(Whole(std::string(32, '\0')), Whole(std::string(64, '\0')));
  EXPECT_NE(Whole(""), Whole(std::string(1, '\0')));
}

TEST(ChecksumTest, FnvMatchesItsPublishedValues) {
  // The FNV-1a 64-bit test vectors of its authors: "" and "a".
  Fnv1a empty;
  EXPECT_EQ(empty.value(), 0xcbf29ce484222325ULL);
  Fnv1a a;
  a.Add("a", 1);
  EXPECT_EQ(a.value(), 0xaf63dc4c8601ec8cULL);
}

}  // namespace
}  // namespace w2v::io
