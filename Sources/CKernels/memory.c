// See optrepl_tune_malloc and optrepl_map in CKernels.h.

#include "CKernels.h"
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

void optrepl_tune_malloc(void) {
    mallopt(M_ARENA_MAX, 1);            // one heap for the interpreter's thread and the main one
    mallopt(M_MMAP_MAX, 0);             // large blocks from that heap, not a fresh mmap each
    mallopt(M_TRIM_THRESHOLD, 1 << 30); // keep up to 1 GiB of freed heap for the next tensor
    mallopt(M_TOP_PAD, 64 << 20);
    // Reserve the first 512 MB of that heap (address space only: nothing is touched) and ask
    // for transparent huge pages on it, then give it back to malloc: big tensors placed there
    // fault in 2 MB at a time instead of 4 KB.
    const size_t size = (size_t)512 << 20, huge = (size_t)2 << 20;
    char *p = malloc(size);
    if (p) {
        uintptr_t start = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
        madvise((void *)start, size - 2 * huge, MADV_HUGEPAGE);
        free(p);
    }
}

void *optrepl_map(unsigned long bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    madvise(p, bytes, MADV_NOHUGEPAGE);  // also where the system makes huge pages of everything
    return p;
}

void optrepl_unmap(void *p, unsigned long bytes) {
    if (p) munmap(p, bytes);
}
