/* Narrow real GEMMs (gemm_narrow.h).  For batch x 32 times 32 x 32 (bench
 * lax) OpenBLAS spends about a third of its time packing panels and zeroing
 * c, the inner dimension being too short to pay for it: 62 us against 44 us
 * here (one core, AMD EPYC, OpenBLAS 0.3.21 Cooperlake kernels).  Here b's
 * strip of up to 32 columns stays in L1 and is read in place; a tile of
 * 6 rows x 32 columns of c is 24 AVX-512 accumulators, a[r][p] broadcast.
 * T N (the weight gradients, a reduction over the batch) keeps a tile of
 * 6 rows of c (columns of a) x 32 columns in registers through all k rows.
 * GCC/Clang vector extensions, compiled for x86-64-v4 and used only when the
 * CPU reports AVX-512F (else the caller keeps BLAS). */
#include "gemm_narrow.h"

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define GN_OK 1
#if defined(__clang__)
#define GN_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#else
#define GN_TARGET __attribute__((target("arch=x86-64-v4"), optimize("O3", "fp-contract=fast")))
#endif
#define GN_INLINE __attribute__((always_inline)) static inline

typedef double v8d __attribute__((vector_size(64), aligned(8)));

#define GN_R 6    /* rows of c per register tile */
#define GN_KMAX 64

/* c[0..R)[0..8 NV) = a[0..R)[0..k) b[0..k)[0..8 NV); a row stride lda, b ldb, c ldc */
GN_TARGET GN_INLINE void tile_nn(int R, int NV, int64_t k, const double *restrict a, int64_t lda,
                                 const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    v8d acc[GN_R][4];
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = (v8d){0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t p = 0; p < k; ++p) {
        v8d bv[4];
        for (int v = 0; v < NV; ++v) bv[v] = *(const v8d *)(b + p * ldb + 8 * v);
        for (int r = 0; r < R; ++r) {
            double ar = a[r * lda + p];
            for (int v = 0; v < NV; ++v) acc[r][v] += ar * bv[v];
        }
    }
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) *(v8d *)(c + r * ldc + 8 * v) = acc[r][v];
}

GN_TARGET GN_INLINE void strip_nn(int NV, int64_t m, int64_t k, const double *restrict a, int64_t lda,
                                  const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    int64_t r = 0;
    for (; r + GN_R <= m; r += GN_R) tile_nn(GN_R, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc);
    switch (m - r) {
    case 5: tile_nn(5, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc); break;
    case 4: tile_nn(4, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc); break;
    case 3: tile_nn(3, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc); break;
    case 2: tile_nn(2, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc); break;
    case 1: tile_nn(1, NV, k, a + r * lda, lda, b, ldb, c + r * ldc, ldc); break;
    default: break;
    }
}

/* c (m x n) = a (m x k) b (k x n), ldb = n */
GN_TARGET static void gemm_nn(int64_t m, int64_t n, int64_t k, const double *a, const double *b, double *c)
{
    int64_t j = 0;
    for (; j + 32 <= n; j += 32) strip_nn(4, m, k, a, k, b + j, n, c + j, n);
    switch ((n - j) / 8) {
    case 3: strip_nn(3, m, k, a, k, b + j, n, c + j, n); break;
    case 2: strip_nn(2, m, k, a, k, b + j, n, c + j, n); break;
    case 1: strip_nn(1, m, k, a, k, b + j, n, c + j, n); break;
    default: break;
    }
}

/* c[0..R)[0..8 NV) = sum_p a[p][0..R) b[p][0..8 NV); a row stride lda, b ldb */
GN_TARGET GN_INLINE void tile_tn(int R, int NV, int64_t k, const double *restrict a, int64_t lda,
                                 const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    v8d acc[GN_R][4];
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = (v8d){0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t p = 0; p < k; ++p) {
        v8d bv[4];
        for (int v = 0; v < NV; ++v) bv[v] = *(const v8d *)(b + p * ldb + 8 * v);
        for (int r = 0; r < R; ++r) {
            double ar = a[p * lda + r];
            for (int v = 0; v < NV; ++v) acc[r][v] += ar * bv[v];
        }
    }
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) *(v8d *)(c + r * ldc + 8 * v) = acc[r][v];
}

