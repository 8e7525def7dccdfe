/* The trained encoder of a Siamese invariant result: evaluation (values and
 * input gradients) and the fits of a latent onto the monomials of degree <= 2
 * (Wetzel et al. 2020 read their latents this way).  A small private fit:
 * normal equations (VALUE) or a generalised eigenproblem (GRADIENT) of at
 * most 1 + d + d(d+1)/2 unknowns, column-scaled, through LAPACK. */
#include "invariants_internal.h"
#include "../kernels/blas.h"

#include <math.h>

sl_status sl_invariant_result_encode(const sl_invariant_result *r, int64_t m, const double *x, double *out,
                                     double *grad)
{
    const char *who = "sl_invariant_result_encode";
    if (!r) return SL_ERR_NULL;
    sl_ctx *ctx = r->ctx;
    if (!x || !out) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !x ? "x" : "out");
    if (m < 1) return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld (must be >= 1)", who, (long long)m);
    int64_t md, L = r->nlatent, d = r->d;
    sl_status st = sl__product(ctx, SL_ERR_SHAPE, who, "m x d x nlatent", 3, (int64_t[]){m, d, L}, &md);
    if (st) return st;
    int64_t bad = sl__first_nonfinite(x, (size_t)(m * d));
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g", who, (long long)bad, x[bad]);
    sl_graph *g;
    if ((st = sl_graph_create(ctx, &g))) return st;
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){m, d}, "x");
    sl_mlp *net = NULL;
    sl_plan *p = NULL;
    sl_node **outs = sl__alloc(ctx, sizeof(sl_node *) * (size_t)(L + 1), 0, who);
    if (!outs) { st = SL_ERR_NOMEM; goto done; }
    if ((st = sl_mlp_create(g, &r->mo, &net)) || (st = sl_mlp_set_weights(net, r->weights))) goto done;
    outs[0] = sl_mlp_apply(net, sl__invariant_standardise(g, r, X));
    if (grad)
        for (int64_t k = 0; k < L; ++k)
            outs[1 + k] = sl_graph_grad1(g, sl_graph_sum(g, sl_graph_slice(g, outs[0], 1, k, k + 1, 1)), X);
    if ((st = sl_graph_status(g))) goto done;
    if ((st = sl_plan_create(g, grad ? (int)L + 1 : 1, outs, &p))) goto done;
    if ((st = sl_plan_bind(p, X, x)) || (st = sl_plan_run(p))) goto done;
    memcpy(out, sl_plan_output(p, 0), sizeof(double) * (size_t)(m * L));
    if (grad)
        for (int64_t k = 0; k < L; ++k) {
            const double *gk = sl_plan_output(p, 1 + (int)k);
            for (int64_t i = 0; i < m; ++i) memcpy(grad + (i * L + k) * d, gk + i * d, sizeof(double) * (size_t)d);
        }
done:
    sl_plan_destroy(p);
    sl__free(ctx, outs);
    sl_graph_destroy(g);
    return st;
}

/* Monomials of x (length d) in the documented order: 1, x_i, x_i x_j (i <= j). */
static void monomials(int64_t d, const double *x, double *mono)
{
    int64_t k = 0;
    mono[k++] = 1;
    for (int64_t i = 0; i < d; ++i) mono[k++] = x[i];
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = i; j < d; ++j) mono[k++] = x[i] * x[j];
}

/* J (d x (K - 1)): J[i][k - 1] = d mono_k / d x_i, the constant left out. */
static void monomial_jacobian(int64_t d, const double *x, double *J)
{
    int64_t K1 = d + d * (d + 1) / 2;
    memset(J, 0, sizeof(double) * (size_t)(d * K1));
    for (int64_t i = 0; i < d; ++i) J[i * K1 + i] = 1;
    int64_t k = d;
    for (int64_t i = 0; i < d; ++i)
        for (int64_t j = i; j < d; ++j, ++k) {
            J[i * K1 + k] += x[j];
            J[j * K1 + k] += x[i];
        }
}

/* Symmetric (generalised when B != NULL) eigenproblem of a K x K matrix, column
 * scaled by s: a becomes the eigenvectors (columns of the column-major a, i.e.
 * rows of our row-major buffer), w the ascending eigenvalues. */
