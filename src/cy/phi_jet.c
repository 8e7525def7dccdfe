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
#include "../kernels/cpu.h"
#include "../kernels/vmath.h"
#include "../kernels/vspecial.h"

#include <math.h>

/* Row layout of the jet matrices (each a stack of blocks of B rows, one row
 * a point, so every elementwise pass runs over B w contiguous numbers and the
 * transition points share the value rows' GEMMs):
 *   block 0: the value h;  blocks 1 .. nt: h at the transition points (value
 *   only);  nv = 1 + nt value-like blocks, then 2d blocks d_a h (P_0..P_{d-1},
 *   Q_0..Q_{d-1}), then d^2 blocks d_a dbar_b h (hermitian slots, SLOT below;
 *   absent from the network input, whose second derivatives are 0). */
struct sl_cy_ws {
    int64_t B, R, R1, nt;
    int L;
    double *S[SL_CY_MAX_LAYERS + 1], *A[SL_CY_MAX_LAYERS + 1];
    double *D1[SL_CY_MAX_LAYERS + 1], *D2[SL_CY_MAX_LAYERS + 1], *D3[SL_CY_MAX_LAYERS + 1];
    double *St[SL_CY_MAX_LAYERS + 1], *Dt[SL_CY_MAX_LAYERS + 1];
    double *out, *outt, *g0, *g1, *gout, *vs;   /* vs: value_forward's scratch */
    double *WT[SL_CY_MAX_LAYERS + 1];           /* W_l transposed (l = 2 .. L-1) */
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
/* y (m) = A (m x n row-major) x, or y (n) += A^T x (trans): dgemv, no packing */
static void mv(int trans, int64_t m, int64_t n, const double *A, const double *x, double *y)
{
    const sl_blas_int M = (sl_blas_int)m, N = (sl_blas_int)n, one_i = 1;
    const double one = 1, beta = trans ? 1 : 0;
    dgemv_(trans ? "N" : "T", &N, &M, &one, A, &N, x, &one_i, &beta, y, &one_i, 1);
}

/* sl__cy_batch works on parts of PART points: each part's jet matrices (76 KB
 * a layer for the quintic at width 64) stay in cache between the GEMMs and
 * the elementwise passes, where a whole batch's (600 KB at batch 64) do not;
 * measured on the cy benchmark, parts of 4 to 8 points train 1.4x faster
 * than whole batches of 64. */
#define PART 8

sl_cy_ws *sl__cy_ws_new(sl_ctx *ctx, const sl_cy_net *net, int d, int nt, int64_t B, const char *who)
{
    sl_cy_ws *ws = sl__alloc(ctx, sizeof *ws, 1, who);
    if (!ws) return NULL;
    ws->B = B;
    ws->nt = nt > 0 ? nt : 1;
    ws->R = 1 + ws->nt + 2 * (int64_t)d + (int64_t)d * d;   /* blocks of a hidden layer */
    ws->R1 = 1 + ws->nt + 2 * (int64_t)d;                   /* blocks of the input */
    ws->L = net->L;
    int64_t maxw = 1;
    for (int l = 0; l <= net->L; l++)
        if (net->w[l] > maxw) maxw = net->w[l];
    const int64_t Bj = B < PART ? B : PART;   /* points of the jet buffers */
    const int64_t rows = Bj * ws->R, trows = B * ws->nt, nv = 1 + ws->nt;
    int ok = 1;
#define AL(p, cnt) ok &= ((p) = sl__alloc(ctx, sizeof(double) * (size_t)(cnt), 1, who)) != NULL
    AL(ws->S[0], Bj * ws->R1 * net->w[0]);
    AL(ws->St[0], trows * net->w[0]);
    for (int l = 1; l < net->L; l++) {
        AL(ws->S[l], rows * net->w[l]);
        AL(ws->A[l], rows * net->w[l]);
        AL(ws->D1[l], nv * Bj * net->w[l]);
        AL(ws->D2[l], nv * Bj * net->w[l]);
        AL(ws->D3[l], nv * Bj * net->w[l]);
        AL(ws->St[l], trows * net->w[l]);
        AL(ws->Dt[l], trows * net->w[l]);
        if (l > 1) AL(ws->WT[l], net->w[l - 1] * net->w[l]);
    }
    AL(ws->out, rows);
    AL(ws->gout, rows);
    AL(ws->outt, trows);
    AL(ws->vs, 3 * trows * maxw);
    AL(ws->g0, rows * maxw);
    AL(ws->g1, rows * maxw);
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
        sl__free(ctx, ws->WT[l]);
    }
    sl__free(ctx, ws->out), sl__free(ctx, ws->outt), sl__free(ctx, ws->g0), sl__free(ctx, ws->g1);
    sl__free(ctx, ws->gout), sl__free(ctx, ws->vs);
    sl__free(ctx, ws);
}

