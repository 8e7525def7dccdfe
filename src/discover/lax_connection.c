/* sl_discover_lax_connection: the zero-curvature loss, options, and the
 * training of a Lax connection linear in a feature library (Krippendorf,
 * Lust, Syvaeri, arXiv 2103.07475, "Lax connection" of a field theory: the
 * compatibility D_t L_x - D_x L_t + [L_x, L_t] = 0 of Zakharov-Shabat /
 * AKNS 1974).  The queries and the held-out check are in
 * lax_connection_result.c. */
#include "lax_internal.h"
#include "symlearn/optim.h"

#include <math.h>

sl_node *sl_loss_zero_curvature(sl_graph *g, sl_node *lx, sl_node *lt, sl_node *dt_lx, sl_node *dx_lt)
{
    const char *who = "sl_loss_zero_curvature";
    sl_node *xs[4] = {lx, lt, dt_lx, dx_lt};
    if (!sl__gcheck(g, who, 4, xs)) return NULL;
    static const char *nm[4] = {"lx", "lt", "dt_lx", "dx_lt"};
    for (int i = 0; i < 4; ++i) {
        char buf[96];
        if (xs[i]->dtype != SL_F64)
            return sl__gfail(g, SL_ERR_DTYPE, "%s: %s is %s (must be f64)", who, nm[i], sl__dtype_name(xs[i]->dtype));
        if (xs[i]->rank != 3 || xs[i]->shape[1] != xs[i]->shape[2] || !sl__same_shape(xs[i], lx))
            return sl__gfail(g, SL_ERR_SHAPE, "%s: %s has shape %s (all four must be the same (B, N, N))", who, nm[i],
                             sl__shape_str(xs[i], buf, sizeof buf));
    }
    sl_status before = g->status;
    sl_node *res = sl_graph_add(g, sl_graph_sub(g, dt_lx, dx_lt), sl_lax_commutator(g, lx, lt));
    sl_node *r = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, res)), 1.0 / (double)lx->shape[0]);
    return sl__gwho(g, before, who, r);
}

/* ---- Options ------------------------------------------------------------------------ */

#define ZC_OPTS_MIN SL_OPTS_END(sl_lax_connection_opts, lm_steps)

sl_status sl_lax_connection_opts_init_sized(sl_lax_connection_opts *opts, size_t size)
{
    const sl_lax_connection_opts d = SL_LAX_CONNECTION_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, ZC_OPTS_MIN);
}

#define BAD(...) return sl__fail(ctx, SL_ERR_ARG, __VA_ARGS__)
#define RANGE(f, lo, hi)                                                                                         \
    if (o->f < (lo) || o->f > (hi)) BAD("%s: opts->" #f " = %lld (must be %lld..%lld)", who, (long long)o->f, \
                                         (long long)(lo), (long long)(hi))

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_lax_connection_opts *o)
{
    RANGE(n, 2, 16);
    RANGE(fields, 1, 16);
    RANGE(order, 0, 8);
    RANGE(jet_order, o->order + 1, 32);
    RANGE(degree, 0, 4);
    RANGE(lambda_degree, 0, 6);
    RANGE(samples, 1, (int64_t)1 << 22);
    RANGE(holdout, 1, (int64_t)1 << 22);
    RANGE(lambda_degree_x, 0, o->lambda_degree);
    RANGE(order_x, -1, o->order);
    RANGE(steps, 0, 100000000);
    RANGE(lbfgs_steps, 0, 1000000);
    RANGE(lm_steps, 0, 100000);
    if (!(o->jet_range > 0) || !isfinite(o->jet_range)) BAD("%s: opts->jet_range = %g (must be finite and > 0)", who, o->jet_range);
    if (!isfinite(o->lambda_lo) || !isfinite(o->lambda_hi) || !(o->lambda_lo <= o->lambda_hi))
        BAD("%s: opts->lambda_lo = %g, opts->lambda_hi = %g (must be finite with lo <= hi)", who, o->lambda_lo, o->lambda_hi);
    if (!(o->lr > 0) || !isfinite(o->lr)) BAD("%s: opts->lr = %g (must be finite and > 0)", who, o->lr);
    const double al[5] = {o->alpha_zc, o->alpha_scale, o->alpha_commutator, o->scale_target, o->commutator_target};
    static const char *an[5] = {"alpha_zc", "alpha_scale", "alpha_commutator", "scale_target", "commutator_target"};
    for (int i = 0; i < 5; ++i)
        if (!(al[i] >= 0) || !isfinite(al[i]) || (i >= 3 && al[i] == 0))
            BAD("%s: opts->%s = %g (must be finite and %s)", who, an[i], al[i], i >= 3 ? "> 0" : ">= 0");
    return SL_OK;
}

