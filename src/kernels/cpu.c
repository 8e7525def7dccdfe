/* CPU-feature detection for the kernels (see cpu.h): once, then cached. */
#include "cpu.h"

atomic_int sl__cpu_state;

int sl__cpu_detect(void)
{
    int s = 1;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) s = 2;
#endif
    atomic_store_explicit(&sl__cpu_state, s, memory_order_relaxed);
    return s;
}