/* s, s', s'', s''' of the activation at x[i], i < n (arrays, no overlap) */
static void act4_rows(int act, const double *x, double *s0, double *s1, double *s2, double *s3, int64_t n)
{
    if (act == SL_ACT_TANH) {
        sl__vtanh(x, s0, n);
        for (int64_t i = 0; i < n; i++) {
            double t = s0[i], u = 1 - t * t;
            s1[i] = u, s2[i] = -2 * t * u, s3[i] = u * (6 * t * t - 2);
        }
    } else sl__vgelu4(x, s0, s1, s2, s3, n);
}

/* value-only forward of nrows <= B nt inputs St[0] -> outt (sl__cy_phi);
 * s' goes to Dt, s'' and s''' (not needed) to scratch */
static void value_forward(const sl_cy_net *net, const double *wts, sl_cy_ws *ws, int64_t nrows)
{
    for (int l = 1; l <= net->L; l++) {
        const int64_t wi = net->w[l - 1], wo = net->w[l];
        double *dst = l < net->L ? ws->St[l] : ws->outt;
        if (wo == 1) mv(0, nrows, wi, ws->St[l - 1], wts + net->off_W[l], dst);
        else mm(nrows, wo, wi, ws->St[l - 1], wts + net->off_W[l], dst, 0);
        if (l == net->L) break;
        const double *b = wts + net->off_b[l];
        double *t = ws->vs, *u = t + nrows * wo;
        for (int64_t r = 0; r < nrows; r++)
            for (int64_t j = 0; j < wo; j++) t[r * wo + j] = dst[r * wo + j] + b[j];
        act4_rows(net->act, t, dst, ws->Dt[l], u, u + nrows * wo, nrows * wo);
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

/* The elementwise passes run over chunks of CH numbers, so that a chunk of
 * every block stays in cache across the passes. */
#ifndef CH
#define CH 512
#endif

/* A[r w + j] += b[j], r < rows */
SL_CLONES_V4 SL_O3_FMA
static void add_bias(double *restrict A, const double *restrict b, int64_t rows, int64_t w)
{
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < w; j++) A[r * w + j] += b[j];
}

/* b[j] += H[r w + j] for r = 0 .. rows-1 in turn */
SL_CLONES_V4 SL_O3_FMA
static void sum_rows(const double *restrict H, double *restrict b, int64_t rows, int64_t w)
{
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < w; j++) b[j] += H[r * w + j];
}

/* G[r w + j] = g[r] v[j] */
SL_CLONES_V4 SL_O3_FMA
static void outer(const double *restrict g, const double *restrict v, double *restrict G, int64_t rows, int64_t w)
{
    for (int64_t r = 0; r < rows; r++)
        for (int64_t j = 0; j < w; j++) G[r * w + j] = g[r] * v[j];
}

/* Forward through the activation, the blocks after the value-like ones
 * (those are act4_rows' s): blocks of n numbers,
 *   s_r = s'(h) a_r,  s_xy = s''(h) o_xy(a) + s'(h) a_xy (a_xy when second). */
