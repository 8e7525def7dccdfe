/* Diagnostics of a phi-model beyond sigma (issue 12 item 6: what cymetric's
 * and cyjax's users ask for): eigenvalues of g, the Ricci scalar through the
 * graph functions (fourth derivatives of phi), the transition residual per
 * patch pair.  cymetric models/measures.py (ricci_measure) for ||R||. */
#include "../autodiff/graph_internal.h"
#include "model_internal.h"
#include "../kernels/blas.h"

#include <math.h>

#define RICCI_CHUNK 64

static const sl_cy_diagnostics DIAG_DEFAULTS = SL_CY_DIAGNOSTICS_INIT;

sl_status sl_cy_diagnostics_init_sized(sl_cy_diagnostics *d, size_t size)
{
    if (!d) return SL_ERR_NULL;
    return sl__opts_init(d, size, &DIAG_DEFAULTS, sizeof DIAG_DEFAULTS, SL_OPTS_END(sl_cy_diagnostics, ricci_nan));
}

/* the smallest eigenvalue of the hermitian d x d g: dsyev of [[Re g, -Im g], [Im g, Re g]] */
static double min_eigen(int d, const cplx *g)
{
    double A[4 * SL_CY_MAX_AMB * SL_CY_MAX_AMB], w[2 * SL_CY_MAX_AMB], work[16 * SL_CY_MAX_AMB];
    const int n2 = 2 * d;
    for (int a = 0; a < d; a++)
        for (int b = 0; b < d; b++) {
            double re = creal(g[a * d + b]), im = cimag(g[a * d + b]);
            A[a * n2 + b] = re, A[(a + d) * n2 + (b + d)] = re;
            A[a * n2 + (b + d)] = -im, A[(a + d) * n2 + b] = im;
        }
    sl_blas_int N = n2, lda = n2, lw = 16 * SL_CY_MAX_AMB, info = 0;
    dsyev_("N", "U", &N, A, &lda, w, work, &lw, &info, 1, 1);
    return info == 0 ? w[0] : NAN;
}

/* the Donaldson base's potential (t/(k pi)) log(s^T H conj(s)) (b) at X (b, 2 na) */
static sl_node *base_potential(sl_graph *g, const sl_cy_algebraic *A, sl_node *X, int64_t b, int na, double t)
{
    const int k = sl__cy_algebraic_k(A), nk = sl_cy_algebraic_sections(A);
    const int *mons = sl__cy_algebraic_monomials(A);
    double *h = sl__alloc(g->ctx, sizeof(double) * 2 * (size_t)nk * (size_t)nk, 0, "sl_cy_model_diagnostics");
    sl_node **cols = sl__graph_mem(g, sizeof *cols * (size_t)nk);
    if (!h || !cols) {
        sl__free(g->ctx, h);
        return sl__gfail(g, SL_ERR_NOMEM, "sl_cy_model_diagnostics: out of memory");
    }
    sl_cy_algebraic_h(A, h);
    sl_node *Hc = sl_graph_constant(g, SL_C128, 2, (int64_t[]){nk, nk}, h);
    sl__free(g->ctx, h);
    sl_node *z = sl_graph_complex(g, sl_graph_slice(g, X, 1, 0, na, 1), sl_graph_slice(g, X, 1, na, 2 * na, 1));
    sl_node *pw[SL_CY_MAX_AMB][9];
    for (int i = 0; i < na; i++) {
        pw[i][1] = sl_graph_slice(g, z, 1, i, i + 1, 1);   /* (b, 1) */
        for (int e = 2; e <= k; e++) pw[i][e] = sl_graph_mul(g, pw[i][e - 1], pw[i][1]);
    }
    for (int a = 0; a < nk; a++) {
        sl_node *c = NULL;
        for (int i = 0; i < na; i++) {
            const int e = mons[a * na + i];
            if (e) c = c ? sl_graph_mul(g, c, pw[i][e]) : pw[i][e];
        }
        cols[a] = c;
    }
    sl_node *S = sl_graph_concat(g, nk, cols, 1);   /* (b, nk) */
    int ax = 1;
    sl_node *q = sl_graph_real(g, sl_graph_sum_axes(g, sl_graph_mul(g, sl_graph_matmul(g, S, Hc), sl_graph_conj(g, S)), 1, &ax, 0));
    (void)b;
    return sl_graph_mul_scalar(g, sl_graph_log(g, q), t / (k * M_PI));
}

