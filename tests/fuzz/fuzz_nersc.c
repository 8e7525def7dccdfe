/* libFuzzer target: the NERSC gauge-configuration reader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_gauge *U = NULL;
    if (sl__nersc_parse(ctx, "fuzz", "input", data, size, &U) == SL_OK) {
        double p;
        if (sl_gauge_plaquette(U, &p) != SL_OK || !(p == p)) __builtin_trap();
        sl_gauge_destroy(U);
    }
    return 0;
}
