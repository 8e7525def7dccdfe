/* libsymlearn regression: feature libraries and the interpretation of a
 * scalar (a learned latent, a conserved quantity) as a formula.
 *
 * A feature library maps a point x of R^d to K feature values b_k(x), each
 * with its gradient: monomials up to a degree (in all or some variables),
 * the radial features 1/r, x_i/r and r of a group of variables, exponentials
 * of differences exp(x_i - x_j) (optionally times x_k), and user functions.
 * The library is what the exact conserved-quantity solver (conserved.h)
 * expands in, and what sl_regress fits onto.
 *
 * sl_regress fits y ~ sum_k c_k b_k(x) + c_0 by least squares (LSQ, through
 * an SVD of the column-scaled design matrix) or by sequentially thresholded
 * least squares (STLSQ, the SINDy method: Brunton, Proctor, Kutz, PNAS 113
 * (2016) 3932, Algorithm 1), and reports R^2, the coefficients normalised so
 * that the largest in magnitude is +1, and the fit as a formula in plain
 * text, C or LaTeX: "y ~ 0.5 (t^2 - x^2 - y^2 - z^2) + 0.1".  Columns that
 * are linearly dependent at the sample points (a duplicate feature, x/r and
 * a user x/r, a constant feature beside the intercept) are refused with
 * SL_ERR_ARG and a message naming them.
 *
 * Layout: points are rows, x is m x d row-major; values m x K; gradients
 * m x K x d.  Names are plain ASCII.
 *
 * Thread safety: one thread at a time per context and per object. */
#ifndef SYMLEARN_REGRESSION_H
#define SYMLEARN_REGRESSION_H

#include <stdio.h>

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_features sl_features;
typedef struct sl_regression sl_regression;

/* A user feature: *value = b(x) and, when grad is not NULL, grad (d doubles)
 * = db/dx at the point x (d doubles).  Return 0 on success; anything else
 * stops the call that evaluates it (SL_ERR_NUMERIC). */
typedef int (*sl_feature_fn)(void *user, const double *x, int64_t d, double *value, double *grad);

/* ---- Feature libraries ---------------------------------------------------------
 * d in 1..4096 variables, named x1..xd until renamed.  At most 100000
 * features.  Errors of the adders: SL_ERR_NULL, SL_ERR_ARG (a variable index
 * out of 0..d-1, degrees out of 0..16 or min > max, too many features),
 * SL_ERR_NOMEM; on failure the library is unchanged. */
SL_API sl_status sl_features_create(sl_ctx *ctx, int64_t d, sl_features **out);
SL_API void sl_features_destroy(sl_features *lib);                   /* NULL is a no-op */
/* Variable names, separated by commas or white space ("x y px py"); exactly
 * d names of 1..31 characters each (letters, digits, _ and '). */
SL_API sl_status sl_features_set_names(sl_features *lib, const char *names);
/* Monomials prod x_i^a_i with min_degree <= sum a_i <= max_degree in all d
 * variables, by degree, then lexicographically (x1^2, x1 x2, ..., xd^2).
 * Degree 0 is the constant 1 (used as the intercept by sl_regress and
 * ignored by the conserved-quantity solver: a constant is trivially
 * conserved). */
SL_API sl_status sl_features_add_monomials(sl_features *lib, int min_degree, int max_degree);
/* The same in the nvars variables vars[0..nvars-1] only (0-based indices,
 * distinct). */
SL_API sl_status sl_features_add_monomials_of(sl_features *lib, int nvars, const int *vars, int min_degree,
                                              int max_degree);
/* Radial features of the variables vars[0..nvars-1] (r = |x_vars|): which is
 * a sum of SL_FEATURE_INV_R (1/r), SL_FEATURE_X_OVER_R (x_i/r for each i in
 * vars, in order) and SL_FEATURE_R (r).  Kepler: vars = {0, 1},
 * SL_FEATURE_INV_R | SL_FEATURE_X_OVER_R gives {1/r, x/r, y/r}.  Singular at
 * r = 0 (the value is then Inf or NaN: keep the samples away from it). */