/* R at points i0 .. i0 + b - 1 through a graph of the model */
static sl_status ricci_chunk(const sl_cy_model *m, const sl_cy_points *p, int64_t i0, int64_t b, double *R, const char *who)
{
    sl_ctx *ctx = m->ctx;
    const int na = p->namb;
    const sl_cy_net *net = &m->net;
    sl_graph *g = NULL;
    sl_status st = sl_graph_create(ctx, &g);
    if (st != SL_OK) return st;
    double *x = sl__alloc(ctx, sizeof(double) * (size_t)(b * 2 * na), 0, who);
    double *wm = sl__alloc(ctx, sizeof(double) * (size_t)(net->nweights + 1), 1, who);
    sl_plan *plan = NULL;
    if (!x || !wm) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < b; i++)
        for (int j = 0; j < na; j++) {
            cplx z = p->z[(i0 + i) * na + j];
            x[i * 2 * na + j] = creal(z), x[i * 2 * na + na + j] = cimag(z);
        }
    if (m->opts.kind != SL_CY_KIND_PHI) {   /* an FS-correction model: its ambient form through J(x) */
        sl_mlp *fm = NULL;
        if ((st = sl__cy_fsnet_mlp(g, m, &fm)) != SL_OK) goto done;
        sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){b, 2 * na}, "x");
        sl_node *J = sl_cy_graph_jacobian(g, p->v, X, p->patch + i0, p->elim + i0);
        sl_node *r = sl_cy_graph_ricci_scalar(g, sl_cy_graph_pullback(g, J, sl__cy_fsnet_ambient(g, m, fm, X)), X, J);
        if ((st = sl_graph_status(g)) != SL_OK) goto done;
        if ((st = sl_plan_create(g, 1, &r, &plan)) != SL_OK) goto done;
        if ((st = sl_plan_bind(plan, X, x)) != SL_OK || (st = sl_plan_run(plan)) != SL_OK) goto done;
        memcpy(R, sl_plan_output(plan, 0), sizeof(double) * (size_t)b);
        goto done;
    }
    sl_mlp_opts mo;
    sl_mlp_opts_init(&mo);
    mo.nlayers = net->L;
    for (int l = 0; l <= net->L; l++) mo.widths[l] = net->w[l];
    mo.activation = net->act;
    sl_mlp *mlp = NULL;
    if ((st = sl_mlp_create(g, &mo, &mlp)) != SL_OK) goto done;
    memcpy(wm, m->wts, sizeof(double) * (size_t)net->nweights);   /* + the last bias, 0 */
    if ((st = sl_mlp_set_weights(mlp, wm)) != SL_OK) goto done;
    sl_node *X = sl_graph_input(g, SL_F64, 2, (int64_t[]){b, 2 * na}, "x");
    int ax = 1;
    sl_node *fs = m->base ? base_potential(g, m->base, X, b, na, m->opts.t)
                          : sl_graph_mul_scalar(g, sl_graph_log(g, sl_graph_sum_axes(g, sl_graph_square(g, X), 1, &ax, 0)),
                                                m->opts.t / M_PI);
    sl_node *phi = sl_graph_reshape(g, sl_mlp_apply(mlp, X), 1, (int64_t[]){b});
    sl_node *J = sl_cy_graph_jacobian(g, p->v, X, p->patch + i0, p->elim + i0);
    sl_node *gm = sl_cy_graph_pullback(g, J, sl_cy_graph_ddbar(g, sl_graph_add(g, fs, phi), X));
    sl_node *r = sl_cy_graph_ricci_scalar(g, gm, X, J);
    if ((st = sl_graph_status(g)) != SL_OK) goto done;
    if ((st = sl_plan_create(g, 1, &r, &plan)) != SL_OK) goto done;
    if ((st = sl_plan_bind(plan, X, x)) != SL_OK || (st = sl_plan_run(plan)) != SL_OK) goto done;
    memcpy(R, sl_plan_output(plan, 0), sizeof(double) * (size_t)b);
done:
    if (st != SL_OK) st = sl__rewho(ctx, st, who);
    sl_plan_destroy(plan);
    sl_graph_destroy(g);
    sl__free(ctx, x), sl__free(ctx, wm);
    return st;
}

/* transition residual per patch pair: sums over points of |phi(z / z_b) - phi(z)| */
static sl_status transition_pairs(const sl_cy_model *m, const sl_cy_points *p, double *T, const char *who)
{
    sl_ctx *ctx = m->ctx;
    const int na = p->namb;
    const int64_t n = p->n, w0 = 2 * na;
    double *X = sl__alloc(ctx, sizeof(double) * (size_t)(n * w0), 0, who);
    double *f0 = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who), *fb = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    int64_t *cnt = sl__alloc(ctx, sizeof(int64_t) * (size_t)na, 1, who);
    sl_cy_ws *ws = sl__cy_ws_new(ctx, &m->net, 0, 1, 1024, who);
    sl_status st = SL_OK;
    if (!X || !f0 || !fb || !cnt || !ws) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        for (int j = 0; j < na; j++) X[i * w0 + j] = creal(p->z[i * na + j]), X[i * w0 + na + j] = cimag(p->z[i * na + j]);
        cnt[p->patch[i]]++;
    }
    sl__cy_phi(&m->net, m->wts, X, n, ws, f0);
    for (int k = 0; k < na * na; k++) T[k] = 0;
    for (int bb = 0; bb < na; bb++) {
        for (int64_t i = 0; i < n; i++) {
            const cplx *z = p->z + i * na;
            for (int j = 0; j < na; j++) {
                cplx u = z[bb] != 0 ? z[j] / z[bb] : 0;
                X[i * w0 + j] = creal(u), X[i * w0 + na + j] = cimag(u);
            }
            X[i * w0 + bb] = 1, X[i * w0 + na + bb] = 0;
        }
        sl__cy_phi(&m->net, m->wts, X, n, ws, fb);
        for (int64_t i = 0; i < n; i++)
            if (p->patch[i] != bb && p->z[i * na + bb] != 0) T[p->patch[i] * na + bb] += fabs(fb[i] - f0[i]);
    }
    for (int a = 0; a < na; a++)
        for (int bb = 0; bb < na; bb++)
            T[a * na + bb] = cnt[a] == 0 ? NAN : bb == a ? 0 : T[a * na + bb] / (double)cnt[a];
