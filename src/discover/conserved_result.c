/* Conserved-quantity results: allocation, accessors, the printed summary. */
#include "conserved_internal.h"

#include <math.h>

char *sl__strdup(sl_ctx *ctx, const char *s, const char *who)
{
    size_t n = strlen(s) + 1;
    char *p = sl__alloc(ctx, n, 0, who);
    if (p) memcpy(p, s, n);
    return p;
}

sl_conserved_result *sl__conserved_result_new(sl_ctx *ctx, const char *who)
{
    sl_conserved_result *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (r) {
        r->ctx = ctx;
        r->gap = NAN;
    }
    return r;
}

sl_status sl__conserved_result_alloc(sl_conserved_result *r, const char *who, int64_t K, int64_t M, int64_t nsv)
{
    sl_ctx *ctx = r->ctx;
    r->K = K;
    r->M = M;
    r->nsv = nsv;
    size_t m1 = (size_t)(M ? M : 1);
    r->fname = sl__alloc(ctx, sizeof(char *) * (size_t)(K ? K : 1), 1, who);
    r->coef = sl__alloc(ctx, sizeof(double) * (size_t)((M ? M : 1) * (K ? K : 1)), 1, who);
    r->indep = sl__alloc(ctx, sizeof(int) * m1, 1, who);
    r->relvar = sl__alloc(ctx, sizeof(double) * m1, 1, who);
    r->sv = sl__alloc(ctx, sizeof(double) * (size_t)(nsv ? nsv : 1), 1, who);
    int ok = r->fname && r->coef && r->indep && r->relvar && r->sv;
    for (int s = 0; s < 3; ++s) {
        r->formula[s] = sl__alloc(ctx, sizeof(char *) * m1, 1, who);
        ok = ok && r->formula[s];
    }
    if (!ok) {
        /* keep the counts consistent with what is there for destroy */
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    }
    return SL_OK;
}

void sl_conserved_result_destroy(sl_conserved_result *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    for (int64_t k = 0; r->fname && k < r->K; ++k) sl__free(ctx, r->fname[k]);
    for (int s = 0; s < 3; ++s) {
        for (int64_t j = 0; r->formula[s] && j < r->M; ++j) sl__free(ctx, r->formula[s][j]);
        sl__free(ctx, r->formula[s]);
    }
    sl__free(ctx, r->fname);
    sl__free(ctx, r->coef);
    sl__free(ctx, r->indep);
    sl__free(ctx, r->relvar);
    sl__free(ctx, r->sv);
    double *nn[] = {r->mean, r->w, r->wrel, r->r2, r->seedmax, r->expl, r->brk};
    for (size_t i = 0; i < sizeof nn / sizeof nn[0]; ++i) sl__free(ctx, nn[i]);
    sl__free(ctx, r->windep);
    sl__free(ctx, r->seedM);
    sl__free(ctx, r);
}

int64_t sl_conserved_result_count(const sl_conserved_result *r) { return r ? r->M : 0; }
int64_t sl_conserved_result_independent(const sl_conserved_result *r) { return r ? r->c : 0; }
int64_t sl_conserved_result_nullity(const sl_conserved_result *r) { return r ? r->nullity : 0; }
int64_t sl_conserved_result_rejected(const sl_conserved_result *r) { return r ? r->nullity - r->M : 0; }
int64_t sl_conserved_result_dim(const sl_conserved_result *r) { return r ? r->d : 0; }
int64_t sl_conserved_result_features(const sl_conserved_result *r) { return r ? r->K : 0; }
int64_t sl_conserved_result_trajectories(const sl_conserved_result *r) { return r ? r->ntraj : 0; }
double sl_conserved_result_gap(const sl_conserved_result *r) { return r ? r->gap : NAN; }
const double *sl_conserved_result_coefficients(const sl_conserved_result *r) { return r ? r->coef : NULL; }

const char *sl_conserved_result_feature_name(const sl_conserved_result *r, int64_t k)
{
    return r && k >= 0 && k < r->K ? r->fname[k] : NULL;
}

int sl_conserved_result_is_independent(const sl_conserved_result *r, int64_t j)
{
    return r && j >= 0 && j < r->M ? r->indep[j] : 0;
}

double sl_conserved_result_relvar(const sl_conserved_result *r, int64_t j)
{
    return r && j >= 0 && j < r->M ? r->relvar[j] : NAN;
}

const char *sl_conserved_result_formula(const sl_conserved_result *r, int64_t j, int style)
{
    if (!r || j < 0 || j >= r->M || style < SL_FORMULA_TEXT || style > SL_FORMULA_LATEX) return NULL;
    return r->formula[style][j];
}

const double *sl_conserved_result_singular_values(const sl_conserved_result *r, int64_t *count)
{
    if (count) *count = r ? r->nsv : 0;
    return r ? r->sv : NULL;
}

/* ---- neural results ------------------------------------------------------------- */
int64_t sl__cons_net_index(const sl_conserved_result *r, int s, int64_t j)
{
    int64_t off = 0;
    for (int t = 0; t < s; ++t) off += r->seedM[t];
    return off + j;
}

int sl_conserved_result_mode(const sl_conserved_result *r)
{
    return r ? (r->mode ? r->mode : r->deflated ? SL_CONSERVED_DEFLATION : SL_CONSERVED_EXACT) : 0;
}
int64_t sl_conserved_result_svd_count(const sl_conserved_result *r) { return r && r->mode ? r->nsvd : 0; }
int sl_conserved_result_nseeds(const sl_conserved_result *r) { return r && r->mode ? r->nseeds : 0; }
int sl_conserved_result_selected_seed(const sl_conserved_result *r) { return r && r->mode ? r->sel : -1; }
const double *sl_conserved_result_brackets(const sl_conserved_result *r) { return r ? r->brk : NULL; }

