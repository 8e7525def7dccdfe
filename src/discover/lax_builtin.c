/* Analytic Lax pairs: the harmonic oscillator (the slides of Krippendorf,
 * Lust, Syvaeri 2021), two coupled oscillators in normal modes
 * (research/embedding_dualities.md §3), and the open and periodic Toda
 * chains in Flaschka's variables (H. Flaschka, Phys. Rev. B 9 (1974) 1924;
 * the spectral parameter as in Babelon, Bernard, Talon, "Introduction to
 * classical integrable systems", CUP 2003, ch. 4).  Convention
 * dL/dt = [L, M] = L M - M L (Flaschka's dL/dt = [B, L] with M = -B). */
#include "lax_internal.h"

#include <math.h>

static const char *kind_name(int kind)
{
    switch (kind) {
    case SL_LAX_OSCILLATOR: return "oscillator";
    case SL_LAX_COUPLED_OSCILLATORS: return "coupled oscillators";
    case SL_LAX_TODA_OPEN: return "open Toda";
    case SL_LAX_TODA_PERIODIC: return "periodic Toda";
    default: return "?";
    }
}

sl_status sl_lax_builtin_create(sl_ctx *ctx, int kind, int64_t sites, double param, sl_lax_builtin **out)
{
    const char *who = "sl_lax_builtin_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    int64_t d = 0, n = 0;
    switch (kind) {
    case SL_LAX_OSCILLATOR:
        if (!(param > 0) || !isfinite(param))
            return sl__fail(ctx, SL_ERR_ARG, "%s: param = %g (the oscillator's omega must be finite and > 0)", who, param);
        d = 2, n = 2;
        break;
    case SL_LAX_COUPLED_OSCILLATORS:
        if (!(fabs(param) < 1))
            return sl__fail(ctx, SL_ERR_ARG, "%s: param = %g (the coupling eps must satisfy |eps| < 1)", who, param);
        d = 4, n = 4;
        break;
    case SL_LAX_TODA_OPEN:
    case SL_LAX_TODA_PERIODIC: {
        int64_t min = kind == SL_LAX_TODA_OPEN ? 2 : 3;
        if (sites < min || sites > 4096)
            return sl__fail(ctx, SL_ERR_ARG, "%s: sites = %lld (the %s chain needs %lld..4096)", who, (long long)sites,
                            kind_name(kind), (long long)min);
        if (kind == SL_LAX_TODA_PERIODIC && (!(param != 0) || !isfinite(param)))
            return sl__fail(ctx, SL_ERR_ARG, "%s: param = %g (the spectral parameter must be finite and nonzero)", who,
                            param);
        d = 2 * sites, n = sites;
        break;
    }
    default: return sl__fail(ctx, SL_ERR_ARG, "%s: kind = %d (must be an SL_LAX_* pair)", who, kind);
    }
    sl_lax_builtin *b = sl__alloc(ctx, sizeof *b, 1, who);
    if (!b) return SL_ERR_NOMEM;
    b->ctx = ctx, b->kind = kind, b->sites = kind >= SL_LAX_TODA_OPEN ? sites : 0, b->d = d, b->n = n, b->param = param;
    *out = b;
    return SL_OK;
}

void sl_lax_builtin_destroy(sl_lax_builtin *b)
{
    if (b) sl__free(b->ctx, b);
}

int64_t sl_lax_builtin_dim(const sl_lax_builtin *b) { return b ? b->d : 0; }
int64_t sl_lax_builtin_size(const sl_lax_builtin *b) { return b ? b->n : 0; }

/* ---- Pointwise --------------------------------------------------------------------- */

/* H and its gradient (d doubles, may be NULL) at x. */
static double hamiltonian(const sl_lax_builtin *b, const double *x, double *grad)
{
    double h = 0;
    switch (b->kind) {
    case SL_LAX_OSCILLATOR: {
        double w2 = b->param * b->param, q = x[0], p = x[1];
        if (grad) grad[0] = w2 * q, grad[1] = p;
        return 0.5 * (p * p + w2 * q * q);
    }
    case SL_LAX_COUPLED_OSCILLATORS: {
        double e = b->param, qx = x[0], qy = x[1], px = x[2], py = x[3];
        if (grad) grad[0] = qx + e * qy, grad[1] = qy + e * qx, grad[2] = px, grad[3] = py;
        return 0.5 * (px * px + py * py + qx * qx + qy * qy) + e * qx * qy;
    }
    default: {
        int64_t n = b->sites, nb = b->kind == SL_LAX_TODA_PERIODIC ? n : n - 1;
        const double *q = x, *p = x + n;
        if (grad)
            for (int64_t i = 0; i < n; ++i) grad[i] = 0, grad[n + i] = p[i];
        for (int64_t i = 0; i < n; ++i) h += 0.5 * p[i] * p[i];
        for (int64_t i = 0; i < nb; ++i) {
            int64_t j = (i + 1) % n;
            double e = exp(q[i] - q[j]);
            h += e;
            if (grad) grad[i] += e, grad[j] -= e;
        }
        return h;
    }
    }
}

