/* SU(N) utilities: small dense complex matrix kernels, Haar-random matrices,
 * reunitarisation, the exponential of su(N), gauge transformations. */
#include "lattice_internal.h"

#include <math.h>

void sl__mat_mul(int n, const cplx *a, const cplx *b, cplx *c)
{
    if (n == 2) {
        c[0] = a[0] * b[0] + a[1] * b[2];
        c[1] = a[0] * b[1] + a[1] * b[3];
        c[2] = a[2] * b[0] + a[3] * b[2];
        c[3] = a[2] * b[1] + a[3] * b[3];
        return;
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            cplx s = 0;
            for (int k = 0; k < n; ++k) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

void sl__mat_mul_an(int n, const cplx *a, const cplx *b, cplx *c)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            cplx s = 0;
            for (int k = 0; k < n; ++k) s += conj(a[k * n + i]) * b[k * n + j];
            c[i * n + j] = s;
        }
}

void sl__mat_mul_na(int n, const cplx *a, const cplx *b, cplx *c)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            cplx s = 0;
            for (int k = 0; k < n; ++k) s += a[i * n + k] * conj(b[j * n + k]);
            c[i * n + j] = s;
        }
}

cplx sl__mat_trace(int n, const cplx *a)
{
    cplx s = 0;
    for (int i = 0; i < n; ++i) s += a[i * n + i];
    return s;
}

cplx sl__mat_det(int n, const cplx *a)
{
    cplx m[SL_NC_MAX * SL_NC_MAX], det = 1;
    memcpy(m, a, sizeof(cplx) * (size_t)(n * n));
    for (int c = 0; c < n; ++c) {
        int p = c;
        for (int r = c + 1; r < n; ++r)
            if (cabs(m[r * n + c]) > cabs(m[p * n + c])) p = r;
        if (m[p * n + c] == 0) return 0;
        if (p != c) {
            for (int j = 0; j < n; ++j) { cplx t = m[c * n + j]; m[c * n + j] = m[p * n + j]; m[p * n + j] = t; }
            det = -det;
        }
        det *= m[c * n + c];
        for (int r = c + 1; r < n; ++r) {
            cplx f = m[r * n + c] / m[c * n + c];
            for (int j = c; j < n; ++j) m[r * n + j] -= f * m[c * n + j];
        }
    }
    return det;
}

double sl__mat_unitarity(int n, const cplx *a)
{
    double e = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            cplx s = 0;
            for (int k = 0; k < n; ++k) s += a[i * n + k] * conj(a[j * n + k]);
            e = fmax(e, cabs(s - (i == j)));
        }
    return e;
}

/* Gram-Schmidt of the rows (twice, for accuracy), then divide by det^(1/N). */
void sl__mat_reunitarize(int n, cplx *a)
{
    for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < n; ++i) {
            cplx *r = a + i * n;
            for (int j = 0; j < i; ++j) {
                const cplx *q = a + j * n;
                cplx d = 0;
                for (int k = 0; k < n; ++k) d += conj(q[k]) * r[k];
                for (int k = 0; k < n; ++k) r[k] -= d * q[k];
            }
            double nr = 0;
            for (int k = 0; k < n; ++k) nr += creal(r[k]) * creal(r[k]) + cimag(r[k]) * cimag(r[k]);
            nr = 1 / sqrt(nr);
            for (int k = 0; k < n; ++k) r[k] *= nr;
        }
    cplx ph = cexp(-I * carg(sl__mat_det(n, a)) / n);
    for (int k = 0; k < n * n; ++k) a[k] *= ph;
}

/* exp(i h): N = 2 closed form; N = 3 Cayley-Hamilton (Morningstar and
 * Peardon, PRD 69 (2004) 054501, eqs. (29)-(34)); otherwise scaling and
 * squaring with a Taylor series. */
