/* Internal pieces of the Monte Carlo updates (monte_carlo_su2.c, _su3.c). */
#ifndef SL_MONTE_CARLO_H
#define SL_MONTE_CARLO_H

#include "lattice_internal.h"

SL_HIDDEN void sl__staple(const sl_gauge *U, int64_t s, int mu, cplx *A);
SL_HIDDEN double sl__mc_uniform(sl_gauge *U, uint64_t seed);
SL_HIDDEN void sl__su2_heatbath_draw(sl_gauge *U, uint64_t seed, double a, double *x);
SL_HIDDEN void sl__su2_project(int n, const cplx *w, int i, int j, double *r);
SL_HIDDEN void sl__su2_left_mul(int n, cplx *u, int i, int j, const double *s);
SL_HIDDEN void sl__quat_mul(const double *a, const double *b, double *q);
SL_HIDDEN void sl__su2_subgroup_update(sl_gauge *U, uint64_t seed, double beta, cplx *u, const cplx *A, int i,
                                       int j, int over);

#endif