/* ---- The feature library ------------------------------------------------------------- */

/* Multisets of 0..deg variable indices from d, graded, nondecreasing; returns the count
 * (mons may be NULL to count). */
static int64_t enumerate(int64_t d, int deg, int *mons)
{
    int64_t cnt = 0;
    int idx[4];
    for (int t = 0; t <= deg; ++t) {
        for (int i = 0; i < t; ++i) idx[i] = 0;
        for (;;) {
            if (mons)
                for (int i = 0; i < deg; ++i) mons[cnt * deg + i] = i < t ? idx[i] : -1;
            ++cnt;
            int p = t - 1;
            while (p >= 0 && idx[p] == d - 1) --p;
            if (p < 0) break;
            ++idx[p];
            for (int i = p + 1; i < t; ++i) idx[i] = idx[p];
        }
    }
    return cnt;
}

void sl__lax_zc_features(const sl_lax_connection_result *r, int64_t m, const double *z, const double *lam,
                         const double *zx, const double *zt, double *phi, double *dx, double *dt)
{
    int deg = r->o.degree, P = r->o.lambda_degree;
    int64_t d = r->d, F = r->nfeat;
    for (int64_t b = 0; b < m; ++b) {
        const double *zb = z + b * d, *xb = zx ? zx + b * d : NULL, *tb = zt ? zt + b * d : NULL;
        double lp[8];
        lp[0] = 1;
        for (int p = 1; p <= P; ++p) lp[p] = lp[p - 1] * lam[b];
        for (int64_t k = 0; k < r->nmon; ++k) {
            const int *mi = r->mons + k * deg;
            double v = 1, vx = 0, vt = 0;
            for (int i = 0; i < deg && mi[i] >= 0; ++i) {
                /* product rule: (v z_i)' = v' z_i + v z_i' */
                double zi = zb[mi[i]];
                if (dx) vx = vx * zi + v * xb[mi[i]];
                if (dt) vt = vt * zi + v * tb[mi[i]];
                v *= zi;
            }
            for (int p = 0; p <= P; ++p) {
                int64_t f = b * F + k * (P + 1) + p;
                phi[f] = v * lp[p];
                if (dx) dx[f] = vx * lp[p];
                if (dt) dt[f] = vt * lp[p];
            }
        }
    }
}

void sl__lax_zc_mask(sl_lax_connection_result *r, double *mask)
{
    int deg = r->o.degree, P = r->o.lambda_degree;
    int64_t nn = r->n * r->n, kx = r->o.order_x < 0 ? r->o.order : r->o.order_x, vmax = r->o.fields * (kx + 1);
    for (int64_t k = 0; k < r->nmon; ++k) {
        int ok = 1;
        for (int i = 0; i < deg; ++i)
            if (r->mons[k * deg + i] >= vmax) ok = 0;
        for (int p = 0; p <= P; ++p) {
            double v = ok && p <= r->o.lambda_degree_x ? 1 : 0;
            for (int64_t e = 0; e < nn; ++e) {
                int64_t i = (k * (P + 1) + p) * nn + e;
                if (mask) mask[i] = v;
                else r->weights[i] *= v;
            }
        }
    }
}

/* ---- Training ---------------------------------------------------------------------- */

static sl_status eval_terms(sl_plan *p, double *out)
{
    sl_status st = sl_plan_run(p);
    if (st) return st;
    for (int i = 0; i < SL_LAX_ZC_NTERMS; ++i) out[i] = sl_plan_scalar(p, i);
    return SL_OK;
}

