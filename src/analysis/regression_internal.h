/* Internal declarations of the feature libraries, the regression and the
 * formula printer (src/analysis/features.c, regression.c, formula.c), shared
 * with the conserved-quantity solver (src/discover/conserved*.c). */
#ifndef SL_REGRESSION_INTERNAL_H
#define SL_REGRESSION_INTERNAL_H

#include "../core/internal.h"
#include "symlearn/regression.h"

#define SL__FEAT_MAX 100000
#define SL__FEAT_MAX_DIM 4096
#define SL__NAME_LEN 32

enum { SL__F_MONO = 1, SL__F_INV_R, SL__F_X_OVER_R, SL__F_R, SL__F_EXP, SL__F_USER, SL__F_EXPR };

/* A postfix instruction of a text feature (feature_parse.c): VAR pushes
 * variable vars[arg], CONST pushes val, POWI raises the top to the integer
 * arg, the functions apply to the top. */
enum { SL__X_VAR = 1, SL__X_CONST, SL__X_ADD, SL__X_SUB, SL__X_MUL, SL__X_DIV, SL__X_NEG, SL__X_POWI,
       SL__X_SIN, SL__X_COS, SL__X_EXP, SL__X_LOG, SL__X_SQRT };
typedef struct {
    int op, arg;
    double val;
} sl__instr;

typedef struct {
    int type;
    int degree;
    int *pow;        /* MONO: d exponents */
    int nv, *vars;   /* radial: the variables of r */
    int i, j, k;     /* X_OVER_R: i the numerator; EXP: exp(x_i - x_j) x_k (k = -1: none) */
    sl_feature_fn fn;
    void *user;
    char *name;      /* plain-text name (user features: the user's; text features: the text) */
    sl__instr *prog; /* EXPR: the program (nprog), the variables used are vars[0..nv) */
    int nprog, maxsp;
    double *scratch; /* EXPR: maxsp x (1 + nv) doubles for the evaluation */
} sl__feat;

struct sl_features {
    sl_ctx *ctx;
    int64_t d, K, cap;
    sl__feat *f;
    char (*vname)[SL__NAME_LEN];
};

/* 1 when feature k is the constant monomial. */
static inline int sl__feat_is_const(const sl_features *lib, int64_t k)
{
    return lib->f[k].type == SL__F_MONO && lib->f[k].degree == 0;
}

/* Evaluate feature values (m x K) and optional gradients (m x K x d) into
 * caller buffers, no argument checks; failures name who. */
SL_HIDDEN sl_status sl__features_eval(const sl_features *lib, const char *who, int64_t m, const double *x,
                                      double *values, double *grads);

/* Free a feature's allocations. */
SL_HIDDEN void sl__feat_free(sl_ctx *ctx, sl__feat *f);
/* Append the feature f (its allocations made, its name set) to lib;
 * SL_ERR_ARG / SL_ERR_NOMEM naming who, f untouched on failure. */
SL_HIDDEN sl_status sl__features_append(sl_features *lib, const char *who, sl__feat *f);
/* A text feature's value and (when g is not NULL) gradient added into g (d,
 * zeroed by the caller). */
SL_HIDDEN int sl__expr_eval(const sl__feat *f, const double *x, double *v, double *g);
/* Render a text feature in style TEXT, C or LATEX into buf; returns the
 * precedence of its top operation (1 a sum, 2 a product, 3 a negation, 4 a
 * power, 5 an atom). */
SL_HIDDEN int sl__expr_render(const sl_features *lib, const sl__feat *f, int style, char *buf, size_t cap);

/* Render feature k in a style (SL_FORMULA_*) into buf (cap bytes, always
 * terminated). */
SL_HIDDEN void sl__feature_term(const sl_features *lib, int64_t k, int style, char *buf, size_t cap);

/* A growable string. */
typedef struct {
    sl_ctx *ctx;
    char *p;
    size_t len, cap;
    int bad;
} sl__str;
SL_HIDDEN void sl__str_put(sl__str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The finished string (sl__alloc'ed, owned by the caller), NULL when out of memory. */
SL_HIDDEN char *sl__str_take(sl__str *s);

/* "c1 t1 + c2 t2 - t3" for coefficients coef[0..T-1] and terms given as
 * rendered strings terms[k] (NULL: skipped); coefficients |c| <= 1e-12
 * max|c| are left out; "0" when none is left.  C style writes "*". */
SL_HIDDEN void sl__formula_sum(sl__str *s, int64_t T, const double *coef, const char *const *terms, int style);

/* Check that the columns (m x T row-major; plus a column of ones when
 * with_ones) are linearly independent at the sample points: the unit-norm
 * columns must have sigma_min / sigma_max >= tol.  On failure SL_ERR_ARG with
 * "who: feature columns 'a', 'b' are linearly dependent at the sample points
 * (sigma_min/sigma_max = ...)", names from names[k] ("1" for the ones). */
SL_HIDDEN sl_status sl__columns_independent(sl_ctx *ctx, const char *who, int64_t m, int64_t T, const double *cols,
                                            int with_ones, const char *const *names, double tol);

/* SVD of the column-major m x n matrix a (destroyed): s (min(m, n)), u
 * (m x min, column-major, may be NULL), vt (min x n column-major, may be NULL). */
SL_HIDDEN sl_status sl__svd_cm(sl_ctx *ctx, const char *who, int64_t m, int64_t n, double *a, double *s, double *u,
                               double *vt);

/* Options read and checked (defaults in o first), failures naming who. */
SL_HIDDEN sl_status sl__regression_opts_read(sl_ctx *ctx, const char *who, const sl_regression_opts *opts,
                                             sl_regression_opts *o);
/* sl_regress on precomputed feature values V (m x K of lib; lib may be
 * NULL with V NULL), checked options o; failures name who. */
SL_HIDDEN sl_status sl__regress_values(sl_ctx *ctx, const char *who, const sl_regression_opts *o, const sl_features *lib,
                                       int64_t m, const double *V, int64_t ncols, const double *cols,
                                       const char *col_names, const double *y, sl_regression **out);
/* sl_formula_convert into a new string (sl__alloc), NULL when out of memory. */
SL_HIDDEN char *sl__formula_convert_alloc(sl_ctx *ctx, const char *c_formula, int style, const char *who);

#endif
