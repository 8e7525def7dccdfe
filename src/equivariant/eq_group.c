/* Square-lattice groups (p4, p4m about the site 0; the four reflections of
 * flux configurations about -1/2), their actions on site fields, group maps
 * and flux fields, and the lifting and group convolutions (Cohen, Welling,
 * ICML 2016) built as
 *     y_e = R_e Phi(T_e^-1 x),   Phi a periodic convolution.
 * For any Phi that commutes with translations this is exactly equivariant:
 * y(T_h x)_{h e'} = R_h R_e' Phi(T_e'^-1 x) = (T_h y(x))_{h e'}, because
 * T_{h e'}^-1 T_h = T_e'^-1 is the same permutation (and sign) of the data.
 * Everything here is generic graph ops (gather, permute, neg, concat) around
 * the periodic convolution, so the derivatives come for free. */
#include "eq_internal.h"

typedef struct {
    int m[2][2];
} mat2;

static const mat2 ID = {{{1, 0}, {0, 1}}}, ROT = {{{0, -1}, {1, 0}}}, FLIP1 = {{{-1, 0}, {0, 1}}},
                  FLIP2 = {{{1, 0}, {0, -1}}};

static mat2 mmul(mat2 a, mat2 b)
{
    mat2 c;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) c.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j];
    return c;
}

static int meq(mat2 a, mat2 b)
{
    return !memcmp(&a, &b, sizeof a);
}

int sl_eq_group_order(int group)
{
    return group == SL_EQ_P4 ? 4 : group == SL_EQ_P4M ? 8 : group == SL_EQ_REFL ? 4 : 0;
}

static mat2 element(int group, int e)
{
    mat2 r = ID;
    if (group == SL_EQ_REFL) {
        if (e & 1) r = mmul(FLIP1, r);
        if (e & 2) r = mmul(FLIP2, r);
        return r;
    }
    if (group == SL_EQ_P4M && e >= 4) {
        r = FLIP1;
        e -= 4;
    }
    for (int i = 0; i < e; ++i) r = mmul(ROT, r);
    return r;
}

static int index_of(int group, mat2 m)
{
    for (int e = 0; e < sl_eq_group_order(group); ++e)
        if (meq(element(group, e), m)) return e;
    return -1;
}

int sl_eq_group_mul(int group, int e1, int e2)
{
    int n = sl_eq_group_order(group);
    if (!n || e1 < 0 || e2 < 0 || e1 >= n || e2 >= n) return -1;
    return index_of(group, mmul(element(group, e1), element(group, e2)));
}

int sl_eq_group_inv(int group, int e)
{
    int n = sl_eq_group_order(group);
    if (!n || e < 0 || e >= n) return -1;
    mat2 m = element(group, e), t = {{{m.m[0][0], m.m[1][0]}, {m.m[0][1], m.m[1][1]}}};
    return index_of(group, t);
}

/* y[.., s, ..] = x[.., (sign s + off) mod L, ..] along axis. */
static sl_node *axis_map(sl_graph *g, const char *who, sl_node *x, int axis, int sign, int64_t off)
{
    if (!x) return NULL;
    int64_t L = x->shape[axis];
    if (sign == 1 && ((off % L) + L) % L == 0) return x;
    int64_t *idx = sl__graph_mem(g, sizeof(int64_t) * (size_t)L);
    if (!idx) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int64_t s = 0; s < L; ++s) idx[s] = (((sign * s + off) % L) + L) % L;
    return sl_graph_gather(g, x, axis, L, idx);
}

/* The site field transformed by e: y(s) = x(R_e^-1 s) over the last two axes,
 * R_e^-1 s = A s + a with A = M_e^T and a = -A c_e. */
static sl_node *site_act(sl_graph *g, const char *who, int group, int e, sl_node *x)
{
    if (!x) return NULL;
    mat2 m = element(group, e);
    int A[2][2] = {{m.m[0][0], m.m[1][0]}, {m.m[0][1], m.m[1][1]}};
    int c[2] = {0, 0};
    if (group == SL_EQ_REFL) {
        c[0] = (m.m[0][0] + m.m[0][1] - 1) / 2;
        c[1] = (m.m[1][0] + m.m[1][1] - 1) / 2;
    }
    int64_t a[2] = {-(A[0][0] * c[0] + A[0][1] * c[1]), -(A[1][0] * c[0] + A[1][1] * c[1])};
    int r = x->rank;
    if (A[0][0] == 0) {   /* y[s1, s2] = x[A01 s2 + a1, A10 s1 + a2] = z[A10 s1 + a2, A01 s2 + a1] */
        int perm[SL_MAX_RANK];
        for (int i = 0; i < r; ++i) perm[i] = i;
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        sl_node *z = sl_graph_permute(g, x, perm);
        z = axis_map(g, who, z, r - 2, A[1][0], a[1]);
        return axis_map(g, who, z, r - 1, A[0][1], a[0]);
    }
    sl_node *z = axis_map(g, who, x, r - 2, A[0][0], a[0]);
    return axis_map(g, who, z, r - 1, A[1][1], a[1]);
}

