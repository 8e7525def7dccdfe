/* libFuzzer target: the conserved-quantity result reader (kind CONS).  A
 * result that loads is used: its formulas, brackets, printout and,
 * for neural results, the networks at one point rely on what the loader
 * checked (counts against each other, flags, seed table). */
#include "fuzz_common.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    sl_conserved_result *r = NULL;
    if (sl__conserved_result_parse(ctx, "fuzz", "input", data, size, &r) != SL_OK) return 0;
    int64_t M = sl_conserved_result_count(r), d = sl_conserved_result_dim(r);
    for (int64_t j = 0; j < M; ++j)
        for (int s = 0; s < 3; ++s) (void)sl_conserved_result_formula(r, j, s);
    (void)sl_conserved_result_brackets(r);
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    if (M <= 64) (void)sl_conserved_result_print(r, devnull);
    if (sl_conserved_result_mode(r) != SL_CONSERVED_EXACT && M > 0 && d > 0 && d <= 64) {
        double x[64] = {0}, v, g[64];
        (void)sl_conserved_result_eval(r, 0, 1, x, &v, g);
    }
    sl_conserved_result_destroy(r);
    return 0;
}
