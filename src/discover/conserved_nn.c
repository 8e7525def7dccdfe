/* The networks of the neural conserved-quantity modes: K candidate MLPs
 * stacked on a leading axis (batched products, as bench/bench_conserved.c),
 * the AI Poincare 2.0 loss (Liu, Madhavan, Tegmark, PRE 106, 045307 (2022),
 * eqs. 3-5) and the neural deflation loss (Zhu, Zhang, Kevrekidis, PRE 108,
 * L022301 (2023); the form of docs/conserved.md), training with progress
 * and checkpoints, and the evaluation of trained networks by hand (value
 * and input gradient, no graph). */
#include "conserved_nn.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "../autodiff/graph_internal.h"
#include "../io/checkpoint.h"
#include "symlearn/nn.h"

#define T_UNIT SL__TAG('U', 'N', 'I', 'T')
#define T_DONE SL__TAG('D', 'O', 'N', 'E')
#define T_DLEN SL__TAG('D', 'L', 'E', 'N')

/* ---- evaluation by hand ---------------------------------------------------------- */
int64_t sl__cnet_nweights(const sl__cnet *n)
{
    int64_t H = n->hidden, w = n->d * H + H;
    w += (int64_t)(n->depth - 1) * (H * H + H);
    return w + H + 1;
}

static double act_f(int act, double a, double *da)
{
    switch (act) {
    case SL_ACT_TANH: {
        double t = tanh(a);
        *da = 1 - t * t;
        return t;
    }
    case SL_ACT_GELU: {
        double P = 0.5 * (1 + erf(a * M_SQRT1_2));
        *da = P + a * exp(-0.5 * a * a) * 0.39894228040143267794;
        return a * P;
    }
    case SL_ACT_SOFTPLUS: {
        double s = 1 / (1 + exp(-a));
        *da = s;
        return a > 30 ? a : log1p(exp(a));
    }
    case SL_ACT_SIN:
        *da = cos(a);
        return sin(a);
    default: { /* SiLU */
        double s = 1 / (1 + exp(-a));
        *da = s * (1 + a * (1 - s));
        return a * s;
    }
    }
}

void sl__cnet_eval(const sl__cnet *n, const double *w, int64_t m, const double *x, double *v, double *g)
{
    int64_t d = n->d, H = n->hidden;
    int L = n->depth;
    double hbuf[2][SL__CNET_MAXH], dact[8][SL__CNET_MAXH], gb[2][SL__CNET_MAXH];
    for (int64_t p = 0; p < m; ++p) {
        const double *xp = x + p * d, *wp = w;
        double *h = hbuf[0], *hn = hbuf[1];
        int64_t in = d;
        for (int64_t i = 0; i < d; ++i) h[i] = (xp[i] - n->mean[i]) / n->scale[i];
        for (int l = 0; l < L; ++l) {
            const double *W = wp, *b = wp + in * H;
            for (int64_t o = 0; o < H; ++o) hn[o] = b[o];
            for (int64_t i = 0; i < in; ++i) {
                double hi = h[i];
                const double *row = W + i * H;
                for (int64_t o = 0; o < H; ++o) hn[o] += hi * row[o];
            }
            for (int64_t o = 0; o < H; ++o) hn[o] = act_f(n->act, hn[o], &dact[l][o]);
            wp += in * H + H;
            in = H;
            double *t = h;
            h = hn;
            hn = t;
        }
        const double *Wl = wp;
        double y = Wl[H];
        for (int64_t i = 0; i < H; ++i) y += h[i] * Wl[i];
        if (v) v[p] = y;
        if (!g) continue;
        /* backward: dy/dh_L = W_last; then through each layer */
        double *gh = gb[0], *gn = gb[1];
        for (int64_t i = 0; i < H; ++i) gh[i] = Wl[i];
        for (int l = L - 1; l >= 0; --l) {
            int64_t lin = l == 0 ? d : H;
            const double *W = w;
            for (int k = 0; k < l; ++k) W += (k == 0 ? d : H) * H + H;
            for (int64_t o = 0; o < H; ++o) gh[o] *= dact[l][o];
            for (int64_t i = 0; i < lin; ++i) {
                const double *row = W + i * H;
                double s = 0;
                for (int64_t o = 0; o < H; ++o) s += row[o] * gh[o];
                gn[i] = s;
            }
            double *t = gh;
            gh = gn;
            gn = t;
        }
        for (int64_t i = 0; i < d; ++i) g[p * d + i] = gh[i] / n->scale[i];
    }
}

/* ---- principal angles ---------------------------------------------------------------- */
/* Orthonormalise the rows of A (a x d) in place by modified Gram-Schmidt
 * twice; returns the rank kept (rows of norm below 1e-12 dropped). */
