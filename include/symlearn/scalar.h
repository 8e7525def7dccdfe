/* libsymlearn scalar: the complex phi^4 field in 1+1 dimensions at finite
 * chemical potential mu in the flux (dual) representation, sampled with a
 * worm algorithm (Gattringer, Kloiber, Nucl. Phys. B 869 (2013) 56,
 * arXiv 1206.2954; the data of Bulusu, Favoni, Ipp, Mueller, Schuh,
 * Phys. Rev. D 104 (2021) 074504).  docs/equivariant.md has the derivation.
 *
 * Lattice: Nt x Nx sites, periodic, N = Nt Nx, site (t, x) at index
 * t Nx + x (time first).  Direction d = 0 is time (it carries mu), d = 1 is
 * space.  The link x -> x + d is stored at its base site x and carries two
 * integers: the flux k (any sign) and l >= 0.  With eta = 4 + m^2,
 *
 *   Z = sum_{k,l} prod_links e^{mu k_t} / ((|k| + l)! l!)
 *       prod_x W(f_x) delta(div_x k),                                   (SF-2)
 *   f_x = sum_d |k_{x,d}| + |k_{x-d,d}| + 2 (l_{x,d} + l_{x-d,d}),       (SF-3)
 *   W(f) = int_0^inf dr r^{f+1} e^{-eta r^2 - lambda r^4},               (SF-4)
 *   div_x = sum_d (k_{x,d} - k_{x-d,d}).
 *
 * A configuration is closed when div_x = 0 at every site; then the sum of
 * k_t over a time slice is the same integer Q on every slice (the temporal
 * winding number), and the particle density is exactly n = Q / Nx.
 *
 * Arrays (import, export): (4, Nt, Nx) row-major doubles in the channel
 * order (k_t, k_x, l_t, l_x), the layout of the paper's data
 * (LukasEin/scalar_ml_reflection).  In Fortran the same memory is
 * a(Nx, Nt, 4).
 *
 * Random numbers: stream `seed` of sl_rng_u64 with a word counter kept in the
 * configuration (saved in its file), so a run is reproducible and can be
 * continued: one 64-bit word per proposal (its low bits choose the move, its
 * top 53 bits are the acceptance uniform).
 *
 * Thread safety: one thread at a time per configuration and context. */
#ifndef SYMLEARN_SCALAR_H
#define SYMLEARN_SCALAR_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_flux sl_flux;

/* l updates of a sweep (sl_flux_sweep, sl_flux_run). */
enum {
    SL_FLUX_L_AUTO = 0,          /* checkerboard when Nt and Nx are even, else sequential */
    SL_FLUX_L_CHECKERBOARD = 1,  /* 4 sub-sweeps over (direction, parity); even sizes only */
    SL_FLUX_L_SEQUENTIAL = 2,    /* every link in index order (any size) */
    SL_FLUX_L_NONE = 3           /* no l update (l stays as it is: a component test) */
};

/* log W(f) for f = 0 .. count-1 (SF-4) with eta = 2D + m^2 (4 + m^2 in 1+1D)
 * and lambda: a trapezoidal quadrature in u = ln r^2 around the peak of the
 * integrand (exponentially convergent; relative error ~1e-14).  eta finite;
 * lambda finite and >= 0 (lambda = 0 needs eta > 0).  count in 1..2^20.
 * Errors: SL_ERR_NULL (ctx, logw), SL_ERR_ARG. */
SL_API sl_status sl_flux_site_log_weights(sl_ctx *ctx, double eta, double lambda, int64_t count, double *logw);

/* A new configuration on nt x nx (each 2..2^20, N <= 2^26), all k = l = 0
 * (closed, Q = 0), with mass m (eta = 4 + m^2), coupling lambda >= 0 and
 * chemical potential mu (all finite; lambda = 0 only where the free theory
 * exists, m^2 > 2 (cosh mu - 1)).  RNG counter 0.  *out is NULL on failure.
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NOMEM. */
SL_API sl_status sl_flux_create(sl_ctx *ctx, int64_t nt, int64_t nx, double m, double lambda, double mu,
                                sl_flux **out);
SL_API void sl_flux_destroy(sl_flux *F);
/* A deep copy (parameters, fields, RNG counter, counters). */
SL_API sl_status sl_flux_copy(const sl_flux *F, sl_flux **out);

/* New parameters (checked as in sl_flux_create); the fields stay. */
SL_API sl_status sl_flux_set_params(sl_flux *F, double m, double lambda, double mu);
SL_API sl_status sl_flux_set_mu(sl_flux *F, double mu);
SL_API int64_t sl_flux_nt(const sl_flux *F);
SL_API int64_t sl_flux_nx(const sl_flux *F);
SL_API double sl_flux_mass(const sl_flux *F);
SL_API double sl_flux_lambda(const sl_flux *F);
SL_API double sl_flux_mu(const sl_flux *F);
/* The RNG word counter (the next word of the stream that a sweep uses). */
SL_API uint64_t sl_flux_rng_counter(const sl_flux *F);
SL_API sl_status sl_flux_set_rng_counter(sl_flux *F, uint64_t counter);
/* Totals since creation (or the last load): worms started, worm proposals
 * (steps) and accepted worm proposals; l proposals and accepted ones. */
