/* Monte Carlo for the Wilson action S = -(beta/N) sum_P Re Tr U_P in any
 * dimension: the staple sum, the SU(2) heat bath (Creutz, PRD 21 (1980) 2308;
 * Kennedy and Pendleton, PLB 156 (1985) 393) used directly for N = 2 and on
 * SU(2) subgroups by monte_carlo_su3.c (Cabibbo and Marinari, PLB 119 (1982)
 * 387). */
#include "lattice_internal.h"
#include "monte_carlo.h"

#include <math.h>

/* A = sum_{nu != mu} U(x+mu,nu) U(x+nu,mu)^+ U(x,nu)^+ + U(x+mu-nu,nu)^+ U(x-nu,mu)^+ U(x-nu,nu),
 * so that the action of link (x, mu) is -(beta/N) Re Tr(U(x,mu) A). */
void sl__staple(const sl_gauge *U, int64_t s, int mu, cplx *A)
{
    int n = U->nc, nd = U->nd, n2 = n * n;
    const int64_t *d = U->dims;
    cplx t[SL_NC_MAX * SL_NC_MAX], t2[SL_NC_MAX * SL_NC_MAX];
    memset(A, 0, sizeof(cplx) * (size_t)n2);
    int64_t xp = sl__site_shift(nd, d, s, mu, 1);
    for (int nu = 0; nu < nd; ++nu) {
        if (nu == mu) continue;
        int64_t xn = sl__site_shift(nd, d, s, nu, 1), xm = sl__site_shift(nd, d, s, nu, -1);
        int64_t xpm = sl__site_shift(nd, d, xp, nu, -1);
        sl__mat_mul_na(n, U->own + (xp * nd + nu) * n2, U->own + (xn * nd + mu) * n2, t);
        sl__mat_mul_na(n, t, U->own + (s * nd + nu) * n2, t2);
        for (int k = 0; k < n2; ++k) A[k] += t2[k];
        cplx a1[SL_NC_MAX * SL_NC_MAX];
        const cplx *u1 = U->own + (xpm * nd + nu) * n2, *u2 = U->own + (xm * nd + mu) * n2;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                cplx acc = 0;
                for (int k = 0; k < n; ++k) acc += conj(u1[k * n + i]) * conj(u2[j * n + k]);
                a1[i * n + j] = acc;
            }
        sl__mat_mul(n, a1, U->own + (xm * nd + nu) * n2, t2);
        for (int k = 0; k < n2; ++k) A[k] += t2[k];
    }
}

double sl__mc_uniform(sl_gauge *U, uint64_t seed)
{
    return sl_rng_uniform(seed, U->mc_counter++);
}

/* Draw X = x0 + i x.sigma in SU(2) with density sqrt(1 - x0^2) exp(a x0). */
void sl__su2_heatbath_draw(sl_gauge *U, uint64_t seed, double a, double *x)
{
    double x0;
    if (a < 1.0) {   /* plain rejection: Kennedy-Pendleton accepts rarely at small a */
        for (;;) {
            x0 = 2 * sl__mc_uniform(U, seed) - 1;
            double r = sl__mc_uniform(U, seed);
            if (r * r <= (1 - x0 * x0) * exp(2 * a * (x0 - 1))) break;
        }
    } else {
        for (;;) {
            double r1 = 1 - sl__mc_uniform(U, seed), r2 = sl__mc_uniform(U, seed), r3 = 1 - sl__mc_uniform(U, seed);
            double r4 = sl__mc_uniform(U, seed), c = cos(2 * M_PI * r2);
            double delta = -(log(r1) + c * c * log(r3)) / a;
            if (r4 * r4 <= 1 - delta / 2) { x0 = 1 - delta; break; }
        }
    }
    double r = sqrt(fmax(0, 1 - x0 * x0));
    double ct = 2 * sl__mc_uniform(U, seed) - 1, ph = 2 * M_PI * sl__mc_uniform(U, seed), st = sqrt(1 - ct * ct);
    x[0] = x0;
    x[1] = r * st * cos(ph);
    x[2] = r * st * sin(ph);
    x[3] = r * ct;
}

/* SU(2) subgroup (i, j) of a N x N matrix W: its projection onto
 * r0 + i r.sigma (sigma Pauli), i.e. W_ii, W_ij, W_ji, W_jj. */
void sl__su2_project(int n, const cplx *w, int i, int j, double *r)
{
    cplx a = w[i * n + i], b = w[i * n + j], c = w[j * n + i], d = w[j * n + j];
    r[0] = 0.5 * creal(a + d);
    r[1] = 0.5 * cimag(b + c);
    r[2] = 0.5 * creal(b - c);
    r[3] = 0.5 * cimag(a - d);
}

/* U <- S U with S the embedding of s = s0 + i s.sigma in rows/cols (i, j). */
void sl__su2_left_mul(int n, cplx *u, int i, int j, const double *s)
{
    cplx m00 = s[0] + I * s[3], m01 = s[2] + I * s[1], m10 = -s[2] + I * s[1], m11 = s[0] - I * s[3];
    for (int c = 0; c < n; ++c) {
        cplx ui = u[i * n + c], uj = u[j * n + c];
        u[i * n + c] = m00 * ui + m01 * uj;
        u[j * n + c] = m10 * ui + m11 * uj;
    }
}

/* q = a b for quaternions (a0 + i a.sigma)(b0 + i b.sigma). */
void sl__quat_mul(const double *a, const double *b, double *q)
{
    q[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
    q[1] = a[0] * b[1] + a[1] * b[0] - (a[2] * b[3] - a[3] * b[2]);
    q[2] = a[0] * b[2] + a[2] * b[0] - (a[3] * b[1] - a[1] * b[3]);
    q[3] = a[0] * b[3] + a[3] * b[0] - (a[1] * b[2] - a[2] * b[1]);
}

/* One subgroup update of link u with staple A: heat bath (over = 0) or
 * overrelaxation (over = 1), for the weight exp((beta/N) Re Tr(u A)). */
void sl__su2_subgroup_update(sl_gauge *U, uint64_t seed, double beta, cplx *u, const cplx *A, int i, int j, int over)
{
    int n = U->nc;
    cplx w[SL_NC_MAX * SL_NC_MAX];
    sl__mat_mul(n, u, A, w);
    double r[4];
    sl__su2_project(n, w, i, j, r);
    double k = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
    if (k < 1e-14) return;
    double vd[4] = {r[0] / k, -r[1] / k, -r[2] / k, -r[3] / k};   /* V^+ */
    double s[4];
    if (over) {
        sl__quat_mul(vd, vd, s);   /* s = V^+ V^+ keeps Re Tr(s W) */
    } else {
        double x[4];
        sl__su2_heatbath_draw(U, seed, 2 * beta * k / n, x);
        sl__quat_mul(x, vd, s);    /* s = X V^+ */
    }
    sl__su2_left_mul(n, u, i, j, s);
}