static int64_t orthonormalise(int64_t a, int64_t d, double *A)
{
    int64_t r = 0;
    for (int64_t i = 0; i < a; ++i) {
        double *q = A + r * d;
        if (q != A + i * d) memmove(q, A + i * d, sizeof(double) * (size_t)d);
        double n0 = 0;
        for (int64_t k = 0; k < d; ++k) n0 += q[k] * q[k];
        for (int pass = 0; pass < 2; ++pass)
            for (int64_t b = 0; b < r; ++b) {
                const double *e = A + b * d;
                double dot = 0;
                for (int64_t k = 0; k < d; ++k) dot += e[k] * q[k];
                for (int64_t k = 0; k < d; ++k) q[k] -= dot * e[k];
            }
        double n = 0;
        for (int64_t k = 0; k < d; ++k) n += q[k] * q[k];
        if (!(n > 1e-24 * n0) || n0 == 0) continue;
        n = sqrt(n);
        for (int64_t k = 0; k < d; ++k) q[k] /= n;
        r++;
    }
    return r;
}

/* Largest eigenvalue of the symmetric n x n matrix S (cyclic Jacobi). */
static double max_eig(int64_t n, double *S)
{
    for (int sweep = 0; sweep < 60; ++sweep) {
        double off = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = i + 1; j < n; ++j) off += S[i * n + j] * S[i * n + j];
        if (off < 1e-300) break;
        for (int64_t p = 0; p < n; ++p)
            for (int64_t q = p + 1; q < n; ++q) {
                double apq = S[p * n + q];
                if (apq == 0) continue;
                double th = (S[q * n + q] - S[p * n + p]) / (2 * apq);
                double t = (th >= 0 ? 1 : -1) / (fabs(th) + sqrt(th * th + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int64_t k = 0; k < n; ++k) {
                    double a = S[k * n + p], b = S[k * n + q];
                    S[k * n + p] = c * a - s * b;
                    S[k * n + q] = s * a + c * b;
                }
                for (int64_t k = 0; k < n; ++k) {
                    double a = S[p * n + k], b = S[q * n + k];
                    S[p * n + k] = c * a - s * b;
                    S[q * n + k] = s * a + c * b;
                }
            }
    }
    double mx = 0;
    for (int64_t i = 0; i < n; ++i) mx = fmax(mx, S[i * n + i]);
    return mx;
}

void sl__sym_eig(int64_t n, double *S, double *w)   /* eigenvalues (unordered) into w */
{
    (void)max_eig(n, S);
    for (int64_t i = 0; i < n; ++i) w[i] = S[i * n + i];
}

double sl__span_angle(int64_t d, int64_t a, const double *A, int64_t b, const double *B, double *scratch)
{
    double *QA = scratch, *QB = QA + a * d, *R = QB + b * d, *S = R + a * d;
    memcpy(QA, A, sizeof(double) * (size_t)(a * d));
    memcpy(QB, B, sizeof(double) * (size_t)(b * d));
    int64_t ra = orthonormalise(a, d, QA), rb = orthonormalise(b, d, QB);
    if (ra != rb) return M_PI / 2;
    if (ra == 0) return 0;
    /* sin^2 of the largest angle: the largest eigenvalue of R R^T, R = QA (I - QB^T QB) */
    for (int64_t i = 0; i < ra; ++i) {
        double *rr = R + i * d;
        memcpy(rr, QA + i * d, sizeof(double) * (size_t)d);
        for (int64_t j = 0; j < rb; ++j) {
            double dot = 0;
            for (int64_t k = 0; k < d; ++k) dot += QB[j * d + k] * QA[i * d + k];
            for (int64_t k = 0; k < d; ++k) rr[k] -= dot * QB[j * d + k];
        }
    }
    for (int64_t i = 0; i < ra; ++i)
        for (int64_t j = 0; j < ra; ++j) {
            double s = 0;
            for (int64_t k = 0; k < d; ++k) s += R[i * d + k] * R[j * d + k];
            S[i * ra + j] = s;
        }
    double s2 = max_eig(ra, S);
    return asin(fmin(1.0, sqrt(fmax(0.0, s2))));
}

/* ---- the training graph ------------------------------------------------------------- */
static sl_node *activate(sl_graph *g, int act, sl_node *v)
{
    switch (act) {
    case SL_ACT_TANH: return sl_graph_tanh(g, v);
    case SL_ACT_GELU: return sl_graph_gelu(g, v);
    case SL_ACT_SOFTPLUS: return sl_graph_softplus(g, v);
    case SL_ACT_SIN: return sl_graph_sin(g, v);
    default: return sl_graph_silu(g, v);
    }
}

int64_t sl__trainer_nw(const sl__trainer *t) { return t->nb > 0 ? t->nb : sl__cnet_nweights(&t->net); }

void sl__trainer_free(sl__trainer *t)
{
    sl_ctx *ctx = t->ctx;
    sl_plan_destroy(t->eval);
    sl_optim_destroy(t->opt);
    sl_graph_destroy(t->g);
    sl__free(ctx, t->xin);
    sl__free(ctx, t->fin);
    sl__free(ctx, t->qin);
    sl__free(ctx, t->uin);
    sl__free(ctx, t->jin);
    memset(&t->g, 0, sizeof *t - offsetof(sl__trainer, g));
}

