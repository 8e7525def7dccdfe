/* The benchmark systems of the conserved-quantity study (B1-B9, FPU, G1,
 * G2; equations in include/symlearn/dynamics.h and docs/conserved.md). */
#include "dynamics_internal.h"

#include <math.h>

typedef struct {
    int kind;
    int64_t d;
    const char *name;
    int hamiltonian, separable, grouped;
    int nknown;
    const char *known[4];
} sysdef;

static const sysdef defs[] = {
    {0, 0, "", 0, 0, 0, 0, {0}},
    {SL_SYSTEM_OSCILLATOR, 2, "B1 harmonic oscillator 1D", 1, 1, 0, 1, {"H = (p^2 + x^2)/2"}},
    {SL_SYSTEM_ISOTROPIC, 4, "B2 isotropic oscillator 2D", 1, 1, 0, 3,
     {"E_x = (px^2 + x^2)/2", "E_y = (py^2 + y^2)/2", "L = x py - y px"}},
    {SL_SYSTEM_ANISOTROPIC, 4, "B3 anisotropic oscillator 2D, w = (1, sqrt 2)", 1, 1, 0, 2,
     {"E_x = (px^2 + x^2)/2", "E_y = (py^2 + 2 y^2)/2"}},
    {SL_SYSTEM_RESONANT, 4, "B4 anisotropic oscillator 2D, w = (1, 2)", 1, 1, 0, 3,
     {"E_x = (px^2 + x^2)/2", "E_y = (py^2 + 4 y^2)/2", "K = y (x^2 - px^2) + x px py"}},
    {SL_SYSTEM_KEPLER, 4, "B5 Kepler 2D", 1, 1, 0, 4,
     {"H = (px^2 + py^2)/2 - 1/r", "L = x py - y px", "A_x = py L - x/r", "A_y = -px L - y/r"}},
    {SL_SYSTEM_TODA, 6, "B6 periodic Toda chain, 3 particles", 1, 1, 0, 3,
     {"P = p1 + p2 + p3", "H = sum p_i^2/2 + sum exp(q_i - q_(i+1))",
      "I3 = p1 p2 p3 - p1 e^(q2-q3) - p2 e^(q3-q1) - p3 e^(q1-q2)"}},
    {SL_SYSTEM_DOUBLE_PENDULUM, 4, "B7 double pendulum", 1, 0, 0, 1,
     {"H = (p1^2 + 2 p2^2 - 2 p1 p2 cos D)/(2 (1 + sin^2 D)) - 2 cos th1 - cos th2"}},
    {SL_SYSTEM_THREE_BODY, 12, "B8 planar three-body problem", 1, 1, 0, 4,
     {"H = sum |p_i|^2/2 - sum 1/r_ij", "P_x = sum p_ix", "P_y = sum p_iy", "L = sum (q_ix p_iy - q_iy p_ix)"}},
    {SL_SYSTEM_SID_TOY, 3, "B9 SID toy (three species)", 0, 0, 0, 2, {"x + y + z", "x y z"}},
    {SL_SYSTEM_FPU_BETA, 8, "beta-FPU chain, 4 particles, periodic", 1, 1, 0, 2,
     {"H = sum p_i^2/2 + sum (u_i^2/2 + u_i^4/4)", "P = sum p_i"}},
    {SL_SYSTEM_LORENTZ_EVENTS, 4, "G1 Lorentz events in boosted frames", 0, 0, 1, 1, {"s^2 = t^2 - x^2 - y^2 - z^2"}},
    {SL_SYSTEM_EM_FIELDS, 6, "G2 electromagnetic fields under boosts", 0, 0, 1, 2, {"E.B", "E^2 - B^2"}},
};
#define NKINDS ((int)(sizeof defs / sizeof defs[0]) - 1)

sl_status sl_system_create(sl_ctx *ctx, int kind, sl_system **out)
{
    const char *who = "sl_system_create";
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!ctx) return SL_ERR_NULL;
    if (kind < 1 || kind > NKINDS) return sl__fail(ctx, SL_ERR_ARG, "%s: kind = %d (must be an SL_SYSTEM_* value, 1..%d)", who, kind, NKINDS);
    sl_system *s = sl__alloc(ctx, sizeof *s, 1, who);
    if (!s) return SL_ERR_NOMEM;
    s->ctx = ctx;
    s->kind = kind;
    s->d = defs[kind].d;
    s->w1 = 1;
    s->w2 = kind == SL_SYSTEM_ANISOTROPIC ? sqrt(2.0) : kind == SL_SYSTEM_RESONANT ? 2.0 : 1.0;
    *out = s;
    return SL_OK;
}

