/* Fubini-Study metric, pullbacks, determinants and the sigma measure
 * (cymetric models/fubinistudy.py, models/measures.py::sigma_measure). */
#include "cy_internal.h"

#include <math.h>

void sl__cy_fs_ambient(int na, const cplx *z, double t, cplx *G)
{
    double r2 = 0;
    for (int i = 0; i < na; i++) r2 += creal(z[i]) * creal(z[i]) + cimag(z[i]) * cimag(z[i]);
    const double s = t / (M_PI * r2 * r2);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < na; j++) G[i * na + j] = s * ((i == j ? r2 : 0.0) - conj(z[i]) * z[j]);
}

void sl__cy_pullback(int d, int na, const cplx *J, const cplx *G, cplx *g)
{
    for (int a = 0; a < d; a++) {
        cplx JG[SL_CY_MAX_AMB];
        for (int j = 0; j < na; j++) {
            cplx s = 0;
            for (int i = 0; i < na; i++)
                if (J[a * na + i] != 0) s += J[a * na + i] * G[i * na + j];
            JG[j] = s;
        }
        for (int b = 0; b < d; b++) {
            cplx s = 0;
            for (int j = 0; j < na; j++)
                if (J[b * na + j] != 0) s += JG[j] * conj(J[b * na + j]);
            g[a * d + b] = s;
        }
    }
}

double sl__cy_det(int d, const cplx *gin)
{
    if (d == 1) return creal(gin[0]);
    if (d == 2) return creal(gin[0] * gin[3] - gin[1] * gin[2]);
    if (d == 3) {
        const cplx *m = gin;
        return creal(m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                     m[2] * (m[3] * m[7] - m[4] * m[6]));
    }
    cplx a[SL_CY_MAX_AMB * SL_CY_MAX_AMB], det = 1;
    memcpy(a, gin, sizeof(cplx) * (size_t)(d * d));
    for (int k = 0; k < d; k++) {
        int piv = k;
        for (int i = k + 1; i < d; i++)
            if (cabs(a[i * d + k]) > cabs(a[piv * d + k])) piv = i;
        if (a[piv * d + k] == 0) return 0;
        if (piv != k) {
            for (int j = 0; j < d; j++) {
                cplx tmp = a[k * d + j];
                a[k * d + j] = a[piv * d + j];
                a[piv * d + j] = tmp;
            }
            det = -det;
        }
        det *= a[k * d + k];
        for (int i = k + 1; i < d; i++) {
            cplx f = a[i * d + k] / a[k * d + k];
            for (int j = k; j < d; j++) a[i * d + j] -= f * a[k * d + j];
        }
    }
    return creal(det);
}

sl_status sl_cy_fs_metric(const sl_cy_points *p, double t, double *g, double *det)
{
    const char *who = "sl_cy_fs_metric";
    if (!p) return SL_ERR_NULL;
    if (!g && !det) return sl__fail(p->ctx, SL_ERR_NULL, "%s: g and det are NULL", who);
    if (!(t > 0) || !isfinite(t)) return sl__fail(p->ctx, SL_ERR_ARG, "%s: t = %g (must be finite, > 0)", who, t);
    const int na = p->namb, d = p->dim;
    for (int64_t i = 0; i < p->n; i++) {
        cplx G[SL_CY_MAX_AMB * SL_CY_MAX_AMB], gg[SL_CY_MAX_AMB * SL_CY_MAX_AMB];
        sl__cy_fs_ambient(na, p->z + i * na, t, G);
        sl__cy_pullback(d, na, p->jac + i * d * na, G, gg);
        if (g) memcpy(g + 2 * i * d * d, gg, sizeof(cplx) * (size_t)(d * d));
        if (det) det[i] = sl__cy_det(d, gg);
    }
    return SL_OK;
}

/* sigma with eta given directly (eta_from_det: eta = det / om2) */
static sl_status sigma_core(sl_ctx *ctx, const char *who, int64_t n, const double *eta, const double *om2,
                            const double *w, double *out)
{
    if (!eta || !w || !out)
        return sl__fail(ctx, SL_ERR_NULL, "%s: %s is NULL", who, !eta ? (om2 ? "det" : "eta") : !w ? "w" : "out");
    if (n < 1) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld (must be >= 1)", who, (long long)n);
    int64_t b = sl__first_nonfinite(eta, (size_t)n);
    if (b >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: %s[%lld] = %g is not finite", who, om2 ? "det" : "eta",
                        (long long)b, eta[b]);
    b = sl__first_nonfinite(w, (size_t)n);
    if (b >= 0) return sl__fail(ctx, SL_ERR_NONFINITE, "%s: weight w[%lld] = %g is not finite", who, (long long)b, w[b]);
    double vcy = 0, vk = 0;
    for (int64_t i = 0; i < n; i++) {
        double e = om2 ? eta[i] / om2[i] : eta[i];
        vcy += w[i];
        vk += w[i] * e;
    }
    if (vcy == 0 || vk == 0 || !isfinite(vk))
        return sl__fail(ctx, SL_ERR_NUMERIC, "%s: Vol_CY = %g, Vol_K = %g (must be nonzero)", who, vcy / n, vk / n);
    double r = vcy / vk, s = 0;
    for (int64_t i = 0; i < n; i++) {
        double e = om2 ? eta[i] / om2[i] : eta[i];
        s += w[i] * fabs(1 - e * r);
    }
    *out = s / vcy;
    return SL_OK;
}

sl_status sl_cy_sigma(sl_ctx *ctx, int64_t n, const double *eta, const double *w, double *out)
{
    if (!ctx) return SL_ERR_NULL;
    return sigma_core(ctx, "sl_cy_sigma", n, eta, NULL, w, out);
}

sl_status sl_cy_points_sigma(const sl_cy_points *p, const double *det, double *out)
{
    if (!p) return SL_ERR_NULL;
    return sigma_core(p->ctx, "sl_cy_points_sigma", p->n, det, p->om2, p->w, out);
}
