#include "trainer/sentence_trainer.h"

#include <algorithm>

#include "core/softmax_batch_step.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {

// A batch sums its windows' gradients taken at one point. Over a vocabulary of a few hundred words
// every window moves the same rows, and 16 summed steps overshoot where 16 sequential ones do not
// (a 20-word vocabulary diverged at lr 0.05), so small vocabularies get small batches: one window
// per 1,024 words, at most 16, at least 1 (which is the sequential step).
int64_t SoftmaxBatchFor(int64_t vocab_size) {
  return std::clamp<int64_t>(vocab_size / 1024, 1, core::kSoftmaxBatch);
}

SentenceTrainerFactory::SentenceTrainerFactory(const io::TrainConfig& config,
                                               const io::Vocabulary& vocab)
    : arch_(config.model.arch),
      kernel_(config.optim.kernel),
      loss_(config.model.loss),
      exact_cbow_gradient_(config.model.cbow_gradient == io::CbowGradient::kExact),
      window_(static_cast<int32_t>(config.model.window)),
      negatives_(static_cast<int32_t>(config.model.negatives)),
      softmax_batch_(SoftmaxBatchFor(vocab.size())),
      threads_(config.threads) {
  if (loss_ == io::LossKind::kNegativeSampling) {
    noise_ = core::MakeNoiseSampler(vocab.counts(), config.model.noise_exponent);
    planner_ = std::make_unique<core::NegativeSamplingTargets>(noise_, negatives_);
  } else if (loss_ == io::LossKind::kHierarchicalSoftmax) {
    tree_ = core::HuffmanTree(vocab.counts());
    planner_ = std::make_unique<core::HierarchicalSoftmaxTargets>(tree_);
  }
}

// An inner node is on the paths of its subtree's words, so the heaviest nodes are on the most
// paths: the root on every one. The 31 heaviest (the last made, so the last rows; as many as a
// full tree's top five levels) are each worker's own between folds (core/hot_rows.h), when there
// is another worker to share them with. On text8 at two threads 31 beat 15, 63 and 127.
constexpr int64_t kHotInnerNodes = 31;

std::unique_ptr<SentenceTrainer> SentenceTrainerFactory::Make(core::EmbeddingStore& store) const {
  HotRowRange hot;
  if (loss_ == io::LossKind::kHierarchicalSoftmax && threads_ > 1) {
    hot.count = std::min(kHotInnerNodes, tree_.inner_nodes());
    hot.first = tree_.inner_nodes() - hot.count;
  }
  // The config refuses the other combinations (io/config.cc): CBOW with the naive softmax, and
  // the pairwise kernel with CBOW or hierarchical softmax.
  if (arch_ == io::ArchKind::kCbow) {
    return MakeCbowTrainer(store, window_, *planner_, exact_cbow_gradient_, hot);
  }
  if (loss_ == io::LossKind::kSoftmax) {
    return kernel_ == io::KernelKind::kPairwise ? MakePairwiseSoftmaxTrainer(store, window_)
                                                : MakeSoftmaxBatchTrainer(store, window_,
                                                                          softmax_batch_);
  }
  if (kernel_ == io::KernelKind::kPairwise) {
    return MakePairwiseNegSamplingTrainer(store, window_, negatives_, noise_);
  }
  return MakeBlockTrainer(store, window_, *planner_, hot);
}

}  // namespace w2v::trainer
