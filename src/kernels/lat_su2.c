/* The slot kernels of the lattice contractions (lat_kernels.h) for N = 2 in
 * the real span of SU(2): the quaternions
 *   Z = a0 + i (a1 s1 + a2 s2 + a3 s3),  Z11 = a0 + i a3,  Z12 = a2 + i a1,
 *                                        Z21 = -a2 + i a1, Z22 = a0 - i a3
 * (s_k the Pauli matrices).  The span is closed under products, daggers
 * (a0, -a) and real combinations, holds SU(2) (a0^2 + |a|^2 = 1) and so every
 * plaquette, transport and GCMConv of SU(2) links with real weights.  On it
 *   (a0, a)(b0, b) = (a0 b0 - a.b, a0 b + b0 a - a x b),
 *   Re tr(A^+ B)   = 2 (a0 b0 + a.b),
 * so a contraction needs 4 real coordinates per matrix instead of 8 and a
 * product 16 multiplications instead of 32.  Operands are read through their
 * orthogonal projection onto the span (for Re tr(A^+ B)):
 *   a0 = Re(Z11 + Z22)/2, a1 = Im(Z12 + Z21)/2, a2 = Re(Z12 - Z21)/2,
 *   a3 = Im(Z11 - Z22)/2,
 * which leaves matrices of the span unchanged; for a gradient G it gives
 * P(G), and P(X^+ G) = X^+ P(G) for X in the span, so the contraction of
 * projected operands is exact where the general one is and its derivatives
 * are the projected ones.
 *
 * The same block driver (lat_contract.c), modes, folds and scratch as the
 * general kernels; a slot of a block holds the 4 coordinates as 4 columns of
 * nb sites (structure of arrays: the per-site products vectorise over sites);
 * the dagger fold splits a slot into its a0 column and the other three. */
#include "lat_kernels.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

#ifdef SL_HAVE_AVX2
#include "avx2_sites.h"

/* q_slot and q_out four sites at a time (same arithmetic, same results). */
SL_AVX2 static int64_t q_slot_avx2(double *d, const double *z, int64_t nb, int64_t ns, double sv)
{
    __m256d h = _mm256_set1_pd(0.5), hv = _mm256_set1_pd(0.5 * sv);
    int64_t s = 0;
    for (; s + 4 <= ns; s += 4) {
        __m256d e[8];   /* element k of four sites */
        sl_avx2_load_sites4(z + 8 * s, e);
        _mm256_storeu_pd(d + s, _mm256_mul_pd(h, _mm256_add_pd(e[0], e[6])));
        _mm256_storeu_pd(d + nb + s, _mm256_mul_pd(hv, _mm256_add_pd(e[3], e[5])));
        _mm256_storeu_pd(d + 2 * nb + s, _mm256_mul_pd(hv, _mm256_sub_pd(e[2], e[4])));
        _mm256_storeu_pd(d + 3 * nb + s, _mm256_mul_pd(hv, _mm256_sub_pd(e[1], e[7])));
    }
    return s;
}

SL_AVX2 static int64_t q_out_avx2(double *o, const double *z1, const double *z2, int64_t nb, int64_t ns)
{
    int64_t s = 0;
    for (; s + 4 <= ns; s += 4) {
        __m256d a0 = _mm256_loadu_pd(z1 + s), a1 = _mm256_loadu_pd(z1 + nb + s), a2 = _mm256_loadu_pd(z1 + 2 * nb + s),
                a3 = _mm256_loadu_pd(z1 + 3 * nb + s);
        if (z2) {
            a0 = _mm256_add_pd(a0, _mm256_loadu_pd(z2 + s));
            a1 = _mm256_sub_pd(a1, _mm256_loadu_pd(z2 + nb + s));
            a2 = _mm256_sub_pd(a2, _mm256_loadu_pd(z2 + 2 * nb + s));
            a3 = _mm256_sub_pd(a3, _mm256_loadu_pd(z2 + 3 * nb + s));
        }
        __m256d neg = _mm256_set1_pd(-0.0), na2 = _mm256_xor_pd(a2, neg), na3 = _mm256_xor_pd(a3, neg);
        sl_avx2_store_sites4(o + 8 * s, (const __m256d[8]){a0, a3, a2, a1, na2, a1, a0, na3});
    }
    return s;
}

#endif

/* One slot: the coordinates of op(Z) for the ns sites at z (interleaved 2 x 2
 * complex, 8 doubles a site); sv = -1 for the adjoint.  Sites ns..nb-1 are 0. */
SL_CLONES static void q_slot(double *restrict d, const double *restrict z, int64_t nb, int64_t ns, double sv)
{
    double *d0 = d, *d1 = d + nb, *d2 = d + 2 * nb, *d3 = d + 3 * nb;
    double h = 0.5, hv = 0.5 * sv;
    int64_t s0 = 0;
#ifdef SL_HAVE_AVX2
    if (sl__cpu_avx2()) s0 = q_slot_avx2(d, z, nb, ns, sv);
#endif
    for (int64_t s = s0; s < ns; ++s) {
        const double *e = z + 8 * s;
        d0[s] = h * (e[0] + e[6]);
        d1[s] = hv * (e[3] + e[5]);
        d2[s] = hv * (e[2] - e[4]);
        d3[s] = hv * (e[1] - e[7]);
    }
    for (int c = 0; c < 4; ++c)
        for (int64_t s = ns; s < nb; ++s) d[c * nb + s] = 0;
}

