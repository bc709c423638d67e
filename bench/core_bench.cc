// Micro-benchmarks of the core training steps: the vector primitives (dot, axpy) by dimension, noise
// draws, one negative-sampling pair, one naive-softmax pair, and one HogBatch block step, across
// shapes, vector dimensions and vocabulary sizes. items/s counts what each names: calls of the
// primitive, draws, or (center, outside) pairs.
#include <cmath>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/cbow_step.h"
#include "core/logistic_block_step.h"
#include "core/logistic_targets.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/samplers.h"
#include "core/training_steps.h"
#include "core/vector_ops.h"

namespace w2v::core {
namespace {

constexpr int64_t kStrideMultiple = 16;

struct Matrices {
  Matrices(int64_t vocab, int64_t dim) {
    const int64_t stride = (dim + kStrideMultiple - 1) / kStrideMultiple * kStrideMultiple;
    Rng rng(1);
    center.resize(vocab * stride);
    outside.resize(vocab * stride);
    for (float& v : center) v = (rng.UniformFloat() - 0.5f) / static_cast<float>(dim);
    for (float& v : outside) v = (rng.UniformFloat() - 0.5f) / static_cast<float>(dim);
    center_view = {center.data(), vocab, dim, stride};
    outside_view = {outside.data(), vocab, dim, stride};
  }
  std::vector<float> center, outside;
  MatrixView center_view, outside_view;
};

// Rows as the matrices store them (16-float aligned stride, vectors in L1): the primitives' own speed,
// without the cache misses of the training steps. bytes/s counts the floats read and written.
void BM_Dot(benchmark::State& state) {
  const int64_t dim = state.range(0);
  Matrices m(2, dim);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Dot(m.center_view.row(0), m.center_view.row(1), dim));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 2 * dim * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_Dot)->ArgName("dim")->Arg(10)->Arg(100)->Arg(128)->Arg(300);

void BM_Axpy(benchmark::State& state) {
  const int64_t dim = state.range(0);
  Matrices m(2, dim);
  // alpha and -alpha alternate so that the row neither grows nor drifts to denormals.
  float alpha = 1e-3f;
  for (auto _ : state) {
    Axpy(alpha, m.center_view.row(0), m.center_view.row(1), dim);
    benchmark::ClobberMemory();
    alpha = -alpha;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 3 * dim * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_Axpy)->ArgName("dim")->Arg(10)->Arg(100)->Arg(128)->Arg(300);

// Negatives from the noise distribution of a Zipf-like vocabulary (count ∝ 1/rank), as training draws
// them: the alias table is 8 bytes a word, so 1M words (8 MB) leave L2 and a draw waits on memory.
void BM_NoiseSamplerDraw(benchmark::State& state) {
  const int64_t vocab = state.range(0);
  std::vector<int64_t> counts(vocab);
  for (int64_t r = 0; r < vocab; ++r) counts[r] = std::llround(1e9 / static_cast<double>(r + 1));
  const AliasSampler sampler = MakeNoiseSampler(counts, 0.75);
  Rng rng(5);
  for (auto _ : state) benchmark::DoNotOptimize(sampler.Draw(rng));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NoiseSamplerDraw)->ArgName("vocab")->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_NegSamplingPairStep(benchmark::State& state) {
  const int64_t dim = state.range(0);
  const int64_t vocab = state.range(1);
  constexpr int32_t kNegatives = 5;
  Matrices m(vocab, dim);
  Rng rng(2);
  StepScratch scratch;
  std::vector<int32_t> outside(1), negatives(kNegatives);
  for (auto _ : state) {
    const int32_t center = static_cast<int32_t>(rng.Below(vocab));
    outside[0] = static_cast<int32_t>(rng.Below(vocab));
    for (int32_t& n : negatives) n = static_cast<int32_t>(rng.Below(vocab));
    benchmark::DoNotOptimize(NegSamplingWindowStep(m.center_view.row(center), m.outside_view,
                                                   outside, negatives, kNegatives, 0.025f,
                                                   scratch));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NegSamplingPairStep)
    ->ArgNames({"dim", "vocab"})
    ->ArgsProduct({{10, 100, 300}, {1000, 10000, 100000}});

void BM_NaiveSoftmaxPairStep(benchmark::State& state) {
  const int64_t dim = state.range(0);
  const int64_t vocab = state.range(1);
  Matrices m(vocab, dim);
  Rng rng(3);
  StepScratch scratch;
  std::vector<int32_t> outside(1);
  for (auto _ : state) {
    const int32_t center = static_cast<int32_t>(rng.Below(vocab));
    outside[0] = static_cast<int32_t>(rng.Below(vocab));
    benchmark::DoNotOptimize(
        NaiveSoftmaxWindowStep(m.center_view.row(center), m.outside_view, outside, 1e-4f, scratch));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveSoftmaxPairStep)
    ->ArgNames({"dim", "vocab"})
    ->ArgsProduct({{10, 100, 300}, {1000, 10000, 100000}});

// Distinct target rows, as the worker makes them: the first labelled 1, the rest 0.
void DrawDistinctTargets(int64_t count, int64_t vocab, Rng& rng, LogisticTargets& targets) {
  targets.Clear();
  for (int64_t t = 0; t < count; ++t) {
    targets.Add(static_cast<int32_t>(rng.Below(vocab / count) * count + t), t == 0 ? 1.0f : 0.0f,
                1.0f);
  }
}

// One block step: B context rows against T = K + 1 target rows, rows drawn uniformly from `vocab`
// (1,000 rows stay in cache; 100,000 rows of dim 100 are 90 MB, so most rows come from memory).
// FLOPs counts the kernel's multiply-adds (2 FLOPs each) over the padded rows: 3 · T · B · stride.
void BM_NegSamplingBlockStep(benchmark::State& state) {
  const int64_t inputs_count = state.range(0);
  const int64_t targets_count = state.range(1);
  const int64_t dim = state.range(2);
  const int64_t vocab = state.range(3);
  Matrices m(vocab, dim);
  Rng rng(4);
  BlockScratch scratch;
  std::vector<int32_t> inputs(inputs_count);
  LogisticTargets targets;
  for (auto _ : state) {
    for (int32_t& i : inputs) i = static_cast<int32_t>(rng.Below(vocab));
    DrawDistinctTargets(targets_count, vocab, rng, targets);
    benchmark::DoNotOptimize(
        LogisticBlockStep(m.center_view, inputs, m.outside_view, targets, 1e-4f, scratch));
  }
  state.SetItemsProcessed(state.iterations() * inputs_count);
  const double flops = 6.0 * static_cast<double>(inputs_count * targets_count *
                                                 m.center_view.stride);
  state.counters["FLOPS"] = benchmark::Counter(flops * static_cast<double>(state.iterations()),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NegSamplingBlockStep)
    ->ArgNames({"B", "T", "dim", "vocab"})
    ->ArgsProduct({{2, 6, 10}, {6, 11, 16}, {100, 300}, {1000, 100000}});

// One CBOW step: the mean of m context rows against T targets (K + 1 under negative sampling,
// the path's length, about log2 V, under hierarchical softmax). FLOPs: m·stride for the mean,
// 3·T·stride for the scores and both updates, m·stride for the context rows.
void BM_CbowStep(benchmark::State& state) {
  const int64_t context_count = state.range(0);
  const int64_t targets_count = state.range(1);
  const int64_t dim = state.range(2);
  const int64_t vocab = state.range(3);
  Matrices m(vocab, dim);
  Rng rng(5);
  CbowScratch scratch;
  std::vector<int32_t> context(context_count);
  LogisticTargets targets;
  for (auto _ : state) {
    for (int32_t& i : context) i = static_cast<int32_t>(rng.Below(vocab));
    DrawDistinctTargets(targets_count, vocab, rng, targets);
    benchmark::DoNotOptimize(CbowStep(m.center_view, context, m.outside_view, targets, 1e-4f,
                                      /*exact_gradient=*/false, scratch));
  }
  state.SetItemsProcessed(state.iterations());
  const double flops =
      2.0 * static_cast<double>((2 * context_count + 3 * targets_count) * m.center_view.stride);
  state.counters["FLOPS"] = benchmark::Counter(flops * static_cast<double>(state.iterations()),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CbowStep)
    ->ArgNames({"m", "T", "dim", "vocab"})
    ->ArgsProduct({{2, 6, 10}, {6, 11, 17}, {100, 300}, {1000, 100000}});

}  // namespace
}  // namespace w2v::core

BENCHMARK_MAIN();
