// The C kernels' performance pragmas, in one place, each with the invariant it relies on.
//
// OPTREPL_CLONES: a kernel is compiled for AVX-512, AVX2 and a baseline, and the loader picks
// one for the CPU at start (an ifunc). Invariant: every clone computes the same bits as the
// Swift loops (Package.swift builds with -ffp-contract=off and without -ffast-math), so which
// clone runs changes no result. Under ThreadSanitizer the ifunc resolver would run instrumented
// before the sanitizer's runtime is up (a crash at load): that build uses the baseline alone.

#ifndef OPTREPL_PRAGMAS_H
#define OPTREPL_PRAGMAS_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OPTREPL_CLONES
#endif
#endif

#ifndef OPTREPL_CLONES
#define OPTREPL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

#endif