/* Flux field (B, 4, Nt, Nx), channels (k_t, k_x, l_t, l_x), by a REFL
 * element: along a reflected axis the links of that direction get the
 * offset -2 (they change orientation: k -> -k), the others -1. */
static sl_node *flux_act(sl_graph *g, const char *who, int e, sl_node *x)
{
    sl_node *ch[4];
    for (int c = 0; c < 4; ++c) {
        sl_node *v = sl_graph_slice(g, x, 1, c, c + 1, 1);
        int dir = c & 1;   /* 0 temporal link, 1 spatial link */
        int neg = 0;
        for (int ax = 0; ax < 2; ++ax) {
            if (!(e >> ax & 1)) continue;
            int along = dir == ax;
            v = axis_map(g, who, v, 2 + ax, -1, along ? -2 : -1);
            if (along && c < 2) neg ^= 1;
        }
        ch[c] = neg ? sl_graph_neg(g, v) : v;
    }
    return sl_graph_concat(g, 4, ch, 1);
}

/* Group map (B, C, G, L1, L2): y_h(s) = x_{e^-1 h}(R_e^-1 s). */
static sl_node *groupmap_act(sl_graph *g, const char *who, int group, int e, sl_node *x)
{
    int n = sl_eq_group_order(group), ei = sl_eq_group_inv(group, e);
    int64_t *idx = sl__graph_mem(g, sizeof(int64_t) * (size_t)n);
    if (!idx) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    for (int h = 0; h < n; ++h) idx[h] = sl_eq_group_mul(group, ei, h);
    return site_act(g, who, group, e, e ? sl_graph_gather(g, x, 2, n, idx) : x);
}

static int check_group(sl_graph *g, const char *who, int group, int kind, int e, sl_node *x)
{
    char b1[96];
    int n = sl_eq_group_order(group);
    if (!n) {
        sl__gfail(g, SL_ERR_ARG, "%s: group %d (must be SL_EQ_P4, SL_EQ_P4M or SL_EQ_REFL)", who, group);
        return 0;
    }
    if (e < 0 || e >= n) {
        sl__gfail(g, SL_ERR_ARG, "%s: element %d (group of order %d)", who, e, n);
        return 0;
    }
    if (kind != SL_EQ_SITE && kind != SL_EQ_GROUPMAP && kind != SL_EQ_FLUX) {
        sl__gfail(g, SL_ERR_ARG, "%s: kind %d (must be SL_EQ_SITE, SL_EQ_GROUPMAP or SL_EQ_FLUX)", who, kind);
        return 0;
    }
    if (kind == SL_EQ_FLUX && group != SL_EQ_REFL) {
        sl__gfail(g, SL_ERR_ARG, "%s: SL_EQ_FLUX needs the group SL_EQ_REFL", who);
        return 0;
    }
    if (x->dtype != SL_F64) {
        sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
        return 0;
    }
    int want = kind == SL_EQ_GROUPMAP ? 5 : 4;
    if (x->rank != want || (kind == SL_EQ_GROUPMAP && x->shape[2] != n) || (kind == SL_EQ_FLUX && x->shape[1] != 4) ||
        (group != SL_EQ_REFL && x->shape[want - 1] != x->shape[want - 2])) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: x has shape %s (need %s%s)", who, sl__shape_str(x, b1, sizeof b1),
                  kind == SL_EQ_GROUPMAP ? "(B, C, G, L1, L2) with G the group order"
                  : kind == SL_EQ_FLUX   ? "(B, 4, Nt, Nx)"
                                         : "(B, C, L1, L2)",
                  group != SL_EQ_REFL ? ", L1 = L2 for rotations" : "");
        return 0;
    }
    return 1;
}

static sl_node *act(sl_graph *g, const char *who, int group, int kind, int e, sl_node *x)
{
    if (kind == SL_EQ_GROUPMAP) return groupmap_act(g, who, group, e, x);
    if (kind == SL_EQ_FLUX) return e ? flux_act(g, who, e, x) : x;
    return e ? site_act(g, who, group, e, x) : x;
}

sl_node *sl_graph_eq_transform(sl_graph *g, int group, int kind, int element, sl_node *x)
{
    const char *who = "sl_graph_eq_transform";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (!check_group(g, who, group, kind, element, x)) return NULL;
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, act(g, who, group, kind, element, x));
}

