/* 2D periodic convolution loops without a full im2col (used by
 * op_periodic_conv.c when d = 2).  For kernel column j, every row of a
 * channel is rotated by (j - p1) mod L2 once and the plane stored with
 * halo rows: row q (0 <= q < H = L1 + K1 - 1) of the buffer is source row
 * (q - p0) mod L1, so kernel row i is the window of L1 rows starting at row
 * i (flat offset i L2).  With the buffers of all (c, j) at the stride H L2,
 * the windows of one i form a strided matrix B_i (Ci K2 x N, ld H L2), and
 *   Y_b  = sum_i Wr_i B_i        Wr_i = w[:, :, i, :] as (Cout, Ci K2)
 *   gw_i = sum_b GY_b B_i^T,
 * K1 GEMMs per sample on operands read in place, instead of copying
 * K1 K2 shifted planes per channel.  The halo (K1 - 1 rows) replaces the
 * earlier doubled plane (2N): half the copying for K1 = 3. */
#include "eq_internal.h"
#include "../kernels/blas.h"
#include "../kernels/vmath.h"

size_t sl__eq_pconv2d_scratch(int64_t Ci, int64_t Co, const int64_t *L, int64_t K1, int64_t K2)
{
    return sizeof(double) * (size_t)(K1 * Co * Ci * K2 + Ci * K2 * (L[0] + K1 - 1) * L[1]);
}

/* buf[(c K2 + j) H L2 + q L2 + t] = x[c, (q - p0) mod L1, (t + j - p1) mod L2] */
static void planes(int64_t Ci, int64_t L1, int64_t L2, int64_t K1, int64_t K2, int64_t p0, int64_t p1,
                   const double *xb, double *buf)
{
    int64_t N = L1 * L2, H = L1 + K1 - 1, q0 = ((p0 % L1) + L1) % L1;
    for (int64_t c = 0; c < Ci; ++c) {
        const double *xc = xb + c * N;
        for (int64_t j = 0; j < K2; ++j) {
            int64_t o = (((j - p1) % L2) + L2) % L2, h = L2 - o;
            double *base = buf + (c * K2 + j) * H * L2;
            /* rows q0 .. q0 + L1 - 1 are source rows 0 .. L1 - 1 (q0 + L1 may pass H) */
            double *t = base + q0 * L2;
            int64_t in = H - q0 < L1 ? H - q0 : L1;
            memcpy(t, xc + o, sizeof(double) * (size_t)(in * L2 - o));
            for (int64_t r = 0; r < in; ++r)
                for (int64_t u = 0; u < o; ++u) t[r * L2 + h + u] = xc[r * L2 + u];
            /* the K1 - 1 halo rows q < q0 and q >= q0 + in: source row (q - p0) mod L1, rotated */
            for (int64_t q = 0; q < H; ++q) {
                if (q == q0) q = q0 + in;
                if (q >= H) break;
                const double *sr = xc + ((((q - p0) % L1) + L1) % L1) * L2;
                double *d = base + q * L2;
                for (int64_t u = 0; u < h; ++u) d[u] = sr[o + u];
                for (int64_t u = 0; u < o; ++u) d[h + u] = sr[u];
            }
        }
    }
}

/* y[o, :] += bias[o] */
SL_EQ_LOOP static void add_rows(int64_t Co, int64_t N, const double *restrict bias, double *restrict y)
{
    for (int64_t o = 0; o < Co; ++o) {
        double v = bias[o], *r = y + o * N;
        for (int64_t s = 0; s < N; ++s) r[s] += v;
    }
}

