// The machine's roofs, for placing the kernels on a roofline: peak float FMA throughput of one core
// (independent 16-float multiply-adds, as the block kernel issues them) and memory bandwidth (a
// streaming sum and a triad over arrays far larger than the last-level cache).
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

using V16 = float __attribute__((vector_size(64), aligned(4)));

// 12 independent accumulators hide the FMA latency (4 cycles) at 2 FMAs a cycle with room to spare.
void BM_PeakFma(benchmark::State& state) {
  constexpr int kChains = 12;
  constexpr int64_t kSteps = 1 << 16;
  V16 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = V16{} + static_cast<float>(i) * 1e-3f;
  const V16 a = V16{} + 0.999f;
  const V16 b = V16{} + 1e-4f;
  for (auto _ : state) {
    // Without -ffast-math the compiler may not fold or reorder these: every FMA is executed.
    for (int64_t s = 0; s < kSteps; ++s) {
      for (int i = 0; i < kChains; ++i) acc[i] = acc[i] * a + b;
    }
    for (int i = 0; i < kChains; ++i) benchmark::DoNotOptimize(acc[i]);
  }
  // Each lane of each FMA is 2 FLOPs.
  state.counters["FLOPS"] = benchmark::Counter(
      2.0 * 16 * kChains * kSteps * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PeakFma);

constexpr int64_t kStreamFloats = 64 << 20;  // 256 MB per array

void BM_MemoryReadBandwidth(benchmark::State& state) {
  std::vector<float> data(kStreamFloats, 1.0f);
  for (auto _ : state) {
    V16 s0{}, s1{}, s2{}, s3{};
    for (int64_t i = 0; i < kStreamFloats; i += 64) {
      s0 += *reinterpret_cast<const V16*>(&data[i]);
      s1 += *reinterpret_cast<const V16*>(&data[i + 16]);
      s2 += *reinterpret_cast<const V16*>(&data[i + 32]);
      s3 += *reinterpret_cast<const V16*>(&data[i + 48]);
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
