/* The FS-correction models (include/symlearn/cy.h, opts.kind): the ambient
 * form G_FS o (1 + H) (multiplicative) or G_FS + H (additive), H hermitian
 * from an MLP with namb^2 outputs, pulled back by J (cymetric
 * models/tfmodels.py MultFSModel / AddFSModel, whose network acts on the
 * pulled-back d x d block instead).  Everything goes through the graph
 * functions of graph_losses.c: the metric, det, the Monge-Ampere, Kahler and
 * transition losses and their weight gradient (the Kahler term's
 * x-derivatives differentiated once more), and the Ricci scalar of the
 * diagnostics.  One plan per batch size, bound to per-batch buffers. */
#include "../autodiff/graph_internal.h"
#include "model_internal.h"

#include <math.h>

#define FS_CHUNK 256

/* ---- the model as graph nodes --------------------------------------------------- */

sl_node *sl__cy_fsnet_ambient(sl_graph *g, const sl_cy_model *m, sl_mlp *mlp, sl_node *X)
{
    if (!X || sl_graph_status(g) != SL_OK) return NULL;
    const int64_t B = X->shape[0], na = X->shape[1] / 2;
    const int64_t sc[3] = {B, na, 1}, sr[3] = {B, 1, na}, s1[3] = {B, 1, 1}, sq[3] = {B, na, na};
    sl_node *xr = sl_graph_slice(g, X, 1, 0, na, 1), *xi = sl_graph_slice(g, X, 1, na, 2 * na, 1);
    int ax = 1;
    sl_node *r2 = sl_graph_reshape(g, sl_graph_sum_axes(g, sl_graph_square(g, X), 1, &ax, 0), 3, s1);
    sl_node *xrc = sl_graph_reshape(g, xr, 3, sc), *xrr = sl_graph_reshape(g, xr, 3, sr);
    sl_node *xic = sl_graph_reshape(g, xi, 3, sc), *xir = sl_graph_reshape(g, xi, 3, sr);
    /* conj(z_i) z_j = (xr_i xr_j + xi_i xi_j) + i (xr_i xi_j - xi_i xr_j) */
    sl_node *P = sl_graph_add(g, sl_graph_matmul(g, xrc, xrr), sl_graph_matmul(g, xic, xir));
    sl_node *Q = sl_graph_sub(g, sl_graph_matmul(g, xrc, xir), sl_graph_matmul(g, xic, xrr));
    /* G_FS = (t/pi) (|z|^2 delta_ij - conj(z_i) z_j) / |z|^4 */
    const double s = m->opts.t / M_PI;
    sl_node *inv = sl_graph_pow_scalar(g, r2, -2.0);
    sl_node *ReF = sl_graph_mul_scalar(g, sl_graph_mul(g, sl_graph_sub(g, sl_graph_mul(g, sl_graph_eye(g, SL_F64, na), r2), P), inv), s);
    sl_node *ImF = sl_graph_mul_scalar(g, sl_graph_mul(g, Q, inv), -s);
    /* H = (A + A^T)/2 + i (A - A^T)/2 */
    sl_node *A = sl_graph_reshape(g, sl_mlp_apply(mlp, X), 3, sq), *At = sl_graph_transpose(g, A);
    sl_node *Sr = sl_graph_mul_scalar(g, sl_graph_add(g, A, At), 0.5), *Ki = sl_graph_mul_scalar(g, sl_graph_sub(g, A, At), 0.5);
    sl_node *ReG, *ImG;
    if (m->opts.kind == SL_CY_KIND_MULT) {
        sl_node *S1 = sl_graph_add_scalar(g, Sr, 1.0);
        ReG = sl_graph_sub(g, sl_graph_mul(g, ReF, S1), sl_graph_mul(g, ImF, Ki));
        ImG = sl_graph_add(g, sl_graph_mul(g, ReF, Ki), sl_graph_mul(g, ImF, S1));
    } else {
        ReG = sl_graph_add(g, ReF, Sr);
        ImG = sl_graph_add(g, ImF, Ki);
    }
    return sl_graph_complex(g, ReG, ImG);
}

