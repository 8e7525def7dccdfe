/* Internal declarations of the dynamics layer: integrators, samplers and the
 * benchmark systems (include/symlearn/dynamics.h). */
#ifndef SL_DYNAMICS_INTERNAL_H
#define SL_DYNAMICS_INTERNAL_H

#include "../core/internal.h"

#define SL__DYN_MAX_DIM ((int64_t)1 << 20)
#define SL__DYN_MAX_STEPS ((int64_t)1 << 40)
#define SL__DYN_MAX_POINTS ((int64_t)1 << 30)

/* Argument checks shared by the integrators (messages name who). */
SL_HIDDEN sl_status sl__ode_check(sl_ctx *ctx, const char *who, int64_t d, const double *x0, double dt,
                                  int64_t n_out, int64_t every, const double *traj);
/* RK4 into traj (n_out x d) with scratch work (6 d doubles); checks done by
 * the caller.  Failures are recorded naming who; traj may be partly written. */
SL_HIDDEN sl_status sl__rk4_run(sl_ctx *ctx, const char *who, sl_vector_field_fn f, void *user, int64_t d,
                                const double *x0, double t0, double dt, int64_t n_out, int64_t every,
                                double *traj, double *work);
/* The seed of sampler stream `stream` of ctx (a splitmix64 word of the
 * context seed, so streams are independent). */
static inline uint64_t sl__stream_seed(const sl_ctx *ctx, uint64_t stream, uint64_t salt)
{
    return sl_rng_u64(ctx->seed ^ salt, stream);
}
/* Check a box lo < hi (d finite values each); messages name who. */
SL_HIDDEN sl_status sl__box_check(sl_ctx *ctx, const char *who, int64_t d, const double *lo, const double *hi);

struct sl_system {
    sl_ctx *ctx;
    int kind;
    int64_t d;
    double w1, w2;      /* oscillator frequencies (B1-B4) */
};

#endif
