/* Fusion of a plan's elementwise steps (plan_internal.h).
 *
 * The gradient graphs of dense networks are long chains of elementwise maps
 * (activations, their derivatives, products with incoming gradients, sums)
 * over batch x width buffers, each a separate pass over memory when run step
 * by step.  Here a run of consecutive tileable steps (sl__unary_tile_kind) of one shape is
 * evaluated a block of rows at a time (FUSE_TILE elements, in L1/L2): each
 * member's kernel runs on the block, reading its inputs' blocks, so a value
 * produced and consumed inside the group never goes to memory, and a value
 * that must be stored is written once and read back from cache.  The kernels
 * are the unfused ones on a sub-range (through a copy of the node whose shape
 * is the block's), so the results are the same bits.
 *
 * The order of the steps is first changed so that each tileable step comes as
 * late as its readers allow, next to the tileable steps it reads: a
 * derivative such as silu''(x), ready as soon as the forward pass has run, is
 * then computed in the group of the products that use it. */
#include "plan_internal.h"

#include <stdlib.h>

#define FUSE_TILE 1024         /* target elements of a block */
/* Smaller maps are run unfused: with their buffers in L2 the blocks' calls
 * cost more than the memory passes they save (bench lax, 1024 x 32 values:
 * 4-8% slower fused; conserved, 4 x 2048 x 64: the same within noise; at
 * batch 8192: 7% faster fused; AMD EPYC with AVX-512, 1 MB L2 and 32 MB
 * L3 shared by 2 cores). */
#define FUSE_MIN_NUMEL 65536
/* SL_PLAN_FUSE=2 (for tests): every size fused, in blocks of a few elements */
#define FUSE_TEST_TILE 8

enum { IN_FULL, IN_MEMBER, IN_ROW, IN_BLOCK, IN_SCALAR };

typedef struct {
    int k0, k1;                 /* its steps */
    int64_t cols, rows, blocks; /* rows per block (a block row input is offset per block) */
    int64_t tile_rows;
    int64_t cur_rows;           /* the shadows' current number of rows */
    sl_node full_sh, row_sh;    /* shadow inputs: a block of a full input, one row */
    sl_node *sh;                /* per member: the node with the block's shape */
    int *slot;                  /* per member: its tile, or -1 when stored */
    void **outp;                /* per member: this block's value */
    int *first;                 /* per member: its first input in kind/src/inp/shin */
    int *kind, *src;            /* per member input: kind; member index or node id */
    void **inp;                 /* per member input: this block's pointer */
    sl_node **shin;             /* per member input: what its kernel sees */
} fgroup;

struct sl_fuse {
    int ngroups;
    fgroup *g;
    int *group_of;              /* per step: its group or -1 */
    char *internal;             /* per step: value in a tile only */
    double *tiles;
    size_t tile_doubles;
};

int sl__fuse_enabled(void)
{
    const char *e = getenv("SL_PLAN_FUSE");
    if (e && e[0] && !e[1] && (e[0] == '0' || e[0] == '2')) return e[0] - '0';
    return 1;
}

/* A step the fusion may move and group: a tileable real op of at least
 * FUSE_MIN_NUMEL elements, inputs real. */
static int tile_kind(const sl_opdef *d)
{
    int k = sl__unary_tile_kind(d);
    return k ? k : sl__binary_tile_kind(d);
}

static int tileable(int mode, const sl_node *n)
{
    if (!tile_kind(n->def) || n->dtype != SL_F64 || n->rank < 1 || n->numel < (mode == 2 ? 1 : FUSE_MIN_NUMEL))
        return 0;
    for (int j = 0; j < n->nin; ++j)
        if (n->in[j]->dtype != SL_F64) return 0;
    return 1;
}

static int same_shape(const sl_node *a, const sl_node *b)
{
    return a->rank == b->rank && !memcmp(a->shape, b->shape, sizeof(int64_t) * (size_t)a->rank);
}

/* How input x is seen by n in a block of rows (-1: not at all). */
static int input_kind(const sl_node *n, const sl_node *x)
{
    int r = n->rank;
    int64_t cols = n->shape[r - 1];
    if (x->numel == n->numel) return IN_FULL;   /* broadcasting to n with n's numel: n's elements in n's order */
    if (tile_kind(n->def) != SL__TILE_BCAST) return -1;
    if (x->numel == 1) return IN_SCALAR;
    if (x->numel == cols && x->rank <= r && x->rank >= 1 && x->shape[x->rank - 1] == cols) return IN_ROW;
    if (r >= 3 && x->rank == r && x->shape[r - 2] == 1 && n->shape[r - 2] > 1) {
        for (int i = 0; i < r; ++i)
            if (i != r - 2 && x->shape[i] != n->shape[i]) return -1;
        return IN_BLOCK;
    }
    return -1;
}