void sl_system_destroy(sl_system *s)
{
    if (s) sl__free(s->ctx, s);
}

int sl_system_kind(const sl_system *s) { return s ? s->kind : 0; }
int64_t sl_system_dim(const sl_system *s) { return s ? s->d : 0; }
const char *sl_system_name(const sl_system *s) { return s ? defs[s->kind].name : ""; }
int sl_system_is_hamiltonian(const sl_system *s) { return s ? defs[s->kind].hamiltonian : 0; }
int sl_system_is_separable(const sl_system *s) { return s ? defs[s->kind].separable : 0; }
int sl_system_is_grouped(const sl_system *s) { return s ? defs[s->kind].grouped : 0; }
int sl_system_known_count(const sl_system *s) { return s ? defs[s->kind].nknown : 0; }

const char *sl_system_known_name(const sl_system *s, int k)
{
    if (!s || k < 0 || k >= defs[s->kind].nknown) return NULL;
    return defs[s->kind].known[k];
}

sl_status sl_system_box(const sl_system *s, double *lo, double *hi)
{
    if (!s) return sl__fail(NULL, SL_ERR_NULL, "sl_system_box: s is NULL");
    if (!lo || !hi) return sl__fail(s->ctx, SL_ERR_NULL, "sl_system_box: %s is NULL", lo ? "hi" : "lo");
    for (int64_t i = 0; i < s->d; ++i) {
        double a = 2;
        switch (s->kind) {
        case SL_SYSTEM_KEPLER: a = i < 2 ? 2 : 1; break;
        case SL_SYSTEM_TODA: a = 1; break;
        case SL_SYSTEM_DOUBLE_PENDULUM: a = i < 2 ? M_PI : 1; break;
        case SL_SYSTEM_FPU_BETA: case SL_SYSTEM_LORENTZ_EVENTS: case SL_SYSTEM_EM_FIELDS: a = 1; break;
        default: break;
        }
        lo[i] = -a;
        hi[i] = a;
        if (s->kind == SL_SYSTEM_SID_TOY) lo[i] = 0.1;
    }
    return SL_OK;
}

/* ---- potentials: dV/dq and V --------------------------------------------------------- */
static double kepler_r(const double *q) { return sqrt(q[0] * q[0] + q[1] * q[1]); }

static void dv(const sl_system *s, const double *q, double *g)
{
    switch (s->kind) {
    case SL_SYSTEM_OSCILLATOR: g[0] = q[0]; break;
    case SL_SYSTEM_ISOTROPIC: case SL_SYSTEM_ANISOTROPIC: case SL_SYSTEM_RESONANT:
        g[0] = s->w1 * s->w1 * q[0];
        g[1] = s->w2 * s->w2 * q[1];
        break;
    case SL_SYSTEM_KEPLER: {   /* V = -1/r */
        double r = kepler_r(q), r3 = r * r * r;
        g[0] = q[0] / r3;
        g[1] = q[1] / r3;
        break;
    }
    case SL_SYSTEM_TODA:       /* V = sum exp(q_i - q_{i+1}) */
        for (int i = 0; i < 3; ++i) g[i] = 0;
        for (int i = 0; i < 3; ++i) {
            double e = exp(q[i] - q[(i + 1) % 3]);
            g[i] += e;
            g[(i + 1) % 3] -= e;
        }
        break;
    case SL_SYSTEM_THREE_BODY: /* V = -sum 1/r_ij */
        for (int i = 0; i < 6; ++i) g[i] = 0;
        for (int i = 0; i < 3; ++i)
            for (int j = i + 1; j < 3; ++j) {
                double dx = q[2 * i] - q[2 * j], dy = q[2 * i + 1] - q[2 * j + 1];
                double r = sqrt(dx * dx + dy * dy), r3 = r * r * r;
                g[2 * i] += dx / r3;
                g[2 * i + 1] += dy / r3;
                g[2 * j] -= dx / r3;
                g[2 * j + 1] -= dy / r3;
            }
        break;
    case SL_SYSTEM_FPU_BETA:   /* V = sum u^2/2 + u^4/4, u_i = q_{i+1} - q_i */
        for (int i = 0; i < 4; ++i) g[i] = 0;
        for (int i = 0; i < 4; ++i) {
            double u = q[(i + 1) % 4] - q[i], f = u + u * u * u;
            g[(i + 1) % 4] += f;
            g[i] -= f;
        }
        break;
    default: break;
    }
}

