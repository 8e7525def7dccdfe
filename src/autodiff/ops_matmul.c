/* Batched, broadcasting matrix products op(a) op(b), op in {N, T, H}.
 * Large products go to BLAS (dgemm/zgemm); small ones to plain loops, with
 * unrolled kernels for 2x2 and 3x3 complex matrices (SU(2), SU(3) links). */
#include "graph_internal.h"
#include "../kernels/blas.h"
#include "../kernels/velem.h"
#include "../kernels/bmm_small.h"
#include "../kernels/gemm_narrow.h"

#define BLAS_MIN_WORK 32768   /* m n k below which plain loops beat the BLAS call */

static const char op_char[3] = {'N', 'T', 'C'};

/* Element (i, j) of op(x) where x is stored row-major with `cols` columns. */
#define AT_R(x, op, i, j, cols) ((op) == SL_OP_N ? (x)[(i) * (cols) + (j)] : (x)[(j) * (cols) + (i)])
#define AT_C(x, op, i, j, cols)                                                          \
    ((op) == SL_OP_N ? (x)[(i) * (cols) + (j)]                                            \
                     : (op) == SL_OP_T ? (x)[(j) * (cols) + (i)] : conj((x)[(j) * (cols) + (i)]))

static void mm2(const cplx *a, const cplx *b, cplx *c)
{
    c[0] = a[0] * b[0] + a[1] * b[2];
    c[1] = a[0] * b[1] + a[1] * b[3];
    c[2] = a[2] * b[0] + a[3] * b[2];
    c[3] = a[2] * b[1] + a[3] * b[3];
}

static void mm3(const cplx *a, const cplx *b, cplx *c)
{
    for (int i = 0; i < 3; ++i) {
        const cplx *r = a + 3 * i;
        c[3 * i + 0] = r[0] * b[0] + r[1] * b[3] + r[2] * b[6];
        c[3 * i + 1] = r[0] * b[1] + r[1] * b[4] + r[2] * b[7];
        c[3 * i + 2] = r[0] * b[2] + r[1] * b[5] + r[2] * b[8];
    }
}