SL_CLONES_V4 SL_O3_FMA
static void jet_forward(int d, int64_t nv, int64_t n, int second, const double *restrict A, const double *restrict D1,
                        const double *restrict D2, double *restrict S)
{
    const int64_t off = nv + 2 * (int64_t)d;
    for (int64_t c = 0; c < n; c += CH) {
        const int64_t e = n - c < CH ? n - c : CH;
        const double *restrict d1 = D1 + c, *restrict d2 = D2 + c;
        for (int r = 0; r < 2 * d; r++) {
            const double *restrict a = A + (nv + r) * n + c;
            double *restrict s = S + (nv + r) * n + c;
            for (int64_t i = 0; i < e; i++) s[i] = d1[i] * a[i];
        }
        for (int x = 0; x < d; x++)
            for (int y = 0; y < d; y++) {
                const double *restrict Px = A + (nv + x) * n + c, *restrict Qx = A + (nv + d + x) * n + c;
                const double *restrict Py = A + (nv + y) * n + c, *restrict Qy = A + (nv + d + y) * n + c;
                double *restrict m = S + (off + SLOT(x, y)) * n + c;
                /* o: d_x h conj(d_y h) in the slot (Im slot, x > y: Im of (y, x)) */
                if (x == y)
                    for (int64_t i = 0; i < e; i++) m[i] = d2[i] * (Px[i] * Px[i] + Qx[i] * Qx[i]);
                else if (x < y)
                    for (int64_t i = 0; i < e; i++) m[i] = d2[i] * (Px[i] * Py[i] + Qx[i] * Qy[i]);
                else
                    for (int64_t i = 0; i < e; i++) m[i] = d2[i] * (Qy[i] * Px[i] - Py[i] * Qx[i]);
                if (second) {
                    const double *restrict am = A + (off + SLOT(x, y)) * n + c;
                    for (int64_t i = 0; i < e; i++) m[i] += d1[i] * am[i];
                }
            }
    }
}

/* Reverse of the activation: H (d/d pre-activation blocks) from G (d/d
 * output blocks), the same block layout; the transition blocks 1 .. nv-1 are
 * value only (H = s' G). */
SL_CLONES_V4 SL_O3_FMA
static void jet_backward(int d, int64_t nv, int64_t n, int second, const double *restrict A, const double *restrict D1,
                         const double *restrict D2, const double *restrict D3, const double *restrict G,
                         double *restrict H)
{
    const int64_t off = nv + 2 * (int64_t)d, nsec = second ? (int64_t)d * d : 0;
    for (int64_t c = 0; c < n; c += CH) {
        const int64_t e = n - c < CH ? n - c : CH;
        const double *restrict d1 = D1 + c, *restrict d2 = D2 + c, *restrict d3 = D3 + c;
        double *restrict ga = H + c;
        const double *restrict gs = G + c;
        for (int64_t i = 0; i < e; i++) ga[i] = d1[i] * gs[i];
        for (int64_t r = nv; r < off + nsec; r++) {
            const double *restrict a = A + r * n + c, *restrict g = G + r * n + c;
            double *restrict h = H + r * n + c;
            for (int64_t i = 0; i < e; i++) {
                ga[i] += d2[i] * a[i] * g[i];
                h[i] = d1[i] * g[i];
            }
        }
        for (int x = 0; x < d; x++)
            for (int y = 0; y < d; y++) {
                const double *restrict Px = A + (nv + x) * n + c, *restrict Qx = A + (nv + d + x) * n + c;
                const double *restrict Py = A + (nv + y) * n + c, *restrict Qy = A + (nv + d + y) * n + c;
                double *restrict gPx = H + (nv + x) * n + c, *restrict gQx = H + (nv + d + x) * n + c;
                const double *restrict gm = G + (off + SLOT(x, y)) * n + c;
                if (x == y) {
                    for (int64_t i = 0; i < e; i++) {
                        double go2 = d2[i] * gm[i], o = Px[i] * Px[i] + Qx[i] * Qx[i];
                        gPx[i] += 2 * Px[i] * go2;
                        gQx[i] += 2 * Qx[i] * go2;
                        ga[i] += d3[i] * o * gm[i];
                    }
                    continue;
                }
                double *restrict gPy = H + (nv + y) * n + c, *restrict gQy = H + (nv + d + y) * n + c;
                if (x < y)
                    for (int64_t i = 0; i < e; i++) {
                        double go2 = d2[i] * gm[i], o = Px[i] * Py[i] + Qx[i] * Qy[i];
                        gPx[i] += Py[i] * go2, gPy[i] += Px[i] * go2;
                        gQx[i] += Qy[i] * go2, gQy[i] += Qx[i] * go2;
                        ga[i] += d3[i] * o * gm[i];
                    }
                else   /* o = Qy Px - Py Qx */
                    for (int64_t i = 0; i < e; i++) {
                        double go2 = d2[i] * gm[i], o = Qy[i] * Px[i] - Py[i] * Qx[i];
                        gQy[i] += Px[i] * go2, gPx[i] += Qy[i] * go2;
                        gPy[i] -= Qx[i] * go2, gQx[i] -= Py[i] * go2;
                        ga[i] += d3[i] * o * gm[i];
                    }
            }
        for (int64_t t = 1; t < nv; t++) {
            const double *restrict g = G + t * n + c, *restrict dt = D1 + t * n + c;
            double *restrict h = H + t * n + c;
            for (int64_t i = 0; i < e; i++) h[i] = dt[i] * g[i];
        }
    }
}

