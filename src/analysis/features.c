/* Feature libraries: monomials, radial features, exponentials of differences
 * and user functions, with their values and gradients (regression.h). */
#include "regression_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>

sl_status sl_features_create(sl_ctx *ctx, int64_t d, sl_features **out)
{
    const char *who = "sl_features_create";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (d < 1 || d > SL__FEAT_MAX_DIM) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (must be 1..%d)", who, (long long)d, SL__FEAT_MAX_DIM);
    sl_features *lib = sl__alloc(ctx, sizeof *lib, 1, who);
    if (!lib) return SL_ERR_NOMEM;
    lib->ctx = ctx;
    lib->d = d;
    lib->vname = sl__alloc(ctx, sizeof *lib->vname * (size_t)d, 1, who);
    if (!lib->vname) {
        sl__free(ctx, lib);
        return SL_ERR_NOMEM;
    }
    for (int64_t i = 0; i < d; ++i) snprintf(lib->vname[i], SL__NAME_LEN, "x%lld", (long long)i + 1);
    *out = lib;
    return SL_OK;
}

void sl__feat_free(sl_ctx *ctx, sl__feat *f)
{
    sl__free(ctx, f->prog);
    sl__free(ctx, f->scratch);
    sl__free(ctx, f->pow);
    sl__free(ctx, f->vars);
    sl__free(ctx, f->name);
}

void sl_features_destroy(sl_features *lib)
{
    if (!lib) return;
    for (int64_t k = 0; k < lib->K; ++k) sl__feat_free(lib->ctx, &lib->f[k]);
    sl__free(lib->ctx, lib->f);
    sl__free(lib->ctx, lib->vname);
    sl__free(lib->ctx, lib);
}

sl_status sl_features_set_names(sl_features *lib, const char *names)
{
    const char *who = "sl_features_set_names";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    sl_ctx *ctx = lib->ctx;
    if (!names) return sl__fail(ctx, SL_ERR_NULL, "%s: names is NULL", who);
    char (*tmp)[SL__NAME_LEN] = sl__alloc(ctx, sizeof *tmp * (size_t)lib->d, 1, who);
    if (!tmp) return SL_ERR_NOMEM;
    int64_t n = 0;
    const char *p = names;
    sl_status st = SL_OK;
    while (!st) {
        while (*p == ',' || isspace((unsigned char)*p)) ++p;
        if (!*p) break;
        const char *q = p;
        while (*q && *q != ',' && !isspace((unsigned char)*q)) ++q;
        size_t len = (size_t)(q - p);
        for (const char *c = p; c < q && !st; ++c)
            if (!isalnum((unsigned char)*c) && *c != '_' && *c != '\'')
                st = sl__fail(ctx, SL_ERR_ARG, "%s: name %lld holds '%c' (letters, digits, _ and ' only)", who, (long long)n + 1, *c);
        if (!st && len >= SL__NAME_LEN)
            st = sl__fail(ctx, SL_ERR_ARG, "%s: name %lld has %zu characters (at most %d)", who, (long long)n + 1, len, SL__NAME_LEN - 1);
        if (!st && n >= lib->d) st = sl__fail(ctx, SL_ERR_ARG, "%s: more than d = %lld names", who, (long long)lib->d);
        if (!st) {
            memcpy(tmp[n], p, len);
            tmp[n++][len] = 0;
        }
        p = q;
    }
    if (!st && n != lib->d) st = sl__fail(ctx, SL_ERR_ARG, "%s: %lld names for d = %lld variables", who, (long long)n, (long long)lib->d);
    if (!st) {
        memcpy(lib->vname, tmp, sizeof *tmp * (size_t)lib->d);
        /* rebuild the names of the features made so far */
        for (int64_t k = 0; k < lib->K; ++k) {
            if (lib->f[k].type == SL__F_USER) continue;
            char buf[1024];
            if (lib->f[k].type == SL__F_EXPR) sl__expr_render(lib, &lib->f[k], SL_FORMULA_TEXT, buf, sizeof buf);
            else sl__feature_term(lib, k, SL_FORMULA_TEXT, buf, sizeof buf);
            char *nm = sl__alloc(ctx, strlen(buf) + 1, 0, who);
            if (!nm) {
                st = SL_ERR_NOMEM;
                break;
            }
            strcpy(nm, buf);
            sl__free(ctx, lib->f[k].name);
            lib->f[k].name = nm;
        }
    }
    sl__free(ctx, tmp);
    return st;
}