void sl__gemm(sl_dtype dt, int op_a, int op_b, int64_t m, int64_t n, int64_t k, const void *a,
              const void *b, void *c)
{
    int64_t acols = op_a == SL_OP_N ? k : m, bcols = op_b == SL_OP_N ? n : k;
    if (dt == SL_F64 && k == 1) {
        /* outer product: with k = 1 both operands are plain vectors whatever op says */
        sl__vouter(a, b, c, m, n);
        return;
    }
    if (dt == SL_F64 && (n == 1 || m == 1) && m * n * k >= BLAS_MIN_WORK / 8) {
        /* matrix-vector products: dgemv instead of a degenerate dgemm */
        double one = 1, zero = 0;
        sl_blas_int inc = 1;
        if (n == 1) {   /* c (m) = op(A) b: row-major A is column-major A^T */
            sl_blas_int M = (sl_blas_int)(op_a == SL_OP_N ? k : m), N = (sl_blas_int)(op_a == SL_OP_N ? m : k);
            dgemv_(op_a == SL_OP_N ? "T" : "N", &M, &N, &one, a, &M, b, &inc, &zero, c, &inc, 1);
        } else {        /* c (n) = op(B)^T a */
            sl_blas_int M = (sl_blas_int)(op_b == SL_OP_N ? n : k), N = (sl_blas_int)(op_b == SL_OP_N ? k : n);
            dgemv_(op_b == SL_OP_N ? "N" : "T", &M, &N, &one, b, &M, a, &inc, &zero, c, &inc, 1);
        }
        return;
    }
    if (m * n * k >= BLAS_MIN_WORK) {
        if (dt == SL_F64 && sl__gemm_narrow(op_a, op_b, m, n, k, a, b, c)) return;
        /* Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T. */
        sl_blas_int M = (sl_blas_int)n, N = (sl_blas_int)m, K = (sl_blas_int)k;
        sl_blas_int lda = (sl_blas_int)bcols, ldb = (sl_blas_int)acols, ldc = (sl_blas_int)n;
        if (dt == SL_F64) {
            double one = 1, zero = 0;
            dgemm_(&op_char[op_b], &op_char[op_a], &M, &N, &K, &one, b, &lda, a, &ldb, &zero, c, &ldc, 1, 1);
        } else {
            cplx one = 1, zero = 0;
            zgemm_(&op_char[op_b], &op_char[op_a], &M, &N, &K, &one, b, &lda, a, &ldb, &zero, c, &ldc, 1, 1);
        }
        return;
    }
    if (dt == SL_F64) {
        const double *A = a, *B = b;
        double *C = c;
        if (op_a == SL_OP_N && op_b == SL_OP_N) {
            for (int64_t i = 0; i < m; ++i) {
                double *ci = C + i * n;
                for (int64_t j = 0; j < n; ++j) ci[j] = 0;
                for (int64_t p = 0; p < k; ++p) {
                    double aip = A[i * k + p];
                    const double *bp = B + p * n;
                    for (int64_t j = 0; j < n; ++j) ci[j] += aip * bp[j];
                }
            }
            return;
        }
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double acc = 0;
                for (int64_t p = 0; p < k; ++p) acc += AT_R(A, op_a, i, p, acols) * AT_R(B, op_b, p, j, bcols);
                C[i * n + j] = acc;
            }
        return;
    }
    const cplx *A = a, *B = b;
    cplx *C = c;
    if (op_a == SL_OP_N && op_b == SL_OP_N) {
        if (m == 2 && n == 2 && k == 2) { mm2(A, B, C); return; }
        if (m == 3 && n == 3 && k == 3) { mm3(A, B, C); return; }
        for (int64_t i = 0; i < m; ++i) {
            cplx *ci = C + i * n;
            for (int64_t j = 0; j < n; ++j) ci[j] = 0;
            for (int64_t p = 0; p < k; ++p) {
                cplx aip = A[i * k + p];
                const cplx *bp = B + p * n;
                for (int64_t j = 0; j < n; ++j) ci[j] += aip * bp[j];
            }
        }
        return;
    }
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            cplx acc = 0;
            for (int64_t p = 0; p < k; ++p) acc += AT_C(A, op_a, i, p, acols) * AT_C(B, op_b, p, j, bcols);
            C[i * n + j] = acc;
        }
}

/* Strides, in whole matrices, of x's batch axes within a broadcast batch of
 * br axes (0 along broadcast axes). */
static void batch_strides(int br, const sl_node *x, int64_t *st)
{
    int64_t s = 1;
    for (int i = br - 1; i >= 0; --i) {
        int j = i - (br - (x->rank - 2));
        int64_t d = j >= 0 ? x->shape[j] : 1;
        st[i] = d == 1 ? 0 : s;
        s *= d;
    }
}

/* One real product of small matrices (m n k < BLAS_MIN_WORK / 8), inlined
 * into the batch loop: sl__gemm's arithmetic exactly (k = 1: the products;
 * otherwise each element summed from 0 in the order of p), without its call
 * and dispatch per matrix. */
static inline __attribute__((always_inline)) void small_real(int op_a, int op_b, int64_t m, int64_t n, int64_t k,
                                                             const double *A, const double *B, double *C)
{
    int64_t acols = op_a == SL_OP_N ? k : m, bcols = op_b == SL_OP_N ? n : k;
    if (k == 1) {
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) C[i * n + j] = A[i] * B[j];
        return;
    }
    if (m == 2 && n == 2 && k == 2 && op_a == SL_OP_N && op_b == SL_OP_N) {
        double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        c0 += A[0] * B[0], c1 += A[0] * B[1], c2 += A[2] * B[0], c3 += A[2] * B[1];
        c0 += A[1] * B[2], c1 += A[1] * B[3], c2 += A[3] * B[2], c3 += A[3] * B[3];
        C[0] = c0, C[1] = c1, C[2] = c2, C[3] = c3;
        return;
    }
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double acc = 0;
            for (int64_t p = 0; p < k; ++p) acc += AT_R(A, op_a, i, p, acols) * AT_R(B, op_b, p, j, bcols);
            C[i * n + j] = acc;
        }
}

