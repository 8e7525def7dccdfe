/* Flux configurations of the complex phi^4 field (include/symlearn/scalar.h):
 * creation, parameters, arrays, divergence, observables and the lattice maps. */
#include "scalar_internal.h"

#include <math.h>

sl_status sl__flux_check_params(sl_ctx *ctx, const char *who, double m, double lambda, double mu)
{
    if (!isfinite(m)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %g (must be finite)", who, m);
    if (!isfinite(lambda) || lambda < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: lambda = %g (must be finite and >= 0)", who, lambda);
    if (!isfinite(mu) || fabs(mu) > 700) return sl__fail(ctx, SL_ERR_ARG, "%s: mu = %g (must be finite, |mu| <= 700)", who, mu);
    if (lambda == 0 && !(m * m > 2 * (cosh(mu) - 1)))
        return sl__fail(ctx, SL_ERR_ARG,
                        "%s: lambda = 0 with m = %g, mu = %g: the free theory needs m^2 > 2 (cosh mu - 1)", who, m, mu);
    return SL_OK;
}

void sl__flux_recompute_f(sl_flux *F)
{
    int64_t n = F->n;
    int32_t mx = 0;
    for (int64_t i = 0; i < n; ++i) {
        int32_t s = 0;
        for (int d = 0; d < 2; ++d) {
            int64_t b = F->nbr[(2 + d) * n + i];
            s += abs(F->k[d * n + i]) + abs(F->k[d * n + b]) + 2 * (F->l[d * n + i] + F->l[d * n + b]);
        }
        F->f[i] = s;
        if (s > mx) mx = s;
    }
    F->maxf = mx;
}

sl_status sl__flux_new(sl_ctx *ctx, const char *who, int64_t nt, int64_t nx, double m, double lambda, double mu,
                       sl_flux **out)
{
    if (nt < 2 || nt > SL__FLUX_MAX_SIDE || nx < 2 || nx > SL__FLUX_MAX_SIDE)
        return sl__fail(ctx, SL_ERR_ARG, "%s: lattice %lld x %lld (each side must be in 2..2^20)", who, (long long)nt,
                        (long long)nx);
    if (nt * nx > SL__FLUX_MAX_SITES)
        return sl__fail(ctx, SL_ERR_ARG, "%s: lattice %lld x %lld has more than 2^26 sites", who, (long long)nt,
                        (long long)nx);
    sl_flux *F = sl__alloc(ctx, sizeof *F, 1, who);
    if (!F) return SL_ERR_NOMEM;
    F->ctx = ctx;
    F->nt = nt;
    F->nx = nx;
    F->n = nt * nx;
    F->m = m;
    F->lambda = lambda;
    F->mu = mu;
    F->eta = 4 + m * m;
    size_t n = (size_t)F->n;
    F->k = sl__alloc(ctx, 2 * n * sizeof(int32_t), 1, who);
    F->l = sl__alloc(ctx, 2 * n * sizeof(int32_t), 1, who);
    F->f = sl__alloc(ctx, n * sizeof(int32_t), 1, who);
    F->nbr = sl__alloc(ctx, 4 * n * sizeof(int32_t), 0, who);
    F->nl = sl__alloc(ctx, 8 * n * sizeof(int32_t), 0, who);
    if (!F->k || !F->l || !F->f || !F->nbr || !F->nl) {
        sl_flux_destroy(F);
        return SL_ERR_NOMEM;
    }
    for (int64_t t = 0; t < nt; ++t)
        for (int64_t x = 0; x < nx; ++x) {
            int64_t i = t * nx + x;
            F->nbr[i] = (int32_t)(((t + 1) % nt) * nx + x);
            F->nbr[F->n + i] = (int32_t)(t * nx + (x + 1) % nx);
            F->nbr[2 * F->n + i] = (int32_t)(((t + nt - 1) % nt) * nx + x);
            F->nbr[3 * F->n + i] = (int32_t)(t * nx + (x + nx - 1) % nx);
        }
    /* the worm's table (sl__fk.nl): neighbour, and the link the move changes
     * (forward at the site, backward at the neighbour; 2n <= 2^27 fits int32) */
    for (int64_t i = 0; i < F->n; ++i)
        for (int64_t dir = 0; dir < 4; ++dir) {
            int32_t j = F->nbr[dir * F->n + i];
            F->nl[2 * (4 * i + dir)] = j;
            F->nl[2 * (4 * i + dir) + 1] = (int32_t)((dir & 1) * F->n + (dir < 2 ? i : j));
        }
    sl_status st = sl__flux_tables(F, who, 256, 1);
    if (st) {
        sl_flux_destroy(F);
        return st;
    }
    *out = F;
    return SL_OK;
}

sl_status sl_flux_create(sl_ctx *ctx, int64_t nt, int64_t nx, double m, double lambda, double mu, sl_flux **out)
{
    const char *who = "sl_flux_create";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    sl_status st = sl__flux_check_params(ctx, who, m, lambda, mu);
    if (st) return st;
    return sl__flux_new(ctx, who, nt, nx, m, lambda, mu, out);
}

void sl_flux_destroy(sl_flux *F)
{
    if (!F) return;
    sl_ctx *ctx = F->ctx;
    sl__free(ctx, F->k);
    sl__free(ctx, F->l);
    sl__free(ctx, F->f);
    sl__free(ctx, F->nbr);
    sl__free(ctx, F->nl);
    sl__free(ctx, F->r1);
    sl__free(ctx, F->d1);
    sl__free(ctx, F->r2);
    sl__free(ctx, F->d2);
    sl__free(ctx, F->rd1);
    sl__free(ctx, F->rd2);
    sl__free(ctx, F);
}

sl_status sl_flux_copy(const sl_flux *F, sl_flux **out)
{
    const char *who = "sl_flux_copy";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!out) return sl__fail(F->ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_flux *G;
    sl_status st = sl__flux_new(F->ctx, who, F->nt, F->nx, F->m, F->lambda, F->mu, &G);
    if (st) return st;
    if ((st = sl__flux_tables(G, who, F->fcap, 0))) {
        sl_flux_destroy(G);
        return st;
    }
    size_t n = (size_t)F->n;
    memcpy(G->k, F->k, 2 * n * sizeof(int32_t));
    memcpy(G->l, F->l, 2 * n * sizeof(int32_t));
    memcpy(G->f, F->f, n * sizeof(int32_t));
    G->maxf = F->maxf;
    G->counter = F->counter;
    G->worms = F->worms;
    G->steps = F->steps;
    G->accepted = F->accepted;
    G->lprop = F->lprop;
    G->lacc = F->lacc;
    *out = G;
    return SL_OK;
}

sl_status sl_flux_set_params(sl_flux *F, double m, double lambda, double mu)
{
    const char *who = "sl_flux_set_params";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    sl_status st = sl__flux_check_params(F->ctx, who, m, lambda, mu);
    if (st) return st;
    double om = F->m, ol = F->lambda, oe = F->eta;
    F->m = m;
    F->lambda = lambda;
    F->eta = 4 + m * m;
    if (F->eta != oe || lambda != ol) {
        st = sl__flux_tables(F, who, F->fcap, 1);
        if (st) {
            F->m = om;
            F->lambda = ol;
            F->eta = oe;
            return st;
        }
    }
    F->mu = mu;
    return SL_OK;
}

sl_status sl_flux_set_mu(sl_flux *F, double mu)
{
    const char *who = "sl_flux_set_mu";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    sl_status st = sl__flux_check_params(F->ctx, who, F->m, F->lambda, mu);
    if (st) return st;
    F->mu = mu;
    return SL_OK;
}

int64_t sl_flux_nt(const sl_flux *F) { return F ? F->nt : 0; }
int64_t sl_flux_nx(const sl_flux *F) { return F ? F->nx : 0; }
double sl_flux_mass(const sl_flux *F) { return F ? F->m : NAN; }
double sl_flux_lambda(const sl_flux *F) { return F ? F->lambda : NAN; }
double sl_flux_mu(const sl_flux *F) { return F ? F->mu : NAN; }
uint64_t sl_flux_rng_counter(const sl_flux *F) { return F ? F->counter : 0; }

sl_status sl_flux_set_rng_counter(sl_flux *F, uint64_t counter)
{
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "sl_flux_set_rng_counter: F is NULL");
    F->counter = counter;
    return SL_OK;
}

sl_status sl_flux_stats(const sl_flux *F, uint64_t *worms, uint64_t *steps, uint64_t *accepted, uint64_t *l_proposals,
                        uint64_t *l_accepted)
{
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "sl_flux_stats: F is NULL");
    if (worms) *worms = F->worms;
    if (steps) *steps = F->steps;
    if (accepted) *accepted = F->accepted;
    if (l_proposals) *l_proposals = F->lprop;
    if (l_accepted) *l_accepted = F->lacc;
    return SL_OK;
}