/* Append n features (their allocations already made) or fail leaving lib as it was. */
static sl_status reserve(sl_features *lib, const char *who, int64_t n)
{
    if (lib->K + n > SL__FEAT_MAX)
        return sl__fail(lib->ctx, SL_ERR_ARG, "%s: %lld + %lld features (at most %d)", who, (long long)lib->K, (long long)n, SL__FEAT_MAX);
    if (lib->K + n <= lib->cap) return SL_OK;
    int64_t cap = lib->cap ? lib->cap : 16;
    while (cap < lib->K + n) cap *= 2;
    sl__feat *f = sl__alloc(lib->ctx, sizeof *f * (size_t)cap, 1, who);
    if (!f) return SL_ERR_NOMEM;
    if (lib->K) memcpy(f, lib->f, sizeof *f * (size_t)lib->K);
    sl__free(lib->ctx, lib->f);
    lib->f = f;
    lib->cap = cap;
    return SL_OK;
}

/* Name a new feature (at index lib->K, not yet counted) and count it. */
static sl_status commit(sl_features *lib, const char *who, sl__feat *f)
{
    lib->f[lib->K] = *f;
    if (f->type != SL__F_USER && f->type != SL__F_EXPR) {
        char buf[1024];
        sl__feature_term(lib, lib->K, SL_FORMULA_TEXT, buf, sizeof buf);
        f->name = sl__alloc(lib->ctx, strlen(buf) + 1, 0, who);
        if (!f->name) return SL_ERR_NOMEM;
        strcpy(f->name, buf);
        lib->f[lib->K].name = f->name;
    }
    lib->K++;
    return SL_OK;
}

sl_status sl__features_append(sl_features *lib, const char *who, sl__feat *f)
{
    sl_status st = reserve(lib, who, 1);
    return st ? st : commit(lib, who, f);
}

static sl_status check_vars(sl_features *lib, const char *who, int nvars, const int *vars)
{
    if (!vars) return sl__fail(lib->ctx, SL_ERR_NULL, "%s: vars is NULL", who);
    if (nvars < 1 || nvars > lib->d) return sl__fail(lib->ctx, SL_ERR_ARG, "%s: nvars = %d (must be 1..%lld)", who, nvars, (long long)lib->d);
    for (int a = 0; a < nvars; ++a) {
        if (vars[a] < 0 || vars[a] >= lib->d)
            return sl__fail(lib->ctx, SL_ERR_ARG, "%s: vars[%d] = %d (must be 0..%lld)", who, a, vars[a], (long long)lib->d - 1);
        for (int b = 0; b < a; ++b)
            if (vars[b] == vars[a]) return sl__fail(lib->ctx, SL_ERR_ARG, "%s: vars[%d] = vars[%d] = %d", who, b, a, vars[a]);
    }
    return SL_OK;
}

/* Number of monomials of total degree deg in n variables: C(n + deg - 1, deg). */
static double count_deg(int n, int deg)
{
    double c = 1;
    for (int i = 1; i <= deg; ++i) c = c * (n + i - 1) / i;
    return c;
}

/* Exponents of the monomials of degree deg in the vars, lexicographically
 * from x_vars[0]^deg down; calls back through an index into pows. */
static void gen(int nvars, int deg, int pos, int *e, int *pows, int64_t *count)
{
    if (pos == nvars - 1) {
        e[pos] = deg;
        memcpy(pows + *count * nvars, e, sizeof(int) * (size_t)nvars);
        ++*count;
        return;
    }
    for (int a = deg; a >= 0; --a) {
        e[pos] = a;
        gen(nvars, deg - a, pos + 1, e, pows, count);
    }
}

