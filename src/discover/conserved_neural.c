/* The neural modes of sl_discover_conserved: AI Poincare 2.0 (Liu,
 * Madhavan, Tegmark, PRE 106, 045307 (2022)) and neural deflation (Zhu,
 * Zhang, Kevrekidis, PRE 108, L022301 (2023)): seeds, the count from the
 * per-sample SVD of the unit gradients, the trajectory test, independence,
 * involution, the choice among seeds and the result (conserved.h). */
#include "conserved_nn.h"
#include "../analysis/lie_internal.h"
#include "../analysis/regression_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define WHO "sl_discover_conserved"
#define MAXK 64

typedef struct {
    sl_ctx *ctx;
    const sl_conserved_opts *o;
    sl__cnet net;
    int64_t d, m, nw, np, ntr, per;
    const double *X;
    double *FH;          /* m x d unit vector field */
    double *T;           /* np x d held-out trajectory points (ntr trajectories of per) */
    double *G;           /* scratch: gradients at the samples, MAXK x m x d */
    double *V, *VT;      /* scratch values at samples (m), trajectory points (np) */
    /* DEFLATION with opts->deflation_basis: candidates sum_k theta_k b_k of the nb non-constant library features
     * (column k scaled by fs[k]); their values and gradients at the samples and the held-out points */
    int64_t nb, *fidx, n0;
    double *fs, *BV, *BJ, *TV, *TJ, *N0;
    /* deflation_basis = 2: the candidates are networks (net, input dimension nb) of those scaled features,
     * standardised by fmean (2 nb: mean, spread over the samples); GF scratch for dI/db (max(m, np) x nb) */
    int fnet;
    double *fmean, *GF;
} ctx_t;

/* Values (v) and / or gradients (g) of candidate w at the samples (at = 0, m points) or the held-out points (at =
 * 1, np points; at = 2 + p: held-out point p only). */
static void cand_eval(const ctx_t *c, const double *w, int64_t at, double *v, double *g)
{
    int64_t d = c->d, p0 = at >= 2 ? at - 2 : 0, n = at == 0 ? c->m : at == 1 ? c->np : 1;
    if (c->nb == 0) {
        const double *x = at == 0 ? c->X : c->T + p0 * d;
        sl__cnet_eval(&c->net, w, n, x, v, g);
        return;
    }
    int64_t nb = c->nb;
    const double *BV = (at == 0 ? c->BV : c->TV) + p0 * nb, *BJ = (at == 0 ? c->BJ : c->TJ) + p0 * nb * d;
    if (c->fnet) {   /* network of the features: grad_x I = sum_k dI/db_k grad_x b_k */
        sl__cnet_eval(&c->net, w, n, BV, v, g ? c->GF : NULL);
        for (int64_t p = 0; g && p < n; ++p) {
            double *gp = g + p * d;
            for (int64_t i = 0; i < d; ++i) gp[i] = 0;
            for (int64_t k = 0; k < nb; ++k)
                for (int64_t i = 0; i < d; ++i) gp[i] += c->GF[p * nb + k] * BJ[(p * nb + k) * d + i];
        }
        return;
    }
    for (int64_t p = 0; p < n; ++p) {
        if (v) {
            double s = 0;
            for (int64_t k = 0; k < nb; ++k) s += w[k] * BV[p * nb + k];
            v[p] = s;
        }
        if (g) {
            double *gp = g + p * d;
            for (int64_t i = 0; i < d; ++i) gp[i] = 0;
            for (int64_t k = 0; k < nb; ++k)
                for (int64_t i = 0; i < d; ++i) gp[i] += w[k] * BJ[(p * nb + k) * d + i];
        }
    }
}

typedef struct {        /* one seed's outcome */
    int64_t M, c, svd, nexpl;
    double *w, *relvar, *expl;   /* M x nw, M, nexpl */
    int *indep;
    double maxrel;
    double *brk;                 /* DEFLATION, d even: M x M brackets */
} seed_t;

static double variance(int64_t n, const double *v)
{
    double mean = 0, var = 0;
    for (int64_t i = 0; i < n; ++i) mean += v[i] / (double)n;
    for (int64_t i = 0; i < n; ++i) var += (v[i] - mean) * (v[i] - mean);
    return n > 1 ? var / (double)(n - 1) : 0;
}

/* relvar = mean_traj Var_t I(x(t)) / Var_n I(x_n) of network w. */
static double relvar(ctx_t *c, const double *w)
{
    cand_eval(c, w, 0, c->V, NULL);
    cand_eval(c, w, 1, c->VT, NULL);
    double vs = variance(c->m, c->V), acc = 0;
    for (int64_t t = 0; t < c->ntr; ++t) acc += variance(c->per, c->VT + t * c->per);
    double r = vs > 0 ? acc / (double)c->ntr / vs : INFINITY;
    return isnan(r) ? INFINITY : r;
}

static void unit(int64_t d, double *g)
{
    double n = 0;
    for (int64_t i = 0; i < d; ++i) n += g[i] * g[i];
    n = sqrt(n);
    for (int64_t i = 0; i < d; ++i) g[i] = n > 0 ? g[i] / n : 0;
}

/* |P_perp g| of the unit g off the orthonormal rows Q (q x d). */
static double perp(int64_t d, int64_t q, const double *Q, const double *g)
{
    double r[256], n = 0;
    memcpy(r, g, sizeof(double) * (size_t)d);
    for (int pass = 0; pass < 2; ++pass)
        for (int64_t b = 0; b < q; ++b) {
            double dot = 0;
            for (int64_t i = 0; i < d; ++i) dot += Q[b * d + i] * r[i];
            for (int64_t i = 0; i < d; ++i) r[i] -= dot * Q[b * d + i];
        }
    for (int64_t i = 0; i < d; ++i) n += r[i] * r[i];
    return sqrt(n);
}

