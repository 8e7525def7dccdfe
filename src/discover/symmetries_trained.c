/* The trained solver: N_g generators W learned by minimising
 * h_inv L_inv + h_norm L_norm + h_orth L_orth + h_clos L_clos + h_sp L_sp
 * (src/losses/symmetry_losses.c) with Adam, then L-BFGS; a scan over N_g.
 *
 * Structure constants: learned as parameters (the reference code), or solved
 * by least squares from the current W before every optimiser step and held
 * fixed while differentiating (variable projection: by the envelope theorem
 * the gradient of the minimised loss is the gradient at fixed C). */
#include "symmetry_internal.h"
#include "../analysis/lie_internal.h"

#include <math.h>

typedef struct {
    sl_graph *g;
    sl_node *W, *C;           /* C: param (learned), input (least squares) or NULL */
    sl_node *terms[6];        /* total, inv, norm, orth, clos, sparsity */
    double *Cbuf;
    int *ia, *ib, P, ng;
} model;

typedef struct {
    int64_t m[16];
    double *x[16];            /* samples per oracle (forward / central modes) */
    double *Tq[16];           /* quadratic oracles: S V^T of the rows vec(x_i x_i^T) / sqrt(m) */
    double *T;                /* derivative mode: S V^T of the weighted rows R = U S V^T
                               * (n^2 x n^2), so that the loss sum_a |R w_a|^2 / m = sum_a |T w_a|^2
                               * is a sum of squares, accurate to rounding near zero */
} data;

static void model_free(sl_ctx *ctx, model *md)
{
    sl_graph_destroy(md->g);
    sl__free(ctx, md->Cbuf);
    sl__free(ctx, md->ia);
    sl__free(ctx, md->ib);
    memset(md, 0, sizeof *md);
}

static sl_status model_build(sl_ctx *ctx, const sl_symmetry_opts *o, const data *dt, int ng, const double *W0,
                             const double *C0, model *md)
{
    const char *who = "sl_discover_symmetries";
    int n = o->n, nn = n * n;
    memset(md, 0, sizeof *md);
    md->ng = ng;
    md->P = ng * (ng - 1) / 2;
    sl_status st = sl_graph_create(ctx, &md->g);
    if (st) return st;
    sl_graph *g = md->g;
    md->W = sl_graph_param(g, SL_F64, 3, (int64_t[]){ng, n, n}, W0, "W");
    sl_node *inv = NULL;
    if (o->inv_mode == SL_SYM_INV_DERIVATIVE) {
        sl_node *T = sl_graph_constant(g, SL_F64, 2, (int64_t[]){nn, nn}, dt->T);
        sl_node *Wf = sl_graph_reshape(g, md->W, 2, (int64_t[]){ng, nn});
        inv = sl_graph_sum(g, sl_graph_square(g, sl_graph_matmul_ex(g, Wf, SL_OP_N, T, SL_OP_T)));
    } else {
        for (int k = 0; k < o->noracles; ++k) {
            const sl__oracle *r = o->oracles[k];
            if (dt->Tq[k]) {
                /* phi = x^T G x: phi(x + eps W x) - phi(x) = eps x^T S x exactly, with
                 * S = G W + W^T G + eps W^T G W (forward) or, for the central difference
                 * [phi(x + eps W x) - phi(x - eps W x)] / 2, S = G W + W^T G.  So the
                 * loss sum_a (1/m) sum_i (x_i^T S_a x_i)^2 = sum_a |T vec S_a|^2 with T
                 * from the sample moments, whatever the number of points. */
                sl_node *G = sl_graph_constant(g, SL_F64, 2, (int64_t[]){n, n}, r->mat);
                sl_node *GW = sl_graph_matmul(g, G, md->W);
                sl_node *S = sl_graph_add(g, GW, sl_graph_transpose(g, GW));
                if (o->inv_mode == SL_SYM_INV_FORWARD)
                    S = sl_graph_add(g, S, sl_graph_mul_scalar(g, sl_graph_matmul_ex(g, md->W, SL_OP_T, GW, SL_OP_N), o->eps));
                sl_node *T = sl_graph_constant(g, SL_F64, 2, (int64_t[]){nn, nn}, dt->Tq[k]);
                sl_node *Sf = sl_graph_reshape(g, S, 2, (int64_t[]){ng, nn});
                sl_node *t = sl_graph_sum(g, sl_graph_square(g, sl_graph_matmul_ex(g, Sf, SL_OP_N, T, SL_OP_T)));
                inv = inv ? sl_graph_add(g, inv, t) : t;
                continue;
            }
            sl_node *x = sl_graph_constant(g, SL_F64, 2, (int64_t[]){dt->m[k], (int64_t)r->nargs * n}, dt->x[k]);
            sl_node *t = sl_symmetry_loss_invariance(g, r->gfn, r->user, r->nargs, x, md->W, o->inv_mode, o->eps);
            inv = inv ? sl_graph_add(g, inv, t) : t;
        }
    }
    sl_node *zero = sl_graph_scalar(g, 0.0);
    md->terms[1] = inv;
    md->terms[2] = sl_symmetry_loss_normalisation(g, md->W);
    md->terms[3] = sl_symmetry_loss_orthogonality(g, md->W);
    md->terms[4] = zero;
    if (o->clos_mode != SL_SYM_CLOSURE_OFF && md->P > 0) {
        int64_t cs[2] = {md->P, ng};
        if (o->clos_mode == SL_SYM_CLOSURE_LEARNED) {
            md->C = sl_graph_param(g, SL_F64, 2, cs, C0, "C");
        } else {
            md->C = sl_graph_input(g, SL_F64, 2, cs, "C");
            md->Cbuf = sl__alloc(ctx, sizeof(double) * (size_t)md->P * ng, 1, who);
            md->ia = sl__alloc(ctx, sizeof(int) * (size_t)md->P, 0, who);
            md->ib = sl__alloc(ctx, sizeof(int) * (size_t)md->P, 0, who);
            if (!md->Cbuf || !md->ia || !md->ib) return SL_ERR_NOMEM;
            for (int a = 0, p = 0; a < ng; ++a)
                for (int b = a + 1; b < ng; ++b, ++p) md->ia[p] = a, md->ib[p] = b;
        }
        md->terms[4] = sl_symmetry_loss_closure(g, md->W, md->C, o->quartic);
    }
    md->terms[5] = o->w[4] > 0 ? sl_symmetry_loss_sparsity(g, md->W) : zero;
    sl_node *total = NULL;
    for (int t = 1; t <= 5; ++t) {
        if (o->w[t - 1] == 0) continue;
        sl_node *wt = o->w[t - 1] == 1 ? md->terms[t] : sl_graph_mul_scalar(g, md->terms[t], o->w[t - 1]);
        total = total ? sl_graph_add(g, total, wt) : wt;
    }
    md->terms[0] = total ? total : zero;
    return sl_graph_status(g);
}

