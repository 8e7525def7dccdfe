/* libFuzzer target: the symmetry-result reader (the container and the 1.0
 * SLSYMR1 format).  A result that loads is printed: the printer relies on
 * what the loader checked (finite eigenvalues, ranges). */
#include "fuzz_common.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    sl_ctx *ctx = fuzz_ctx();
    sl_symmetry_result *r = NULL;
    if (sl__symmetry_result_parse(ctx, "fuzz", "input", data, size, &r) == SL_OK) {
        if (sl_symmetry_result_dim(r) > 64) {   /* printing a huge algebra is slow, not wrong */
            sl_symmetry_result_destroy(r);
            return 0;
        }
        sl_symmetry_result_print(r, devnull);
        sl_symmetry_result_destroy(r);
    }
    return 0;
}
