/* L-BFGS (Nocedal & Wright 2006, Alg. 7.4 two-loop recursion) with a strong
 * Wolfe line search (ibid. Alg. 3.5/3.6, cubic interpolation, c1 = 1e-4,
 * c2 = 0.9).  The iteration logic and stopping rules mirror torch.optim.LBFGS
 * so that one sl_optim_step is one closure-driven torch step. */
#include "optim_internal.h"

#include <math.h>

static double dotv(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
    return s;
}

static double maxabs(const double *a, int64_t n)
{
    double m = 0;
    for (int64_t i = 0; i < n; ++i) m = fmax(m, fabs(a[i]));
    return m;
}

/* f, g at x + t d (params are left there). */
static sl_status probe(sl_optim *o, double t, double *f, double *g)
{
    for (int64_t i = 0; i < o->n; ++i) o->xtrial[i] = o->x[i] + t * o->d[i];
    sl__optim_set(o, o->xtrial);
    return sl__optim_eval(o, "sl_optim_step", f, g);
}

/* Minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clamped to
 * [lo, hi]; the midpoint when the cubic has no minimiser. */
static double cubic_min(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi)
{
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2sq = d1 * d1 - g1 * g2;
    if (d2sq >= 0) {
        double d2 = sqrt(d2sq), t;
        if (x1 <= x2) t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
        else t = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        return fmin(fmax(t, lo), hi);
    }
    return (lo + hi) / 2;
}

/* Strong Wolfe search along d from x (loss f, gradient g, slope gtd).  On
 * return *t is the accepted step, *fo and go the loss and gradient there. */
static sl_status strong_wolfe(sl_optim *o, double *t, double f, const double *g, double gtd, double *fo,
                              double *go, int *evals)
{
    const double c1 = 1e-4, c2 = 0.9;
    const int max_ls = 25;
    int64_t n = o->n;
    double *gnew = go, *gprev = o->ls, *gb[2] = {o->ls + n, o->ls + 2 * n};
    double dnorm = maxabs(o->d, n), fnew, tt = *t;
    sl_status st = probe(o, tt, &fnew, gnew);
    if (st) return st;
    *evals = 1;
    double gtd_new = dotv(gnew, o->d, n);
    double t_prev = 0, f_prev = f, gtd_prev = gtd;
    memcpy(gprev, g, sizeof(double) * (size_t)n);
    double bt[2], bf[2], bgtd[2];
    int nb = 0, done = 0, it = 0;
    while (it < max_ls) {
        if (fnew > f + c1 * tt * gtd || (it > 1 && fnew >= f_prev)) {
            bt[0] = t_prev; bt[1] = tt; bf[0] = f_prev; bf[1] = fnew; bgtd[0] = gtd_prev; bgtd[1] = gtd_new;
            memcpy(gb[0], gprev, sizeof(double) * (size_t)n);
            memcpy(gb[1], gnew, sizeof(double) * (size_t)n);
            nb = 2;
            break;
        }
        if (fabs(gtd_new) <= -c2 * gtd) { bt[0] = tt; bf[0] = fnew; memcpy(gb[0], gnew, sizeof(double) * (size_t)n); nb = 1; done = 1; break; }
        if (gtd_new >= 0) {
            bt[0] = t_prev; bt[1] = tt; bf[0] = f_prev; bf[1] = fnew; bgtd[0] = gtd_prev; bgtd[1] = gtd_new;
            memcpy(gb[0], gprev, sizeof(double) * (size_t)n);
            memcpy(gb[1], gnew, sizeof(double) * (size_t)n);
            nb = 2;
            break;
        }
        double lo = tt + 0.01 * (tt - t_prev), hi = tt * 10, tmp = tt;
        tt = cubic_min(t_prev, f_prev, gtd_prev, tt, fnew, gtd_new, lo, hi);
        t_prev = tmp; f_prev = fnew; gtd_prev = gtd_new;
        memcpy(gprev, gnew, sizeof(double) * (size_t)n);
        if ((st = probe(o, tt, &fnew, gnew))) return st;
        (*evals)++;
        gtd_new = dotv(gnew, o->d, n);
        it++;
    }
    if (it == max_ls) {
        bt[0] = 0; bt[1] = tt; bf[0] = f; bf[1] = fnew; bgtd[0] = gtd; bgtd[1] = gtd_new;
        memcpy(gb[0], g, sizeof(double) * (size_t)n);
        memcpy(gb[1], gnew, sizeof(double) * (size_t)n);
        nb = 2;
    }
    /* zoom */
    int lo_i = 0, hi_i = 1, insuf = 0;
    if (nb == 2 && bf[0] > bf[1]) { lo_i = 1; hi_i = 0; }
    while (!done && it < max_ls && nb == 2) {
        if (fabs(bt[1] - bt[0]) * dnorm < o->o.tolerance_change) break;
        double bmax = fmax(bt[0], bt[1]), bmin = fmin(bt[0], bt[1]);
        tt = cubic_min(bt[0], bf[0], bgtd[0], bt[1], bf[1], bgtd[1], bmin, bmax);
        double eps = 0.1 * (bmax - bmin);
        if (fmin(bmax - tt, tt - bmin) < eps) {
            if (insuf || tt >= bmax || tt <= bmin) {
                tt = fabs(tt - bmax) < fabs(tt - bmin) ? bmax - eps : bmin + eps;
                insuf = 0;
            } else {
                insuf = 1;
            }
        } else {
            insuf = 0;
        }
        if ((st = probe(o, tt, &fnew, gnew))) return st;
        (*evals)++;
        gtd_new = dotv(gnew, o->d, n);
        it++;
        if (fnew > f + c1 * tt * gtd || fnew >= bf[lo_i]) {
            bt[hi_i] = tt; bf[hi_i] = fnew; bgtd[hi_i] = gtd_new;
            memcpy(gb[hi_i], gnew, sizeof(double) * (size_t)n);
            if (bf[0] <= bf[1]) { lo_i = 0; hi_i = 1; } else { lo_i = 1; hi_i = 0; }
        } else {
            if (fabs(gtd_new) <= -c2 * gtd) done = 1;
            else if (gtd_new * (bt[hi_i] - bt[lo_i]) >= 0) {
                bt[hi_i] = bt[lo_i]; bf[hi_i] = bf[lo_i]; bgtd[hi_i] = bgtd[lo_i];
                memcpy(gb[hi_i], gb[lo_i], sizeof(double) * (size_t)n);
            }
            bt[lo_i] = tt; bf[lo_i] = fnew; bgtd[lo_i] = gtd_new;
            memcpy(gb[lo_i], gnew, sizeof(double) * (size_t)n);
        }
    }
    int k = nb == 1 ? 0 : lo_i;
    *t = bt[k];
    *fo = bf[k];
    memcpy(go, gb[k], sizeof(double) * (size_t)n);
    return SL_OK;
}

