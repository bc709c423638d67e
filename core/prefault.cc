#include "core/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace w2v::core {
namespace {

// The whole blocks of `block` bytes inside [data, data + bytes), as madvise takes them.
void AdviseBlocks(void* data, size_t bytes, uintptr_t block, int advice) {
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + block - 1) / block * block;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) / block * block;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, advice);
}

}  // namespace

void AdviseHugePages(void* data, size_t bytes) {
  AdviseBlocks(data, bytes, uintptr_t{1} << 21, MADV_HUGEPAGE);
}

void PrefaultForWriting(void* data, size_t bytes) {
#ifdef MADV_POPULATE_WRITE  // glibc's headers name it from 2.35; Linux has it from 5.14
  AdviseBlocks(data, bytes, static_cast<uintptr_t>(sysconf(_SC_PAGESIZE)), MADV_POPULATE_WRITE);
#else
  static_cast<void>(data);
  static_cast<void>(bytes);
#endif
}

}  // namespace w2v::core
