#include "symmetry_internal.h"
sl_status sl__symmetry_trained(sl_ctx *ctx, const sl_symmetry_opts *o, sl_symmetry_result *r)
{
    (void)o; (void)r;
    return sl__fail(ctx, SL_ERR_UNSUPPORTED, "trained");
}