void sl__mat_exp_i(int n, const cplx *h, cplx *out)
{
    if (n == 2) {
        double h3 = 0.5 * creal(h[0] - h[3]), h1 = creal(h[2] + h[1]) / 2, h2 = cimag(h[2] - h[1]) / 2;
        double t = sqrt(h1 * h1 + h2 * h2 + h3 * h3), c = cos(t), s = t > 0 ? sin(t) / t : 1;
        cplx z = cexp(I * 0.5 * creal(h[0] + h[3]));   /* trace part, 0 for su(2) */
        out[0] = z * (c + I * s * h3);
        out[1] = z * (I * s * (h1 - I * h2));
        out[2] = z * (I * s * (h1 + I * h2));
        out[3] = z * (c - I * s * h3);
        return;
    }
    if (n == 3) {
        cplx q2[9], q3[9];
        sl__mat_mul(3, h, h, q2);
        sl__mat_mul(3, q2, h, q3);
        double c0 = creal(sl__mat_trace(3, q3)) / 3, c1 = creal(sl__mat_trace(3, q2)) / 2;
        if (c1 > 1e-6) {
            int neg = c0 < 0;
            if (neg) c0 = -c0;
            double c0max = 2 * pow(c1 / 3, 1.5);
            double r = c0 / c0max;
            if (r > 1) r = 1;
            double theta = acos(r);
            double u = sqrt(c1 / 3) * cos(theta / 3), w = sqrt(c1) * sin(theta / 3);
            double xi0 = fabs(w) > 0.05 ? sin(w) / w
                                        : 1 - w * w / 6 * (1 - w * w / 20 * (1 - w * w / 42));
            cplx e2 = cexp(2 * I * u), em = cexp(-I * u);
            double cw = cos(w), den = 9 * u * u - w * w;
            cplx h0 = (u * u - w * w) * e2 + em * (8 * u * u * cw + 2 * I * u * (3 * u * u + w * w) * xi0);
            cplx hh1 = 2 * u * e2 - em * (2 * u * cw - I * (3 * u * u - w * w) * xi0);
            cplx hh2 = e2 - em * (cw + 3 * I * u * xi0);
            cplx f0 = h0 / den, f1 = hh1 / den, f2 = hh2 / den;
            if (neg) { f0 = conj(f0); f1 = -conj(f1); f2 = conj(f2); }
            for (int k = 0; k < 9; ++k) out[k] = f0 * (k % 4 == 0) + f1 * h[k] + f2 * q2[k];
            return;
        }
    }
    /* Taylor of exp(i h / 2^s), degree 20, then s squarings. */
    double nrm = 0;
    for (int k = 0; k < n * n; ++k) nrm += cabs(h[k]);
    int s = 0;
    while (nrm > 0.25 && s < 60) { nrm /= 2; ++s; }
    double scale = ldexp(1.0, -s);
    cplx x[SL_NC_MAX * SL_NC_MAX], acc[SL_NC_MAX * SL_NC_MAX], t[SL_NC_MAX * SL_NC_MAX];
    for (int k = 0; k < n * n; ++k) x[k] = I * scale * h[k];
    for (int k = 0; k < n * n; ++k) acc[k] = (k % (n + 1) == 0);
    for (int d = 20; d >= 1; --d) {   /* Horner: acc = 1 + x acc / d */
        sl__mat_mul(n, x, acc, t);
        for (int k = 0; k < n * n; ++k) acc[k] = (k % (n + 1) == 0) + t[k] / d;
    }
    for (int i = 0; i < s; ++i) {
        sl__mat_mul(n, acc, acc, t);
        memcpy(acc, t, sizeof(cplx) * (size_t)(n * n));
    }
    memcpy(out, acc, sizeof(cplx) * (size_t)(n * n));
}

static sl_status check_nc(sl_ctx *ctx, const char *who, int nc)
{
    if (!ctx) return SL_ERR_NULL;
    if (nc < 2 || nc > SL_NC_MAX) return sl__fail(ctx, SL_ERR_ARG, "%s: nc = %d (must be 2..%d)", who, nc, SL_NC_MAX);
    return SL_OK;
}

