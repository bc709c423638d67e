// The machine's roofs, for placing the kernels on a roofline: peak float FMA throughput of one core
// (independent multiply-adds at the CPU's vector width, as the block kernel issues them) and
// memory bandwidth (a streaming sum and a triad over arrays far larger than the last-level cache);
// and what Hogwild's sharing pays: the time a line one core wrote takes to reach another core.
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdint>
#include <thread>
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

// One cache line passed back and forth between threads pinned to the first two CPUs this process
// may run on: each waits for the other's write, then writes, so every hand-over is one line moving
// between the cores. Reported as the time of one hand-over. When a Hogwild row one worker wrote is
// read by the other, it pays this instead of a hit in its own cache. In a virtual machine it
// depends on where the host runs the two virtual CPUs: on the EPYC of 2026-12-07 it was about
// 225 ns most of the time and 56 ns now and then (docs/PERFORMANCE.md).
void BM_CacheLineTransfer(benchmark::State& state) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof(allowed), &allowed);
  int cpus[2];
  int found = 0;
  for (int c = 0; c < CPU_SETSIZE && found < 2; ++c) {
    if (CPU_ISSET(c, &allowed)) cpus[found++] = c;
  }
  if (found < 2) {
    state.SkipWithError("needs two CPUs");
    return;
  }
  const auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
  };
  constexpr int64_t kHandOvers = 1 << 18;  // per iteration, both directions together
  alignas(64) std::atomic<int64_t> turn{0};
  std::atomic<bool> done{false};
  // The partner answers every odd turn until told to stop; the benchmark's thread takes the even.
  std::thread partner([&] {
    pin(cpus[1]);
    int64_t next = 1;
    while (true) {
      while (turn.load(std::memory_order_acquire) != next) {
        if (done.load(std::memory_order_relaxed)) return;
      }
      turn.store(next + 1, std::memory_order_release);
      next += 2;
    }
  });
  pin(cpus[0]);
  int64_t next = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < kHandOvers; i += 2) {
      while (turn.load(std::memory_order_acquire) != next) {
      }
      turn.store(next + 1, std::memory_order_release);
      next += 2;
    }
  }
  while (turn.load(std::memory_order_acquire) != next) {
  }
  done.store(true);
  partner.join();
  // Google Benchmark calls this function more than once (a first run sizes the iterations): the
  // next call must find this thread free to run anywhere again.
  pthread_setaffinity_np(pthread_self(), sizeof(allowed), &allowed);
  state.counters["per_hand_over"] = benchmark::Counter(
      static_cast<double>(kHandOvers),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CacheLineTransfer)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