GN_TARGET GN_INLINE void strip_tn(int NV, int64_t m, int64_t k, const double *restrict a, int64_t lda,
                                  const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    int64_t r = 0;
    for (; r + GN_R <= m; r += GN_R) tile_tn(GN_R, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc);
    switch (m - r) {
    case 5: tile_tn(5, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc); break;
    case 4: tile_tn(4, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc); break;
    case 3: tile_tn(3, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc); break;
    case 2: tile_tn(2, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc); break;
    case 1: tile_tn(1, NV, k, a + r, lda, b, ldb, c + r * ldc, ldc); break;
    default: break;
    }
}

/* c (m x 4) = a (m x k) b (k x 4): 8 rows of c per tile, one 4-double
 * accumulator each, b's row p broadcast-free (4 doubles). */
typedef double v4d __attribute__((vector_size(32), aligned(8)));
GN_TARGET GN_INLINE void tile_n4(int R, int64_t k, const double *restrict a, const double *restrict b,
                                 double *restrict c)
{
    v4d acc[8];
    for (int r = 0; r < R; ++r) acc[r] = (v4d){0, 0, 0, 0};
    for (int64_t p = 0; p < k; ++p) {
        v4d bv = *(const v4d *)(b + 4 * p);
        for (int r = 0; r < R; ++r) acc[r] += a[r * k + p] * bv;
    }
    for (int r = 0; r < R; ++r) *(v4d *)(c + 4 * r) = acc[r];
}

GN_TARGET static void gemm_nn4(int64_t m, int64_t k, const double *a, const double *b, double *c)
{
    int64_t r = 0;
    for (; r + 8 <= m; r += 8) tile_n4(8, k, a + r * k, b, c + 4 * r);
    for (; r < m; ++r) tile_n4(1, k, a + r * k, b, c + 4 * r);
}

/* c (m x n) = a^T b, a (k x m), b (k x n) */
GN_TARGET static void gemm_tn(int64_t m, int64_t n, int64_t k, const double *a, const double *b, double *c)
{
    int64_t j = 0;
    for (; j + 32 <= n; j += 32) strip_tn(4, m, k, a, m, b + j, n, c + j, n);
    switch ((n - j) / 8) {
    case 3: strip_tn(3, m, k, a, m, b + j, n, c + j, n); break;
    case 2: strip_tn(2, m, k, a, m, b + j, n, c + j, n); break;
    case 1: strip_tn(1, m, k, a, m, b + j, n, c + j, n); break;
    default: break;
    }
}
#endif

int sl__gemm_narrow(int op_a, int op_b, int64_t m, int64_t n, int64_t k, const double *a, const double *b, double *c)
{
#ifdef GN_OK
    /* the kernels are compiled for x86-64-v4 (F, BW, CD, DQ, VL): ask for
     * every extension the compiler may use, not only the foundation */
    if (m < 1 || n < 1 || k < 1 || !__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")
        || !__builtin_cpu_supports("avx512cd") || !__builtin_cpu_supports("avx512dq")
        || !__builtin_cpu_supports("avx512vl"))
        return 0;
    if (op_a == 1 && op_b == 0 && n < 8 && m >= 8 && m <= 64 && m % 8 == 0) {
        /* a narrow T N (a weight gradient of a layer with few outputs):
         * c^T (n x m) = b^T a through the kernel with the roles swapped */
        double ct[8 * 64];
        gemm_tn(n, m, k, b, a, ct);
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) c[i * n + j] = ct[j * m + i];
        return 1;
    }
    if (n == 4 && op_a == 0 && k <= 1024) {   /* a layer with 4 outputs: N N, or N T through b^T */
        if (op_b == 0) {
            gemm_nn4(m, k, a, b, c);
        } else {
            double bt[4 * 1024];
            for (int64_t p = 0; p < k; ++p)
                for (int64_t j = 0; j < 4; ++j) bt[p * 4 + j] = b[j * k + p];
            gemm_nn4(m, k, a, bt, c);
        }
        return 1;
    }
    if (n < 8 || n > 64 || n % 8) return 0;
    if (op_a == 0 && op_b == 0 && k <= GN_KMAX) {
        gemm_nn(m, n, k, a, b, c);
        return 1;
    }
    if (op_a == 0 && op_b == 1 && k * n <= 4096) {
        double bt[4096];   /* b^T, k x n */
        for (int64_t p = 0; p < k; ++p)
            for (int64_t j = 0; j < n; ++j) bt[p * n + j] = b[j * k + p];
        gemm_nn(m, n, k, a, bt, c);
        return 1;
    }
    if (op_a == 1 && op_b == 0 && m <= 64) {
        gemm_tn(m, n, k, a, b, c);
        return 1;
    }
#else
    (void)op_a, (void)op_b, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c;
#endif
    return 0;
}
