/* Plans: compile the nodes an output set needs into a fixed schedule with one
 * buffer arena (buffers reused once their last reader has run), then run it
 * any number of times without allocating. */
#include "plan_internal.h"

#include "../tensor/tensor_internal.h"

#include <math.h>
#include <stdint.h>

/* ---- Buffer placement ----------------------------------------------------------- */
typedef struct { size_t off, size; } block;

static size_t round_up(size_t x) { return (x + SL_ALIGN - 1) & ~(size_t)(SL_ALIGN - 1); }

/* First fit in a free list kept sorted by offset; grows the high-water mark. */
static size_t place(block *free_list, int *nfree, size_t size, size_t *top)
{
    for (int i = 0; i < *nfree; ++i)
        if (free_list[i].size >= size) {
            size_t off = free_list[i].off;
            free_list[i].off += size;
            free_list[i].size -= size;
            if (!free_list[i].size) {
                memmove(free_list + i, free_list + i + 1, sizeof(block) * (size_t)(*nfree - i - 1));
                (*nfree)--;
            }
            return off;
        }
    /* extend the last free block if it touches the top */
    if (*nfree && free_list[*nfree - 1].off + free_list[*nfree - 1].size == *top) {
        size_t off = free_list[*nfree - 1].off;
        (*nfree)--;
        *top = off + size;
        return off;
    }
    size_t off = *top;
    *top += size;
    return off;
}

static void release(block *free_list, int *nfree, size_t off, size_t size)
{
    int i = 0;
    while (i < *nfree && free_list[i].off < off) ++i;
    memmove(free_list + i + 1, free_list + i, sizeof(block) * (size_t)(*nfree - i));
    free_list[i].off = off;
    free_list[i].size = size;
    (*nfree)++;
    /* merge with neighbours */
    if (i + 1 < *nfree && free_list[i].off + free_list[i].size == free_list[i + 1].off) {
        free_list[i].size += free_list[i + 1].size;
        memmove(free_list + i + 1, free_list + i + 2, sizeof(block) * (size_t)(*nfree - i - 2));
        (*nfree)--;
    }
    if (i > 0 && free_list[i - 1].off + free_list[i - 1].size == free_list[i].off) {
        free_list[i - 1].size += free_list[i].size;
        memmove(free_list + i, free_list + i + 1, sizeof(block) * (size_t)(*nfree - i - 1));
        (*nfree)--;
    }
}

void sl_plan_destroy(sl_plan *p)
{
    if (!p) return;
    sl_ctx *ctx = p->ctx;
    if (p->steps)
        for (int i = 0; i < p->nsteps; ++i) sl__free(ctx, p->steps[i].in);
    sl__free(ctx, p->steps);
    sl__free(ctx, p->vals);
    sl__free(ctx, p->outputs);
    sl__free(ctx, p->inputs);
    sl__free(ctx, p->bound);
    sl__free(ctx, p->bound_t);
    sl__free(ctx, p->stage);
    sl__free(ctx, p->cached);
    sl__fuse_free(ctx, p->fz);
    sl__free(ctx, p->arena);
    sl__free(ctx, p->scratch);
    sl__free(ctx, p);
}

/* Buffer placement: each step's value gets arena space from its step to its
 * last reader (outputs to the end of the run); strided inputs and the values
 * in keep (cached across runs) get permanent space of their own.  Replaces the
 * arena (values are lost). */
