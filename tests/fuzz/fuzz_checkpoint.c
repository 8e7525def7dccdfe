/* libFuzzer target: the checkpoint reader, restoring into each of the three
 * optimisers of fuzz_common.h.  A restore that fails must leave the
 * optimiser as it was; one that succeeds must allow a step (then the problem
 * is put back to its start, so every input sees the same optimisers). */
#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_ctx *ctx = fuzz_ctx();
    static fuzz_problem p[3];
    static int ready;
    if (!ready) {
        for (int k = 0; k < 3; ++k)
            if (!fuzz_problem_init(&p[k], ctx, k)) __builtin_trap();
        ready = 1;
    }
    for (int k = 0; k < 3; ++k) {
        double before[12];
        memcpy(before, sl_node_data(p[k].W), sizeof before);
        int64_t steps = sl_optim_steps(p[k].opt);
        uint64_t seed, counter;
        sl_status st = sl__checkpoint_parse(ctx, "fuzz", "input", data, size, p[k].opt, &seed, &counter);
        if (st) {
            if (memcmp(before, sl_node_data(p[k].W), sizeof before) || sl_optim_steps(p[k].opt) != steps) __builtin_trap();
            continue;
        }
        sl_optim_step(p[k].opt, NULL);   /* may fail (a non-finite loss): a status, never a crash */
        fuzz_problem_restart(&p[k], k);
    }
    return 0;
}