/* ---- arrays -------------------------------------------------------------------- */
static const char *const chan[4] = {"k_t", "k_x", "l_t", "l_x"};

sl_status sl_flux_export(const sl_flux *F, int64_t count, double *a)
{
    const char *who = "sl_flux_export";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!a) return sl__fail(F->ctx, SL_ERR_NULL, "%s: a is NULL", who);
    if (count != 4 * F->n)
        return sl__fail(F->ctx, SL_ERR_SHAPE, "%s: count = %lld (must be 4 Nt Nx = %lld)", who, (long long)count,
                        (long long)(4 * F->n));
    int64_t n = F->n;
    for (int64_t i = 0; i < 2 * n; ++i) {
        a[i] = F->k[i];
        a[2 * n + i] = F->l[i];
    }
    return SL_OK;
}

sl_status sl_flux_import(sl_flux *F, int64_t count, const double *a)
{
    const char *who = "sl_flux_import";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!a) return sl__fail(F->ctx, SL_ERR_NULL, "%s: a is NULL", who);
    int64_t n = F->n;
    if (count != 4 * n)
        return sl__fail(F->ctx, SL_ERR_SHAPE, "%s: count = %lld (must be 4 Nt Nx = %lld)", who, (long long)count,
                        (long long)(4 * n));
    for (int64_t i = 0; i < 4 * n; ++i) {
        double v = a[i];
        int c = (int)(i / n);
        int64_t s = i % n;
        if (!isfinite(v) || v != floor(v) || fabs(v) > SL__FLUX_MAX_VALUE || (c >= 2 && v < 0))
            return sl__fail(F->ctx, isfinite(v) ? SL_ERR_ARG : SL_ERR_NONFINITE,
                            "%s: a[%lld] = %g (%s at t = %lld, x = %lld: must be an integer%s, |v| <= 2^24)", who,
                            (long long)i, v, chan[c], (long long)(s / F->nx), (long long)(s % F->nx),
                            c >= 2 ? " >= 0" : "");
    }
    /* f can reach 8 * 2^24 * 2: the table must hold it before anything changes */
    int64_t mx = 0;
    for (int64_t i = 0; i < n; ++i) {
        int64_t s = 0;
        for (int d = 0; d < 2; ++d) {
            int64_t b = F->nbr[(2 + d) * n + i];
            s += (int64_t)fabs(a[d * n + i]) + (int64_t)fabs(a[d * n + b]) + 2 * (int64_t)(a[(2 + d) * n + i] + a[(2 + d) * n + b]);
        }
        if (s > mx) mx = s;
    }
    if (mx + 8 > (1 << 26))
        return sl__fail(F->ctx, SL_ERR_ARG, "%s: the fields give f = %lld at a site (at most 2^26 - 8)", who, (long long)mx);
    sl_status st = sl__flux_tables(F, who, mx + 8, 0);
    if (st) return st;
    for (int64_t i = 0; i < 2 * n; ++i) {
        F->k[i] = (int32_t)a[i];
        F->l[i] = (int32_t)a[2 * n + i];
    }
    sl__flux_recompute_f(F);
    return SL_OK;
}

