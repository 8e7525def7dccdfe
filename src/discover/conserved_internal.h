/* The conserved-quantity result (src/discover/conserved*.c, src/io/conserved_io.c). */
#ifndef SL_CONSERVED_INTERNAL_H
#define SL_CONSERVED_INTERNAL_H

#include "../core/internal.h"
#include "symlearn/conserved.h"

struct sl_conserved_result {
    sl_ctx *ctx;
    int64_t d, K, M, c, nullity, nsv, ntraj;
    char **fname;        /* K feature names */
    double *coef;        /* M x K */
    int *indep;          /* M */
    double *relvar;      /* M */
    char **formula[3];   /* M strings per style */
    double *sv;          /* nsv */
    double gap;
};

/* An empty result (arrays NULL, counts 0). */
SL_HIDDEN sl_conserved_result *sl__conserved_result_new(sl_ctx *ctx, const char *who);
/* Allocate the arrays for K features and M quantities (names and formulas
 * NULL); SL_ERR_NOMEM naming who. */
SL_HIDDEN sl_status sl__conserved_result_alloc(sl_conserved_result *r, const char *who, int64_t K, int64_t M, int64_t nsv);
/* A NUL-terminated copy (sl__alloc), NULL when out of memory. */
SL_HIDDEN char *sl__strdup(sl_ctx *ctx, const char *s, const char *who);

#endif