/* count * nc * nc complex numbers as doubles (2 per number), bounded. */
static sl_status mat_doubles(sl_ctx *ctx, const char *who, const char *what, int nc, int64_t count, int64_t *out)
{
    if (count < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: %s = %lld (must be >= 0)", who, what, (long long)count);
    return sl__product(ctx, SL_ERR_ARG, who, "the number of matrix entries", 3,
                       (int64_t[]){count, (int64_t)nc * nc, 2}, out);
}

sl_status sl_su_random(sl_ctx *ctx, int nc, int64_t count, uint64_t seed, double *out)
{
    const char *who = "sl_su_random";
    sl_status st = check_nc(ctx, who, nc);
    if (st) return st;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    int64_t nd;
    if ((st = mat_doubles(ctx, who, "count", nc, count, &nd))) return st;
    int n2 = nc * nc;
    cplx *o = (cplx *)out;
    for (int64_t m = 0; m < count; ++m) {
        cplx *a = o + m * n2;
        uint64_t k0 = (uint64_t)(m * 2 * n2);
        for (int k = 0; k < n2; ++k)
            a[k] = sl_rng_normal(seed, k0 + 2 * (uint64_t)k) + I * sl_rng_normal(seed, k0 + 2 * (uint64_t)k + 1);
        /* Gram-Schmidt = QR with R's diagonal positive: Haar on U(N) (Mezzadri
         * 2007); the det phase removed: Haar on SU(N). */
        sl__mat_reunitarize(nc, a);
    }
    return SL_OK;
}

/* The two passes of an in-place map: the first checks every result (nothing
 * is written when one fails), the second writes them. */
static int su_ok(int n, const cplx *a)
{
    return sl__first_nonfinite((const double *)a, (size_t)(2 * n * n)) < 0 && sl__mat_unitarity(n, a) <= 1e-8;
}

sl_status sl_su_reunitarize(sl_ctx *ctx, int nc, int64_t count, double *mats)
{
    const char *who = "sl_su_reunitarize";
    sl_status st = check_nc(ctx, who, nc);
    if (st) return st;
    if (!mats) return sl__fail(ctx, SL_ERR_NULL, "%s: mats is NULL", who);
    int64_t nd;
    if ((st = mat_doubles(ctx, who, "count", nc, count, &nd))) return st;
    int64_t bad = sl__first_nonfinite(mats, (size_t)nd);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: mats[%lld] is not finite", who, (long long)bad);
    int n2 = nc * nc;
    cplx t[SL_NC_MAX * SL_NC_MAX];
    for (int64_t m = 0; m < count; ++m) {   /* rows that are (nearly) dependent, e.g. a zero matrix */
        memcpy(t, (cplx *)mats + m * n2, sizeof(cplx) * (size_t)n2);
        sl__mat_reunitarize(nc, t);
        if (!su_ok(nc, t))
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: matrix %lld has linearly dependent rows (e.g. zero): no "
                            "projection onto SU(%d); nothing was changed", who, (long long)m, nc);
    }
    for (int64_t m = 0; m < count; ++m) sl__mat_reunitarize(nc, (cplx *)mats + m * n2);
    return SL_OK;
}

sl_status sl_su_exp(sl_ctx *ctx, int nc, int64_t count, const double *in, double *out)
{
    const char *who = "sl_su_exp";
    sl_status st = check_nc(ctx, who, nc);
    if (st) return st;
    if (!in || !out) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, in ? "out" : "in");
    int64_t nd;
    if ((st = mat_doubles(ctx, who, "count", nc, count, &nd))) return st;
    int n2 = nc * nc;
    int64_t bad = sl__first_nonfinite(in, (size_t)nd);
    if (bad >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: in[%lld] is not finite", who, (long long)bad);
    cplx h[SL_NC_MAX * SL_NC_MAX], e[SL_NC_MAX * SL_NC_MAX];
    for (int64_t m = 0; m < count; ++m) {
        const cplx *a = (const cplx *)in + m * n2;
        double big = 0, herm = 0;
        cplx tr = 0;
        for (int r = 0; r < nc; ++r) {
            tr += a[r * nc + r];
            for (int c = 0; c < nc; ++c) {
                big = fmax(big, cabs(a[r * nc + c]));
                herm = fmax(herm, cabs(a[r * nc + c] - conj(a[c * nc + r])));
            }
        }
        if (herm > 1e-10 * (1 + big) || cabs(tr) > 1e-10 * nc * (1 + big))
            return sl__fail(ctx, SL_ERR_ARG, "%s: in matrix %lld is not Hermitian traceless (|H - H^+| = %.3g, "
                            "|Tr H| = %.3g)", who, (long long)m, herm, cabs(tr));
        memcpy(h, a, sizeof(cplx) * (size_t)n2);
        sl__mat_exp_i(nc, h, e);
        if (!su_ok(nc, e))
            return sl__fail(ctx, SL_ERR_NUMERIC, "%s: exp(i H) of matrix %lld (max |H_ij| = %.3g) is not accurate "
                            "to 1e-8 or not finite; nothing was written", who, (long long)m, big);
    }
    for (int64_t m = 0; m < count; ++m) {
        memcpy(h, (const cplx *)in + m * n2, sizeof(cplx) * (size_t)n2);
        sl__mat_exp_i(nc, h, (cplx *)out + m * n2);
    }
    return SL_OK;
}

