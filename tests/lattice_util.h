/* Shared helpers of the lattice tests: configurations of lcnn.md's exact
 * checks and graph evaluation on a single gauge field. */
#ifndef SL_TEST_LATTICE_UTIL_H
#define SL_TEST_LATTICE_UTIL_H

#include <complex.h>
#include <string.h>

#include "check.h"
#include "symlearn.h"

typedef double complex cz;

/* U(x, mu) = exp(i h) for h = c v.sigma */
static inline void su2_from_vec(double c, const double *v, cz *u)
{
    double r = c * sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), s = r > 0 ? sin(r) / r : 1;
    u[0] = cos(r) + I * s * c * v[2];
    u[1] = s * c * v[1] + I * s * c * v[0];
    u[2] = -s * c * v[1] + I * s * c * v[0];
    u[3] = cos(r) - I * s * c * v[2];
}

/* lcnn.md check 4: U = exp(i 0.8 v.sigma), v_k = sin(0.5 x0 + 0.3 x1 + 0.7 mu + 1.3 k + 0.1) */
static inline void smooth_config(int L, cz *links)
{
    for (int x0 = 0; x0 < L; ++x0)
        for (int x1 = 0; x1 < L; ++x1)
            for (int mu = 0; mu < 2; ++mu) {
                double v[3];
                for (int k = 0; k < 3; ++k) v[k] = sin(0.5 * x0 + 0.3 * x1 + 0.7 * mu + 1.3 * k + 0.1);
                su2_from_vec(0.8, v, links + (((x0 * L + x1) * 2 + mu) * 4));
            }
}

/* lcnn.md check 3: constant flux B = 2 pi n / L^2, embedded in SU(nc) */
static inline void flux_config(int L, int n, int nc, cz *links)
{
    double B = 2 * M_PI * n / (L * L);
    memset(links, 0, sizeof(cz) * (size_t)(L * L * 2 * nc * nc));
    for (int x0 = 0; x0 < L; ++x0)
        for (int x1 = 0; x1 < L; ++x1)
            for (int mu = 0; mu < 2; ++mu) {
                double th = mu == 1 ? B * x0 : (x0 == L - 1 ? -B * L * x1 : 0);
                cz *u = links + ((x0 * L + x1) * 2 + mu) * nc * nc;
                u[0] = cexp(I * th);
                u[nc + 1] = cexp(-I * th);
                for (int i = 2; i < nc; ++i) u[i * nc + i] = 1;
            }
}

/* Evaluate a graph output built from an input U (1, dims.., nd, N, N). */
typedef sl_node *(*lat_build_fn)(sl_graph *g, sl_node *U, void *user);

/* Returns a malloc'd copy of the output (numel complex or real), or NULL. */
static inline void *lat_eval(int nd, const int64_t *dims, int nc, const void *links, lat_build_fn f, void *user,
                      int64_t *numel, sl_dtype *dt)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    sl_graph *g;
    sl_graph_create(ctx, &g);
    int64_t shape[8] = {1};
    for (int i = 0; i < nd; ++i) shape[1 + i] = dims[i];
    shape[nd + 1] = nd; shape[nd + 2] = nc; shape[nd + 3] = nc;
    sl_node *U = sl_graph_input(g, SL_C128, nd + 4, shape, "U");
    sl_node *y = f(g, U, user);
    void *res = NULL;
    sl_plan *p = NULL;
    if (sl_graph_status(g) == SL_OK && sl_plan_create(g, 1, &y, &p) == SL_OK) {
        sl_plan_bind(p, U, links);
        if (sl_plan_run(p) == SL_OK) {
            size_t bytes = (size_t)sl_node_numel(y) * (sl_node_dtype(y) == SL_C128 ? 16 : 8);
            res = malloc(bytes);
            memcpy(res, sl_plan_output(p, 0), bytes);
            *numel = sl_node_numel(y);
            *dt = sl_node_dtype(y);
        }
    }
    if (!res) printf("lat_eval: %s\n", sl_ctx_errmsg(ctx));
    sl_plan_destroy(p);
    sl_graph_destroy(g);
    sl_ctx_destroy(ctx);
    return res;
}

/* Mean and max-deviation of Re Tr / N over the matrices of a c128 result. */
static inline double retr_mean(const cz *m, int64_t nmat, int nc, double *minv, double *maxv)
{
    double acc = 0, lo = 1e300, hi = -1e300;
    for (int64_t i = 0; i < nmat; ++i) {
        cz t = 0;
        for (int k = 0; k < nc; ++k) t += m[i * nc * nc + k * nc + k];
        double r = creal(t) / nc;
        acc += r;
        lo = fmin(lo, r);
        hi = fmax(hi, r);
    }
    if (minv) *minv = lo;
    if (maxv) *maxv = hi;
    return acc / (double)nmat;
}

/* GCMConv the slow way: L-Bilin of W and the concatenated positive
 * transports (the reference the fused kernels are tested against). */
static inline sl_node *gcm_reference(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K)
{
    int nd = sl_node_rank(U) - 4;
    sl_node *parts[64];
    int np = 0;
    for (int mu = 0; mu < nd; ++mu)
        for (int k = 1; k < K; ++k) parts[np++] = sl_graph_transport(g, U, W, mu, k);
    sl_node *T = np == 1 ? parts[0] : sl_graph_concat(g, np, parts, 0);
    return sl_graph_lbilin(g, W, T, alpha);
}

#endif