/* ---- Order -------------------------------------------------------------------- */
typedef struct {
    sl_plan *p;
    int *pos;          /* node id -> step index in the old order, -1 for leaves */
    char *deferred;
    int *stamp, cur;
    int *stack, *set;
    plan_step *out;
    int nout;
} order_state;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Emit deferred step q with its deferred ancestors, in their old order. */
static void flush(order_state *o, int q)
{
    int ns = 0, nset = 0;
    o->cur++;
    o->stack[ns++] = q;
    o->stamp[q] = o->cur;
    while (ns) {
        int k = o->stack[--ns];
        o->set[nset++] = k;
        const sl_node *nd = o->p->steps[k].node;
        for (int j = 0; j < nd->nin; ++j) {
            int a = o->pos[nd->in[j]->id];
            if (a >= 0 && o->deferred[a] && o->stamp[a] != o->cur) {
                o->stamp[a] = o->cur;
                o->stack[ns++] = a;
            }
        }
    }
    qsort(o->set, (size_t)nset, sizeof(int), cmp_int);
    for (int i = 0; i < nset; ++i) {
        o->deferred[o->set[i]] = 0;
        o->out[o->nout++] = o->p->steps[o->set[i]];
    }
}

sl_status sl__fuse_order(sl_plan *p, const char *who)
{
    sl_ctx *ctx = p->ctx;
    int n = p->nsteps;
    if (n < 2) return SL_OK;
    order_state o = {p, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0};
    o.pos = sl__alloc(ctx, sizeof(int) * (size_t)p->nnodes, 0, who);
    o.deferred = sl__alloc(ctx, (size_t)n, 1, who);
    o.stamp = sl__alloc(ctx, sizeof(int) * (size_t)n, 1, who);
    o.stack = sl__alloc(ctx, sizeof(int) * (size_t)n, 0, who);
    o.set = sl__alloc(ctx, sizeof(int) * (size_t)n, 0, who);
    o.out = sl__alloc(ctx, sizeof(plan_step) * (size_t)n, 0, who);
    sl_status st = SL_ERR_NOMEM;
    if (!o.pos || !o.deferred || !o.stamp || !o.stack || !o.set || !o.out) goto done;
    for (int id = 0; id < p->nnodes; ++id) o.pos[id] = -1;
    for (int k = 0; k < n; ++k) o.pos[p->steps[k].node->id] = k;
    for (int k = 0; k < n; ++k) {
        const sl_node *nd = p->steps[k].node;
        int t = tileable(p->fuse, nd);
        for (int j = 0; j < nd->nin; ++j) {
            int a = o.pos[nd->in[j]->id];
            if (a >= 0 && o.deferred[a] && !(t && same_shape(nd->in[j], nd))) flush(&o, a);
        }
        if (t) o.deferred[k] = 1;
        else o.out[o.nout++] = p->steps[k];
    }
    for (int k = 0; k < n; ++k)
        if (o.deferred[k]) flush(&o, k);
    memcpy(p->steps, o.out, sizeof(plan_step) * (size_t)n);
    st = SL_OK;
done:
    sl__free(ctx, o.pos);
    sl__free(ctx, o.deferred);
    sl__free(ctx, o.stamp);
    sl__free(ctx, o.stack);
    sl__free(ctx, o.set);
    sl__free(ctx, o.out);
    return st;
}

/* ---- Groups ------------------------------------------------------------------- */
void sl__fuse_free(sl_ctx *ctx, sl_fuse *f)
{
    if (!f) return;
    if (f->g)
        for (int i = 0; i < f->ngroups; ++i) {
            fgroup *gr = &f->g[i];
            sl__free(ctx, gr->sh);
            sl__free(ctx, gr->slot);
            sl__free(ctx, gr->outp);
            sl__free(ctx, gr->first);
            sl__free(ctx, gr->kind);
            sl__free(ctx, gr->src);
            sl__free(ctx, gr->inp);
            sl__free(ctx, gr->shin);
        }
    sl__free(ctx, f->g);
    sl__free(ctx, f->group_of);
    sl__free(ctx, f->internal);
    sl__free(ctx, f->tiles);
    sl__free(ctx, f);
}

/* Set the shadows of gr to blocks of nr rows. */
static void set_rows(fgroup *gr, int64_t nr)
{
    if (gr->cur_rows == nr) return;
    gr->cur_rows = nr;
    gr->full_sh.shape[0] = nr;
    gr->full_sh.numel = nr * gr->cols;
    for (int m = 0; m < gr->k1 - gr->k0; ++m) {
        gr->sh[m].shape[0] = nr;
        gr->sh[m].numel = nr * gr->cols;
    }
}