enum { SL_FEATURE_INV_R = 1, SL_FEATURE_X_OVER_R = 2, SL_FEATURE_R = 4 };
SL_API sl_status sl_features_add_radial(sl_features *lib, int nvars, const int *vars, int which);
/* exp(x_i - x_j) (i != j), times x_k when k >= 0 (Toda chains). */
SL_API sl_status sl_features_add_exp_difference(sl_features *lib, int i, int j, int k);
/* A user feature named name (1..63 characters, printable, no comma), with
 * its gradient (fn must fill grad when asked: the conserved-quantity solver
 * needs it).  user is passed back unchanged and must outlive the library. */
SL_API sl_status sl_features_add_function(sl_features *lib, const char *name, sl_feature_fn fn, void *user);

SL_API int64_t sl_features_count(const sl_features *lib);   /* K; 0 for NULL */
SL_API int64_t sl_features_dim(const sl_features *lib);     /* d; 0 for NULL */
/* The name of feature k in plain text ("x^2 py", "1/r", "exp(q1 - q2) p3");
 * owned by the library; NULL when out of range. */
SL_API const char *sl_features_name(const sl_features *lib, int64_t k);
/* Polynomial degree of feature k (monomials; 0 for x_i/r, -1 for 1/r, 1 for
 * r, 0 for exp(x_i - x_j), 1 times x_k; 0 for user features); -1000 when out
 * of range.  Used to order quantities by complexity. */
SL_API int sl_features_degree(const sl_features *lib, int64_t k);
/* Values (m x K) and, when grads is not NULL, gradients (m x K x d) at the m
 * points x (m x d), m in 1..2^30.  Errors: SL_ERR_NULL, SL_ERR_ARG,
 * SL_ERR_NONFINITE (x holds NaN/Inf, or a feature value is not finite),
 * SL_ERR_NUMERIC (a user feature failed), SL_ERR_NOMEM.  Nothing written on
 * failure. */
SL_API sl_status sl_features_eval(const sl_features *lib, int64_t m, const double *x, double *values, double *grads);

/* ---- Regression -------------------------------------------------------------------- */
enum { SL_REGRESSION_LSQ = 1, SL_REGRESSION_STLSQ = 2 };

/* Size-first options (rules in core.h); defaults in brackets. */
typedef struct sl_regression_opts {
    size_t size;          /* sizeof(sl_regression_opts) */
    int method;           /* SL_REGRESSION_LSQ or SL_REGRESSION_STLSQ [LSQ] */
    double threshold;     /* STLSQ: drop terms with |c_k| < threshold max |c| [0.05], in (0, 1) */
    int max_iter;         /* STLSQ: refits, 1..1000 [10] */
    int intercept;        /* 1: fit a constant c_0 (the library's degree-0 monomial when it has
                             one, else a column of ones) [1]; 0: none */
    double rank_tol;      /* columns are dependent when sigma_min / sigma_max of the
                             unit-norm columns is below this [1e-10], in (0, 1) */
    /* appended in 1.1 (candidates, see below) */
    int path;             /* STLSQ: thresholds on the candidate path [16], 0..1000 */
    double path_min;      /* the smallest of them [1e-4], in (0, 0.9) */
} sl_regression_opts;

#define SL_REGRESSION_OPTS_INIT { sizeof(sl_regression_opts), SL_REGRESSION_LSQ, 0.05, 10, 1, 1e-10, 16, 1e-4 }
SL_API sl_status sl_regression_opts_init_sized(sl_regression_opts *opts, size_t size);
#define sl_regression_opts_init(opts) ((void)sl_regression_opts_init_sized((opts), sizeof *(opts)))

/* Fit y (m values) onto the features of lib at the points x (m x d; lib and
 * x may be NULL when only columns are given) and the ncols precomputed
 * columns cols (m x ncols row-major, may be NULL with ncols = 0), named by
 * col_names (comma-separated, NULL: c1, c2, ...).  opts may be NULL
 * (defaults).  m must be at least the number of terms.  Errors:
 * SL_ERR_NULL, SL_ERR_ARG (bad options, m too small, no terms, dependent
 * columns: the message names them), SL_ERR_NONFINITE (NaN/Inf in x, cols, y
 * or a feature value), SL_ERR_NUMERIC (LAPACK, a user feature failed),
 * SL_ERR_NOMEM.  *out = NULL on failure. */