const double *sl_conserved_result_explained(const sl_conserved_result *r, int64_t *count)
{
    if (count) *count = r && r->mode ? r->nexpl : 0;
    return r && r->mode ? r->expl : NULL;
}

int64_t sl_conserved_result_seed_count(const sl_conserved_result *r, int s)
{
    return r && r->mode && s >= 0 && s < r->nseeds ? r->seedc[s] : 0;
}

double sl_conserved_result_seed_max_relvar(const sl_conserved_result *r, int s)
{
    return r && r->mode && s >= 0 && s < r->nseeds ? r->seedmax[s] : NAN;
}

double sl_conserved_result_seed_angle(const sl_conserved_result *r, int s, int p95)
{
    return r && r->mode && s >= 0 && s < r->nseeds ? r->seedang[2 * s + (p95 != 0)] : NAN;
}

double sl_conserved_result_r2(const sl_conserved_result *r, int64_t j)
{
    return r && (r->mode || r->deflated == 2) && r->r2 && j >= 0 && j < r->M ? r->r2[j] : NAN;
}

static sl__cnet cnet_of(const sl_conserved_result *r)
{
    sl__cnet n = {r->d, r->hidden, r->depth, r->act, r->mean, r->scale};
    return n;
}

sl_status sl_conserved_result_eval(const sl_conserved_result *r, int64_t j, int64_t m, const double *x, double *values,
                                   double *grads)
{
    const char *who = "sl_conserved_result_eval";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!r->mode)
        return sl__fail(ctx, SL_ERR_STATE, "%s: an SL_CONSERVED_EXACT result (or DEFLATION with deflation_basis) has no networks "
                        "(use its coefficients)", who);
    if (j < 0 || j >= r->M) return sl__fail(ctx, SL_ERR_ARG, "%s: j = %lld (the result has %lld quantities)", who, (long long)j, (long long)r->M);
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL", who);
    int64_t bad = sl__first_nonfinite(x, (size_t)(m * r->d));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g", who, (long long)bad, x[bad]);
    sl__cnet n = cnet_of(r);
    sl__cnet_eval(&n, r->w + sl__cons_net_index(r, r->sel, j) * r->nw, m, x, values, grads);
    return SL_OK;
}

sl_status sl_conserved_result_span_angles(const sl_conserved_result *r, int s, int64_t m, const double *x, int64_t nref,
                                          const double *ref, double *angles)
{
    const char *who = "sl_conserved_result_span_angles";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    sl_ctx *ctx = r->ctx;
    if (!r->mode) return sl__fail(ctx, SL_ERR_STATE, "%s: an SL_CONSERVED_EXACT result has no networks", who);
    if (s == -1) s = r->sel;
    if (s < 0 || s >= r->nseeds) return sl__fail(ctx, SL_ERR_ARG, "%s: s = %d (the result has %d seeds)", who, s, r->nseeds);
    int64_t d = r->d;
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    if (nref < 0 || nref > d) return sl__fail(ctx, SL_ERR_ARG, "%s: nref = %lld (must be 0..d = %lld)", who, (long long)nref, (long long)d);
    if (!x || (nref && !ref) || !angles) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !x ? "x" : !angles ? "angles" : "ref");
    int64_t bad = sl__first_nonfinite(x, (size_t)(m * d));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g", who, (long long)bad, x[bad]);
    bad = nref ? sl__first_nonfinite(ref, (size_t)(m * nref * d)) : -1;
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: ref[%lld] = %g", who, (long long)bad, ref[bad]);
    int64_t a = r->seedc[s], base = sl__cons_net_index(r, s, 0), tot = a + nref + 1;
    double *G = sl__alloc(ctx, sizeof(double) * (size_t)(tot * d + 3 * d * tot + tot * tot), 0, who);
    if (!G) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    double *sc = G + tot * d;
    sl__cnet n = cnet_of(r);
    for (int64_t p = 0; p < m; ++p) {
        int64_t ia = 0;
        for (int64_t j = 0; j < r->seedM[s]; ++j)
            if (r->windep[base + j]) sl__cnet_eval(&n, r->w + (base + j) * r->nw, 1, x + p * d, NULL, G + d * ia++);
        angles[p] = sl__span_angle(d, ia, G, nref, ref + p * nref * d, sc) * 180 / M_PI;
    }
    sl__free(ctx, G);
    return SL_OK;
}

sl_status sl_conserved_result_print(const sl_conserved_result *r, FILE *f)
{
    const char *who = "sl_conserved_result_print";
    if (!r) return sl__fail(NULL, SL_ERR_NULL, "%s: r is NULL", who);
    if (!f) return sl__fail(r->ctx, SL_ERR_NULL, "%s: f is NULL", who);
    int bad = fprintf(f, "conserved quantities: %lld found, %lld independent (null space %lld, %lld rejected by the "
                      "trajectory test on %lld trajectories), %lld features, gap %.3g\n",
                      (long long)r->M, (long long)r->c, (long long)r->nullity, (long long)(r->nullity - r->M),
                      (long long)r->ntraj, (long long)r->K, r->gap) < 0;
    for (int64_t j = 0; j < r->M && !bad; ++j)
        bad = fprintf(f, "  I%lld = %s   (relvar %.2e%s)\n", (long long)j + 1, r->formula[0][j], r->relvar[j],
                      r->indep[j] ? ", independent" : "") < 0;
    if (fflush(f) != 0 || bad || ferror(f)) return sl__fail(r->ctx, SL_ERR_IO, "%s: writing failed", who);
    return SL_OK;
}
