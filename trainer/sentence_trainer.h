// Training one sentence at a time: the interface every combination of architecture, loss and kernel
// trains through, and the factory that picks the combination a config names and owns what its loss
// shares between workers. ShardTrainer (worker.cc) walks a shard, subsamples and cuts sentences,
// and hands each to a SentenceTrainer; what happens inside a sentence is the trainer's alone.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/embedding_store.h"
#include "core/huffman_tree.h"
#include "core/logistic_targets.h"
#include "core/random.h"
#include "core/samplers.h"
#include "io/config.h"
#include "io/vocabulary.h"

namespace w2v::trainer {

// Where a sentence trainer reads the learning rate and reports each step. The rate may change
// between two steps of one sentence: a run counted in iterations publishes every batch of windows.
class StepObserver {
 public:
  virtual float lr() const = 0;
  // A step over `windows` windows holding `pairs` (center, context) pairs, with their summed loss.
  virtual void Trained(double loss, int64_t windows, int64_t pairs) = 0;

 protected:
  ~StepObserver() = default;
};

class SentenceTrainer {
 public:
  virtual ~SentenceTrainer() = default;
  // Trains every window of `sentence` (vocabulary ids left after subsampling), drawing from `rng`
  // in the same order as if each window were drawn just before its step, and returns with nothing
  // in flight: between two sentences a worker's whole state is its position, its RNG and its
  // counts.
  virtual void Train(std::span<const int32_t> sentence, core::Rng& rng, StepObserver& observer) = 0;
};

// Windows per softmax batch for a vocabulary of `vocab_size` words (sentence_trainer.cc says why).
int64_t SoftmaxBatchFor(int64_t vocab_size);

// Chooses the sentence trainer for a config, once per run, and owns the loss's shared resources:
// the noise distribution of negative sampling, the Huffman tree of hierarchical softmax (whose
// inner nodes are the rows of the store's second matrix: V − 1 of its V rows), and the target
// planner over either.
class SentenceTrainerFactory {
 public:
  SentenceTrainerFactory(const io::TrainConfig& config, const io::Vocabulary& vocab);

  // A trainer for one worker's task, with its own scratch buffers, writing into `store`.
  std::unique_ptr<SentenceTrainer> Make(core::EmbeddingStore& store) const;
  // Negative sampling's noise distribution, which optim.sampling = "random_context" draws from too.
  const core::AliasSampler& noise() const { return noise_; }

 private:
  io::ArchKind arch_;
  io::KernelKind kernel_;
  io::LossKind loss_;
  bool exact_cbow_gradient_;
  int32_t window_;
  int32_t negatives_;
  int64_t softmax_batch_;
  int64_t threads_;
  core::AliasSampler noise_;  // negative sampling only
  core::HuffmanTree tree_;    // hierarchical softmax only
  std::unique_ptr<core::TargetPlanner> planner_;  // over noise_ or tree_
};

}  // namespace w2v::trainer