/* Append unit g to the orthonormal rows Q (q x d) if it has a component off them. */
static int64_t extend(int64_t d, int64_t q, double *Q, const double *g)
{
    double *r = Q + q * d, n = 0;
    memcpy(r, g, sizeof(double) * (size_t)d);
    for (int pass = 0; pass < 2; ++pass)
        for (int64_t b = 0; b < q; ++b) {
            double dot = 0;
            for (int64_t i = 0; i < d; ++i) dot += Q[b * d + i] * r[i];
            for (int64_t i = 0; i < d; ++i) r[i] -= dot * Q[b * d + i];
        }
    for (int64_t i = 0; i < d; ++i) n += r[i] * r[i];
    if (!(n > 1e-20)) return q;
    n = sqrt(n);
    for (int64_t i = 0; i < d; ++i) r[i] /= n;
    return q + 1;
}

/* Mean explained ratios (descending) of the K unit gradients per sample. */
static void explained(ctx_t *c, int64_t K, const double *G, double *ratio)
{
    int64_t d = c->d, m = c->m, n = K < d ? K : d;
    double S[MAXK * MAXK], w[MAXK];
    for (int64_t i = 0; i < n; ++i) ratio[i] = 0;
    for (int64_t p = 0; p < m; ++p) {
        /* Gram matrix of the rows gh_k (K x K) or of the columns (d x d) */
        for (int64_t a = 0; a < n; ++a)
            for (int64_t b = 0; b < n; ++b) {
                double s = 0;
                if (K <= d)
                    for (int64_t i = 0; i < d; ++i) s += G[(a * m + p) * d + i] * G[(b * m + p) * d + i];
                else
                    for (int64_t k = 0; k < K; ++k) s += G[(k * m + p) * d + a] * G[(k * m + p) * d + b];
                S[a * n + b] = s;
            }
        sl__sym_eig(n, S, w);
        double tot = 0;
        for (int64_t i = 0; i < n; ++i) tot += w[i] = fmax(w[i], 0.0);
        for (int64_t i = 0; i < n; ++i)   /* sort descending */
            for (int64_t j = i + 1; j < n; ++j)
                if (w[j] > w[i]) {
                    double t = w[i];
                    w[i] = w[j];
                    w[j] = t;
                }
        for (int64_t i = 0; i < n && tot > 0; ++i) ratio[i] += w[i] / tot / (double)m;
    }
}

/* Unit gradients of K networks at the samples into c->G (K x m x d). */
static void unit_grads(ctx_t *c, int64_t K, const double *w)
{
    for (int64_t k = 0; k < K; ++k) {
        double *g = c->G + k * c->m * c->d;
        cand_eval(c, w + k * c->nw, 0, NULL, g);
        for (int64_t p = 0; p < c->m; ++p) unit(c->d, g + p * c->d);
    }
}

/* Samples where network k's unit gradient is off the span Q (m x q x d) by more than indep_min. */
static int64_t off_span(ctx_t *c, int64_t k, int64_t q, const double *Q, double *mean_perp)
{
    int64_t cnt = 0, d = c->d;
    double acc = 0;
    for (int64_t p = 0; p < c->m; ++p) {
        double r = perp(d, q, Q + p * (d * d), c->G + (k * c->m + p) * d);
        acc += r;
        cnt += r > c->o->indep_min;
    }
    if (mean_perp) *mean_perp = acc / (double)c->m;
    return cnt;
}

static sl_status seed_alloc(sl_ctx *ctx, seed_t *s, int64_t M, int64_t nw, int64_t ne)
{
    s->w = sl__alloc(ctx, sizeof(double) * (size_t)((M ? M : 1) * nw), 0, WHO);
    s->relvar = sl__alloc(ctx, sizeof(double) * (size_t)(M ? M : 1), 0, WHO);
    s->indep = sl__alloc(ctx, sizeof(int) * (size_t)(M ? M : 1), 0, WHO);
    s->expl = sl__alloc(ctx, sizeof(double) * (size_t)(ne ? ne : 1), 1, WHO);
    s->nexpl = ne;
    return s->w && s->relvar && s->indep && s->expl ? SL_OK : sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
}

static void seed_free(sl_ctx *ctx, seed_t *s)
{
    sl__free(ctx, s->w), sl__free(ctx, s->relvar), sl__free(ctx, s->indep), sl__free(ctx, s->expl), sl__free(ctx, s->brk);
}

static void trainer_init(ctx_t *c, sl__trainer *t, int s, int64_t unitno, int64_t K, char *label)
{
    const sl_conserved_opts *o = c->o;
    memset(t, 0, sizeof *t);
    uint64_t base = sl_ctx_seed(c->ctx) + o->seed + (uint64_t)s;
    t->ctx = c->ctx, t->who = WHO, t->label = label, t->net = c->net;
    t->K = K, t->m = c->m, t->B = o->batch < c->m ? o->batch : c->m, t->steps = o->steps;
    t->log_every = o->log_every, t->ckpt_every = o->checkpoint_every;
    t->lr = o->lr, t->lam = o->lam, t->alpha = o->alpha, t->beta = o->beta;
    t->polish = o->polish >= 0 ? o->polish : o->mode == SL_CONSERVED_DEFLATION ? 400 : 150;
    t->wseed = sl_rng_u64(base, 2 * (uint64_t)unitno), t->bseed = sl_rng_u64(base, 2 * (uint64_t)unitno + 1);
    t->Xs = c->X, t->FH = c->FH;
    t->nb = c->nb, t->Js = c->BJ, t->N0 = c->N0, t->n0 = c->n0;
    if (c->fnet) t->nb = 0, t->n0 = 0, t->N0 = NULL, t->fnb = c->nb, t->dx = c->d, t->Xs = c->BV;
    if (t->nb > 0) t->steps = 0;   /* linear candidates start in the conserved subspace: L-BFGS only (Adam drifts off it) */
}