sl_status sl_features_add_monomials_of(sl_features *lib, int nvars, const int *vars, int min_degree, int max_degree)
{
    const char *who = "sl_features_add_monomials_of";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    sl_status st = check_vars(lib, who, nvars, vars);
    if (st) return st;
    if (min_degree < 0 || max_degree > 16 || min_degree > max_degree)
        return sl__fail(lib->ctx, SL_ERR_ARG, "%s: degrees %d..%d (must be 0 <= min <= max <= 16)", who, min_degree, max_degree);
    double total = 0;
    for (int g = min_degree; g <= max_degree; ++g) total += count_deg(nvars, g);
    if (total + (double)lib->K > SL__FEAT_MAX)
        return sl__fail(lib->ctx, SL_ERR_ARG, "%s: %.0f monomials (at most %d features)", who, total, SL__FEAT_MAX);
    int64_t n = (int64_t)total;
    if ((st = reserve(lib, who, n))) return st;
    int *pows = sl__alloc(lib->ctx, sizeof(int) * (size_t)(n * nvars), 0, who);
    int *e = sl__alloc(lib->ctx, sizeof(int) * (size_t)nvars, 0, who);
    if (!pows || !e) st = SL_ERR_NOMEM;
    int64_t cnt = 0;
    for (int g = min_degree; !st && g <= max_degree; ++g) gen(nvars, g, 0, e, pows, &cnt);
    int64_t K0 = lib->K;
    for (int64_t a = 0; !st && a < n; ++a) {
        sl__feat f = {0};
        f.type = SL__F_MONO;
        f.pow = sl__alloc(lib->ctx, sizeof(int) * (size_t)lib->d, 1, who);
        if (!f.pow) { st = SL_ERR_NOMEM; break; }
        for (int v = 0; v < nvars; ++v) {
            f.pow[vars[v]] = pows[a * nvars + v];
            f.degree += pows[a * nvars + v];
        }
        if ((st = commit(lib, who, &f))) sl__feat_free(lib->ctx, &f);
    }
    if (st)   /* undo */
        while (lib->K > K0) sl__feat_free(lib->ctx, &lib->f[--lib->K]);
    sl__free(lib->ctx, pows);
    sl__free(lib->ctx, e);
    return st;
}

sl_status sl_features_add_monomials(sl_features *lib, int min_degree, int max_degree)
{
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "sl_features_add_monomials: lib is NULL");
    int *vars = sl__alloc(lib->ctx, sizeof(int) * (size_t)lib->d, 0, "sl_features_add_monomials");
    if (!vars) return SL_ERR_NOMEM;
    for (int64_t i = 0; i < lib->d; ++i) vars[i] = (int)i;
    sl_status st = sl_features_add_monomials_of(lib, (int)lib->d, vars, min_degree, max_degree);
    sl__free(lib->ctx, vars);
    if (st) {   /* restate under the caller's name */
        char msg[SL_ERRMSG_LEN];
        const char *m = sl_ctx_errmsg(lib->ctx), *colon = strchr(m, ':');
        snprintf(msg, sizeof msg, "%s", colon ? colon + 1 : m);
        sl__fail(lib->ctx, st, "sl_features_add_monomials:%s", msg);
    }
    return st;
}

sl_status sl_features_add_radial(sl_features *lib, int nvars, const int *vars, int which)
{
    const char *who = "sl_features_add_radial";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    sl_status st = check_vars(lib, who, nvars, vars);
    if (st) return st;
    if (which < 1 || which > 7) return sl__fail(lib->ctx, SL_ERR_ARG, "%s: which = %d (a sum of SL_FEATURE_INV_R, _X_OVER_R, _R)", who, which);
    int64_t n = (which & 1) + ((which & 2) ? nvars : 0) + ((which & 4) ? 1 : 0), K0 = lib->K;
    if ((st = reserve(lib, who, n))) return st;
    for (int64_t a = 0; !st && a < n; ++a) {
        sl__feat f = {0};
        int64_t ninv = which & 1, nx = (which & 2) ? nvars : 0;
        f.type = a < ninv ? SL__F_INV_R : a < ninv + nx ? SL__F_X_OVER_R : SL__F_R;
        f.degree = f.type == SL__F_INV_R ? -1 : f.type == SL__F_X_OVER_R ? 0 : 1;
        f.i = f.type == SL__F_X_OVER_R ? vars[a - ninv] : -1;
        f.nv = nvars;
        f.vars = sl__alloc(lib->ctx, sizeof(int) * (size_t)nvars, 0, who);
        if (!f.vars) { st = SL_ERR_NOMEM; break; }
        memcpy(f.vars, vars, sizeof(int) * (size_t)nvars);
        if ((st = commit(lib, who, &f))) sl__feat_free(lib->ctx, &f);
    }
    if (st)
        while (lib->K > K0) sl__feat_free(lib->ctx, &lib->f[--lib->K]);
    return st;
}

