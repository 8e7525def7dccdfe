/* Levenberg-Marquardt for the feature-library Lax connection: the loss is a
 * sum of squares of residuals bilinear in the weights,
 *   R_b = (D_t phi_b) W_x - (D_x phi_b) W_t + [phi_b W_x, phi_b W_t],
 * plus the scale and commutator residuals, and a zero-residual solution
 * exists when the library can represent a connection, so Gauss-Newton steps
 * converge quadratically where first-order methods crawl (Marquardt, J. SIAM
 * 11 (1963) 431; damping mu (diag(J^T J) + eps), mu adapted by the gain). */
#include "lax_internal.h"

#include <math.h>

typedef struct {
    const sl__lax_lm_problem *P;
    int64_t m, F, n, nn, np;
    const double *phi, *phx, *pht;
    int64_t *col;          /* np: column c is weight index col[c] of the flat (W_x, W_t) */
} lm_t;

static void contract(const double *phi, const double *W, int64_t F, int64_t nn, double *out)
{
    for (int64_t e = 0; e < nn; ++e) out[e] = 0;
    for (int64_t f = 0; f < F; ++f)
        if (phi[f] != 0)
            for (int64_t e = 0; e < nn; ++e) out[e] += phi[f] * W[f * nn + e];
}

/* tr(a a) (n x n). */
static double trace_square(const double *a, int64_t n)
{
    double t = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) t += a[i * n + j] * a[j * n + i];
    return t;
}

/* a -> a - (tr a / n) 1 (n x n). */
static void project_traceless(double *a, int64_t n)
{
    double t = 0;
    for (int64_t i = 0; i < n; ++i) t += a[i * n + i];
    for (int64_t i = 0; i < n; ++i) a[i * n + i] -= t / (double)n;
}