sl_status sl__cy_fsnet_mlp(sl_graph *g, const sl_cy_model *m, sl_mlp **out)
{
    const sl_cy_net *net = &m->net;
    sl_mlp_opts mo;
    sl_mlp_opts_init(&mo);
    mo.nlayers = net->L;
    for (int l = 0; l <= net->L; l++) mo.widths[l] = net->w[l];
    mo.activation = net->act;
    sl_status st = sl_mlp_create(g, &mo, out);
    if (st != SL_OK) return st;
    return sl__cy_fsnet_set(*out, m);
}

/* the model's flat weights (no last bias) into the MLP's params (last bias 0) */
sl_status sl__cy_fsnet_set(sl_mlp *mlp, const sl_cy_model *m)
{
    const int np = sl_mlp_nparams(mlp);
    int64_t o = 0;
    for (int k = 0; k < np; k++) {
        sl_node *q = sl_mlp_param(mlp, k);
        const int64_t c = sl_node_numel(q);
        if (k == np - 1) memset(sl_node_data(q), 0, sizeof(double) * (size_t)c);
        else memcpy(sl_node_data(q), m->wts + o, sizeof(double) * (size_t)c), o += c;
    }
    return SL_OK;
}

/* ---- per-point data -------------------------------------------------------------- */

typedef struct {
    int64_t n;
    int na, d, nt;
    double *X, *J, *Xt, *Jt, *T, *om2, *w;   /* complex arrays interleaved */
} fsdata;

static void fsdata_free(sl_ctx *ctx, fsdata *D)
{
    sl__free(ctx, D->X), sl__free(ctx, D->J), sl__free(ctx, D->Xt), sl__free(ctx, D->Jt), sl__free(ctx, D->T);
    sl__free(ctx, D->om2), sl__free(ctx, D->w);
    memset(D, 0, sizeof *D);
}

static sl_status fsdata_alloc(sl_ctx *ctx, fsdata *D, int64_t n, int na, int d, const char *who)
{
    const int nt = na - 2 > 0 ? na - 2 : 1;
    D->n = n, D->na = na, D->d = d, D->nt = na - 2;
    D->X = sl__alloc(ctx, sizeof(double) * (size_t)(n * 2 * na), 0, who);
    D->J = sl__alloc(ctx, sizeof(cplx) * (size_t)(n * d * na), 0, who);
    D->Xt = sl__alloc(ctx, sizeof(double) * (size_t)(n * nt * 2 * na), 0, who);
    D->Jt = sl__alloc(ctx, sizeof(cplx) * (size_t)(n * nt * d * na), 0, who);
    D->T = sl__alloc(ctx, sizeof(cplx) * (size_t)(n * nt * d * d), 0, who);
    D->om2 = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    D->w = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    if (!D->X || !D->J || !D->Xt || !D->Jt || !D->T || !D->om2 || !D->w) {
        fsdata_free(ctx, D);
        return SL_ERR_NOMEM;
    }
    return SL_OK;
}

/* Point i's data.  For each patch p' not in {patch, elim}: z' = z / z_p', the
 * chart (p', e) Jacobian J' and T_ba = dx_a/dx'_b = sum_j J'_bj dx_a/dz'_j,
 * x_a = z'_{c_a} / z'_patch (c_a the chart coordinates of (patch, e)). */