/* Least-squares structure constants for the current W (LSQ closure). */
static sl_status update_C(sl_ctx *ctx, model *md)
{
    if (!md->Cbuf) return SL_OK;
    const double *W = sl_node_data(md->W);
    sl_status st = sl__lie_fit_pairs(ctx, "sl_discover_symmetries", md->ng, (int)sl_node_dim(md->W, 1), W, md->P,
                                     md->ia, md->ib, md->Cbuf, NULL);
    if (st == SL_ERR_NUMERIC) { /* W momentarily dependent: keep the last C */
        sl_ctx_clear_error(ctx);
        return SL_OK;
    }
    return st;
}

static sl_status eval_terms(sl_ctx *ctx, model *md, double *out)
{
    sl_plan *p = NULL;
    sl_status st = update_C(ctx, md);
    if (!st) st = sl_plan_create(md->g, 6, md->terms, &p);
    if (!st && md->Cbuf) st = sl_plan_bind(p, md->C, md->Cbuf);
    if (!st) st = sl_plan_run(p);
    for (int t = 0; !st && t < 6; ++t) out[t] = sl_plan_scalar(p, t);
    sl_plan_destroy(p);
    return st;
}

static sl_status run_optim(sl_ctx *ctx, const sl_symmetry_opts *o, model *md, int kind, int steps, double stop)
{
    if (steps <= 0) return SL_OK;
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, kind);
    if (kind == SL_OPTIM_ADAM) oo.lr = o->lr;
    else {
        oo.max_iter = md->Cbuf ? 5 : 20;
        oo.max_eval = oo.max_iter * 5 / 4 + 1;
        oo.tolerance_grad = 1e-300;
        oo.tolerance_change = 1e-300;
        oo.history = 20;
    }
    sl_node *params[2] = {md->W, md->C};
    int np = (md->C && !md->Cbuf) ? 2 : 1;
    sl_optim *opt = NULL;
    sl_status st = sl_optim_create(md->g, md->terms[0], np, params, &oo, &opt);
    if (!st && md->Cbuf) st = sl_optim_bind(opt, md->C, md->Cbuf);
    double prev = INFINITY;
    for (int s = 0; s < steps && !st; ++s) {
        double loss = 0;
        st = update_C(ctx, md);
        if (!st) st = sl_optim_step(opt, &loss);
        if (st == SL_ERR_NONFINITE) {
            st = sl__fail(ctx, SL_ERR_NUMERIC, "sl_discover_symmetries: the training loss became non-finite (lower the learning rate)");
            break;
        }
        if (!st && loss < stop) break;
        if (!st && kind == SL_OPTIM_LBFGS) {
            if (!(loss < prev) && s > 2) break;
            prev = loss;
        }
    }
    sl_optim_destroy(opt);
    return st;
}

