// The windows of optim.sampling = "random_context": the CS224N starter code's sampling
// (utils/treebank.py's allSentences and getRandomContext, run.py's window draw), which the assignment's
// printed loss depends on. The corpus's sentences are copied `copies` times over, each copy
// subsampled independently and the sentences left with fewer than two words dropped, once for the
// run; each window is then a uniformly random sentence of that list and a uniformly random position
// in it, so that a short sentence is as likely as a long one (word2vec's sequential walk weights
// sentences by their length), with every occurrence of the centre word taken out of its context.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/random.h"

namespace w2v::trainer {

class ContextSentences {
 public:
  // The copies of the sentences in `shard_ids` (shards of vocabulary ids, each sentence ended by
  // io::kSentenceEnd, in corpus order), the copies one after another as the starter code's
  // `sentences * 30`: each word kept with probability keep[id], drawn from `rng` word by word in
  // that order; sentences cut at `max_length` words after subsampling, as the sequential walk cuts.
  static ContextSentences Build(const std::vector<std::vector<int32_t>>& shard_ids,
                                std::span<const float> keep, int64_t copies, int64_t max_length,
                                core::Rng& rng);

  int64_t size() const { return static_cast<int64_t>(starts_.size()) - 1; }
  std::span<const int32_t> sentence(int64_t i) const {
    return {ids_.data() + starts_[i], static_cast<size_t>(starts_[i + 1] - starts_[i])};
  }
  int64_t tokens() const { return static_cast<int64_t>(ids_.size()); }
  // Whether some sentence holds two different words: without one, every context is empty and no
  // window can be drawn.
  bool has_window() const { return has_window_; }

  // One window as getRandomContext(C') draws it, C' uniform in [1, window] once per window: a
  // uniform sentence, a uniform position in it, the C' words on either side less every occurrence
  // of the centre word, drawn again with the same C' while that leaves nothing. Needs
  // has_window().
  void DrawWindow(int32_t window, core::Rng& rng, int32_t& center,
                  std::vector<int32_t>& context) const;

 private:
  std::vector<int32_t> ids_;
  std::vector<int64_t> starts_{0};  // sentence i is ids_[starts_[i], starts_[i + 1])
  bool has_window_ = false;
};

}  // namespace w2v::trainer
