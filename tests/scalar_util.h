/* Helpers of the scalar (flux representation) tests: a kernel harness on
 * plain arrays (the library's own kernels of src/scalar/flux_kernel.h, for
 * per-move checks and the deliberately wrong variants P1 / P2), binned
 * errors and the 4-sigma rule of shared/research/scalar_field.md §5. */
#ifndef SL_TEST_SCALAR_UTIL_H
#define SL_TEST_SCALAR_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/scalar/flux_kernel.h"
#include "symlearn.h"

#define HFCAP 2048

typedef struct {
    sl__fk s;
    int32_t *k, *l, *f, *nbr, *nl;
    double *r1, *d1, *r2, *d2, *rd1, *rd2;
} harness;

/* zero fields on nt x nx with eta = 4 + m^2, lambda, mu; stream seed */
static inline int harness_init(harness *H, sl_ctx *ctx, int64_t nt, int64_t nx, double m, double lambda, double mu,
                               uint64_t seed)
{
    int64_t n = nt * nx;
    memset(H, 0, sizeof *H);
    H->k = calloc((size_t)(2 * n), sizeof(int32_t));
    H->l = calloc((size_t)(2 * n), sizeof(int32_t));
    H->f = calloc((size_t)n, sizeof(int32_t));
    H->nbr = malloc((size_t)(4 * n) * sizeof(int32_t));
    H->nl = malloc((size_t)(8 * n) * sizeof(int32_t));
    H->r1 = malloc(HFCAP * sizeof(double));
    H->r2 = malloc(HFCAP * sizeof(double));
    H->d1 = malloc(HFCAP * sizeof(double));
    H->d2 = malloc(HFCAP * sizeof(double));
    H->rd1 = malloc(2 * HFCAP * sizeof(double));
    H->rd2 = malloc(2 * HFCAP * sizeof(double));
    double *lw = malloc((HFCAP + 2) * sizeof(double));
    if (!H->k || !H->l || !H->f || !H->nbr || !H->nl || !H->r1 || !H->r2 || !H->d1 || !H->d2 || !H->rd1 || !H->rd2 || !lw) return 1;
    if (sl_flux_site_log_weights(ctx, 4 + m * m, lambda, HFCAP + 2, lw)) return 1;
    for (int f = 0; f < HFCAP; ++f) {
        H->r1[f] = exp(lw[f + 1] - lw[f]);
        H->r2[f] = exp(lw[f + 2] - lw[f]);
        H->d1[f] = f >= 1 ? exp(lw[f - 1] - lw[f]) : 0.0;
        H->d2[f] = f >= 2 ? exp(lw[f - 2] - lw[f]) : 0.0;
        H->rd1[2 * f] = H->d1[f];
        H->rd1[2 * f + 1] = H->r1[f];
        H->rd2[2 * f] = H->d2[f];
        H->rd2[2 * f + 1] = H->r2[f];
    }
    free(lw);
    for (int64_t t = 0; t < nt; ++t)
        for (int64_t x = 0; x < nx; ++x) {
            int64_t i = t * nx + x;
            H->nbr[i] = (int32_t)(((t + 1) % nt) * nx + x);
            H->nbr[n + i] = (int32_t)(t * nx + (x + 1) % nx);
            H->nbr[2 * n + i] = (int32_t)(((t + nt - 1) % nt) * nx + x);
            H->nbr[3 * n + i] = (int32_t)(t * nx + (x + nx - 1) % nx);
        }
    for (int64_t i = 0; i < n; ++i)
        for (int64_t dir = 0; dir < 4; ++dir) {
            int32_t j = H->nbr[dir * n + i];
            H->nl[2 * (4 * i + dir)] = j;
            H->nl[2 * (4 * i + dir) + 1] = (int32_t)((dir & 1) * n + (dir < 2 ? i : j));
        }
    sl__fk *s = &H->s;
    s->nt = nt;
    s->nx = nx;
    s->n = n;
    s->k = H->k;
    s->l = H->l;
    s->f = H->f;
    s->nbr = H->nbr;
    s->nl = H->nl;
    s->r1 = H->r1;
    s->r2 = H->r2;
    s->d1 = H->d1;
    s->d2 = H->d2;
    s->rd1 = H->rd1;
    s->rd2 = H->rd2;
    s->fcap = HFCAP;
    s->emu = exp(mu);
    s->emmu = exp(-mu);
    s->seed = seed;
    return 0;
}