static void fsdata_point(const sl_cy_points *p, int64_t i, fsdata *D)
{
    const int na = D->na, d = D->d, nt = D->nt;
    const cplx *z = p->z + i * na, *J = p->jac + i * d * na;
    const int pa = p->patch[i], e = p->elim[i];
    double *x = D->X + i * 2 * na;
    for (int j = 0; j < na; j++) x[j] = creal(z[j]), x[na + j] = cimag(z[j]);
    memcpy(D->J + i * 2 * d * na, J, sizeof(cplx) * (size_t)(d * na));
    D->om2[i] = p->om2[i], D->w[i] = p->w[i];
    int ca[SL_CY_MAX_AMB], q = 0;
    for (int j = 0, a = 0; j < na; j++)
        if (j != pa && j != e) ca[a++] = j;
    for (int pp = 0; pp < na; pp++) {
        if (pp == pa || pp == e) continue;
        cplx zp[SL_CY_MAX_AMB], gr[SL_CY_MAX_AMB], Jp[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        for (int j = 0; j < na; j++) zp[j] = z[j] / z[pp];
        zp[pp] = 1;
        sl__cy_eval(p->v, zp, gr);
        double *xt = D->Xt + (i * nt + q) * 2 * na;
        for (int j = 0; j < na; j++) xt[j] = creal(zp[j]), xt[na + j] = cimag(zp[j]);
        for (int b = 0, j0 = 0; b < d; b++, j0++) {
            while (j0 == pp || j0 == e) j0++;
            for (int j = 0; j < na; j++) Jp[b * na + j] = j == j0 ? 1 : 0;
            Jp[b * na + e] = -gr[j0] / gr[e];
        }
        memcpy(D->Jt + (i * nt + q) * 2 * d * na, Jp, sizeof(cplx) * (size_t)(d * na));
        cplx *T = (cplx *)D->T + (i * nt + q) * d * d;
        const cplx zpa = zp[pa];
        for (int b = 0; b < d; b++)
            for (int a = 0; a < d; a++)   /* dx_a/dz'_j: 1/z'_pa at c_a, -z'_{c_a}/z'_pa^2 at pa */
                T[b * d + a] = Jp[b * na + ca[a]] / zpa - Jp[b * na + pa] * zp[ca[a]] / (zpa * zpa);
        q++;
    }
}

static sl_status fsdata_make(const sl_cy_points *p, fsdata *D, const char *who)
{
    memset(D, 0, sizeof *D);
    sl_status st = fsdata_alloc(p->ctx, D, p->n, p->namb, p->dim, who);
    if (st != SL_OK) return st;
    for (int64_t i = 0; i < p->n; i++) fsdata_point(p, i, D);
    return SL_OK;
}

/* rows idx[0..b-1] (or i0.. when idx is NULL) of S into the first b rows of T */
static void fsdata_gather(const fsdata *S, fsdata *T, const int64_t *idx, int64_t i0, int64_t b, double wscale)
{
    const int na = S->na, d = S->d, nt = S->nt > 0 ? S->nt : 0;
    const size_t sx = (size_t)(2 * na), sj = (size_t)(2 * d * na), sxt = (size_t)nt * sx, sjt = (size_t)nt * sj,
                 stt = (size_t)(nt * 2 * d * d);
    for (int64_t r = 0; r < b; r++) {
        const int64_t i = idx ? idx[i0 + r] : i0 + r;
        memcpy(T->X + r * sx, S->X + i * sx, sizeof(double) * sx);
        memcpy(T->J + r * sj, S->J + i * sj, sizeof(double) * sj);
        if (nt) {
            memcpy(T->Xt + r * sxt, S->Xt + i * sxt, sizeof(double) * sxt);
            memcpy(T->Jt + r * sjt, S->Jt + i * sjt, sizeof(double) * sjt);
            memcpy(T->T + r * stt, S->T + i * stt, sizeof(double) * stt);
        }
        T->om2[r] = S->om2[i];
        T->w[r] = wscale > 0 ? wscale * S->w[i] : 1.0;
    }
}

/* ---- one compiled batch ------------------------------------------------------------ */

enum { O_M, O_DET, O_MA, O_TR, O_K, O_LOSS, O_GRAD };

typedef struct {
    sl_graph *g;
    sl_mlp *mlp;
    sl_plan *plan;
    int64_t B;
    int grad, np;
    sl_node *out[O_GRAD + 2 * SL_CY_MAX_LAYERS];
    fsdata buf;                   /* the bound batch */
} fsbatch;

static void fsbatch_free(sl_ctx *ctx, fsbatch *F)
{
    sl_plan_destroy(F->plan);
    sl_graph_destroy(F->g);
    fsdata_free(ctx, &F->buf);
    memset(F, 0, sizeof *F);
}

/* the graph and plan of B points; alphas and kappa as constants */
static sl_status fsbatch_make(const sl_cy_model *m, int64_t B, int grad, int full, double kappa, double a_ma, double a_t,
                              double a_k, fsbatch *F, const char *who)
{
    sl_ctx *ctx = m->ctx;
    memset(F, 0, sizeof *F);
    const int na = m->v->namb, d = m->v->dim, nt = na - 2;
    F->B = B, F->grad = grad;
    sl_status st = fsdata_alloc(ctx, &F->buf, B, na, d, who);
    if (st != SL_OK) return st;
    if ((st = sl_graph_create(ctx, &F->g)) != SL_OK) goto fail;
    sl_graph *g = F->g;
    if ((st = sl__cy_fsnet_mlp(g, m, &F->mlp)) != SL_OK) goto fail;
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 2 * na}, "x");
    sl_node *J = sl_graph_input(g, SL_C128, 3, (int64_t[]){B, d, na}, "J");
    sl_node *om2 = sl_graph_input(g, SL_F64, 1, &B, "omega2");
    sl_node *wt = sl_graph_input(g, SL_F64, 1, &B, "w");
    sl_node *gm = sl_cy_graph_pullback(g, J, sl__cy_fsnet_ambient(g, m, F->mlp, X));
    F->out[O_M] = gm;
    F->out[O_DET] = sl_cy_graph_det(g, gm);
    F->out[O_MA] = sl_graph_mul(g, sl_cy_graph_loss_ma(g, gm, om2, kappa), wt);
    sl_node *tr;
    sl_node *Xt = NULL, *Jt = NULL, *T = NULL;
    if (nt > 0 && full) {
        const int64_t Bt = B * nt;
        Xt = sl_graph_input(g, SL_F64, 2, (int64_t[]){Bt, 2 * na}, "xt");
        Jt = sl_graph_input(g, SL_C128, 3, (int64_t[]){Bt, d, na}, "Jt");
        T = sl_graph_input(g, SL_C128, 4, (int64_t[]){B, nt, d, d}, "T");
        sl_node *mt = sl_cy_graph_pullback(g, Jt, sl__cy_fsnet_ambient(g, m, F->mlp, Xt));
        tr = sl_cy_graph_loss_transition(g, gm, sl_graph_reshape(g, mt, 4, (int64_t[]){B, nt, d, d}), T, na - 1);
    } else
        tr = sl_graph_mul_scalar(g, om2, 0.0);
    F->out[O_TR] = tr;
    F->out[O_K] = full ? sl_cy_graph_loss_kahler(g, gm, X, J) : sl_graph_mul_scalar(g, om2, 0.0);
    sl_node *tot = sl_graph_add(g, sl_graph_add(g, sl_graph_mul_scalar(g, F->out[O_MA], a_ma), sl_graph_mul_scalar(g, tr, a_t)),
                                sl_graph_mul_scalar(g, F->out[O_K], a_k));
    F->out[O_LOSS] = sl_graph_mean(g, tot);
    int nout = O_GRAD;
    if (grad) {
        sl_node *const *ps;
        F->np = sl_mlp_params(F->mlp, &ps) - 1;   /* the last bias stays 0 */
        if ((st = sl_graph_status(g)) != SL_OK || (st = sl_graph_grad(g, F->out[O_LOSS], F->np, ps, F->out + O_GRAD)) != SL_OK)
            goto fail;
        nout += F->np;
    }
    if ((st = sl_graph_status(g)) != SL_OK) goto fail;
    /* without a gradient the per-point outputs only */
    if ((st = sl_plan_create(g, nout, F->out, &F->plan)) != SL_OK) goto fail;
    sl_plan_set_check_finite(F->plan, 0);
    if ((st = sl_plan_bind(F->plan, X, F->buf.X)) || (st = sl_plan_bind(F->plan, J, F->buf.J)) ||
        (st = sl_plan_bind(F->plan, om2, F->buf.om2)) || (st = sl_plan_bind(F->plan, wt, F->buf.w)))
        goto fail;
    if (Xt && ((st = sl_plan_bind(F->plan, Xt, F->buf.Xt)) || (st = sl_plan_bind(F->plan, Jt, F->buf.Jt)) ||
                   (st = sl_plan_bind(F->plan, T, F->buf.T))))
        goto fail;
    return SL_OK;
