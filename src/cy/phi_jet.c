/* The phi-model g = g_FS,pb + J (d dbar phi) J^dagger (cymetric
 * models/tfmodels.py::PhiFSModel) evaluated as a second-order forward jet:
 * for each layer's units the value h, the complex chart derivatives
 * d_a h = sum_i J_ai dh/dz_i (rows P_a = Re, Q_a = Im) and the hermitian
 * d_a dbar_b h (d^2 real rows: diagonal, Re above, Im below the diagonal).
 * Through a dense layer all rows are multiplied by W (the bias only on the
 * value row); through an activation s (h real, so dbar_b h = conj(d_b h)):
 *   d_a s(h) = s'(h) d_a h,
 *   d_a dbar_b s(h) = s''(h) d_a h conj(d_b h) + s'(h) d_a dbar_b h.
 * The last layer's d dbar rows are the pulled-back complex Hessian.  The
 * reverse pass differentiates all of it with respect to the weights (third
 * derivatives of the network), written out below. */
#include "phi_jet.h"
#include "../kernels/blas.h"

#include <math.h>

struct sl_cy_ws {
    int64_t B, R, R1, nt;
    int L;
    double *S[SL_CY_MAX_LAYERS + 1], *A[SL_CY_MAX_LAYERS + 1];
    double *D1[SL_CY_MAX_LAYERS + 1], *D2[SL_CY_MAX_LAYERS + 1], *D3[SL_CY_MAX_LAYERS + 1];
    double *St[SL_CY_MAX_LAYERS + 1], *Dt[SL_CY_MAX_LAYERS + 1];
    double *out, *outt, *g0, *g1, *gt0, *gt1;
};

void sl__cy_net_layout(sl_cy_net *net)
{
    int64_t o = 0;
    for (int l = 1; l <= net->L; l++) {
        net->off_W[l] = o;
        o += net->w[l - 1] * net->w[l];
        if (l < net->L) {
            net->off_b[l] = o;
            o += net->w[l];
        } else net->off_b[l] = -1;
    }
    net->nweights = o;
}

static inline double gelu_phi(double x) { return 0.3989422804014327 * exp(-0.5 * x * x); }

/* s, s', s'', s''' of the activation at x */
static inline void act4(int act, double x, double *s0, double *s1, double *s2, double *s3)
{
    if (act == SL_ACT_TANH) {
        double t = tanh(x), u = 1 - t * t;
        *s0 = t, *s1 = u, *s2 = -2 * t * u, *s3 = u * (6 * t * t - 2);
    } else {
        double ph = gelu_phi(x), Ph = 0.5 * (1 + erf(x * 0.7071067811865476));
        *s0 = x * Ph, *s1 = Ph + x * ph, *s2 = ph * (2 - x * x), *s3 = x * ph * (x * x - 4);
    }
}

/* row-major C (m x n) = A (m x k) B (k x n) (+ C when acc) */
static void mm(int64_t m, int64_t n, int64_t k, const double *A, const double *Bm, double *C, int acc)
{
    const sl_blas_int M = (sl_blas_int)m, N = (sl_blas_int)n, K = (sl_blas_int)k;
    const double one = 1, beta = acc ? 1 : 0;
    dgemm_("N", "N", &N, &M, &K, &one, Bm, &N, A, &K, &beta, C, &N, 1, 1);
}
/* row-major C (k x n) += A^T (k x m) B (m x n) */
static void mm_tn(int64_t m, int64_t n, int64_t k, const double *A, const double *Bm, double *C)
{
    const sl_blas_int M = (sl_blas_int)m, N = (sl_blas_int)n, K = (sl_blas_int)k;
    const double one = 1;
    dgemm_("N", "T", &N, &K, &M, &one, Bm, &N, A, &K, &one, C, &N, 1, 1);
}
/* row-major C (m x k) = A (m x n) B^T, B (k x n) */
static void mm_nt(int64_t m, int64_t n, int64_t k, const double *A, const double *Bm, double *C)
{
    const sl_blas_int M = (sl_blas_int)m, N = (sl_blas_int)n, K = (sl_blas_int)k;
    const double one = 1, zero = 0;
    dgemm_("T", "N", &K, &M, &N, &one, Bm, &N, A, &N, &zero, C, &K, 1, 1);
}

