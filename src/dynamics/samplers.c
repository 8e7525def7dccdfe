/* Samplers: uniform points in a box and points along trajectories from
 * box-sampled initial conditions, with a group id per trajectory. */
#include "dynamics_internal.h"

#include <math.h>

#define SALT_BOX 0x626f78ULL       /* "box" */
#define SALT_TRAJ 0x7472616aULL    /* "traj" */

sl_status sl__box_check(sl_ctx *ctx, const char *who, int64_t d, const double *lo, const double *hi)
{
    if (!lo || !hi) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, lo ? "hi" : "lo");
    for (int64_t i = 0; i < d; ++i) {
        if (!isfinite(lo[i]) || !isfinite(hi[i]))
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: box [%g, %g] in coordinate %lld (must be finite)", who, lo[i],
                            hi[i], (long long)i);
        if (!(lo[i] < hi[i]))
            return sl__fail(ctx, SL_ERR_ARG, "%s: box [%g, %g] in coordinate %lld (must have lo < hi)", who, lo[i], hi[i],
                            (long long)i);
    }
    return SL_OK;
}

/* Draw points into x until m are kept; k counts RNG words used. */
static sl_status draw(sl_ctx *ctx, const char *who, int64_t d, const double *lo, const double *hi, sl_domain_fn domain,
                      void *duser, int64_t m, uint64_t seed, uint64_t *k, double *x)
{
    int64_t kept = 0, tries = 0;
    while (kept < m) {
        if (tries++ >= 1000 * m)
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: %lld of %lld draws were in the domain: the domain is too small for the box",
                            who, (long long)kept, (long long)tries - 1);
        double *row = x + kept * d;
        for (int64_t i = 0; i < d; ++i) row[i] = lo[i] + (hi[i] - lo[i]) * sl_rng_uniform(seed, (*k)++);
        if (!domain || domain(duser, row, d)) kept++;
    }
    return SL_OK;
}

sl_status sl_sample_box(sl_ctx *ctx, int64_t d, const double *lo, const double *hi, sl_domain_fn domain, void *duser,
                        int64_t m, uint64_t stream, double *x)
{
    const char *who = "sl_sample_box";
    if (!ctx) return SL_ERR_NULL;
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (d < 1 || d > SL__DYN_MAX_DIM) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (must be 1..2^20)", who, (long long)d);
    if (m < 1 || m > SL__DYN_MAX_POINTS) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^30)", who, (long long)m);
    int64_t cells;
    if (!sl__mul_ok(m, d, &cells)) return sl__fail(ctx, SL_ERR_ARG, "%s: m x d = %lld x %lld is too large", who, (long long)m, (long long)d);
    sl_status st = sl__box_check(ctx, who, d, lo, hi);
    if (st) return st;
    double *tmp = sl__alloc(ctx, sizeof(double) * (size_t)cells, 0, who);
    if (!tmp) return SL_ERR_NOMEM;
    uint64_t k = 0;
    st = draw(ctx, who, d, lo, hi, domain, duser, m, sl__stream_seed(ctx, stream, SALT_BOX), &k, tmp);
    if (!st) memcpy(x, tmp, sizeof(double) * (size_t)cells);
    sl__free(ctx, tmp);
    return st;
}

sl_status sl_sample_trajectories(sl_ctx *ctx, sl_vector_field_fn f, void *user, int64_t d, const double *lo,
                                 const double *hi, sl_domain_fn domain, void *duser, int64_t n_traj, int64_t per_traj,
                                 double dt, int64_t every, uint64_t stream, double *x, int64_t *group)
{
    const char *who = "sl_sample_trajectories";
    if (!ctx) return SL_ERR_NULL;
    if (!f) return sl__fail(ctx, SL_ERR_NULL, "%s: f is NULL", who);
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (d < 1 || d > SL__DYN_MAX_DIM) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (must be 1..2^20)", who, (long long)d);
    if (n_traj < 1 || n_traj > SL__DYN_MAX_POINTS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: n_traj = %lld (must be 1..2^30)", who, (long long)n_traj);
    int64_t total, cells;
    if (per_traj < 1 || !sl__mul_ok(n_traj, per_traj, &total) || total > SL__DYN_MAX_POINTS ||
        !sl__mul_ok(total, d, &cells))
        return sl__fail(ctx, SL_ERR_ARG, "%s: n_traj x per_traj = %lld x %lld points (must be 1..2^30)", who,
                        (long long)n_traj, (long long)per_traj);
    sl_status st = sl__box_check(ctx, who, d, lo, hi);
    if (st) return st;
    if (!isfinite(dt) || dt == 0) return sl__fail(ctx, SL_ERR_ARG, "%s: dt = %g (must be finite and nonzero)", who, dt);
    if (every < 1 || every > SL__DYN_MAX_STEPS) return sl__fail(ctx, SL_ERR_ARG, "%s: every = %lld (must be 1..2^40)", who, (long long)every);
    int64_t steps;
    if (!sl__mul_ok(per_traj - 1, every, &steps) || steps > SL__DYN_MAX_STEPS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: (per_traj - 1) * every steps is too many (at most 2^40)", who);
    double *out = sl__alloc(ctx, sizeof(double) * (size_t)(cells + 7 * d), 0, who);
    if (!out) return SL_ERR_NOMEM;
    double *work = out + cells, *x0 = work + 6 * d;
    uint64_t seed = sl__stream_seed(ctx, stream, SALT_TRAJ), k = 0;
    int64_t done = 0, tries = 0;
    while (!st && done < n_traj) {
        if (tries++ >= 1000 * n_traj) {
            st = sl__fail(ctx, SL_ERR_NUMERIC, "%s: only %lld of %lld trajectories stayed in the domain after %lld draws",
                          who, (long long)done, (long long)n_traj, (long long)tries - 1);
            break;
        }
        if ((st = draw(ctx, who, d, lo, hi, domain, duser, 1, seed, &k, x0))) break;
        double *rows = out + done * per_traj * d;
        st = sl__rk4_run(ctx, who, f, user, d, x0, 0.0, dt, per_traj, every, rows, work);
        if (st == SL_ERR_NONFINITE) {   /* a blow-up: draw again */
            sl_ctx_clear_error(ctx);
            st = SL_OK;
            continue;
        }
        if (st) break;
        int ok = 1;
        for (int64_t r = 0; domain && ok && r < per_traj; ++r) ok = domain(duser, rows + r * d, d) != 0;
        if (ok) done++;
    }
    if (!st) {
        memcpy(x, out, sizeof(double) * (size_t)cells);
        if (group)
            for (int64_t i = 0; i < total; ++i) group[i] = i / per_traj;
    }
    sl__free(ctx, out);
    return st;
}
