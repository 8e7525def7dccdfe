/* CPU-feature dispatch of the kernels, in one place.
 *
 * Two mechanisms, both chosen here and nowhere else:
 *  - SL_CLONES on a static function builds it twice, for x86-64-v3 (AVX2,
 *    FMA) and for the baseline; the dynamic loader picks one at load time
 *    (GCC target_clones: an ifunc, so x86-64 Linux only; off under ASan and
 *    with -DSL_NO_TARGET_CLONES).  Keep cloned functions static: their
 *    resolver would otherwise be an exported symbol.
 *  - Hand-written AVX2/FMA kernels (SL_AVX2 functions, compiled when
 *    SL_HAVE_AVX2 is defined: GCC or Clang on x86-64, not under ASan) are
 *    called only when sl__cpu_avx2() says the CPU has AVX2 and FMA.  The
 *    answer is detected once and cached.
 * A kernel gives the same results on a given machine on every run and
 * thread count: the AVX2 kernels do the arithmetic of their scalar loops. */
#ifndef SL_KERNELS_CPU_H
#define SL_KERNELS_CPU_H

#include "../core/internal.h"

#include <stdatomic.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(SL_NO_TARGET_CLONES)
#define SL_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
/* Also an AVX-512 build (x86-64-v4), for loops whose v4 code does the v3
 * code's arithmetic element for element (checked bit for bit for vtanh on
 * 2e7 arguments): elementwise maps with no reduction. */
#define SL_CLONES_V4 __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SL_CLONES
#define SL_CLONES_V4
#endif

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define SL_HAVE_AVX2 1
#define SL_AVX2 __attribute__((target("avx2,fma")))
#define SL_AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline
#endif

/* GCC: -O3 and FMA contraction for one kernel (the x86-64-v3 clone then
 * fuses multiply-adds, so its results differ in rounding from the baseline
 * clone's; each is deterministic). */
#if defined(__GNUC__) && !defined(__clang__)
#define SL_O3_FMA __attribute__((optimize("O3", "fp-contract=fast")))
#else
#define SL_O3_FMA
#endif

/* The cached answer: 0 not yet detected, 1 no AVX2 + FMA, 2 AVX2 + FMA. */
extern SL_HIDDEN atomic_int sl__cpu_state;
SL_HIDDEN int sl__cpu_detect(void);

/* 1 when the CPU has AVX2 and FMA (detected on first use). */
static inline int sl__cpu_avx2(void)
{
    int s = atomic_load_explicit(&sl__cpu_state, memory_order_relaxed);
    return (s ? s : sl__cpu_detect()) == 2;
}

#endif