static inline void harness_free(harness *H)
{
    free(H->k);
    free(H->l);
    free(H->f);
    free(H->nbr);
    free(H->nl);
    free(H->r1);
    free(H->r2);
    free(H->d1);
    free(H->d2);
    free(H->rd1);
    free(H->rd2);
}

/* f of SF-3 recomputed at site i */
static inline int32_t harness_f(const sl__fk *s, int64_t i)
{
    int32_t v = 0;
    for (int d = 0; d < 2; ++d) {
        int64_t b = s->nbr[(2 + d) * s->n + i];
        v += abs(s->k[d * s->n + i]) + abs(s->k[d * s->n + b]) + 2 * (s->l[d * s->n + i] + s->l[d * s->n + b]);
    }
    return v;
}

static inline int64_t harness_div(const sl__fk *s, int64_t i)
{
    int64_t v = 0;
    for (int d = 0; d < 2; ++d) v += s->k[d * s->n + i] - s->k[d * s->n + s->nbr[(2 + d) * s->n + i]];
    return v;
}

/* mean and error of the mean from nb equal bins (the tail that does not fill
 * a bin is dropped from the error only) */
static inline void binned(const double *x, int64_t n, int nb, double *mean, double *err)
{
    double m = 0;
    for (int64_t i = 0; i < n; ++i) m += x[i];
    m /= (double)n;
    int64_t bs = n / nb;
    double v = 0;
    for (int b = 0; b < nb; ++b) {
        double bm = 0;
        for (int64_t i = 0; i < bs; ++i) bm += x[b * bs + i];
        bm /= (double)bs;
        v += (bm - m) * (bm - m);
    }
    *mean = m;
    *err = sqrt(v / ((double)nb * (nb - 1)));
}

/* chi = N (<n^2> - <n>^2) and its jackknife error over nb bins */
static inline void chi_jack(const double *x, int64_t n, int nb, double N, double *chi, double *err)
{
    int64_t bs = n / nb, used = bs * nb;
    double s1 = 0, s2 = 0;
    for (int64_t i = 0; i < used; ++i) {
        s1 += x[i];
        s2 += x[i] * x[i];
    }
    double full = N * (s2 / used - (s1 / used) * (s1 / used)), acc = 0, jm = 0;
    double *jk = malloc((size_t)nb * sizeof(double));
    for (int b = 0; b < nb; ++b) {
        double b1 = 0, b2 = 0;
        for (int64_t i = 0; i < bs; ++i) {
            b1 += x[b * bs + i];
            b2 += x[b * bs + i] * x[b * bs + i];
        }
        double m1 = (s1 - b1) / (used - bs), m2 = (s2 - b2) / (used - bs);
        jk[b] = N * (m2 - m1 * m1);
        jm += jk[b] / nb;
    }
    for (int b = 0; b < nb; ++b) acc += (jk[b] - jm) * (jk[b] - jm);
    free(jk);
    *chi = full;
    *err = sqrt((double)(nb - 1) / nb * acc);
}

/* the 4-sigma rule plus an allowance (truncation of the exact sums) */
static inline int four_sigma(double c, double sc, double ref, double sref, double extra)
{
    return fabs(c - ref) <= 4 * sqrt(sc * sc + sref * sref) + extra;
}

static inline int quick(void)
{
    const char *q = getenv("SL_TEST_QUICK");
    return q && *q && *q != '0';
}

#endif