static sl_status plan_layout(sl_plan *p, const char *keep, const char *who)
{
    sl_ctx *ctx = p->ctx;
    int N = p->nnodes, nsteps = p->nsteps;
    int *last = sl__alloc(ctx, sizeof(int) * (size_t)N, 0, who);
    size_t *off = sl__alloc(ctx, sizeof(size_t) * (size_t)N, 0, who);
    block *fl = sl__alloc(ctx, sizeof(block) * (size_t)(N + 1), 0, who);
    size_t *stage = sl__alloc(ctx, sizeof(size_t) * (size_t)(p->ninputs ? p->ninputs : 1), 0, who);
    sl_status st = SL_ERR_NOMEM;
    if (!last || !off || !fl || !stage) goto done;
    for (int id = 0; id < N; ++id) last[id] = -1;
    for (int k = 0; k < nsteps; ++k) {
        sl_node *nd = p->steps[k].node;
        for (int j = 0; j < nd->nin; ++j) last[nd->in[j]->id] = k;
    }
    for (int i = 0; i < p->nout; ++i) last[p->outputs[i]->id] = nsteps;
    if (keep)
        for (int k = 0; k < nsteps; ++k)
            if (keep[k]) last[p->steps[k].node->id] = nsteps + 1;   /* never released */
    size_t top = 0;
    int nfree = 0;
    for (int i = 0; i < p->ninputs; ++i) {
        stage[i] = top;
        top += round_up((size_t)p->inputs[i]->numel * sl__dtype_size(p->inputs[i]->dtype));
    }
    /* kept values are live across runs, through every step: space of their own */
    if (keep)
        for (int k = 0; k < nsteps; ++k)
            if (keep[k]) {
                sl_node *nd = p->steps[k].node;
                off[nd->id] = top;
                top += round_up((size_t)nd->numel * sl__dtype_size(nd->dtype));
            }
    for (int k = 0; k < nsteps;) {
        /* a fused group [k, k1) runs as one step: its stored values are all
         * placed before any of its inputs is released; the values its
         * members keep in tiles get no space (off = SIZE_MAX) */
        int k0 = k, k1 = k + 1;
        if (!sl__fuse_group(p, k, &k0, &k1)) k0 = k, k1 = k + 1;
        for (int q = k0; q < k1; ++q) {
            sl_node *nd = p->steps[q].node;
            if (sl__fuse_internal(p, q)) off[nd->id] = SIZE_MAX;
            else if (!keep || !keep[q])
                off[nd->id] = place(fl, &nfree, round_up((size_t)nd->numel * sl__dtype_size(nd->dtype)), &top);
        }
        for (int q = k0; q < k1; ++q) {
            sl_node *nd = p->steps[q].node;
            for (int j = 0; j < nd->nin; ++j) {
                sl_node *in = nd->in[j];
                if (last[in->id] < k0 || last[in->id] >= k1 || in->def->leaf || off[in->id] == SIZE_MAX) continue;
                int dup = 0;   /* released once: at its first reading in the group */
                for (int q2 = k0; q2 <= q && !dup; ++q2) {
                    const sl_node *m = p->steps[q2].node;
                    for (int j2 = 0; j2 < (q2 == q ? j : m->nin); ++j2) dup |= m->in[j2] == in;
                }
                if (!dup) release(fl, &nfree, off[in->id], round_up((size_t)in->numel * sl__dtype_size(in->dtype)));
            }
        }
        /* a node nobody reads (not an output) is released at once */
        for (int q = k0; q < k1; ++q) {
            sl_node *nd = p->steps[q].node;
            if (last[nd->id] < 0 && off[nd->id] != SIZE_MAX)
                release(fl, &nfree, off[nd->id], round_up((size_t)nd->numel * sl__dtype_size(nd->dtype)));
        }
        k = k1;
    }
    char *arena = sl__alloc(ctx, top ? top : SL_ALIGN, 0, who);
    if (!arena) goto done;
    sl__free(ctx, p->arena);
    p->arena = arena;
    p->arena_bytes = top;
    for (int k = 0; k < nsteps; ++k) {
        int id = p->steps[k].node->id;
        p->vals[id] = off[id] == SIZE_MAX ? NULL : p->arena + off[id];
    }
    for (int i = 0; i < p->ninputs; ++i) p->stage[i] = p->arena + stage[i];
    st = SL_OK;
done:
    sl__free(ctx, last);
    sl__free(ctx, off);
    sl__free(ctx, fl);
    sl__free(ctx, stage);
    return st;
}