/* Step k may join a group of steps of shape `like` (NULL: start one) whose
 * members are marked in member[] (by node id, 1 + member index). */
static int joins(int mode, const sl_node *nd, const sl_node *like)
{
    if (!tileable(mode, nd) || (like && !same_shape(nd, like))) return 0;
    for (int j = 0; j < nd->nin; ++j)
        if (input_kind(nd, nd->in[j]) < 0) return 0;
    return 1;
}

static sl_status build_group(sl_plan *p, sl_fuse *f, fgroup *gr, const int *last, const int *member,
                             const char *keep, size_t *tile_need, const char *who)
{
    sl_ctx *ctx = p->ctx;
    int nm = gr->k1 - gr->k0, nin = 0;
    const sl_node *n0 = p->steps[gr->k0].node;
    int r = n0->rank;
    gr->cols = n0->shape[r - 1];
    int block = 0;
    for (int k = gr->k0; k < gr->k1; ++k) {
        const sl_node *nd = p->steps[k].node;
        nin += nd->nin;
        for (int j = 0; j < nd->nin; ++j) block |= input_kind(nd, nd->in[j]) == IN_BLOCK;
    }
    gr->rows = block ? n0->shape[r - 2] : n0->numel / gr->cols;
    gr->blocks = n0->numel / (gr->rows * gr->cols);
    gr->tile_rows = (p->fuse == 2 ? FUSE_TEST_TILE : FUSE_TILE) / gr->cols;
    if (gr->tile_rows < 1) gr->tile_rows = 1;
    if (gr->tile_rows > gr->rows) gr->tile_rows = gr->rows;
    gr->sh = sl__alloc(ctx, sizeof(sl_node) * (size_t)nm, 0, who);
    gr->slot = sl__alloc(ctx, sizeof(int) * (size_t)nm, 0, who);
    gr->outp = sl__alloc(ctx, sizeof(void *) * (size_t)nm, 0, who);
    gr->first = sl__alloc(ctx, sizeof(int) * (size_t)(nm + 1), 0, who);
    gr->kind = sl__alloc(ctx, sizeof(int) * (size_t)nin, 0, who);
    gr->src = sl__alloc(ctx, sizeof(int) * (size_t)nin, 0, who);
    gr->inp = sl__alloc(ctx, sizeof(void *) * (size_t)nin, 0, who);
    gr->shin = sl__alloc(ctx, sizeof(sl_node *) * (size_t)nin, 0, who);
    if (!gr->sh || !gr->slot || !gr->outp || !gr->first || !gr->kind || !gr->src || !gr->inp || !gr->shin)
        return SL_ERR_NOMEM;
    /* the shadows: rank 2, (rows of the block, cols) */
    gr->full_sh = *n0;
    gr->full_sh.rank = 2;
    gr->full_sh.shape[1] = gr->cols;
    gr->full_sh.in = NULL;
    gr->full_sh.nin = 0;
    gr->row_sh = gr->full_sh;
    gr->row_sh.shape[0] = 1;
    gr->row_sh.numel = gr->cols;
    int slots = 0, e = 0;
    for (int m = 0; m < nm; ++m) {
        int k = gr->k0 + m;
        sl_node *nd = p->steps[k].node;
        int internal = last[nd->id] < gr->k1 && !(keep && keep[k]);
        f->internal[k] = (char)internal;
        f->group_of[k] = (int)(gr - f->g);
        gr->slot[m] = internal ? slots++ : -1;
        gr->sh[m] = *nd;
        gr->sh[m].rank = 2;
        gr->sh[m].shape[1] = gr->cols;
        gr->sh[m].in = gr->shin + e;
        gr->first[m] = e;
        for (int j = 0; j < nd->nin; ++j, ++e) {
            sl_node *x = nd->in[j];
            int kd = input_kind(nd, x);
            if (kd == IN_FULL && member[x->id]) kd = IN_MEMBER;
            gr->kind[e] = kd;
            gr->src[e] = kd == IN_MEMBER ? member[x->id] - 1 : x->id;
            gr->shin[e] = kd == IN_FULL || kd == IN_MEMBER ? &gr->full_sh : kd == IN_BLOCK ? &gr->row_sh : x;
        }
    }
    gr->first[nm] = e;
    gr->cur_rows = -1;
    set_rows(gr, gr->tile_rows);
    size_t need = (size_t)slots * (size_t)(gr->tile_rows * gr->cols);
    if (need > *tile_need) *tile_need = need;
    return SL_OK;
}