static double potential(const sl_system *s, const double *q)
{
    double v = 0;
    switch (s->kind) {
    case SL_SYSTEM_OSCILLATOR: return 0.5 * q[0] * q[0];
    case SL_SYSTEM_ISOTROPIC: case SL_SYSTEM_ANISOTROPIC: case SL_SYSTEM_RESONANT:
        return 0.5 * (s->w1 * s->w1 * q[0] * q[0] + s->w2 * s->w2 * q[1] * q[1]);
    case SL_SYSTEM_KEPLER: return -1.0 / kepler_r(q);
    case SL_SYSTEM_TODA:
        for (int i = 0; i < 3; ++i) v += exp(q[i] - q[(i + 1) % 3]);
        return v;
    case SL_SYSTEM_THREE_BODY:
        for (int i = 0; i < 3; ++i)
            for (int j = i + 1; j < 3; ++j) v -= 1.0 / hypot(q[2 * i] - q[2 * j], q[2 * i + 1] - q[2 * j + 1]);
        return v;
    case SL_SYSTEM_FPU_BETA:
        for (int i = 0; i < 4; ++i) {
            double u = q[(i + 1) % 4] - q[i];
            v += 0.5 * u * u + 0.25 * u * u * u * u;
        }
        return v;
    default: return NAN;
    }
}

/* ---- double pendulum (m = l = g = 1) --------------------------------------------------- */
static double pendulum_h(const double *z)
{
    double D = z[0] - z[1], c = cos(D), sn = sin(D), den = 1 + sn * sn;
    double N = z[2] * z[2] + 2 * z[3] * z[3] - 2 * z[2] * z[3] * c;
    return N / (2 * den) - 2 * cos(z[0]) - cos(z[1]);
}

static void pendulum_grad(const double *z, double *g)
{
    double D = z[0] - z[1], c = cos(D), sn = sin(D), den = 1 + sn * sn, p1 = z[2], p2 = z[3];
    double N = p1 * p1 + 2 * p2 * p2 - 2 * p1 * p2 * c;
    /* dT/dD = p1 p2 sin D / den - N sin 2D / (2 den^2) */
    double dTdD = p1 * p2 * sn / den - N * sin(2 * D) / (2 * den * den);
    g[0] = dTdD + 2 * sin(z[0]);
    g[1] = -dTdD + sin(z[1]);
    g[2] = (p1 - p2 * c) / den;
    g[3] = (2 * p2 - p1 * c) / den;
}

/* ---- callbacks ---------------------------------------------------------------------- */
static int usable(const sl_system *s, int64_t d) { return s && d == s->d; }

int sl_system_grad_v(void *system, const double *q, double *grad, int64_t n)
{
    const sl_system *s = system;
    if (!usable(s, 2 * n) || !defs[s->kind].separable || !q || !grad) return -1;
    dv(s, q, grad);
    return 0;
}

int sl_system_grad_t(void *system, const double *p, double *grad, int64_t n)
{
    const sl_system *s = system;
    if (!usable(s, 2 * n) || !defs[s->kind].separable || !p || !grad) return -1;
    memcpy(grad, p, sizeof(double) * (size_t)n);   /* every separable system has T = |p|^2/2 */
    return 0;
}

int sl_system_grad_h(void *system, const double *z, double *grad, int64_t d)
{
    const sl_system *s = system;
    if (!usable(s, d) || !defs[s->kind].hamiltonian || !z || !grad) return -1;
    if (s->kind == SL_SYSTEM_DOUBLE_PENDULUM) {
        pendulum_grad(z, grad);
        return 0;
    }
    int64_t n = d / 2;
    dv(s, z, grad);
    memcpy(grad + n, z + n, sizeof(double) * (size_t)n);
    return 0;
}

int sl_system_vector_field(void *system, double t, const double *x, double *dxdt, int64_t d)
{
    (void)t;
    const sl_system *s = system;
    if (!usable(s, d) || !x || !dxdt || defs[s->kind].grouped) return -1;
    if (s->kind == SL_SYSTEM_SID_TOY) {
        dxdt[0] = x[0] * (x[1] - x[2]);
        dxdt[1] = x[1] * (x[2] - x[0]);
        dxdt[2] = x[2] * (x[0] - x[1]);
        return 0;
    }
    double g[12];
    sl_system_grad_h(system, x, g, d);
    int64_t n = d / 2;
    for (int64_t i = 0; i < n; ++i) {   /* q' = dH/dp, p' = -dH/dq */
        dxdt[i] = g[n + i];
        dxdt[n + i] = -g[i];
    }
    return 0;
}

