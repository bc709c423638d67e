#include "io/shortest_float.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace w2v::io {
namespace {

std::string Mine(float value) {
  char buffer[kShortestFloatChars];
  return std::string(buffer, WriteShortestFloat(buffer, value));
}

std::string Reference(float value) {
  char buffer[64];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof(buffer), value).ptr);
}

// Counts disagreements with std::to_chars, printing the first few.
class Agreement {
 public:
  void Check(float value) {
    ++checked_;
    if (Mine(value) == Reference(value)) return;
    if (++differ_ <= 10) {
      ADD_FAILURE() << std::hexfloat << value << ": to_chars writes " << Reference(value)
                    << ", WriteShortestFloat " << Mine(value);
    }
  }
  int64_t checked() const { return checked_; }
  int64_t differ() const { return differ_; }

 private:
  int64_t checked_ = 0;
  int64_t differ_ = 0;
};

TEST(ShortestFloatTest, SpecialValuesAndTheEdgesOfTheFastPath) {
  Agreement agreement;
  const float limits[] = {0.0f,
                          std::numeric_limits<float>::min(),
                          std::numeric_limits<float>::denorm_min(),
                          std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::epsilon()};
  for (const float value : limits) {
    agreement.Check(value);
    agreement.Check(-value);
  }
  // Powers of two and of ten, the fast path's bounds, and each float beside them.
  for (int e = -40; e <= 40; ++e) {
    for (const float base : {std::ldexp(1.0f, e), static_cast<float>(std::pow(10.0, e / 4.0))}) {
      for (const float value : {std::nextafter(base, 0.0f), base, std::nextafter(base, 1e30f)}) {
        agreement.Check(value);
        agreement.Check(-value);
      }
    }
  }
  for (const float value : {0.001f, 0.5f, 1.5f, 123.456f, 99999.99f, 9.9999999f, 12345678.0f,
                            85748232.0f, 1e7f, 1e8f, 100000.0f}) {
    agreement.Check(value);
    agreement.Check(-value);
  }
  EXPECT_EQ(agreement.differ(), 0);
}

TEST(ShortestFloatTest, AgreesWithToCharsOnWordVectorValuesAndRandomBits) {
  std::mt19937_64 rng(20261204);
  Agreement agreement;
  std::normal_distribution<float> weights(0.0f, 0.3f);
  for (int i = 0; i < 1'000'000; ++i) agreement.Check(weights(rng));
  for (int i = 0; i < 1'000'000; ++i) {
    const auto value = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    if (std::isfinite(value)) agreement.Check(value);
  }
  EXPECT_EQ(agreement.differ(), 0) << "of " << agreement.checked();
}

TEST(ShortestFloatTest, AgreesWithToCharsAcrossTheFastPathsRange) {
  // Every 151st float from just below 10^-3 to 10^8: about two million, in every binade.
  Agreement agreement;
  const auto first = std::bit_cast<uint32_t>(0.0009f);
  const auto last = std::bit_cast<uint32_t>(1.1e8f);
  for (uint32_t bits = first; bits < last; bits += 151) {
    agreement.Check(std::bit_cast<float>(bits));
  }
  EXPECT_GT(agreement.checked(), 1'000'000);
  EXPECT_EQ(agreement.differ(), 0) << "of " << agreement.checked();
}

// The row writer decides a batch of values before writing any: over rows of every length from 1
// to 40 (batches whole and cut short), special values among ordinary ones, it must write what
// to_chars writes, a space before each.
TEST(ShortestFloatTest, SpacedRowsAreToCharsValueByValue) {
  std::mt19937_64 rng(20261206);
  std::normal_distribution<float> weights(0.0f, 0.3f);
  std::vector<float> values;
  for (const float special : {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::denorm_min(), 1e8f, 0.001f, 0.5f}) {
    values.push_back(special);
  }
  for (int i = 0; i < 200'000; ++i) {
    values.push_back(i % 3 == 0 ? std::bit_cast<float>(static_cast<uint32_t>(rng()))
                                : weights(rng));
  }
  std::vector<char> row(40 * (kShortestFloatChars + 1));
  int64_t differ = 0;
  size_t next = 0;
  for (size_t length = 1; next + length <= values.size(); length = length % 40 + 1) {
    const std::span<const float> slice(values.data() + next, length);
    std::string expected;
    for (const float value : slice) {
      expected += ' ';
      expected += Reference(value);
    }
    const std::string written(row.data(), WriteSpacedShortestFloats(row.data(), slice));
    if (written != expected && ++differ <= 5) {
      ADD_FAILURE() << "a row of " << length << " at value " << next << ": wrote '" << written
                    << "', to_chars '" << expected << "'";
    }
    next += length;
  }
  EXPECT_EQ(differ, 0);
}

}  // namespace
}  // namespace w2v::io