/* y_e = R_e conv(T_e^-1 x, w), stacked along a new axis 2, plus bias. */
static sl_node *orbit_conv(sl_graph *g, const char *who, int group, int kind, sl_node *x, sl_node *w,
                           sl_node *bias)
{
    int n = sl_eq_group_order(group);
    sl_node *ys[8];
    int64_t p[2] = {(w->shape[w->rank - 2] - 1) / 2, (w->shape[w->rank - 1] - 1) / 2};
    sl_node *wk = w;
    if (kind == SL_EQ_GROUPMAP) {
        int64_t ws[4] = {w->shape[0], w->shape[1] * w->shape[2], w->shape[3], w->shape[4]};
        wk = sl_graph_reshape(g, w, 4, ws);
    }
    for (int e = 0; e < n; ++e) {
        sl_node *xe = act(g, who, group, kind, sl_eq_group_inv(group, e), x);
        if (kind == SL_EQ_GROUPMAP && xe) {
            int64_t s[4] = {x->shape[0], x->shape[1] * x->shape[2], x->shape[3], x->shape[4]};
            xe = sl_graph_reshape(g, xe, 4, s);
        }
        sl_node *c = xe && wk ? sl__eq_pconv(g, who, xe, wk, p) : NULL;
        c = site_act(g, who, group, e, c);
        if (!c) return NULL;
        int64_t s5[5] = {c->shape[0], c->shape[1], 1, c->shape[2], c->shape[3]};
        ys[e] = sl_graph_reshape(g, c, 5, s5);
    }
    sl_node *y = sl_graph_concat(g, n, ys, 2);
    return bias && y ? sl__eq_add_bias(g, who, y, bias) : y;
}

static int check_weights(sl_graph *g, const char *who, int kind, sl_node *x, sl_node *w, sl_node *bias)
{
    char b1[96], b2[96];
    if (!sl__gcheck(g, who, 1, &w) || (bias && !sl__gcheck(g, who, 1, &bias))) return 0;
    int want = kind == SL_EQ_GROUPMAP ? 5 : 4;
    int ok = w->dtype == SL_F64 && w->rank == want && w->shape[1] == x->shape[1];
    if (ok && kind == SL_EQ_GROUPMAP) ok = w->shape[2] == x->shape[2];
    if (!ok) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: w %s for x %s (need f64 w (Cout, Cin, %sK1, K2))", who,
                  sl__shape_str(w, b1, sizeof b1), sl__shape_str(x, b2, sizeof b2), kind == SL_EQ_GROUPMAP ? "G, " : "");
        return 0;
    }
    if (bias && (bias->dtype != SL_F64 || bias->rank != 1 || bias->shape[0] != w->shape[0])) {
        sl__gfail(g, SL_ERR_SHAPE, "%s: bias %s (must be f64 of shape (%lld))", who,
                  sl__shape_str(bias, b1, sizeof b1), (long long)w->shape[0]);
        return 0;
    }
    return 1;
}

sl_node *sl_graph_eq_lift_conv(sl_graph *g, int group, int kind, sl_node *x, sl_node *w, sl_node *bias)
{
    const char *who = "sl_graph_eq_lift_conv";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (kind == SL_EQ_GROUPMAP) return sl__gfail(g, SL_ERR_ARG, "%s: kind must be SL_EQ_SITE or SL_EQ_FLUX", who);
    if (!check_group(g, who, group, kind, 0, x) || !check_weights(g, who, kind, x, w, bias)) return NULL;
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, orbit_conv(g, who, group, kind, x, w, bias));
}

sl_node *sl_graph_eq_group_conv(sl_graph *g, int group, sl_node *x, sl_node *w, sl_node *bias)
{
    const char *who = "sl_graph_eq_group_conv";
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (!check_group(g, who, group, SL_EQ_GROUPMAP, 0, x) || !check_weights(g, who, SL_EQ_GROUPMAP, x, w, bias))
        return NULL;
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, orbit_conv(g, who, group, SL_EQ_GROUPMAP, x, w, bias));
}

sl_node *sl_graph_eq_group_pool(sl_graph *g, sl_node *x, int mode)
{
    const char *who = "sl_graph_eq_group_pool";
    char b1[96];
    if (!sl__gcheck(g, who, 1, &x)) return NULL;
    if (mode != 0 && mode != 1) return sl__gfail(g, SL_ERR_ARG, "%s: mode %d (must be 0 mean or 1 max)", who, mode);
    if (x->dtype != SL_F64 || x->rank != 5)
        return sl__gfail(g, SL_ERR_SHAPE, "%s: x has shape %s (need f64 (B, C, G, L1, L2))", who,
                         sl__shape_str(x, b1, sizeof b1));
    sl_status before = sl_graph_status(g);
    int ax = 2;
    if (mode == 0) return sl__gwho(g, before, who, sl_graph_mean_axes(g, x, 1, &ax, 0));
    int perm[5] = {0, 1, 3, 4, 2};
    sl_node *z = sl_graph_permute(g, x, perm);
    return sl__gwho(g, before, who, z ? sl__eq_argmax_gather(g, who, z, z) : NULL);
}