int sl_system_in_domain(void *system, const double *x, int64_t d)
{
    const sl_system *s = system;
    if (!usable(s, d) || !x) return 0;
    for (int64_t i = 0; i < d; ++i)
        if (!isfinite(x[i])) return 0;
    if (s->kind == SL_SYSTEM_KEPLER) return kepler_r(x) > 0.5;
    if (s->kind == SL_SYSTEM_THREE_BODY) {
        for (int i = 0; i < 3; ++i)
            for (int j = i + 1; j < 3; ++j)
                if (!(hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]) > 0.5)) return 0;
    }
    if (s->kind == SL_SYSTEM_SID_TOY) return x[0] > 0 && x[1] > 0 && x[2] > 0;
    return 1;
}

/* ---- values -------------------------------------------------------------------------- */
static double hamiltonian1(const sl_system *s, const double *x)
{
    if (s->kind == SL_SYSTEM_DOUBLE_PENDULUM) return pendulum_h(x);
    int64_t n = s->d / 2;
    double t = 0;
    for (int64_t i = 0; i < n; ++i) t += 0.5 * x[n + i] * x[n + i];
    return t + potential(s, x);
}

static sl_status check_eval(const sl_system *s, const char *who, int64_t m, const double *x, const double *out)
{
    if (!s) return sl__fail(NULL, SL_ERR_NULL, "%s: s is NULL", who);
    if (!x || !out) return sl__fail(s->ctx, SL_ERR_NULL, "%s: %s is NULL", who, x ? "the output" : "x");
    if (m < 1 || m > SL__DYN_MAX_STEPS) return sl__fail(s->ctx, SL_ERR_ARG, "%s: m = %lld (must be 1..2^40)", who, (long long)m);
    return SL_OK;
}

sl_status sl_system_hamiltonian(const sl_system *s, int64_t m, const double *x, double *h)
{
    const char *who = "sl_system_hamiltonian";
    sl_status st = check_eval(s, who, m, x, h);
    if (st) return st;
    if (!defs[s->kind].hamiltonian) return sl__fail(s->ctx, SL_ERR_STATE, "%s: %s has no Hamiltonian", who, defs[s->kind].name);
    for (int64_t i = 0; i < m; ++i) h[i] = hamiltonian1(s, x + i * s->d);
    return SL_OK;
}

static double known1(const sl_system *s, int k, const double *x)
{
    switch (s->kind) {
    case SL_SYSTEM_OSCILLATOR: return hamiltonian1(s, x);
    case SL_SYSTEM_ISOTROPIC: case SL_SYSTEM_ANISOTROPIC: case SL_SYSTEM_RESONANT:
        if (k == 0) return 0.5 * (x[2] * x[2] + s->w1 * s->w1 * x[0] * x[0]);
        if (k == 1) return 0.5 * (x[3] * x[3] + s->w2 * s->w2 * x[1] * x[1]);
        if (s->kind == SL_SYSTEM_ISOTROPIC) return x[0] * x[3] - x[1] * x[2];
        return x[1] * (x[0] * x[0] - x[2] * x[2]) + x[0] * x[2] * x[3];
    case SL_SYSTEM_KEPLER: {
        double r = kepler_r(x), L = x[0] * x[3] - x[1] * x[2];
        if (k == 0) return hamiltonian1(s, x);
        if (k == 1) return L;
        if (k == 2) return x[3] * L - x[0] / r;
        return -x[2] * L - x[1] / r;
    }
    case SL_SYSTEM_TODA:
        if (k == 0) return x[3] + x[4] + x[5];
        if (k == 1) return hamiltonian1(s, x);
        return x[3] * x[4] * x[5] - x[3] * exp(x[1] - x[2]) - x[4] * exp(x[2] - x[0]) - x[5] * exp(x[0] - x[1]);
    case SL_SYSTEM_DOUBLE_PENDULUM: return pendulum_h(x);
    case SL_SYSTEM_THREE_BODY: {
        const double *p = x + 6;
        if (k == 0) return hamiltonian1(s, x);
        if (k == 1) return p[0] + p[2] + p[4];
        if (k == 2) return p[1] + p[3] + p[5];
        double L = 0;
        for (int i = 0; i < 3; ++i) L += x[2 * i] * p[2 * i + 1] - x[2 * i + 1] * p[2 * i];
        return L;
    }
    case SL_SYSTEM_SID_TOY: return k == 0 ? x[0] + x[1] + x[2] : x[0] * x[1] * x[2];
    case SL_SYSTEM_FPU_BETA: return k == 0 ? hamiltonian1(s, x) : x[4] + x[5] + x[6] + x[7];
    case SL_SYSTEM_LORENTZ_EVENTS: return x[0] * x[0] - x[1] * x[1] - x[2] * x[2] - x[3] * x[3];
    case SL_SYSTEM_EM_FIELDS:
        if (k == 0) return x[0] * x[3] + x[1] * x[4] + x[2] * x[5];
        return x[0] * x[0] + x[1] * x[1] + x[2] * x[2] - x[3] * x[3] - x[4] * x[4] - x[5] * x[5];
    default: return NAN;
    }
}

