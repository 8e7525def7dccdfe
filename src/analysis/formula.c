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
    case SL__F_EXPR: {
        char tmp[1024];
        int top = sl__expr_render(lib, f, style, tmp, sizeof tmp);
        if (style == SL_FORMULA_TEXT) snprintf(tmp, sizeof tmp, "%s", f->name);   /* the user's text */
        /* a factor of a term: parenthesise sums and negations */
        if (top == 1 || top == 3) app(buf, cap, style == SL_FORMULA_LATEX ? "\\left(%s\\right)" : "(%s)", tmp);
        else app(buf, cap, "%s", tmp);
        return;
    }
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

/* ---- C style -> Fortran / SymPy (sl_formula_convert) --------------------------------
 * A rewriting of tokens: names are copied (a ' becomes _p for SymPy),
 * numbers get a double precision exponent for Fortran (0.5 -> 0.5d0,
 * 1e-05 -> 1d-05), pow(a, n) becomes (a)**n, everything else is copied.
 * The output goes through a bounded writer that counts what it would have
 * written. */
typedef struct {
    char *buf;
    int64_t cap, len, line;   /* line: characters since the last line break (Fortran) */
} cv_out;

static void cv_put(cv_out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (o->len + 1 < o->cap) o->buf[o->len] = s[i];
        o->len++;
        o->line = s[i] == '\n' ? 0 : o->line + 1;
    }
}

static int cv_isname0(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int cv_isname(int c) { return cv_isname0(c) || (c >= '0' && c <= '9') || c == '\''; }
static int cv_isdigit(int c) { return c >= '0' && c <= '9'; }

/* The end of the parenthesised group that starts at s[i] == '(' (the index
 * of its ')'), or -1. */
static int64_t cv_close(const char *s, int64_t i, int64_t end)
{
    int depth = 0;
    for (; i < end; ++i) {
        if (s[i] == '(') depth++;
        else if (s[i] == ')' && --depth == 0) return i;
    }
    return -1;
}

static int cv_range(cv_out *o, const char *s, int64_t i, int64_t end, int style, int depth)
{
    if (depth > 200) return -1;
    while (i < end) {
        char c = s[i];
        if (cv_isname0((unsigned char)c)) {
            int64_t j = i;
            while (j < end && cv_isname((unsigned char)s[j])) ++j;
            int64_t k = j;
            while (k < end && s[k] == ' ') ++k;
            if (j - i == 3 && !strncmp(s + i, "pow", 3) && k < end && s[k] == '(') {
                int64_t close = cv_close(s, k, end), comma = -1, dd = 0;
                if (close < 0) return -1;
                for (int64_t a = k + 1; a < close && comma < 0; ++a) {
                    if (s[a] == '(') dd++;
                    else if (s[a] == ')') dd--;
                    else if (s[a] == ',' && dd == 0) comma = a;
                }
                if (comma < 0) return -1;
                int64_t e0 = comma + 1;
                while (e0 < close && s[e0] == ' ') ++e0;
                cv_put(o, "(", 1);
                if (cv_range(o, s, k + 1, comma, style, depth + 1)) return -1;
                cv_put(o, ")**", 3);
                /* the exponent: an integer, kept as an integer in both styles */
                int neg = e0 < close && s[e0] == '-';
                if (neg) cv_put(o, "(", 1);
                cv_put(o, s + e0, (size_t)(close - e0));
                if (neg) cv_put(o, ")", 1);
                i = close + 1;
                continue;
            }
            for (int64_t a = i; a < j; ++a) {
                if (s[a] == '\'' && style == SL_FORMULA_SYMPY) cv_put(o, "_p", 2);
                else cv_put(o, s + a, 1);
            }
            i = j;
        } else if (cv_isdigit((unsigned char)c) || (c == '.' && i + 1 < end && cv_isdigit((unsigned char)s[i + 1]))) {
            int64_t j = i, expo = -1;
            while (j < end && (cv_isdigit((unsigned char)s[j]) || s[j] == '.')) ++j;
            if (j < end && (s[j] == 'e' || s[j] == 'E') &&
                ((j + 1 < end && cv_isdigit((unsigned char)s[j + 1])) ||
                 (j + 2 < end && (s[j + 1] == '+' || s[j + 1] == '-') && cv_isdigit((unsigned char)s[j + 2])))) {
                expo = j;
                j += 2;
                while (j < end && cv_isdigit((unsigned char)s[j])) ++j;
            }
            if (style == SL_FORMULA_FORTRAN) {
                cv_put(o, s + i, (size_t)((expo >= 0 ? expo : j) - i));
                if (expo >= 0) {
                    cv_put(o, "d", 1);
                    cv_put(o, s + expo + 1, (size_t)(j - expo - 1));
                } else cv_put(o, "d0", 2);
            } else cv_put(o, s + i, (size_t)(j - i));
            i = j;
        } else if (c == ' ' && style == SL_FORMULA_FORTRAN && o->line > 100 && i + 1 < end &&
                   (s[i + 1] == '+' || s[i + 1] == '-')) {
            cv_put(o, " &\n    ", 7);   /* free-form lines hold at most 132 characters */
            ++i;
        } else {
            cv_put(o, s + i, 1);
            ++i;
        }
    }
    return 0;
}

int64_t sl_formula_convert(const char *c_formula, int style, char *buf, int64_t cap)
{
    if (!c_formula || style < SL_FORMULA_TEXT || style > SL_FORMULA_SYMPY || style == SL_FORMULA_TEXT ||
        style == SL_FORMULA_LATEX || cap < 0 || (cap > 0 && !buf))
        return -1;
    int64_t n = (int64_t)strlen(c_formula), depth = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (c_formula[i] == '(') depth++;
        else if (c_formula[i] == ')' && --depth < 0) return -1;
    }
    if (depth) return -1;
    cv_out o = {buf, cap, 0, 0};
    int rc = style == SL_FORMULA_C ? (cv_put(&o, c_formula, (size_t)n), 0) : cv_range(&o, c_formula, 0, n, style, 0);
    if (cap > 0) buf[o.len < cap ? o.len : cap - 1] = 0;
    return rc ? -1 : o.len;
}

char *sl__formula_convert_alloc(sl_ctx *ctx, const char *c_formula, int style, const char *who)
{
    int64_t n = sl_formula_convert(c_formula, style, NULL, 0);
    if (n < 0) n = 0;
    char *p = sl__alloc(ctx, (size_t)n + 1, 0, who);
    if (!p) return NULL;
    if (sl_formula_convert(c_formula, style, p, n + 1) < 0) p[0] = 0;
    return p;
}
