// Fresh memory made ready before a pass writes it. In the virtual machines this project is measured
// on, the first write to a 4 KB page costs a fault in the guest and another in the hypervisor: the
// first writes to 30 MB of new 4 KB pages took 81 ms there, against 5-11 ms in 2 MB pages, and a
// run on text8 writes about 250 MB of new memory (token streams, hash tables, the two matrices).
#pragma once

#include <cstddef>

namespace w2v::core {

// Asks for 2 MB pages (MADV_HUGEPAGE) for the whole 2 MB blocks inside [data, data + bytes), before
// any of them is written: one fault, and one zeroing pass, for each 512 pages. The kernel falls
// back to 4 KB pages where it has no 2 MB ones (or transparent huge pages are off).
void AdviseHugePages(void* data, size_t bytes);

// Makes the whole pages inside [data, data + bytes) present and writable (MADV_POPULATE_WRITE), in
// one call instead of one fault per page as they are first written. Best effort: a kernel before
// Linux 5.14 refuses it, and the pages then come by faults as before.
void PrefaultForWriting(void* data, size_t bytes);

}  // namespace w2v::core