done:
    sl__free(ctx, X), sl__free(ctx, f0), sl__free(ctx, fb), sl__free(ctx, cnt);
    sl__cy_ws_free(ctx, ws);
    return st;
}

sl_status sl_cy_model_diagnostics(const sl_cy_model *m, const sl_cy_points *p, sl_cy_diagnostics *out, double *ricci,
                                  double *min_eig, double *transition)
{
    const char *who = "sl_cy_model_diagnostics";
    if (!m) return SL_ERR_NULL;
    sl_ctx *ctx = m->ctx;
    sl_status st = sl__cy_model_check_points(m, p, who);
    if (st != SL_OK) return st;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    const size_t need = SL_OPTS_END(sl_cy_diagnostics, ricci_nan);
    if (out->size < need)
        return sl__fail(ctx, SL_ERR_ARG, "%s: out->size = %zu (set it to sizeof(sl_cy_diagnostics) = %zu)", who, out->size,
                        sizeof(sl_cy_diagnostics));
    const int64_t n = p->n;
    const int d = p->dim;
    cplx *g = sl__alloc(ctx, sizeof(cplx) * (size_t)(n * d * d), 0, who);
    double *det = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who), *R = sl__alloc(ctx, sizeof(double) * (size_t)n, 0, who);
    if (!g || !det || !R) {
        st = SL_ERR_NOMEM;
        goto done;
    }
    if ((st = sl_cy_model_metric(m, p, (double *)g, det)) != SL_OK) goto fail;
    if ((st = sl_cy_points_sigma(p, det, &out->sigma)) != SL_OK) goto fail;
    out->nonpositive = 0;
    out->min_eigenvalue = INFINITY;
    for (int64_t i = 0; i < n; i++) {
        double e = min_eigen(d, g + i * d * d);
        if (min_eig) min_eig[i] = e;
        if (!(e > 0)) out->nonpositive++;
        if (e < out->min_eigenvalue) out->min_eigenvalue = e;
    }
    if (d > 3) {   /* the graph functions stop at threefolds */
        for (int64_t i = 0; i < n; i++) R[i] = NAN;
    } else
        for (int64_t i0 = 0; i0 < n; i0 += RICCI_CHUNK)
            if ((st = ricci_chunk(m, p, i0, n - i0 < RICCI_CHUNK ? n - i0 : RICCI_CHUNK, R + i0, who)) != SL_OK) goto done;
    {
        double s = 0, sa = 0, mx = 0, vk = 0, vcy = 0, wr = 0;
        int64_t cnt = 0;
        for (int64_t i = 0; i < n; i++) {
            if (!isfinite(R[i])) continue;
            const double eta = det[i] / p->om2[i];
            s += p->w[i] * eta * R[i], sa += fabs(R[i]), mx = fmax(mx, fabs(R[i]));
            vk += p->w[i] * eta, vcy += p->w[i], wr += p->w[i] * eta * fabs(R[i]);
            cnt++;
        }
        out->ricci_nan = n - cnt;
        out->ricci_mean = cnt && vk > 0 ? s / vk : NAN;
        out->ricci_abs_mean = cnt ? sa / (double)cnt : NAN;
        out->ricci_max_abs = cnt ? mx : NAN;
        out->ricci_measure = cnt && vcy > 0 && vk > 0 ? pow(vk / (double)cnt, 1.0 / d) / (vcy / (double)cnt) * wr / (double)cnt : NAN;
    }
    if (ricci) memcpy(ricci, R, sizeof(double) * (size_t)n);
    if (transition && m->opts.kind != SL_CY_KIND_PHI)   /* not implemented for the FS-correction models */
        for (int k = 0; k < p->namb * p->namb; k++) transition[k] = NAN;
    else if (transition)
        st = transition_pairs(m, p, transition, who);
    goto done;
fail:
    st = sl__rewho(ctx, st, who);
done:
    sl__free(ctx, g), sl__free(ctx, det), sl__free(ctx, R);
    return st;
}