/* Train N_g generators; out: final terms, initial total, the generators (ng n n). */
static sl_status train(sl_ctx *ctx, const sl_symmetry_opts *o, const data *dt, int ng, double *terms,
                       double *initial, double *Wout)
{
    int n = o->n;
    size_t cnt = (size_t)ng * n * n;
    double *W0 = sl__alloc(ctx, sizeof(double) * cnt, 0, "sl_discover_symmetries");
    if (!W0) return SL_ERR_NOMEM;
    const double *C0 = NULL;
    if (o->init_W && o->init_ng == ng) {
        memcpy(W0, o->init_W, sizeof(double) * cnt);
        C0 = o->init_C;
    } else {
        double b = 1 / sqrt((double)n); /* torch.nn.Linear's default range */
        sl_rng_fill_uniform(o->seed ^ (0xC0FFEEULL + (uint64_t)ng * 0x9E3779B97F4A7C15ULL), 0, cnt, -b, b, W0);
    }
    model md;
    sl_status st = model_build(ctx, o, dt, ng, W0, C0, &md);
    double t0[6];
    if (!st) st = eval_terms(ctx, &md, t0);
    if (!st && !isfinite(t0[0]))
        st = sl__fail(ctx, SL_ERR_NONFINITE,
                      "sl_discover_symmetries: the loss at the starting point is not finite (N_g = %d): the oracle is "
                      "not finite near the sample points", ng);
    if (!st) *initial = t0[0];
    double stop = o->reference ? 1e-25 : 1e-30;
    if (!st) st = run_optim(ctx, o, &md, SL_OPTIM_ADAM, o->adam_steps, stop);
    if (!st) st = run_optim(ctx, o, &md, SL_OPTIM_LBFGS, o->lbfgs_steps, stop);
    if (!st) st = eval_terms(ctx, &md, terms);
    if (!st && !isfinite(terms[0]))
        st = sl__fail(ctx, SL_ERR_NUMERIC, "sl_discover_symmetries: the final loss is not finite (N_g = %d)", ng);
    if (!st) memcpy(Wout, sl_node_data(md.W), sizeof(double) * cnt);
    model_free(ctx, &md);
    sl__free(ctx, W0);
    return st;
}

/* T = S V^T of the (m x n^2) rows vec(x_i x_i^T) / sqrt(m) = U S V^T, so that
 * (1/m) sum_i (x_i^T S x_i)^2 = |T vec S|^2 (a sum of squares, exact near 0). */
static sl_status quadratic_moments(sl_ctx *ctx, int n, int64_t m, const double *x, double **out)
{
    const char *who = "sl_discover_symmetries";
    int nn = n * n;
    double *R = sl__alloc(ctx, sizeof(double) * (size_t)m * nn, 0, who);
    double *T = sl__alloc(ctx, sizeof(double) * (size_t)nn * nn, 0, who);
    double *sv = sl__alloc(ctx, sizeof(double) * (size_t)nn, 1, who);
    sl_status st = SL_OK;
    if (!R || !T || !sv) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    else {
        double s = 1 / sqrt((double)m);
        for (int64_t i = 0; i < m; ++i)
            for (int p = 0; p < n; ++p)
                for (int q = 0; q < n; ++q) R[(size_t)i * nn + p * n + q] = s * x[i * n + p] * x[i * n + q];
        st = sl__svd(ctx, who, (int)m, nn, R, sv, T);
        for (int i = 0; i < nn && !st; ++i)
            for (int k = 0; k < nn; ++k) T[(size_t)i * nn + k] *= sv[i];
    }
    sl__free(ctx, R);
    sl__free(ctx, sv);
    if (st) {
        sl__free(ctx, T);
        return st;
    }
    *out = T;
    return SL_OK;
}