static sl_status train(sl_lax_connection_result *r, const char *who, int64_t m, const double *phi, const double *phx,
                       const double *pht)
{
    sl_ctx *ctx = r->ctx;
    const sl_lax_connection_opts *o = &r->o;
    int64_t F = r->nfeat, n = r->n, nn = n * n;
    sl_graph *g = NULL;
    sl_plan *pt = NULL;
    sl_optim *adam = NULL, *lbfgs = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st) return st;
    int64_t sh[2] = {m, F}, bsh[3] = {m, n, n};
    sl_node *in[3] = {sl_graph_input(g, SL_F64, 2, sh, "phi"), sl_graph_input(g, SL_F64, 2, sh, "dx_phi"),
                      sl_graph_input(g, SL_F64, 2, sh, "dt_phi")};
    sl_node *W[2] = {sl_graph_param(g, SL_F64, 2, (int64_t[]){F, nn}, r->weights, "W_x"),
                     sl_graph_param(g, SL_F64, 2, (int64_t[]){F, nn}, r->weights + F * nn, "W_t")};
    double *mask = sl__alloc(ctx, sizeof(double) * (size_t)(F * nn), 1, who);
    if (!mask) { st = SL_ERR_NOMEM; goto done; }
    sl__lax_zc_mask(r, mask);
    sl_node *Wx = sl_graph_mul(g, W[0], sl_graph_constant(g, SL_F64, 2, (int64_t[]){F, nn}, mask));
    sl__free(ctx, mask);
    sl_node *lx = sl_graph_reshape(g, sl_graph_matmul(g, in[0], Wx), 3, bsh);
    sl_node *lt = sl_graph_reshape(g, sl_graph_matmul(g, in[0], W[1]), 3, bsh);
    sl_node *dtlx = sl_graph_reshape(g, sl_graph_matmul(g, in[2], Wx), 3, bsh);
    sl_node *dxlt = sl_graph_reshape(g, sl_graph_matmul(g, in[1], W[1]), 3, bsh);
    sl_node *t[SL_LAX_ZC_NTERMS];
    t[SL_LAX_ZC_TERM_ZC] = sl_loss_zero_curvature(g, lx, lt, dtlx, dxlt);
    t[SL_LAX_ZC_TERM_SCALE] = sl_loss_lax_scale(g, lx, o->scale_target);
    sl_node *c2 = sl_graph_mul_scalar(g, sl_graph_sum(g, sl_graph_square(g, sl_lax_commutator(g, lx, lt))),
                                      1.0 / ((double)m * o->commutator_target));
    t[SL_LAX_ZC_TERM_COMMUTATOR] = sl_graph_relu(g, sl_graph_rsub_scalar(g, c2, 1.0));
    const double al[SL_LAX_ZC_NTERMS] = {0, o->alpha_zc, o->alpha_scale, o->alpha_commutator};
    sl_node *tot = sl_graph_mul_scalar(g, t[1], al[1]);
    for (int i = 2; i < SL_LAX_ZC_NTERMS; ++i) tot = sl_graph_add(g, tot, sl_graph_mul_scalar(g, t[i], al[i]));
    t[SL_LAX_ZC_TERM_TOTAL] = tot;
    if ((st = sl_graph_status(g))) goto done;
    const double *data[3] = {phi, phx, pht};
    if ((st = sl_plan_create(g, SL_LAX_ZC_NTERMS, t, &pt))) goto done;
    for (int i = 0; i < 3; ++i)
        if ((st = sl_plan_bind(pt, in[i], data[i]))) goto done;
    if ((st = eval_terms(pt, r->loss[1]))) goto done;
    if (o->steps > 0) {
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
        oo.lr = o->lr;
        if ((st = sl_optim_create(g, tot, 2, W, &oo, &adam))) goto done;
        for (int i = 0; i < 3; ++i)
            if ((st = sl_optim_bind(adam, in[i], data[i]))) goto done;
        sl_plan_set_cache_data(sl_optim_plan(adam), 1);
        for (int64_t s = 0; s < o->steps; ++s)
            if ((st = sl_optim_step(adam, NULL))) goto done;
    }
    if (o->lbfgs_steps > 0) {
        sl_optim_opts oo;
        sl_optim_opts_init(&oo, SL_OPTIM_LBFGS);
        oo.max_iter = 20, oo.max_eval = 25, oo.history = 20;
        oo.tolerance_grad = 0, oo.tolerance_change = 0;
        if ((st = sl_optim_create(g, tot, 2, W, &oo, &lbfgs))) goto done;
        for (int i = 0; i < 3; ++i)
            if ((st = sl_optim_bind(lbfgs, in[i], data[i]))) goto done;
        sl_plan_set_cache_data(sl_optim_plan(lbfgs), 1);
        for (int64_t s = 0; s < o->lbfgs_steps; s += 20) {
            double before = NAN, after;
            sl_optim_eval(lbfgs, &before);
            st = sl_optim_step(lbfgs, NULL);
            if (st == SL_ERR_NONFINITE) { st = SL_OK; break; }
            if (st) goto done;
            sl_optim_eval(lbfgs, &after);
            if (!(after < before)) break;
        }
    }
    memcpy(r->weights, sl_node_data(W[0]), sizeof(double) * (size_t)(F * nn));
    memcpy(r->weights + F * nn, sl_node_data(W[1]), sizeof(double) * (size_t)(F * nn));
    sl__lax_zc_mask(r, NULL);
    if (o->lm_steps > 0) {
        if ((st = sl__lax_zc_lm(r, m, phi, phx, pht, o->lm_steps))) goto done;
        memcpy(sl_node_data(W[0]), r->weights, sizeof(double) * (size_t)(F * nn));
        memcpy(sl_node_data(W[1]), r->weights + F * nn, sizeof(double) * (size_t)(F * nn));
    }
    if ((st = eval_terms(pt, r->loss[0]))) goto done;
