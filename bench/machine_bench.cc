// The machine's roofs, for placing the kernels on a roofline: peak float FMA throughput of one core
// (independent multiply-adds at the CPU's vector width, as the block kernel issues them) and
// memory bandwidth (a streaming sum and a triad over arrays far larger than the last-level cache).
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/simd.h"

namespace {

using w2v::core::simd::Broadcast;
using w2v::core::simd::Load;
// The kernels' width on this build's CPU: a wider vector would be kept in memory, and measure that.
using V = w2v::core::simd::NativeFloats;
constexpr int kLanes = w2v::core::simd::kLanesOf<V>;

// 12 independent accumulators hide the FMA latency (4 cycles) at 2 FMAs a cycle with room to spare.
void BM_PeakFma(benchmark::State& state) {
  constexpr int kChains = 12;
  constexpr int64_t kSteps = 1 << 16;
  V acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = Broadcast<V>(static_cast<float>(i) * 1e-3f);
  const V a = Broadcast<V>(0.999f);
  const V b = Broadcast<V>(1e-4f);
  for (auto _ : state) {
    // Without -ffast-math the compiler may not fold or reorder these: every FMA is executed.
    for (int64_t s = 0; s < kSteps; ++s) {
      for (int i = 0; i < kChains; ++i) acc[i] = acc[i] * a + b;
    }
    for (int i = 0; i < kChains; ++i) benchmark::DoNotOptimize(acc[i]);
  }
  // Each lane of each FMA is 2 FLOPs.
  state.counters["FLOPS"] = benchmark::Counter(
      2.0 * kLanes * kChains * kSteps * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PeakFma);

constexpr int64_t kStreamFloats = 64 << 20;  // 256 MB per array

void BM_MemoryReadBandwidth(benchmark::State& state) {
  std::vector<float> data(kStreamFloats, 1.0f);
  for (auto _ : state) {
    V s0{}, s1{}, s2{}, s3{};
    for (int64_t i = 0; i < kStreamFloats; i += 4 * kLanes) {
      s0 += Load<V>(&data[i]);
      s1 += Load<V>(&data[i + kLanes]);
      s2 += Load<V>(&data[i + 2 * kLanes]);
      s3 += Load<V>(&data[i + 3 * kLanes]);
    }
    benchmark::DoNotOptimize(s0 + s1 + s2 + s3);
  }
  state.SetBytesProcessed(state.iterations() * kStreamFloats * 4);
}
BENCHMARK(BM_MemoryReadBandwidth)->Unit(benchmark::kMillisecond);

// a = b + s·c: two streams read, one written (STREAM's triad; bytes counted as 3 streams).
void BM_MemoryTriadBandwidth(benchmark::State& state) {
  std::vector<float> a(kStreamFloats, 0.0f), b(kStreamFloats, 1.0f), c(kStreamFloats, 2.0f);
  for (auto _ : state) {
    for (int64_t i = 0; i < kStreamFloats; ++i) a[i] = b[i] + 0.5f * c[i];
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * kStreamFloats * 4 * 3);
}
BENCHMARK(BM_MemoryTriadBandwidth)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
