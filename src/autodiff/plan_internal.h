/* The plan's internal structure, shared by plan.c and plan_fuse.c. */
#ifndef SL_PLAN_INTERNAL_H
#define SL_PLAN_INTERNAL_H
#include "graph_internal.h"

typedef struct sl_fuse sl_fuse;

typedef struct {
    sl_node *node;
    void **in;          /* input value pointers, refreshed at each run */
} plan_step;

struct sl_plan {
    sl_ctx *ctx;
    sl_graph *g;
    int nnodes;          /* graph size when compiled */
    int nsteps, nout, ninputs;
    plan_step *steps;
    void **vals;         /* value pointer per node id (NULL: not in the plan) */
    sl_node **outputs;
    sl_node **inputs;    /* input nodes the plan reads */
    const void **bound;  /* per input: bound contiguous data */
    const sl_tensor **bound_t;  /* per input: bound strided tensor (copied at run) */
    char **stage;        /* per input: arena space a strided tensor is copied to */
    char *arena;
    size_t arena_bytes;
    void *scratch;
    int check_finite;
    int cache;           /* sl_plan_set_cache_data: steps of the data alone run once per bind */
    int cache_valid;     /* cached values are those of the current binds */
    char *cached;        /* per step: its node depends on inputs and constants only */
    int fuse;            /* elementwise steps are reordered and fused (plan_fuse.c): sl__fuse_enabled */
    sl_fuse *fz;         /* the fused groups (NULL: none) */
};

/* ---- Fusion of elementwise steps (plan_fuse.c) ------------------------------------
 * A group is a run of consecutive steps of tileable ops (graph_internal.h) of one
 * shape, evaluated block of rows by block of rows so the values stay in
 * cache; a member that no step outside its group reads (nor an output, nor a
 * cached value) has no buffer of its own, only a tile.  Each op's kernel is
 * the same as unfused, on a part of the range, so the values are the same
 * bits.  SL_PLAN_FUSE=0 in the environment at sl_plan_create turns it off. */

/* 1 unless SL_PLAN_FUSE=0 (0) or SL_PLAN_FUSE=2 (2: the tests' mode, every
 * size fused, in blocks of a few elements). */
SL_HIDDEN int sl__fuse_enabled(void);
/* Reorder p->steps (a topological order still) so that each tileable step
 * comes as late as its readers allow, next to the tileable steps of its
 * shape that it reads.  SL_ERR_NOMEM or SL_OK. */
SL_HIDDEN sl_status sl__fuse_order(sl_plan *p, const char *who);
/* Build the groups of p->steps into p->fz (which the caller has freed or
 * saved); cached (may be NULL) marks steps run once per bind, which stay out
 * of groups; keep marks kept values.  SL_ERR_NOMEM or SL_OK. */
SL_HIDDEN sl_status sl__fuse_build(sl_plan *p, const char *cached, const char *keep, const char *who);
/* For plan_layout: the group of step k as [*k0, *k1) (0 when k is in none)
 * and whether step k's value lives in a tile only. */
SL_HIDDEN int sl__fuse_group(const sl_plan *p, int k, int *k0, int *k1);
SL_HIDDEN int sl__fuse_internal(const sl_plan *p, int k);
/* Run the group that starts at step k (the values of its inputs ready). */
SL_HIDDEN void sl__fuse_run(sl_plan *p, int k);
SL_HIDDEN void sl__fuse_free(sl_ctx *ctx, sl_fuse *f);

#endif
