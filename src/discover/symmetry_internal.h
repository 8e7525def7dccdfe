/* Internal structures of symmetry discovery: oracles, options, results. */
#ifndef SL_SYMMETRY_INTERNAL_H
#define SL_SYMMETRY_INTERNAL_H

#include "../core/internal.h"
#include "symlearn/analysis.h"
#include "symlearn/discover.h"

enum {
    SL__ORACLE_QUADRATIC = 1,
    SL__ORACLE_NORM,
    SL__ORACLE_HERMITIAN,
    SL__ORACLE_DET,
    SL__ORACLE_DET_COMPLEX,
    SL__ORACLE_OCTONION,
    SL__ORACLE_ALBERT,
    SL__ORACLE_GRAPH,
    SL__ORACLE_FUNCTION
};

typedef struct sl__oracle {
    int kind;
    int n, nargs, nout;
    int aux;                  /* albert: with trace; det: order */
    double *mat;              /* G, H (interleaved), 3-form or product table */
    sl_oracle_graph_fn gfn;   /* graph builder (built-ins point at their own) */
    void *user;               /* graph user pointer (built-ins: this oracle) */
    sl_oracle_fn cfn;         /* C oracle */
    void *cuser;
    int64_t m;                /* user samples (x != NULL) */
    double *x;
} sl__oracle;

struct sl_symmetry_opts {
    sl_ctx *ctx;
    sl__oracle **oracles;
    int noracles, cap;
    int n;
    int64_t m;
    uint64_t seed;
    int solver;
    int ng, scan_lo, scan_hi;
    int inv_mode;
    double eps;
    int clos_mode, quartic;
    double w[5];              /* inv, norm, orth, clos, sparsity */
    int adam_steps, lbfgs_steps;
    double lr;
    double tol;
    int tol_set;
    int sparsify;
    int init_ng;
    double *init_W, *init_C;
    int reference;            /* preset_reference: early stop below 1e-25 */
};

struct sl_symmetry_result {
    sl_ctx *ctx;
    int n, d, solver;
    double *gens;             /* d n n */
    double *f;                /* d^3 */
    double *K;                /* d^2 */
    double *eig;              /* d */
    int nneg, npos, nzero, rank, centre, compact;
    int nsimple;
    int *simple_dims;
    double closure_residual;
    double loss[6];
    double initial_loss;
    int nsv;
    double *sv;
    double gap;
    int nscan;
    int *scan_ng;
    double *scan_loss;
    char name[256];
    /* Not in saved files (a loaded result has reason SL_SYM_REASON_UNKNOWN):
     * the outcome, the success tolerance tol_base + tol_slope N_g (trained)
     * or the relative singular-value tolerance (exact), how the centre acts
     * (SL__ELEM_* of analysis/lie_internal.h), the isomorphic names (filled
     * from the name on first use). */
    int reason;
    char reason_text[200];
    double tol_base, tol_slope;
    int centre_kind;
    int iso_done;
    char iso[256];
};

/* A simple ideal of the algebra found: dimension, rank, Killing signature. */
typedef struct { int dim, rank, nneg, npos; } sl__ideal;

/* r->name from the analysis fields, the simple ideals (ideals[0..nid-1], in
 * the order of r->simple_dims) and r->centre_kind; the isomorphic forms of a
 * name into out (", "-separated, "" when none). */
SL_HIDDEN void sl__symmetry_name(sl_symmetry_result *r, int nid, const sl__ideal *ideals);
SL_HIDDEN void sl__symmetry_isomorphisms(const char *name, char *out, size_t cap);

/* Built-in oracle graph functions (user = the sl__oracle). */
SL_HIDDEN sl_node *sl__oracle_builtin(sl_graph *g, int nargs, sl_node *const *x, void *user);
/* Fill the oracle's constant tables (product table, 3-form). */
SL_HIDDEN sl_status sl__oracle_init_tables(sl_ctx *ctx, sl__oracle *o);

/* phi and d phi / dx of oracle r at the m points x (m x nargs*n): grad (m x
 * nout x nargs*n, may be NULL for phi alone).  SL_ERR_NONFINITE when phi or
 * its gradient is not finite at a sample point. */
SL_HIDDEN sl_status sl__oracle_eval(sl_ctx *ctx, const sl__oracle *r, int64_t m, const double *x, double *grad);

/* Sample points of oracle k (m x nargs*n), owned by the caller (sl__free). */
SL_HIDDEN double *sl__oracle_samples(const sl_symmetry_opts *o, int k, int64_t *m);

/* The linearised invariance rows of every oracle, unnormalised:
 * R (rows x n*n, row-major), row = vec(sum_k grad_k phi_c(x) x_k^T). */
SL_HIDDEN sl_status sl__symmetry_rows(sl_ctx *ctx, const sl_symmetry_opts *o, double **R, int *rows,
                                      double **rowweight);

/* Dimension of the null space of the normalised invariance rows at relative
 * singular-value tolerance tol (the trained solver's default scan range). */
SL_HIDDEN sl_status sl__symmetry_null_dim(sl_ctx *ctx, const sl_symmetry_opts *o, double tol, int *dim);

/* Solvers: fill r->gens, r->d and the solver diagnostics. */
SL_HIDDEN sl_status sl__symmetry_exact(sl_ctx *ctx, const sl_symmetry_opts *o, sl_symmetry_result *r);
SL_HIDDEN sl_status sl__symmetry_trained(sl_ctx *ctx, const sl_symmetry_opts *o, sl_symmetry_result *r);

/* Result: allocate, analyse generators (structure constants, Killing, ...). */
SL_HIDDEN sl_symmetry_result *sl__symmetry_result_new(sl_ctx *ctx, int n);
SL_HIDDEN sl_status sl__symmetry_result_analyse(sl_symmetry_result *r);

#endif