sl_status sl_flux_clear(sl_flux *F)
{
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "sl_flux_clear: F is NULL");
    size_t n = (size_t)F->n;
    memset(F->k, 0, 2 * n * sizeof(int32_t));
    memset(F->l, 0, 2 * n * sizeof(int32_t));
    memset(F->f, 0, n * sizeof(int32_t));
    F->maxf = 0;
    return SL_OK;
}

/* ---- divergence and observables ---------------------------------------------------- */
static int64_t div_at(const sl_flux *F, int64_t i)
{
    int64_t n = F->n, s = 0;
    for (int d = 0; d < 2; ++d) s += (int64_t)F->k[d * n + i] - F->k[d * n + F->nbr[(2 + d) * n + i]];
    return s;
}

int64_t sl__flux_open_site(const sl_flux *F)
{
    for (int64_t i = 0; i < F->n; ++i)
        if (div_at(F, i)) return i;
    return -1;
}

int sl_flux_is_closed(const sl_flux *F) { return F && sl__flux_open_site(F) < 0; }

sl_status sl_flux_divergence(const sl_flux *F, int64_t count, int64_t *div)
{
    const char *who = "sl_flux_divergence";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!div) return sl__fail(F->ctx, SL_ERR_NULL, "%s: div is NULL", who);
    if (count != F->n)
        return sl__fail(F->ctx, SL_ERR_SHAPE, "%s: count = %lld (must be Nt Nx = %lld)", who, (long long)count, (long long)F->n);
    for (int64_t i = 0; i < F->n; ++i) div[i] = div_at(F, i);
    return SL_OK;
}

