/* Global average and max pooling over the trailing (lattice) axes: the
 * translation-invariant read-outs of a periodic CNN. */
#include "eq_internal.h"

static int check_pool(sl_graph *g, const char *who, sl_node *x, int nspatial)
{
    char b1[96];
    if (!sl__gcheck(g, who, 1, &x)) return 0;
    if (x->dtype != SL_F64) {
        sl__gfail(g, SL_ERR_DTYPE, "%s: x is %s (must be f64)", who, sl__dtype_name(x->dtype));
        return 0;
    }
    if (nspatial < 1 || nspatial >= x->rank) {
        sl__gfail(g, SL_ERR_ARG, "%s: nspatial = %d for x of shape %s (need 1 <= nspatial < rank)", who, nspatial,
                  sl__shape_str(x, b1, sizeof b1));
        return 0;
    }
    return 1;
}

sl_node *sl_graph_global_avg_pool(sl_graph *g, sl_node *x, int nspatial)
{
    const char *who = "sl_graph_global_avg_pool";
    if (!check_pool(g, who, x, nspatial)) return NULL;
    int axes[SL_MAX_RANK];
    for (int i = 0; i < nspatial; ++i) axes[i] = x->rank - nspatial + i;
    sl_status before = sl_graph_status(g);
    return sl__gwho(g, before, who, sl_graph_mean_axes(g, x, nspatial, axes, 0));
}

sl_node *sl_graph_global_max_pool(sl_graph *g, sl_node *x, int nspatial)
{
    const char *who = "sl_graph_global_max_pool";
    if (!check_pool(g, who, x, nspatial)) return NULL;
    int64_t shape[SL_MAX_RANK], n = 1;
    int r = x->rank - nspatial;
    for (int i = 0; i < r; ++i) shape[i] = x->shape[i];
    for (int i = r; i < x->rank; ++i) n *= x->shape[i];
    shape[r] = n;
    sl_status before = sl_graph_status(g);
    sl_node *z = nspatial == 1 ? x : sl_graph_reshape(g, x, r + 1, shape);
    return sl__gwho(g, before, who, z ? sl__eq_argmax_gather(g, who, z, z) : NULL);
}
