/* libFuzzer target: the Hamiltonian-network reader (kind HNN).  A model
 * that loads is evaluated at one point (energy and field): the weights'
 * count and finiteness were checked by the loader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_hnn *h = NULL;
    if (sl__hnn_parse(ctx, "fuzz", "input", data, size, &h) != SL_OK) return 0;
    int64_t n = sl_hnn_half_size(h);
    if (n >= 1 && n <= 32 && sl_hnn_nweights(h) <= 100000) {
        double z[64] = {0}, e, f[64];
        (void)sl_hnn_energy(h, 1, z, &e);
        (void)sl_hnn_field(h, 1, z, f);
    }
    sl_hnn_destroy(h);
    return 0;
}
