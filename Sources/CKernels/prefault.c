// See optrepl_prefault_start in CKernels.h.
#define _GNU_SOURCE
#include "CKernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct optrepl_prefault {
    void *start;
    size_t length;
    pthread_t thread;
    atomic_int stop;
};

static void *populate(void *arg) {
    struct optrepl_prefault *job = arg;
    // Populating leaves the contents alone (pages already present are skipped), so the
    // writer may be filling the same range meanwhile. In 4 MB pieces, so a run stopped early
    // (Ctrl-C) neither waits for nor commits the rest. Older kernels refuse: nothing happens.
    const size_t piece = (size_t)4 << 20;
    for (size_t done = 0; done < job->length && !atomic_load(&job->stop); done += piece) {
        size_t n = job->length - done < piece ? job->length - done : piece;
        if (madvise((char *)job->start + done, n, MADV_POPULATE_WRITE) != 0) break;
    }
    return NULL;
}

void *optrepl_prefault_start(void *p, unsigned long bytes) {
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t begin = ((uintptr_t)p + page - 1) & ~(page - 1);
    // At most the first 64 MB: ahead of a long run's writer, the thread would commit memory
    // the run may never reach (Ctrl-C); past that the writer faults its own pages, as before.
    const size_t most = (size_t)64 << 20;
    uintptr_t end = ((uintptr_t)p + (bytes < most ? bytes : most)) & ~(page - 1);
    if (end <= begin || end - begin < ((size_t)1 << 20)) return NULL;  // not worth a thread
    struct optrepl_prefault *job = malloc(sizeof *job);
    if (!job) return NULL;
    job->start = (void *)begin;
    job->length = end - begin;
    atomic_init(&job->stop, 0);
    if (pthread_create(&job->thread, NULL, populate, job) != 0) {
        free(job);
        return NULL;
    }
    return job;
}

void optrepl_prefault_join(void *handle) {
    if (!handle) return;
    struct optrepl_prefault *job = handle;
    atomic_store(&job->stop, 1);
    pthread_join(job->thread, NULL);
    free(job);
}