fail:
    st = sl__rewho(ctx, st, who);
    fsbatch_free(ctx, F);
    return st;
}

/* run on the bound batch (b = F->B rows); sums of the per-point terms; the
 * gradient of the batch mean into grad (flat, nweights) when F->grad */
static sl_status fsbatch_run(const sl_cy_model *m, fsbatch *F, double *sma, double *str, double *sk, double *det,
                             double *gout, double *grad, const char *who)
{
    sl__cy_fsnet_set(F->mlp, m);
    sl_status st = sl_plan_run(F->plan);
    if (st != SL_OK) return sl__rewho(m->ctx, st, who);
    const int64_t B = F->B;
    const double *ma = sl_plan_output(F->plan, O_MA), *tr = sl_plan_output(F->plan, O_TR), *k = sl_plan_output(F->plan, O_K);
    double a = 0, b = 0, c = 0;
    for (int64_t i = 0; i < B; i++) a += ma[i], b += tr[i], c += k[i];
    *sma = a, *str = b, *sk = c;
    if (det) memcpy(det, sl_plan_output(F->plan, O_DET), sizeof(double) * (size_t)B);
    if (gout) memcpy(gout, sl_plan_output(F->plan, O_M), sizeof(cplx) * (size_t)(B * m->v->dim * m->v->dim));
    if (grad) {
        int64_t o = 0;
        for (int q = 0; q < F->np; q++) {
            const int64_t c2 = sl_node_numel(F->out[O_GRAD + q]);
            memcpy(grad + o, sl_plan_output(F->plan, O_GRAD + q), sizeof(double) * (size_t)c2);
            o += c2;
        }
    }
    return SL_OK;
}