/* ia = {op_a, op_b, m, n, k} */
static void matmul_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_node *A = nd->in[0], *B = nd->in[1];
    int op_a = (int)nd->ia[0], op_b = (int)nd->ia[1];
    int64_t m = nd->ia[2], n = nd->ia[3], k = nd->ia[4];
    size_t es = sl__dtype_size(nd->dtype);
    int br = nd->rank - 2;
    int64_t batch = 1;
    for (int i = 0; i < br; ++i) batch *= nd->shape[i];
    if (B->rank == 2 && op_a == SL_OP_N) {   /* fold the batch into the rows of A */
        sl__gemm(nd->dtype, op_a, op_b, m * batch, n, k, in[0], in[1], out);
        return;
    }
    /* Batch strides (in matrices) of A and B in the broadcast batch shape. */
    int64_t sa[SL_MAX_RANK], sb[SL_MAX_RANK], idx[SL_MAX_RANK] = {0};
    batch_strides(br, A, sa);
    batch_strides(br, B, sb);
    const char *a = in[0], *b = in[1];
    char *c = out;
    size_t asz = (size_t)(m * k) * es, bsz = (size_t)(k * n) * es, csz = (size_t)(m * n) * es;
    int small = nd->dtype == SL_F64 && m * n * k < BLAS_MIN_WORK / 8;
    /* whole batches of equal small squares (no broadcast): constant-size kernels */
    if (small && A->numel == batch * m * k && B->numel == batch * k * n &&
        sl__bmm_small(op_a, op_b, m, n, k, batch, in[0], in[1], out))
        return;
    for (int64_t t = 0; t < batch; ++t) {
        int64_t oa = 0, ob = 0;
        for (int i = 0; i < br; ++i) { oa += idx[i] * sa[i]; ob += idx[i] * sb[i]; }
        if (small)
            small_real(op_a, op_b, m, n, k, (const double *)(a + (size_t)oa * asz), (const double *)(b + (size_t)ob * bsz),
                       (double *)(c + (size_t)t * csz));
        else
            sl__gemm(nd->dtype, op_a, op_b, m, n, k, a + (size_t)oa * asz, b + (size_t)ob * bsz, c + (size_t)t * csz);
        for (int i = br - 1; i >= 0; --i) {
            if (++idx[i] < nd->shape[i]) break;
            idx[i] = 0;
        }
    }
}

/* The operand op(x)^H, and conj(op(x)), as (node, op) pairs. */
static void adj_of(sl_graph *g, sl_node *x, int op, sl_node **nx, int *nop)
{
    if (op == SL_OP_N) { *nx = x; *nop = SL_OP_H; }
    else if (op == SL_OP_T) { *nx = sl_graph_conj(g, x); *nop = SL_OP_N; }
    else { *nx = x; *nop = SL_OP_N; }
}

static void conj_of(sl_graph *g, sl_node *x, int op, sl_node **nx, int *nop)
{
    if (op == SL_OP_N) { *nx = sl_graph_conj(g, x); *nop = SL_OP_N; }
    else if (op == SL_OP_T) { *nx = x; *nop = SL_OP_H; }
    else { *nx = x; *nop = SL_OP_T; }
}

/* C = A' B' with A' = op_a(A), B' = op_b(B): dA' = G B'^H, dB' = A'^H G, then
 * undo op_a / op_b.  Batch broadcasting is summed out. */
