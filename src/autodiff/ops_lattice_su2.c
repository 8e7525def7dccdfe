/* The fused lattice contractions (ops_lattice.c) for N = 2 in the real span
 * of SU(2): the quaternions
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
 * Same nodes, modes, folds and scratch as the general kernels; a slot of a
 * block holds the 4 coordinates as 4 columns of nb sites (structure of
 * arrays: the per-site products vectorise over sites). */
#include "ops_lattice.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
#define SL_Q_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SL_Q_CLONES
#endif

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#include "avx2_sites.h"
#define SL_Q_AVX2 1

/* q_slot and q_out four sites at a time (same arithmetic, same results). */
__attribute__((target("avx2,fma"))) static int64_t q_slot_avx2(double *d, const double *z, int64_t nb, int64_t ns,
                                                              double sv)
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

__attribute__((target("avx2,fma"))) static int64_t q_out_avx2(double *o, const double *z1, const double *z2,
                                                             int64_t nb, int64_t ns)
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

static int q_have_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

/* One slot: the coordinates of op(Z) for the ns sites at z (interleaved 2 x 2
 * complex, 8 doubles a site); sv = -1 for the adjoint.  Sites ns..nb-1 are 0. */
SL_Q_CLONES static void q_slot(double *restrict d, const double *restrict z, int64_t nb, int64_t ns, double sv)
{
    double *d0 = d, *d1 = d + nb, *d2 = d + 2 * nb, *d3 = d + 3 * nb;
    double h = 0.5, hv = 0.5 * sv;
    int64_t s0 = 0;
#ifdef SL_Q_AVX2
    if (q_have_avx2()) s0 = q_slot_avx2(d, z, nb, ns, sv);
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
 * ops_lattice.h): op(X_p), op(X_p^+), the unit. */
