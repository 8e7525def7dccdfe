/* Feature libraries as text (sl_features_add_text, regression.h): a small
 * expression language compiled to a postfix program, evaluated with its
 * exact gradient in forward mode over the variables it uses, and rendered
 * back in the formula styles. */
#include "regression_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SRC_MAX 255
#define TOK_MAX 256
#define DEPTH_MAX 32
#define POW_MAX 16

enum { T_END, T_NAME, T_NUM, T_OP, T_POW };   /* T_OP: one of + - * / ^ ( ) */

typedef struct {
    int type, col;       /* col: 1-based column of its first character */
    const char *s;
    int len;
    double num;
    char op;
} tok;

typedef struct {
    const sl_features *lib;
    tok t[TOK_MAX + 1];
    int nt, pos, depth;
    sl__instr prog[2 * TOK_MAX];
    int np, sp, maxsp;
    int uv[TOK_MAX], nu;   /* global indices of the variables used */
    char err[200];
    int errcol;
} parser;

static void perr(parser *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(parser *p, int col, const char *fmt, ...)
{
    if (p->err[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    p->errcol = col;
}

static int isname0(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int isname(int c) { return isname0(c) || (c >= '0' && c <= '9') || c == '\''; }

/* Tokenise the feature s[0..n) whose first character is in column col0. */
static void lex(parser *p, const char *s, int n, int col0)
{
    int i = 0;
    p->nt = 0;
    while (i < n && !p->err[0]) {
        unsigned char c = (unsigned char)s[i];
        int col = col0 + i;
        if (c == ' ' || c == '\t' || c == '\r') { ++i; continue; }
        if (p->nt >= TOK_MAX) {
            perr(p, col, "more than %d tokens in one feature", TOK_MAX);
            return;
        }
        tok *t = &p->t[p->nt];
        t->col = col;
        t->s = s + i;
        if (isname0(c)) {
            int j = i;
            while (j < n && isname((unsigned char)s[j])) ++j;
            t->type = T_NAME;
            t->len = j - i;
            i = j;
        } else if ((c >= '0' && c <= '9') || c == '.') {
            char buf[64];
            int j = i;
            while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
            if (j < n && (s[j] == 'e' || s[j] == 'E')) {
                int k = j + 1;
                if (k < n && (s[k] == '+' || s[k] == '-')) ++k;
                if (k < n && s[k] >= '0' && s[k] <= '9') {
                    j = k;
                    while (j < n && s[j] >= '0' && s[j] <= '9') ++j;
                }
            }
            if (j - i >= (int)sizeof buf) {
                perr(p, col, "a number of %d characters", j - i);
                return;
            }
            memcpy(buf, s + i, (size_t)(j - i));
            buf[j - i] = 0;
            char *end;
            double v = strtod(buf, &end);
            if (*end || !isfinite(v)) {
                perr(p, col, "'%s' is not a number", buf);
                return;
            }
            t->type = T_NUM;
            t->num = v;
            t->len = j - i;
            i = j;
        } else if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            t->type = T_POW;
            t->len = 2;
            i += 2;
        } else if (strchr("+-*/^()", c) && c) {
            t->type = T_OP;
            t->op = (char)c;
            t->len = 1;
            ++i;
        } else {
            if (c >= 0x20 && c < 0x7f) perr(p, col, "character '%c' is not allowed", c);
            else perr(p, col, "byte 0x%02x is not allowed (ASCII only)", c);
            return;
        }
        p->nt++;
    }
    p->t[p->nt].type = T_END;
    p->t[p->nt].col = col0 + n;
}

static void emit(parser *p, int op, int arg, double val, int push)
{
    if (p->np >= (int)(sizeof p->prog / sizeof p->prog[0])) {
        perr(p, p->t[p->pos].col, "the feature is too long");
        return;
    }
    p->prog[p->np++] = (sl__instr){op, arg, val};
    p->sp += push;
    if (p->sp > p->maxsp) p->maxsp = p->sp;
}

static int is_op(const tok *t, char c) { return t->type == T_OP && t->op == c; }
static void expr(parser *p);

static const char *const FUNCS[] = {"sin", "cos", "exp", "log", "sqrt"};
static const int FOPS[] = {SL__X_SIN, SL__X_COS, SL__X_EXP, SL__X_LOG, SL__X_SQRT};

static void atom(parser *p)
{
    tok *t = &p->t[p->pos];
    if (t->type == T_NUM) {
        emit(p, SL__X_CONST, 0, t->num, 1);
        p->pos++;
    } else if (t->type == T_NAME) {
        p->pos++;
        if (is_op(&p->t[p->pos], '(')) {
            int f = -1;
            for (int a = 0; a < 5; ++a)
                if ((int)strlen(FUNCS[a]) == t->len && !strncmp(FUNCS[a], t->s, (size_t)t->len)) f = a;
            if (f < 0) {
                perr(p, t->col, "unknown function '%.*s' (sin, cos, exp, log, sqrt)", t->len, t->s);
                return;
            }
            p->pos++;
            if (++p->depth > DEPTH_MAX) {
                perr(p, t->col, "nesting deeper than %d", DEPTH_MAX);
                return;
            }
            expr(p);
            p->depth--;
            if (p->err[0]) return;
            if (!is_op(&p->t[p->pos], ')')) {
                perr(p, p->t[p->pos].col, "missing ')' after the argument of %s (opened at column %d)", FUNCS[f], t->col + t->len);
                return;
            }
            p->pos++;
            emit(p, FOPS[f], 0, 0, 0);
            return;
        }
        int v = -1;
        for (int64_t i = 0; i < p->lib->d && v < 0; ++i)
            if ((int)strlen(p->lib->vname[i]) == t->len && !strncmp(p->lib->vname[i], t->s, (size_t)t->len)) v = (int)i;
        if (v < 0) {
            char list[80] = "";
            for (int64_t i = 0; i < p->lib->d && strlen(list) < 60; ++i)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? " " : "", p->lib->vname[i]);
            perr(p, t->col, "unknown variable '%.*s' (the variables: %s%s)", t->len, t->s, list, strlen(list) >= 60 ? " ..." : "");
            return;
        }
        int u = -1;
        for (int a = 0; a < p->nu; ++a)
            if (p->uv[a] == v) u = a;
        if (u < 0) {
            u = p->nu;
            p->uv[p->nu++] = v;
        }
        emit(p, SL__X_VAR, u, 0, 1);
    } else if (is_op(t, '(')) {
        p->pos++;
        if (++p->depth > DEPTH_MAX) {
            perr(p, t->col, "nesting deeper than %d", DEPTH_MAX);
            return;
        }
        expr(p);
        p->depth--;
        if (p->err[0]) return;
        if (!is_op(&p->t[p->pos], ')')) {
            perr(p, p->t[p->pos].col, "missing ')' (opened at column %d)", t->col);
            return;
        }
        p->pos++;
    } else if (t->type == T_END) {
        perr(p, t->col, "the feature ends where a variable, number or '(' was expected");
    } else {
        perr(p, t->col, "'%.*s' where a variable, number or '(' was expected", t->len, t->s);
    }
}

static void power(parser *p)
{
    atom(p);
    if (p->err[0]) return;
    tok *t = &p->t[p->pos];
    if (!is_op(t, '^') && t->type != T_POW) return;
    p->pos++;
    int neg = 0;
    if (is_op(&p->t[p->pos], '-')) {
        neg = 1;
        p->pos++;
    }
    tok *e = &p->t[p->pos];
    if (e->type != T_NUM || e->num != floor(e->num)) {
        perr(p, e->col, "the power after '%.*s' must be an integer", t->len, t->s);
        return;
    }
    if (e->num > POW_MAX) {
        perr(p, e->col, "power %g is too large (|power| <= %d)", neg ? -e->num : e->num, POW_MAX);
        return;
    }
    p->pos++;
    emit(p, SL__X_POWI, neg ? -(int)e->num : (int)e->num, 0, 0);
    if (is_op(&p->t[p->pos], '^') || p->t[p->pos].type == T_POW)
        perr(p, p->t[p->pos].col, "a power of a power: write (a^m)^n");
}

static void unary(parser *p)
{
    if (is_op(&p->t[p->pos], '-')) {
        p->pos++;
        power(p);
        emit(p, SL__X_NEG, 0, 0, 0);
    } else power(p);
}

static int starts_atom(const tok *t) { return t->type == T_NAME || t->type == T_NUM || is_op(t, '('); }

static void term(parser *p)
{
    unary(p);
    while (!p->err[0]) {
        tok *t = &p->t[p->pos];
        if (is_op(t, '*') || is_op(t, '/')) {
            p->pos++;
            unary(p);
            emit(p, t->op == '*' ? SL__X_MUL : SL__X_DIV, 0, 0, -1);
        } else if (starts_atom(t)) {   /* juxtaposition */
            unary(p);
            emit(p, SL__X_MUL, 0, 0, -1);
        } else return;
    }
}

static void expr(parser *p)
{
    term(p);
    while (!p->err[0]) {
        tok *t = &p->t[p->pos];
        if (!is_op(t, '+') && !is_op(t, '-')) return;
        p->pos++;
        term(p);
        emit(p, t->op == '+' ? SL__X_ADD : SL__X_SUB, 0, 0, -1);
    }
}

/* Parse one feature: 0 and *f filled (allocations made), or 1 with p->err. */
static int parse_one(parser *p, const char *s, int n, int col0, sl__feat *f, const char *who)
{
    p->np = p->sp = p->maxsp = p->nu = p->pos = p->depth = 0;
    p->err[0] = 0;
    if (n > SRC_MAX) {
        perr(p, col0, "a feature of %d characters (at most %d)", n, SRC_MAX);
        return 1;
    }
    lex(p, s, n, col0);
    if (!p->err[0]) expr(p);
    if (!p->err[0] && p->t[p->pos].type != T_END) {
        tok *t = &p->t[p->pos];
        perr(p, t->col, is_op(t, ')') ? "')' without a matching '('" : "unexpected '%.*s'", t->len, t->s);
    }
    if (p->err[0]) return 1;
    /* degree: the total power of a pure monomial (constants allowed), else 0 */
    int dstack[2 * TOK_MAX], ds = 0, mono = 1;
    for (int a = 0; a < p->np; ++a) {
        sl__instr *in = &p->prog[a];
        switch (in->op) {
        case SL__X_VAR: dstack[ds++] = 1; break;
        case SL__X_CONST: dstack[ds++] = 0; break;
        case SL__X_MUL: ds--; dstack[ds - 1] += dstack[ds]; break;
        case SL__X_POWI: if (in->arg < 0) mono = 0; dstack[ds - 1] *= in->arg; break;
        case SL__X_NEG: break;
        case SL__X_ADD: case SL__X_SUB: case SL__X_DIV: ds--; mono = 0; break;
        default: mono = 0;
        }
    }
    memset(f, 0, sizeof *f);
    f->type = SL__F_EXPR;
    f->degree = mono ? dstack[0] : 0;
    f->nprog = p->np;
    f->maxsp = p->maxsp;
    f->nv = p->nu;
    sl_ctx *ctx = p->lib->ctx;
    f->prog = sl__alloc(ctx, sizeof(sl__instr) * (size_t)p->np, 0, who);
    f->vars = sl__alloc(ctx, sizeof(int) * (size_t)(p->nu ? p->nu : 1), 0, who);
    f->scratch = sl__alloc(ctx, sizeof(double) * (size_t)(p->maxsp * (1 + p->nu)), 0, who);
    f->name = sl__alloc(ctx, (size_t)n + 1, 0, who);
    if (!f->prog || !f->vars || !f->scratch || !f->name) return -1;
    memcpy(f->prog, p->prog, sizeof(sl__instr) * (size_t)p->np);
    memcpy(f->vars, p->uv, sizeof(int) * (size_t)p->nu);
    /* the name: the text without surrounding blanks */
    int a = 0, b = n;
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
    memcpy(f->name, s + a, (size_t)(b - a));
    f->name[b - a] = 0;
    return 0;
}

static sl_status add_text(sl_features *lib, const char *who, const char *text, const char *path)
{
    sl_ctx *ctx = lib->ctx;
    parser *p = sl__alloc(ctx, sizeof *p, 1, who);
    if (!p) return SL_ERR_NOMEM;
    p->lib = lib;
    /* count the features first so that reserve cannot fail half-way */
    int64_t K0 = lib->K, nerr = 0;
    char msg[SL_ERRMSG_LEN - 64] = "";
    sl_status st = SL_OK;
    int line = 1, trunc = 0;
    const char *ls = text;
    while (!st && *ls) {
        const char *le = ls;
        while (*le && *le != '\n') ++le;
        const char *hash = memchr(ls, '#', (size_t)(le - ls));
        const char *ce = hash ? hash : le;
        const char *fs = ls;
        while (fs <= ce && !st) {
            const char *fe = fs;
            while (fe < ce && *fe != ';') ++fe;
            int blank = 1;
            for (const char *c = fs; c < fe; ++c)
                if (*c != ' ' && *c != '\t' && *c != '\r') blank = 0;
            if (!blank) {
                sl__feat f;
                int rc = parse_one(p, fs, (int)(fe - fs), (int)(fs - ls) + 1, &f, who);
                if (rc == 0) {
                    for (int64_t k = 0; k < lib->K && !rc; ++k)
                        if (lib->f[k].name && !strcmp(lib->f[k].name, f.name)) {
                            snprintf(p->err, sizeof p->err, "feature '%s' is already in the library", f.name);
                            p->errcol = (int)(fs - ls) + 1;
                            rc = 1;
                        }
                    if (rc) sl__feat_free(ctx, &f);
                }
                if (rc < 0) {
                    sl__feat_free(ctx, &f);
                    st = SL_ERR_NOMEM;
                } else if (rc > 0) {
                    char one[300];
                    snprintf(one, sizeof one, "%sline %d, column %d: %s", nerr ? "; " : "", line, p->errcol, p->err);
                    size_t len = strlen(msg), add = strlen(one);
                    if (!trunc && len + add + 8 < sizeof msg) memcpy(msg + len, one, add + 1);
                    else trunc = 1;
                    nerr++;
                } else if ((st = sl__features_append(lib, who, &f))) sl__feat_free(ctx, &f);
            }
            fs = fe + 1;
        }
        ls = *le ? le + 1 : le;
        line++;
    }
    sl__free(ctx, p);
    if (!st && nerr) {
        if (trunc) strcat(msg, "; ...");
        st = sl__fail(ctx, SL_ERR_ARG, "%s: %s%s%lld error%s: %s", who, path ? path : "", path ? ": " : "", (long long)nerr,
                      nerr > 1 ? "s" : "", msg);
    }
    if (st) {
        char keep[SL_ERRMSG_LEN];
        snprintf(keep, sizeof keep, "%s", sl_ctx_errmsg(ctx));
        while (lib->K > K0) sl__feat_free(ctx, &lib->f[--lib->K]);
        if (st == SL_ERR_NOMEM) sl__fail(ctx, st, "%s: out of memory", who);
        else sl__fail(ctx, st, "%s", keep);
    }
    return st;
}

sl_status sl_features_add_text(sl_features *lib, const char *text)
{
    const char *who = "sl_features_add_text";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    if (!text) return sl__fail(lib->ctx, SL_ERR_NULL, "%s: text is NULL", who);
    return add_text(lib, who, text, NULL);
}

sl_status sl_features_add_file(sl_features *lib, const char *path)
{
    const char *who = "sl_features_add_file";
    if (!lib) return sl__fail(NULL, SL_ERR_NULL, "%s: lib is NULL", who);
    if (!path) return sl__fail(lib->ctx, SL_ERR_NULL, "%s: path is NULL", who);
    sl_ctx *ctx = lib->ctx;
    FILE *fp = fopen(path, "rb");
    if (!fp) return sl__fail(ctx, SL_ERR_IO, "%s: cannot open '%s'", who, path);
    const size_t cap = (size_t)1 << 20;
    char *buf = sl__alloc(ctx, cap + 2, 0, who);
    if (!buf) {
        fclose(fp);
        return SL_ERR_NOMEM;
    }
    size_t n = fread(buf, 1, cap + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    sl_status st;
    if (bad) st = sl__fail(ctx, SL_ERR_IO, "%s: reading '%s' failed", who, path);
    else if (n > cap) st = sl__fail(ctx, SL_ERR_IO, "%s: '%s' is larger than 1 MiB", who, path);
    else if (memchr(buf, 0, n)) st = sl__fail(ctx, SL_ERR_ARG, "%s: '%s' holds a NUL byte (not a text file)", who, path);
    else {
        buf[n] = 0;
        st = add_text(lib, who, buf, path);
    }
    sl__free(ctx, buf);
    return st;
}

/* ---- evaluation: forward mode over the used variables ------------------------------- */
int sl__expr_eval(const sl__feat *f, const double *x, double *v, double *g)
{
    int nu = f->nv, w = 1 + nu, sp = 0, grad = g != NULL;
    double *s = f->scratch;
    for (int a = 0; a < f->nprog; ++a) {
        const sl__instr *in = &f->prog[a];
        double *A = s + (sp - 1) * w, *B = s + (sp - 2) * w;   /* top, below */
        switch (in->op) {
        case SL__X_VAR:
            A = s + sp * w;
            A[0] = x[f->vars[in->arg]];
            if (grad) { for (int u = 0; u < nu; ++u) A[1 + u] = 0; A[1 + in->arg] = 1; }
            sp++;
            break;
        case SL__X_CONST:
            A = s + sp * w;
            A[0] = in->val;
            if (grad) for (int u = 0; u < nu; ++u) A[1 + u] = 0;
            sp++;
            break;
        case SL__X_ADD: case SL__X_SUB: {
            double sg = in->op == SL__X_ADD ? 1 : -1;
            B[0] += sg * A[0];
            if (grad) for (int u = 1; u < w; ++u) B[u] += sg * A[u];
            sp--;
            break;
        }
        case SL__X_MUL:
            if (grad) for (int u = 1; u < w; ++u) B[u] = B[u] * A[0] + B[0] * A[u];
            B[0] *= A[0];
            sp--;
            break;
        case SL__X_DIV: {
            double q = B[0] / A[0];
            if (grad) for (int u = 1; u < w; ++u) B[u] = (B[u] - q * A[u]) / A[0];
            B[0] = q;
            sp--;
            break;
        }
        case SL__X_NEG:
            for (int u = 0; u < (grad ? w : 1); ++u) A[u] = -A[u];
            break;
        default: {
            double a0 = A[0], val, der;
            switch (in->op) {
            case SL__X_POWI: {
                int n = in->arg, an = n < 0 ? -n : n;
                double pw = 1;
                for (int i = 0; i < an - 1; ++i) pw *= a0;   /* a^(|n|-1) */
                if (n == 0) { val = 1; der = 0; }
                else if (n > 0) { val = pw * a0; der = n * pw; }
                else { val = 1 / (pw * a0); der = n * val / a0; }
                break;
            }
            case SL__X_SIN: val = sin(a0); der = cos(a0); break;
            case SL__X_COS: val = cos(a0); der = -sin(a0); break;
            case SL__X_EXP: val = exp(a0); der = val; break;
            case SL__X_LOG: val = log(a0); der = 1 / a0; break;
            default: val = sqrt(a0); der = 0.5 / val; break;
            }
            A[0] = val;
            if (grad) for (int u = 1; u < w; ++u) A[u] *= der;
        }
        }
    }
    *v = s[0];
    if (grad) for (int u = 0; u < nu; ++u) g[f->vars[u]] += s[1 + u];
    return 0;
}

/* ---- rendering --------------------------------------------------------------------- */
enum { P_SUM = 1, P_PROD = 2, P_NEG = 3, P_POW = 4, P_ATOM = 5 };
#define RCAP 1024

/* a bounded write into a RCAP buffer (truncation is harmless: names are short) */
static void rput(char *dst, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rput(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, RCAP, fmt, ap);
    va_end(ap);
}

static void wrap(char *dst, const char *a, int par, int style)
{
    if (!par) rput(dst, "%s", a);
    else rput(dst, style == SL_FORMULA_LATEX ? "\\left(%s\\right)" : "(%s)", a);
}

int sl__expr_render(const sl_features *lib, const sl__feat *f, int style, char *buf, size_t cap)
{
    char (*st)[RCAP] = sl__alloc(lib->ctx, sizeof *st * (size_t)f->maxsp, 0, "sl_features");
    int *pr = sl__alloc(lib->ctx, sizeof(int) * (size_t)(f->maxsp + 2), 0, "sl_features");
    if (!st || !pr) {
        sl__free(lib->ctx, st);
        sl__free(lib->ctx, pr);
        snprintf(buf, cap, "%s", "?");
        return P_ATOM;
    }
    char tmp[RCAP], tmp2[RCAP];
    int sp = 0;
    static const char *fn[3][5] = {{"sin", "cos", "exp", "log", "sqrt"}, {"sin", "cos", "exp", "log", "sqrt"},
                                   {"\\sin", "\\cos", "e^", "\\log", "\\sqrt"}};
    for (int a = 0; a < f->nprog; ++a) {
        const sl__instr *in = &f->prog[a];
        char *A = st[sp - 1], *B = sp >= 2 ? st[sp - 2] : NULL;
        switch (in->op) {
        case SL__X_VAR: rput(st[sp], "%s", lib->vname[f->vars[in->arg]]); pr[sp++] = P_ATOM; break;
        case SL__X_CONST: rput(st[sp], "%.15g", in->val); pr[sp++] = P_ATOM; break;
        case SL__X_ADD: case SL__X_SUB:
            wrap(tmp, A, in->op == SL__X_SUB ? pr[sp - 1] <= P_NEG : pr[sp - 1] == P_NEG, style);
            rput(tmp2, "%s %c %s", B, in->op == SL__X_ADD ? '+' : '-', tmp);
            rput(B, "%s", tmp2);
            pr[sp - 2] = P_SUM;
            sp--;
            break;
        case SL__X_MUL:
            wrap(tmp, A, pr[sp - 1] <= P_NEG, style);
            wrap(tmp2, B, pr[sp - 2] == P_SUM, style);
            rput(B, "%s%s%s", tmp2, style == SL_FORMULA_C ? "*" : " ", tmp);
            pr[sp - 2] = P_PROD;
            sp--;
            break;
        case SL__X_DIV:
            if (style == SL_FORMULA_LATEX) {
                rput(tmp, "\\frac{%s}{%s}", B, A);
                rput(B, "%s", tmp);
                pr[sp - 2] = P_ATOM;
            } else {
                wrap(tmp, A, pr[sp - 1] <= P_NEG, style);
                wrap(tmp2, B, pr[sp - 2] == P_SUM || pr[sp - 2] == P_NEG, style);
                rput(B, "%s/%s", tmp2, tmp);
                pr[sp - 2] = P_PROD;
            }
            sp--;
            break;
        case SL__X_NEG:
            wrap(tmp, A, pr[sp - 1] <= P_NEG, style);
            rput(A, "-%s", tmp);
            pr[sp - 1] = P_NEG;
            break;
        case SL__X_POWI: {
            int n = in->arg;
            if (style == SL_FORMULA_C) {
                if (n >= 2 && n <= 3 && pr[sp - 1] == P_ATOM)
                    rput(tmp, n == 2 ? "%s*%s" : "%s*%s*%s", A, A, A);
                else rput(tmp, "pow(%s, %d)", A, n);
                rput(A, "%s", tmp);
                pr[sp - 1] = n >= 2 && n <= 3 && pr[sp - 1] == P_ATOM ? P_PROD : P_ATOM;
            } else {
                wrap(tmp, A, pr[sp - 1] < P_ATOM, style);
                rput(A, style == SL_FORMULA_LATEX ? "%s^{%d}" : "%s^%d", tmp, n);
                pr[sp - 1] = P_POW;
            }
            break;
        }
        default: {
            int k = in->op - SL__X_SIN;
            if (style == SL_FORMULA_LATEX && in->op == SL__X_SQRT) rput(tmp, "\\sqrt{%s}", A);
            else if (style == SL_FORMULA_LATEX && in->op == SL__X_EXP) rput(tmp, "e^{%s}", A);
            else if (style == SL_FORMULA_LATEX) rput(tmp, "%s\\left(%s\\right)", fn[2][k], A);
            else rput(tmp, "%s(%s)", fn[style == SL_FORMULA_C][k], A);
            rput(A, "%s", tmp);
            pr[sp - 1] = P_ATOM;
        }
        }
    }
    int top = pr[0];
    snprintf(buf, cap, "%s", st[0]);
    sl__free(lib->ctx, st);
    sl__free(lib->ctx, pr);
    return top;
}
