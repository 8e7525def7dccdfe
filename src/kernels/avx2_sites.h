/* AVX2 helpers of the N = 2 lattice kernels (lat_panel.c, lat_su2.c): four
 * sites of interleaved 2 x 2 complex matrices (8 doubles a site) to and from
 * eight registers holding one element of the four sites each (a 4 x 4
 * transpose per half).  Include inside an SL_HAVE_AVX2 block (cpu.h); the
 * callers are SL_AVX2 functions. */
#ifndef SL_AVX2_SITES_H
#define SL_AVX2_SITES_H

#include "cpu.h"

#include <immintrin.h>

/* t_k = element k of rows a0..a3 */
SL_AVX2_INLINE void sl_avx2_tr4(__m256d a0, __m256d a1, __m256d a2, __m256d a3, __m256d *t)
{
    __m256d p0 = _mm256_unpacklo_pd(a0, a1), p1 = _mm256_unpackhi_pd(a0, a1);
    __m256d p2 = _mm256_unpacklo_pd(a2, a3), p3 = _mm256_unpackhi_pd(a2, a3);
    t[0] = _mm256_permute2f128_pd(p0, p2, 0x20);
    t[1] = _mm256_permute2f128_pd(p1, p3, 0x20);
    t[2] = _mm256_permute2f128_pd(p0, p2, 0x31);
    t[3] = _mm256_permute2f128_pd(p1, p3, 0x31);
}

/* e[k] = element k (0..7) of the sites at z, z + 8, z + 16, z + 24 */
SL_AVX2_INLINE void sl_avx2_load_sites4(const double *z, __m256d *e)
{
    sl_avx2_tr4(_mm256_loadu_pd(z), _mm256_loadu_pd(z + 8), _mm256_loadu_pd(z + 16), _mm256_loadu_pd(z + 24), e);
    sl_avx2_tr4(_mm256_loadu_pd(z + 4), _mm256_loadu_pd(z + 12), _mm256_loadu_pd(z + 20), _mm256_loadu_pd(z + 28),
                e + 4);
}

/* the inverse: four sites at o from their elements e[0..7] */
SL_AVX2_INLINE void sl_avx2_store_sites4(double *o, const __m256d *e)
{
    __m256d r[4], q[4];
    sl_avx2_tr4(e[0], e[1], e[2], e[3], r);
    sl_avx2_tr4(e[4], e[5], e[6], e[7], q);
    for (int k = 0; k < 4; ++k) {
        _mm256_storeu_pd(o + 8 * k, r[k]);
        _mm256_storeu_pd(o + 8 * k + 4, q[k]);
    }
}

#endif