sl_status sl_system_known_eval(const sl_system *s, int k, int64_t m, const double *x, double *values)
{
    const char *who = "sl_system_known_eval";
    sl_status st = check_eval(s, who, m, x, values);
    if (st) return st;
    if (k < 0 || k >= defs[s->kind].nknown)
        return sl__fail(s->ctx, SL_ERR_ARG, "%s: k = %d (%s has %d known quantities)", who, k, defs[s->kind].name,
                        defs[s->kind].nknown);
    for (int64_t i = 0; i < m; ++i) values[i] = known1(s, k, x + i * s->d);
    return SL_OK;
}

/* ---- grouped samples (G1, G2) ----------------------------------------------------------
 * A boost with velocity v = tanh(eta) n (c = 1; Jackson, Classical
 * Electrodynamics, eqs. (11.19) and (11.149)). */
static void boost(int kind, const double *n, double eta, const double *in, double *out)
{
    double b = tanh(eta), g = cosh(eta);
    if (kind == SL_SYSTEM_LORENTZ_EVENTS) {
        double nx = n[0] * in[1] + n[1] * in[2] + n[2] * in[3];
        out[0] = g * (in[0] - b * nx);
        for (int i = 0; i < 3; ++i) out[1 + i] = in[1 + i] + ((g - 1) * nx - g * b * in[0]) * n[i];
        return;
    }
    const double *E = in, *B = in + 3;
    double v[3] = {b * n[0], b * n[1], b * n[2]};
    double vxB[3] = {v[1] * B[2] - v[2] * B[1], v[2] * B[0] - v[0] * B[2], v[0] * B[1] - v[1] * B[0]};
    double vxE[3] = {v[1] * E[2] - v[2] * E[1], v[2] * E[0] - v[0] * E[2], v[0] * E[1] - v[1] * E[0]};
    double nE = n[0] * E[0] + n[1] * E[1] + n[2] * E[2], nB = n[0] * B[0] + n[1] * B[1] + n[2] * B[2];
    for (int i = 0; i < 3; ++i) {
        out[i] = g * (E[i] + vxB[i]) - (g - 1) * nE * n[i];
        out[3 + i] = g * (B[i] - vxE[i]) - (g - 1) * nB * n[i];
    }
}

sl_status sl_system_sample_groups(const sl_system *s, int64_t n_groups, int64_t per_group, uint64_t stream, double *x,
                                  int64_t *group)
{
    const char *who = "sl_system_sample_groups";
    if (!s) return sl__fail(NULL, SL_ERR_NULL, "%s: s is NULL", who);
    sl_ctx *ctx = s->ctx;
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (!defs[s->kind].grouped)
        return sl__fail(ctx, SL_ERR_STATE, "%s: %s is not a grouped system (use sl_sample_trajectories)", who, defs[s->kind].name);
    int64_t total;
    if (n_groups < 1 || per_group < 1 || !sl__mul_ok(n_groups, per_group, &total) || total > SL__DYN_MAX_POINTS)
        return sl__fail(ctx, SL_ERR_ARG, "%s: n_groups x per_group = %lld x %lld (must be 1..2^30 points)", who,
                        (long long)n_groups, (long long)per_group);
    uint64_t seed = sl__stream_seed(ctx, stream, 0x67727570ULL), k = 0;
    int64_t d = s->d;
    for (int64_t gi = 0; gi < n_groups; ++gi) {
        double base[6];
        for (int64_t i = 0; i < d; ++i) base[i] = -1 + 2 * sl_rng_uniform(seed, k++);
        for (int64_t j = 0; j < per_group; ++j) {
            double n[3], nn = 0;
            do {   /* a uniform direction from three normals */
                nn = 0;
                for (int i = 0; i < 3; ++i) {
                    n[i] = sl_rng_normal(seed ^ 0x6e6f726dULL, k++);   /* its own stream */
                    nn += n[i] * n[i];
                }
            } while (nn < 1e-12);
            for (int i = 0; i < 3; ++i) n[i] /= sqrt(nn);
            double eta = sl_rng_uniform(seed, k++);
            int64_t row = gi * per_group + j;
            boost(s->kind, n, eta, base, x + row * d);
            if (group) group[row] = gi;
        }
    }
    return SL_OK;
}