sl_status sl_features_add_exp_difference(sl_features *lib, int i, int j, int k)
{
    const char *who = "sl_features_add_exp_difference";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    if (i < 0 || i >= lib->d || j < 0 || j >= lib->d || i == j || k < -1 || k >= lib->d)
        return sl__fail(lib->ctx, SL_ERR_ARG, "%s: (i, j, k) = (%d, %d, %d) (i != j in 0..%lld, k in -1..%lld)", who, i, j, k,
                        (long long)lib->d - 1, (long long)lib->d - 1);
    sl_status st = reserve(lib, who, 1);
    if (st) return st;
    sl__feat f = {0};
    f.type = SL__F_EXP;
    f.i = i;
    f.j = j;
    f.k = k;
    f.degree = k >= 0;
    if ((st = commit(lib, who, &f))) sl__feat_free(lib->ctx, &f);
    return st;
}

sl_status sl_features_add_function(sl_features *lib, const char *name, sl_feature_fn fn, void *user)
{
    const char *who = "sl_features_add_function";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    if (!name || !fn) return sl__fail(lib->ctx, SL_ERR_NULL, "%s: %s is NULL", who, name ? "fn" : "name");
    size_t len = strlen(name);
    if (len < 1 || len > 63) return sl__fail(lib->ctx, SL_ERR_ARG, "%s: name of %zu characters (1..63)", who, len);
    for (const char *c = name; *c; ++c)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f || *c == ',')
            return sl__fail(lib->ctx, SL_ERR_ARG, "%s: the name holds a comma or a non-printable character", who);
    sl_status st = reserve(lib, who, 1);
    if (st) return st;
    sl__feat f = {0};
    f.type = SL__F_USER;
    f.fn = fn;
    f.user = user;
    f.name = sl__alloc(lib->ctx, len + 1, 0, who);
    if (!f.name) return SL_ERR_NOMEM;
    memcpy(f.name, name, len + 1);
    return commit(lib, who, &f);
}

int64_t sl_features_count(const sl_features *lib) { return lib ? lib->K : 0; }
int64_t sl_features_dim(const sl_features *lib) { return lib ? lib->d : 0; }

const char *sl_features_name(const sl_features *lib, int64_t k)
{
    return lib && k >= 0 && k < lib->K ? lib->f[k].name : NULL;
}

int sl_features_degree(const sl_features *lib, int64_t k)
{
    return lib && k >= 0 && k < lib->K ? lib->f[k].degree : -1000;
}

/* ---- evaluation ------------------------------------------------------------------- */
static double ipow(double x, int a)
{
    double r = 1;
    for (int i = 0; i < a; ++i) r *= x;
    return r;
}