sl_status sl__fuse_build(sl_plan *p, const char *cached, const char *keep, const char *who)
{
    sl_ctx *ctx = p->ctx;
    p->fz = NULL;
    int n = p->nsteps;
    if (!p->fuse || n < 2) return SL_OK;
    sl_fuse *f = sl__alloc(ctx, sizeof *f, 1, who);
    int *last = sl__alloc(ctx, sizeof(int) * (size_t)p->nnodes, 0, who);
    int *member = sl__alloc(ctx, sizeof(int) * (size_t)p->nnodes, 1, who);
    sl_status st = SL_ERR_NOMEM;
    if (!f || !last || !member) goto done;
    f->group_of = sl__alloc(ctx, sizeof(int) * (size_t)n, 0, who);
    f->internal = sl__alloc(ctx, (size_t)n, 1, who);
    f->g = sl__alloc(ctx, sizeof(fgroup) * (size_t)(n / 2 + 1), 1, who);
    if (!f->group_of || !f->internal || !f->g) goto done;
    /* last reader of each value (nsteps: an output) */
    for (int id = 0; id < p->nnodes; ++id) last[id] = -1;
    for (int k = 0; k < n; ++k) {
        const sl_node *nd = p->steps[k].node;
        f->group_of[k] = -1;
        for (int j = 0; j < nd->nin; ++j) last[nd->in[j]->id] = k;
    }
    for (int i = 0; i < p->nout; ++i) last[p->outputs[i]->id] = n;
    size_t tile_need = 0;
    for (int k = 0; k < n;) {
        const sl_node *nd = p->steps[k].node;
        if ((cached && cached[k]) || !joins(p->fuse, nd, NULL)) { ++k; continue; }
        int k1 = k + 1;
        while (k1 < n && !(cached && cached[k1]) && joins(p->fuse, p->steps[k1].node, nd)) ++k1;
        if (k1 - k < 2) { k = k1; continue; }
        fgroup *gr = &f->g[f->ngroups++];
        gr->k0 = k, gr->k1 = k1;
        for (int q = k; q < k1; ++q) member[p->steps[q].node->id] = q - k + 1;
        if (build_group(p, f, gr, last, member, keep, &tile_need, who)) goto done;
        for (int q = k; q < k1; ++q) member[p->steps[q].node->id] = 0;
        k = k1;
    }
    if (tile_need) {
        f->tiles = sl__alloc(ctx, sizeof(double) * tile_need, 0, who);
        if (!f->tiles) goto done;
        f->tile_doubles = tile_need;
    }
    st = SL_OK;
done:
    sl__free(ctx, last);
    sl__free(ctx, member);
    if (st) {
        sl__fuse_free(ctx, f);
        return st;
    }
    if (!f->ngroups) {
        sl__fuse_free(ctx, f);
        f = NULL;
    }
    p->fz = f;
    return SL_OK;
}

int sl__fuse_group(const sl_plan *p, int k, int *k0, int *k1)
{
    if (!p->fz || p->fz->group_of[k] < 0) return 0;
    const fgroup *gr = &p->fz->g[p->fz->group_of[k]];
    *k0 = gr->k0, *k1 = gr->k1;
    return 1;
}

int sl__fuse_internal(const sl_plan *p, int k) { return p->fz && p->fz->internal[k]; }

void sl__fuse_run(sl_plan *p, int k)
{
    sl_fuse *f = p->fz;
    fgroup *gr = &f->g[f->group_of[k]];
    int nm = gr->k1 - gr->k0;
    int64_t cols = gr->cols, tile = gr->tile_rows * cols;
    for (int64_t b = 0; b < gr->blocks; ++b)
        for (int64_t r0 = 0; r0 < gr->rows; r0 += gr->tile_rows) {
            int64_t nr = gr->rows - r0 < gr->tile_rows ? gr->rows - r0 : gr->tile_rows;
            int64_t off = (b * gr->rows + r0) * cols;   /* elements */
            set_rows(gr, nr);
            for (int m = 0; m < nm; ++m) {
                sl_node *nd = p->steps[gr->k0 + m].node;
                void **inp = gr->inp + gr->first[m];
                for (int j = 0; j < nd->nin; ++j) {
                    int e = gr->first[m] + j;
                    switch (gr->kind[e]) {
                    case IN_FULL: inp[j] = (double *)p->vals[gr->src[e]] + off; break;
                    case IN_MEMBER: inp[j] = gr->outp[gr->src[e]]; break;
                    case IN_BLOCK: inp[j] = (double *)p->vals[gr->src[e]] + b * cols; break;
                    default: inp[j] = p->vals[gr->src[e]]; break;
                    }
                }
                gr->outp[m] = gr->slot[m] >= 0 ? (void *)(f->tiles + (size_t)gr->slot[m] * (size_t)tile)
                                               : (void *)((double *)p->vals[nd->id] + off);
                nd->def->eval(&gr->sh[m], gr->outp[m], inp, p->scratch);
            }
        }
}