/* Row-major C (m x n, ldc) = A (m x k, lda) B (k x n, ldb) + beta C. */
static void mm_nn(int64_t m, int64_t n, int64_t k, const double *A, int64_t lda, const double *B, int64_t ldb,
                  double beta, double *C, int64_t ldc)
{
    sl_blas_int M = (sl_blas_int)n, Nn = (sl_blas_int)m, K = (sl_blas_int)k;
    sl_blas_int la = (sl_blas_int)ldb, lb = (sl_blas_int)lda, lc = (sl_blas_int)ldc;
    double one = 1;
    dgemm_("N", "N", &M, &Nn, &K, &one, B, &la, A, &lb, &beta, C, &lc, 1, 1);
}

/* Row-major C (m x k, ldc) = A (m x n, lda) B^T (B: k x n, ldb) + beta C. */
static void mm_nt(int64_t m, int64_t k, int64_t n, const double *A, int64_t lda, const double *B, int64_t ldb,
                  double beta, double *C, int64_t ldc)
{
    sl_blas_int M = (sl_blas_int)k, Nn = (sl_blas_int)m, K = (sl_blas_int)n;
    sl_blas_int la = (sl_blas_int)ldb, lb = (sl_blas_int)lda, lc = (sl_blas_int)ldc;
    double one = 1;
    dgemm_("T", "N", &M, &Nn, &K, &one, B, &la, A, &lb, &beta, C, &lc, 1, 1);
}

void sl__eq_pconv2d_fwd(int64_t B, int64_t Ci, int64_t Co, const int64_t *L, const int64_t *K, const int64_t *p,
                        const double *X, const double *W, const double *bias, double *z, double *Y,
                        void *scratch)
{
    int64_t L1 = L[0], L2 = L[1], N = L1 * L2, K1 = K[0], K2 = K[1], R = Ci * K2, ld = (L1 + K1 - 1) * L2;
    double *wr = scratch, *buf = wr + K1 * Co * R;
    for (int64_t o = 0; o < Co; ++o)
        for (int64_t c = 0; c < Ci; ++c)
            for (int64_t i = 0; i < K1; ++i)
                for (int64_t j = 0; j < K2; ++j) wr[(i * Co + o) * R + c * K2 + j] = W[((o * Ci + c) * K1 + i) * K2 + j];
    for (int64_t b = 0; b < B; ++b) {
        double *yb = z ? z : Y + b * Co * N;
        planes(Ci, L1, L2, K1, K2, p[0], p[1], X + b * Ci * N, buf);
        for (int64_t i = 0; i < K1; ++i) {
            mm_nn(Co, N, R, wr + i * Co * R, R, buf + i * L2, ld, i ? 1.0 : 0.0, yb, N);
        }
        if (bias) add_rows(Co, N, bias, yb); /* after the K1 products, as a separate bias pass would */
        if (z) sl__vtanh(z, Y + b * Co * N, Co * N);
    }
}

void sl__eq_pconv2d_wgrad(int64_t B, int64_t Ci, int64_t Co, const int64_t *L, const int64_t *K, const int64_t *p,
                          const double *GY, const double *X, double *O, void *scratch)
{
    int64_t L1 = L[0], L2 = L[1], N = L1 * L2, K1 = K[0], K2 = K[1], R = Ci * K2, ld = (L1 + K1 - 1) * L2;
    double *gr = scratch, *buf = gr + K1 * Co * R;
    memset(gr, 0, sizeof(double) * (size_t)(K1 * Co * R));
    for (int64_t b = 0; b < B; ++b) {
        planes(Ci, L1, L2, K1, K2, p[0], p[1], X + b * Ci * N, buf);
        for (int64_t i = 0; i < K1; ++i) {
            mm_nt(Co, R, N, GY + b * Co * N, N, buf + i * L2, ld, 1.0, gr + i * Co * R, R);
        }
    }
    for (int64_t o = 0; o < Co; ++o)
        for (int64_t c = 0; c < Ci; ++c)
            for (int64_t i = 0; i < K1; ++i)
                for (int64_t j = 0; j < K2; ++j) O[((o * Ci + c) * K1 + i) * K2 + j] = gr[(i * Co + o) * R + c * K2 + j];
}