sl_status sl_plan_create(sl_graph *g, int nout, sl_node *const *outputs, sl_plan **out)
{
    const char *who = "sl_plan_create";
    if (!g) return SL_ERR_NULL;
    sl_ctx *ctx = g->ctx;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (g->status)
        return sl__fail(ctx, g->status, "%s: the graph has an error: %s", who, sl_status_string(g->status));
    if (nout < 1 || !outputs) return sl__fail(ctx, SL_ERR_ARG, "%s: nout = %d (need >= 1 outputs)", who, nout);
    for (int i = 0; i < nout; ++i) {
        if (!outputs[i]) return sl__fail(ctx, SL_ERR_NULL, "%s: outputs[%d] is NULL", who, i);
        if (outputs[i]->g != g) return sl__fail(ctx, SL_ERR_GRAPH, "%s: outputs[%d] is from another graph", who, i);
    }
    sl_plan *p = sl__alloc(ctx, sizeof *p, 1, who);
    if (!p) return SL_ERR_NOMEM;
    p->ctx = ctx;
    p->g = g;
    p->nnodes = g->nnodes;
    p->nout = nout;
    p->check_finite = 1;
    int N = g->nnodes;
    char *need = sl__alloc(ctx, (size_t)N, 1, who);
    p->vals = sl__alloc(ctx, sizeof(void *) * (size_t)N, 1, who);
    p->outputs = sl__alloc(ctx, sizeof(sl_node *) * (size_t)nout, 0, who);
    sl_status st = SL_ERR_NOMEM;
    if (!need || !p->vals || !p->outputs) goto done;
    memcpy(p->outputs, outputs, sizeof(sl_node *) * (size_t)nout);

    for (int i = 0; i < nout; ++i) need[outputs[i]->id] = 1;
    for (int id = N - 1; id >= 0; --id) {
        if (!need[id]) continue;
        sl_node *nd = g->nodes[id];
        for (int j = 0; j < nd->nin; ++j) need[nd->in[j]->id] = 1;
    }
    int nsteps = 0, ninputs = 0;
    for (int id = 0; id < N; ++id) {
        if (!need[id]) continue;
        if (g->nodes[id]->def == &sl__op_input) ninputs++;
        else if (!g->nodes[id]->def->leaf) nsteps++;
    }
    p->steps = sl__alloc(ctx, sizeof(plan_step) * (size_t)(nsteps ? nsteps : 1), 1, who);
    p->inputs = sl__alloc(ctx, sizeof(sl_node *) * (size_t)(ninputs ? ninputs : 1), 0, who);
    p->bound = sl__alloc(ctx, sizeof(void *) * (size_t)(ninputs ? ninputs : 1), 1, who);
    p->bound_t = sl__alloc(ctx, sizeof(void *) * (size_t)(ninputs ? ninputs : 1), 1, who);
    p->stage = sl__alloc(ctx, sizeof(char *) * (size_t)(ninputs ? ninputs : 1), 1, who);
    if (!p->steps || !p->inputs || !p->bound || !p->bound_t || !p->stage) goto done;

    /* Schedule in creation order (a topological order). */
    int s = 0;
    size_t scratch = 0;
    for (int id = 0; id < N; ++id) {
        if (!need[id]) continue;
        sl_node *nd = g->nodes[id];
        if (nd->def == &sl__op_input) { p->inputs[p->ninputs++] = nd; continue; }
        if (nd->def->leaf) { p->vals[id] = nd->data; continue; }
        p->steps[s].node = nd;
        p->steps[s].in = sl__alloc(ctx, sizeof(void *) * (size_t)(nd->nin ? nd->nin : 1), 0, who);
        if (!p->steps[s].in) { p->nsteps = s + 1; goto done; }
        if (nd->def->scratch) {
            size_t b = nd->def->scratch(nd);
            if (b > scratch) scratch = b;
        }
        ++s;
    }
    p->nsteps = nsteps;
    p->scratch = scratch ? sl__alloc(ctx, scratch, 0, who) : NULL;
    if (scratch && !p->scratch) goto done;
    p->fuse = sl__fuse_enabled();
    if (p->fuse && (sl__fuse_order(p, who) || sl__fuse_build(p, NULL, NULL, who))) goto done;
    if (plan_layout(p, NULL, who)) goto done;
    st = SL_OK;
done:
    sl__free(ctx, need);
    if (st) {
        sl_plan_destroy(p);
        return sl__fail(ctx, st, "%s: out of memory", who);
    }
    *out = p;
    return SL_OK;
}

static int input_slot(const sl_plan *p, const sl_node *n)
{
    for (int i = 0; i < p->ninputs; ++i)
        if (p->inputs[i] == n) return i;
    return -1;
}

static sl_status check_input(sl_plan *p, const char *who, const sl_node *n)
{
    if (!n) return sl__fail(p->ctx, SL_ERR_NULL, "%s: input node is NULL", who);
    if (n->g != p->g) return sl__fail(p->ctx, SL_ERR_GRAPH, "%s: node is from another graph", who);
    if (n->def != &sl__op_input)
        return sl__fail(p->ctx, SL_ERR_ARG, "%s: node '%s' is a %s, not an input", who, sl_node_name(n), n->def->name);
    return SL_OK;
}