sl_cy_ws *sl__cy_ws_new(sl_ctx *ctx, const sl_cy_net *net, int d, int nt, int64_t B, const char *who)
{
    sl_cy_ws *ws = sl__alloc(ctx, sizeof *ws, 1, who);
    if (!ws) return NULL;
    ws->B = B;
    ws->R = (int64_t)(d + 1) * (d + 1);
    ws->R1 = 1 + 2 * (int64_t)d;
    ws->nt = nt > 0 ? nt : 1;
    ws->L = net->L;
    int64_t maxw = 1;
    for (int l = 0; l <= net->L; l++)
        if (net->w[l] > maxw) maxw = net->w[l];
    const int64_t rows = B * ws->R, trows = B * ws->nt;
    int ok = 1;
#define AL(p, cnt) ok &= ((p) = sl__alloc(ctx, sizeof(double) * (size_t)(cnt), 1, who)) != NULL
    AL(ws->S[0], B * ws->R1 * net->w[0]);
    AL(ws->St[0], trows * net->w[0]);
    for (int l = 1; l < net->L; l++) {
        AL(ws->S[l], rows * net->w[l]);
        AL(ws->A[l], rows * net->w[l]);
        AL(ws->D1[l], B * net->w[l]);
        AL(ws->D2[l], B * net->w[l]);
        AL(ws->D3[l], B * net->w[l]);
        AL(ws->St[l], trows * net->w[l]);
        AL(ws->Dt[l], trows * net->w[l]);
    }
    AL(ws->out, rows);
    AL(ws->outt, trows);
    AL(ws->g0, rows * maxw);
    AL(ws->g1, rows * maxw);
    AL(ws->gt0, trows * maxw);
    AL(ws->gt1, trows * maxw);
#undef AL
    if (!ok) {
        sl__cy_ws_free(ctx, ws);
        return NULL;
    }
    return ws;
}

void sl__cy_ws_free(sl_ctx *ctx, sl_cy_ws *ws)
{
    if (!ws) return;
    for (int l = 0; l <= SL_CY_MAX_LAYERS; l++) {
        sl__free(ctx, ws->S[l]), sl__free(ctx, ws->A[l]), sl__free(ctx, ws->D1[l]);
        sl__free(ctx, ws->D2[l]), sl__free(ctx, ws->D3[l]), sl__free(ctx, ws->St[l]), sl__free(ctx, ws->Dt[l]);
    }
    sl__free(ctx, ws->out), sl__free(ctx, ws->outt), sl__free(ctx, ws->g0), sl__free(ctx, ws->g1);
    sl__free(ctx, ws->gt0), sl__free(ctx, ws->gt1);
    sl__free(ctx, ws);
}

/* value-only forward of nrows inputs St[0] -> outt, keeping s' in Dt */
static void value_forward(const sl_cy_net *net, const double *wts, sl_cy_ws *ws, int64_t nrows)
{
    for (int l = 1; l <= net->L; l++) {
        const int64_t wi = net->w[l - 1], wo = net->w[l];
        double *dst = l < net->L ? ws->St[l] : ws->outt;
        mm(nrows, wo, wi, ws->St[l - 1], wts + net->off_W[l], dst, 0);
        if (l == net->L) break;
        const double *b = wts + net->off_b[l];
        for (int64_t r = 0; r < nrows; r++)
            for (int64_t j = 0; j < wo; j++) {
                double s0, s1, s2, s3;
                act4(net->act, dst[r * wo + j] + b[j], &s0, &s1, &s2, &s3);
                dst[r * wo + j] = s0;
                ws->Dt[l][r * wo + j] = s1;
            }
    }
}

/* reverse of value_forward given d/dout in gt0 (nrows); accumulates into grad */
static void value_backward(const sl_cy_net *net, const double *wts, sl_cy_ws *ws, int64_t nrows, double *grad)
{
    double *g = ws->gt0, *h = ws->gt1;
    for (int l = net->L; l >= 1; l--) {
        const int64_t wi = net->w[l - 1], wo = net->w[l];
        if (l < net->L) {
            double *bb = grad + net->off_b[l];
            for (int64_t r = 0; r < nrows; r++)
                for (int64_t j = 0; j < wo; j++) {
                    g[r * wo + j] *= ws->Dt[l][r * wo + j];
                    bb[j] += g[r * wo + j];
                }
        }
        mm_tn(nrows, wo, wi, ws->St[l - 1], g, grad + net->off_W[l]);
        if (l > 1) {
            mm_nt(nrows, wo, wi, g, wts + net->off_W[l], h);
            double *t = g;
            g = h, h = t;
        }
    }
}