/* ---- NEURAL: one seed ------------------------------------------------------------- */
static sl_status neural_seed(ctx_t *c, sl__ckpt *ck, int s, seed_t *out)
{
    sl_ctx *ctx = c->ctx;
    const sl_conserved_opts *o = c->o;
    int64_t d = c->d, m = c->m, K = o->nets ? o->nets : (d > 1 ? d - 1 : 1), nw = c->nw;
    char label[64];
    snprintf(label, sizeof label, "seed %d", s);
    sl__trainer t;
    trainer_init(c, &t, s, 0, K, label);
    double *w = sl__alloc(ctx, sizeof(double) * (size_t)(K * nw), 0, WHO), terms[4];
    double *Q = sl__alloc(ctx, sizeof(double) * (size_t)(m * d * d), 0, WHO);
    if (!w || !Q) {
        sl__free(ctx, w), sl__free(ctx, Q);
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    }
    sl_status st = sl__train(&t, ck, w, terms);
    sl__trainer_free(&t);
    double rel[MAXK], ratio[MAXK];
    int pass[MAXK], taken[MAXK] = {0};
    int64_t ne = K < d ? K : d, npass = 0;
    if (!st) {
        unit_grads(c, K, w);
        explained(c, K, c->G, ratio);
        out->svd = 0;
        for (int64_t i = 0; i < ne; ++i) out->svd += ratio[i] > o->explained_min;
        for (int64_t k = 0; k < K; ++k) {
            rel[k] = relvar(c, w + k * nw);
            pass[k] = rel[k] < o->neural_max_relvar;
            npass += pass[k];
        }
        st = seed_alloc(ctx, out, npass, nw, ne);
    }
    if (!st) {
        memcpy(out->expl, ratio, sizeof(double) * (size_t)ne);
        /* greedy pivoted independence among the passing networks, at most svd of them */
        int64_t q = 0, M = 0;
        int64_t *qn = sl__alloc(ctx, sizeof(int64_t) * (size_t)m, 1, WHO);
        if (!qn) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        while (!st && q < out->svd) {
            int64_t best = -1, bc = 0;
            double bp = -1;
            for (int64_t k = 0; k < K; ++k) {
                if (!pass[k] || taken[k]) continue;
                /* Q per sample holds q rows: perp() with per-sample stride d*d */
                double mp;
                int64_t cnt = off_span(c, k, q, Q, &mp);
                if (cnt > bc || (cnt == bc && mp > bp)) best = k, bc = cnt, bp = mp;
            }
            if (best < 0 || 2 * bc <= m) break;
            taken[best] = 1;
            for (int64_t p = 0; p < m; ++p) extend(d, q, Q + p * d * d, c->G + (best * m + p) * d);
            memcpy(out->w + M * nw, w + best * nw, sizeof(double) * (size_t)nw);
            out->relvar[M] = rel[best];
            out->indep[M++] = 1;
            q++;
        }
        out->c = q;
        for (int64_t k = 0; !st && k < K; ++k) {
            if (!pass[k] || taken[k]) continue;
            memcpy(out->w + M * nw, w + k * nw, sizeof(double) * (size_t)nw);
            out->relvar[M] = rel[k];
            out->indep[M++] = 0;
        }
        out->M = M;
        out->maxrel = 0;
        for (int64_t j = 0; j < M; ++j) out->maxrel = out->indep[j] ? fmax(out->maxrel, out->relvar[j]) : out->maxrel;
        sl__free(ctx, qn);
        char rl[256];
        int k0 = 0;
        for (int64_t k = 0; k < K && k0 >= 0 && k0 < (int)sizeof rl; ++k) k0 += snprintf(rl + k0, sizeof rl - (size_t)k0, " %.2e", rel[k]);
        sl__log(ctx, SL_LOG_INFO, "%s: seed %d: loss %.3e fit %.3e; explained ratios above %g: %lld; %lld of %lld networks "
                "conserved (relvar%s), %lld independent", WHO, s, terms[0], terms[1], o->explained_min, (long long)out->svd,
                (long long)npass, (long long)K, rl, (long long)out->c);
    }
    sl__free(ctx, w);
    sl__free(ctx, Q);
    return st;
}

/* ---- DEFLATION: one seed ----------------------------------------------------------- */
/* Mean over the held-out points of the normalised squared bracket
 * {a, b}^2 / (|grad a|^2 |grad b|^2), {a, b} = grad_q a . grad_p b - grad_p a . grad_q b. */
static double bracket(int64_t d, int64_t np, const double *ga, const double *gb)
{
    int64_t n = d / 2;
    double acc = 0;
    for (int64_t p = 0; p < np; ++p) {
        const double *a = ga + p * d, *b = gb + p * d;
        double br = 0, na = 0, nb = 0;
        for (int64_t i = 0; i < n; ++i) br += a[i] * b[n + i] - a[n + i] * b[i];
        for (int64_t i = 0; i < d; ++i) na += a[i] * a[i], nb += b[i] * b[i];
        acc += na > 0 && nb > 0 ? br * br / (na * nb) : 0;
    }
    return acc / (double)np;
}