SL_API sl_status sl_regress(sl_ctx *ctx, const sl_regression_opts *opts, const sl_features *lib, int64_t m,
                            const double *x, int64_t ncols, const double *cols, const char *col_names,
                            const double *y, sl_regression **out);
SL_API void sl_regression_destroy(sl_regression *r);          /* NULL is a no-op */
/* Number of terms T (library features, then the columns; the intercept is
 * separate unless it is the library's constant). */
SL_API int64_t sl_regression_terms(const sl_regression *r);
SL_API const char *sl_regression_term_name(const sl_regression *r, int64_t k);   /* NULL out of range */
/* Coefficients c_k (T values; 0 for a term STLSQ dropped) and their
 * normalised form c_k / s with s = the coefficient largest in magnitude
 * (sl_regression_scale; 1 when every c_k is 0), so the largest is +1.  The
 * library's constant, when it is the intercept, is 0 in both. */
SL_API const double *sl_regression_coefficients(const sl_regression *r);
SL_API const double *sl_regression_normalised(const sl_regression *r);
SL_API double sl_regression_scale(const sl_regression *r);
SL_API double sl_regression_intercept(const sl_regression *r);
/* Coefficient of determination 1 - SS_res / SS_tot (1 for a constant y fitted
 * exactly); NaN for NULL. */
SL_API double sl_regression_r2(const sl_regression *r);
/* Number of terms kept (nonzero coefficients). */
SL_API int64_t sl_regression_active(const sl_regression *r);

/* The fit as a formula, owned by the result: SL_FORMULA_TEXT
 * "y ~ 0.5 (t^2 - x^2 - y^2 - z^2) + 0.1", SL_FORMULA_C
 * "0.5*(t*t - x*x - y*y - z*z) + 0.1", SL_FORMULA_LATEX
 * "y \sim 0.5 \left(t^{2} - x^{2} - y^{2} - z^{2}\right) + 0.1",
 * SL_FORMULA_FORTRAN "0.5d0*(t*t - x*x - y*y - z*z) + 0.1d0" and
 * SL_FORMULA_SYMPY "0.5*(t*t - x*x - y*y - z*z) + 0.1" (the C and Fortran
 * forms are expressions, without "y ~").  Coefficients are printed with 6
 * significant digits, +-1 as a bare term.  NULL for a NULL result or an
 * unknown style. */
enum { SL_FORMULA_TEXT = 0, SL_FORMULA_C = 1, SL_FORMULA_LATEX = 2, SL_FORMULA_FORTRAN = 3, SL_FORMULA_SYMPY = 4 };
SL_API const char *sl_regression_formula(const sl_regression *r, int style);

/* Convert a formula in the library's C style (sl_regression_formula,
 * sl_conserved_result_formula, sl_sindy_formula with SL_FORMULA_C: numbers,
 * names, + - * /, parentheses, sqrt exp log sin cos pow) into style
 * SL_FORMULA_FORTRAN (numbers as double precision literals "0.5d0",
 * pow(a, n) as (a)**n, lines longer than 100 characters continued with " &")
 * or SL_FORMULA_SYMPY (a Python expression for sympy.sympify / parse_expr:
 * pow(a, n) as (a)**n, a ' in a name as _p).  SL_FORMULA_C gives a copy.
 * Writes at most cap bytes (always NUL-terminated when cap > 0) and returns
 * the length of the whole conversion (excluding the NUL), so a call with
 * cap = 0 sizes the buffer; -1 when c_formula is NULL, style is unknown or
 * the parentheses do not balance.  A variable named like a SymPy built-in
 * (E, I, N, S, O, Q, beta, gamma, ...) must be given to parse_expr through
 * local_dict. */
SL_API int64_t sl_formula_convert(const char *c_formula, int style, char *buf, int64_t cap);