done:
    if (st) sl__rewho(ctx, st, who);
    sl_optim_destroy(adam);
    sl_optim_destroy(lbfgs);
    sl_plan_destroy(pt);
    sl_graph_destroy(g);
    return st;
}

/* ---- Data and the entry point ------------------------------------------------------------- */

/* z (order K), zx (shift) and zt (the PDE) of m jets. */
static sl_status jet_data(sl_lax_connection_result *r, const char *who, sl_lax_pde_fn pde, void *user, int64_t m,
                          const double *jets, double *z, double *zx, double *zt)
{
    int64_t d = r->d, len = r->o.fields * (r->o.jet_order + 1), nf = r->o.fields;
    for (int64_t i = 0; i < m; ++i) {
        const double *j = jets + i * len;
        memcpy(z + i * d, j, sizeof(double) * (size_t)d);
        memcpy(zx + i * d, j + nf, sizeof(double) * (size_t)d);
        int rc = pde(user, j, len, zt + i * d, d);
        if (rc) return sl__fail(r->ctx, SL_ERR_NUMERIC, "%s: the PDE failed (returned %d) at jet %lld", who, rc, (long long)i);
        int64_t bad = sl__first_nonfinite(zt + i * d, (size_t)d);
        if (bad >= 0)
            return sl__fail(r->ctx, SL_ERR_NONFINITE, "%s: the PDE gave %g at jet %lld, component %lld", who,
                            zt[i * d + bad], (long long)i, (long long)bad);
    }
    return SL_OK;
}


