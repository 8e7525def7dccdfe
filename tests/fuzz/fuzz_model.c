/* libFuzzer target: the L-CNN model reader (the container and the 1.0
 * SLLCNN01 format). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_lcnn *net = NULL;
    if (sl__lcnn_parse(ctx, "fuzz", "input", data, size, &net) == SL_OK) {
        if (!net || sl_lcnn_nparams(net) < 1) __builtin_trap();
        sl_lcnn_destroy(net);
    }
    return 0;
}
