/* The conserved-quantity result (src/discover/conserved*.c, src/io/conserved_io.c). */
#ifndef SL_CONSERVED_INTERNAL_H
#define SL_CONSERVED_INTERNAL_H

#include "../core/internal.h"
#include "symlearn/conserved.h"

struct sl_conserved_result {
    sl_ctx *ctx;
    int64_t d, K, M, c, nullity, nsv, ntraj;
    char **fname;        /* K feature names */
    double *coef;        /* M x K */
    int *indep;          /* M */
    double *relvar;      /* M */
    char **formula[3];   /* M strings per style */
    double *sv;          /* nsv */
    double gap;
    /* neural modes (mode NEURAL / DEFLATION; 0 = EXACT) */
    int mode, act, depth, nseeds, sel;
    int64_t hidden, nw, nsvd, nexpl;
    double *mean, *scale;   /* d each: the networks' input standardisation */
    double *w;              /* all seeds' quantities: (sum_s seedM[s]) x nw, seed after seed */
    double *wrel, *r2;      /* relvar of every stored network (same order); r2 of the selected (M) */
    int *windep;            /* independence flags of every stored network */
    int64_t *seedM, *seedc; /* per seed: quantities stored, independent ones */
    double *seedmax, *seedang; /* per seed: largest relvar; angle median, p95 (2 per seed) */
    double *expl;           /* nexpl explained ratios of the selected seed */
    double *brk;            /* M x M brackets (DEFLATION) or NULL */
    int deflated;           /* DEFLATION with linear candidates (mode 0: coefficients, no networks) */
};

/* The networks (conserved_nn.c).  Layer l of a network: W_l (in x out)
 * row-major then b_l (out); widths d, hidden x depth, 1. */
typedef struct {
    int64_t d, hidden;
    int depth, act;
    const double *mean, *scale;
} sl__cnet;
SL_HIDDEN int64_t sl__cnet_nweights(const sl__cnet *n);
/* Value and gradient (either NULL) at the m points x of the network w. */
SL_HIDDEN void sl__cnet_eval(const sl__cnet *n, const double *w, int64_t m, const double *x, double *v, double *g);
/* Offset of network sel of seed s in r->w (in networks). */
SL_HIDDEN int64_t sl__cons_net_index(const sl_conserved_result *r, int s, int64_t j);
/* The largest principal angle (radians) between the spans of the a unit
 * rows A (a x d) and the b rows B (b x d, orthonormalised here; scratch
 * needs 3 d (a + b) + (a+b)^2 doubles); pi/2 when the dimensions differ. */
SL_HIDDEN double sl__span_angle(int64_t d, int64_t a, const double *A, int64_t b, const double *B, double *scratch);
/* The neural modes of sl_discover_conserved (conserved_neural.c); X, FX
 * the m samples and their vector field, tlo/thi the trajectory box. */
SL_HIDDEN sl_status sl__conserved_neural(sl_ctx *ctx, const sl_conserved_opts *o, sl_vector_field_fn f, void *user,
                                         int64_t d, int64_t m, const double *X, const double *tlo, const double *thi,
                                         const sl_features *lib, sl_conserved_result **out);

/* An empty result (arrays NULL, counts 0). */
SL_HIDDEN sl_conserved_result *sl__conserved_result_new(sl_ctx *ctx, const char *who);
/* Allocate the arrays for K features and M quantities (names and formulas
 * NULL); SL_ERR_NOMEM naming who. */
SL_HIDDEN sl_status sl__conserved_result_alloc(sl_conserved_result *r, const char *who, int64_t K, int64_t M, int64_t nsv);
/* A NUL-terminated copy (sl__alloc), NULL when out of memory. */
SL_HIDDEN char *sl__strdup(sl_ctx *ctx, const char *s, const char *who);

#endif