static void pair_at(const sl_lax_builtin *b, const double *x, double *L, double *M)
{
    int64_t n = b->n;
    for (int64_t i = 0; i < n * n; ++i) {
        if (L) L[i] = 0;
        if (M) M[i] = 0;
    }
    switch (b->kind) {
    case SL_LAX_OSCILLATOR:
    case SL_LAX_COUPLED_OSCILLATORS: {
        /* blocks (p, w q; w q, -p) and (w/2)(0, 1; -1, 0) */
        double qs[2], ps[2], ws[2];
        int nb;
        if (b->kind == SL_LAX_OSCILLATOR) {
            nb = 1, qs[0] = x[0], ps[0] = x[1], ws[0] = b->param;
        } else {
            double s = sqrt(0.5);
            nb = 2;
            qs[0] = s * (x[0] + x[1]), qs[1] = s * (x[0] - x[1]);
            ps[0] = s * (x[2] + x[3]), ps[1] = s * (x[2] - x[3]);
            ws[0] = sqrt(1 + b->param), ws[1] = sqrt(1 - b->param);
        }
        for (int k = 0; k < nb; ++k) {
            int64_t o = 2 * k;
            if (L) {
                L[o * n + o] = ps[k], L[o * n + o + 1] = ws[k] * qs[k];
                L[(o + 1) * n + o] = ws[k] * qs[k], L[(o + 1) * n + o + 1] = -ps[k];
            }
            if (M) M[o * n + o + 1] = 0.5 * ws[k], M[(o + 1) * n + o] = -0.5 * ws[k];
        }
        return;
    }
    default: {
        const double *q = x, *p = x + n;
        for (int64_t i = 0; i < n; ++i)
            if (L) L[i * n + i] = -0.5 * p[i];
        for (int64_t i = 0; i + 1 < n; ++i) {
            double a = 0.5 * exp(0.5 * (q[i] - q[i + 1]));
            if (L) L[i * n + i + 1] = a, L[(i + 1) * n + i] = a;
            if (M) M[i * n + i + 1] = -a, M[(i + 1) * n + i] = a;
        }
        if (b->kind == SL_LAX_TODA_PERIODIC) {
            double a = 0.5 * exp(0.5 * (q[n - 1] - q[0])), lam = b->param;
            if (L) L[(n - 1) * n] = a * lam, L[n - 1] = a / lam;
            if (M) M[(n - 1) * n] = -a * lam, M[n - 1] = a / lam;
        }
        return;
    }
    }
}

int sl_lax_builtin_vector_field(void *builtin, double t, const double *x, double *dxdt, int64_t d)
{
    (void)t;
    const sl_lax_builtin *b = builtin;
    if (!b || !x || !dxdt || d != b->d) return 1;
    double g[8192];
    hamiltonian(b, x, g);
    int64_t h = d / 2;
    for (int64_t i = 0; i < h; ++i) dxdt[i] = g[h + i], dxdt[h + i] = -g[i];
    return 0;
}