static int eval1(const sl_features *lib, const sl__feat *f, const double *x, double *v, double *g)
{
    int64_t d = lib->d;
    if (g) memset(g, 0, sizeof(double) * (size_t)d);
    switch (f->type) {
    case SL__F_MONO: {
        double val = 1;
        for (int64_t i = 0; i < d; ++i) val *= ipow(x[i], f->pow[i]);
        *v = val;
        if (g)
            for (int64_t i = 0; i < d; ++i) {
                if (!f->pow[i]) continue;
                double gi = f->pow[i] * ipow(x[i], f->pow[i] - 1);
                for (int64_t j = 0; j < d; ++j)
                    if (j != i) gi *= ipow(x[j], f->pow[j]);
                g[i] = gi;
            }
        return 0;
    }
    case SL__F_INV_R: case SL__F_X_OVER_R: case SL__F_R: {
        double r2 = 0;
        for (int a = 0; a < f->nv; ++a) r2 += x[f->vars[a]] * x[f->vars[a]];
        double r = sqrt(r2);
        if (f->type == SL__F_INV_R) {
            *v = 1 / r;   /* d(1/r)/dx_a = -x_a / r^3 */
            if (g)
                for (int a = 0; a < f->nv; ++a) g[f->vars[a]] = -x[f->vars[a]] / (r2 * r);
        } else if (f->type == SL__F_R) {
            *v = r;
            if (g)
                for (int a = 0; a < f->nv; ++a) g[f->vars[a]] = x[f->vars[a]] / r;
        } else {
            *v = x[f->i] / r;   /* d(x_i/r)/dx_a = delta_ia / r - x_i x_a / r^3 */
            if (g) {
                for (int a = 0; a < f->nv; ++a) g[f->vars[a]] = -x[f->i] * x[f->vars[a]] / (r2 * r);
                g[f->i] += 1 / r;
            }
        }
        return 0;
    }
    case SL__F_EXP: {
        double e = exp(x[f->i] - x[f->j]), m = f->k >= 0 ? x[f->k] : 1;
        *v = e * m;
        if (g) {
            g[f->i] += e * m;
            g[f->j] -= e * m;
            if (f->k >= 0) g[f->k] += e;
        }
        return 0;
    }
    case SL__F_EXPR: return sl__expr_eval(f, x, v, g);
    default: return f->fn(f->user, x, d, v, g);
    }
}

sl_status sl__features_eval(const sl_features *lib, const char *who, int64_t m, const double *x, double *values,
                            double *grads)
{
    int64_t K = lib->K, d = lib->d;
    for (int64_t n = 0; n < m; ++n)
        for (int64_t k = 0; k < K; ++k) {
            double *v = values + n * K + k, *g = grads ? grads + (n * K + k) * d : NULL;
            int rc = eval1(lib, &lib->f[k], x + n * d, v, g);
            if (rc) return sl__fail(lib->ctx, SL_ERR_NUMERIC, "%s: feature %lld '%s' returned %d at point %lld", who,
                                    (long long)k, lib->f[k].name, rc, (long long)n);
            if (!isfinite(*v) || (g && sl__first_nonfinite(g, (size_t)d) >= 0))
                return sl__fail(lib->ctx, SL_ERR_NONFINITE, "%s: feature %lld '%s' is not finite at point %lld (value %g)", who,
                                (long long)k, lib->f[k].name, (long long)n, *v);
        }
    return SL_OK;
}

sl_status sl_features_eval(const sl_features *lib, int64_t m, const double *x, double *values, double *grads)
{
    const char *who = "sl_features_eval";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    sl_ctx *ctx = lib->ctx;
    if (!x || !values) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, x ? "values" : "x");
    if (m < 1 || m > ((int64_t)1 << 30)) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    if (lib->K == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: the library has no features", who);
    int64_t f[3] = {m, lib->K, grads ? lib->d : 1}, nv, ng, nx;
    sl_status st = sl__product(ctx, SL_ERR_ARG, who, "m x K x d", 3, f, &ng);
    if (st) return st;
    nv = m * lib->K;
    if (!sl__mul_ok(m, lib->d, &nx)) return sl__fail(ctx, SL_ERR_ARG, "%s: m x d is too large", who);
    int64_t bad = sl__first_nonfinite(x, (size_t)nx);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g (not finite)", who, (long long)bad, x[bad]);
    double *tv = sl__alloc(ctx, sizeof(double) * (size_t)(nv + (grads ? ng : 0)), 0, who);
    if (!tv) return SL_ERR_NOMEM;
    st = sl__features_eval(lib, who, m, x, tv, grads ? tv + nv : NULL);
    if (!st) {
        memcpy(values, tv, sizeof(double) * (size_t)nv);
        if (grads) memcpy(grads, tv + nv, sizeof(double) * (size_t)ng);
    }
    sl__free(ctx, tv);
    return st;
}