SL_API sl_status sl_flux_stats(const sl_flux *F, uint64_t *worms, uint64_t *steps, uint64_t *accepted,
                               uint64_t *l_proposals, uint64_t *l_accepted);

/* Fields as (4, Nt, Nx) doubles (k_t, k_x, l_t, l_x); count = 4 N.  Import
 * checks every value first (finite, integer, |v| <= 2^24, l >= 0) and
 * changes nothing on failure; the configuration need not be closed.
 * Errors: SL_ERR_NULL, SL_ERR_SHAPE (count), SL_ERR_ARG (the message names
 * the element), SL_ERR_NOMEM (weight table). */
SL_API sl_status sl_flux_export(const sl_flux *F, int64_t count, double *a);
SL_API sl_status sl_flux_import(sl_flux *F, int64_t count, const double *a);
/* All k = l = 0. */
SL_API sl_status sl_flux_clear(sl_flux *F);

/* 1 when div = 0 at every site, 0 otherwise (0 for NULL). */
SL_API int sl_flux_is_closed(const sl_flux *F);
/* div_x (N values, index t Nx + x). */
SL_API sl_status sl_flux_divergence(const sl_flux *F, int64_t count, int64_t *div);
/* f_x of SF-3 (N values). */
SL_API sl_status sl_flux_site_f(const sl_flux *F, int64_t count, int64_t *fsite);

/* One sweep = one l sweep (lmode, SL_FLUX_L_*), then nworms worms (>= 0; the
 * paper's choice is N / 8).  A worm starts at a uniform site x0 with a
 * uniform sign, moves its head over a uniform one of the 4 links (forward or
 * backward in t or x) with the Metropolis ratio of SF-2, and ends the first
 * time the head is at x0 after a step, accepted or not: the closed states are
 * visited with their weight (no "propose until a move is accepted" from x0).
 * The number of worms per sweep is fixed (not the number of steps), so
 * measuring after each sweep is a plain thinning of the chain.
 * The configuration must be closed (SL_ERR_STATE otherwise); if memory for a
 * larger weight table runs out mid-worm (SL_ERR_NOMEM), it is left open.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (nsweeps < 0, nworms < 0, lmode), SL_ERR_STATE,
 * SL_ERR_SHAPE (checkerboard on an odd size), SL_ERR_NOMEM. */
SL_API sl_status sl_flux_sweep(sl_flux *F, int64_t nsweeps, int64_t nworms, int lmode, uint64_t seed);
/* As sl_flux_sweep, measuring after every sweep: n[i] = Q / Nx, phi2[i] =
 * <|phi|^2> of the configuration (SF-6: mean of W(f_x + 2) / W(f_x)),
 * q[i] = Q.  Any of n, phi2, q may be NULL; each given one has nsweeps
 * elements.  chi = N (<n^2> - <n>^2) from the series. */
SL_API sl_status sl_flux_run(sl_flux *F, int64_t nsweeps, int64_t nworms, int lmode, uint64_t seed, double *n,
                             double *phi2, int64_t *q);

/* Observables of the current configuration.  winding and density need a
 * closed one (SL_ERR_STATE); phi2 and the log weight are defined for any. */
SL_API sl_status sl_flux_winding(const sl_flux *F, int64_t *q);
SL_API sl_status sl_flux_density(const sl_flux *F, double *n);
SL_API sl_status sl_flux_phi2(const sl_flux *F, double *phi2);
/* log of the SF-2 weight without the delta (sum over links of
 * mu k_t - ln (|k| + l)! - ln l!, plus sum_x ln W(f_x)). */
SL_API sl_status sl_flux_log_weight(const sl_flux *F, double *logw);

/* Flux-violation defect: k of the link (t, x) -> (t, x) + d changes by dk
 * (+1 or -1); the configuration is then open at its two ends. */
SL_API sl_status sl_flux_add_defect(sl_flux *F, int d, int64_t t, int64_t x, int dk);

/* Maps of the lattice (site (t, x) -> (-1-t, x) or (t, -1-x), modulo the
 * sizes): axis 0 reflects time, axis 1 space.  The links along the axis
 * change orientation (k -> -k, base shifted by one), l does not change sign:
 *   axis 0: k_t'(t,x) = -k_t(-t-2, x), l_t'(t,x) = l_t(-t-2, x),
 *           k_x'(t,x) = k_x(-1-t, x),  l_x'(t,x) = l_x(-1-t, x)
 * (the table of LukasEin/scalar_ml_reflection, transform_featuremaps.py).
 * A time reflection maps Q to -Q (and the weight at mu to that at -mu). */
SL_API sl_status sl_flux_reflect(sl_flux *F, int axis);
/* Periodic translation: the new field at (t, x) is the old one at
 * (t - dt, x - dx) (any integers). */
SL_API sl_status sl_flux_translate(sl_flux *F, int64_t dt, int64_t dx);

/* Files: a container of kind FLUX (sizes, parameters, k, l, RNG counter,
 * totals).  Load validates every record (sizes, l >= 0, |k| bounded). */
SL_API sl_status sl_flux_save(const sl_flux *F, const char *path);
SL_API sl_status sl_flux_load(sl_ctx *ctx, const char *path, sl_flux **out);

#ifdef __cplusplus
}
#endif

#endif
