/* Prints the BLAS libsymlearn runs on (sl_blas_info) and, when OpenBLAS chose
 * kernels older than the CPU can run, the OPENBLAS_CORETYPE that fixes it.
 * `make` runs it after linking the library; bench/run.sh prints its output
 * beside the benchmark table.  With --coretype it prints only the suggested
 * core type (empty when none), for scripts.
 *
 * Why: OpenBLAS 0.3.21 (Debian 12) does not know CPUs released after it
 * (e.g. Sapphire/Emerald Rapids, Zen 4) and falls back to its Prescott (SSE3)
 * kernels, which run dgemm ~5x slower than its SkylakeX (AVX-512) kernels on
 * the same machine. */
#include <stdio.h>
#include <string.h>
#include <symlearn.h>

static const char *suggested_coretype(const char *info)
{
    const char *core = strstr(info, "; core ");
    if (!core) return "";
    core += 7;
    int old = strncmp(core, "Prescott", 8) == 0 || strncmp(core, "Core2", 5) == 0 ||
              strncmp(core, "Nehalem", 7) == 0 || strncmp(core, "Sandybridge", 11) == 0 ||
              strncmp(core, "Barcelona", 9) == 0 || strncmp(core, "unknown", 7) == 0;
    if (!old) return "";
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    return "";
}

int main(int argc, char **argv)
{
    const char *info = sl_blas_info();
    const char *better = suggested_coretype(info);
    if (argc > 1 && strcmp(argv[1], "--coretype") == 0) {
        printf("%s\n", better);
        return 0;
    }
    printf("libsymlearn: BLAS: %s\n", info);
    if (!sl_blas_is_optimized())
        printf("libsymlearn: warning: not an optimised BLAS; install one with: sudo apt-get install -y libopenblas-dev\n");
    if (better[0])
        printf("libsymlearn: warning: OpenBLAS chose kernels older than this CPU; "
               "OPENBLAS_CORETYPE=%s selects the ones it can run (dgemm ~2-5x faster)\n",
               better);
    return 0;
}
