/* Internal structures of the Calabi-Yau area (include/symlearn/cy.h). */
#ifndef SL_CY_INTERNAL_H
#define SL_CY_INTERNAL_H

#include "../core/internal.h"

#define SL_CY_MAX_AMB 16          /* homogeneous coordinates (P^15) */

struct sl_cy_variety {
    sl_ctx *ctx;
    int nfactors, npoly;
    int dims[1];
    int namb, dim, deg;
    int64_t nterms;
    int *exps;                    /* nterms x namb */
    cplx *coef;                   /* nterms */
    double coef_abs;              /* sum |c_m| */
};

struct sl_cy_points {
    sl_ctx *ctx;
    const sl_cy_variety *v;       /* borrowed: must outlive the points */
    int namb, dim, deg;
    int64_t n;
    cplx *z;                      /* n x namb, patch-normalised */
    int *patch, *elim;        /* n */
    cplx *jac;                    /* n x dim x namb */
    double *om2, *w;              /* n */
    double kappa;
};

/* Q and its gradient dQ/dz_i (grad may be NULL) at one point. */
SL_HIDDEN cplx sl__cy_eval(const sl_cy_variety *v, const cplx *z, cplx *grad);
/* The deg roots of sum_k c[k] t^k (c[deg] != 0), ascending Re; 0 or -1. */
SL_HIDDEN int sl__cy_poly_roots(int deg, const cplx *c, cplx *roots);
/* Allocate points (n) with their arrays, or NULL (message naming who). */
SL_HIDDEN sl_cy_points *sl__cy_points_alloc(const sl_cy_variety *v, int64_t n, const char *who);
/* Fill point i's patch data from z (already on the variety); patch/elim < 0:
 * automatic.  Returns SL_OK or an error naming who and the point. */
SL_HIDDEN sl_status sl__cy_point_fill(sl_cy_points *p, int64_t i, const cplx *z, int patch, int elim,
                                      const char *who);
/* Weights and kappa from om2 and det g_FS,pb (t = 1). */
SL_HIDDEN void sl__cy_points_weigh(sl_cy_points *p);
/* det of a d x d hermitian matrix (real part of the LU determinant). */
SL_HIDDEN double sl__cy_det(int d, const cplx *g);
/* FS ambient metric (t = 1 / pi factor included) at z (namb), out namb x namb. */
SL_HIDDEN void sl__cy_fs_ambient(int namb, const cplx *z, double t, cplx *G);
/* g = J G J^dagger for one point (J d x namb). */
SL_HIDDEN void sl__cy_pullback(int d, int namb, const cplx *J, const cplx *G, cplx *g);

/* An algebraic metric of degree k with the given H (nh = N_k^2 complex
 * entries, copied; SL_ERR_ARG when nh does not fit), its degree and its
 * monomials (N_k x namb exponents) (donaldson.c). */
SL_HIDDEN sl_status sl__cy_algebraic_with_h(const sl_cy_variety *v, int k, const double *h, int64_t nh,
                                            sl_cy_algebraic **out);
SL_HIDDEN int sl__cy_algebraic_k(const sl_cy_algebraic *m);
SL_HIDDEN const int *sl__cy_algebraic_monomials(const sl_cy_algebraic *m);

#endif
