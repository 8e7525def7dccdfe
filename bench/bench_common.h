/* Shared helpers of the C benchmarks (bench/bench_*.c): argument parsing,
 * monotonic timing, the deterministic fills of bench/peers/sm64.py, and the
 * one-line JSON report in the format of the peers' common.report(). */
#ifndef SL_BENCH_COMMON_H
#define SL_BENCH_COMMON_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "symlearn/core.h"
#include "symlearn/graph.h"
#include "symlearn/optim.h"
#include "symlearn/tensor.h"

/* ---- Failure: print where and the context message, exit 1 ---------------- */
static inline void bench_die(sl_ctx *ctx, const char *what, sl_status st)
{
    fprintf(stderr, "bench: %s failed: %s (%s)\n", what, sl_status_string(st),
            ctx ? sl_ctx_errmsg(ctx) : "");
    exit(1);
}
#define BENCH_CHECK(ctx, call)                                                   \
    do {                                                                         \
        sl_status st_ = (call);                                                  \
        if (st_ != SL_OK) bench_die((ctx), #call, st_);                          \
    } while (0)
/* A graph's sticky error, checked once after building an expression. */
static inline void bench_check_graph(sl_graph *g, const char *what)
{
    sl_status st = sl_graph_status(g);
    if (st != SL_OK) bench_die(sl_graph_ctx(g), what, st);
}

/* ---- Arguments: --threads N plus the peer's own --name value options ------ */
typedef struct bench_opt {
    const char *name;   /* without the leading "--", '-' in place of '_' */
    int is_int;
    long *ival;
    double *dval;
} bench_opt;

static inline void bench_parse(int argc, char **argv, int nopt, const bench_opt *opts)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char key[64];
        if (strncmp(a, "--", 2) != 0) goto bad;
        a += 2;
        const char *eq = strchr(a, '=');
        size_t klen = eq ? (size_t)(eq - a) : strlen(a);
        if (klen >= sizeof key) goto bad;
        memcpy(key, a, klen);
        key[klen] = 0;
        if (eq) val = eq + 1;
        else if (i + 1 < argc) val = argv[++i];
        else goto bad;
        int found = 0;
        for (int k = 0; k < nopt; k++) {
            if (strcmp(key, opts[k].name) != 0) continue;
            char *end;
            if (opts[k].is_int) *opts[k].ival = strtol(val, &end, 10);
            else *opts[k].dval = strtod(val, &end);
            if (*end || end == val) goto bad;
            found = 1;
        }
        if (!found) goto bad;
        continue;
    bad:
        fprintf(stderr, "usage: %s", argv[0]);
        for (int k = 0; k < nopt; k++) fprintf(stderr, " [--%s N]", opts[k].name);
        fprintf(stderr, "\n  (bad argument near '%s')\n", argv[i]);
        exit(2);
    }
}

/* ---- Timing ---------------------------------------------------------------- */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the process (all threads): next to the wall time it shows when a
 * run shared the machine with other work (wall >> cpu at 1 thread). */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- Deterministic data (bit-identical to peers/sm64.py) ------------------- */
static inline double *bench_alloc(size_t n)
{
    double *p = calloc(n ? n : 1, sizeof *p);
    if (!p) {
        fprintf(stderr, "bench: out of memory (%zu doubles)\n", n);
        exit(1);
    }
    return p;
}
/* common.filled(seed, shape, "normal"): scale * normal, row-major. */
static inline double *bench_normal(uint64_t seed, size_t n)
{
    double *p = bench_alloc(n);
    sl_rng_fill_normal(seed, 0, n, 0.0, 1.0, p);
    return p;
}
/* common.filled(seed, shape, "uniform", lo, hi): lo + (hi - lo) * uniform. */
static inline double *bench_uniform(uint64_t seed, size_t n, double lo, double hi)
{
    double *p = bench_alloc(n);
    sl_rng_fill_uniform(seed, 0, n, lo, hi, p);
    return p;
}
/* common.glorot: (fan_in, fan_out), uniform(-b, b), b = (6 / (fan_in + fan_out)) ** 0.5.
 * Python's float ** 0.5 is C pow(x, 0.5), which is what is used here (not sqrt),
 * so b has the same bits as the peer's. */
static inline double *bench_glorot(uint64_t seed, int64_t fan_in, int64_t fan_out)
{
    double b = pow(6.0 / (double)(fan_in + fan_out), 0.5);
    return bench_uniform(seed, (size_t)(fan_in * fan_out), -b, b);
}

/* ---- Graph shorthands -------------------------------------------------------- */
static inline sl_node *bench_param2(sl_graph *g, int64_t r, int64_t c, const double *init,
                             const char *name)
{
    int64_t shape[2] = {r, c};
    return sl_graph_param(g, SL_F64, 2, shape, init, name);
}
static inline sl_node *bench_param1(sl_graph *g, int64_t n, const double *init, const char *name)
{
    int64_t shape[1] = {n};
    return sl_graph_param(g, SL_F64, 1, shape, init, name);
}

/* ---- Context ------------------------------------------------------------------ */
static inline sl_ctx *bench_ctx(int threads)
{
    sl_ctx *ctx = NULL;
    sl_status st = sl_ctx_create(&ctx, NULL);
    if (st != SL_OK) bench_die(NULL, "sl_ctx_create", st);
    BENCH_CHECK(ctx, sl_ctx_set_threads(ctx, threads));
    return ctx;
}

/* ---- Report: one JSON line like peers/common.py report() ---------------------
 * Extra figures are (name, value) pairs of doubles, terminated by a NULL name. */