/* Loss (the weighted sum of squares) at w; with JtJ, Jtr also the normal equations. */
static double assemble(const lm_t *L, const double *w, double *JtJ, double *Jtr, double *work)
{
    const sl__lax_lm_problem *o = L->P;
    int64_t m = L->m, F = L->F, n = L->n, nn = L->nn, np = L->np;
    const double *Wx = w, *Wt = w + F * nn;
    double *lx = work, *lt = lx + nn, *a = lt + nn, *b = a + nn, *c = b + nn, *Rb = c + nn;
    double *Jb = Rb + nn, *Jc = Jb + nn * np, *gs = Jc + nn * np, *gc = gs + np, *gm = gc + np, *gsp = gm + np,
           *mlx = gsp + np, *mphi = mlx + nn;
    double wz = o->alpha_zc / (double)m, szc = 0, var = 0, c2 = 0, d2 = 0, tbar = 0, tvar = 0;
    if (JtJ) {
        memset(JtJ, 0, sizeof(double) * (size_t)(np * np));
        memset(Jtr, 0, sizeof(double) * (size_t)np);
        memset(gs, 0, sizeof(double) * (size_t)(4 * np));
    }
    /* batch means of L_x and phi (the scale term) */
    memset(mlx, 0, sizeof(double) * (size_t)(nn + F));
    for (int64_t i = 0; i < m; ++i) {
        contract(L->phi + i * F, Wx, F, nn, lx);
        if (o->traceless) project_traceless(lx, n);
        for (int64_t e = 0; e < nn; ++e) mlx[e] += lx[e] / (double)m;
        if (o->alpha_spectrum > 0) tbar += trace_square(lx, n) / (double)m;
        for (int64_t f = 0; f < F; ++f) mphi[f] += L->phi[i * F + f] / (double)m;
    }
    for (int64_t i = 0; i < m; ++i) {
        const double *ph = L->phi + i * F, *px = L->phx ? L->phx + i * F : NULL, *pt = L->pht + i * F;
        contract(ph, Wx, F, nn, lx);
        contract(ph, Wt, F, nn, lt);
        contract(pt, Wx, F, nn, a);
        if (o->traceless) project_traceless(lx, n), project_traceless(a, n);
        if (L->phx) contract(px, Wt, F, nn, b);
        else memset(b, 0, sizeof(double) * (size_t)nn);
        for (int64_t p = 0; p < n; ++p)
            for (int64_t q = 0; q < n; ++q) {
                double s = 0;
                for (int64_t k = 0; k < n; ++k) s += lx[p * n + k] * lt[k * n + q] - lt[p * n + k] * lx[k * n + q];
                c[p * n + q] = s;
            }
        for (int64_t e = 0; e < nn; ++e) {
            Rb[e] = a[e] - b[e] + c[e];
            szc += Rb[e] * Rb[e], c2 += c[e] * c[e], var += (lx[e] - mlx[e]) * (lx[e] - mlx[e]), d2 += a[e] * a[e];
        }
        double tdev = o->alpha_spectrum > 0 ? trace_square(lx, n) - tbar : 0;
        tvar += tdev * tdev;
        if (!JtJ) continue;
        memset(Jb, 0, sizeof(double) * (size_t)(2 * nn * np));
        for (int64_t cc = 0; cc < np; ++cc) {
            int64_t k = L->col[cc], isx = k < F * nn, kk = isx ? k : k - F * nn, f = kk / nn, e = kk % nn;
            int64_t p = e / n, q = e % n;
            double pf = ph[f];
            /* linear part: E_pq times D_t phi_f (W_x) or -D_x phi_f (W_t); traceless,
             * E_pp - 1/n for a diagonal W_x entry (the commutator, the scale and
             * motion gradients are unchanged: 1 commutes, and the projected
             * L_x, D_t L_x are traceless) */
            if (isx && o->traceless && p == q)
                for (int64_t i2 = 0; i2 < n; ++i2) Jb[(i2 * n + i2) * np + cc] += pt[f] * ((i2 == p) - 1.0 / (double)n);
            else
                Jb[e * np + cc] += isx ? pt[f] : px ? -px[f] : 0;
            if (isx) gm[cc] += 2.0 / (double)m * a[e] * pt[f];   /* d mean |D_t L_x|^2 */
            /* d var tr L_x^2 = (2/m) sum_b (t_b - <t>) 2 phi_f (L_x)_qp (the mean's own
             * derivative drops out; traceless: unchanged, as tr L_x = 0) */
            if (isx && tdev != 0) gsp[cc] += 4.0 / (double)m * tdev * pf * lx[q * n + p];
            if (pf == 0) continue;
            const double *X = isx ? lt : lx;
            double sg = isx ? 1 : -1;   /* [E, L_t] for W_x, [L_x, E] = -[E, L_x] for W_t */
            for (int64_t j = 0; j < n; ++j) Jc[(p * n + j) * np + cc] += sg * pf * X[q * n + j];
            for (int64_t i2 = 0; i2 < n; ++i2) Jc[(i2 * n + q) * np + cc] -= sg * pf * X[i2 * n + p];
        }
        for (int64_t e = 0; e < nn; ++e) {
            double *jr = Jb + e * np, *jc = Jc + e * np;
            for (int64_t cc = 0; cc < np; ++cc) {
                jr[cc] += jc[cc];
                gc[cc] += c[e] * jc[cc];
            }
            for (int64_t u = 0; u < np; ++u) {
                double v = jr[u] * wz;
                if (v == 0) continue;
                double *row = JtJ + u * np;
                for (int64_t t = u; t < np; ++t) row[t] += v * jr[t];
                Jtr[u] += v * Rb[e];
            }
        }
        /* d var / d W_x[f, e] = (2/m) sum_b (L_x,e - <L_x>_e)(phi_f - <phi>_f) */
        for (int64_t cc = 0; cc < np; ++cc) {
            int64_t k = L->col[cc];
            if (k >= F * nn) continue;
            int64_t f = k / nn, e = k % nn;
            gs[cc] += 2.0 / (double)m * (lx[e] - mlx[e]) * (ph[f] - mphi[f]);
        }
    }
    var /= (double)m;
    c2 /= (double)m * o->commutator_target;
    d2 /= (double)m * o->motion_target;
    tvar /= (double)m * (o->alpha_spectrum > 0 ? o->spectrum_target : 1);
    double rs = sqrt(o->alpha_scale) * (var / o->scale_target - 1), act = c2 < 1, actm = d2 < 1,
           rc = act ? sqrt(o->alpha_commutator) * (1 - c2) : 0, rm = actm ? sqrt(o->alpha_motion) * (1 - d2) : 0,
           acts = o->alpha_spectrum > 0 && tvar < 1, rsp = acts ? sqrt(o->alpha_spectrum) * (1 - tvar) : 0;
    if (JtJ) {
        double ks = sqrt(o->alpha_scale) / o->scale_target,
               kc = act ? -sqrt(o->alpha_commutator) * 2.0 / ((double)m * o->commutator_target) : 0,
               km = actm ? -sqrt(o->alpha_motion) / o->motion_target : 0,
               ksp = acts ? -sqrt(o->alpha_spectrum) / o->spectrum_target : 0;
        for (int64_t u = 0; u < np; ++u) {
            double su = ks * gs[u], cu = kc * gc[u], mu = km * gm[u], pu = ksp * gsp[u];
            for (int64_t t = u; t < np; ++t)
                JtJ[u * np + t] += su * ks * gs[t] + cu * kc * gc[t] + mu * km * gm[t] + pu * ksp * gsp[t];
            Jtr[u] += su * rs + cu * rc + mu * rm + pu * rsp;
        }
        for (int64_t u = 0; u < np; ++u)
            for (int64_t t = 0; t < u; ++t) JtJ[u * np + t] = JtJ[t * np + u];
    }
    return wz * szc + rs * rs + rc * rc + rm * rm + rsp * rsp;
}

