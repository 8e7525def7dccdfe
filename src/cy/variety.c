/* Calabi-Yau varieties: polynomials given by monomials (include/symlearn/cy.h).
 * Only hypersurfaces in one P^n are implemented; the arguments are those of a
 * complete intersection in a product of projective spaces. */
#include "cy_internal.h"

#include <math.h>

sl_status sl_cy_variety_create(sl_ctx *ctx, int nfactors, const int *dims, int npoly, const int64_t *nterms,
                               const int *exponents, const double *coeffs, sl_cy_variety **out)
{
    const char *who = "sl_cy_variety_create";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!dims || !nterms || !exponents || !coeffs)
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who,
                        !dims ? "dims" : !nterms ? "nterms" : !exponents ? "exponents" : "coeffs");
    if (nfactors < 1 || nfactors > 8) return sl__fail(ctx, SL_ERR_ARG, "%s: nfactors = %d (must be 1..8)", who, nfactors);
    if (npoly < 1 || npoly > 8) return sl__fail(ctx, SL_ERR_ARG, "%s: npoly = %d (must be 1..8)", who, npoly);
    int namb = 0;
    for (int j = 0; j < nfactors; j++) {
        if (dims[j] < 1 || dims[j] > SL_CY_MAX_AMB - 1)
            return sl__fail(ctx, SL_ERR_ARG, "%s: dims[%d] = %d (must be 1..%d)", who, j, dims[j], SL_CY_MAX_AMB - 1);
        namb += dims[j] + 1;
    }
    if (namb > SL_CY_MAX_AMB)
        return sl__fail(ctx, SL_ERR_ARG, "%s: %d homogeneous coordinates (at most %d)", who, namb, SL_CY_MAX_AMB);
    int64_t total = 0;
    for (int i = 0; i < npoly; i++) {
        if (nterms[i] < 1 || nterms[i] > 1000000)
            return sl__fail(ctx, SL_ERR_ARG, "%s: nterms[%d] = %lld (must be 1..10^6)", who, i, (long long)nterms[i]);
        total += nterms[i];
    }
    /* homogeneity per factor, degrees, CY condition */
    int degsum[8] = {0};
    int64_t m = 0;
    for (int i = 0; i < npoly; i++) {
        int deg0[8] = {0};
        for (int64_t t = 0; t < nterms[i]; t++, m++) {
            const int *e = exponents + m * namb;
            if (!isfinite(coeffs[2 * m]) || !isfinite(coeffs[2 * m + 1]))
                return sl__fail(ctx, SL_ERR_NONFINITE, "%s: coeffs of polynomial %d, monomial %lld is not finite", who,
                                i, (long long)t);
            int off = 0;
            for (int j = 0; j < nfactors; j++) {
                int dj = 0;
                for (int c = 0; c < dims[j] + 1; c++) {
                    int ec = e[off + c];
                    if (ec < 0 || ec > 64)
                        return sl__fail(ctx, SL_ERR_ARG, "%s: polynomial %d, monomial %lld: exponent %d of coordinate %d (must be 0..64)",
                                        who, i, (long long)t, ec, off + c);
                    dj += ec;
                }
                if (t == 0) deg0[j] = dj;
                else if (dj != deg0[j])
                    return sl__fail(ctx, SL_ERR_ARG,
                                    "%s: polynomial %d is not homogeneous: monomial %lld has degree %d in factor %d, monomial 0 degree %d",
                                    who, i, (long long)t, dj, j, deg0[j]);
                off += dims[j] + 1;
            }
        }
        for (int j = 0; j < nfactors; j++) degsum[j] += deg0[j];
    }
    for (int j = 0; j < nfactors; j++)
        if (degsum[j] != dims[j] + 1)
            return sl__fail(ctx, SL_ERR_ARG,
                            "%s: not Calabi-Yau: the degrees in factor %d add up to %d (must be dims[%d] + 1 = %d)", who, j,
                            degsum[j], j, dims[j] + 1);
    if (nfactors != 1 || npoly != 1)
        return sl__fail(ctx, SL_ERR_UNSUPPORTED,
                        "%s: %d factors and %d polynomials: only hypersurfaces in one P^n are implemented", who, nfactors,
                        npoly);
    sl_cy_variety *v = sl__alloc(ctx, sizeof *v, 1, who);
    if (!v) return SL_ERR_NOMEM;
    v->ctx = ctx;
    v->nfactors = 1;
    v->npoly = 1;
    v->dims[0] = dims[0];
    v->namb = namb;
    v->dim = namb - 2;
    v->deg = degsum[0];
    v->exps = sl__alloc(ctx, sizeof(int) * (size_t)(total * namb), 0, who);
    v->coef = sl__alloc(ctx, sizeof(cplx) * (size_t)total, 0, who);
    if (!v->exps || !v->coef) {
        sl_cy_variety_destroy(v);
        return SL_ERR_NOMEM;
    }
    /* merge repeated monomials, drop zeros */
    int64_t nt = 0;
    for (int64_t t = 0; t < total; t++) {
        const int *e = exponents + t * namb;
        cplx c = CMPLX(coeffs[2 * t], coeffs[2 * t + 1]);
        int64_t f = -1;
        for (int64_t u = 0; u < nt && f < 0; u++)
            if (memcmp(v->exps + u * namb, e, sizeof(int) * (size_t)namb) == 0) f = u;
        if (f >= 0) v->coef[f] += c;
        else {
            memcpy(v->exps + nt * namb, e, sizeof(int) * (size_t)namb);
            v->coef[nt++] = c;
        }
    }
    int64_t k = 0;
    for (int64_t t = 0; t < nt; t++) {
        if (v->coef[t] == 0) continue;
        memmove(v->exps + k * namb, v->exps + t * namb, sizeof(int) * (size_t)namb);
        v->coef[k++] = v->coef[t];
    }
    if (k == 0) {
        sl_cy_variety_destroy(v);
        return sl__fail(ctx, SL_ERR_ARG, "%s: every coefficient is zero", who);
    }
    v->nterms = k;
    v->coef_abs = 0;
    for (int64_t t = 0; t < k; t++) v->coef_abs += cabs(v->coef[t]);
    *out = v;
    return SL_OK;
}

