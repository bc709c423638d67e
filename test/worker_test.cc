// The worker driven in-process on a shard of ids, against the training steps taken one window at a
// time in the order the worker promises: the subsampling draw of each token as it is read, a
// sentence cut at max_sentence_length, then per center its window draw and its negatives, and the
// step. The worker plans each block window one ahead to prefetch its rows and batches softmax
// windows; neither may change a single draw or bit. Its reported loss is checked against the
// double-precision reference losses (core/reference_losses.h) of the same windows, and its counts
// against the windows' own.
#include "trainer/worker.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/embedding_store.h"
#include "core/logistic_block_step.h"
#include "core/logistic_targets.h"
#include "core/random.h"
#include "core/reference_losses.h"
#include "core/samplers.h"
#include "core/softmax_batch_step.h"
#include "core/training_steps.h"
#include "gtest/gtest.h"
#include "io/config.h"
#include "io/encoded_corpus.h"
#include "io/vocabulary.h"
#include "trainer/sentence_trainers.h"

namespace w2v::trainer {
namespace {

using core::DenseMatrix;
using core::MatrixView;

// A vocabulary of `size` words with Zipf-like counts (so that subsampling keeps frequent words with
// a probability below 1), and a shard of `sentences` sentences of random ids.
struct Problem {
  Problem(int32_t size, int sentences, int max_length, double subsample, uint64_t seed) {
    std::vector<std::pair<std::string, int64_t>> counts;
    for (int32_t w = 0; w < size; ++w)
      counts.emplace_back(absl::StrFormat("w%06d", w), 100000 / (w + 1) + 1);
    vocab = *io::Vocabulary::FromCounts(std::move(counts), {.min_count = 1, .subsample = subsample}, "test");
    core::Rng rng(seed);
    for (int s = 0; s < sentences; ++s) {
      const int length = static_cast<int>(rng.Below(max_length + 1));  // 0 and 1 included
      for (int i = 0; i < length; ++i) ids.push_back(static_cast<int32_t>(rng.Below(size)));
      ids.push_back(io::kSentenceEnd);
    }
  }
  io::Vocabulary vocab;
  std::vector<int32_t> ids;
};

io::TrainConfig Config(io::KernelKind kernel, io::LossKind loss, double subsample) {
  io::TrainConfig config;
  config.model.dim = 16;
  config.model.window = 3;
  config.model.negatives = 5;
  config.model.loss = loss;
  config.model.subsample = subsample;
  config.optim.kernel = kernel;
  config.optim.lr = 0.05;
  config.optim.seed = 17;
  config.corpus.max_sentence_length = 9;
  config.threads = 1;
  return config;
}

DenseMatrix ToDense(const MatrixView& m) {
  DenseMatrix d(m.rows, m.dim);
  for (int64_t r = 0; r < m.rows; ++r) {
    for (int64_t c = 0; c < m.dim; ++c) d.at(r, c) = m.row(r)[c];
  }
  return d;
}

// −Σ_o log softmax(U v_c)_o in double precision, straight from the definition: at 17,000 words the
// reference's dense V × d gradients per window would dominate the test (minutes under TSan).
double SoftmaxWindowLoss(const core::EmbeddingStore& store, int32_t center,
                         std::span<const int32_t> context) {
  const float* v = store.center().row(center);
  std::vector<double> scores(store.rows());
  double max = -INFINITY;
  for (int64_t w = 0; w < store.rows(); ++w) {
    const float* u = store.outside().row(w);
    double dot = 0;
    for (int64_t c = 0; c < store.dim(); ++c) dot += static_cast<double>(u[c]) * v[c];
    scores[w] = dot;
    max = std::max(max, dot);
  }
  double sum = 0;
  for (double score : scores) sum += std::exp(score - max);
  const double log_normaliser = max + std::log(sum);
  double loss = 0;
  for (int32_t o : context) loss += log_normaliser - scores[o];
  return loss;
}

// What the reference walk counted: the same fields the worker reports.
struct Tally {
  double reference_loss = 0;  // Σ reference losses, in double, at each step's starting point
  double fast_loss = 0;       // Σ of the fast steps' own returns
  int64_t windows = 0, pairs = 0, words = 0, kept = 0;
};

// The walk a worker must make, one step right after its draws: the sentences of `ids` as the worker
// cuts them, each handed to `train_sentence` with the worker's RNG.
template <typename TrainSentence>
void WalkShard(const io::TrainConfig& config, const io::Vocabulary& vocab,
               std::span<const int32_t> ids, core::Rng& rng, Tally& tally,
               TrainSentence train_sentence) {
  std::vector<int32_t> sentence;
  const auto flush = [&] {
    tally.kept += static_cast<int64_t>(sentence.size());
    train_sentence(sentence);
    sentence.clear();
  };
  for (int32_t id : ids) {
    if (id == io::kSentenceEnd) {
      flush();
      continue;
    }
    ++tally.words;
    if (!core::KeepToken(vocab.keep_probability(id), rng)) continue;
    sentence.push_back(id);
    if (static_cast<int64_t>(sentence.size()) >= config.corpus.max_sentence_length) flush();
  }
  flush();
}

// Calls step(i, context) for every center i of `sentence` with a non-empty context, drawn as the
// worker draws it (DrawContext: one window draw per center, even when the context is empty).
template <typename Step>
void ForEachWindow(const io::TrainConfig& config, const std::vector<int32_t>& sentence,
                   core::Rng& rng, Step step) {
  std::vector<int32_t> context;
  for (size_t i = 0; i < sentence.size(); ++i) {
    DrawContext(sentence, static_cast<int64_t>(i), static_cast<int32_t>(config.model.window), rng,
                context);
    if (!context.empty()) step(i, context);
  }
}

struct WorkerRun {
  core::EmbeddingStore store;
  core::TrainingCounts counts;
};

// The store both walks start from: word2vec.c's V, and U given values (it starts at zero) so that
// every score and gradient is non-trivial.
core::EmbeddingStore StartingStore(const io::TrainConfig& config, const Problem& p) {
  core::EmbeddingStore store(p.vocab.size(), config.model.dim);
  store.InitializeWord2Vec(1);
  core::Rng rng(5);
  for (int64_t r = 0; r < store.rows(); ++r) {
    for (int64_t c = 0; c < store.dim(); ++c) store.outside().row(r)[c] = rng.UniformFloat() - 0.5f;
  }
  return store;
}

// Trains shard 3 of epoch 2 (any stream will do; the worker seeds from both) with the real worker.
WorkerRun TrainWithWorker(const io::TrainConfig& config, const Problem& p) {
  core::EmbeddingStore store = StartingStore(config, p);
  const SentenceTrainerFactory trainers(config, p.vocab);
  SharedTraining shared(config, p.vocab, store, trainers);
  shared.words_total = static_cast<int64_t>(p.ids.size());
  core::ShardProgress progress;
  WorkerCounters counters;
  TrainShard(shared, p.ids, /*shard_index=*/3, /*epoch=*/2, progress, counters);
  EXPECT_EQ(progress.state, core::ShardProgress::State::kDone);
  return {std::move(store), counters.Load()};
}

// The stream TrainShard seeds shard 3 of epoch 2 from.
core::Rng WorkerRng(const io::TrainConfig& config) {
  return core::Rng(config.optim.seed, 2 * 1'000'003ULL + 3);
}

void ExpectSameMatrices(const core::EmbeddingStore& a, const core::EmbeddingStore& b) {
  for (const auto& [x, y] : {std::pair{a.center(), b.center()}, {a.outside(), b.outside()}}) {
    for (int64_t r = 0; r < x.rows; ++r) {
      for (int64_t c = 0; c < x.stride; ++c) {
        ASSERT_EQ(x.row(r)[c], y.row(r)[c]) << "row " << r << " col " << c;
      }
    }
  }
}

void ExpectCountsMatch(const core::TrainingCounts& worker, const Tally& tally) {
  EXPECT_EQ(worker.words, tally.words);
  EXPECT_EQ(worker.kept, tally.kept);
  EXPECT_EQ(worker.windows, tally.windows);
  EXPECT_EQ(worker.pairs, tally.pairs);
  EXPECT_GT(tally.windows, 50);
  // Bit for bit the fast steps' sum; within float rounding the double reference's.
  EXPECT_EQ(worker.loss_sum, tally.fast_loss);
  EXPECT_NEAR(worker.loss_sum, tally.reference_loss, 1e-5 * tally.reference_loss);
}

class WorkerTest : public ::testing::TestWithParam<double> {};  // the subsampling threshold

TEST_P(WorkerTest, BlockKernelIsTheStepsTakenOneWindowAtATime) {
  const io::TrainConfig config =
      Config(io::KernelKind::kBlock, io::LossKind::kNegativeSampling, GetParam());
  const Problem p(40, 120, 14, GetParam(), 1);
  const WorkerRun worker = TrainWithWorker(config, p);

  core::EmbeddingStore store = StartingStore(config, p);
  const core::AliasSampler noise = core::MakeNoiseSampler(p.vocab.counts(), 0.75);
  core::Rng rng = WorkerRng(config);
  Tally tally;
  core::BlockScratch scratch;
  const core::NegativeSamplingTargets planner(noise, static_cast<int32_t>(config.model.negatives));
  core::LogisticTargets targets;
  WalkShard(config, p.vocab, p.ids, rng, tally, [&](const std::vector<int32_t>& sentence) {
    ForEachWindow(config, sentence, rng, [&](size_t i, const std::vector<int32_t>& inputs) {
      planner.Plan(sentence[i], rng, targets);
      std::vector<int32_t> negatives;  // as drawn: a merged repeat is that many draws
      for (size_t t = 1; t < targets.rows.size(); ++t)
        negatives.insert(negatives.end(), static_cast<size_t>(targets.weights[t]), targets.rows[t]);
      const DenseMatrix v = ToDense(store.center()), u = ToDense(store.outside());
      for (int32_t input : inputs) {
        tally.reference_loss +=
            core::NegSamplingLossAndGradient(v.row(input), targets.rows[0], negatives, u).loss;
      }
      tally.fast_loss += core::LogisticBlockStep(store.center(), inputs, store.outside(), targets,
                                                 0.05f, scratch);
      ++tally.windows;
      tally.pairs += static_cast<int64_t>(inputs.size());
    });
  });
  ExpectSameMatrices(worker.store, store);
  ExpectCountsMatch(worker.counts, tally);
}

TEST_P(WorkerTest, PairwiseKernelsAreTheStepsTakenOneWindowAtATime) {
  for (const io::LossKind loss : {io::LossKind::kNegativeSampling, io::LossKind::kSoftmax}) {
    const bool sampled = loss == io::LossKind::kNegativeSampling;
    const io::TrainConfig config = Config(io::KernelKind::kPairwise, loss, GetParam());
    const Problem p(40, 80, 14, GetParam(), 2);
    const WorkerRun worker = TrainWithWorker(config, p);

    core::EmbeddingStore store = StartingStore(config, p);
    const core::AliasSampler noise = core::MakeNoiseSampler(p.vocab.counts(), 0.75);
    core::Rng rng = WorkerRng(config);
    Tally tally;
    core::StepScratch scratch;
    WalkShard(config, p.vocab, p.ids, rng, tally, [&](const std::vector<int32_t>& sentence) {
      ForEachWindow(config, sentence, rng, [&](size_t i, const std::vector<int32_t>& outside) {
        std::vector<int32_t> negatives;  // K per outside word, each never that outside word
        if (sampled) {
          for (int32_t o : outside) {
            for (int64_t k = 0; k < config.model.negatives; ++k) {
              negatives.push_back(core::DrawNegative(noise, o, rng));
            }
          }
        }
        const DenseMatrix v = ToDense(store.center()), u = ToDense(store.outside());
        tally.reference_loss +=
            sampled ? core::SkipGramNegSampling(sentence[i], outside, negatives, 5, v, u).loss
                    : core::SkipGramNaiveSoftmax(sentence[i], outside, v, u).loss;
        float* center = store.center().row(sentence[i]);
        tally.fast_loss += sampled ? core::NegSamplingWindowStep(center, store.outside(), outside,
                                                                 negatives, 5, 0.05f, scratch)
                                   : core::NaiveSoftmaxWindowStep(center, store.outside(), outside,
                                                                  0.05f, scratch);
        ++tally.windows;
        tally.pairs += static_cast<int64_t>(outside.size());
      });
    });
    ExpectSameMatrices(worker.store, store);
    ExpectCountsMatch(worker.counts, tally);
  }
}

// The softmax batch is one window per 1,024 words of vocabulary, from 1 to 16 (sentence_trainer.cc
// says why), and never spans two sentences.
TEST_P(WorkerTest, SoftmaxBatchesAreTheirWindowsStepsTakenAtOnePoint) {
  for (const int32_t vocab_size : {20, 3000, 17000}) {
    const int64_t batch = SoftmaxBatchFor(vocab_size);
    io::TrainConfig config = Config(io::KernelKind::kBlock, io::LossKind::kSoftmax, GetParam());
    config.corpus.max_sentence_length = 40;  // room for a whole batch and a part of one
    const Problem p(vocab_size, 12, 40, GetParam(), 3);
    const WorkerRun worker = TrainWithWorker(config, p);

    core::EmbeddingStore store = StartingStore(config, p);
    core::Rng rng = WorkerRng(config);
    Tally tally;
    core::SoftmaxScratch scratch;
    int64_t full_batches = 0;
    WalkShard(config, p.vocab, p.ids, rng, tally, [&](const std::vector<int32_t>& sentence) {
      std::vector<int32_t> centers, outside, offsets = {0};
      const auto flush = [&] {
        if (centers.empty()) return;
        full_batches += static_cast<int64_t>(centers.size()) == batch;
        for (size_t c = 0; c < centers.size(); ++c) {
          const std::span<const int32_t> window(outside.data() + offsets[c],
                                                offsets[c + 1] - offsets[c]);
          tally.reference_loss += SoftmaxWindowLoss(store, centers[c], window);
        }
        tally.fast_loss += core::NaiveSoftmaxBatchStep(store.center(), centers, store.outside(),
                                                       outside, offsets, 0.05f, scratch);
        tally.windows += static_cast<int64_t>(centers.size());
        tally.pairs += static_cast<int64_t>(outside.size());
        centers.clear();
        outside.clear();
        offsets.assign(1, 0);
      };
      ForEachWindow(config, sentence, rng, [&](size_t i, const std::vector<int32_t>& context) {
        centers.push_back(sentence[i]);
        outside.insert(outside.end(), context.begin(), context.end());
        offsets.push_back(static_cast<int32_t>(outside.size()));
        if (static_cast<int64_t>(centers.size()) == batch) flush();
      });
      flush();
    });
    EXPECT_GT(full_batches, 0) << "vocabulary " << vocab_size;
    ExpectSameMatrices(worker.store, store);
    ExpectCountsMatch(worker.counts, tally);
  }
}

// Without subsampling every token is kept and the RNG serves windows and negatives only; with it,
// one draw per token comes first.
INSTANTIATE_TEST_SUITE_P(Subsampling, WorkerTest, ::testing::Values(0.0, 1e-2));

// ---------------------------------------------------------------- one sentence trainer directly

// Reads a learning rate that halves after every step, as a worker's may change inside a sentence
// (an iterations run publishes every batch of windows), and records what it is told.
class HalvingObserver final : public StepObserver {
 public:
  float lr() const override { return lr_; }
  void Trained(double loss, int64_t windows, int64_t pairs) override {
    loss_ += loss;
    windows_ += windows;
    pairs_ += pairs;
    lr_ /= 2;
  }
  double loss_ = 0;
  int64_t windows_ = 0, pairs_ = 0;
  float lr_ = 0.05f;
};

TEST(SentenceTrainerTest, ABlockTrainerReadsTheRateAtEveryStepAndLeavesNothingInFlight) {
  const io::TrainConfig config = Config(io::KernelKind::kBlock, io::LossKind::kNegativeSampling, 0);
  const Problem p(40, 1, 0, 0, 4);
  const std::vector<int32_t> sentence = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7};
  core::EmbeddingStore trained = StartingStore(config, p);
  const SentenceTrainerFactory factory(config, p.vocab);
  HalvingObserver observer;
  core::Rng rng(11);
  factory.Make(trained)->Train(sentence, rng, observer);

