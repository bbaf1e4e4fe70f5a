// See optrepl_tune_malloc in CKernels.h.

#include "CKernels.h"
#include <malloc.h>

void optrepl_tune_malloc(void) {
    mallopt(M_ARENA_MAX, 1);            // one heap for the interpreter's thread and the main one
    mallopt(M_MMAP_MAX, 0);             // large blocks from that heap, not a fresh mmap each
    mallopt(M_TRIM_THRESHOLD, 1 << 30); // keep up to 1 GiB of freed heap for the next tensor
    mallopt(M_TOP_PAD, 64 << 20);
}