sl_status sl__lbfgs_step(sl_optim *o, double *loss_out)
{
    const sl_optim_opts *q = &o->o;
    int64_t n = o->n;
    double *g = o->gcur, loss;
    sl__optim_get(o, o->x);
    sl_status st = sl__optim_eval(o, "sl_optim_step", &loss, g);
    if (st) return st;
    if (loss_out) *loss_out = loss;
    int evals = 1;
    if (maxabs(g, n) <= q->tolerance_grad) return SL_OK;
    o->step++;
    for (int iter = 1; iter <= q->max_iter; ++iter) {
        o->n_iter++;
        if (o->n_iter == 1) {
            for (int64_t i = 0; i < n; ++i) o->d[i] = -g[i];
            o->hist_len = 0;
            o->hdiag = 1;
        } else {
            /* s = t d, y = g - g_prev; keep the pair when curvature is positive */
            int slot = (o->hist_start + o->hist_len) % q->history;
            double *s = o->s_hist + (int64_t)slot * n, *y = o->y_hist + (int64_t)slot * n;
            for (int64_t i = 0; i < n; ++i) { s[i] = o->t * o->d[i]; y[i] = g[i] - o->gprev[i]; }
            double ys = dotv(y, s, n);
            if (ys > 1e-10) {
                if (o->hist_len == q->history) o->hist_start = (o->hist_start + 1) % q->history;
                else o->hist_len++;
                o->rho[slot] = 1.0 / ys;
                o->hdiag = ys / dotv(y, y, n);
            }
            /* two-loop recursion: d = -H g */
            for (int64_t i = 0; i < n; ++i) o->d[i] = -g[i];
            for (int k = o->hist_len - 1; k >= 0; --k) {
                int sl = (o->hist_start + k) % q->history;
                double *sk = o->s_hist + (int64_t)sl * n, *yk = o->y_hist + (int64_t)sl * n;
                o->alpha[sl] = dotv(sk, o->d, n) * o->rho[sl];
                for (int64_t i = 0; i < n; ++i) o->d[i] -= o->alpha[sl] * yk[i];
            }
            for (int64_t i = 0; i < n; ++i) o->d[i] *= o->hdiag;
            for (int k = 0; k < o->hist_len; ++k) {
                int sl = (o->hist_start + k) % q->history;
                double *sk = o->s_hist + (int64_t)sl * n, *yk = o->y_hist + (int64_t)sl * n;
                double be = dotv(yk, o->d, n) * o->rho[sl];
                for (int64_t i = 0; i < n; ++i) o->d[i] += sk[i] * (o->alpha[sl] - be);
            }
        }
        memcpy(o->gprev, g, sizeof(double) * (size_t)n);
        double prev_loss = loss;
        double gsum = 0;
        for (int64_t i = 0; i < n; ++i) gsum += fabs(g[i]);
        o->t = o->n_iter == 1 ? fmin(1.0, 1.0 / gsum) * q->lr : q->lr;
        double gtd = dotv(g, o->d, n);
        if (gtd > -q->tolerance_change) break;
        int ls_evals = 0;
        if (q->line_search) {
            st = strong_wolfe(o, &o->t, loss, g, gtd, &loss, o->gtrial, &ls_evals);
            if (st) { sl__optim_set(o, o->x); return st; }
            memcpy(g, o->gtrial, sizeof(double) * (size_t)n);
            for (int64_t i = 0; i < n; ++i) o->x[i] += o->t * o->d[i];
            sl__optim_set(o, o->x);
        } else {
            for (int64_t i = 0; i < n; ++i) o->x[i] += o->t * o->d[i];
            sl__optim_set(o, o->x);
            if (iter != q->max_iter) {
                if ((st = sl__optim_eval(o, "sl_optim_step", &loss, g))) return st;
                ls_evals = 1;
            }
        }
        evals += ls_evals;
        if (iter == q->max_iter || evals >= q->max_eval) break;
        if (maxabs(g, n) <= q->tolerance_grad) break;
        if (maxabs(o->d, n) * fabs(o->t) <= q->tolerance_change) break;
        if (fabs(loss - prev_loss) < q->tolerance_change) break;
    }
    return SL_OK;
}