/* ---- evaluation at points ----------------------------------------------------------- */

sl_status sl__cy_fsnet_eval(const sl_cy_model *m, const sl_cy_points *p, const char *who, int full, double *sum_ma,
                            double *sum_tr, double *sum_k, double *det, double *g, double *grad)
{
    sl_ctx *ctx = m->ctx;
    fsdata D;
    sl_status st = fsdata_make(p, &D, who);
    if (st != SL_OK) return st;
    const int64_t n = p->n, nw = m->net.nweights, dd = (int64_t)p->dim * p->dim;
    fsbatch F[2];
    memset(F, 0, sizeof F);
    double *g1 = grad ? sl__alloc(ctx, sizeof(double) * (size_t)nw, 0, who) : NULL;
    if (grad && !g1) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    if (grad) memset(grad, 0, sizeof(double) * (size_t)nw);
    double a = 0, b = 0, c = 0;
    for (int64_t i0 = 0; i0 < n; i0 += FS_CHUNK) {
        const int64_t bb = n - i0 < FS_CHUNK ? n - i0 : FS_CHUNK;
        fsbatch *f = &F[bb == FS_CHUNK ? 0 : 1];
        if (!f->g && (st = fsbatch_make(m, bb, grad != NULL, full || grad, p->kappa, 1, 1, 1, f, who)) != SL_OK) goto done;
        fsdata_gather(&D, &f->buf, NULL, i0, bb, 0);
        double x, y, z;
        if ((st = fsbatch_run(m, f, &x, &y, &z, det ? det + i0 : NULL, g ? g + 2 * i0 * dd : NULL, g1, who)) != SL_OK)
            goto done;
        a += x, b += y, c += z;
        if (grad)
            for (int64_t k = 0; k < nw; k++) grad[k] += g1[k] * (double)bb / (double)n;
    }
    if (sum_ma) *sum_ma = a;
    if (sum_tr) *sum_tr = b;
    if (sum_k) *sum_k = c;
done:
    fsbatch_free(ctx, &F[0]), fsbatch_free(ctx, &F[1]);
    sl__free(ctx, g1);
    fsdata_free(ctx, &D);
    return st;
}

