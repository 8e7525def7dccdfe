/* libFuzzer target: the flux-configuration reader (kind FLUX).  A
 * configuration that loads is measured and exported: the loader imported it
 * through sl_flux_import's checks (integer, bounded, closed fields). */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_flux *F = NULL;
    if (sl__flux_parse(ctx, "fuzz", "input", data, size, &F) != SL_OK) return 0;
    int64_t n = 4 * sl_flux_nt(F) * sl_flux_nx(F);
    if (n <= 4096) {
        double *a = malloc(sizeof(double) * (size_t)n);
        if (a) (void)sl_flux_export(F, n, a);
        free(a);
        int64_t q;
        (void)sl_flux_winding(F, &q);
    }
    sl_flux_destroy(F);
    return 0;
}