/* Every O(x) of a gauge transformation is finite and unitary to 1e-8. */
static sl_status check_transform(sl_ctx *ctx, const char *who, int nc, int64_t volume, const double *O)
{
    int n2 = nc * nc;
    for (int64_t s = 0; s < volume; ++s) {
        const cplx *o = (const cplx *)O + s * n2;
        if (sl__first_nonfinite((const double *)o, (size_t)(2 * n2)) >= 0)
            return sl__fail(ctx, SL_ERR_NONFINITE, "%s: O at site %lld is not finite", who, (long long)s);
        double e = sl__mat_unitarity(nc, o);
        if (!(e <= 1e-8))
            return sl__fail(ctx, SL_ERR_ARG, "%s: O at site %lld is not unitary (|O O^+ - 1| = %.3g)", who,
                            (long long)s, e);
    }
    return SL_OK;
}

sl_status sl_gauge_transform(sl_gauge *U, const double *O)
{
    const char *who = "sl_gauge_transform";
    if (!U) return SL_ERR_NULL;
    if (!O) return sl__fail(U->ctx, SL_ERR_NULL, "%s: O is NULL", who);
    if (U->in_place || !U->own)
        return sl__fail(U->ctx, SL_ERR_STATE, "%s: U reads a host array in place (transform the host's links)", who);
    sl_status st = check_transform(U->ctx, who, U->nc, U->volume, O);
    if (st) return st;
    int n = U->nc, n2 = n * n;
    const cplx *o = (const cplx *)O;
    cplx t[SL_NC_MAX * SL_NC_MAX];
    for (int64_t s = 0; s < U->volume; ++s)
        for (int mu = 0; mu < U->nd; ++mu) {
            cplx *u = U->own + (s * U->nd + mu) * n2;
            sl__mat_mul(n, o + s * n2, u, t);
            sl__mat_mul_na(n, t, o + sl__site_shift(U->nd, U->dims, s, mu, 1) * n2, u);
        }
    return SL_OK;
}

sl_status sl_gauge_transform_fields(sl_ctx *ctx, int nc, int64_t volume, int64_t nch, const double *O,
                                    double *W)
{
    const char *who = "sl_gauge_transform_fields";
    sl_status st = check_nc(ctx, who, nc);
    if (st) return st;
    if (!O || !W) return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, O ? "W" : "O");
    int64_t nw;
    if (volume < 0 || nch < 0)
        return sl__fail(ctx, SL_ERR_ARG, "%s: volume = %lld, nch = %lld (must be >= 0)", who, (long long)volume,
                        (long long)nch);
    if ((st = sl__product(ctx, SL_ERR_ARG, who, "nch x volume x N^2", 3, (int64_t[]){nch, volume, (int64_t)nc * nc},
                          &nw)) ||
        (st = check_transform(ctx, who, nc, volume, O)))
        return st;
    int n2 = nc * nc;
    cplx t[SL_NC_MAX * SL_NC_MAX];
    for (int64_t c = 0; c < nch; ++c)
        for (int64_t s = 0; s < volume; ++s) {
            cplx *w = (cplx *)W + (c * volume + s) * n2;
            const cplx *o = (const cplx *)O + s * n2;
            sl__mat_mul(nc, o, w, t);
            sl__mat_mul_na(nc, t, o, w);
        }
    return SL_OK;
}

sl_status sl_gauge_randomize(sl_gauge *U, uint64_t seed)
{
    if (!U) return SL_ERR_NULL;
    if (U->in_place || !U->own)
        return sl__fail(U->ctx, SL_ERR_STATE, "sl_gauge_randomize: U reads a host array in place");
    return sl_su_random(U->ctx, U->nc, U->volume * U->nd, seed, (double *)U->own);
}