/* Build the stacked networks and the loss on a (K, B, d) input copy. */
static sl_status build(sl__trainer *t)
{
    sl_ctx *ctx = t->ctx;
    const sl__cnet *n = &t->net;
    int64_t K = t->K, B = t->B, d = t->dx ? t->dx : n->d, din = n->d, H = n->hidden, NQ = t->nq, NA = t->na;
    sl_status st = sl_graph_create(ctx, &t->g);
    if (st) return st;
    sl_graph *g = t->g;
    t->F = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, d}, "fh");
    sl_node *Hk = NULL, *grad;
    t->np = 0;
    if (t->nb > 0) {
        /* linear candidates: grad_x I_k = sum_j theta_kj grad b_j, one (K x nb) (nb x B d) product */
        int64_t nb = t->nb;
        t->J = sl_graph_input(g, SL_F64, 2, (int64_t[]){nb, B * d}, "jb");
        double *th0 = sl__alloc(ctx, sizeof(double) * (size_t)(K * nb), 0, t->who);
        if (!th0) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
        if (t->winit) memcpy(th0, t->winit, sizeof(double) * (size_t)(K * nb));
        else if (t->n0 > 0) {
            /* random combinations of the rows of N0 (the library's conserved subspace), unit norm */
            double al[64];
            for (int64_t k = 0; k < K; ++k) {
                int64_t n0 = t->n0 < 64 ? t->n0 : 64;
                sl_rng_fill_uniform(t->wseed, (uint64_t)(k * 64), (size_t)n0, -1, 1, al);
                double nn = 0;
                for (int64_t j = 0; j < nb; ++j) {
                    double v = 0;
                    for (int64_t r = 0; r < n0; ++r) v += al[r] * t->N0[r * nb + j];
                    th0[k * nb + j] = v;
                    nn += v * v;
                }
                for (int64_t j = 0; j < nb && nn > 0; ++j) th0[k * nb + j] /= sqrt(nn);
            }
        } else sl_rng_fill_uniform(t->wseed, 0, (size_t)(K * nb), -1, 1, th0);
        sl_node *theta;
        if (t->sub) {   /* theta = alpha N0, alpha (K x n0) the projection of the initial theta */
            int64_t n0 = t->n0;
            double *al = sl__alloc(ctx, sizeof(double) * (size_t)(K * n0), 0, t->who);
            if (!al) {
                sl__free(ctx, th0);
                return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
            }
            for (int64_t k = 0; k < K; ++k)
                for (int64_t r = 0; r < n0; ++r) {
                    double v = 0;
                    for (int64_t j = 0; j < nb; ++j) v += th0[k * nb + j] * t->N0[r * nb + j];
                    al[k * n0 + r] = v;
                }
            t->params[t->np++] = sl_graph_param(g, SL_F64, 2, (int64_t[]){K, n0}, al, "alpha");
            sl__free(ctx, al);
            theta = sl_graph_matmul(g, t->params[0], sl_graph_constant(g, SL_F64, 2, (int64_t[]){n0, nb}, t->N0));
        } else {
            t->params[t->np++] = sl_graph_param(g, SL_F64, 2, (int64_t[]){K, nb}, th0, "theta");
            theta = t->params[0];
        }
        sl__free(ctx, th0);
        grad = sl_graph_reshape(g, sl_graph_matmul(g, theta, t->J), 3, (int64_t[]){K, B, d});
        goto loss;
    }
    t->X = sl_graph_input(g, SL_F64, 3, (int64_t[]){K, B, din}, "x");
    double *imean = sl__graph_mem(g, sizeof(double) * (size_t)(2 * din));
    if (!imean) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
    for (int64_t i = 0; i < din; ++i) imean[i] = n->mean[i], imean[din + i] = 1 / n->scale[i];
    sl_node *h = sl_graph_mul(g, sl_graph_sub(g, t->X, sl_graph_constant(g, SL_F64, 2, (int64_t[]){1, din}, imean)),
                              sl_graph_constant(g, SL_F64, 2, (int64_t[]){1, din}, imean + din));
    int64_t in = din;
    for (int l = 0; l <= n->depth; ++l) {
        int64_t out = l == n->depth ? 1 : H, cnt = K * in * out;
        double *w0 = sl__alloc(ctx, sizeof(double) * (size_t)(cnt + K * out), 0, t->who), *b0 = NULL;
        if (!w0) return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
        if (t->winit) {   /* the given weights (sl__cnet layout per network) */
            int64_t nw = sl__cnet_nweights(n), off = 0;
            for (int m = 0; m < l; ++m) off += (m == 0 ? din : H) * H + H;
            b0 = w0 + cnt;
            for (int64_t k = 0; k < K; ++k) {
                memcpy(w0 + k * in * out, t->winit + k * nw + off, sizeof(double) * (size_t)(in * out));
                memcpy(b0 + k * out, t->winit + k * nw + off + in * out, sizeof(double) * (size_t)out);
            }
        } else {
            /* Glorot uniform (Glorot & Bengio 2010, eq. 16), network k at counter k in out */
            double a = sqrt(6.0 / (double)(in + out));
            sl_rng_fill_uniform(t->wseed + (uint64_t)l, 0, (size_t)cnt, -a, a, w0);
        }
        char nm[2][16];
        snprintf(nm[0], sizeof nm[0], "W%d", l + 1);
        snprintf(nm[1], sizeof nm[1], "b%d", l + 1);
        sl_node *W = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, in, out}, w0, nm[0]);
        sl_node *b = sl_graph_param(g, SL_F64, 3, (int64_t[]){K, 1, out}, b0, nm[1]);
        sl__free(ctx, w0);
        t->params[t->np++] = W;
        t->params[t->np++] = b;
        h = sl_graph_add(g, sl_graph_matmul(g, h, W), b);
        if (l < n->depth) h = activate(g, n->act, h);
        in = out;
    }
    Hk = h;                                                                /* (K, B, 1) */
    grad = sl_graph_grad1(g, sl_graph_sum(g, Hk), t->X);                   /* (K, B, din) */
    if (t->fnb > 0) {
        /* networks of features: grad_x I = sum_k dI/db_k grad_x b_k, per sample a (K x nb) (nb x d) product */
        t->J = sl_graph_input(g, SL_F64, 3, (int64_t[]){B, din, d}, "jb");
        grad = sl_graph_permute(g, sl_graph_matmul(g, sl_graph_permute(g, grad, (int[]){1, 0, 2}), t->J), (int[]){1, 0, 2});
    }