sl_status sl_plan_bind(sl_plan *p, sl_node *input, const void *data)
{
    if (!p) return SL_ERR_NULL;
    const char *who = "sl_plan_bind";
    sl_status st = check_input(p, who, input);
    if (st) return st;
    if (!data) return sl__fail(p->ctx, SL_ERR_NULL, "%s: data for input '%s' is NULL", who, sl_node_name(input));
    int i = input_slot(p, input);
    if (i < 0) return SL_OK;      /* the outputs do not read it */
    p->bound[i] = data;
    p->bound_t[i] = NULL;
    p->cache_valid = 0;
    return SL_OK;
}

sl_status sl_plan_bind_tensor(sl_plan *p, sl_node *input, const sl_tensor *t)
{
    if (!p) return SL_ERR_NULL;
    const char *who = "sl_plan_bind_tensor";
    sl_status st = check_input(p, who, input);
    if (st) return st;
    if (!t) return sl__fail(p->ctx, SL_ERR_NULL, "%s: tensor for input '%s' is NULL", who, sl_node_name(input));
    if (t->dtype != input->dtype)
        return sl__fail(p->ctx, SL_ERR_DTYPE, "%s: input '%s' is %s, tensor is %s", who, sl_node_name(input),
                        sl__dtype_name(input->dtype), sl__dtype_name(t->dtype));
    if (t->rank != input->rank || memcmp(t->shape, input->shape, sizeof(int64_t) * (size_t)t->rank))
        return sl__fail(p->ctx, SL_ERR_SHAPE, "%s: tensor shape differs from input '%s'", who, sl_node_name(input));
    int i = input_slot(p, input);
    if (i < 0) return SL_OK;
    if (sl_tensor_is_contiguous(t)) { p->bound[i] = t->data; p->bound_t[i] = NULL; }
    else { p->bound[i] = NULL; p->bound_t[i] = t; }
    p->cache_valid = 0;
    return SL_OK;
}

sl_status sl_plan_set_check_finite(sl_plan *p, int on)
{
    if (!p) return SL_ERR_NULL;
    if (on != 0 && on != 1)
        return sl__fail(p->ctx, SL_ERR_ARG, "sl_plan_set_check_finite: on = %d (must be 0 or 1)", on);
    p->check_finite = on;
    return SL_OK;
}

static sl_status plan_run(sl_plan *p);

/* The context's thread count holds for this call only (sl__threads_enter). */
sl_status sl_plan_run(sl_plan *p)
{
    if (!p) return SL_ERR_NULL;
    sl_thread_state threads;
    sl__threads_enter(p->ctx, &threads);
    sl_status st = plan_run(p);
    sl__threads_leave(&threads);
    return st;
}

static sl_status plan_run(sl_plan *p)
{
    const char *who = "sl_plan_run";
    int reuse = p->cache && p->cache_valid;   /* the data have not been rebound since the last run */
    for (int i = 0; i < p->ninputs; ++i) {
        sl_node *in = p->inputs[i];
        void *v;
        if (p->bound_t[i]) {
            v = p->stage[i];
            if (!reuse) sl__tensor_gather(p->bound_t[i], v);
        } else if (p->bound[i]) {
            v = (void *)p->bound[i];
        } else {
            return sl__fail(p->ctx, SL_ERR_UNBOUND, "%s: input '%s' has no data bound", who, sl_node_name(in));
        }
        if (p->check_finite && !reuse) {
            int64_t bad = sl__first_nonfinite(v, (size_t)in->numel * sl__dtype_size(in->dtype) / 8);
            if (bad >= 0)
                return sl__fail(p->ctx, SL_ERR_NONFINITE, "%s: input '%s' element %lld is not finite", who,
                                sl_node_name(in), (long long)(in->dtype == SL_C128 ? bad / 2 : bad));
        }
        p->vals[in->id] = v;
    }
    for (int k = 0; k < p->nsteps; ++k) {
        if (reuse && p->cached[k]) continue;
        int k0, k1;
        if (sl__fuse_group(p, k, &k0, &k1)) {   /* k is its first step: groups are run as one */
            sl__fuse_run(p, k);
            k = k1 - 1;
            continue;
        }
        plan_step *s = &p->steps[k];
        sl_node *nd = s->node;
        for (int j = 0; j < nd->nin; ++j) s->in[j] = p->vals[nd->in[j]->id];
        nd->def->eval(nd, p->vals[nd->id], s->in, p->scratch);
    }
    p->cache_valid = p->cache;
    return SL_OK;
}

