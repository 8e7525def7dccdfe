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
