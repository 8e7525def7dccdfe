/* Built-in oracles as graph builders: quadratic forms, the Euclidean norm,
 * Hermitian forms on C^n, determinants, the octonionic 3-form on R^7 and the
 * cubic norm of the Albert algebra on R^27.  Each receives nargs nodes of
 * shape (M, n) and returns (M) or (M, nout). */
#include "symmetry_internal.h"

/* Fano triples of the octonions (1-based): e_i e_j = e_k cyclically. */
static const int fano[7][3] = {{1, 2, 3}, {1, 4, 5}, {1, 7, 6}, {2, 4, 6}, {2, 5, 7}, {3, 4, 7}, {3, 6, 5}};

/* mult[(i*8 + j)*8 + k]: coefficient of e_k in e_i e_j (e_0 = 1). */
static void octonion_table(double *mult)
{
    memset(mult, 0, sizeof(double) * 512);
    for (int i = 0; i < 8; ++i) {
        mult[(0 * 8 + i) * 8 + i] = 1;
        mult[(i * 8 + 0) * 8 + i] = 1;
    }
    for (int i = 1; i < 8; ++i) mult[(i * 8 + i) * 8 + 0] = -1;
    for (int t = 0; t < 7; ++t)
        for (int r = 0; r < 3; ++r) {
            int i = fano[t][r], j = fano[t][(r + 1) % 3], k = fano[t][(r + 2) % 3];
            mult[(i * 8 + j) * 8 + k] = 1;
            mult[(j * 8 + i) * 8 + k] = -1;
        }
}

/* f[(i*7 + j)*7 + k] totally antisymmetric, 1 on the Fano triples (0-based here). */
static void octonion_3form(double *f)
{
    memset(f, 0, sizeof(double) * 343);
    for (int t = 0; t < 7; ++t) {
        int a = fano[t][0] - 1, b = fano[t][1] - 1, c = fano[t][2] - 1;
        f[(a * 7 + b) * 7 + c] = f[(b * 7 + c) * 7 + a] = f[(c * 7 + a) * 7 + b] = 1;
        f[(b * 7 + a) * 7 + c] = f[(a * 7 + c) * 7 + b] = f[(c * 7 + b) * 7 + a] = -1;
    }
}

sl_status sl__oracle_init_tables(sl_ctx *ctx, sl__oracle *o)
{
    size_t count = o->kind == SL__ORACLE_OCTONION ? 343 : o->kind == SL__ORACLE_ALBERT ? 512 : 0;
    if (!count) return SL_OK;
    o->mat = sl__alloc(ctx, sizeof(double) * count, 0, "sl_symmetry_opts_oracle");
    if (!o->mat) return SL_ERR_NOMEM;
    if (o->kind == SL__ORACLE_OCTONION) octonion_3form(o->mat);
    else octonion_table(o->mat);
    return SL_OK;
}

static sl_node *col(sl_graph *g, sl_node *x, int64_t j) { return sl_graph_slice(g, x, 1, j, j + 1, 1); }
static sl_node *rowsum(sl_graph *g, sl_node *x) { return sl_graph_sum_axes(g, x, 1, (int[]){1}, 0); }

/* Outer product of the rows of a (M, p) and b (M, q) as (M, p*q). */
static sl_node *outer(sl_graph *g, sl_node *a, sl_node *b)
{
    int64_t M = sl_node_dim(a, 0), p = sl_node_dim(a, 1), q = sl_node_dim(b, 1);
    sl_node *ab = sl_graph_mul(g, sl_graph_reshape(g, a, 3, (int64_t[]){M, p, 1}),
                               sl_graph_reshape(g, b, 3, (int64_t[]){M, 1, q}));
    return sl_graph_reshape(g, ab, 2, (int64_t[]){M, p * q});
}

/* (M, 2n) interleaved real -> (M, n) complex. */
static sl_node *as_complex(sl_graph *g, sl_node *x)
{
    int64_t M = sl_node_dim(x, 0), n2 = sl_node_dim(x, 1);
    return sl_graph_view_complex(g, sl_graph_reshape(g, x, 3, (int64_t[]){M, n2 / 2, 2}));
}

/* (M) complex -> (M, 2) real (Re, Im). */
static sl_node *re_im(sl_graph *g, sl_node *z)
{
    int64_t M = sl_node_dim(z, 0);
    sl_node *parts[2] = {sl_graph_reshape(g, sl_graph_real(g, z), 2, (int64_t[]){M, 1}),
                         sl_graph_reshape(g, sl_graph_imag(g, z), 2, (int64_t[]){M, 1})};
    return sl_graph_concat(g, 2, parts, 1);
}