/* ---- training --------------------------------------------------------------------- */

sl_status sl__cy_fsnet_train(sl_cy_model *m, const sl_cy_points *train, const sl_cy_points *val,
                             const sl_cy_train_opts *o, const char *who)
{
    sl_ctx *ctx = m->ctx;
    const int64_t nw = m->net.nweights, n = train->n, B = o->batch < n ? o->batch : n;
    fsdata D;
    sl_status st = fsdata_make(train, &D, who);
    if (st != SL_OK) return st;
    fsbatch F[2];
    memset(F, 0, sizeof F);
    sl_cy_adam A;
    int64_t *perm = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    double *grad = sl__alloc(ctx, sizeof(double) * (size_t)nw, 0, who);
    if ((st = sl__cy_adam_init(ctx, &A, nw, who)) != SL_OK || !perm || !grad) {
        if (st == SL_OK) st = SL_ERR_NOMEM;
        goto done;
    }
    double wscale = 0;
    if (o->weighted) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += D.w[i];
        wscale = (double)n / s;
    }
    const int64_t nb = (n + B - 1) / B, total = nb * (int64_t)o->epochs;
    int64_t step = 0;
    for (int ep = 0; ep < o->epochs; ep++) {
        sl__cy_permutation(ctx, o, m->nepochs, n, perm);
        double ep_loss = 0;
        for (int64_t i0 = 0; i0 < n; i0 += B) {
            const int64_t b = n - i0 < B ? n - i0 : B;
            fsbatch *f = &F[b == B ? 0 : 1];
            if (!f->g && (st = fsbatch_make(m, b, 1, 1, train->kappa, o->alpha_ma, o->alpha_t, o->alpha_k, f, who)) != SL_OK)
                goto done;
            fsdata_gather(&D, &f->buf, perm, i0, b, wscale);
            double sma, str, sk;
            if ((st = fsbatch_run(m, f, &sma, &str, &sk, NULL, NULL, grad, who)) != SL_OK) goto done;
            const double l = (o->alpha_ma * sma + o->alpha_t * str + o->alpha_k * sk) / (double)b;
            if ((st = sl__cy_adam_step(ctx, &A, o, m->wts, grad, l, step, total, m->nepochs + 1, who)) != SL_OK) goto done;
            step++;
            ep_loss += l * (double)b;
        }
        ep_loss /= (double)n;
        double sv = NAN;
        if (val && (st = sl_cy_model_losses(m, val, NULL, NULL, NULL, &sv)) != SL_OK) {
            st = sl__rewho(ctx, st, who);
            goto done;
        }
        m->hist_loss[m->nepochs] = ep_loss;
        m->hist_sigma[m->nepochs] = sv;
        m->nepochs++;
        sl__log(ctx, SL_LOG_INFO, "%s: epoch %d/%d: loss %.6g sigma_val %.6g", who, ep + 1, o->epochs, ep_loss, sv);
    }
done:
    fsbatch_free(ctx, &F[0]), fsbatch_free(ctx, &F[1]);
    sl__cy_adam_free(ctx, &A);
    sl__free(ctx, perm), sl__free(ctx, grad);
    fsdata_free(ctx, &D);
    return st;
}
