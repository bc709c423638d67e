// The Huffman tree of hierarchical softmax, built as word2vec.c's CreateBinaryTree builds it, so that
// every word's path is word2vec.c's own: two queues (the words, least frequent first, and the inner
// nodes in the order they are made), each step joining the two smallest, a tie taken from the
// queue of inner nodes; the second node of a pair gets code bit 1. A word's path runs from the root
// to its leaf: node l of it is an inner node (a row of the inner-node matrix, the root being V − 2),
// and its code bit says which child the path takes there.
//
// P(w | h) = Π_l σ((1 − 2·code_l) · u_{node_l}ᵀ h) over the path: every inner node splits the
// probability of its subtree between its two children, so the V leaves' probabilities sum to 1
// (docs/MATH.md §9).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace w2v::core {

class HuffmanTree {
 public:
  HuffmanTree() = default;
  // `counts` in descending order, as the vocabulary keeps them (word2vec.c's tie rule assumes it).
  explicit HuffmanTree(std::span<const int64_t> counts);

  int64_t words() const { return static_cast<int64_t>(starts_.size()) - 1; }
  // The inner nodes: words − 1 of them, numbered 0 .. words − 2 (the root last).
  int64_t inner_nodes() const { return words() > 0 ? words() - 1 : 0; }
  // The inner nodes on word w's path, root first, and the code bit taken at each.
  std::span<const int32_t> nodes(int32_t w) const {
    return {nodes_.data() + starts_[w], static_cast<size_t>(starts_[w + 1] - starts_[w])};
  }
  std::span<const uint8_t> codes(int32_t w) const {
    return {codes_.data() + starts_[w], static_cast<size_t>(starts_[w + 1] - starts_[w])};
  }

 private:
  std::vector<int32_t> nodes_;
  std::vector<uint8_t> codes_;
  std::vector<int64_t> starts_{0};  // word w's path is [starts_[w], starts_[w + 1])
};

}  // namespace w2v::core