/* Solve A x = b (A symmetric positive definite, np x np) by Cholesky in place; 0 on failure. */
static int cholesky_solve(double *A, double *b, int64_t np)
{
    for (int64_t j = 0; j < np; ++j) {
        double s = A[j * np + j];
        for (int64_t k = 0; k < j; ++k) s -= A[j * np + k] * A[j * np + k];
        if (!(s > 0)) return 0;
        double d = sqrt(s);
        A[j * np + j] = d;
        for (int64_t i = j + 1; i < np; ++i) {
            double t = A[i * np + j];
            for (int64_t k = 0; k < j; ++k) t -= A[i * np + k] * A[j * np + k];
            A[i * np + j] = t / d;
        }
    }
    for (int64_t i = 0; i < np; ++i) {
        double t = b[i];
        for (int64_t k = 0; k < i; ++k) t -= A[i * np + k] * b[k];
        b[i] = t / A[i * np + i];
    }
    for (int64_t i = np - 1; i >= 0; --i) {
        double t = b[i];
        for (int64_t k = i + 1; k < np; ++k) t -= A[k * np + i] * b[k];
        b[i] = t / A[i * np + i];
    }
    return 1;
}

sl_status sl__lax_lm(sl_ctx *ctx, const char *who, const sl__lax_lm_problem *P, double *weights, int64_t iters)
{
    int64_t F = P->F, n = P->n, nn = n * n, nw = 2 * F * nn;
    int64_t *col = sl__alloc(ctx, sizeof(int64_t) * (size_t)nw, 1, who);
    if (!col) return SL_ERR_NOMEM;
    int64_t np = 0;
    for (int64_t k = 0; k < nw; ++k)
        if (!P->mask || P->mask[k] != 0) col[np++] = k;
    if (np > 4096) {
        sl__free(ctx, col);
        return sl__fail(ctx, SL_ERR_ARG, "%s: %lld free weights (Levenberg-Marquardt takes at most 4096: set "
                        "opts->lm_steps = 0 or use a smaller library)", who, (long long)np);
    }
    lm_t L = {P, P->m, F, n, nn, np, P->phi, P->phx, P->pht, col};
    size_t nwork = (size_t)(6 * nn + 2 * nn * np + 4 * np + nn + F);
    double *JtJ = sl__alloc(ctx, sizeof(double) * (size_t)(2 * np * np + 3 * np + 2 * nw) + sizeof(double) * nwork, 1, who);
    if (!JtJ) {
        sl__free(ctx, col);
        return SL_ERR_NOMEM;
    }
    double *A = JtJ + np * np, *Jtr = A + np * np, *dg = Jtr + np, *step = dg + np, *w = step + np, *wt = w + nw,
           *work = wt + nw;
    memcpy(w, weights, sizeof(double) * (size_t)nw);
    double loss = assemble(&L, w, JtJ, Jtr, work), mu = 1e-3;
    for (int64_t it = 0; it < iters && loss > 1e-300; ++it) {
        double tr = 0;
        for (int64_t u = 0; u < np; ++u) tr += JtJ[u * np + u];
        for (int64_t u = 0; u < np; ++u) dg[u] = JtJ[u * np + u] + 1e-12 * tr / (double)np + 1e-300;
        int accepted = 0;
        while (!accepted && mu < 1e20) {
            memcpy(A, JtJ, sizeof(double) * (size_t)(np * np));
            for (int64_t u = 0; u < np; ++u) A[u * np + u] += mu * dg[u], step[u] = -Jtr[u];
            if (cholesky_solve(A, step, np)) {
                memcpy(wt, w, sizeof(double) * (size_t)nw);
                for (int64_t u = 0; u < np; ++u) wt[col[u]] += step[u];
                double lt = assemble(&L, wt, NULL, NULL, work);
                if (lt < loss && isfinite(lt)) {
                    memcpy(w, wt, sizeof(double) * (size_t)nw);
                    loss = lt, accepted = 1;
                    mu = fmax(mu / 3, 1e-15);
                    break;
                }
            }
            mu *= 4;
        }
        if (!accepted) break;
        assemble(&L, w, JtJ, Jtr, work);
    }
    memcpy(weights, w, sizeof(double) * (size_t)nw);
    sl__free(ctx, JtJ);
    sl__free(ctx, col);
    return SL_OK;
}

sl_status sl__lax_zc_lm(sl_lax_connection_result *r, int64_t m, const double *phi, const double *phx, const double *pht,
                        int64_t iters)
{
    const char *who = "sl_discover_lax_connection";
    int64_t F = r->nfeat, nn = r->n * r->n;
    double *mask = sl__alloc(r->ctx, sizeof(double) * (size_t)(2 * F * nn), 1, who);
    if (!mask) return SL_ERR_NOMEM;
    sl__lax_zc_mask(r, mask);
    for (int64_t k = F * nn; k < 2 * F * nn; ++k) mask[k] = 1;
    const sl_lax_connection_opts *o = &r->o;
    sl__lax_lm_problem P = {m, F, r->n, phi, phx, pht, mask, o->alpha_zc, o->alpha_scale, o->scale_target,
                            o->alpha_commutator, o->commutator_target, 0, 1, 0, 0, 1};
    sl_status st = sl__lax_lm(r->ctx, who, &P, r->weights, iters);
    sl__free(r->ctx, mask);
    return st;
}