static sl_status deflation_seed(ctx_t *c, sl__ckpt *ck, int s, seed_t *out, double **brk)
{
    sl_ctx *ctx = c->ctx;
    const sl_conserved_opts *o = c->o;
    int64_t d = c->d, m = c->m, R = o->nets ? o->nets : 2, nw = c->nw, maxq = d - 1, np = c->np;
    int inv = d % 2 == 0 && o->alpha > 0;
    double *w = sl__alloc(ctx, sizeof(double) * (size_t)(R * nw), 0, WHO);
    double *acc = sl__alloc(ctx, sizeof(double) * (size_t)(d * nw), 0, WHO);
    double *Q = sl__alloc(ctx, sizeof(double) * (size_t)(m * d * d), 0, WHO);
    double *U = sl__alloc(ctx, sizeof(double) * (size_t)(m * d * d), 0, WHO);
    double *GT = sl__alloc(ctx, sizeof(double) * (size_t)((d + 1) * np * d), 0, WHO);   /* grads at held-out points */
    double *relv = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, WHO);
    sl_status st = w && acc && Q && U && GT && relv ? SL_OK : sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    int64_t M = 0, n = d / 2;
    for (int64_t stage = 0; !st && M < maxq; ++stage) {
        char label[64];
        snprintf(label, sizeof label, "seed %d stage %lld", s, (long long)stage + 1);
        sl__trainer t;
        trainer_init(c, &t, s, stage, R, label);
        t.deflation = 1;
        t.nq = M, t.Qs = Q;
        /* Q, U per sample: rows at stride d (the first M used), packed to (m, M, d) */
        double *Qp = NULL, *Up = NULL;
        if (M > 0) {
            Qp = sl__alloc(ctx, sizeof(double) * (size_t)(m * M * d), 0, WHO);
            Up = inv ? sl__alloc(ctx, sizeof(double) * (size_t)(m * M * d), 0, WHO) : NULL;
            if (!Qp || (inv && !Up)) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
            for (int64_t p = 0; !st && p < m; ++p) {
                memcpy(Qp + p * M * d, Q + p * d * d, sizeof(double) * (size_t)(M * d));
                if (Up) memcpy(Up + p * M * d, U + p * d * d, sizeof(double) * (size_t)(M * d));
            }
            t.Qs = Qp, t.Us = Up, t.na = Up ? M : 0;
        }
        double terms[4];
        if (!st) st = sl__train(&t, ck, w, terms);
        sl__trainer_free(&t);
        sl__free(ctx, Qp);
        sl__free(ctx, Up);
        if (st) break;
        sl__log(ctx, SL_LOG_INFO, "%s: seed %d stage %lld: loss %.3e, terms %.3e %.3e %.3e", WHO, s, (long long)stage + 1,
                terms[0], terms[1], terms[2], terms[3]);
        /* the restarts: conservation, independence, involution */
        unit_grads(c, R, w);
        int64_t best = -1;
        double brel = INFINITY, bbr = 0;
        for (int64_t r = 0; r < R; ++r) {
            double rv = relvar(c, w + r * nw), mp, worst = 0;
            int64_t cnt = off_span(c, r, M, Q, &mp);
            if (inv && M > 0) {
                double *gc = GT + d * np * d;
                cand_eval(c, w + r * nw, 1, NULL, gc);
                for (int64_t j = 0; j < M; ++j) worst = fmax(worst, bracket(d, np, gc, GT + j * np * d));
            }
            /* linear candidates are held to the exact mode's max_relvar, networks to neural_max_relvar */
            int ok = rv < (c->nb > 0 && !c->fnet ? o->max_relvar : o->neural_max_relvar) && 2 * cnt > m && (!inv || worst < o->max_bracket);
            sl__log(ctx, SL_LOG_INFO, "%s: seed %d stage %lld restart %lld: relvar %.2e, off the span at %.0f%% of the samples, "
                    "bracket %.2e: %s", WHO, s, (long long)stage + 1, (long long)r, rv, 100.0 * (double)cnt / (double)m, worst,
                    ok ? "passes" : "fails");
            if (ok && rv < brel) best = r, brel = rv, bbr = worst;
        }
        (void)bbr;
        if (best < 0) break;
        /* accept: extend Q and U at the samples, store the gradients at the held-out points */
        memcpy(acc + M * nw, w + best * nw, sizeof(double) * (size_t)nw);
        relv[M] = brel;
        for (int64_t p = 0; p < m; ++p) {
            const double *g = c->G + (best * m + p) * d;
            extend(d, M, Q + p * d * d, g);
            if (inv) {
                double *u = U + p * d * d + M * d;   /* J g = (dI/dp, -dI/dq) */
                for (int64_t i = 0; i < n; ++i) u[i] = g[n + i], u[n + i] = -g[i];
            }
        }
        cand_eval(c, acc + M * nw, 1, NULL, GT + M * np * d);
        M++;
    }
    if (!st) st = seed_alloc(ctx, out, M, nw, 0);
    if (!st) {
        memcpy(out->w, acc, sizeof(double) * (size_t)(M * nw));
        memcpy(out->relvar, relv, sizeof(double) * (size_t)M);
        out->maxrel = 0;
        for (int64_t j = 0; j < M; ++j) out->indep[j] = 1, out->maxrel = fmax(out->maxrel, relv[j]);
        out->M = out->c = out->svd = M;
        if (d % 2 == 0) {
            *brk = sl__alloc(ctx, sizeof(double) * (size_t)(M ? M * M : 1), 1, WHO);
            if (!*brk) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
            for (int64_t i = 0; !st && i < M; ++i)
                for (int64_t j = 0; j < M; ++j)
                    (*brk)[i * M + j] = i == j ? 0 : bracket(d, np, GT + i * np * d, GT + j * np * d);
        }
        sl__log(ctx, SL_LOG_INFO, "%s: seed %d: deflation accepted %lld quantities", WHO, s, (long long)M);
    }
    sl__free(ctx, w), sl__free(ctx, acc), sl__free(ctx, Q), sl__free(ctx, U), sl__free(ctx, GT), sl__free(ctx, relv);
    return st;
}

/* ---- seeds, agreement, the result ----------------------------------------------------- */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median and p95 (degrees) over the held-out points of the largest angle between the independent spans of two seeds. */
static sl_status agreement(ctx_t *c, const seed_t *a, const seed_t *b, double *med, double *p95)
{
    sl_ctx *ctx = c->ctx;
    int64_t d = c->d, np = c->np < 2000 ? c->np : 2000, stride = c->np / np;
    double *ga = sl__alloc(ctx, sizeof(double) * (size_t)((a->c + b->c + 1) * d), 0, WHO);
    double *sc = sl__alloc(ctx, sizeof(double) * (size_t)(3 * d * (a->c + b->c + 1) + (a->c + b->c + 1) * (a->c + b->c + 1)), 0, WHO);
    double *ang = sl__alloc(ctx, sizeof(double) * (size_t)np, 0, WHO);
    if (!ga || !sc || !ang) {
        sl__free(ctx, ga), sl__free(ctx, sc), sl__free(ctx, ang);
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    }
    double *gb = ga + a->c * d;
    for (int64_t p = 0; p < np; ++p) {
        int64_t ia = 0, ib = 0;
        for (int64_t j = 0; j < a->M; ++j)
            if (a->indep[j]) cand_eval(c, a->w + j * c->nw, 2 + p * stride, NULL, ga + d * ia++);
        for (int64_t j = 0; j < b->M; ++j)
            if (b->indep[j]) cand_eval(c, b->w + j * c->nw, 2 + p * stride, NULL, gb + d * ib++);
        ang[p] = sl__span_angle(d, ia, ga, ib, gb, sc) * 180 / M_PI;
    }
    qsort(ang, (size_t)np, sizeof(double), cmp_double);
    *med = ang[np / 2];
    *p95 = ang[(int64_t)(0.95 * (double)(np - 1))];
    sl__free(ctx, ga), sl__free(ctx, sc), sl__free(ctx, ang);
    return SL_OK;
}

/* Least squares of the values y (m) on the library columns V (m x K, with
 * a constant): coefficients theta (K), R^2.  Normal equations on scaled
 * columns, Gaussian elimination with partial pivoting (K is small). */