sl_status sl_discover_lax_connection(sl_ctx *ctx, const sl_lax_connection_opts *opts, sl_lax_pde_fn pde, void *user,
                                     int64_t m, const double *jets, sl_lax_connection_result **out)
{
    const char *who = "sl_discover_lax_connection";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    sl_lax_connection_opts o;
    sl_lax_connection_opts_init(&o);
    sl_status st;
    if (opts && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, ZC_OPTS_MIN))) return st;
    if ((st = check_opts(ctx, who, &o))) return st;
    if (!pde) return sl__fail(ctx, SL_ERR_NULL, "%s: pde is NULL", who);
    int64_t len = o.fields * (o.jet_order + 1), d = o.fields * (o.order + 1), ntr, nho = o.holdout;
    if (jets) {
        if (m <= nho || m > ((int64_t)1 << 23))
            return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must exceed opts->holdout = %lld, at most 2^23)", who,
                            (long long)m, (long long)nho);
        int64_t bad = sl__first_nonfinite(jets, (size_t)(m * len));
        if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: jets[%lld] = %g is not finite", who, (long long)bad, jets[bad]);
        ntr = m - nho;
    } else {
        ntr = o.samples, m = ntr + nho;
    }
    sl_lax_connection_result *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (!r) return SL_ERR_NOMEM;
    r->ctx = ctx, r->o = o, r->o.init = NULL, r->d = d, r->n = o.n;
    int64_t nmon = 1;
    for (int i = 1; i <= o.degree; ++i) nmon = nmon * (d + i) / i;   /* C(d + degree, degree) */
    if (nmon * (o.lambda_degree + 1) > 4096) {
        sl__free(ctx, r);
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld jet monomials x %d powers of lambda = %lld features (at most 4096)",
                        who, (long long)nmon, o.lambda_degree + 1, (long long)(nmon * (o.lambda_degree + 1)));
    }
    r->nmon = nmon;
    r->nfeat = r->nmon * (o.lambda_degree + 1);
    int64_t F = r->nfeat, nw = 2 * F * o.n * o.n;
    size_t nbuf = 0;
    double *buf = NULL, *own = NULL;
    r->mons = sl__alloc(ctx, sizeof(int) * (size_t)(r->nmon * (o.degree ? o.degree : 1)), 1, who);
    r->weights = sl__alloc(ctx, sizeof(double) * (size_t)nw, 1, who);
    if (!r->mons || !r->weights) { st = SL_ERR_NOMEM; goto fail; }
    if (o.degree) enumerate(d, o.degree, r->mons);
    /* jets, z, zx, zt, lambda, and the three feature arrays of the training jets */
    int64_t a1, a2;
    if (!sl__mul_ok(m, 3 * d + 1, &a1) || !sl__mul_ok(3 * F, ntr, &a2) || !sl__mul_ok(m, len, &(int64_t){0}) ||
        a1 + a2 > ((int64_t)1 << 32)) {
        st = sl__fail(ctx, SL_ERR_ARG, "%s: %lld features x %lld jets is too large", who, (long long)F, (long long)ntr);
        goto fail;
    }
    nbuf = (size_t)(a1 + a2);
    buf = sl__alloc(ctx, sizeof(double) * nbuf, 1, who);
    if (!buf) { st = SL_ERR_NOMEM; goto fail; }
    if (!jets) {
        own = sl__alloc(ctx, sizeof(double) * (size_t)(m * len), 1, who);
        if (!own) { st = SL_ERR_NOMEM; goto fail; }
        uint64_t s0 = sl_ctx_seed(ctx) + o.seed;
        sl_rng_fill_uniform(s0, 0, (size_t)(ntr * len), -o.jet_range, o.jet_range, own);
        sl_rng_fill_uniform(s0 + 1, 0, (size_t)(nho * len), -o.jet_range, o.jet_range, own + ntr * len);
        jets = own;
    }
    double *z = buf, *zx = z + m * d, *zt = zx + m * d, *lam = zt + m * d, *phi = lam + m, *phx = phi + F * ntr,
           *pht = phx + F * ntr;
    sl_rng_fill_uniform(sl_ctx_seed(ctx) + o.seed + 2, 0, (size_t)m, o.lambda_lo, o.lambda_hi, lam);
    if ((st = jet_data(r, who, pde, user, m, jets, z, zx, zt))) goto fail;
    sl__lax_zc_features(r, ntr, z, lam, zx, zt, phi, phx, pht);
    if (opts && opts->init) {
        int64_t bad = sl__first_nonfinite(opts->init, (size_t)nw);
        if (bad >= 0) {
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: opts->init[%lld] = %g is not finite", who, (long long)bad,
                          opts->init[bad]);
            goto fail;
        }
        memcpy(r->weights, opts->init, sizeof(double) * (size_t)nw);
    } else {
        double s = 1.0 / sqrt((double)F);
        sl_rng_fill_uniform(sl_ctx_seed(ctx) + o.seed + 3, 0, (size_t)nw, -s, s, r->weights);
    }
    if ((st = train(r, who, ntr, phi, phx, pht))) goto fail;
    if ((st = sl__lax_zc_check(r, nho, z + ntr * d, lam + ntr, zx + ntr * d, zt + ntr * d))) goto fail;
    sl__free(ctx, buf);
    sl__free(ctx, own);
    *out = r;
    return SL_OK;
fail:
    sl__free(ctx, buf);
    sl__free(ctx, own);
    sl_lax_connection_result_destroy(r);
    return st;
}