loss:;
    int ax2 = 2, ax1 = 1, ax0 = 0;
    sl_node *gn2 = sl_graph_add_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, grad), 1, &ax2, 1), 1e-300);
    sl_node *gh = sl_graph_div(g, grad, sl_graph_sqrt(g, gn2));
    /* fit: (1/K) sum_k mean_b (fh . gh_k)^2 */
    sl_node *fit = sl_graph_mean(g, sl_graph_square(g, sl_graph_sum_axes(g, sl_graph_mul(g, gh, t->F), 1, &ax2, 0)));
    t->terms[0] = fit;
    t->nterms = 1;
    sl_node *loss = fit;
    if (t->deflation) {
        /* candidates are independent restarts: loss = sum over them */
        loss = sl_graph_mul_scalar(g, fit, (double)K);
        sl_node *gb = sl_graph_permute(g, gh, (int[]){1, 0, 2});           /* (B, K, d) */
        sl_node *den = NULL;                                                /* (B, K) */
        if (NQ > 0 && t->nb == 0) {
            /* independence by projection (no barrier): conservation and involution are measured relative to
             * the part of the unit gradient off the accepted span, per sample (gh . fh)^2 / (|P_perp gh|^2 +
             * eps): a candidate that collapses onto a function of the accepted quantities gains nothing,
             * its new part has to be conserved (eps 0.01 keeps it finite where the span holds gh) */
            t->Q = sl_graph_input(g, SL_F64, 3, (int64_t[]){B, NQ, d}, "q");
            sl_node *pr = sl_graph_matmul_ex(g, gb, SL_OP_N, t->Q, SL_OP_T);   /* (B, K, NQ) */
            den = sl_graph_add_scalar(g, sl_graph_rsub_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, pr), 1, &ax2, 0), 1.0),
                                      0.01);
            sl_node *d2 = sl_graph_square(g, sl_graph_sum_axes(g, sl_graph_mul(g, gh, t->F), 1, &ax2, 0));   /* (K, B) */
            fit = sl_graph_mean(g, sl_graph_div(g, d2, sl_graph_permute(g, den, (int[]){1, 0})));
            t->terms[0] = fit;
            loss = sl_graph_mul_scalar(g, fit, (double)K);
        }
        if (NA > 0 && t->alpha > 0) {
            t->U = sl_graph_input(g, SL_F64, 3, (int64_t[]){B, NA, d}, "u");
            sl_node *br = sl_graph_matmul_ex(g, gb, SL_OP_N, t->U, SL_OP_T);   /* (B, K, NA) */
            sl_node *b2 = sl_graph_square(g, br);
            if (den) b2 = sl_graph_div(g, sl_graph_sum_axes(g, b2, 1, &ax2, 0), den);
            sl_node *inv = sl_graph_mul_scalar(g, sl_graph_sum(g, b2), 1.0 / (double)B);
            t->terms[t->nterms++] = inv;
            loss = sl_graph_add(g, loss, sl_graph_mul_scalar(g, inv, t->alpha));
        }
        if (NQ > 0 && t->beta > 0 && !den) {   /* linear candidates: the barrier */
            t->Q = sl_graph_input(g, SL_F64, 3, (int64_t[]){B, NQ, d}, "q");
            sl_node *pr = sl_graph_matmul_ex(g, gb, SL_OP_N, t->Q, SL_OP_T);   /* (B, K, NQ) */
            int ax = 2;
            sl_node *perp = sl_graph_rsub_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, pr), 1, &ax, 0), 1.0);
            /* the barrier 1 / (mean_b |P_perp gh|^2 + 0.01) of each candidate, cut off (relu) above a mean of
             * SL__DEFL_TAU: past it independence is not rewarded, so it does not pull the candidate off
             * conservation, and the mean lets a quantity be nearly dependent at some points (where all
             * integrals' gradients meet, e.g. Toda's relative equilibria) */
            int a0 = 0;
            sl_node *mp = sl_graph_mean_axes(g, perp, 1, &a0, 0);   /* (K) */
            sl_node *bar = sl_graph_div(g, sl_graph_scalar(g, 1.0), sl_graph_add_scalar(g, mp, 0.01));
            sl_node *ind = sl_graph_sum(g, sl_graph_relu(g, sl_graph_add_scalar(g, bar, -1.0 / (SL__DEFL_TAU + 0.01))));
            t->terms[t->nterms++] = ind;
            loss = sl_graph_add(g, loss, sl_graph_mul_scalar(g, ind, t->beta));
        }
    } else if (K > 1 && Hk) {
        /* R_H: Pearson correlations of the H_k over the batch; R_grad: overlaps */
        sl_node *Hc = sl_graph_sub(g, Hk, sl_graph_mean_axes(g, Hk, 1, &ax1, 1));
        sl_node *Hn = sl_graph_div(
            g, Hc, sl_graph_sqrt(g, sl_graph_add_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, Hc), 1, &ax1, 1), 1e-300)));
        Hn = sl_graph_reshape(g, Hn, 2, (int64_t[]){K, B});
        sl_node *corr = sl_graph_matmul_ex(g, Hn, SL_OP_N, Hn, SL_OP_T);
        double pairs = (double)(K * (K - 1));
        sl_node *r_h = sl_graph_mul_scalar(g, sl_graph_add_scalar(g, sl_graph_sum(g, sl_graph_square(g, corr)), -(double)K),
                                           1.0 / pairs);
        sl_node *gb = sl_graph_permute(g, gh, (int[]){1, 0, 2});
        sl_node *dots = sl_graph_matmul_ex(g, gb, SL_OP_N, gb, SL_OP_T);
        sl_node *r_g = sl_graph_mul_scalar(
            g, sl_graph_add_scalar(g, sl_graph_sum(g, sl_graph_mean_axes(g, sl_graph_square(g, dots), 1, &ax0, 0)), -(double)K),
            1.0 / pairs);
        t->terms[t->nterms++] = r_h;
        t->terms[t->nterms++] = r_g;
        loss = sl_graph_add(g, fit, sl_graph_mul_scalar(g, sl_graph_add(g, r_h, r_g), t->lam));
    }
    t->loss = loss;
    if ((st = sl_graph_status(g))) return st;
    sl_optim_opts oo;
    if (t->lbfgs > 0) {   /* the polish: full-batch L-BFGS with strong Wolfe line search */
        sl_optim_opts_init(&oo, SL_OPTIM_LBFGS);
        oo.max_iter = (int)t->lbfgs;
        oo.max_eval = (int)(t->lbfgs + t->lbfgs / 4 + 1);
        oo.history = 20;
        oo.tolerance_grad = 1e-12;
        oo.tolerance_change = 1e-15;
    } else {
        sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
        oo.lr = t->lr;
    }
    if ((st = sl_optim_create(g, loss, t->np, t->params, &oo, &t->opt))) return st;
    sl_node *outs[5] = {loss, t->terms[0], t->terms[1], t->terms[2], NULL};
    if ((st = sl_plan_create(g, 1 + t->nterms, outs, &t->eval))) return st;
    t->xin = t->X ? sl__alloc(ctx, sizeof(double) * (size_t)(K * B * din), 0, t->who) : NULL;
    t->jin = t->J ? sl__alloc(ctx, sizeof(double) * (size_t)((t->nb + t->fnb) * B * d), 0, t->who) : NULL;
    t->fin = sl__alloc(ctx, sizeof(double) * (size_t)(B * d), 0, t->who);
    t->qin = t->Q ? sl__alloc(ctx, sizeof(double) * (size_t)(B * NQ * d), 0, t->who) : NULL;
    t->uin = t->U ? sl__alloc(ctx, sizeof(double) * (size_t)(B * NA * d), 0, t->who) : NULL;
    if ((t->X && !t->xin) || (t->J && !t->jin) || !t->fin || (t->Q && !t->qin) || (t->U && !t->uin))
        return sl__fail(ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
    sl_plan *p = sl_optim_plan(t->opt);
    if ((st = sl_plan_bind(p, t->F, t->fin)) || (st = sl_plan_bind(t->eval, t->F, t->fin))) return st;
    if (t->X && ((st = sl_plan_bind(p, t->X, t->xin)) || (st = sl_plan_bind(t->eval, t->X, t->xin)))) return st;
    if (t->J && ((st = sl_plan_bind(p, t->J, t->jin)) || (st = sl_plan_bind(t->eval, t->J, t->jin)))) return st;
    if (t->Q && ((st = sl_plan_bind(p, t->Q, t->qin)) || (st = sl_plan_bind(t->eval, t->Q, t->qin)))) return st;
    if (t->U && ((st = sl_plan_bind(p, t->U, t->uin)) || (st = sl_plan_bind(t->eval, t->U, t->uin)))) return st;
    return SL_OK;
}