sl_status sl_flux_site_f(const sl_flux *F, int64_t count, int64_t *f)
{
    const char *who = "sl_flux_site_f";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!f) return sl__fail(F->ctx, SL_ERR_NULL, "%s: f is NULL", who);
    if (count != F->n)
        return sl__fail(F->ctx, SL_ERR_SHAPE, "%s: count = %lld (must be Nt Nx = %lld)", who, (long long)count, (long long)F->n);
    for (int64_t i = 0; i < F->n; ++i) f[i] = F->f[i];
    return SL_OK;
}

static sl_status need_closed(const sl_flux *F, const char *who)
{
    int64_t i = sl__flux_open_site(F);
    if (i < 0) return SL_OK;
    return sl__fail(F->ctx, SL_ERR_STATE, "%s: the configuration is not closed (div = %lld at t = %lld, x = %lld)", who,
                    (long long)div_at(F, i), (long long)(i / F->nx), (long long)(i % F->nx));
}

sl_status sl_flux_winding(const sl_flux *F, int64_t *q)
{
    const char *who = "sl_flux_winding";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!q) return sl__fail(F->ctx, SL_ERR_NULL, "%s: q is NULL", who);
    sl_status st = need_closed(F, who);
    if (st) return st;
    int64_t s = 0;
    for (int64_t x = 0; x < F->nx; ++x) s += F->k[x];
    *q = s;
    return SL_OK;
}

sl_status sl_flux_density(const sl_flux *F, double *n)
{
    const char *who = "sl_flux_density";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!n) return sl__fail(F->ctx, SL_ERR_NULL, "%s: n is NULL", who);
    sl_status st = need_closed(F, who);
    if (st) return st;
    int64_t s = 0;
    for (int64_t i = 0; i < F->n; ++i) s += F->k[i];   /* SF-5: (1/N) sum_x k_t */
    *n = (double)s / (double)F->n;
    return SL_OK;
}

sl_status sl_flux_phi2(const sl_flux *F, double *phi2)
{
    const char *who = "sl_flux_phi2";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!phi2) return sl__fail(F->ctx, SL_ERR_NULL, "%s: phi2 is NULL", who);
    double acc = 0;
    for (int64_t i = 0; i < F->n; ++i) acc += F->r2[F->f[i]];
    *phi2 = acc / (double)F->n;
    return SL_OK;
}

sl_status sl_flux_log_weight(const sl_flux *F, double *logw)
{
    const char *who = "sl_flux_log_weight";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (!logw) return sl__fail(F->ctx, SL_ERR_NULL, "%s: logw is NULL", who);
    double s = 0;
    int64_t n = F->n;
    for (int64_t i = 0; i < 2 * n; ++i) {
        int32_t a = abs(F->k[i]), L = F->l[i];
        if (i < n) s += F->mu * F->k[i];
        s -= lgamma((double)(a + L) + 1) + lgamma((double)L + 1);
    }
    for (int64_t i = 0; i < n; ++i) s += sl__flux_logw(F->eta, F->lambda, F->f[i]);
    *logw = s;
    return SL_OK;
}

