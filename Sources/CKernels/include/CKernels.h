// Element-wise optimizer kernels in C, so they can be compiled for the vector units the CPU
// has (chosen at load time) without changing a bit of any result: no contraction into FMA,
// no fast-math, the same IEEE operations in the same order as the Swift kernels.
#ifndef OPTREPL_CKERNELS_H
#define OPTREPL_CKERNELS_H

/// The course's Adam on one leaf: m, v and w updated in place; c1 = 1 − β₁ᵗ, c2 = 1 − β₂ᵗ
/// (1 without bias correction).
void optrepl_adam_course(double *w, const double *g, double *m, double *v, long n,
                         double lr, double b1, double b2, double eps, double c1, double c2);

enum { OPTREPL_ADD, OPTREPL_SUBTRACT, OPTREPL_MULTIPLY, OPTREPL_DIVIDE, OPTREPL_SQUARE, OPTREPL_SQRT, OPTREPL_NEGATE };

/// o[i] = a[i] op b[i] for i < n, where a NULL a (or b) stands for the scalar as (or bs); the
/// unary ops (square, sqrt, negate) read a only. The arrays must not overlap, except o with
/// nothing else.
void optrepl_block(int op, long n, const double *a, double as, const double *b, double bs, double *o);

/// Large tensors are allocated and freed in quick succession (the temporaries of an expression on
/// 10M elements). glibc serves each with a fresh mmap and unmaps it on free, so every temporary
/// costs a page fault per 4 KB and the kernel's zeroing. Served from one heap and kept when freed
/// (up to 1 GiB), the next temporary reuses the same pages. Called once at start-up.
void optrepl_tune_malloc(void);

/// Address space of its own for a large buffer that is touched sparsely (the numeric machine's
/// registers and caller stack: deep recursion only), outside the heap whose first 512 MB ask for
/// transparent huge pages (optrepl_tune_malloc): touching its first page faults in 4 KB, not 2 MB.
/// A huge page fault may stall on the kernel's compaction when memory is fragmented (after a
/// PyTorch run, an 11 ms program took 20-26 ms). Zeroed; NULL when the mapping fails.
void *optrepl_map(unsigned long bytes);
void optrepl_unmap(void *p, unsigned long bytes);

/// The OpenBLAS core type for this CPU's vector units ("SkylakeX" with AVX-512, "Haswell" with
/// AVX2 and FMA), or NULL. Debian's OpenBLAS 0.3.21 takes CPUs it does not know by model (as a
/// virtual machine's "Intel Xeon Processor") for a Prescott and runs dgemm 5x slower.
const char *optrepl_blas_coretype(void);

/// Faults in the pages of [p, p + bytes) (the first 64 MB of it) on a second thread (MADV_POPULATE_WRITE, which leaves
/// the contents alone) while the caller fills them front to back: a run's path of 16 MB costs
/// the kernel ~20 ms of page zeroing on this machine's virtual memory, then on the other core.
/// Returns a handle for optrepl_prefault_join (which stops what is left), or NULL when no
/// thread was started.
void *optrepl_prefault_start(void *p, unsigned long bytes);
void optrepl_prefault_join(void *handle);

/// snprintf of one double: `format` holds one conversion (%.6g, %.4f, %e, ...), which the
/// caller builds. Called from Swift as a plain function, where Swift's variadic call boxed the
/// double as a CVarArg (a dynamic cast and a metadata lookup per number printed). Returns what
/// snprintf returns: the length the whole text needs.
int optrepl_format_double(char *buffer, unsigned long size, const char *format, double x);

/// snprintf of one double with the conversion `conversion` ('f', 'e', 'E', 'g' or 'G'), the `#`
/// flag when `alternate` is non-zero and `precision` digits: FormatSpec's fast path, which then
/// builds no format string. Returns what snprintf returns (-1 for another conversion).
int optrepl_format_number(char *buffer, unsigned long size, char conversion, int alternate, int precision, double x);

#endif