/* The reason text of a finished scan over lo..hi (r->scan_* filled unless
 * lo == hi), best the N_g found (0: none). */
static void outcome(sl_symmetry_result *r, int lo, int hi, int best)
{
    char *txt = r->reason_text;
    size_t cap = sizeof r->reason_text;
    if (lo == hi && !r->nscan) {
        r->reason = SL_SYM_REASON_FIXED;
        return; /* text written after training, with the loss */
    }
    double tb = r->tol_base, ts = r->tol_slope;
    if (best > 0) {
        r->reason = SL_SYM_REASON_FOUND;
        int t = best - lo + 1;
        if (t < r->nscan)
            snprintf(txt, cap, "N_g = %d: loss %.3g above tolerance %.3g", r->scan_ng[t], r->scan_loss[t],
                     tb + ts * r->scan_ng[t]);
        else
            snprintf(txt, cap, "N_g = %d met the tolerance %.3g and ends the scan (larger N_g not tried)", best,
                     tb + ts * best);
        return;
    }
    /* none: the entry closest to its tolerance */
    r->reason = SL_SYM_REASON_NONE;
    int k = 0;
    for (int t = 1; t < r->nscan; ++t)
        if (r->scan_loss[t] / (tb + ts * r->scan_ng[t]) < r->scan_loss[k] / (tb + ts * r->scan_ng[k])) k = t;
    snprintf(txt, cap, "loss %.3g above tolerance %.3g at N_g = %d", r->scan_loss[k], tb + ts * r->scan_ng[k],
             r->scan_ng[k]);
}