static sl_status eig(sl_ctx *ctx, const char *who, int64_t K, double *a, double *b, double *w)
{
    sl_blas_int n = (sl_blas_int)K, lwork = (sl_blas_int)(8 * K + 64), info = 0, itype = 1;
    double *work = sl__alloc(ctx, sizeof(double) * (size_t)lwork, 0, who);
    if (!work) return SL_ERR_NOMEM;
    if (b) dsygv_(&itype, "V", "L", &n, a, &n, b, &n, w, work, &lwork, &info, 1, 1);
    else dsyev_("V", "L", &n, a, &n, w, work, &lwork, &info, 1, 1);
    sl__free(ctx, work);
    if (info) return sl__fail(ctx, SL_ERR_NUMERIC, "%s: %s failed (info = %d)", who, b ? "dsygv" : "dsyev", (int)info);
    return SL_OK;
}

/* GRADIENT fit.  Minimise sum_x w_x |grad P - (grad P . u) u|^2 over
 * sum_x w_x |grad P|^2 (u = grad f / |grad f|), a generalised eigenproblem
 * A c = lambda B c of the K - 1 non-constant monomials, column scaled.  The
 * weights start at 1 and are then iterated to w_x = 1 / |grad P(x)|^2 (three
 * passes), so the ratio becomes the mean squared sine of the angle between
 * grad P and grad f, and points far out (where grad P is large and the data
 * sparse) do not dominate.  Buffers: A, B (K1^2), J (d K1), uj, w (K). */
static sl_status gradient_fit(sl_ctx *ctx, const char *who, int64_t d, int64_t m, const double *x, const double *gr,
                              int64_t L, int latent, double *A, double *B, double *J, double *uj, double *w,
                              double *coef, double *residual)
{
    int64_t K1 = d + d * (d + 1) / 2;
    for (int pass = 0; pass < 4; ++pass) {
        memset(A, 0, sizeof(double) * (size_t)(K1 * K1));
        memset(B, 0, sizeof(double) * (size_t)(K1 * K1));
        double wsum = 0;
        for (int64_t i = 0; i < m; ++i) {
            const double *gi = gr + (i * L + latent) * d;
            double nrm = 0;
            for (int64_t j = 0; j < d; ++j) nrm += gi[j] * gi[j];
            if (!(nrm > 0)) continue;
            nrm = sqrt(nrm);
            monomial_jacobian(d, x + i * d, J);
            double wx = 1;
            if (pass) {   /* 1 / |grad P|^2 of the previous pass */
                double g2 = 0;
                for (int64_t j = 0; j < d; ++j) {
                    double t = 0;
                    for (int64_t a = 0; a < K1; ++a) t += J[j * K1 + a] * coef[1 + a];
                    g2 += t * t;
                }
                wx = 1.0 / fmax(g2, 1e-12);
            }
            wsum += wx;
            for (int64_t a = 0; a < K1; ++a) {
                double t = 0;
                for (int64_t j = 0; j < d; ++j) t += gi[j] / nrm * J[j * K1 + a];
                uj[a] = t;
            }
            for (int64_t a = 0; a < K1; ++a)
                for (int64_t b = 0; b <= a; ++b) {
                    double jj = 0;
                    for (int64_t j = 0; j < d; ++j) jj += J[j * K1 + a] * J[j * K1 + b];
                    B[a * K1 + b] += wx * jj;
                    A[a * K1 + b] += wx * (jj - uj[a] * uj[b]);
                }
        }
        if (!(wsum > 0)) return sl__fail(ctx, SL_ERR_NUMERIC, "%s: the latent's gradient is zero at every point", who);
        double *sc = J;   /* the scales, in J's space (free now, K1 <= d K1) */
        for (int64_t a = 0; a < K1; ++a) sc[a] = B[a * K1 + a] > 0 ? 1.0 / sqrt(B[a * K1 + a]) : 1.0;
        for (int64_t a = 0; a < K1; ++a)
            for (int64_t b = 0; b <= a; ++b) {
                A[b * K1 + a] = A[a * K1 + b] *= sc[a] * sc[b];
                B[b * K1 + a] = B[a * K1 + b] *= sc[a] * sc[b];
            }
        sl_status st = eig(ctx, who, K1, A, B, w);
        if (st) return st;
        double nrm = 0, big = 0;   /* A's first column: the eigenvector of the smallest eigenvalue */
        coef[0] = 0;
        for (int64_t a = 0; a < K1; ++a) {
            coef[1 + a] = A[a] * sc[a];
            nrm += coef[1 + a] * coef[1 + a];
            if (fabs(coef[1 + a]) > fabs(big)) big = coef[1 + a];
        }
        double fac = (big < 0 ? -1.0 : 1.0) / sqrt(nrm);
        for (int64_t a = 1; a <= K1; ++a) coef[a] *= fac;
        if (residual) *residual = fmax(0.0, w[0]);
    }
    return SL_OK;
}

