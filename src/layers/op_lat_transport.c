/* Fused parallel transports as graph ops (see lattice_ops.h): for every
 * channel at once, out(x) = M(x + sl mu) X(x + sw mu) M(x + sl mu)^+,
 * M = L or L^+ (the loops: src/kernels/lat_transport.c).  Several lines can
 * feed one node ("expand": channel blocks one per line, the GCMConv transport
 * set; "reduce": the sum over lines, which is the expand's adjoint).  The vjp
 * w.r.t. X is the same op in the opposite direction; the vjp w.r.t. a line is
 * the second fused op here, the channel-summed line gradient
 *   K(y) = sum_c P_c(y + ap mu) L(y) Q_c(y + aq mu)^+ + P_c(..)^+ L(y) Q_c(..),
 * whose own vjp is K again (w.r.t. L) and ordinary graph ops (w.r.t. P, Q),
 * so derivatives of any order work. */
#include "lattice_ops.h"

/* ---- trn ------------------------------------------------------------------------ */
/* in = {X, lines..}; attr sl_lat_trn_attr */
static void trn_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_lat_trn_attr *a = nd->attr;
    int64_t C = a->C;
    const double *x = in[0];
    double *o = out;
    for (int j = 0; j < a->m; ++j) {
        const sl_trn_entry *e = &a->e[j];
        const sl_node *L = nd->in[1 + e->line];
        sl_lat_line_geom q = sl__lat_line_geom(L->rank, L->shape, e->mu);
        int64_t cs = 2 * q.S * q.n2;
        if (!a->reduce) sl__lat_trn_line(&q, in[1 + e->line], e->h, e->sl, e->sw, x, o + j * C * cs, C, 0);
        else sl__lat_trn_line(&q, in[1 + e->line], e->h, e->sl, e->sw, x + j * C * cs, o, C, j > 0);
    }
}

/* ---- trn_dl ------------------------------------------------------------------------ */
/* in = {P, L, Q}; attr sl_lat_dl_attr */
static void dl_eval(const sl_node *nd, void *out, void *const *in, void *scratch)
{
    (void)scratch;
    const sl_lat_dl_attr *a = nd->attr;
    const sl_node *L = nd->in[1];
    sl_lat_line_geom q = sl__lat_line_geom(L->rank, L->shape, a->mu);
    sl__lat_trn_dl_line(&q, in[0], a->ap, in[1], in[2], a->aq, out, nd->in[0]->shape[0]);
}

/* ---- vjps ------------------------------------------------------------------------ */
/* f(x + k mu) for a node whose lattice axes start at axis a0. */
static sl_node *shift(sl_graph *g, sl_node *f, int a0, int mu, int64_t k)
{
    if (!f) return NULL;
    int64_t L = f->shape[a0 + mu];
    k %= L;
    if (k == 0) return f;
    return sl_graph_roll(g, f, a0 + mu, -k);
}

static sl_node *add_opt(sl_graph *g, sl_node *a, sl_node *b) { return a ? sl_graph_add(g, a, b) : b; }

static void trn_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    const sl_lat_trn_attr *a = nd->attr;
    sl_node *X = nd->in[0];
    int m = a->m, nl = a->nlines;
    int64_t C = a->C;
    if (need[0]) {   /* the reverse transports: M(y - sw + sl)^+ G(y - sw) M(..) */
        sl_trn_entry *e = sl__graph_mem(g, sizeof(sl_trn_entry) * (size_t)m);
        if (!e) { sl__gfail(g, SL_ERR_NOMEM, "sl_lat_trn vjp: out of memory"); return; }
        for (int j = 0; j < m; ++j)
            e[j] = (sl_trn_entry){a->e[j].line, a->e[j].mu, !a->e[j].h, a->e[j].sl - a->e[j].sw, -a->e[j].sw};
        gin[0] = sl__lat_trn(g, "sl_lat_trn vjp", gy, nl, nd->in + 1, m, e, !a->reduce);
    }
    for (int i = 1; i <= nl; ++i) {
        if (!need[i]) continue;
        sl_node *acc = NULL;
        for (int j = 0; j < m; ++j) {
            const sl_trn_entry *e = &a->e[j];
            if (1 + e->line != i) continue;
            int mu = e->mu;
            int64_t sl = e->sl, sw = e->sw;
            sl_node *gj = gy, *xj = X;
            if (!a->reduce && gy->shape[0] != C) gj = sl_graph_slice(g, gy, 0, j * C, (j + 1) * C, 1);
            if (a->reduce && X->shape[0] != C) xj = sl_graph_slice(g, X, 0, j * C, (j + 1) * C, 1);
            sl_node *k = e->h ? sl__lat_trn_dl(g, "sl_lat_trn vjp", xj, sw - sl, nd->in[i], gj, -sl, mu)
                              : sl__lat_trn_dl(g, "sl_lat_trn vjp", gj, -sl, nd->in[i], xj, sw - sl, mu);
            acc = add_opt(g, acc, k);
        }
        gin[i] = acc;
    }
}