/* Steps whose node depends on inputs and constants alone (no param) are run
 * once per bind; those that a later step or an output reads keep their
 * buffers for the life of the plan (a new layout of the arena). */
sl_status sl_plan_set_cache_data(sl_plan *p, int on)
{
    if (!p) return SL_ERR_NULL;
    const char *who = "sl_plan_set_cache_data";
    if (on != 0 && on != 1) return sl__fail(p->ctx, SL_ERR_ARG, "%s: on = %d (must be 0 or 1)", who, on);
    p->cache_valid = 0;
    if (!on || p->cache) { p->cache = on != 0; return SL_OK; }
    sl_ctx *ctx = p->ctx;
    char *data = sl__alloc(ctx, (size_t)p->nnodes, 1, who);   /* per node id: a function of the data alone */
    char *cached = sl__alloc(ctx, (size_t)(p->nsteps ? p->nsteps : 1), 1, who);
    char *keep = sl__alloc(ctx, (size_t)(p->nsteps ? p->nsteps : 1), 1, who);
    sl_status st = SL_ERR_NOMEM;
    if (!data || !cached || !keep) goto done;
    for (int id = 0; id < p->nnodes; ++id) {
        const sl_node *nd = p->g->nodes[id];
        if (nd->def == &sl__op_param) continue;
        int d = 1;
        for (int j = 0; j < nd->nin; ++j) d &= data[nd->in[j]->id];
        data[id] = (char)d;
    }
    int any = 0;
    for (int k = 0; k < p->nsteps; ++k) any |= cached[k] = data[p->steps[k].node->id];
    /* keep a cached value that a step run every time, or an output, reads
     * (data[] now marks the cached values being read so) */
    for (int k = 0; k < p->nsteps; ++k) data[p->steps[k].node->id] = 0;
    for (int k = 0; k < p->nsteps; ++k) {
        const sl_node *nd = p->steps[k].node;
        if (!cached[k])
            for (int j = 0; j < nd->nin; ++j) data[nd->in[j]->id] = 1;
    }
    for (int i = 0; i < p->nout; ++i) data[p->outputs[i]->id] = 1;
    for (int k = 0; k < p->nsteps; ++k) keep[k] = cached[k] && data[p->steps[k].node->id];
    st = SL_OK;
    if (any) {
        /* regroup without the cached steps; the old groups back if that fails */
        sl_fuse *old = p->fz;
        st = sl__fuse_build(p, cached, keep, who);
        if (!st) st = plan_layout(p, keep, who);
        if (st) {
            sl__fuse_free(ctx, p->fz);
            p->fz = old;
        } else {
            sl__fuse_free(ctx, old);
        }
    }
    if (!st) {
        sl__free(ctx, p->cached);
        p->cached = cached;
        cached = NULL;
        p->cache = 1;
    }
done:
    sl__free(ctx, data);
    sl__free(ctx, cached);
    sl__free(ctx, keep);
    if (st) return sl__fail(ctx, st, "%s: out of memory", who);
    return SL_OK;
}

const void *sl_plan_output(const sl_plan *p, int i)
{
    if (!p || i < 0 || i >= p->nout) return NULL;
    return p->vals[p->outputs[i]->id];
}

const void *sl_plan_value(const sl_plan *p, const sl_node *n)
{
    if (!p || !n) return NULL;
    for (int i = 0; i < p->nout; ++i)
        if (p->outputs[i] == n) return p->vals[n->id];
    return NULL;
}

double sl_plan_scalar(const sl_plan *p, int i)
{
    if (!p || i < 0 || i >= p->nout || p->outputs[i]->dtype != SL_F64 || p->outputs[i]->numel != 1)
        return (double)NAN;
    return *(const double *)p->vals[p->outputs[i]->id];
}

size_t sl_plan_bytes(const sl_plan *p) { return p ? p->arena_bytes : 0; }
int sl_plan_steps(const sl_plan *p) { return p ? p->nsteps : 0; }
