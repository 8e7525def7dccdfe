/* The matmul kernels for narrow products (src/kernels/gemm_narrow.c: N N,
 * N T, T N with widths multiples of 8 up to 64) and for batches of equal
 * 2x2, 3x3, 4x4 products (src/kernels/bmm_small.c), through
 * sl_graph_matmul_ex and a plan, against naive loops: the narrow ones to
 * rounding (row counts of each residue mod 6, the register tile; strips of
 * 8 to 64 columns; inner dimensions 1 to 64 and, for T N, long reductions),
 * the batched ones bit for bit (their sums run in the loop's order). */
#include "check.h"

#include <symlearn.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double urand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

/* op(x)(i, j), x row-major r x c as stored */
static double at(const double *x, int op, int64_t i, int64_t j, int64_t cols)
{
    return op == SL_OP_N ? x[i * cols + j] : x[j * cols + i];
}

/* c = op_a(a) op_b(b) for `batch` matrices through a plan; the largest
 * |difference| from the loop, relative to the sum of |products| */
static double run(int64_t batch, int op_a, int op_b, int64_t m, int64_t n, int64_t k, int exact)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t sa[3] = {batch, op_a == SL_OP_N ? m : k, op_a == SL_OP_N ? k : m};
    int64_t sb[3] = {batch, op_b == SL_OP_N ? k : n, op_b == SL_OP_N ? n : k};
    int r = batch > 1 ? 3 : 2;
    sl_node *A = sl_graph_input(g, SL_F64, r, r == 3 ? sa : sa + 1, "a");
    sl_node *B = sl_graph_input(g, SL_F64, r, r == 3 ? sb : sb + 1, "b");
    sl_node *C = sl_graph_matmul_ex(g, A, op_a, B, op_b);
    size_t na = (size_t)(batch * m * k), nb = (size_t)(batch * k * n);
    double *a = malloc(sizeof(double) * na), *b = malloc(sizeof(double) * nb);
    uint64_t s = (uint64_t)(m * 1000003 + n * 1009 + k * 7 + op_a * 3 + op_b);
    for (size_t i = 0; i < na; ++i) a[i] = urand(&s);
    for (size_t i = 0; i < nb; ++i) b[i] = urand(&s);
    sl_plan *p = NULL;
    double worst = 1;
    if (sl_plan_create(g, 1, &C, &p) == SL_OK && sl_plan_bind(p, A, a) == SL_OK && sl_plan_bind(p, B, b) == SL_OK &&
        sl_plan_run(p) == SL_OK) {
        const double *c = sl_plan_output(p, 0);
        worst = 0;
        int64_t acols = op_a == SL_OP_N ? k : m, bcols = op_b == SL_OP_N ? n : k;
        for (int64_t t = 0; t < batch; ++t)
            for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    double acc = 0, mag = 0;
                    for (int64_t q = 0; q < k; ++q) {
                        double x = at(a + t * m * k, op_a, i, q, acols) * at(b + t * k * n, op_b, q, j, bcols);
                        acc += x;
                        mag += fabs(x);
                    }
                    double d = fabs(c[(t * m + i) * n + j] - acc);
                    if (exact) d = d != 0;   /* bits: any difference counts as 1 */
                    else d /= mag > 0 ? mag : 1;
                    if (d > worst) worst = d;
                }
    }
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    free(a), free(b);
    return worst;
}

int main(void)
{
    const int ops[3][2] = {{SL_OP_N, SL_OP_N}, {SL_OP_N, SL_OP_T}, {SL_OP_T, SL_OP_N}};
    /* narrow products: m n k >= 32768 reaches the kernel (else the plain loops) */
    const int64_t widths[] = {8, 16, 24, 32, 40, 64, 12};
    const int64_t inner[] = {1, 2, 4, 7, 32, 64, 65};
    for (int o = 0; o < 3; ++o)
        for (int iw = 0; iw < 7; ++iw)
            for (int ik = 0; ik < 7; ++ik)
                for (int64_t m = 1024; m < 1030; ++m) {
                    int64_t n = widths[iw], k = inner[ik];
                    if (ops[o][0] == SL_OP_T) {   /* T N: c (m x n) = a^T b, a reduction over k rows */
                        int64_t rows = m * 2;     /* the reduction */
                        int64_t mm = k < 60 ? 6 * (k % 6) + k % 6 + 1 : k;   /* every residue mod 6 */
                        double e = run(1, ops[o][0], ops[o][1], mm, n, rows, 0);
                        CHECK(e < 1e-15, "T N m %lld n %lld k %lld: relative error %g", (long long)mm, (long long)n,
                              (long long)rows, e);
                        if (m > 1025) break;
                    } else {
                        double e = run(1, ops[o][0], ops[o][1], m, n, k, 0);
                        CHECK(e < 1e-15, "N %c m %lld n %lld k %lld: relative error %g", ops[o][1] ? 'T' : 'N',
                              (long long)m, (long long)n, (long long)k, e);
                    }
                }
    /* T N with few columns (c^T = b^T a in the kernel): m a multiple of 8 */
    for (int64_t n = 1; n < 8; ++n)
        for (int64_t mm = 8; mm <= 72; mm += 8) {
            double e = run(1, SL_OP_T, SL_OP_N, mm, n, 1027, 0);
            CHECK(e < 1e-15, "T N m %lld n %lld: relative error %g", (long long)mm, (long long)n, e);
        }
    /* N N and N T with 4 columns */
    for (int64_t k = 1; k <= 70; k += 23)
        for (int64_t m = 1024; m < 1034; ++m)
            for (int ob = 0; ob < 2; ++ob) {
                double e = run(1, SL_OP_N, ob ? SL_OP_T : SL_OP_N, m, 4, k, 0);
                CHECK(e < 1e-15, "N %c m %lld n 4 k %lld: relative error %g", ob ? 'T' : 'N', (long long)m,
                      (long long)k, e);
            }
    /* batches of equal small squares, every op pair, bit for bit */
    const int sq[3][2] = {{SL_OP_T, SL_OP_T}, {SL_OP_N, SL_OP_T}, {SL_OP_T, SL_OP_N}};
    for (int64_t d = 1; d <= 5; ++d)
        for (int o = 0; o < 4; ++o) {
            int oa = o < 3 ? sq[o][0] : SL_OP_N, ob = o < 3 ? sq[o][1] : SL_OP_N;
            double e = run(1031, oa, ob, d, d, d, 1);
            CHECK(e == 0, "batch of %lldx%lld, ops %d %d: results differ from the loop", (long long)d, (long long)d,
                  oa, ob);
        }
    return check_done();
}
