/* Formula strings: feature terms and linear combinations in plain text, C
 * and LaTeX (regression.h, SL_FORMULA_*). */
#include "regression_internal.h"

#include <math.h>
#include <stdio.h>

void sl__str_put(sl__str *s, const char *fmt, ...)
{
    if (s->bad) return;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    size_t n = (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n + 1) cap *= 2;
        char *p = sl__alloc(s->ctx, cap, 0, "formula");
        if (!p) {
            s->bad = 1;
            return;
        }
        if (s->len) memcpy(p, s->p, s->len);
        sl__free(s->ctx, s->p);
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, tmp, n);
    s->len += n;
    s->p[s->len] = 0;
}

char *sl__str_take(sl__str *s)
{
    if (s->bad) {
        sl__free(s->ctx, s->p);
        return NULL;
    }
    if (!s->p) sl__str_put(s, "%s", "");
    if (s->bad) return NULL;
    char *p = s->p;
    s->p = NULL;
    s->len = s->cap = 0;
    return p;
}

/* append to a fixed buffer */
static void app(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void app(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

static void radius(const sl_features *lib, const sl__feat *f, int style, char *buf, size_t cap)
{
    if (style != SL_FORMULA_C) {
        app(buf, cap, "r");
        return;
    }
    app(buf, cap, "sqrt(");
    for (int a = 0; a < f->nv; ++a) {
        const char *v = lib->vname[f->vars[a]];
        app(buf, cap, "%s%s*%s", a ? " + " : "", v, v);
    }
    app(buf, cap, ")");
}

void sl__feature_term(const sl_features *lib, int64_t k, int style, char *buf, size_t cap)
{
    const sl__feat *f = &lib->f[k];
    buf[0] = 0;
    switch (f->type) {
    case SL__F_MONO: {
        if (f->degree == 0) {
            app(buf, cap, "1");
            return;
        }
        int first = 1;
        for (int64_t i = 0; i < lib->d; ++i) {
            int a = f->pow[i];
            if (!a) continue;
            const char *v = lib->vname[i];
            if (style == SL_FORMULA_C) {
                for (int t = 0; t < a; ++t) app(buf, cap, "%s%s", first && t == 0 ? "" : "*", v);
            } else {
                app(buf, cap, "%s%s", first ? "" : " ", v);
                if (a > 1) app(buf, cap, style == SL_FORMULA_LATEX ? "^{%d}" : "^%d", a);
            }
            first = 0;
        }
        return;
    }
    case SL__F_INV_R:
        if (style == SL_FORMULA_LATEX) app(buf, cap, "\\frac{1}{r}");
        else {
            app(buf, cap, "1/");
            radius(lib, f, style, buf, cap);
        }
        return;
    case SL__F_X_OVER_R:
        if (style == SL_FORMULA_LATEX) app(buf, cap, "\\frac{%s}{r}", lib->vname[f->i]);
        else {
            app(buf, cap, "%s/", lib->vname[f->i]);
            radius(lib, f, style, buf, cap);
        }
        return;
    case SL__F_R: radius(lib, f, style, buf, cap); return;
    case SL__F_EXP:
        if (style == SL_FORMULA_LATEX) app(buf, cap, "e^{%s - %s}", lib->vname[f->i], lib->vname[f->j]);
        else app(buf, cap, "exp(%s - %s)", lib->vname[f->i], lib->vname[f->j]);
        if (f->k >= 0) app(buf, cap, "%s%s", style == SL_FORMULA_C ? "*" : " ", lib->vname[f->k]);
        return;
    default: app(buf, cap, "%s", f->name); return;
    }
}

void sl__formula_sum(sl__str *s, int64_t T, const double *coef, const char *const *terms, int style)
{
    double cmax = 0;
    for (int64_t k = 0; k < T; ++k)
        if (terms[k]) cmax = fmax(cmax, fabs(coef[k]));
    int first = 1;
    for (int64_t k = 0; k < T; ++k) {
        if (!terms[k] || !(fabs(coef[k]) > 1e-12 * cmax)) continue;
        double c = coef[k], a = fabs(c);
        if (first) sl__str_put(s, "%s", c < 0 ? "-" : "");
        else sl__str_put(s, " %s ", c < 0 ? "-" : "+");
        first = 0;
        int one = strcmp(terms[k], "1") == 0;
        if (one) sl__str_put(s, "%.6g", a);
        else if (fabs(a - 1) <= 1e-9) sl__str_put(s, "%s", terms[k]);
        else sl__str_put(s, "%.6g%s%s", a, style == SL_FORMULA_C ? "*" : " ", terms[k]);
    }
    if (first) sl__str_put(s, "0");
}