static inline void bench_json_double(double v)
{
    if (isfinite(v)) printf("%.17g", v);
    else if (isnan(v)) printf("NaN");          /* what Python's json.dumps writes */
    else printf(v > 0 ? "Infinity" : "-Infinity");
}
static inline void bench_report(const char *workload, int threads, long steps, double seconds, ...)
{
    printf("{\"workload\": \"%s\", \"impl\": \"libsymlearn-%s\", \"threads\": %d, "
           "\"steps\": %ld, \"seconds\": ",
           workload, sl_version_string(), threads, steps);
    bench_json_double(seconds);
    printf(", \"steps_per_s\": ");
    if (seconds > 0) bench_json_double((double)steps / seconds);
    else printf("null");
    va_list ap;
    va_start(ap, seconds);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name) break;
        double v = va_arg(ap, double);
        printf(", \"%s\": ", name);
        bench_json_double(v);
    }
    va_end(ap);
    printf("}\n");
    fflush(stdout);
}

/* ---- GEMM floor -----------------------------------------------------------------
 * The time of the GEMMs one training step runs (the same shapes, the same count
 * per step as the library's plan, listed by hand in each bench), as plain calls
 * of the linked dgemm, `steps` times over: what a step would cost if it did
 * nothing but its matrix products.  floor_fraction = floor_seconds / seconds.
 * Shapes are row-major C (m x n) = op(A) (m x k) op(B) (k x n). */
void dgemm_(const char *transa, const char *transb, const int *m, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *b,
            const int *ldb, const double *beta, double *c, const int *ldc, size_t la, size_t lb);

typedef struct bench_gemm {
    char op_a, op_b;       /* 'N' or 'T' */
    int64_t m, n, k;
    int count;             /* per step */
} bench_gemm;

/* Row-major C = op(A) op(B) as column-major C^T = op(B)^T op(A)^T. */
static inline void bench_rowmajor_gemm(const bench_gemm *s, const double *a, const double *b, double *c)
{
    const double one = 1.0, zero = 0.0;
    int M = (int)s->n, N = (int)s->m, K = (int)s->k;
    int lda = (int)(s->op_b == 'N' ? s->n : s->k), ldb = (int)(s->op_a == 'N' ? s->k : s->m), ldc = (int)s->n;
    char ta = s->op_b, tb = s->op_a;
    dgemm_(&ta, &tb, &M, &N, &K, &one, b, &lda, a, &ldb, &zero, c, &ldc, 1, 1);
}

/* The floor's operands (values in [-1, 1): no denormals), allocated once;
 * bench_floor_run adds the wall and CPU seconds of `steps` repetitions of
 * the list.  The benches run it in chunks between chunks of training steps
 * (bench_timed_steps), so that both see the same load on a shared machine. */
typedef struct bench_floor {
    const bench_gemm *list;
    int n;
    double *a[32], *b[32], *c[32];
    double seconds, cpu_seconds;
} bench_floor;

static inline void bench_floor_init(bench_floor *f, const bench_gemm *list, int n)
{
    memset(f, 0, sizeof *f);
    f->list = list;
    f->n = n > 32 ? 32 : n;
    for (int i = 0; i < f->n; i++) {
        f->a[i] = bench_uniform(100 + (uint64_t)i, (size_t)(list[i].m * list[i].k), -1, 1);
        f->b[i] = bench_uniform(200 + (uint64_t)i, (size_t)(list[i].k * list[i].n), -1, 1);
        f->c[i] = bench_alloc((size_t)(list[i].m * list[i].n));
        bench_rowmajor_gemm(&list[i], f->a[i], f->b[i], f->c[i]);   /* warm-up */
    }
}

static inline void bench_floor_run(bench_floor *f, long steps)
{
    double t0 = bench_now(), cpu0 = bench_cpu_now();
    for (long s = 0; s < steps; s++)
        for (int i = 0; i < f->n; i++)
            for (int r = 0; r < f->list[i].count; r++) bench_rowmajor_gemm(&f->list[i], f->a[i], f->b[i], f->c[i]);
    f->seconds += bench_now() - t0;
    f->cpu_seconds += bench_cpu_now() - cpu0;
}

static inline void bench_floor_free(bench_floor *f)
{
    for (int i = 0; i < f->n; i++) free(f->a[i]), free(f->b[i]), free(f->c[i]);
}

/* `steps` sl_optim_step calls timed in chunks of `chunk`, each followed by
 * the same number of floor steps (timed apart): *seconds, *cpu_seconds are
 * the optimiser's alone. */
static inline void bench_timed_steps(sl_ctx *ctx, sl_optim *opt, long steps, long chunk, bench_floor *f,
                                     double *seconds, double *cpu_seconds)
{
    *seconds = *cpu_seconds = 0;
    for (long done = 0; done < steps; done += chunk) {
        long k = steps - done < chunk ? steps - done : chunk;
        double t0 = bench_now(), cpu0 = bench_cpu_now();
        for (long s = 0; s < k; s++) BENCH_CHECK(ctx, sl_optim_step(opt, NULL));
        *seconds += bench_now() - t0;
        *cpu_seconds += bench_cpu_now() - cpu0;
        bench_floor_run(f, k);
    }
}

/* ---- Debug: print the first few values (set BENCH_VERBOSE=1) ------------------ */
static inline int bench_verbose(void)
{
    const char *v = getenv("BENCH_VERBOSE");
    return v && *v && strcmp(v, "0") != 0;
}
static inline void bench_show(const char *name, const double *p, int n)
{
    fprintf(stderr, "%s:", name);
    for (int i = 0; i < n; i++) fprintf(stderr, " %.17g", p[i]);
    fprintf(stderr, "\n");
}

#endif
