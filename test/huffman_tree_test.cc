// core/huffman_tree.h: word2vec.c's tree, its tie rule and its codes, and what any Huffman code must
// be: prefix-free, complete (Kraft's sum is 1) and of the least total weighted length.
#include "core/huffman_tree.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace w2v::core {
namespace {

using ::testing::ElementsAre;

std::vector<int32_t> Nodes(const HuffmanTree& tree, int32_t w) {
  return {tree.nodes(w).begin(), tree.nodes(w).end()};
}
std::vector<int> Codes(const HuffmanTree& tree, int32_t w) {
  return {tree.codes(w).begin(), tree.codes(w).end()};
}

// By hand, following word2vec.c's CreateBinaryTree: words 3 and 2 join first (inner node 0); then
// word 1 (count 3) ties with inner node 0 (count 3) and the inner node is taken first, so it is
// the pair's first and word 1 its second (code 1); then word 0 and inner node 1 join at the root.
TEST(HuffmanTreeTest, IsWord2vecsTreeWithItsTieRule) {
  const std::vector<int64_t> counts = {5, 3, 2, 1};
  const HuffmanTree tree(counts);
  EXPECT_EQ(tree.words(), 4);
  EXPECT_EQ(tree.inner_nodes(), 3);
  EXPECT_THAT(Nodes(tree, 0), ElementsAre(2));
  EXPECT_THAT(Codes(tree, 0), ElementsAre(0));
  EXPECT_THAT(Nodes(tree, 1), ElementsAre(2, 1));
  EXPECT_THAT(Codes(tree, 1), ElementsAre(1, 1));
  EXPECT_THAT(Nodes(tree, 2), ElementsAre(2, 1, 0));
  EXPECT_THAT(Codes(tree, 2), ElementsAre(1, 0, 1));
  EXPECT_THAT(Nodes(tree, 3), ElementsAre(2, 1, 0));
  EXPECT_THAT(Codes(tree, 3), ElementsAre(1, 0, 0));
}

TEST(HuffmanTreeTest, OneAndTwoWords) {
  const HuffmanTree one(std::vector<int64_t>{7});
  EXPECT_EQ(one.inner_nodes(), 0);
  EXPECT_TRUE(one.nodes(0).empty());
  const HuffmanTree two(std::vector<int64_t>{2, 1});
  EXPECT_THAT(Nodes(two, 0), ElementsAre(0));
  EXPECT_THAT(Codes(two, 0), ElementsAre(1));  // the heavier word is the pair's second
  EXPECT_THAT(Codes(two, 1), ElementsAre(0));
}

// The least Σ count · length any binary prefix code can have, by the textbook heap construction.
int64_t OptimalCost(const std::vector<int64_t>& counts) {
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> heap(counts.begin(),
                                                                          counts.end());
  int64_t cost = 0;
  while (heap.size() > 1) {
    const int64_t a = heap.top();
    heap.pop();
    const int64_t b = heap.top();
    heap.pop();
    cost += a + b;
    heap.push(a + b);
  }
  return cost;
}

TEST(HuffmanTreeTest, CodesArePrefixFreeCompleteAndOptimal) {
  Rng rng(17);
  for (int64_t v : {3, 10, 57, 1000}) {
    std::vector<int64_t> counts(v);
    for (int64_t& c : counts) c = 1 + rng.Below(rng.Below(2) == 0 ? 5 : 100000);  // many ties
    std::sort(counts.begin(), counts.end(), std::greater<>());
    const HuffmanTree tree(counts);
    std::set<std::string> codes;
    double kraft = 0;
    int64_t cost = 0;
    for (int32_t w = 0; w < v; ++w) {
      const auto nodes = tree.nodes(w);
      ASSERT_FALSE(nodes.empty());
      EXPECT_EQ(nodes[0], v - 2) << "every path starts at the root";
      for (int32_t n : nodes) ASSERT_TRUE(n >= 0 && n < v - 1);
      std::string code;
      for (uint8_t bit : tree.codes(w)) code += static_cast<char>('0' + bit);
      codes.insert(code);
      kraft += std::ldexp(1.0, -static_cast<int>(code.size()));
      cost += counts[w] * static_cast<int64_t>(code.size());
    }
    ASSERT_EQ(static_cast<int64_t>(codes.size()), v) << "distinct codes";
    for (auto a = codes.begin(), b = std::next(a); b != codes.end(); ++a, ++b) {
      EXPECT_NE(b->rfind(*a, 0), 0u) << *a << " is a prefix of " << *b;  // sorted: a prefix sits just before
    }
    EXPECT_DOUBLE_EQ(kraft, 1.0);
    EXPECT_EQ(cost, OptimalCost(counts));
  }
}

}  // namespace
}  // namespace w2v::core
