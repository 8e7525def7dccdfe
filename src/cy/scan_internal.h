/* The result of a scan over complex moduli (src/cy/scan.c, src/io/cy_io.c). */
#ifndef SL_CY_SCAN_INTERNAL_H
#define SL_CY_SCAN_INTERNAL_H

#include "model_internal.h"

struct sl_cy_scan {
    sl_ctx *ctx;
    int n;
    double *psi;                        /* 2 n */
    double *sigma_fs, *sigma, *kappa, *loss;
    int *epochs;
    sl_cy_variety **v;                  /* n, owned */
    sl_cy_model **m;                    /* n, owned */
};

#endif
