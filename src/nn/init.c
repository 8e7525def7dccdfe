/* Initial weights of dense layers from a counter-based stream (core.h), so
 * the same seed gives the same bits on every machine and thread count. */
#include "nn_internal.h"

#include <math.h>

/* Orthonormalise the k vectors of length m stored at v + i * sv + j * se
 * (i < k, j < m) by modified Gram-Schmidt, two passes ("twice is enough":
 * Giraud, Langou, Rozloznik 2005), which leaves |V V^T - I| near 1e-16. */
static void gram_schmidt(double *v, int64_t k, int64_t m, int64_t sv, int64_t se)
{
    for (int64_t i = 0; i < k; ++i) {
        double *vi = v + i * sv;
        for (int pass = 0; pass < 2; ++pass)
            for (int64_t p = 0; p < i; ++p) {
                const double *vp = v + p * sv;
                double d = 0;
                for (int64_t j = 0; j < m; ++j) d += vp[j * se] * vi[j * se];
                for (int64_t j = 0; j < m; ++j) vi[j * se] -= d * vp[j * se];
            }
        double nrm = 0;
        for (int64_t j = 0; j < m; ++j) nrm += vi[j * se] * vi[j * se];
        nrm = sqrt(nrm);
        /* a Gaussian vector in the span of the others has probability 0 */
        double inv = nrm > 0 ? 1.0 / nrm : 0.0;
        for (int64_t j = 0; j < m; ++j) vi[j * se] *= inv;
    }
}

void sl__nn_init_weights(int init, double gain, uint64_t seed, int64_t rows, int64_t cols, double *w)
{
    size_t n = (size_t)(rows * cols);
    double fan = (double)(rows + cols);
    switch (init) {
    case SL_INIT_GLOROT_NORMAL:
        sl_rng_fill_normal(seed, 0, n, 0.0, gain * sqrt(2.0 / fan), w);
        break;
    case SL_INIT_ORTHOGONAL:
        sl_rng_fill_normal(seed, 0, n, 0.0, 1.0, w);
        if (rows <= cols) gram_schmidt(w, rows, cols, cols, 1);   /* orthonormal rows */
        else gram_schmidt(w, cols, rows, 1, cols);                /* orthonormal columns */
        if (gain != 1)
            for (size_t i = 0; i < n; ++i) w[i] *= gain;
        break;
    default: {
        /* pow(., 0.5), not sqrt: the bits of the benches' glorot (bench_common.h) */
        double a = gain * pow(6.0 / fan, 0.5);
        sl_rng_fill_uniform(seed, 0, n, -a, a, w);
    }
    }
}
