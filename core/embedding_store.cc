#include "core/embedding_store.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>

#include "core/prefault.h"
#include "oneapi/tbb/blocked_range.h"
#include "oneapi/tbb/parallel_for.h"

namespace w2v::core {

namespace {

// From this size on a matrix is an anonymous mapping, zeroed by the kernel, asked for in 2 MB pages
// (core/prefault.h) that the parallel initialisation then faults in, a thread each part: with
// aligned_alloc + memset a 100-dimensional model of 70K words took 13,000 page faults, and with
// MAP_POPULATE the first writes still took 40 ms a matrix in a virtual machine (its 4 KB pages
// fault again in the hypervisor); text8's vocabulary line to first step 60-73 -> 15-40 ms.
// Under AddressSanitizer every matrix comes from the heap instead, where the sanitizer guards its
// ends: it does not watch anonymous mappings, and the tests' larger models would go unchecked.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kMappedBytes = SIZE_MAX;
#else
constexpr size_t kMappedBytes = size_t{1} << 20;
#endif

// word2vec.c's linear congruential generator: next = next · multiplier + increment (mod 2^64).
constexpr uint64_t kWord2VecMultiplier = 25214903917ULL;
constexpr uint64_t kWord2VecIncrement = 11;

// The generator's state `steps` steps after `state`. A step is an affine map and affine maps
// compose into affine maps, so the map of 2^k steps is the map of 2^(k-1) applied twice, and any
// count of steps is the composition of the powers of two in it.
uint64_t AdvanceWord2VecRandom(uint64_t state, uint64_t steps) {
  uint64_t multiplier = 1, increment = 0;  // the steps taken so far: x -> multiplier·x + increment
  uint64_t power_multiplier = kWord2VecMultiplier, power_increment = kWord2VecIncrement;
  for (; steps > 0; steps >>= 1) {
    if (steps & 1) {
      multiplier *= power_multiplier;
      increment = increment * power_multiplier + power_increment;
    }
    power_increment = power_increment * power_multiplier + power_increment;
    power_multiplier *= power_multiplier;
  }
  return multiplier * state + increment;
}

}  // namespace

void EmbeddingStore::Deleter::operator()(float* p) const {
  if (mapped_bytes > 0) {
    munmap(p, mapped_bytes);
  } else {
    std::free(p);
  }
}

EmbeddingStore::AlignedFloats EmbeddingStore::AllocateZeroed(int64_t count) {
  const size_t bytes = static_cast<size_t>(count) * sizeof(float);
  if (bytes >= kMappedBytes) {
    // Page-aligned, which is more than the rows' 64 bytes.
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    AdviseHugePages(p, bytes);
    return AlignedFloats(static_cast<float*>(p), Deleter{bytes});
  }
  const size_t rounded = (bytes + 63) / 64 * 64;  // aligned_alloc wants a multiple of the alignment
  void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, rounded);
  return AlignedFloats(static_cast<float*>(p), Deleter{});
}

EmbeddingStore::EmbeddingStore(int64_t rows, int64_t dim)
    : rows_(rows),
      dim_(dim),
      stride_((dim + kRowAlignmentFloats - 1) / kRowAlignmentFloats * kRowAlignmentFloats),
      center_(AllocateZeroed(rows * stride_)),
      outside_(AllocateZeroed(rows * stride_)) {}

void EmbeddingStore::InitializeUniform(uint64_t seed) {
  Rng rng(seed, /*stream=*/0xE3BEDD1);
  const float scale = 1.0f / static_cast<float>(dim_);
  for (int64_t r = 0; r < rows_; ++r) {
    float* row = center_.get() + r * stride_;
    for (int64_t i = 0; i < dim_; ++i) row[i] = (rng.UniformFloat() - 0.5f) * scale;
  }
  std::memset(outside_.get(), 0, static_cast<size_t>(rows_ * stride_) * sizeof(float));
}

void EmbeddingStore::InitializeWord2Vec(uint64_t seed) {
  const float dim = static_cast<float>(dim_);
  // Blocks of rows in parallel, each from word2vec.c's generator advanced to its first element:
  // the same numbers as one pass row by row (a serial chain of 6.8M steps for text8's model, 40 ms
  // before training could start), in a fraction of the time.
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, rows_, 1024), [&](const auto& rows) {
    uint64_t next_random = AdvanceWord2VecRandom(seed, static_cast<uint64_t>(rows.begin() * dim_));
    for (int64_t r = rows.begin(); r < rows.end(); ++r) {
      float* row = center_.get() + r * stride_;
      for (int64_t i = 0; i < dim_; ++i) {
        next_random = next_random * kWord2VecMultiplier + kWord2VecIncrement;
        row[i] = (static_cast<float>(next_random & 0xFFFF) / 65536.0f - 0.5f) / dim;
      }
      std::memset(outside_.get() + r * stride_, 0, static_cast<size_t>(stride_) * sizeof(float));
    }
  });
}

}  // namespace w2v::core
