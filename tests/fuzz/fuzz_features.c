/* libFuzzer target: the feature-library text parser (sl_features_add_text).
 * Any input must give SL_OK or SL_ERR_ARG with a message naming the call
 * and a line and column, never a crash; a parsed library must evaluate (or
 * refuse non-finite values) at a point. */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    sl_features *lib = NULL;
    if (sl_features_create(ctx, 4, &lib) != SL_OK || sl_features_set_names(lib, "x y px py") != SL_OK) __builtin_trap();
    int64_t K0 = sl_features_count(lib);
    sl_status st = sl_features_add_text(lib, text);
    if (st == SL_OK) {
        int64_t K = sl_features_count(lib);
        if (K > 0) {
            double x[4] = {0.3, -0.7, 1.1, 0.4}, *v = malloc(sizeof(double) * (size_t)K), *g = malloc(sizeof(double) * (size_t)(4 * K));
            if (v && g) {
                sl_status se = sl_features_eval(lib, 1, x, v, g);
                if (se != SL_OK && se != SL_ERR_NONFINITE) __builtin_trap();
            }
            free(v);
            free(g);
            for (int64_t k = 0; k < K; ++k)
                if (!sl_features_name(lib, k)) __builtin_trap();
        }
    } else {
        const char *m = sl_ctx_errmsg(ctx);
        if (st == SL_ERR_ARG && (strncmp(m, "sl_features_add_text: ", 22) != 0 || !strstr(m, "line ") || !strstr(m, "column ")))
            __builtin_trap();
        if (st != SL_ERR_ARG && st != SL_ERR_NOMEM) __builtin_trap();
        if (sl_features_count(lib) != K0) __builtin_trap();
    }
    sl_features_destroy(lib);
    free(text);
    return 0;
}