static double fit_formula(sl_ctx *ctx, int64_t m, int64_t K, const double *V, const double *y, double *theta)
{
    int64_t n = K + 1;
    double *A = sl__alloc(ctx, sizeof(double) * (size_t)(n * (n + 1) + n), 0, WHO);
    if (!A) return NAN;
    double *sc = A + n * (n + 1);
    for (int64_t k = 0; k < n; ++k) {
        double s = 0;
        for (int64_t p = 0; p < m; ++p) {
            double v = k < K ? V[p * K + k] : 1;
            s += v * v;
        }
        sc[k] = s > 0 ? 1 / sqrt(s) : 1;
    }
    memset(A, 0, sizeof(double) * (size_t)(n * (n + 1)));
    for (int64_t p = 0; p < m; ++p)
        for (int64_t a = 0; a < n; ++a) {
            double va = (a < K ? V[p * K + a] : 1) * sc[a];
            for (int64_t b = 0; b < n; ++b) A[a * (n + 1) + b] += va * (b < K ? V[p * K + b] : 1) * sc[b];
            A[a * (n + 1) + n] += va * y[p];
        }
    for (int64_t a = 0; a < n; ++a) A[a * (n + 1) + a] += 1e-12;
    for (int64_t col = 0; col < n; ++col) {
        int64_t piv = col;
        for (int64_t r = col + 1; r < n; ++r)
            if (fabs(A[r * (n + 1) + col]) > fabs(A[piv * (n + 1) + col])) piv = r;
        for (int64_t k = 0; k <= n; ++k) {
            double t = A[col * (n + 1) + k];
            A[col * (n + 1) + k] = A[piv * (n + 1) + k];
            A[piv * (n + 1) + k] = t;
        }
        for (int64_t r = 0; r < n; ++r) {
            if (r == col) continue;
            double f = A[r * (n + 1) + col] / A[col * (n + 1) + col];
            for (int64_t k = col; k <= n; ++k) A[r * (n + 1) + k] -= f * A[col * (n + 1) + k];
        }
    }
    double c0 = A[K * (n + 1) + n] / A[K * (n + 1) + K] * sc[K];
    for (int64_t k = 0; k < K; ++k) theta[k] = A[k * (n + 1) + n] / A[k * (n + 1) + k] * sc[k];
    double mean = 0, ss = 0, res = 0;
    for (int64_t p = 0; p < m; ++p) mean += y[p] / (double)m;
    for (int64_t p = 0; p < m; ++p) {
        double e = c0 - y[p];
        for (int64_t k = 0; k < K; ++k) e += theta[k] * V[p * K + k];
        res += e * e;
        ss += (y[p] - mean) * (y[p] - mean);
    }
    sl__free(ctx, A);
    return ss > 0 ? 1 - res / ss : NAN;
}

/* theta: linear candidates' coefficients; fw: networks of features (deflation_basis = 2), fitted on the library */
static sl_status formulas(ctx_t *c, const sl_features *lib, sl_conserved_result *r, const double *theta, const double *fw)
{
    sl_ctx *ctx = c->ctx;
    int64_t m = c->m, Kall = lib->K, K = 0;
    double *Va = sl__alloc(ctx, sizeof(double) * (size_t)(m * Kall), 0, WHO);
    double *Vu = sl__alloc(ctx, sizeof(double) * (size_t)(m * Kall), 0, WHO);
    int64_t *idx = sl__alloc(ctx, sizeof(int64_t) * (size_t)Kall, 0, WHO);
    char **terms = sl__alloc(ctx, sizeof(char *) * (size_t)Kall, 1, WHO);
    sl_status st = Va && Vu && idx && terms ? SL_OK : sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    if (!st) st = sl__features_eval(lib, WHO, m, c->X, Va, NULL);
    for (int64_t k = 0; !st && k < Kall; ++k)
        if (!sl__feat_is_const(lib, k)) idx[K++] = k;
    if (!st) st = sl__conserved_result_alloc(r, WHO, K, r->M, 0);
    for (int64_t p = 0; !st && p < m; ++p)
        for (int64_t k = 0; k < K; ++k) Vu[p * K + k] = Va[p * Kall + idx[k]];
    for (int64_t k = 0; !st && k < K; ++k)
        if (!(r->fname[k] = sl__strdup(ctx, lib->f[idx[k]].name, WHO))) st = SL_ERR_NOMEM;
    r->r2 = st ? NULL : sl__alloc(ctx, sizeof(double) * (size_t)(r->M ? r->M : 1), 0, WHO);
    if (!st && !r->r2) st = SL_ERR_NOMEM;
    int64_t base = st || theta || fw ? 0 : sl__cons_net_index(r, r->sel, 0);
    for (int64_t j = 0; !st && j < r->M; ++j) {
        if (theta) {   /* linear candidates: the coefficients themselves, largest |theta_k| = 1 and positive */
            double mx = 0, sg = 1;
            for (int64_t k = 0; k < K; ++k) {
                double v = theta[j * K + k] * c->fs[k];
                if (fabs(v) > mx) mx = fabs(v), sg = v < 0 ? -1 : 1;
            }
            for (int64_t k = 0; k < K; ++k) r->coef[j * K + k] = mx > 0 ? sg * theta[j * K + k] * c->fs[k] / mx : 0;
            r->r2[j] = 1;
            continue;
        }
        if (fw) cand_eval(c, fw + j * c->nw, 0, c->V, NULL);
        else sl__cnet_eval(&c->net, r->w + (base + j) * c->nw, m, c->X, c->V, NULL);
        r->r2[j] = fit_formula(ctx, m, K, Vu, c->V, r->coef + j * K);
    }
    for (int style = 0; !st && style < 3; ++style) {
        for (int64_t k = 0; !st && k < K; ++k) {
            char buf[1024];
            sl__feature_term(lib, idx[k], style, buf, sizeof buf);
            sl__free(ctx, terms[k]);
            if (!(terms[k] = sl__strdup(ctx, buf, WHO))) st = SL_ERR_NOMEM;
        }
        for (int64_t j = 0; !st && j < r->M; ++j) {
            sl__str s = {ctx, NULL, 0, 0, 0};
            if (r->r2[j] >= 0.999) sl__formula_sum(&s, K, r->coef + j * K, (const char *const *)terms, style);
            else sl__str_put(&s, "%s", "");
            if (!(r->formula[style][j] = sl__str_take(&s))) st = SL_ERR_NOMEM;
        }
    }
    for (int64_t k = 0; terms && k < Kall; ++k) sl__free(ctx, terms[k]);
    sl__free(ctx, terms), sl__free(ctx, Va), sl__free(ctx, Vu), sl__free(ctx, idx);
    if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", WHO);
    return st;
}