static sl_status check_points(const sl_lax_builtin *b, const char *who, int64_t m, const double *x)
{
    if (!b) return SL_ERR_NULL;
    if (!x) return sl__fail(b->ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (m < 1 || m > ((int64_t)1 << 30))
        return sl__fail(b->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t bad = sl__first_nonfinite(x, (size_t)(m * b->d));
    if (bad >= 0)
        return sl__fail(b->ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g is not finite", who, (long long)bad, x[bad]);
    return SL_OK;
}

sl_status sl_lax_builtin_hamiltonian(const sl_lax_builtin *b, int64_t m, const double *x, double *h)
{
    const char *who = "sl_lax_builtin_hamiltonian";
    sl_status st = check_points(b, who, m, x);
    if (st) return st;
    if (!h) return sl__fail(b->ctx, SL_ERR_NULL, "%s: h is NULL", who);
    for (int64_t i = 0; i < m; ++i) h[i] = hamiltonian(b, x + i * b->d, NULL);
    return SL_OK;
}

sl_status sl_lax_builtin_eval(const sl_lax_builtin *b, int64_t m, const double *x, double *lmat, double *mmat)
{
    const char *who = "sl_lax_builtin_eval";
    sl_status st = check_points(b, who, m, x);
    if (st) return st;
    int64_t nn = b->n * b->n;
    for (int64_t i = 0; i < m; ++i) pair_at(b, x + i * b->d, lmat ? lmat + i * nn : NULL, mmat ? mmat + i * nn : NULL);
    return SL_OK;
}

/* ---- As graph expressions -------------------------------------------------------------- */

typedef struct {
    sl_graph *g;
    int64_t B, n;
    sl_node **eL, **eM;   /* n^2 entries each, (B, 1) nodes or NULL for 0 */
} entries;

static sl_node *col(sl_graph *g, sl_node *x, int64_t j) { return sl_graph_slice(g, x, 1, j, j + 1, 1); }

static sl_node *assemble(entries *e, sl_node **ent)
{
    sl_graph *g = e->g;
    int64_t nn = e->n * e->n;
    sl_node *zero = sl_graph_full(g, SL_F64, 2, (int64_t[]){e->B, 1}, 0, 0);
    for (int64_t i = 0; i < nn; ++i)
        if (!ent[i]) ent[i] = zero;
    sl_node *flat = sl_graph_concat(g, (int)nn, ent, 1);
    return sl_graph_reshape(g, flat, 3, (int64_t[]){e->B, e->n, e->n});
}

sl_node *sl_lax_builtin_graph(const sl_lax_builtin *b, sl_graph *g, sl_node *x, sl_node **Mout)
{
    const char *who = "sl_lax_builtin_graph";
    if (Mout) *Mout = NULL;
    if (!b) {
        if (g && !g->status) sl__gfail(g, SL_ERR_NULL, "%s: b is NULL", who);
        return NULL;
    }
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (x->dtype != SL_F64 || x->rank != 2 || x->shape[1] != b->d) {
        char buf[96];
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x is %s %s (must be f64 (B, %lld))", who, sl__dtype_name(x->dtype),
                         sl__shape_str(x, buf, sizeof buf), (long long)b->d);
    }
    if (b->n * b->n > 4096) return sl__gfail(g, SL_ERR_ARG, "%s: N = %lld is too large for a graph (at most 64)", who, (long long)b->n);
    sl_status before = g->status;
    int64_t n = b->n, nn = n * n;
    sl_node **ent = sl__alloc(g->ctx, sizeof(sl_node *) * (size_t)(2 * nn), 1, who);
    if (!ent) return sl__gkeep(g, SL_ERR_NOMEM);
    entries e = {g, x->shape[0], n, ent, ent + nn};
    switch (b->kind) {
    case SL_LAX_OSCILLATOR:
    case SL_LAX_COUPLED_OSCILLATORS: {
        sl_node *qs[2], *ps[2];
        double ws[2];
        int nb;
        if (b->kind == SL_LAX_OSCILLATOR) {
            nb = 1, qs[0] = col(g, x, 0), ps[0] = col(g, x, 1), ws[0] = b->param;
        } else {
            double s = sqrt(0.5);
            sl_node *qx = col(g, x, 0), *qy = col(g, x, 1), *px = col(g, x, 2), *py = col(g, x, 3);
            nb = 2;
            qs[0] = sl_graph_mul_scalar(g, sl_graph_add(g, qx, qy), s);
            qs[1] = sl_graph_mul_scalar(g, sl_graph_sub(g, qx, qy), s);
            ps[0] = sl_graph_mul_scalar(g, sl_graph_add(g, px, py), s);
            ps[1] = sl_graph_mul_scalar(g, sl_graph_sub(g, px, py), s);
            ws[0] = sqrt(1 + b->param), ws[1] = sqrt(1 - b->param);
        }
        for (int k = 0; k < nb; ++k) {
            int64_t o = 2 * k;
            sl_node *wq = sl_graph_mul_scalar(g, qs[k], ws[k]);
            e.eL[o * n + o] = ps[k], e.eL[o * n + o + 1] = wq;
            e.eL[(o + 1) * n + o] = wq, e.eL[(o + 1) * n + o + 1] = sl_graph_neg(g, ps[k]);
            e.eM[o * n + o + 1] = sl_graph_full(g, SL_F64, 2, (int64_t[]){e.B, 1}, 0.5 * ws[k], 0);
            e.eM[(o + 1) * n + o] = sl_graph_full(g, SL_F64, 2, (int64_t[]){e.B, 1}, -0.5 * ws[k], 0);
        }
        break;
    }
    default: {
        for (int64_t i = 0; i < n; ++i) e.eL[i * n + i] = sl_graph_mul_scalar(g, col(g, x, n + i), -0.5);
        int64_t nb = b->kind == SL_LAX_TODA_PERIODIC ? n : n - 1;
        for (int64_t i = 0; i < nb; ++i) {
            int64_t j = (i + 1) % n;
            sl_node *a = sl_graph_mul_scalar(
                g, sl_graph_exp(g, sl_graph_mul_scalar(g, sl_graph_sub(g, col(g, x, i), col(g, x, j)), 0.5)), 0.5);
            if (j) {
                e.eL[i * n + j] = a, e.eL[j * n + i] = a;
                e.eM[i * n + j] = sl_graph_neg(g, a), e.eM[j * n + i] = a;
            } else {
                double lam = b->param;
                e.eL[i * n] = sl_graph_mul_scalar(g, a, lam), e.eL[i] = sl_graph_mul_scalar(g, a, 1 / lam);
                e.eM[i * n] = sl_graph_mul_scalar(g, a, -lam), e.eM[i] = sl_graph_mul_scalar(g, a, 1 / lam);
            }
        }
        break;
    }
    }
    sl_node *L = assemble(&e, e.eL), *M = assemble(&e, e.eM);
    sl__free(g->ctx, ent);
    sl__gwho(g, before, who, NULL);
    if (g->status) return NULL;
    if (Mout) *Mout = M;
    return L;
}