sl_status sl__symmetry_trained(sl_ctx *ctx, const sl_symmetry_opts *o, sl_symmetry_result *r)
{
    const char *who = "sl_discover_symmetries";
    int n = o->n, nn = n * n;
    data dt;
    memset(&dt, 0, sizeof dt);
    sl_status st = SL_OK;
    if (o->noracles > 16) return sl__fail(ctx, SL_ERR_UNSUPPORTED, "%s: the trained solver takes at most 16 oracles", who);
    for (int k = 0; k < o->noracles; ++k)
        if (o->oracles[k]->cfn && o->inv_mode != SL_SYM_INV_DERIVATIVE)
            return sl__fail(ctx, SL_ERR_UNSUPPORTED,
                            "%s: oracle %d is a C function: use the derivative invariance loss (SL_SYM_INV_DERIVATIVE)", who, k);
    if (o->inv_mode == SL_SYM_INV_DERIVATIVE) {
        double *R = NULL, *wt = NULL;
        int rows = 0;
        st = sl__symmetry_rows(ctx, o, &R, &rows, &wt);
        if (st) return st;
        dt.T = sl__alloc(ctx, sizeof(double) * (size_t)nn * nn, 0, who);
        double *sv = sl__alloc(ctx, sizeof(double) * (size_t)nn, 1, who);
        if (!dt.T || !sv) st = SL_ERR_NOMEM;
        else {
            for (int i = 0; i < rows; ++i) {
                double s = sqrt(wt[i]);
                for (int k = 0; k < nn; ++k) R[(size_t)i * nn + k] *= s;
            }
            st = sl__svd(ctx, who, rows, nn, R, sv, dt.T);
            for (int i = 0; i < nn && !st; ++i)
                for (int k = 0; k < nn; ++k) dt.T[(size_t)i * nn + k] *= sv[i];
        }
        sl__free(ctx, sv);
        sl__free(ctx, R);
        sl__free(ctx, wt);
    } else {
        for (int k = 0; k < o->noracles && !st; ++k) {
            if (!(dt.x[k] = sl__oracle_samples(o, k, &dt.m[k]))) st = SL_ERR_NOMEM;
            else if (o->oracles[k]->kind == SL__ORACLE_QUADRATIC) st = quadratic_moments(ctx, n, dt.m[k], dt.x[k], &dt.Tq[k]);
            else st = sl__oracle_eval(ctx, o->oracles[k], dt.m[k], dt.x[k], NULL); /* finite at the samples */
        }
    }
    int lo, hi;
    if (o->ng > 0 && o->scan_lo == 0) lo = hi = o->ng;
    else if (o->scan_lo > 0) lo = o->scan_lo, hi = o->scan_hi;
    else {
        /* No N_g given: scan around the null-space dimension at a loose
         * tolerance (so an approximately invariant oracle still gets a range):
         * that dimension, and one more to show that it fails. */
        int d0 = 0;
        if (!st) st = sl__symmetry_null_dim(ctx, o, 1e-4, &d0);
        lo = d0 > 0 ? d0 : 1;
        hi = lo + 1 <= nn ? lo + 1 : nn;
    }
    int cnt = hi - lo + 1, best = 0;
    /* Success tolerance at N_g generators.  With the exact derivative the
     * loss of the true algebra is rounding (~1e-30): 1e-12 as it is.  A
     * difference quotient is biased: the forward one,
     *   [phi(x + eps J x) - phi(x)] / eps = grad phi . Jx + (eps/2) (Jx)^T H (Jx) + O(eps^2),
     * leaves a residual of order eps for an exact symmetry J (the central one
     * of order eps^2: the even terms cancel), and the training trades it
     * against the closure term, which the O(eps) tilt of the generators
     * breaks: the loss of the true algebra has a floor of order
     * (eps^k)^2 N_g^2 (k = 1 forward, 2 central; measured for so(5), forward,
     * eps = 1e-3: 1.2e-5 = 0.24 eps^2 N_g^2 / 2).  A generator that is not a
     * symmetry costs O(1) instead (shrinking it costs up to 4 w_norm in the
     * normalisation term).  The default sits at the geometric mean of the
     * two, N_g w_norm eps^k: a factor ~1/eps from either side.  A tolerance
     * set by the caller is used as it is. */
    double wu = o->w[1] > 0 ? o->w[1] : 1;
    r->tol_base = o->tol_set ? o->tol : 1e-12;
    r->tol_slope = o->tol_set || o->inv_mode == SL_SYM_INV_DERIVATIVE ? 0
                   : wu * (o->inv_mode == SL_SYM_INV_FORWARD ? o->eps : o->eps * o->eps);
#define TOL(ng) (r->tol_base + r->tol_slope * (ng))
    double *Wbest = NULL, *Wcur = NULL;
    if (!st && (o->scan_lo > 0 || o->ng == 0)) {
        r->scan_ng = sl__alloc(ctx, sizeof(int) * cnt, 0, who);
        r->scan_loss = sl__alloc(ctx, sizeof(double) * cnt, 0, who);
        if (!r->scan_ng || !r->scan_loss) st = SL_ERR_NOMEM;
    }
    if (!st) {
        Wbest = sl__alloc(ctx, sizeof(double) * (size_t)hi * nn, 0, who);
        Wcur = sl__alloc(ctx, sizeof(double) * (size_t)hi * nn, 0, who);
        if (!Wbest || !Wcur) st = SL_ERR_NOMEM;
    }
    double best_terms[6] = {NAN, NAN, NAN, NAN, NAN, NAN}, best_init = NAN;
    for (int ng = lo; ng <= hi && !st; ++ng) {
        double terms[6], init = NAN;
        st = train(ctx, o, &dt, ng, terms, &init, Wcur);
        if (st) break;
        if (r->scan_ng) {
            r->scan_ng[r->nscan] = ng;
            r->scan_loss[r->nscan++] = terms[0];
        }
        int ok = terms[0] < TOL(ng) || (lo == hi && !r->scan_ng); /* a fixed N_g is returned as it is */
        if (ok) {
            best = ng;
            memcpy(Wbest, Wcur, sizeof(double) * (size_t)ng * nn);
            memcpy(best_terms, terms, sizeof terms);
            best_init = init;
        }
    }
    if (!st) outcome(r, lo, hi, best);
#undef TOL
    if (!st) {
        r->d = best;
        memcpy(r->loss, best_terms, sizeof best_terms);
        r->initial_loss = best_init;
        if (best > 0) {
            r->gens = Wbest;
            Wbest = NULL;
            if (o->sparsify) st = sl_lie_sparsify(ctx, best, n, r->gens);
        }
        if (r->reason == SL_SYM_REASON_FIXED) {
            double t = r->tol_base + r->tol_slope * best;
            snprintf(r->reason_text, sizeof r->reason_text, "N_g = %d as requested: loss %.3g %s tolerance %.3g", best,
                     r->loss[0], r->loss[0] < t ? "below" : "above", t);
        }
    }
    if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
    sl__free(ctx, Wbest);
    sl__free(ctx, Wcur);
    sl__free(ctx, dt.T);
    for (int k = 0; k < 16; ++k) {
        sl__free(ctx, dt.x[k]);
        sl__free(ctx, dt.Tq[k]);
    }
    return st;
}