static void q_panel(double *dst, const double *x, int64_t v, int mode, int h, const sl_lat_geom *q, int64_t s0,
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
SL_Q_CLONES static void q_mul(const double *restrict a, const double *restrict b, double *restrict c, int64_t nb,
                              int acc)
{
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
SL_Q_CLONES static void q_out(double *restrict o, const double *restrict z1, const double *restrict z2, int64_t nb,
                              int64_t ns)
{
    int64_t s0 = 0;
#ifdef SL_Q_AVX2
    if (q_have_avx2()) s0 = q_out_avx2(o, z1, z2, nb, ns);
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

/* bil (ops_lattice.h): Z_u = sum_{v,w} c_uvw op(X'_v) op(Y'_w). */
void sl__lat_bil_su2(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    const sl_node *X = nd->in[0], *Y = nd->in[1], *C = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3], fold = (int)nd->ia[4];
    sl_lat_geom q = sl__lat_geom(X);
    int64_t vx = X->shape[0], vy = Y->shape[0], u = C->shape[0], px = C->shape[1], py = C->shape[2];
    int64_t nb = q.nb, P = q.ps, W = 4 * nb;
    int pairs = py < u;   /* contract the pair products (the B gradient), as the general kernel */
    double *pp = sl__lat_align64(scratch);
    double *qp = sl__lat_align64(pp + px * P);
    double *tmp = sl__lat_align64(qp + py * P);
    double *z = sl__lat_align64(tmp + (pairs ? px * py : u * px) * P);
    double *cf = sl__lat_align64(z + u * P);
    const double *x = in[0], *y = in[1], *coef = in[2];
    double *o = out;
    int64_t uo = fold ? u / 2 : u;
    /* Y with its daggers: c Y_w + c' Y_w^+ = (c + c') (y0, 0) + (c - c') (0, y):
     * two GEMMs over the vy slots, one on the a0 column, one on the other three */
    int fo = my != 0 && !pairs;
    double *cs = cf, *cd = cf + u * px * vy;
    if (fo) sl__lat_fold_coefs(u * px, vy, py, coef, cs, cd);
    /* pairs with a folded output: out_k = sum_j c_kj H_j + c_{C+k,j} H_j^+, the same split */
    int zf = pairs && fold;
    double *ps = cf, *pd = cf + uo * px * py;
    if (zf)
        for (int64_t k = 0; k < uo * px * py; ++k) {
            ps[k] = coef[k] + coef[uo * px * py + k];
            pd[k] = coef[k] - coef[uo * px * py + k];
        }
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        q_panel(pp, x, vx, mx, hx, &q, s0, ns);
        q_panel(qp, y, vy, fo ? 0 : my, hy, &q, s0, ns);
        if (pairs) {
            for (int64_t v = 0; v < px; ++v)
                for (int64_t w = 0; w < py; ++w) q_mul(pp + v * P, qp + w * P, tmp + (v * py + w) * P, nb, 0);
            if (!zf) sl__lat_gemm_rows(u, px * py, W, P, coef, px * py, tmp, z, 0);
            else {
                sl__lat_gemm_rows(uo, px * py, nb, P, ps, px * py, tmp, z, 0);
                sl__lat_gemm_rows(uo, px * py, 3 * nb, P, pd, px * py, tmp + nb, z + nb, 0);
            }
        } else {
            if (fo) {
                sl__lat_gemm_rows(u * px, vy, nb, P, cs, vy, qp, tmp, 0);
                sl__lat_gemm_rows(u * px, vy, 3 * nb, P, cd, vy, qp + nb, tmp + nb, 0);
                if (my == 1)   /* the unit slot */
                    for (int64_t r = 0; r < u * px; ++r) {
                        double c = coef[r * py + 2 * vy], *t = tmp + r * P;
                        for (int64_t s = 0; s < nb; ++s) t[s] += c;
                    }
            } else {
                sl__lat_gemm_rows(u * px, py, W, P, coef, py, qp, tmp, 0);
            }
            for (int64_t a = 0; a < u; ++a)
                for (int64_t v = 0; v < px; ++v) q_mul(pp + v * P, tmp + (a * px + v) * P, z + a * P, nb, v > 0);
        }
        for (int64_t a = 0; a < uo; ++a)
            q_out(o + 8 * (a * q.S + s0), z + a * P, fold && !zf ? z + (uo + a) * P : NULL, nb, ns);
    }
}

/* trc (ops_lattice.h): T[u,v,w] = sum_s Re tr((op(X'_v) op(Y'_w))^+ G'_u)
 * = sum_s 2 <op(Y'_w), op(X'_v)^+ P(G'_u)> (coordinates). */
void sl__lat_trc_su2(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    const sl_node *X = nd->in[0], *Y = nd->in[1], *G = nd->in[2];
    int mx = (int)nd->ia[0], hx = (int)nd->ia[1], my = (int)nd->ia[2], hy = (int)nd->ia[3], mg = (int)nd->ia[4];
    sl_lat_geom q = sl__lat_geom(X);
    int64_t vx = X->shape[0], vy = Y->shape[0], vg = G->shape[0];
    int64_t ug = nd->shape[0], px = nd->shape[1], py = nd->shape[2];
    int64_t nb = q.nb, P = q.ps, W = 4 * nb, rows = ug * px;
    double *pa = sl__lat_align64(scratch);
    double *qp = sl__lat_align64(pa + px * P);
    double *rp = sl__lat_align64(qp + py * P);
    double *hm = sl__lat_align64(rp + ug * P);
    double *acc = sl__lat_align64(hm + rows * P);   /* rows x (2 vy + 1): the y0 dots, the a dots, the unit */
    double *t = out;
    /* With Y's daggers (my != 0): <(y0, y), h> = y0 h0 + y.h and <(y0, -y), h> = y0 h0 - y.h. */
    int64_t ny = my ? vy : py;
    double *t0 = acc, *tv = acc + rows * ny, *tu = acc + 2 * rows * ny;
    memset(acc, 0, sizeof(double) * (size_t)(rows * (2 * ny + 1)));
    for (int64_t s0 = 0; s0 < q.S; s0 += nb) {
        int64_t ns = q.S - s0 < nb ? q.S - s0 : nb;
        q_panel(pa, in[0], vx, mx, !hx, &q, s0, ns);   /* op(X'_v)^+ */
        q_panel(qp, in[1], vy, 0, hy, &q, s0, ns);   /* the plain slots; daggers and unit by the fold below */
        q_panel(rp, in[2], vg, mg, 0, &q, s0, ns);
        for (int64_t a = 0; a < ug; ++a)
            for (int64_t v = 0; v < px; ++v) q_mul(pa + v * P, rp + a * P, hm + (a * px + v) * P, nb, 0);
        if (!my) {
            sl__lat_dot_tn(ny, rows, W, qp, P, hm, P, t0, ny);
            continue;
        }
        sl__lat_dot_tn(ny, rows, nb, qp, P, hm, P, t0, ny);
        sl__lat_dot_tn(ny, rows, 3 * nb, qp + nb, P, hm + nb, P, tv, ny);
        if (my == 1)   /* the unit slot: <(1, 0), h> = h0 */
            for (int64_t r = 0; r < rows; ++r) {
                double sum = 0;
                for (int64_t s = 0; s < nb; ++s) sum += hm[r * P + s];
                tu[r] += sum;
            }
    }
    for (int64_t r = 0; r < rows; ++r) {
        if (!my) {
            for (int64_t w = 0; w < py; ++w) t[r * py + w] = 2 * t0[r * ny + w];
            continue;
        }
        for (int64_t w = 0; w < vy; ++w) {
            t[r * py + w] = 2 * (t0[r * ny + w] + tv[r * ny + w]);
            t[r * py + vy + w] = 2 * (t0[r * ny + w] - tv[r * ny + w]);
        }
        if (my == 1) t[r * py + 2 * vy] = 2 * tu[r];
    }
}
