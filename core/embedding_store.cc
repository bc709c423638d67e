#include "core/embedding_store.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>

namespace w2v::core {

namespace {

// From this size on a matrix is mapped with its pages made at once (MAP_POPULATE), which the
// kernel hands over zeroed: zeroing a 100-dimensional model of 70K words with memset instead took
// 13,000 page faults, about 45 ms before training could start.
// Under AddressSanitizer every matrix comes from the heap instead, where the sanitizer guards its
// ends: it does not watch anonymous mappings, and the tests' larger models would go unchecked.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kMappedBytes = SIZE_MAX;
#else
constexpr size_t kMappedBytes = size_t{1} << 20;
#endif

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
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
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
  uint64_t next_random = seed;
  const float dim = static_cast<float>(dim_);
  for (int64_t r = 0; r < rows_; ++r) {
    float* row = center_.get() + r * stride_;
    for (int64_t i = 0; i < dim_; ++i) {
      next_random = next_random * 25214903917ULL + 11;
      row[i] = (static_cast<float>(next_random & 0xFFFF) / 65536.0f - 0.5f) / dim;
    }
  }
  std::memset(outside_.get(), 0, static_cast<size_t>(rows_ * stride_) * sizeof(float));
}

}  // namespace w2v::core