/* The batch of step s: rows drawn uniformly with replacement from counter
 * s * B of the batch stream (all samples in order when B = m). */
static void fill_batch(sl__trainer *t, int64_t s)
{
    int64_t K = t->K, B = t->B, d = t->dx ? t->dx : t->net.d, din = t->net.d;
    for (int64_t b = 0; b < B; ++b) {
        int64_t i = B == t->m ? b : (int64_t)(sl_rng_uniform(t->bseed, (uint64_t)(s * B + b)) * (double)t->m);
        if (i >= t->m) i = t->m - 1;
        memcpy(t->fin + b * d, t->FH + i * d, sizeof(double) * (size_t)d);
        for (int64_t k = 0; t->xin && k < K; ++k) memcpy(t->xin + (k * B + b) * din, t->Xs + i * din, sizeof(double) * (size_t)din);
        if (t->jin && t->fnb > 0) memcpy(t->jin + b * t->fnb * d, t->Js + i * t->fnb * d, sizeof(double) * (size_t)(t->fnb * d));
        for (int64_t k = 0; t->jin && k < t->nb; ++k)
            memcpy(t->jin + (k * B + b) * d, t->Js + (i * t->nb + k) * d, sizeof(double) * (size_t)d);
        if (t->qin) memcpy(t->qin + b * t->nq * d, t->Qs + i * t->nq * d, sizeof(double) * (size_t)(t->nq * d));
        if (t->uin) memcpy(t->uin + b * t->na * d, t->Us + i * t->na * d, sizeof(double) * (size_t)(t->na * d));
    }
}