static sl_status build(ctx_t *c, seed_t *sd, int ns, const sl_features *lib, sl_conserved_result **out)
{
    sl_ctx *ctx = c->ctx;
    const sl_conserved_opts *o = c->o;
    /* selection: the most common independent count, then the smallest largest relvar */
    int sel = 0, bestf = -1;
    for (int s = 0; s < ns; ++s) {
        int f = 0;
        for (int t = 0; t < ns; ++t) f += sd[t].c == sd[s].c;
        if (f > bestf || (f == bestf && sd[s].maxrel < sd[sel].maxrel)) sel = s, bestf = f;
    }
    sl_conserved_result *r = sl__conserved_result_new(ctx, WHO);
    if (!r) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    int64_t tot = 0, d = c->d;
    if (c->nb > 0) {
        /* linear candidates: a result like an exact one (coefficients, formulas), reported as DEFLATION */
        r->deflated = c->fnet ? 2 : 1;
        r->d = d, r->ntraj = o->n_traj, r->M = sd[sel].M, r->c = sd[sel].c;
        r->nullity = r->M + (r->M < d - 1);
        r->gap = NAN;
        sl_status st = formulas(c, lib, r, c->fnet ? NULL : sd[sel].w, c->fnet ? sd[sel].w : NULL);
        for (int64_t j = 0; !st && j < r->M; ++j) r->relvar[j] = sd[sel].relvar[j], r->indep[j] = sd[sel].indep[j];
        if (st) {
            sl_conserved_result_destroy(r);
            return st;
        }
        r->brk = sd[sel].brk;
        sd[sel].brk = NULL;
        *out = r;
        return SL_OK;
    }
    for (int s = 0; s < ns; ++s) tot += sd[s].M;
    r->mode = o->mode, r->act = c->net.act, r->depth = c->net.depth, r->hidden = c->net.hidden, r->nw = c->nw;
    r->nseeds = ns, r->sel = sel, r->d = d, r->ntraj = o->n_traj;
    r->M = sd[sel].M, r->c = sd[sel].c, r->nsvd = sd[sel].svd, r->nexpl = sd[sel].nexpl;
    r->nullity = o->mode == SL_CONSERVED_NEURAL ? (o->nets ? o->nets : (d > 1 ? d - 1 : 1)) : r->M + (r->M < d - 1);
    r->brk = sd[sel].brk;
    r->mean = sl__alloc(ctx, sizeof(double) * (size_t)(2 * d), 0, WHO);
    r->w = sl__alloc(ctx, sizeof(double) * (size_t)((tot ? tot : 1) * c->nw), 0, WHO);
    r->wrel = sl__alloc(ctx, sizeof(double) * (size_t)(tot ? tot : 1), 0, WHO);
    r->windep = sl__alloc(ctx, sizeof(int) * (size_t)(tot ? tot : 1), 0, WHO);
    r->seedM = sl__alloc(ctx, sizeof(int64_t) * (size_t)(2 * ns), 0, WHO);
    r->seedmax = sl__alloc(ctx, sizeof(double) * (size_t)(3 * ns), 0, WHO);
    r->expl = sl__alloc(ctx, sizeof(double) * (size_t)(r->nexpl ? r->nexpl : 1), 1, WHO);
    sl_status st = SL_OK;
    if (!r->mean || !r->w || !r->wrel || !r->windep || !r->seedM || !r->seedmax || !r->expl)
        st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    if (!st) {
        r->scale = r->mean + d;
        memcpy(r->mean, c->net.mean, sizeof(double) * (size_t)d);
        memcpy(r->scale, c->net.scale, sizeof(double) * (size_t)d);
        r->seedc = r->seedM + ns;
        r->seedang = r->seedmax + ns;
        if (r->nexpl) memcpy(r->expl, sd[sel].expl, sizeof(double) * (size_t)r->nexpl);
        for (int s = 0, off = 0; s < ns; off += (int)sd[s].M, ++s) {
            r->seedM[s] = sd[s].M, r->seedc[s] = sd[s].c, r->seedmax[s] = sd[s].maxrel;
            memcpy(r->w + off * c->nw, sd[s].w, sizeof(double) * (size_t)(sd[s].M * c->nw));
            memcpy(r->wrel + off, sd[s].relvar, sizeof(double) * (size_t)sd[s].M);
            memcpy(r->windep + off, sd[s].indep, sizeof(int) * (size_t)sd[s].M);
        }
        for (int s = 0; !st && s < ns; ++s) st = agreement(c, &sd[s], &sd[sel], &r->seedang[2 * s], &r->seedang[2 * s + 1]);
    }
    if (!st) st = formulas(c, lib, r, NULL, NULL);
    if (!st) {
        int64_t base = sl__cons_net_index(r, sel, 0);
        for (int64_t j = 0; j < r->M; ++j) r->relvar[j] = r->wrel[base + j], r->indep[j] = r->windep[base + j];
        if (ns > 1) {
            char msg[512];
            int k = snprintf(msg, sizeof msg, "%s: %d seeds, counts", WHO, ns);
            for (int s = 0; s < ns && k > 0 && k < (int)sizeof msg; ++s)
                k += snprintf(msg + k, sizeof msg - (size_t)k, " %lld (%.2g deg)", (long long)sd[s].c, r->seedang[2 * s]);
            sl__log(ctx, SL_LOG_INFO, "%s; seed %d selected", msg, sel);
        }
    }
    if (st) {
        r->brk = NULL;
        sl_conserved_result_destroy(r);
        return st;
    }
    sd[sel].brk = NULL;   /* now the result's */
    *out = r;
    return SL_OK;
}

/* Linear candidates: the library's non-constant features (scaled to unit rms gradient over the samples) and their
 * gradients at the samples and at the held-out points. */
