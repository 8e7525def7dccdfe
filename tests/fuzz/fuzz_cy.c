/* libFuzzer target: the Calabi-Yau phi-model reader (kind CYMD).  The
 * stored polynomial is rebuilt by sl_cy_variety_create and the network by
 * the model constructor before any weight is read; a model that loads is
 * destroyed again (evaluation needs sampled points, covered by the tests). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_cy_model *m = NULL;
    if (sl__cy_model_parse(ctx, "fuzz", "input", data, size, &m) == SL_OK) sl_cy_model_destroy(m);
    return 0;
}