/* Per-network weights (sl__cnet layout) from the stacked params. */
static void extract(const sl__trainer *t, double *w)
{
    int64_t K = t->K, d = t->net.d, H = t->net.hidden, nw = sl__cnet_nweights(&t->net);
    if (t->nb > 0 && t->sub) {   /* theta = alpha N0 */
        const double *al = sl_node_data(t->params[0]);
        for (int64_t k = 0; k < K; ++k)
            for (int64_t j = 0; j < t->nb; ++j) {
                double v = 0;
                for (int64_t r = 0; r < t->n0; ++r) v += al[k * t->n0 + r] * t->N0[r * t->nb + j];
                w[k * t->nb + j] = v;
            }
        return;
    }
    if (t->nb > 0) {
        memcpy(w, sl_node_data(t->params[0]), sizeof(double) * (size_t)(K * t->nb));
        return;
    }
    for (int64_t k = 0; k < K; ++k) {
        double *o = w + k * nw;
        int64_t in = d;
        for (int l = 0; l <= t->net.depth; ++l) {
            int64_t out = l == t->net.depth ? 1 : H;
            const double *W = sl_node_data(t->params[2 * l]), *b = sl_node_data(t->params[2 * l + 1]);
            memcpy(o, W + k * in * out, sizeof(double) * (size_t)(in * out));
            memcpy(o + in * out, b + k * out, sizeof(double) * (size_t)out);
            o += in * out + out;
            in = out;
        }
    }
}

/* Fingerprint of what makes a training unit: resuming with other settings is refused. */
static void fingerprint(const sl__trainer *t, int64_t fp[8])
{
    fp[0] = t->net.d, fp[1] = t->nb > 0 ? -t->nb : t->net.hidden, fp[2] = t->net.depth, fp[3] = t->net.act;
    fp[4] = t->K, fp[5] = t->B, fp[6] = t->steps ^ (t->polish << 40), fp[7] = (int64_t)(t->wseed ^ (t->bseed << 1));
}

static sl_status save_ckpt(sl__trainer *t, sl__ckpt *c, int64_t step)
{
    sl__cw w;
    sl__cw_begin(&w, t->ctx, t->who, SL__KIND_CKPT, SL__CKPT_VERSION);
    sl__optim_state_put(&w, SL__TAG_OPTM, t->opt);
    sl__rng_state_put(&w, SL__TAG_RNG, t->bseed, (uint64_t)(step * t->B));
    int64_t unit[10];
    unit[0] = c->unit, unit[1] = step;
    fingerprint(t, unit + 2);
    sl__cw_i64(&w, T_UNIT, unit, 10);
    int64_t tot = 0;
    for (int64_t u = 0; u < c->unit; ++u) tot += c->len[u];
    sl__cw_i64(&w, T_DLEN, c->len, (size_t)c->unit);
    double *all = sl__alloc(t->ctx, sizeof(double) * (size_t)(tot ? tot : 1), 0, t->who);
    if (!all) {
        sl__cw_discard(&w);
        return sl__fail(t->ctx, SL_ERR_NOMEM, "%s: out of memory", t->who);
    }
    for (int64_t u = 0, o = 0; u < c->unit; o += c->len[u], ++u) memcpy(all + o, c->w[u], sizeof(double) * (size_t)c->len[u]);
    sl__cw_f64(&w, T_DONE, all, (size_t)tot);
    sl__free(t->ctx, all);
    return sl__cw_commit(&w, c->path);
}

