// The targets of one logistic step: rows of the target matrix, each with a label (1 or 0) and a
// weight, scored against an input vector by σ(±s). Negative sampling and hierarchical softmax are
// both this shape (docs/MATH.md §4 and §9), so one block step and one CBOW step serve both, and
// what differs is where the targets come from:
// - negative sampling: the true word (label 1), then K draws from the noise distribution (label 0),
//   repeats merged into one target weighing as many draws, never the true word itself;
// - hierarchical softmax: the inner nodes on the true word's path in the Huffman tree, each
//   labelled 1 − its code bit (word2vec.c's g = (1 − code − σ)·α), weight 1.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/hot_rows.h"
#include "core/huffman_tree.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/samplers.h"

namespace w2v::core {

struct LogisticTargets {
  std::vector<int32_t> rows;
  std::vector<float> labels;
  std::vector<float> weights;
  // Where each row is when some live outside the matrix (Redirect: a worker's HotRows); empty when
  // they are all the matrix's.
  std::vector<float*> redirected;

  // Row t of `matrix`, or where it was redirected to.
  float* row(const MatrixView& matrix, size_t t) const {
    return redirected.empty() ? matrix.row(rows[t]) : redirected[t];
  }
  // Points the rows `hot` holds at its copies, the others at `matrix`.
  void Redirect(const MatrixView& matrix, HotRows& hot) {
    redirected.resize(rows.size());
    for (size_t t = 0; t < rows.size(); ++t) {
      redirected[t] = hot.holds(rows[t]) ? hot.row(rows[t]) : matrix.row(rows[t]);
    }
  }

  void Clear() {
    rows.clear();
    labels.clear();
    weights.clear();
    redirected.clear();
  }
  void Add(int32_t row, float label, float weight) {
    rows.push_back(row);
    labels.push_back(label);
    weights.push_back(weight);
  }
};

// Where a window's targets come from, given the word it predicts.
class TargetPlanner {
 public:
  virtual ~TargetPlanner() = default;
  virtual void Plan(int32_t word, Rng& rng, LogisticTargets& targets) const = 0;
  // Starts loading what a Plan from `rng`'s state would read at random (no draw is consumed), so
  // that a Plan made later from that state does not wait on memory; a guess that proves wrong (a
  // redraw) costs a wasted load and changes no result.
  virtual void Prefetch(const Rng& /*rng*/) const {}
};

// Negative sampling: `word`, then `negatives` draws shared by the window (DrawNegative, redrawn when
// they hit `word`; a draw that still hits it, possible only in a vocabulary of a word or two, is
// dropped), repeats merged in order of first draw.
class NegativeSamplingTargets final : public TargetPlanner {
 public:
  NegativeSamplingTargets(const AliasSampler& noise, int32_t negatives)
      : noise_(noise), negatives_(negatives) {}

  void Prefetch(const Rng& rng) const override { noise_.PrefetchDraws(rng, negatives_); }

  void Plan(int32_t word, Rng& rng, LogisticTargets& targets) const override {
    targets.Clear();
    targets.Add(word, 1.0f, 1.0f);
    for (int32_t k = 0; k < negatives_; ++k) {
      const int32_t draw = DrawNegative(noise_, word, rng);
      if (draw == word) continue;
      const auto seen = std::find(targets.rows.begin() + 1, targets.rows.end(), draw);
      if (seen != targets.rows.end()) {
        targets.weights[seen - targets.rows.begin()] += 1.0f;
      } else {
        targets.Add(draw, 0.0f, 1.0f);
      }
    }
  }

 private:
  const AliasSampler& noise_;
  const int32_t negatives_;
};

// Hierarchical softmax: `word`'s path, root first; no draws.
class HierarchicalSoftmaxTargets final : public TargetPlanner {
 public:
  explicit HierarchicalSoftmaxTargets(const HuffmanTree& tree) : tree_(tree) {}

  void Plan(int32_t word, Rng& /*rng*/, LogisticTargets& targets) const override {
    targets.Clear();
    const auto nodes = tree_.nodes(word);
    const auto codes = tree_.codes(word);
    for (size_t l = 0; l < nodes.size(); ++l) {
      targets.Add(nodes[l], codes[l] == 0 ? 1.0f : 0.0f, 1.0f);
    }
  }

 private:
  const HuffmanTree& tree_;
};

}  // namespace w2v::core