sl_status sl_flux_add_defect(sl_flux *F, int d, int64_t t, int64_t x, int dk)
{
    const char *who = "sl_flux_add_defect";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (d != 0 && d != 1) return sl__fail(F->ctx, SL_ERR_ARG, "%s: d = %d (0: time, 1: space)", who, d);
    if (t < 0 || t >= F->nt || x < 0 || x >= F->nx)
        return sl__fail(F->ctx, SL_ERR_ARG, "%s: site (%lld, %lld) outside the %lld x %lld lattice", who, (long long)t,
                        (long long)x, (long long)F->nt, (long long)F->nx);
    if (dk != 1 && dk != -1) return sl__fail(F->ctx, SL_ERR_ARG, "%s: dk = %d (must be +1 or -1)", who, dk);
    int64_t i = t * F->nx + x, li = d * F->n + i;
    if (abs(F->k[li] + dk) > SL__FLUX_MAX_VALUE)
        return sl__fail(F->ctx, SL_ERR_ARG, "%s: |k| would exceed 2^24", who);
    sl_status st = sl__flux_tables(F, who, (int64_t)F->maxf + 8, 0);
    if (st) return st;
    F->k[li] += dk;
    sl__flux_recompute_f(F);
    return SL_OK;
}

/* ---- lattice maps ---------------------------------------------------------------------- */
static int64_t wrap(int64_t v, int64_t n)
{
    v %= n;
    return v < 0 ? v + n : v;
}

sl_status sl_flux_reflect(sl_flux *F, int axis)
{
    const char *who = "sl_flux_reflect";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    if (axis != 0 && axis != 1) return sl__fail(F->ctx, SL_ERR_ARG, "%s: axis = %d (0: time, 1: space)", who, axis);
    int64_t n = F->n, nt = F->nt, nx = F->nx;
    int32_t *tmp = sl__alloc(F->ctx, 4 * (size_t)n * sizeof(int32_t), 0, who);
    if (!tmp) return SL_ERR_NOMEM;
    memcpy(tmp, F->k, 2 * (size_t)n * sizeof(int32_t));
    memcpy(tmp + 2 * n, F->l, 2 * (size_t)n * sizeof(int32_t));
    for (int64_t t = 0; t < nt; ++t)
        for (int64_t x = 0; x < nx; ++x) {
            int64_t i = t * nx + x;
            /* the site image and the base of the image of a link along the axis */
            int64_t site = axis == 0 ? wrap(-1 - t, nt) * nx + x : t * nx + wrap(-1 - x, nx);
            int64_t shifted = axis == 0 ? wrap(-2 - t, nt) * nx + x : t * nx + wrap(-2 - x, nx);
            for (int d = 0; d < 2; ++d) {
                int64_t src = d == axis ? shifted : site;
                int32_t sg = d == axis ? -1 : 1;
                F->k[d * n + i] = sg * tmp[d * n + src];
                F->l[d * n + i] = tmp[2 * n + d * n + src];
            }
        }
    sl__free(F->ctx, tmp);
    sl__flux_recompute_f(F);
    return SL_OK;
}

sl_status sl_flux_translate(sl_flux *F, int64_t dt, int64_t dx)
{
    const char *who = "sl_flux_translate";
    if (!F) return sl__fail(NULL, SL_ERR_NULL, "%s: F is NULL", who);
    int64_t n = F->n, nt = F->nt, nx = F->nx;
    int32_t *tmp = sl__alloc(F->ctx, 4 * (size_t)n * sizeof(int32_t), 0, who);
    if (!tmp) return SL_ERR_NOMEM;
    memcpy(tmp, F->k, 2 * (size_t)n * sizeof(int32_t));
    memcpy(tmp + 2 * n, F->l, 2 * (size_t)n * sizeof(int32_t));
    int64_t st = wrap(dt, nt), sx = wrap(dx, nx);
    for (int64_t t = 0; t < nt; ++t)
        for (int64_t x = 0; x < nx; ++x) {
            int64_t i = t * nx + x, src = wrap(t - st, nt) * nx + wrap(x - sx, nx);
            for (int d = 0; d < 2; ++d) {
                F->k[d * n + i] = tmp[d * n + src];
                F->l[d * n + i] = tmp[2 * n + d * n + src];
            }
        }
    sl__free(F->ctx, tmp);
    sl__flux_recompute_f(F);
    return SL_OK;
}