sl_status sl__ckpt_open(sl_ctx *ctx, const char *who, const char *path, int resume, sl__ckpt *c)
{
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->path = path;
    c->res_unit = -1;
    if (!path || !resume) return SL_OK;
    FILE *fp = fopen(path, "rb");
    if (!fp) return SL_OK;   /* nothing to resume: start afresh */
    fclose(fp);
    sl_status st = sl__cfile_open(ctx, who, path, SL__KIND_CKPT, SL__CKPT_VERSION, &c->f);
    if (st) return st;
    c->open = 1;
    int64_t unit[10], n;
    if ((st = sl__crd_i64(&c->f.root, T_UNIT, unit, 10))) return st;
    if ((st = sl__crd_count(&c->f.root, T_DLEN, SL__REC_I64, &n))) return st;
    if (unit[0] < 0 || unit[0] > 100000 || n != unit[0] || unit[1] < 0)
        return sl__crd_bad(&c->f.root, T_UNIT, "unit %lld, step %lld, %lld finished", (long long)unit[0], (long long)unit[1],
                           (long long)n);
    c->res_unit = unit[0];
    c->res_step = unit[1];
    memcpy(c->fp, unit + 2, sizeof c->fp);
    c->plen = sl__alloc(ctx, sizeof(int64_t) * (size_t)(n ? n : 1), 0, who);
    if (!c->plen) return SL_ERR_NOMEM;
    if ((st = sl__crd_i64(&c->f.root, T_DLEN, c->plen, n))) return st;
    int64_t tot = 0;
    for (int64_t u = 0; u < n; ++u) {
        if (c->plen[u] < 0 || c->plen[u] > ((int64_t)1 << 40)) return sl__crd_bad(&c->f.root, T_DLEN, "length %lld", (long long)c->plen[u]);
        tot += c->plen[u];
    }
    c->pw = sl__alloc(ctx, sizeof(double) * (size_t)(tot ? tot : 1), 0, who);
    if (!c->pw) return SL_ERR_NOMEM;
    return sl__crd_f64(&c->f.root, T_DONE, c->pw, tot, 1);
}

void sl__ckpt_close(sl__ckpt *c)
{
    if (c->open) sl__cfile_close(&c->f);
    for (int64_t u = 0; c->w && u < c->unit; ++u) sl__free(c->ctx, c->w[u]);
    sl__free(c->ctx, c->w);
    sl__free(c->ctx, c->len);
    sl__free(c->ctx, c->plen);
    sl__free(c->ctx, c->pw);
}