static sl_status basis_tables(ctx_t *c, const sl_features *lib)
{
    sl_ctx *ctx = c->ctx;
    int64_t Kall = lib->K, d = c->d, nb = 0, m = c->m, np = c->np, chunk = 256;
    c->fidx = sl__alloc(ctx, sizeof(int64_t) * (size_t)(Kall ? Kall : 1), 0, WHO);
    c->fs = sl__alloc(ctx, sizeof(double) * (size_t)(Kall ? Kall : 1), 0, WHO);
    if (!c->fidx || !c->fs) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    for (int64_t k = 0; k < Kall; ++k)
        if (!sl__feat_is_const(lib, k)) c->fidx[nb++] = k;
    if (nb == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->deflation_basis = %d but the library has no non-constant feature", WHO, c->o->deflation_basis);
    int64_t cells;
    if (!sl__mul_ok(m > np ? m : np, nb * (d + 1), &cells) || cells > ((int64_t)1 << 31))
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld features x %lld points: too large for deflation_basis", WHO, (long long)nb,
                        (long long)(m > np ? m : np));
    c->nb = nb;
    c->BV = sl__alloc(ctx, sizeof(double) * (size_t)(m * nb), 0, WHO);
    c->BJ = sl__alloc(ctx, sizeof(double) * (size_t)(m * nb * d), 0, WHO);
    c->TV = sl__alloc(ctx, sizeof(double) * (size_t)(np * nb), 0, WHO);
    c->TJ = sl__alloc(ctx, sizeof(double) * (size_t)(np * nb * d), 0, WHO);
    double *v = sl__alloc(ctx, sizeof(double) * (size_t)(chunk * Kall * (d + 1)), 0, WHO), *g = v + chunk * Kall;
    sl_status st = c->BV && c->BJ && c->TV && c->TJ && v ? SL_OK : sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    for (int pass = 0; !st && pass < 2; ++pass) {
        int64_t n = pass ? np : m;
        const double *x = pass ? c->T : c->X;
        double *BV = pass ? c->TV : c->BV, *BJ = pass ? c->TJ : c->BJ;
        for (int64_t p0 = 0; !st && p0 < n; p0 += chunk) {
            int64_t q = n - p0 < chunk ? n - p0 : chunk;
            if ((st = sl__features_eval(lib, WHO, q, x + p0 * d, v, g))) break;
            int64_t bad = sl__first_nonfinite(v, (size_t)(q * Kall * (d + 1)));
            if (bad >= 0)
                st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: a feature value or gradient is not finite at the %s %lld..%lld", WHO,
                              pass ? "held-out points" : "samples", (long long)p0, (long long)(p0 + q - 1));
            for (int64_t p = 0; !st && p < q; ++p)
                for (int64_t k = 0; k < nb; ++k) {
                    BV[(p0 + p) * nb + k] = v[p * Kall + c->fidx[k]];
                    memcpy(BJ + ((p0 + p) * nb + k) * d, g + (p * Kall + c->fidx[k]) * d, sizeof(double) * (size_t)d);
                }
        }
        if (st || pass) break;
        for (int64_t k = 0; k < nb; ++k) {   /* scale: unit rms gradient over the samples */
            double s2 = 0;
            for (int64_t p = 0; p < m; ++p)
                for (int64_t i = 0; i < d; ++i) s2 += BJ[(p * nb + k) * d + i] * BJ[(p * nb + k) * d + i];
            c->fs[k] = s2 > 0 ? 1 / sqrt(s2 / (double)m) : 1;
        }
    }
    for (int pass = 0; !st && pass < 2; ++pass) {
        int64_t n = pass ? np : m;
        double *BV = pass ? c->TV : c->BV, *BJ = pass ? c->TJ : c->BJ;
        for (int64_t p = 0; p < n; ++p)
            for (int64_t k = 0; k < nb; ++k) {
                BV[p * nb + k] *= c->fs[k];
                for (int64_t i = 0; i < d; ++i) BJ[(p * nb + k) * d + i] *= c->fs[k];
            }
    }
    sl__free(ctx, v);
    c->nw = nb;
    if (!st && c->fnet) {
        c->fmean = sl__alloc(ctx, sizeof(double) * (size_t)(2 * nb), 0, WHO);
        c->GF = sl__alloc(ctx, sizeof(double) * (size_t)((m > np ? m : np) * nb), 0, WHO);
        if (!c->fmean || !c->GF) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        for (int64_t k = 0; k < nb; ++k) {
            double mu = 0, s2 = 0;
            for (int64_t p = 0; p < m; ++p) mu += c->BV[p * nb + k] / (double)m;
            for (int64_t p = 0; p < m; ++p) s2 += (c->BV[p * nb + k] - mu) * (c->BV[p * nb + k] - mu) / (double)m;
            c->fmean[k] = mu, c->fmean[nb + k] = s2 > 0 && isfinite(s2) ? sqrt(s2) : 1;
        }
        c->net = (sl__cnet){nb, c->o->hidden, c->o->depth, c->o->activation, c->fmean, c->fmean + nb};
        c->nw = sl__cnet_nweights(&c->net);
        sl__log(ctx, SL_LOG_INFO, "%s: deflation_basis = 2: networks of %lld library features", WHO, (long long)nb);
        return SL_OK;
    }
    /* the starting subspace: right singular vectors of A_nk = grad b_k(x_n) . fh(x_n) with s_i <= tolerance s_max
     * (at least the last one), as SID's null space (conserved.c) */
    double *A = st ? NULL : sl__alloc(ctx, sizeof(double) * (size_t)(m * nb + nb + nb * nb), 0, WHO);
    if (!st && !A) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    if (!st) {
        double *sv = A + m * nb, *vt = sv + nb;
        for (int64_t p = 0; p < m; ++p)
            for (int64_t k = 0; k < nb; ++k) {
                double a = 0;
                for (int64_t i = 0; i < d; ++i) a += c->BJ[(p * nb + k) * d + i] * c->FH[p * d + i];
                A[p * nb + k] = a;
            }
        st = sl__svd(ctx, WHO, (int)m, (int)nb, A, sv, vt);
        int64_t n0 = 0;
        for (int64_t i = 0; !st && i < nb; ++i) n0 += !(sv[i] > c->o->tolerance * sv[0]);
        if (n0 < 1) n0 = 1;
        if (n0 > 64) n0 = 64;
        c->N0 = st ? NULL : sl__alloc(ctx, sizeof(double) * (size_t)(n0 * nb), 0, WHO);
        if (!st && !c->N0) st = sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
        if (!st) {
            memcpy(c->N0, vt + (nb - n0) * nb, sizeof(double) * (size_t)(n0 * nb));
            c->n0 = n0;
            sl__log(ctx, SL_LOG_INFO, "%s: deflation_basis: %lld features, starting subspace of dimension %lld (s/s_max %.2e .. %.2e)",
                    WHO, (long long)nb, (long long)n0, sv[nb - n0] / sv[0], sv[nb - 1] / sv[0]);
        }
    }
    sl__free(ctx, A);
    return st;
}

