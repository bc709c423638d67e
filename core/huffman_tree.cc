#include "core/huffman_tree.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace w2v::core {

HuffmanTree::HuffmanTree(std::span<const int64_t> counts) {
  const auto v = static_cast<int64_t>(counts.size());
  assert(std::is_sorted(counts.begin(), counts.end(), std::greater<>()));
  if (v == 0) return;
  // Nodes 0 .. v − 1 are the words, v .. 2v − 2 the inner nodes in the order they are made.
  std::vector<int64_t> weight(2 * v - 1, std::numeric_limits<int64_t>::max());
  std::copy(counts.begin(), counts.end(), weight.begin());
  std::vector<int64_t> parent(2 * v - 1, -1);
  std::vector<uint8_t> bit(2 * v - 1, 0);
  int64_t next_word = v - 1;  // the least frequent word not yet joined
  int64_t next_inner = v;     // the oldest inner node not yet joined
  auto take_smallest = [&] {
    // word2vec.c's rule: a word only when it is strictly lighter than the oldest inner node.
    if (next_word >= 0 && (next_inner >= v + (v - 1) || weight[next_word] < weight[next_inner])) {
      return next_word--;
    }
    return next_inner++;
  };
  for (int64_t a = 0; a < v - 1; ++a) {
    const int64_t first = take_smallest();
    const int64_t second = take_smallest();
    weight[v + a] = weight[first] + weight[second];
    parent[first] = v + a;
    parent[second] = v + a;
    bit[second] = 1;
  }
  const int64_t root = 2 * v - 2;
  std::vector<int32_t> path;
  std::vector<uint8_t> code;
  for (int64_t w = 0; w < v; ++w) {
    path.clear();
    code.clear();
    // Leaf to root, then reversed: each step records the parent (an inner node) and the bit of
    // the child the path came from.
    for (int64_t node = w; node != root; node = parent[node]) {
      path.push_back(static_cast<int32_t>(parent[node] - v));
      code.push_back(bit[node]);
    }
    nodes_.insert(nodes_.end(), path.rbegin(), path.rend());
    codes_.insert(codes_.end(), code.rbegin(), code.rend());
    starts_.push_back(static_cast<int64_t>(nodes_.size()));
  }
}

}  // namespace w2v::core