void sl__cy_phi(const sl_cy_net *net, const double *wts, const double *X, int64_t B, sl_cy_ws *ws, double *phi)
{
    for (int64_t c = 0; c < B; c += ws->B * ws->nt) {
        int64_t m = B - c < ws->B * ws->nt ? B - c : ws->B * ws->nt;
        memcpy(ws->St[0], X + c * net->w[0], sizeof(double) * (size_t)(m * net->w[0]));
        value_forward(net, wts, ws, m);
        memcpy(phi + c, ws->outt, sizeof(double) * (size_t)m);
    }
}

/* slot of the hermitian d x d storage: diagonal (a, a); a < b: Re at (a, b), Im at (b, a) */
#define SLOT(a, b) ((a) * d + (b))

void sl__cy_batch(const sl_cy_net *net, const double *wts, const sl_cy_data *D, int64_t i0, int64_t B, double kappa,
                  double alpha_ma, double alpha_t, double wscale, sl_cy_ws *ws, double *sum_ma, double *sum_tr,
                  double *det_out, cplx *gout, double *grad)
{
    const int d = D->d, L = net->L;
    const int64_t R = ws->R, R1 = ws->R1, w0 = net->w[0], nt = D->nt;
    const int64_t off = 1 + 2 * (int64_t)d;   /* first d dbar row */
    /* ---- forward: layer-1 input rows (x; E) ---- */
    for (int64_t p = 0; p < B; p++) {
        double *s = ws->S[0] + p * R1 * w0;
        memcpy(s, D->X + (i0 + p) * w0, sizeof(double) * (size_t)w0);
        memcpy(s + w0, D->E + (i0 + p) * 2 * d * w0, sizeof(double) * (size_t)(2 * d * w0));
    }
    for (int l = 1; l < L; l++) {
        const int64_t wi = net->w[l - 1], wo = net->w[l], rin = l == 1 ? R1 : R;
        double *A = ws->A[l], *S = ws->S[l];
        mm(B * rin, wo, wi, ws->S[l - 1], wts + net->off_W[l], A, 0);
        const double *b = wts + net->off_b[l];
        for (int64_t p = 0; p < B; p++) {
            double *a = A + p * rin * wo, *s = S + p * R * wo;
            double *d1 = ws->D1[l] + p * wo, *d2 = ws->D2[l] + p * wo, *d3 = ws->D3[l] + p * wo;
            for (int64_t j = 0; j < wo; j++) {
                a[j] += b[j];
                act4(net->act, a[j], s + j, d1 + j, d2 + j, d3 + j);
            }
            for (int r = 1; r < 1 + 2 * d; r++)
                for (int64_t j = 0; j < wo; j++) s[r * wo + j] = d1[j] * a[r * wo + j];
            for (int x = 0; x < d; x++)
                for (int y = 0; y < d; y++) {
                    const double *Px = a + (1 + x) * wo, *Qx = a + (1 + d + x) * wo;
                    const double *Py = a + (1 + y) * wo, *Qy = a + (1 + d + y) * wo;
                    double *m = s + (off + SLOT(x, y)) * wo;
                    const double *am = l > 1 ? a + (off + SLOT(x, y)) * wo : NULL;
                    /* o: the outer product d_x h conj(d_y h) in the slot (Im slot, x > y: Im of (y, x)) */
                    if (x == y)
                        for (int64_t j = 0; j < wo; j++) m[j] = d2[j] * (Px[j] * Px[j] + Qx[j] * Qx[j]);
                    else if (x < y)
                        for (int64_t j = 0; j < wo; j++) m[j] = d2[j] * (Px[j] * Py[j] + Qx[j] * Qy[j]);
                    else
                        for (int64_t j = 0; j < wo; j++) m[j] = d2[j] * (Qy[j] * Px[j] - Py[j] * Qx[j]);
                    if (am)
                        for (int64_t j = 0; j < wo; j++) m[j] += d1[j] * am[j];
                }
        }
    }
    mm(B * R, 1, net->w[L - 1], ws->S[L - 1], wts + net->off_W[L], ws->out, 0);
    /* transition points, value only */
    const int64_t tr_rows = B * nt;
    if (tr_rows > 0 && alpha_t != 0) {
        memcpy(ws->St[0], D->Xt + i0 * nt * w0, sizeof(double) * (size_t)(tr_rows * w0));
        value_forward(net, wts, ws, tr_rows);
    }
    /* ---- losses ---- */
    const double tr_norm = 1.0 / ((double)(D->na - 1) * d * d);
    double sma = 0, str = 0;
    if (grad) {
        memset(grad, 0, sizeof(double) * (size_t)net->nweights);
        memset(ws->g0, 0, sizeof(double) * (size_t)(B * R));
    }
    for (int64_t p = 0; p < B; p++) {
        const double *o = ws->out + p * R;
        cplx g[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        const cplx *gf = D->gfs + (i0 + p) * d * d;
        for (int x = 0; x < d; x++) {
            g[x * d + x] = gf[x * d + x] + o[off + SLOT(x, x)];
            for (int y = x + 1; y < d; y++) {
                cplx h = CMPLX(o[off + SLOT(x, y)], o[off + SLOT(y, x)]);
                g[x * d + y] = gf[x * d + y] + h;
                g[y * d + x] = gf[y * d + x] + conj(h);
            }
        }
        double det = sl__cy_det(d, g);
        if (det_out) det_out[p] = det;
        if (gout) memcpy(gout + p * d * d, g, sizeof(cplx) * (size_t)(d * d));
        double om2 = D->om2[i0 + p], r = 1 - det / (kappa * om2);
        const double pw = wscale > 0 ? wscale * D->w[i0 + p] : 1.0;
        sma += pw * fabs(r);
        double t = 0;
        double phi0 = o[0];
        if (tr_rows > 0 && alpha_t != 0)
            for (int64_t q = 0; q < nt; q++) t += fabs(ws->outt[p * nt + q] - phi0);
        str += t * tr_norm;
        if (!grad) continue;
        /* d(alpha_ma |r| / B)/d det, then through det g to the d dbar rows:
         * d det / d Re g_xy (x < y) = 2 det Re(g^-1)_xy, d/d Im g_xy = 2 det Im(g^-1)_xy,
         * d/d g_xx = det Re(g^-1)_xx (g^-1 hermitian; Jacobi's formula) */
        double sg = r > 0 ? 1 : r < 0 ? -1 : 0;
        double gdet = pw * alpha_ma / (double)B * sg * (-1.0 / (kappa * om2));
        cplx inv[SL_CY_MAX_AMB * SL_CY_MAX_AMB], aug[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        /* inverse by Gauss-Jordan on a copy (d small, g positive definite in practice) */
        memcpy(aug, g, sizeof(cplx) * (size_t)(d * d));
        for (int x = 0; x < d; x++)
            for (int y = 0; y < d; y++) inv[x * d + y] = x == y;
        for (int k = 0; k < d; k++) {
            int piv = k;
            for (int x = k + 1; x < d; x++)
                if (cabs(aug[x * d + k]) > cabs(aug[piv * d + k])) piv = x;
            for (int y = 0; y < d; y++) {
                cplx t1 = aug[k * d + y], t2 = inv[k * d + y];
                aug[k * d + y] = aug[piv * d + y], inv[k * d + y] = inv[piv * d + y];
                aug[piv * d + y] = t1, inv[piv * d + y] = t2;
            }
            cplx pv = aug[k * d + k];
            if (pv == 0) break;
            for (int y = 0; y < d; y++) aug[k * d + y] /= pv, inv[k * d + y] /= pv;
            for (int x = 0; x < d; x++) {
                if (x == k) continue;
                cplx f = aug[x * d + k];
                for (int y = 0; y < d; y++) aug[x * d + y] -= f * aug[k * d + y], inv[x * d + y] -= f * inv[k * d + y];
            }
        }
        double *go = ws->g0 + p * R;
        for (int x = 0; x < d; x++) {
            go[off + SLOT(x, x)] = gdet * det * creal(inv[x * d + x]);
            for (int y = x + 1; y < d; y++) {
                go[off + SLOT(x, y)] = gdet * 2 * det * creal(inv[x * d + y]);
                go[off + SLOT(y, x)] = gdet * 2 * det * cimag(inv[x * d + y]);
            }
        }
        if (tr_rows > 0 && alpha_t != 0) {
            const double c = alpha_t * tr_norm / (double)B;
            for (int64_t q = 0; q < nt; q++) {
                double df = ws->outt[p * nt + q] - phi0, s = df > 0 ? c : df < 0 ? -c : 0;
                ws->gt0[p * nt + q] = s;
                go[0] -= s;
            }
        }
    }
    *sum_ma = sma;
    *sum_tr = str;
    if (!grad) return;
    /* ---- reverse ---- */
    if (tr_rows > 0 && alpha_t != 0) value_backward(net, wts, ws, tr_rows, grad);
    double *G = ws->g0, *H = ws->g1;   /* G: d/d rows of layer l's output (B R x w[l]) */
    mm_tn(B * R, 1, net->w[L - 1], ws->S[L - 1], G, grad + net->off_W[L]);
    mm_nt(B * R, 1, net->w[L - 1], G, wts + net->off_W[L], H);
    { double *t = G; G = H, H = t; }
    for (int l = L - 1; l >= 1; l--) {
        const int64_t wi = net->w[l - 1], wo = net->w[l], rin = l == 1 ? R1 : R;
        double *A = ws->A[l], *bb = grad + net->off_b[l];
        /* H (B rin x wo) = d/d pre-activation rows, from G (B R x wo) */
        for (int64_t p = 0; p < B; p++) {
            const double *a = A + p * rin * wo, *gs = G + p * R * wo;
            const double *d1 = ws->D1[l] + p * wo, *d2 = ws->D2[l] + p * wo, *d3 = ws->D3[l] + p * wo;
            double *ga = H + p * rin * wo;
            for (int64_t j = 0; j < wo; j++) ga[j] = d1[j] * gs[j];
            for (int r = 1; r < 1 + 2 * d; r++)
                for (int64_t j = 0; j < wo; j++) {
                    ga[j] += d2[j] * a[r * wo + j] * gs[r * wo + j];
                    ga[r * wo + j] = d1[j] * gs[r * wo + j];
                }
            if (l > 1)
                for (int r = (int)off; r < R; r++)
                    for (int64_t j = 0; j < wo; j++) {
                        ga[j] += d2[j] * a[r * wo + j] * gs[r * wo + j];
                        ga[r * wo + j] = d1[j] * gs[r * wo + j];
                    }
            for (int x = 0; x < d; x++)
                for (int y = 0; y < d; y++) {
                    const double *Px = a + (1 + x) * wo, *Qx = a + (1 + d + x) * wo;
                    const double *Py = a + (1 + y) * wo, *Qy = a + (1 + d + y) * wo;
                    double *gPx = ga + (1 + x) * wo, *gQx = ga + (1 + d + x) * wo;
                    double *gPy = ga + (1 + y) * wo, *gQy = ga + (1 + d + y) * wo;
                    const double *gm = gs + (off + SLOT(x, y)) * wo;
                    if (x == y)
                        for (int64_t j = 0; j < wo; j++) {
                            double go2 = d2[j] * gm[j], o = Px[j] * Px[j] + Qx[j] * Qx[j];
                            gPx[j] += 2 * Px[j] * go2;
                            gQx[j] += 2 * Qx[j] * go2;
                            ga[j] += d3[j] * o * gm[j];
                        }
                    else if (x < y)
                        for (int64_t j = 0; j < wo; j++) {
                            double go2 = d2[j] * gm[j], o = Px[j] * Py[j] + Qx[j] * Qy[j];
                            gPx[j] += Py[j] * go2, gPy[j] += Px[j] * go2;
                            gQx[j] += Qy[j] * go2, gQy[j] += Qx[j] * go2;
                            ga[j] += d3[j] * o * gm[j];
                        }
                    else   /* o = Qy Px - Py Qx */
                        for (int64_t j = 0; j < wo; j++) {
                            double go2 = d2[j] * gm[j], o = Qy[j] * Px[j] - Py[j] * Qx[j];
                            gQy[j] += Px[j] * go2, gPx[j] += Qy[j] * go2;
                            gPy[j] -= Qx[j] * go2, gQx[j] -= Py[j] * go2;
                            ga[j] += d3[j] * o * gm[j];
                        }
                }
            for (int64_t j = 0; j < wo; j++) bb[j] += ga[j];
        }
        mm_tn(B * rin, wo, wi, ws->S[l - 1], H, grad + net->off_W[l]);
        if (l > 1) {
            mm_nt(B * rin, wo, wi, H, wts + net->off_W[l], G);
            /* G now holds d/d rows of layer l-1's output */
        }
    }
}
