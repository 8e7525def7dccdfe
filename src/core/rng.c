/* Counter-based splitmix64 streams (Steele, Lea, Flood 2014): the k-th word of
 * stream `seed` depends only on (seed, k), so any element can be drawn on any
 * thread.  Matches bench/peers/sm64.py bit for bit. */
#include "internal.h"

#include <math.h>

#define SM64_GAMMA 0x9E3779B97F4A7C15ULL

uint64_t sl_rng_u64(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + (k + 1) * SM64_GAMMA;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double sl_rng_uniform(uint64_t seed, uint64_t k)
{
    return (double)(sl_rng_u64(seed, k) >> 11) * (1.0 / 9007199254740992.0);
}

double sl_rng_normal(uint64_t seed, uint64_t k)
{
    double u1 = 1.0 - sl_rng_uniform(seed, 2 * k);
    double u2 = sl_rng_uniform(seed, 2 * k + 1);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void sl_rng_fill_uniform(uint64_t seed, uint64_t first, size_t n, double lo, double hi, double *out)
{
    if (!out) return;
    for (size_t i = 0; i < n; ++i) out[i] = lo + (hi - lo) * sl_rng_uniform(seed, first + i);
}

void sl_rng_fill_normal(uint64_t seed, uint64_t first, size_t n, double mean, double std, double *out)
{
    if (!out) return;
    for (size_t i = 0; i < n; ++i) out[i] = mean + std * sl_rng_normal(seed, first + i);
}
