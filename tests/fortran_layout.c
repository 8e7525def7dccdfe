/* The public option structs as the C compiler lays them out, for
 * tests/test_fortran_core.f90 to compare with their bind(c) mirrors in
 * include/symlearn.f90: sizes and the offset of every field. */
#include <stddef.h>
#include <string.h>

#include "symlearn.h"

#define SIZE(s) { #s, NULL, sizeof(s) }
#define FIELD(s, f) { #s, #f, offsetof(s, f) }

static const struct {
    const char *s, *f;
    size_t v;
} table[] = {
    SIZE(sl_ctx_opts),
    FIELD(sl_ctx_opts, size), FIELD(sl_ctx_opts, alloc), FIELD(sl_ctx_opts, free),
    FIELD(sl_ctx_opts, alloc_user), FIELD(sl_ctx_opts, log), FIELD(sl_ctx_opts, log_user),
    FIELD(sl_ctx_opts, log_level), FIELD(sl_ctx_opts, seed), FIELD(sl_ctx_opts, nthreads),
    SIZE(sl_optim_opts),
    FIELD(sl_optim_opts, size), FIELD(sl_optim_opts, kind), FIELD(sl_optim_opts, lr),
    FIELD(sl_optim_opts, momentum), FIELD(sl_optim_opts, dampening),
    FIELD(sl_optim_opts, nesterov), FIELD(sl_optim_opts, beta1), FIELD(sl_optim_opts, beta2),
    FIELD(sl_optim_opts, eps), FIELD(sl_optim_opts, weight_decay), FIELD(sl_optim_opts, amsgrad),
    FIELD(sl_optim_opts, history), FIELD(sl_optim_opts, max_iter), FIELD(sl_optim_opts, max_eval),
    FIELD(sl_optim_opts, tolerance_grad), FIELD(sl_optim_opts, tolerance_change),
    FIELD(sl_optim_opts, line_search),
    SIZE(sl_gauge_layout),
    FIELD(sl_gauge_layout, size), FIELD(sl_gauge_layout, order), FIELD(sl_gauge_layout, nd),
    FIELD(sl_gauge_layout, nc), FIELD(sl_gauge_layout, dims), FIELD(sl_gauge_layout, site_order),
    FIELD(sl_gauge_layout, direction_major), FIELD(sl_gauge_layout, colour_major),
    FIELD(sl_gauge_layout, pad), FIELD(sl_gauge_layout, site_size),
    FIELD(sl_gauge_layout, link_offset), FIELD(sl_gauge_layout, site_index),
    /* the 1.1 fields, under their own name (tests/test_fortran_lattice.f90
     * compares them; tests/test_fortran_core.f90 counts the 1.0 ones) */
    { "sl_gauge_layout 1.1", "colour_strides", offsetof(sl_gauge_layout, colour_strides) },
    { "sl_gauge_layout 1.1", "link_stride", offsetof(sl_gauge_layout, link_stride) },
    { "sl_gauge_layout 1.1", "element", offsetof(sl_gauge_layout, element) },
    { "sl_gauge_layout 1.1", "directions", offsetof(sl_gauge_layout, directions) },
    SIZE(sl_lcnn_opts),
    FIELD(sl_lcnn_opts, size), FIELD(sl_lcnn_opts, nd), FIELD(sl_lcnn_opts, nc),
    FIELD(sl_lcnn_opts, nlayers), FIELD(sl_lcnn_opts, channels), FIELD(sl_lcnn_opts, kernels),
    FIELD(sl_lcnn_opts, dilation), FIELD(sl_lcnn_opts, symmetric),
    FIELD(sl_lcnn_opts, orientations), FIELD(sl_lcnn_opts, head), FIELD(sl_lcnn_opts, seed),
    SIZE(sl_lcnn_train_opts),
    FIELD(sl_lcnn_train_opts, size), FIELD(sl_lcnn_train_opts, epochs),
    FIELD(sl_lcnn_train_opts, batch), FIELD(sl_lcnn_train_opts, lr),
    FIELD(sl_lcnn_train_opts, amsgrad), FIELD(sl_lcnn_train_opts, weight_decay),
    FIELD(sl_lcnn_train_opts, patience), FIELD(sl_lcnn_train_opts, seed),
    FIELD(sl_lcnn_train_opts, progress), FIELD(sl_lcnn_train_opts, progress_user),
};

/* The offset of field f of struct s, or sizeof(s) when f is "", or
 * (size_t)-1 when the table does not know them. */
size_t sl_test_layout(const char *s, const char *f)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
        if (!strcmp(table[i].s, s) && (table[i].f ? !strcmp(table[i].f, f) : !*f))
            return table[i].v;
    return (size_t)-1;
}

/* The number of fields of s in the table (0: an unknown struct). */
int sl_test_layout_fields(const char *s)
{
    int n = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i)
        n += table[i].f && !strcmp(table[i].s, s);
    return n;
}