/* The slots of an operand (V channels x, mode m, adjoint flag h; see
 * lat_kernels.h): op(X_p), op(X_p^+), the unit. */
static void q_panel(const sl_lat_geom *q, double *dst, const double *x, int64_t v, int mode, int h, int64_t s0,
                    int64_t ns)
{
    int64_t nb = q->nb, np = sl__lat_slots(v, mode);
    for (int64_t p = 0; p < np; ++p) {
        double *d = dst + p * q->ps;
        if (p >= 2 * v) {   /* the unit matrix: (1, 0, 0, 0) */
            memset(d, 0, sizeof(double) * (size_t)(4 * nb));
            for (int64_t s = 0; s < ns; ++s) d[s] = 1;
            continue;
        }
        int adj = p < v ? h : !h;
        q_slot(d, x + 8 * ((p % v) * q->S + s0), nb, ns, adj ? -1.0 : 1.0);
    }
}

/* c (+)= a b per site (quaternion product), slots of nb sites (nb a multiple
 * of 4: four sites per vector; GCC does not vectorise the scalar loop). */
typedef double q_v4 __attribute__((vector_size(32), aligned(8)));
#define Q_LD(p) (*(const q_v4 *)(const void *)(p))
#define Q_ST(p, v) (*(q_v4 *)(void *)(p) = (v))
SL_CLONES static void q_mul(const sl_lat_geom *q, const double *restrict a, const double *restrict b,
                            double *restrict c, int acc)
{
    int64_t nb = q->nb;
    for (int64_t s = 0; s < nb; s += 4) {
        q_v4 a0 = Q_LD(a + s), a1 = Q_LD(a + nb + s), a2 = Q_LD(a + 2 * nb + s), a3 = Q_LD(a + 3 * nb + s);
        q_v4 b0 = Q_LD(b + s), b1 = Q_LD(b + nb + s), b2 = Q_LD(b + 2 * nb + s), b3 = Q_LD(b + 3 * nb + s);
        q_v4 p0 = a0 * b0 - (a1 * b1 + a2 * b2 + a3 * b3);
        q_v4 p1 = a0 * b1 + b0 * a1 - (a2 * b3 - a3 * b2);
        q_v4 p2 = a0 * b2 + b0 * a2 - (a3 * b1 - a1 * b3);
        q_v4 p3 = a0 * b3 + b0 * a3 - (a1 * b2 - a2 * b1);
        if (acc) {
            p0 += Q_LD(c + s);
            p1 += Q_LD(c + nb + s);
            p2 += Q_LD(c + 2 * nb + s);
            p3 += Q_LD(c + 3 * nb + s);
        }
        Q_ST(c + s, p0);
        Q_ST(c + nb + s, p1);
        Q_ST(c + 2 * nb + s, p2);
        Q_ST(c + 3 * nb + s, p3);
    }
}

/* Output: z1 (+ z2^+ when z2) back to interleaved 2 x 2 complex matrices. */
SL_CLONES static void q_out(const sl_lat_geom *q, double *restrict o, const double *restrict z1,
                            const double *restrict z2, int64_t ns)
{
    int64_t nb = q->nb;
    int64_t s0 = 0;
#ifdef SL_HAVE_AVX2
    if (sl__cpu_avx2()) s0 = q_out_avx2(o, z1, z2, nb, ns);
#endif
    for (int64_t s = s0; s < ns; ++s) {
        double a0 = z1[s], a1 = z1[nb + s], a2 = z1[2 * nb + s], a3 = z1[3 * nb + s];
        if (z2) {
            a0 += z2[s];
            a1 -= z2[nb + s];
            a2 -= z2[2 * nb + s];
            a3 -= z2[3 * nb + s];
        }
        double *e = o + 8 * s;
        e[0] = a0; e[1] = a3; e[2] = a2; e[3] = a1;
        e[4] = -a2; e[5] = a1; e[6] = a0; e[7] = -a3;
    }
}
static void q_panel_fold(const sl_lat_geom *q, double *dst, const double *y, int64_t v, int h, int64_t s0,
                         int64_t ns)
{
    q_panel(q, dst, y, v, 0, h, s0, ns);
}

/* Re tr(A^+ B) = 2 <a, b>: trace sums scaled by 2. */
sl_lat_kset sl__lat_kset_su2(const sl_lat_geom *q)
{
    sl_lat_kset k;
    k.width = 4 * q->nb;
    k.split = q->nb;   /* (y0, 0) and (0, y): c Y_w + c' Y_w^+ = (c + c') (y0, 0) + (c - c') (0, y) */
    k.diag = q->nb;    /* the unit (1, 0, 0, 0) */
    k.tscale = 2;
    k.panel = q_panel;
    k.panel_fold = q_panel_fold;
    k.mul = q_mul;
    k.mix = NULL;
    k.unmix = NULL;
    k.out = q_out;
    return k;
}
