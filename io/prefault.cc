#include "io/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace w2v::io {

void PrefaultForWriting(void* data, size_t bytes) {
#ifdef MADV_POPULATE_WRITE  // glibc's headers name it from 2.35; Linux has it from 5.14
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) / page * page;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  static_cast<void>(data);
  static_cast<void>(bytes);
#endif
}

}  // namespace w2v::io