  core::EmbeddingStore store = StartingStore(config, p);
  const core::AliasSampler noise = core::MakeNoiseSampler(p.vocab.counts(), 0.75);
  core::Rng replay(11);
  core::BlockScratch scratch;
  const core::NegativeSamplingTargets planner(noise, static_cast<int32_t>(config.model.negatives));
  core::LogisticTargets targets;
  float lr = 0.05f;
  double loss = 0;
  int64_t windows = 0, pairs = 0;
  ForEachWindow(config, sentence, replay, [&](size_t i, const std::vector<int32_t>& inputs) {
    planner.Plan(sentence[i], replay, targets);
    loss += core::LogisticBlockStep(store.center(), inputs, store.outside(), targets, lr, scratch);
    lr /= 2;
    ++windows;
    pairs += static_cast<int64_t>(inputs.size());
  });
  ExpectSameMatrices(trained, store);
  EXPECT_EQ(observer.windows_, static_cast<int64_t>(sentence.size()));
  EXPECT_EQ(observer.windows_, windows);
  EXPECT_EQ(observer.pairs_, pairs);
  EXPECT_EQ(observer.loss_, loss);
  // Nothing in flight: the trainer drew exactly what the steps needed, no window ahead.
  EXPECT_EQ(rng.state(), replay.state());
}

// ---------------------------------------------------------------- the negatives of a window

TEST(SharedNegativesTest, NeverTheCenterAndRepeatsMergedInOrderOfFirstDraw) {
  // Word 0 holds most of the noise mass, so it is drawn (and redrawn) often as the center.
  const std::vector<int64_t> counts = {5000, 300, 200, 100, 50};
  const core::AliasSampler noise = core::MakeNoiseSampler(counts, 0.75);
  core::Rng rng(3), replay(3);
  const core::NegativeSamplingTargets planner(noise, 15);
  core::LogisticTargets targets;
  int64_t dropped = 0;
  for (int window = 0; window < 2000; ++window) {
    const int32_t center = window % 5;
    planner.Plan(center, rng, targets);
    ASSERT_EQ(targets.labels.size(), targets.rows.size());
    EXPECT_EQ(targets.rows[0], center);
    EXPECT_EQ(targets.labels[0], 1.0f);
    EXPECT_EQ(targets.weights[0], 1.0f);
    for (size_t t = 1; t < targets.labels.size(); ++t) EXPECT_EQ(targets.labels[t], 0.0f);
    // The same draws replayed one by one: the negatives that are not the center, distinct, counted.
    std::vector<int32_t> expected_targets = {center};
    std::vector<float> expected_counts;
    for (int k = 0; k < 15; ++k) {
      const int32_t draw = core::DrawNegative(noise, center, replay);
      if (draw == center) {
        ++dropped;
        continue;
      }
      const auto at = std::find(expected_targets.begin() + 1, expected_targets.end(), draw);
      if (at == expected_targets.end()) {
        expected_targets.push_back(draw);
        expected_counts.push_back(1);
      } else {
        expected_counts[at - expected_targets.begin() - 1] += 1;
      }
    }
    ASSERT_EQ(targets.rows, expected_targets);
    ASSERT_EQ(std::vector<float>(targets.weights.begin() + 1, targets.weights.end()),
              expected_counts);
  }
  // Word 0 has P ≈ 0.86: nine draws in a row of it (the center) happen, but rarely.
  EXPECT_GT(dropped, 0);
  EXPECT_LT(dropped, 2000);
}

TEST(SharedNegativesTest, RedrawsAHitOfTheTargetAndFollowsTheNoiseOtherwise) {
  const std::vector<int64_t> counts = {400, 300, 200, 100};
  const core::AliasSampler noise = core::MakeNoiseSampler(counts, 0.75);
  core::Rng rng(8);
  std::vector<double> seen(4, 0);
  const int draws = 400000;
  for (int i = 0; i < draws; ++i) ++seen[core::DrawNegative(noise, 1, rng)];
  // A hit survives only nine draws in a row of it: P(1)^9 ≈ 1.6e-5, about 6 of 400,000 (without
  // the redraws it would be 117,000).
  EXPECT_LT(seen[1], 40);
  // P(w | w ≠ 1) = P(w) / (1 − P(1)).
  double others = 0;
  for (int w : {0, 2, 3}) others += noise.Probability(w);
  for (int w : {0, 2, 3}) {
    EXPECT_NEAR(seen[w] / draws, noise.Probability(w) / others, 0.005) << w;
  }
  // A vocabulary of one word: the draw is that word after every redraw, and the window keeps no
  // negative.
  const std::vector<int64_t> one = {7};
  const core::AliasSampler single = core::MakeNoiseSampler(one, 0.75);
  core::LogisticTargets targets;
  core::NegativeSamplingTargets(single, 5).Plan(0, rng, targets);
  EXPECT_EQ(targets.rows, std::vector<int32_t>{0});
}

}  // namespace
}  // namespace w2v::trainer