/* Leibniz sum over the permutations of 0..n-1 (Heap's algorithm order). */
static sl_node *leibniz(sl_graph *g, int n, sl_node *const *cols /* cols[k*n + j] */)
{
    int perm[8], c[8] = {0}, sign = 1;
    for (int i = 0; i < n; ++i) perm[i] = i;
    sl_node *acc = NULL;
    for (;;) {
        sl_node *term = cols[0 * n + perm[0]];
        for (int k = 1; k < n; ++k) term = sl_graph_mul(g, term, cols[k * n + perm[k]]);
        if (sign < 0) term = sl_graph_neg(g, term);
        acc = acc ? sl_graph_add(g, acc, term) : term;
        int i = 1;
        while (i < n && c[i] >= i) c[i++] = 0;
        if (i >= n) break;
        int j = (i % 2 == 0) ? 0 : c[i];
        int t = perm[j];
        perm[j] = perm[i];
        perm[i] = t;
        sign = -sign;
        c[i]++;
    }
    return acc;
}

sl_node *sl__oracle_builtin(sl_graph *g, int nargs, sl_node *const *x, void *user)
{
    const sl__oracle *o = user;
    int n = o->n;
    int64_t M = sl_node_dim(x[0], 0);
    switch (o->kind) {
    case SL__ORACLE_QUADRATIC: {
        sl_node *G = sl_graph_constant(g, SL_F64, 2, (int64_t[]){n, n}, o->mat);
        return rowsum(g, sl_graph_mul(g, sl_graph_matmul(g, x[0], G), x[0]));
    }
    case SL__ORACLE_NORM:
        return sl_graph_sqrt(g, rowsum(g, sl_graph_square(g, x[0])));
    case SL__ORACLE_HERMITIAN: {
        int h = n / 2;
        sl_node *H = sl_graph_constant(g, SL_C128, 2, (int64_t[]){h, h}, o->mat);
        sl_node *z = as_complex(g, x[0]), *w = as_complex(g, x[1]);
        sl_node *Hw = sl_graph_matmul_ex(g, w, SL_OP_N, H, SL_OP_T);   /* (H w)_i per row */
        return re_im(g, rowsum(g, sl_graph_mul(g, sl_graph_conj(g, z), Hw)));
    }
    case SL__ORACLE_DET:
    case SL__ORACLE_DET_COMPLEX: {
        int k = o->aux;
        sl_node *cols[64];
        for (int a = 0; a < k; ++a) {
            sl_node *v = o->kind == SL__ORACLE_DET ? x[a] : as_complex(g, x[a]);
            for (int j = 0; j < k; ++j) cols[a * k + j] = sl_graph_reshape(g, col(g, v, j), 1, (int64_t[]){M});
        }
        sl_node *det = leibniz(g, k, cols);
        return o->kind == SL__ORACLE_DET ? det : re_im(g, det);
    }
    case SL__ORACLE_OCTONION: {
        sl_node *F = sl_graph_constant(g, SL_F64, 2, (int64_t[]){49, 7}, o->mat);
        return rowsum(g, sl_graph_mul(g, sl_graph_matmul(g, outer(g, x[0], x[1]), F), x[2]));
    }
    case SL__ORACLE_ALBERT: {
        sl_node *X = x[0];
        sl_node *a = col(g, X, 0), *b = col(g, X, 1), *c = col(g, X, 2);
        sl_node *ox = sl_graph_slice(g, X, 1, 3, 11, 1), *oy = sl_graph_slice(g, X, 1, 11, 19, 1),
                *oz = sl_graph_slice(g, X, 1, 19, 27, 1);
        sl_node *T = sl_graph_constant(g, SL_F64, 2, (int64_t[]){64, 8}, o->mat);
        sl_node *xy = sl_graph_matmul(g, outer(g, ox, oy), T);        /* octonion product */
        double sgn[8] = {1, -1, -1, -1, -1, -1, -1, -1};                /* Re(p q) = p.conj-sign q */
        sl_node *S = sl_graph_constant(g, SL_F64, 1, (int64_t[]){8}, sgn);
        sl_node *re = rowsum(g, sl_graph_mul(g, sl_graph_mul(g, xy, oz), S));
        sl_node *nx = rowsum(g, sl_graph_square(g, ox)), *ny = rowsum(g, sl_graph_square(g, oy)),
                *nz = rowsum(g, sl_graph_square(g, oz));
        sl_node *a1 = sl_graph_reshape(g, a, 1, (int64_t[]){M}), *b1 = sl_graph_reshape(g, b, 1, (int64_t[]){M}),
                *c1 = sl_graph_reshape(g, c, 1, (int64_t[]){M});
        sl_node *N = sl_graph_mul(g, sl_graph_mul(g, a1, b1), c1);
        N = sl_graph_sub(g, N, sl_graph_mul(g, a1, nx));
        N = sl_graph_sub(g, N, sl_graph_mul(g, b1, ny));
        N = sl_graph_sub(g, N, sl_graph_mul(g, c1, nz));
        N = sl_graph_add(g, N, sl_graph_mul_scalar(g, re, 2.0));
        if (!o->aux) return N;
        sl_node *tr = sl_graph_add(g, sl_graph_add(g, a1, b1), c1);
        sl_node *parts[2] = {sl_graph_reshape(g, N, 2, (int64_t[]){M, 1}),
                             sl_graph_reshape(g, tr, 2, (int64_t[]){M, 1})};
        return sl_graph_concat(g, 2, parts, 1);
    }
    default:
        return NULL;
    }
}