sl_status sl_invariant_result_fit(const sl_invariant_result *r, int latent, int mode, int64_t m, const double *x,
                                  double *coef, double *residual)
{
    const char *who = "sl_invariant_result_fit";
    if (!r) return SL_ERR_NULL;
    sl_ctx *ctx = r->ctx;
    if (!coef) return sl__fail(ctx, SL_ERR_NULL, "%s: coef is NULL", who);
    if (latent < 0 || latent >= r->nlatent)
        return sl__fail(ctx, SL_ERR_ARG, "%s: latent = %d (must be 0..%d)", who, latent, r->nlatent - 1);
    if (mode != SL_INVARIANT_FIT_VALUE && mode != SL_INVARIANT_FIT_GRADIENT)
        return sl__fail(ctx, SL_ERR_ARG, "%s: mode = %d (must be SL_INVARIANT_FIT_VALUE or _GRADIENT)", who, mode);
    int64_t d = r->d, K = 1 + d + d * (d + 1) / 2, L = r->nlatent;
    if (d > 200) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (monomial fits need d <= 200)", who, (long long)d);
    if (!x) x = r->x, m = r->n;
    if (m < K)
        return sl__fail(ctx, SL_ERR_ARG, "%s: m = %lld points for %lld monomials (need m >= %lld)", who,
                        (long long)m, (long long)K, (long long)K);
    double *f = sl__alloc(ctx, sizeof(double) * (size_t)(m * L), 0, who);
    double *gr = sl__alloc(ctx, sizeof(double) * (size_t)(m * L * d), 0, who);
    double *A = sl__alloc(ctx, sizeof(double) * (size_t)(K * K), 1, who);
    double *B = sl__alloc(ctx, sizeof(double) * (size_t)(K * K), 1, who);
    double *v = sl__alloc(ctx, sizeof(double) * (size_t)(K + d * K + K), 0, who);
    sl_status st = SL_ERR_NOMEM;
    if (!f || !gr || !A || !B || !v) goto done;
    if ((st = sl_invariant_result_encode(r, m, x, f, mode == SL_INVARIANT_FIT_GRADIENT ? gr : NULL))) goto done;
    double *mono = v, *J = v + K, *w = v + K + d * K;
    if (mode == SL_INVARIANT_FIT_VALUE) {
        /* normal equations G c = M^T f, G = M^T M, scaled to unit diagonal */
        double *rhs = B;
        for (int64_t i = 0; i < m; ++i) {
            monomials(d, x + i * d, mono);
            double fi = f[i * L + latent];
            for (int64_t a = 0; a < K; ++a) {
                rhs[a] += mono[a] * fi;
                for (int64_t b = 0; b <= a; ++b) A[a * K + b] += mono[a] * mono[b];
            }
        }
        double *s = B + K;   /* scales */
        for (int64_t a = 0; a < K; ++a) s[a] = A[a * K + a] > 0 ? 1.0 / sqrt(A[a * K + a]) : 1.0;
        for (int64_t a = 0; a < K; ++a)
            for (int64_t b = 0; b <= a; ++b) A[b * K + a] = A[a * K + b] *= s[a] * s[b];
        if ((st = eig(ctx, who, K, A, NULL, w))) goto done;
        /* c = S V diag(1/w) V^T S rhs, dropping eigenvalues below 1e-13 of the largest */
        for (int64_t a = 0; a < K; ++a) coef[a] = 0;
        for (int64_t e = 0; e < K; ++e) {
            if (!(w[e] > 1e-13 * w[K - 1])) continue;
            const double *ve = A + e * K;
            double t = 0;
            for (int64_t a = 0; a < K; ++a) t += ve[a] * s[a] * rhs[a];
            for (int64_t a = 0; a < K; ++a) coef[a] += ve[a] * t / w[e];
        }
        for (int64_t a = 0; a < K; ++a) coef[a] *= s[a];
        if (residual) {
            double mean = 0, ss = 0, sr = 0;
            for (int64_t i = 0; i < m; ++i) mean += f[i * L + latent];
            mean /= (double)m;
            for (int64_t i = 0; i < m; ++i) {
                monomials(d, x + i * d, mono);
                double p = 0, fi = f[i * L + latent];
                for (int64_t a = 0; a < K; ++a) p += coef[a] * mono[a];
                sr += (fi - p) * (fi - p);
                ss += (fi - mean) * (fi - mean);
            }
            *residual = ss > 0 ? sqrt(sr / ss) : 0;
        }
    } else {
        if ((st = gradient_fit(ctx, who, d, m, x, gr, L, latent, A, B, J, mono, w, coef, residual))) goto done;
    }
    st = SL_OK;
done:
    sl__free(ctx, f), sl__free(ctx, gr), sl__free(ctx, A), sl__free(ctx, B), sl__free(ctx, v);
    return st;
}
