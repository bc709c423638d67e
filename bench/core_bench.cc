// Micro-benchmarks of the core training steps: one negative-sampling pair and one naive-softmax pair,
// across vector dimensions and vocabulary sizes. items/s counts (center, outside) pairs.
#include <vector>

#include "benchmark/benchmark.h"
#include "core/matrix.h"
#include "core/random.h"
#include "core/training_steps.h"

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

}  // namespace
}  // namespace w2v::core

BENCHMARK_MAIN();