/* ---- Candidates along the threshold path ------------------------------------------
 * STLSQ keeps every distinct support met on its threshold path: the fit for
 * opts->threshold and for opts->path thresholds geometrically spaced in
 * [opts->path_min, 0.9] (each from the full support), plus the plain least
 * squares on every term.  The candidates are sorted by the number of terms
 * (then by error); LSQ has one.  The result's coefficients, R^2 and formulas
 * are those of the selected candidate, at first the fit for
 * opts->threshold.  Accessors return 0 / NaN / NULL out of range. */
SL_API int64_t sl_regression_candidates(const sl_regression *r);
SL_API int64_t sl_regression_candidate_active(const sl_regression *r, int64_t i);    /* terms kept */
SL_API double sl_regression_candidate_r2(const sl_regression *r, int64_t i);
/* Root-mean-square residual sqrt(SS_res / m). */
SL_API double sl_regression_candidate_rmse(const sl_regression *r, int64_t i);
/* The smallest threshold that produced it (0 for the full least squares). */
SL_API double sl_regression_candidate_threshold(const sl_regression *r, int64_t i);
/* Coefficients (T values, 0 off the support; the library's constant, when
 * it is the intercept, 0) and the intercept. */
SL_API const double *sl_regression_candidate_coefficients(const sl_regression *r, int64_t i);
SL_API double sl_regression_candidate_intercept(const sl_regression *r, int64_t i);
/* 1 when no other candidate has at most as many terms and a smaller rmse
 * (the Pareto front of terms against error), else 0. */
SL_API int sl_regression_candidate_is_pareto(const sl_regression *r, int64_t i);
/* The index of the selected candidate. */
SL_API int64_t sl_regression_selected(const sl_regression *r);
/* Make candidate i the result (coefficients, normalised, scale, intercept,
 * R^2, active, formulas).  Errors: SL_ERR_NULL, SL_ERR_ARG (i out of
 * range), SL_ERR_NOMEM (the result is then unchanged). */
SL_API sl_status sl_regression_select(sl_regression *r, int64_t i);
/* A table of the candidates (terms, R^2, rmse, threshold, Pareto mark '*',
 * the selected one '>', its text formula) to f, flushed.  Errors:
 * SL_ERR_NULL, SL_ERR_IO. */
SL_API sl_status sl_regression_print_candidates(const sl_regression *r, FILE *f);

/* ---- Feature libraries as text -------------------------------------------------------
 * One feature per line (or separated by ';'); '#' starts a comment to the
 * end of the line; blank lines are skipped.  A feature is an expression in
 * the library's variable names:
 *     expr   := term { ('+' | '-') term }
 *     term   := unary { ['*' | '/'] unary }        (juxtaposition multiplies)
 *     unary  := ['-'] power
 *     power  := atom [ ('^' | '**') ['-'] integer ]  (|integer| <= 16)
 *     atom   := name | number | func '(' expr ')' | '(' expr ')'
 *     func   := sin | cos | exp | log | sqrt
 * e.g. "x^2 py", "1/sqrt(x^2 + y^2)", "x/sqrt(x^2 + y^2)", "exp(q1 - q2) p3",
 * "sin(th1 - th2) p1", "x^-2".  At most 255 characters and 256 tokens per
 * feature, nesting depth 32.  The feature's name is its text with the
 * surrounding blanks removed; its gradient is exact (forward mode).
 * Errors: SL_ERR_NULL; SL_ERR_ARG with every error found (as many as fit
 * the message) as "line L, column C: what" (an unknown name or function, a
 * missing ')', a non-integer or too large power, an empty feature, a
 * character that is not allowed); SL_ERR_NOMEM.  The library is unchanged
 * on failure.  Degree (sl_features_degree): the total power of a pure
 * monomial, else 0. */
SL_API sl_status sl_features_add_text(sl_features *lib, const char *text);
/* The same from a file (at most 1 MiB).  Errors also SL_ERR_IO; messages
 * name sl_features_add_file and the path. */
SL_API sl_status sl_features_add_file(sl_features *lib, const char *path);

