/* Short-and-wide real GEMM for the fused lattice kernels (lat_contract.c):
 *   c[r][j] = sum_k a[r][k] b[k][j]   (beta = 0: c is only written),
 * rows and k small (the coefficient contractions: tens of rows, inner
 * dimension tens), j wide (a block's panel columns).  BLAS packs these panels
 * and zeroes c first; this reads b in place, j innermost in strips of 16
 * columns (then 4, then single ones), with the accumulators of a tile of
 * 3 rows x 16 columns kept in registers and a[r][k] broadcast.  Generic
 * vectors (GCC / Clang vector extension), built for AVX2 + FMA (x86-64-v3)
 * and for the baseline (SL_CLONES, cpu.h).  The rows of b should not be a
 * multiple of 4 KiB apart (L1 set conflicts: lat_contract.c pads its slot
 * stride). */
#include "lat_kernels.h"

#if defined(__GNUC__) && !defined(__clang__)
#define SL_SG_INLINE __attribute__((always_inline)) inline
#else
#define SL_SG_INLINE inline
#endif

#define SG_RB 3   /* rows per register tile */
#define SG_NV 4   /* 4-double vectors per tile row: tiles of 3 x 16, 12 accumulators */

/* 4 doubles (one AVX2 register; two SSE2 registers in the baseline clone),
 * loaded and stored unaligned. */
typedef double v4d __attribute__((vector_size(32), aligned(8)));

/* One tile: R rows x 4 NV columns (R, NV constants after inlining). */
static SL_SG_INLINE void tile(int R, int NV, int64_t k, const double *restrict a, int64_t lda,
                              const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    v4d acc[SG_RB][SG_NV];
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) acc[r][v] = (v4d){0, 0, 0, 0};
    for (int64_t p = 0; p < k; ++p) {
        v4d bv[SG_NV];
        for (int v = 0; v < NV; ++v) bv[v] = *(const v4d *)(b + p * ldb + 4 * v);
        for (int r = 0; r < R; ++r) {
            double ar = a[r * lda + p];
            for (int v = 0; v < NV; ++v) acc[r][v] += ar * bv[v];
        }
    }
    for (int r = 0; r < R; ++r)
        for (int v = 0; v < NV; ++v) *(v4d *)(c + r * ldc + 4 * v) = acc[r][v];
}

/* All rows, columns j0 .. j0 + 4 NV - 1. */
static SL_SG_INLINE void strip(int NV, int64_t rows, int64_t k, const double *restrict a, int64_t lda,
                               const double *restrict b, int64_t ldb, double *restrict c, int64_t ldc)
{
    int64_t r0 = 0;
    for (; r0 + SG_RB <= rows; r0 += SG_RB) tile(SG_RB, NV, k, a + r0 * lda, lda, b, ldb, c + r0 * ldc, ldc);
    if (rows - r0 == 2) tile(2, NV, k, a + r0 * lda, lda, b, ldb, c + r0 * ldc, ldc);
    else if (rows - r0 == 1) tile(1, NV, k, a + r0 * lda, lda, b, ldb, c + r0 * ldc, ldc);
}

/* The clones are static so their load-time resolver stays out of the
 * library's exported symbols; sl__small_gemm below only forwards. */
SL_CLONES SL_O3_FMA static void small_gemm(int64_t rows, int64_t k, int64_t w, const double *a, int64_t lda,
                                             const double *b, int64_t ldb, double *c, int64_t ldc)
{
    int64_t j = 0;
    for (; j + 4 * SG_NV <= w; j += 4 * SG_NV) strip(SG_NV, rows, k, a, lda, b + j, ldb, c + j, ldc);
    for (; j + 4 <= w; j += 4) strip(1, rows, k, a, lda, b + j, ldb, c + j, ldc);
    for (; j < w; ++j)   /* the last w % 4 columns */
        for (int64_t r = 0; r < rows; ++r) {
            double s = 0;
            for (int64_t p = 0; p < k; ++p) s += a[r * lda + p] * b[p * ldb + j];
            c[r * ldc + j] = s;
        }
}

void sl__small_gemm(int64_t rows, int64_t k, int64_t w, const double *a, int64_t lda, const double *b, int64_t ldb,
                    double *c, int64_t ldc)
{
    small_gemm(rows, k, w, a, lda, b, ldb, c, ldc);
}