sl_status sl_cy_variety_quintic(sl_ctx *ctx, double psi_re, double psi_im, sl_cy_variety **out)
{
    if (!ctx) return SL_ERR_NULL;
    int dims = 4;
    int64_t nt = 6;
    int e[30] = {0};
    double c[12] = {0};
    for (int i = 0; i < 5; i++) {
        e[i * 5 + i] = 5;
        c[2 * i] = 1.0;
    }
    for (int i = 0; i < 5; i++) e[25 + i] = 1;
    c[10] = psi_re;
    c[11] = psi_im;
    sl_status st = sl_cy_variety_create(ctx, 1, &dims, 1, &nt, e, c, out);
    return st == SL_OK ? st : sl__rewho(ctx, st, "sl_cy_variety_quintic");
}

void sl_cy_variety_destroy(sl_cy_variety *v)
{
    if (!v) return;
    sl__free(v->ctx, v->exps);
    sl__free(v->ctx, v->coef);
    sl__free(v->ctx, v);
}

int sl_cy_variety_ambient(const sl_cy_variety *v) { return v ? v->namb : 0; }
int sl_cy_variety_dim(const sl_cy_variety *v) { return v ? v->dim : 0; }
int sl_cy_variety_degree(const sl_cy_variety *v) { return v ? v->deg : 0; }

/* z^e with small integer exponents, by repeated multiplication */
static inline cplx ipow(cplx z, int e)
{
    cplx r = 1;
    while (e) {
        if (e & 1) r *= z;
        z *= z;
        e >>= 1;
    }
    return r;
}

cplx sl__cy_eval(const sl_cy_variety *v, const cplx *z, cplx *grad)
{
    const int na = v->namb;
    cplx q = 0;
    if (grad)
        for (int i = 0; i < na; i++) grad[i] = 0;
    for (int64_t t = 0; t < v->nterms; t++) {
        const int *e = v->exps + t * na;
        cplx pw[SL_CY_MAX_AMB], pm[SL_CY_MAX_AMB];   /* z_i^e_i and z_i^(e_i - 1) */
        cplx m = v->coef[t];
        for (int i = 0; i < na; i++) {
            pm[i] = e[i] ? ipow(z[i], e[i] - 1) : 0;
            pw[i] = e[i] ? pm[i] * z[i] : 1;
            m *= pw[i];
        }
        q += m;
        if (!grad) continue;
        for (int i = 0; i < na; i++) {
            if (!e[i]) continue;
            cplx d = v->coef[t] * (double)e[i] * pm[i];
            for (int j = 0; j < na; j++)
                if (j != i) d *= pw[j];
            grad[i] += d;
        }
    }
    return q;
}

sl_status sl_cy_variety_eval(const sl_cy_variety *v, int64_t n, const double *z, double *q)
{
    const char *who = "sl_cy_variety_eval";
    if (!v) return SL_ERR_NULL;
    if (!z || !q) return sl__fail(v->ctx, SL_ERR_NULL, "%s: %s is NULL", who, !z ? "z" : "q");
    if (n < 0 || n > SL_MAX_ELEMENTS / SL_CY_MAX_AMB)
        return sl__fail(v->ctx, SL_ERR_ARG, "%s: n = %lld", who, (long long)n);
    for (int64_t i = 0; i < n; i++) {
        cplx zz[SL_CY_MAX_AMB];
        memcpy(zz, z + 2 * i * v->namb, sizeof(cplx) * (size_t)v->namb);
        cplx r = sl__cy_eval(v, zz, NULL);
        q[2 * i] = creal(r);
        q[2 * i + 1] = cimag(r);
    }
    return SL_OK;
}