static void dl_vjp(sl_graph *g, sl_node *nd, sl_node *gy, const int *need, sl_node **gin)
{
    const sl_lat_dl_attr *a = nd->attr;
    sl_node *P = nd->in[0], *L = nd->in[1], *Q = nd->in[2];
    int mu = a->mu;
    int64_t ap = a->ap, aq = a->aq;
    if (need[1]) gin[1] = sl__lat_trn_dl(g, "sl_lat_trn_dl vjp", P, ap, gy, Q, aq, mu);
    if (need[0]) {   /* H Q' L^+ + L Q' H^+ at y = z - ap */
        sl_node *qs = shift(g, Q, 2, mu, aq);
        sl_node *t1 = sl_graph_matmul_ex(g, sl_graph_matmul(g, gy, qs), SL_OP_N, L, SL_OP_H);
        sl_node *t2 = sl_graph_matmul_ex(g, sl_graph_matmul(g, L, qs), SL_OP_N, gy, SL_OP_H);
        gin[0] = shift(g, sl_graph_add(g, t1, t2), 2, mu, -ap);
    }
    if (need[2]) {   /* H^+ P' L + L^+ P' H at y = z - aq */
        sl_node *ps = shift(g, P, 2, mu, ap);
        sl_node *t1 = sl_graph_matmul(g, sl_graph_matmul_ex(g, gy, SL_OP_H, ps, SL_OP_N), L);
        sl_node *t2 = sl_graph_matmul(g, sl_graph_matmul_ex(g, L, SL_OP_H, ps, SL_OP_N), gy);
        gin[2] = shift(g, sl_graph_add(g, t1, t2), 2, mu, -aq);
    }
}

static const sl_opdef op_trn = {"lat_trn", trn_eval, trn_vjp, NULL, 0};
static const sl_opdef op_dl = {"lat_trn_dl", dl_eval, dl_vjp, NULL, 0};

/* ---- constructors ------------------------------------------------------------------ */
static int fits(const sl_node *line, const sl_node *x)
{
    return line->dtype == SL_C128 && x->dtype == SL_C128 && line->rank >= 4 && x->rank == line->rank + 1 &&
           line->shape[line->rank - 1] == line->shape[line->rank - 2] && line->shape[line->rank - 1] >= 1 &&
           line->shape[line->rank - 1] <= SL_TRN_NMAX &&
           !memcmp(line->shape, x->shape + 1, sizeof(int64_t) * (size_t)line->rank);
}

static sl_node *shape_fail(sl_graph *g, const char *who, const sl_node *line, const sl_node *x)
{
    char b1[96], b2[96];
    return sl__gfail(g, SL_ERR_SHAPE, "%s: line %s does not fit field %s (c128 (B, L.., N, N), (C, B, L.., N, N), N <= %d)",
                     who, sl__shape_str(line, b1, sizeof b1), sl__shape_str(x, b2, sizeof b2), SL_TRN_NMAX);
}

sl_node *sl__lat_trn(sl_graph *g, const char *who, sl_node *x, int nlines, sl_node *const *lines, int m,
                     const sl_trn_entry *e, int reduce)
{
    if (!sl__gcheck(g, who, 1, &x) || nlines < 1 || !sl__gcheck(g, who, nlines, lines)) return NULL;
    if (m < 1) return sl__gfail(g, SL_ERR_ARG, "%s: no transports", who);
    for (int i = 0; i < nlines; ++i)
        if (!fits(lines[i], x)) return shape_fail(g, who, lines[i], x);
    int nd = lines[0]->rank - 3;
    for (int j = 0; j < m; ++j)
        if (e[j].line < 0 || e[j].line >= nlines || e[j].mu < 0 || e[j].mu >= nd)
            return sl__gfail(g, SL_ERR_ARG, "%s: transport %d: line %d, mu %d", who, j, e[j].line, e[j].mu);
    int64_t C = x->shape[0];
    if (reduce) {
        if (C % m) return sl__gfail(g, SL_ERR_SHAPE, "%s: %lld channels for %d transports", who, (long long)C, m);
        C /= m;
    }
    int64_t shape[SL_MAX_RANK];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->rank);
    shape[0] = reduce ? C : C * m;
    sl_node **ins = sl__graph_mem(g, sizeof(sl_node *) * (size_t)(nlines + 1));
    if (!ins) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    ins[0] = x;
    for (int i = 0; i < nlines; ++i) ins[i + 1] = lines[i];
    sl_node *n = sl__node_new(g, &op_trn, SL_C128, x->rank, shape, nlines + 1, ins);
    sl_lat_trn_attr *a = n ? sl__node_attr(n, who, sizeof *a + sizeof(sl_trn_entry) * (size_t)m) : NULL;
    if (!a) return NULL;
    a->m = m;
    a->nlines = nlines;
    a->reduce = reduce != 0;
    a->C = C;
    for (int j = 0; j < m; ++j) {
        a->e[j] = e[j];
        a->e[j].h = e[j].h != 0;
    }
    return n;
}

sl_node *sl__lat_trn_dl(sl_graph *g, const char *who, sl_node *p, int64_t ap, sl_node *l, sl_node *q, int64_t aq, int mu)
{
    sl_node *ins[3] = {p, l, q};
    if (!sl__gcheck(g, who, 3, ins)) return NULL;
    if (!fits(l, p)) return shape_fail(g, who, l, p);
    if (!fits(l, q) || q->shape[0] != p->shape[0]) return shape_fail(g, who, l, q);
    if (mu < 0 || mu >= l->rank - 3) return sl__gfail(g, SL_ERR_ARG, "%s: mu = %d", who, mu);
    sl_node *n = sl__node_new(g, &op_dl, SL_C128, l->rank, l->shape, 3, ins);
    sl_lat_dl_attr *a = n ? sl__node_attr(n, who, sizeof *a) : NULL;
    if (!a) return NULL;
    *a = (sl_lat_dl_attr){mu, ap, aq};
    return n;
}