/* Record a finished unit (its weights) for later checkpoints. */
static sl_status ckpt_done(sl__ckpt *c, const char *who, int64_t len, const double *w)
{
    if (!c->path) {
        c->unit++;
        return SL_OK;
    }
    if (c->unit >= c->cap) {
        int64_t cap = c->cap ? 2 * c->cap : 16;
        double **nw = sl__alloc(c->ctx, sizeof(double *) * (size_t)cap, 1, who);
        int64_t *nl = sl__alloc(c->ctx, sizeof(int64_t) * (size_t)cap, 1, who);
        if (!nw || !nl) {
            sl__free(c->ctx, nw);
            sl__free(c->ctx, nl);
            return sl__fail(c->ctx, SL_ERR_NOMEM, "%s: out of memory", who);
        }
        if (c->unit) {
            memcpy(nw, c->w, sizeof(double *) * (size_t)c->unit);
            memcpy(nl, c->len, sizeof(int64_t) * (size_t)c->unit);
        }
        sl__free(c->ctx, c->w);
        sl__free(c->ctx, c->len);
        c->w = nw, c->len = nl, c->cap = cap;
    }
    c->w[c->unit] = sl__alloc(c->ctx, sizeof(double) * (size_t)(len ? len : 1), 0, who);
    if (!c->w[c->unit]) return sl__fail(c->ctx, SL_ERR_NOMEM, "%s: out of memory", who);
    memcpy(c->w[c->unit], w, sizeof(double) * (size_t)len);
    c->len[c->unit++] = len;
    return SL_OK;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

sl_status sl__train(sl__trainer *t, sl__ckpt *c, double *w, double *terms)
{
    sl_ctx *ctx = t->ctx;
    int64_t nw = sl__trainer_nw(t), len = t->K * nw;
    sl_status st;
    /* a unit finished before the checkpoint: its stored weights */
    if (c->open && c->unit < c->res_unit) {
        int64_t off = 0;
        for (int64_t u = 0; u < c->unit; ++u) off += c->plen[u];
        if (c->plen[c->unit] != len)
            return sl__fail(ctx, SL_ERR_ARG, "%s: the checkpoint '%s' was written with other options (unit %lld has %lld "
                            "weights, here %lld)", t->who, c->path, (long long)c->unit, (long long)c->plen[c->unit], (long long)len);
        memcpy(w, c->pw + off, sizeof(double) * (size_t)len);
        for (int i = 0; i < 4; ++i) terms[i] = NAN;
        return ckpt_done(c, t->who, len, w);
    }
    if ((st = build(t))) return st;
    int64_t s0 = 0;
    if (c->open && c->unit == c->res_unit) {
        int64_t fp[8];
        fingerprint(t, fp);
        if (memcmp(fp, c->fp, sizeof fp) != 0 || c->res_step > t->steps)
            return sl__fail(ctx, SL_ERR_ARG, "%s: the checkpoint '%s' was written with other options (network shape, "
                            "batch, steps, polish or seed differ)", t->who, c->path);
        uint64_t seed, counter;
        if ((st = sl__optim_state_get(&c->f.root, SL__TAG_OPTM, t->opt))) return st;
        if ((st = sl__rng_state_get(&c->f.root, SL__TAG_RNG, &seed, &counter))) return st;
        if (seed != t->bseed || counter != (uint64_t)(c->res_step * t->B))
            return sl__fail(ctx, SL_ERR_CORRUPT, "%s: the checkpoint '%s' has an inconsistent RNG position", t->who, c->path);
        s0 = c->res_step;
        sl__log(ctx, SL_LOG_INFO, "%s: %s: resumed from '%s' at step %lld", t->who, t->label, c->path, (long long)s0);
    }
    double t0 = now(), l = 0;
    for (int64_t s = s0; s < t->steps; ++s) {
        if (c->path && t->ckpt_every > 0 && s > s0 && s % t->ckpt_every == 0 && (st = save_ckpt(t, c, s))) return st;
        fill_batch(t, s);
        /* cosine decay to lr / 20 (Loshchilov, Hutter 2017) */
        sl_optim_set_lr(t->opt, t->lr * (0.05 + 0.475 * (1 + cos(M_PI * (double)s / (double)t->steps))));
        if ((st = sl_optim_step(t->opt, &l))) {
            char msg[SL_ERRMSG_LEN];
            snprintf(msg, sizeof msg, "%s", sl_ctx_errmsg(ctx));
            return sl__fail(ctx, st == SL_ERR_NONFINITE ? SL_ERR_NUMERIC : st, "%s: %s: training step %lld: %s", t->who, t->label,
                            (long long)s, msg);
        }
        if (t->log_every > 0 && ((s + 1) % t->log_every == 0 || s + 1 == t->steps))
            sl__log(ctx, SL_LOG_INFO, "%s: %s: step %lld/%lld loss %.4e (%s) %.1f s", t->who, t->label, (long long)(s + 1),
                    (long long)t->steps, l, t->deflation ? "conservation, involution, independence" : "fit, R_H, R_grad",
                    now() - t0);
    }
    if (t->polish > 0) {
        /* L-BFGS on all samples (at most SL__POLISH_MAX of them) from the Adam weights; linear candidates: first
         * in the coordinates of their starting (conserved) subspace, where the independence and involution
         * terms pick the combination, then on all coefficients */
        extract(t, w);
        double l0 = NAN, l1 = NAN;
        int ok = 1;
        /* networks: rounds of at most SL__POLISH_ROUND iterations, each a fresh L-BFGS (history cleared) from
         * the last round's weights, while a round lowers the loss by more than 0.1% (a strong-Wolfe search that
         * makes no progress ends an L-BFGS run long before its iteration budget on these losses) */
        int64_t round = t->nb > 0 ? t->polish : SL__POLISH_ROUND;
        for (int phase = t->nb > 0 && t->n0 > 0 ? 0 : 1; !st && phase < 2; ++phase)
            for (int64_t done = 0; !st && done < t->polish; done += round) {
                sl__trainer p = *t;
                memset(&p.g, 0, sizeof p - offsetof(sl__trainer, g));
                p.winit = w, p.lbfgs = t->polish - done < round ? t->polish - done : round, p.sub = phase == 0;
                if (!t->deflation) p.lam = 0;   /* NEURAL: each network to its nearest conserved function (fit only) */
                p.B = t->m < SL__POLISH_MAX ? t->m : SL__POLISH_MAX;
                double la = NAN;
                if (!(st = build(&p))) {
                    fill_batch(&p, 0);
                    st = sl_optim_step(p.opt, &la);
                    if (!st) st = sl_optim_eval(p.opt, &l1);
                }
                if (isnan(l0)) l0 = la;
                int more = 0;
                if (!st && sl_plan_run(p.eval) == SL_OK && isfinite(sl_plan_scalar(p.eval, 0)) && l1 <= la) {
                    for (int i = 0; i < 4; ++i) terms[i] = i <= p.nterms ? sl_plan_scalar(p.eval, i) : NAN;
                    extract(&p, w);
                    more = l1 < 0.999 * la;
                } else if (!st && done == 0) ok = 0;
                sl__trainer_free(&p);
                if (!more) break;
            }
        if (st && st != SL_ERR_NONFINITE) return st;
        if (!st && ok) {
            sl__log(ctx, SL_LOG_INFO, "%s: %s: L-BFGS polish (%lld iterations, %lld samples): loss %.4e -> %.4e %.1f s", t->who,
                    t->label, (long long)t->polish, (long long)(t->m < SL__POLISH_MAX ? t->m : SL__POLISH_MAX), l0, l1,
                    now() - t0);
            return ckpt_done(c, t->who, len, w);
        }
        sl__log(ctx, SL_LOG_INFO, "%s: %s: the polish did not lower the loss: Adam's weights kept", t->who, t->label);
        st = SL_OK;
    }
    /* the terms on the full sample set (first batch when the samples are more) */
    fill_batch(t, t->steps);
    if ((st = sl_plan_run(t->eval))) return st;
    for (int i = 0; i < 4; ++i) terms[i] = i <= t->nterms ? sl_plan_scalar(t->eval, i) : NAN;
    extract(t, w);
    return ckpt_done(c, t->who, len, w);
}