static void matmul_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    sl_node *A = nd->in[0], *B = nd->in[1], *x;
    int op_a = (int)nd->ia[0], op_b = (int)nd->ia[1], xop;
    if (need[0]) {
        sl_node *r;
        if (op_a == SL_OP_N) { adj_of(g, B, op_b, &x, &xop); r = sl_graph_matmul_ex(g, gy, SL_OP_N, x, xop); }
        else if (op_a == SL_OP_T) { conj_of(g, B, op_b, &x, &xop); r = sl_graph_matmul_ex(g, x, xop, gy, SL_OP_T); }
        else r = sl_graph_matmul_ex(g, B, op_b, gy, SL_OP_H);
        gin[0] = sl__sum_to_node(g, r, A);
    }
    if (need[1]) {
        sl_node *Af = A, *G = gy, *r;
        if (B->rank == 2 && A->rank > 2 && op_a == SL_OP_N) {
            /* B is shared by the batch: fold the batch into the rows, one GEMM. */
            int64_t a2[2] = {-1, A->shape[A->rank - 1]}, g2[2] = {-1, gy->shape[gy->rank - 1]};
            Af = sl_graph_reshape(g, A, 2, a2);
            G = sl_graph_reshape(g, gy, 2, g2);
        }
        if (op_b == SL_OP_N) { adj_of(g, Af, op_a, &x, &xop); r = sl_graph_matmul_ex(g, x, xop, G, SL_OP_N); }
        else if (op_b == SL_OP_T) { conj_of(g, Af, op_a, &x, &xop); r = sl_graph_matmul_ex(g, G, SL_OP_T, x, xop); }
        else r = sl_graph_matmul_ex(g, G, SL_OP_H, Af, op_a);
        gin[1] = sl__sum_to_node(g, r, B);
    }
}

static const sl_opdef op_matmul = {"matmul", matmul_eval, matmul_vjp, NULL, 0};

static sl_node *matmul(sl_graph *g, const char *who, sl_node *a, int op_a, sl_node *b, int op_b)
{
    sl_node *xs[2] = {a, b};
    if (!sl__gcheck(g, who, 2, xs)) return NULL;
    if (op_a < SL_OP_N || op_a > SL_OP_H || op_b < SL_OP_N || op_b > SL_OP_H)
        return sl__gfail(g, SL_ERR_ARG, "%s: op_a = %d, op_b = %d (must be SL_OP_N, _T or _H)", who, op_a, op_b);
    if (a->dtype != b->dtype)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: a is %s, b is %s", who, sl__dtype_name(a->dtype),
                         sl__dtype_name(b->dtype));
    if (a->rank < 2 || b->rank < 2)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: ranks %d and %d (both must be >= 2)", who, a->rank, b->rank);
    if (a->dtype == SL_F64) {
        if (op_a == SL_OP_H) op_a = SL_OP_T;
        if (op_b == SL_OP_H) op_b = SL_OP_T;
    }
    int64_t m = a->shape[a->rank - (op_a == SL_OP_N ? 2 : 1)];
    int64_t ka = a->shape[a->rank - (op_a == SL_OP_N ? 1 : 2)];
    int64_t kb = b->shape[b->rank - (op_b == SL_OP_N ? 2 : 1)];
    int64_t n = b->shape[b->rank - (op_b == SL_OP_N ? 1 : 2)];
    if (ka != kb)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: inner dimensions %lld and %lld differ", who, (long long)ka,
                         (long long)kb);
    if (m > INT32_MAX || n > INT32_MAX || ka > INT32_MAX)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: a dimension exceeds the BLAS integer range", who);
    int rank;
    int64_t shape[SL_MAX_RANK];
    if (!sl__broadcast_shape(a->rank - 2, a->shape, b->rank - 2, b->shape, &rank, shape))
        return sl__gfail(g, SL_ERR_SHAPE, "%s: batch shapes do not broadcast", who);
    shape[rank] = m;
    shape[rank + 1] = n;
    if (!sl__gshape_ok(g, who, rank + 2, shape)) return NULL;
    sl_node *nd = sl__node_new(g, &op_matmul, a->dtype, rank + 2, shape, 2, xs);
    if (nd) {
        nd->ia[0] = op_a; nd->ia[1] = op_b;
        nd->ia[2] = m; nd->ia[3] = n; nd->ia[4] = ka;
    }
    return nd;
}

sl_node *sl_graph_matmul_ex(sl_graph *g, sl_node *a, int op_a, sl_node *b, int op_b)
{
    return matmul(g, "sl_graph_matmul_ex", a, op_a, b, op_b);
}

sl_node *sl_graph_matmul(sl_graph *g, sl_node *a, sl_node *b)
{
    return matmul(g, "sl_graph_matmul", a, SL_OP_N, b, SL_OP_N);
}