sl_status sl__conserved_neural(sl_ctx *ctx, const sl_conserved_opts *o, sl_vector_field_fn f, void *user, int64_t d,
                               int64_t m, const double *X, const double *tlo, const double *thi, const sl_features *lib,
                               sl_conserved_result **out)
{
    ctx_t c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx, c.o = o, c.d = d, c.m = m, c.X = X;
    int64_t steps = (int64_t)llround(o->t_end / o->dt), every = steps > 100 ? steps / 100 : 1;
    c.per = steps / every + 1, c.ntr = o->n_traj, c.np = c.ntr * c.per;
    int64_t K = o->mode == SL_CONSERVED_NEURAL ? (o->nets ? o->nets : (d > 1 ? d - 1 : 1)) : (o->nets ? o->nets : 2);
    if (K > MAXK) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nets = %d (at most %d)", WHO, o->nets, MAXK);
    if (d > 256 || (o->mode == SL_CONSERVED_NEURAL && d > MAXK))
        return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (the neural modes take d <= %d)", WHO, (long long)d,
                        o->mode == SL_CONSERVED_NEURAL ? MAXK : 256);
    double *ms = sl__alloc(ctx, sizeof(double) * (size_t)(2 * d), 0, WHO);
    c.FH = sl__alloc(ctx, sizeof(double) * (size_t)(m * d), 0, WHO);
    c.T = sl__alloc(ctx, sizeof(double) * (size_t)(c.np * d), 0, WHO);
    c.G = sl__alloc(ctx, sizeof(double) * (size_t)(K * m * d), 0, WHO);
    c.V = sl__alloc(ctx, sizeof(double) * (size_t)m, 0, WHO);
    c.VT = sl__alloc(ctx, sizeof(double) * (size_t)c.np, 0, WHO);
    seed_t *sd = sl__alloc(ctx, sizeof(seed_t) * (size_t)o->nseeds, 1, WHO);
    sl_status st = ms && c.FH && c.T && c.G && c.V && c.VT && sd ? SL_OK : sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", WHO);
    for (int64_t n = 0; !st && n < m; ++n) {
        int rc = f(user, 0.0, X + n * d, c.FH + n * d, d);
        if (rc) st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: the vector field returned %d at sample %lld", WHO, rc, (long long)n);
        int64_t bad = st ? -1 : sl__first_nonfinite(c.FH + n * d, (size_t)d);
        if (bad >= 0)
            st = sl__fail(ctx, SL_ERR_NONFINITE, "%s: the vector field is not finite at sample %lld (f[%lld] = %g)", WHO,
                          (long long)n, (long long)bad, c.FH[n * d + bad]);
        if (!st) unit(d, c.FH + n * d);
    }
    if (!st) {
        for (int64_t i = 0; i < d; ++i) {
            double s = 0, s2 = 0;
            for (int64_t n = 0; n < m; ++n) s += X[n * d + i];
            ms[i] = s / (double)m;
            for (int64_t n = 0; n < m; ++n) s2 += (X[n * d + i] - ms[i]) * (X[n * d + i] - ms[i]);
            double sd0 = sqrt(s2 / (double)m);
            ms[d + i] = sd0 > 0 && isfinite(sd0) ? sd0 : 1;
        }
        c.net = (sl__cnet){d, o->hidden, o->depth, o->activation, ms, ms + d};
        c.nw = sl__cnet_nweights(&c.net);
        st = sl_sample_trajectories(ctx, f, user, d, tlo, thi, o->domain, o->domain_user, c.ntr, c.per, o->dt, every,
                                    o->stream + 1, c.T, NULL);
        if (st && strncmp(sl_ctx_errmsg(ctx), WHO ":", strlen(WHO) + 1) != 0) {
            char msg[SL_ERRMSG_LEN];
            snprintf(msg, sizeof msg, "%s", sl_ctx_errmsg(ctx));
            st = sl__fail(ctx, st, "%s: %s", WHO, msg);
        }
    }
    c.fnet = o->deflation_basis == 2;
    if (!st && o->mode == SL_CONSERVED_DEFLATION && o->deflation_basis) st = basis_tables(&c, lib);
    sl__ckpt ck;
    sl_status st2 = sl__ckpt_open(ctx, WHO, o->checkpoint, o->resume, &ck);
    if (!st) st = st2;
    int ns = 0;
    for (; !st && ns < o->nseeds; ++ns) {
        st = o->mode == SL_CONSERVED_NEURAL ? neural_seed(&c, &ck, ns, &sd[ns]) : deflation_seed(&c, &ck, ns, &sd[ns], &sd[ns].brk);
        if (st) break;
    }
    if (!st) st = build(&c, sd, ns, lib, out);
    sl__ckpt_close(&ck);
    for (int s = 0; sd && s < o->nseeds; ++s) seed_free(ctx, &sd[s]);
    sl__free(ctx, c.fmean), sl__free(ctx, c.GF);
    sl__free(ctx, c.N0), sl__free(ctx, c.fidx), sl__free(ctx, c.fs), sl__free(ctx, c.BV), sl__free(ctx, c.BJ), sl__free(ctx, c.TV), sl__free(ctx, c.TJ);
    sl__free(ctx, sd), sl__free(ctx, ms), sl__free(ctx, c.FH), sl__free(ctx, c.T), sl__free(ctx, c.G), sl__free(ctx, c.V),
        sl__free(ctx, c.VT);
    return st;
}
