/* Frozen copies of the size-first option structs as released in 1.0.
 *
 * Never edit these: they are what a program built against the 1.0 headers
 * allocated.  tests/test_opts_abi.c hands them (in buffers of exactly their
 * size) to the current library, which must read only their bytes and take
 * the defaults for every field added since. */
#ifndef SL_TEST_ABI_1_0_H
#define SL_TEST_ABI_1_0_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t size;
    void *(*alloc)(void *, size_t);
    void (*free)(void *, void *);
    void *alloc_user;
    void (*log)(void *, int, const char *);
    void *log_user;
    int log_level;
    uint64_t seed;
    int nthreads;
} v10_ctx_opts;

typedef struct {
    size_t size;
    int kind;
    double lr;
    double momentum;
    double dampening;
    int nesterov;
    double beta1, beta2;
    double eps;
    double weight_decay;
    int amsgrad;
    int history;
    int max_iter;
    int max_eval;
    double tolerance_grad;
    double tolerance_change;
    int line_search;
} v10_optim_opts;

typedef struct {
    size_t size;
    int order;
    int nd;
    int nc;
    int64_t dims[6];
    int site_order;
    int direction_major;
    int colour_major;
    int64_t pad;
    size_t site_size;
    size_t link_offset;
    const int *site_index;
} v10_gauge_layout;

typedef struct {
    size_t size;
    int nd, nc;
    int nlayers;
    int channels[16];
    int kernels[16];
    int dilation;
    int symmetric;
    int orientations;
    int head;
    uint64_t seed;
} v10_lcnn_opts;

typedef struct {
    size_t size;
    int epochs;
    int batch;
    double lr;
    int amsgrad;
    double weight_decay;
    int patience;
    uint64_t seed;
    void (*progress)(void *, int, double, double);
    void *progress_user;
} v10_lcnn_train_opts;

#endif
