/* E6 by training: the 78 generators of e6(-26) learned from the cubic norm of
 * the Albert algebra on R^27 (the exceptional Jordan algebra of 3 x 3
 * Hermitian octonionic matrices), with the trained solver of
 * sl_discover_symmetries (exact-derivative invariance, normalisation and
 * orthogonality losses; Adam then L-BFGS).  Reports the wall time of the call,
 * the final loss, the distance of the learned span from the exact solver's
 * and the Killing signature of the learned algebra (want (52, 26, 0)).
 * --steps N is --lbfgs N (L-BFGS steps of up to 20 iterations each). */
#include "bench_common.h"
#include "symlearn/analysis.h"
#include "symlearn/discover.h"

int main(int argc, char **argv)
{
    long threads = 1, adam = 0, lbfgs = 40, closure = 0;
    double lr = 1e-2;
    const bench_opt opts[] = {
        {"threads", 1, &threads, NULL}, {"adam", 1, &adam, NULL}, {"lbfgs", 1, &lbfgs, NULL},
        {"closure", 1, &closure, NULL}, {"lr", 0, NULL, &lr}, {"steps", 1, &lbfgs, NULL},
    };
    bench_parse(argc, argv, (int)(sizeof opts / sizeof opts[0]), opts);
    sl_ctx *ctx = bench_ctx((int)threads);

    sl_symmetry_opts *o = NULL;
    sl_symmetry_result *exact = NULL, *trained = NULL;
    BENCH_CHECK(ctx, sl_symmetry_opts_create(ctx, &o));
    BENCH_CHECK(ctx, sl_symmetry_opts_oracle_albert(o, 0));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_sparsify(o, 0));
    double t0 = bench_now();
    BENCH_CHECK(ctx, sl_discover_symmetries(ctx, o, &exact));
    double exact_seconds = bench_now() - t0;

    BENCH_CHECK(ctx, sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_generators(o, 78));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_closure(o, closure ? SL_SYM_CLOSURE_LSQ : SL_SYM_CLOSURE_OFF, 0));
    BENCH_CHECK(ctx, sl_symmetry_opts_set_training(o, (int)adam, lr, (int)lbfgs));
    t0 = bench_now();
    double cpu0 = bench_cpu_now();
    BENCH_CHECK(ctx, sl_discover_symmetries(ctx, o, &trained));
    double seconds = bench_now() - t0, cpu_seconds = bench_cpu_now() - cpu0;

    double dist = 1;
    BENCH_CHECK(ctx, sl_lie_span_distance(ctx, 27, sl_symmetry_result_dim(exact), sl_symmetry_result_generators(exact),
                                          sl_symmetry_result_dim(trained), sl_symmetry_result_generators(trained), &dist));
    int nneg, npos, nzero;
    sl_symmetry_result_signature(trained, &nneg, &npos, &nzero);
    if (bench_verbose()) sl_symmetry_result_print(trained, stderr);
    bench_report("e6", (int)threads, adam + lbfgs, seconds, "loss", sl_symmetry_result_loss(trained, SL_SYM_LOSS_TOTAL),
                 "dim", (double)sl_symmetry_result_dim(trained), "span_distance", dist, "killing_negative", (double)nneg,
                 "killing_positive", (double)npos, "killing_zero", (double)nzero,
                 "closure_residual", sl_symmetry_result_closure_residual(trained), "exact_seconds", exact_seconds,
                 "cpu_seconds", cpu_seconds, (const char *)NULL);
    sl_symmetry_result_destroy(exact);
    sl_symmetry_result_destroy(trained);
    sl_symmetry_opts_destroy(o);
    sl_ctx_destroy(ctx);
    return 0;
}
