// core/random.h: streams, saved state and ranges of the generator.
#include "core/random.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace w2v::core {
namespace {

TEST(RngTest, StreamsDifferAndRepeat) {
  Rng a(42, 0), b(42, 1), a_again(42, 0);
  bool differ = false;
  for (int i = 0; i < 8; ++i) {
    const uint64_t x = a.Next();
    differ = differ || x != b.Next();
    EXPECT_EQ(x, a_again.Next());
  }
  EXPECT_TRUE(differ);
}

TEST(RngTest, StateRoundTrips) {
  Rng a(9);
  a.Next();
  Rng b(1);
  b.set_state(a.state());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(RngTest, BelowAndUniformStayInRange) {
  Rng rng(77);
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t x = rng.Below(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}
}  // namespace
}  // namespace w2v::core