/* adj = det g^-1 by Gauss-Jordan on a copy (d small, g positive definite in practice) */
static void adjugate_gj(int d, const cplx *g, double det, cplx *adj)
{
    cplx aug[SL_CY_MAX_AMB * SL_CY_MAX_AMB], inv[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
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
    for (int x = 0; x < d * d; x++) adj[x] = det * inv[x];
}

/* sl__cy_batch on points i0 .. i0 + B - 1, the gradient of the loss of a
 * batch of Bn points accumulated into grad */
static void batch_part(const sl_cy_net *net, const double *wts, const sl_cy_data *D, int64_t i0, int64_t B, int64_t Bn,
                       double kappa, double alpha_ma, double alpha_t, double wscale, sl_cy_ws *ws, double *sum_ma,
                       double *sum_tr, double *det_out, cplx *gout, double *grad)
{
    const int d = D->d, L = net->L;
    const int64_t w0 = net->w[0], nt = D->nt;
    const int use_t = nt > 0 && alpha_t != 0;
    const int64_t nv = 1 + (use_t ? nt : 0);            /* value-like blocks */
    const int64_t off = nv + 2 * (int64_t)d;            /* first d dbar block */
    const int64_t R = off + (int64_t)d * d, R1 = off;   /* blocks of the hidden layers, of the input */
    /* ---- forward: the input blocks (x; x at the transition points; E) ---- */
    {
        double *s = ws->S[0];
        memcpy(s, D->X + i0 * w0, sizeof(double) * (size_t)(B * w0));
        for (int64_t q = 0; q < nv - 1; q++)
            for (int64_t p = 0; p < B; p++)
                memcpy(s + ((1 + q) * B + p) * w0, D->Xt + ((i0 + p) * nt + q) * w0, sizeof(double) * (size_t)w0);
        for (int r = 0; r < 2 * d; r++)
            for (int64_t p = 0; p < B; p++)
                memcpy(s + ((nv + r) * B + p) * w0, D->E + ((i0 + p) * 2 * d + r) * w0, sizeof(double) * (size_t)w0);
    }
    for (int l = 1; l < L; l++) {
        const int64_t wi = net->w[l - 1], wo = net->w[l], rin = l == 1 ? R1 : R, n = B * wo;
        double *A = ws->A[l], *S = ws->S[l];
        mm(B * rin, wo, wi, ws->S[l - 1], wts + net->off_W[l], A, 0);
        add_bias(A, wts + net->off_b[l], nv * B, wo);
        act4_rows(net->act, A, S, ws->D1[l], ws->D2[l], ws->D3[l], nv * n);
        jet_forward(d, nv, n, l > 1, A, ws->D1[l], ws->D2[l], S);
    }
    double *out = ws->out;
    mv(0, B * R, net->w[L - 1], ws->S[L - 1], wts + net->off_W[L], out);
    /* ---- losses ---- */
    const double tr_norm = 1.0 / ((double)(D->na - 1) * d * d);
    double sma = 0, str = 0;
    double *go = ws->gout;   /* d loss / d out, the block layout */
    if (grad) memset(go, 0, sizeof(double) * (size_t)(B * R));
#define O(blk) out[(blk) * B + p]
#define GO(blk) go[(blk) * B + p]
    for (int64_t p = 0; p < B; p++) {
        cplx g[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        const cplx *gf = D->gfs + (i0 + p) * d * d;
        for (int x = 0; x < d; x++) {
            g[x * d + x] = gf[x * d + x] + O(off + SLOT(x, x));
            for (int y = x + 1; y < d; y++) {
                cplx h = CMPLX(O(off + SLOT(x, y)), O(off + SLOT(y, x)));
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
        double phi0 = O(0);
        for (int64_t q = 0; q < nv - 1; q++) t += fabs(O(1 + q) - phi0);
        str += t * tr_norm;
        if (!grad) continue;
        /* d(alpha_ma |r| / B)/d det, then through det g to the d dbar rows:
         * d det / d Re g_xy (x < y) = 2 det Re(g^-1)_xy, d/d Im g_xy = 2 det Im(g^-1)_xy,
         * d/d g_xx = det Re(g^-1)_xx (g^-1 hermitian; Jacobi's formula) */
        double sg = r > 0 ? 1 : r < 0 ? -1 : 0;
        double gdet = pw * alpha_ma / (double)Bn * sg * (-1.0 / (kappa * om2));
        cplx adj[SL_CY_MAX_AMB * SL_CY_MAX_AMB];   /* det g^-1 = the adjugate */
        if (d == 3) {   /* adj_xy = cofactor (y, x), indices mod 3 */
            for (int x = 0; x < 3; x++)
                for (int y = 0; y < 3; y++) {
                    const int y1 = (y + 1) % 3, y2 = (y + 2) % 3, x1 = (x + 1) % 3, x2 = (x + 2) % 3;
                    adj[x * 3 + y] = g[y1 * 3 + x1] * g[y2 * 3 + x2] - g[y1 * 3 + x2] * g[y2 * 3 + x1];
                }
        } else {
            adjugate_gj(d, g, det, adj);
        }
        for (int x = 0; x < d; x++) {
            GO(off + SLOT(x, x)) = gdet * creal(adj[x * d + x]);
            for (int y = x + 1; y < d; y++) {
                GO(off + SLOT(x, y)) = gdet * 2 * creal(adj[x * d + y]);
                GO(off + SLOT(y, x)) = gdet * 2 * cimag(adj[x * d + y]);
            }
        }
        const double c = alpha_t * tr_norm / (double)Bn;
        for (int64_t q = 0; q < nv - 1; q++) {
            double df = O(1 + q) - phi0, s = df > 0 ? c : df < 0 ? -c : 0;
            GO(1 + q) = s;
            GO(0) -= s;
        }
    }
#undef O
#undef GO
    *sum_ma = sma;
    *sum_tr = str;
    if (!grad) return;
    /* ---- reverse ---- */
    double *G = ws->g0, *H = ws->g1;   /* G: d/d blocks of layer l's output (B R x w[l]) */
    mv(1, B * R, net->w[L - 1], ws->S[L - 1], go, grad + net->off_W[L]);
    outer(go, wts + net->off_W[L], G, B * R, net->w[L - 1]);
    for (int l = L - 1; l >= 1; l--) {
        const int64_t wi = net->w[l - 1], wo = net->w[l], rin = l == 1 ? R1 : R, n = B * wo;
        double *bb = grad + net->off_b[l];
        jet_backward(d, nv, n, l > 1, ws->A[l], ws->D1[l], ws->D2[l], ws->D3[l], G, H);
        sum_rows(H, bb, nv * B, wo);
        mm_tn(B * rin, wo, wi, ws->S[l - 1], H, grad + net->off_W[l]);
        if (l > 1) mm(B * rin, wi, wo, H, ws->WT[l], G, 0);   /* d/d blocks of layer l-1's output: H W^T */
    }
}


void sl__cy_batch(const sl_cy_net *net, const double *wts, const sl_cy_data *D, int64_t i0, int64_t B, double kappa,
                  double alpha_ma, double alpha_t, double wscale, sl_cy_ws *ws, double *sum_ma, double *sum_tr,
                  double *det_out, cplx *gout, double *grad)
{
    if (grad) {
        memset(grad, 0, sizeof(double) * (size_t)net->nweights);
        /* W^T for the reverse pass's H W^T, as an untransposed product (OpenBLAS
         * then takes its small-matrix kernel, without packing) */
        for (int l = 2; l < net->L; l++) {
            const int64_t wi = net->w[l - 1], wo = net->w[l];
            const double *W = wts + net->off_W[l];
            for (int64_t i = 0; i < wi; i++)
                for (int64_t j = 0; j < wo; j++) ws->WT[l][j * wi + i] = W[i * wo + j];
        }
    }
    double sma = 0, str = 0;
    for (int64_t c = 0; c < B; c += PART) {
        const int64_t b = B - c < PART ? B - c : PART;
        double a, t;
        batch_part(net, wts, D, i0 + c, b, B, kappa, alpha_ma, alpha_t, wscale, ws, &a, &t, det_out ? det_out + c : NULL,
                   gout ? gout + c * D->d * D->d : NULL, grad);
        sma += a, str += t;
    }
    *sum_ma = sma;
    *sum_tr = str;
}