/* ---- Several trajectories ---------------------------------------------------------------
 * A set of ntraj trajectories of different lengths is given as the arrays
 * x[t] (len[t] x d row-major, t = 0..ntraj-1), each in its own memory.
 * sl_features_eval_trajectories writes the features of all their points,
 * trajectory after trajectory: values (sum len x K) and, when grads is not
 * NULL, gradients (sum len x K x d).  Errors as sl_features_eval (a NULL
 * x[t] or len[t] < 1: SL_ERR_NULL / SL_ERR_ARG naming t). */
SL_API sl_status sl_features_eval_trajectories(const sl_features *lib, int64_t ntraj, const double *const *x,
                                               const int64_t *len, double *values, double *grads);

/* ---- Vector fields from data (SINDy) -------------------------------------------------------
 * dx/dt ~ Theta(x) Xi (Brunton, Proctor, Kutz, PNAS 113 (2016) 3932): each
 * component of the derivative is regressed onto the library lib (of
 * dimension d, the state dimension) by opts (sl_regression_opts; NULL: STLSQ
 * with threshold 0.01 and intercept 0, so the library's constant is an
 * ordinary term).  The samples are the points of ntraj trajectories x[t]
 * (len[t] x d, sampled every dt) with their derivatives dxdt[t] (len[t] x d)
 * or, when dxdt is NULL, derivatives by second-order finite differences
 * along each trajectory (central inside, one-sided three-point at the ends;
 * len[t] >= 3 then, dt finite and > 0).  The model keeps a reference to lib,
 * which must outlive it and not change.  Errors: SL_ERR_NULL, SL_ERR_ARG
 * (ntraj < 1, a length < 1, or < 3 for finite differences, bad dt, d not
 * the library's, fewer samples than features, dependent columns),
 * SL_ERR_NONFINITE (NaN/Inf in x or dxdt), SL_ERR_NUMERIC, SL_ERR_NOMEM;
 * messages name sl_sindy_fit. */
typedef struct sl_sindy_model sl_sindy_model;
SL_API sl_status sl_sindy_fit(sl_ctx *ctx, const sl_regression_opts *opts, const sl_features *lib, int64_t ntraj,
                              const double *const *x, const int64_t *len, const double *const *dxdt, double dt,
                              sl_sindy_model **out);
SL_API void sl_sindy_model_destroy(sl_sindy_model *m);           /* NULL is a no-op */
SL_API int64_t sl_sindy_model_dim(const sl_sindy_model *m);      /* d; 0 for NULL */
SL_API int64_t sl_sindy_model_features(const sl_sindy_model *m); /* K; 0 for NULL */
/* Xi as d x K row-major: dx_i/dt = sum_k xi[i*K + k] b_k(x). */
SL_API const double *sl_sindy_model_coefficients(const sl_sindy_model *m);
/* R^2 of equation i; NaN out of range. */
SL_API double sl_sindy_model_r2(const sl_sindy_model *m, int64_t i);
/* The regression of equation i (its candidates, sl_regression_select,
 * print): owned by the model; NULL out of range.  Selecting another
 * candidate there does not change the model: call sl_sindy_model_refresh. */
SL_API sl_regression *sl_sindy_model_regression(sl_sindy_model *m, int64_t i);
/* Take the coefficients (and formulas) again from the equations'
 * regressions after sl_regression_select.  Errors: SL_ERR_NULL, SL_ERR_NOMEM. */
SL_API sl_status sl_sindy_model_refresh(sl_sindy_model *m);
/* Equation i as a formula: "dx/dt = 10 (y - x)" (TEXT, LaTeX with
 * \frac{dx}{dt}); the right-hand side alone in the C, Fortran and SymPy
 * styles.  Owned by the model; NULL out of range. */
SL_API const char *sl_sindy_model_formula(const sl_sindy_model *m, int64_t i, int style);
/* The model's vector field, with the signature of sl_vector_field_fn
 * (dynamics.h): pass the model as user to sl_ode_rk4 and the samplers.
 * Returns nonzero for a NULL model, d other than the model's, or a
 * non-finite feature value; not reentrant for one model (it uses the
 * model's scratch). */
SL_API int sl_sindy_vector_field(void *model, double t, const double *x, double *dxdt, int64_t d);

#ifdef __cplusplus
}
#endif
#endif
