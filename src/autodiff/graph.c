/* The graph: arena, node creation, leaves (inputs, params, constants), queries. */
#include "graph_internal.h"

#include <math.h>
#include <stdio.h>

#define CHUNK_BYTES (256 * 1024)

struct sl_arena_chunk {
    sl_arena_chunk *next;
    size_t used, cap;
    char *mem;
};

sl_status sl_graph_create(sl_ctx *ctx, sl_graph **out)
{
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "sl_graph_create: out is NULL");
    *out = NULL;
    sl_graph *g = sl__alloc(ctx, sizeof *g, 1, "sl_graph_create");
    if (!g) return SL_ERR_NOMEM;
    g->ctx = ctx;
    *out = g;
    return SL_OK;
}

void sl_graph_destroy(sl_graph *g)
{
    if (!g) return;
    for (int i = 0; i < g->nnodes; ++i)
        if (g->nodes[i]->data && g->nodes[i]->def->leaf) sl__free(g->ctx, g->nodes[i]->data);
    for (sl_arena_chunk *c = g->chunks, *nx; c; c = nx) {
        nx = c->next;
        sl__free(g->ctx, c);
    }
    sl__free(g->ctx, g->nodes);
    sl__free(g->ctx, g);
}

sl_status sl_graph_status(const sl_graph *g) { return g ? g->status : SL_ERR_NULL; }
sl_ctx *sl_graph_ctx(const sl_graph *g) { return g ? g->ctx : NULL; }
int sl_graph_node_count(const sl_graph *g) { return g ? g->nnodes : 0; }

void *sl__graph_mem(sl_graph *g, size_t bytes)
{
    bytes = (bytes + SL_ALIGN - 1) & ~(size_t)(SL_ALIGN - 1);
    sl_arena_chunk *c = g->chunks;
    if (!c || c->used + bytes > c->cap) {
        size_t cap = bytes > CHUNK_BYTES ? bytes : CHUNK_BYTES;
        size_t head = (sizeof *c + SL_ALIGN - 1) & ~(size_t)(SL_ALIGN - 1);
        c = sl__alloc(g->ctx, head + cap, 0, "graph arena");
        if (!c) return NULL;
        c->mem = (char *)c + head;
        c->used = 0;
        c->cap = cap;
        c->next = g->chunks;
        g->chunks = c;
    }
    void *p = c->mem + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
}

sl_node *sl__gfail(sl_graph *g, sl_status st, const char *fmt, ...)
{
    if (!g || g->status) return NULL;
    g->status = st;
    va_list ap;
    va_start(ap, fmt);
    sl__vfail(g->ctx, st, fmt, ap);
    va_end(ap);
    return NULL;
}

sl_node *sl__gkeep(sl_graph *g, sl_status st)
{
    if (!g || g->status) return NULL;
    g->status = st;
    g->ctx->last = st;
    return NULL;
}

sl_node *sl__gwho(sl_graph *g, sl_status before, const char *who, sl_node *r)
{
    if (g && before == SL_OK && g->status) sl__rewho(g->ctx, g->status, who);
    return r;
}

int sl__gshape_ok(sl_graph *g, const char *who, int rank, const int64_t *shape)
{
    int64_t n;
    sl_status st = sl__product(g->ctx, SL_ERR_SHAPE, who, "the result's element count", rank, shape, &n);
    if (st) sl__gkeep(g, st);
    return st == SL_OK;
}

int sl__gcheck(sl_graph *g, const char *who, int n, sl_node *const *xs)
{
    if (!g) return 0;
    if (g->status) return 0;
    for (int i = 0; i < n; ++i) {
        if (!xs[i]) {
            sl__gfail(g, SL_ERR_NULL, "%s: node argument %d is NULL", who, i + 1);
            return 0;
        }
        if (xs[i]->g != g) {
            sl__gfail(g, SL_ERR_GRAPH, "%s: node argument %d belongs to another graph", who, i + 1);
            return 0;
        }
    }
    return 1;
}

sl_node *sl__node_new(sl_graph *g, const sl_opdef *def, sl_dtype dtype, int rank,
                      const int64_t *shape, int nin, sl_node *const *in)
{
    int64_t numel = 1;
    for (int i = 0; i < rank; ++i)
        if (!sl__mul_ok(numel, shape[i], &numel))
            return sl__gfail(g, SL_ERR_SHAPE, "%s node: the result would have more than 2^56 elements", def->name);
    if (g->nnodes == g->cap) {
        if (g->cap > (1 << 29)) return sl__gfail(g, SL_ERR_NOMEM, "%s node: the graph has 2^29 nodes", def->name);
        int cap = g->cap ? 2 * g->cap : 256;
        sl_node **nn = sl__alloc(g->ctx, sizeof *nn * (size_t)cap, 0, "graph");
        if (!nn) { g->status = SL_ERR_NOMEM; return NULL; }
        if (g->nodes) memcpy(nn, g->nodes, sizeof *nn * (size_t)g->nnodes);
        sl__free(g->ctx, g->nodes);
        g->nodes = nn;
        g->cap = cap;
    }
    sl_node *n = sl__graph_mem(g, sizeof *n + sizeof(sl_node *) * (size_t)nin);
    if (!n) { g->status = SL_ERR_NOMEM; return NULL; }
    n->g = g;
    n->def = def;
    n->id = g->nnodes;
    n->dtype = dtype;
    n->rank = rank;
    n->numel = numel;
    for (int i = 0; i < rank; ++i) n->shape[i] = shape[i];
    n->nin = nin;
    n->in = (sl_node **)(n + 1);
    for (int i = 0; i < nin; ++i) n->in[i] = in[i];
    g->nodes[g->nnodes++] = n;
    return n;
}

void *sl__node_attr(sl_node *n, const char *who, size_t bytes)
{
    void *a = sl__graph_mem(n->g, bytes);
    if (!a) return sl__gfail(n->g, SL_ERR_NOMEM, "%s: out of memory", who), NULL;
    n->attr = a;
    return a;
}

/* ---- Leaves ---------------------------------------------------------------- */

const sl_opdef sl__op_input = {"input", NULL, NULL, NULL, 1};
const sl_opdef sl__op_param = {"param", NULL, NULL, NULL, 1};
const sl_opdef sl__op_const = {"constant", NULL, NULL, NULL, 1};

static sl_node *leaf(sl_graph *g, const char *who, const sl_opdef *def, sl_dtype dtype, int rank,
                     const int64_t *shape, const void *data, const char *name)
{
    if (!g || g->status) return NULL;
    if (!sl__dtype_ok(dtype))
        return sl__gfail(g, SL_ERR_DTYPE, "%s: dtype = %d (must be SL_F64 or SL_C128)", who, dtype);
    sl_status st = sl__check_shape(g->ctx, who, rank, shape);
    if (st) return sl__gkeep(g, st);
    size_t bytes = (size_t)sl__numel(rank, shape) * sl__dtype_size(dtype);
    if (data) {
        int64_t bad = sl__first_nonfinite(data, bytes / sizeof(double));
        if (bad >= 0)
            return sl__gfail(g, SL_ERR_NONFINITE, "%s: %s data element %lld is not finite", who,
                             name ? name : "", (long long)(dtype == SL_C128 ? bad / 2 : bad));
    }
    sl_node *n = sl__node_new(g, def, dtype, rank, shape, 0, NULL);
    if (!n) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
    if (def != &sl__op_input) {
        n->data = sl__alloc(g->ctx, bytes, data == NULL, who);
        if (!n->data) return sl__gfail(g, SL_ERR_NOMEM, "%s: out of memory", who);
        if (data) memcpy(n->data, data, bytes);
    }
    if (name) {
        size_t len = strlen(name);
        n->name = sl__graph_mem(g, len + 1);
        if (n->name) memcpy(n->name, name, len + 1);
    }
    return n;
}

sl_node *sl_graph_input(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape, const char *name)
{
    return leaf(g, "sl_graph_input", &sl__op_input, dtype, rank, shape, NULL, name);
}

sl_node *sl_graph_param(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                        const void *init, const char *name)
{
    return leaf(g, "sl_graph_param", &sl__op_param, dtype, rank, shape, init, name);
}

sl_node *sl_graph_constant(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                           const void *data)
{
    if (g && !g->status && !data) return sl__gfail(g, SL_ERR_NULL, "sl_graph_constant: data is NULL");
    return leaf(g, "sl_graph_constant", &sl__op_const, dtype, rank, shape, data, NULL);
}

sl_node *sl_graph_constant_tensor(sl_graph *g, const sl_tensor *t)
{
    if (!g || g->status) return NULL;
    if (!t) return sl__gfail(g, SL_ERR_NULL, "sl_graph_constant_tensor: tensor is NULL");
    int rank = sl_tensor_rank(t);
    int64_t shape[SL_MAX_RANK];
    for (int i = 0; i < rank; ++i) shape[i] = sl_tensor_dim(t, i);
    sl_node *n = leaf(g, "sl_graph_constant_tensor", &sl__op_const, sl_tensor_dtype(t), rank, shape,
                      NULL, NULL);
    if (!n) return NULL;
    sl_tensor *view;
    if (sl_tensor_wrap(g->ctx, n->dtype, rank, shape, NULL, n->data, &view))
        return sl__gfail(g, SL_ERR_NOMEM, "sl_graph_constant_tensor: out of memory");
    sl_tensor_copy(view, t);
    sl_tensor_destroy(view);
    if (sl__first_nonfinite(n->data, (size_t)n->numel * sl__dtype_size(n->dtype) / 8) >= 0)
        return sl__gfail(g, SL_ERR_NONFINITE, "sl_graph_constant_tensor: tensor has NaN or Inf");
    return n;
}

static sl_node *full(sl_graph *g, const char *who, sl_dtype dtype, int rank, const int64_t *shape, double re,
                     double im)
{
    if (!g || g->status) return NULL;
    if (!isfinite(re) || !isfinite(im))
        return sl__gfail(g, SL_ERR_NONFINITE, "%s: value (%g, %g) is not finite", who, re, im);
    if (dtype == SL_F64 && im != 0)
        return sl__gfail(g, SL_ERR_DTYPE, "%s: imaginary part %g for an f64 node", who, im);
    sl_node *n = leaf(g, who, &sl__op_const, dtype, rank, shape, NULL, NULL);
    if (!n) return NULL;
    n->fill = 1;
    n->s[0] = re;
    n->s[1] = im;
    if (re != 0 || im != 0) {
        double *d = n->data;
        for (int64_t i = 0; i < n->numel; ++i) {
            if (dtype == SL_C128) { d[2 * i] = re; d[2 * i + 1] = im; }
            else d[i] = re;
        }
    }
    return n;
}

sl_node *sl_graph_full(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape, double re, double im)
{
    return full(g, "sl_graph_full", dtype, rank, shape, re, im);
}

sl_node *sl_graph_scalar(sl_graph *g, double value)
{
    return full(g, "sl_graph_scalar", SL_F64, 0, NULL, value, 0);
}

sl_node *sl_graph_eye(sl_graph *g, sl_dtype dtype, int64_t n)
{
    if (!g || g->status) return NULL;
    int64_t shape[2] = {n, n};
    sl_node *e = leaf(g, "sl_graph_eye", &sl__op_const, dtype, 2, shape, NULL, NULL);
    if (!e) return NULL;
    double *d = e->data;
    for (int64_t i = 0; i < n; ++i) d[(i * n + i) * (dtype == SL_C128 ? 2 : 1)] = 1.0;
    return e;
}

int sl__is_fill(const sl_node *n, double re, double im)
{
    return n && n->fill && n->s[0] == re && n->s[1] == im;
}

/* ---- Queries ------------------------------------------------------------------ */
sl_dtype sl_node_dtype(const sl_node *n) { return n ? n->dtype : 0; }
int sl_node_rank(const sl_node *n) { return n ? n->rank : 0; }
int64_t sl_node_dim(const sl_node *n, int a) { return n && a >= 0 && a < n->rank ? n->shape[a] : 0; }
int64_t sl_node_numel(const sl_node *n) { return n ? n->numel : 0; }
const char *sl_node_name(const sl_node *n) { return n && n->name ? n->name : ""; }
const char *sl_node_op_name(const sl_node *n) { return n ? n->def->name : ""; }
void *sl_node_data(const sl_node *n) { return n && n->def->leaf ? n->data : NULL; }

/* ---- Shape helpers -------------------------------------------------------------- */
int sl__broadcast_shape(int ra, const int64_t *sa, int rb, const int64_t *sb, int *rank, int64_t *shape)
{
    int r = ra > rb ? ra : rb;
    for (int i = 0; i < r; ++i) {
        int64_t da = i < r - ra ? 1 : sa[i - (r - ra)];
        int64_t db = i < r - rb ? 1 : sb[i - (r - rb)];
        if (da != db && da != 1 && db != 1) return 0;
        shape[i] = da > db ? da : db;
    }
    *rank = r;
    return 1;
}

int sl__same_shape(const sl_node *a, const sl_node *b)
{
    if (a->rank != b->rank) return 0;
    for (int i = 0; i < a->rank; ++i)
        if (a->shape[i] != b->shape[i]) return 0;
    return 1;
}

const char *sl__shape_str(const sl_node *n, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "(");
    for (int i = 0; i < n->rank && k < size; ++i)
        k += (size_t)snprintf(buf + k, size - k, i ? ", %lld" : "%lld", (long long)n->shape[i]);
    if (k < size) snprintf(buf + k, size - k, ")");
    return buf;
}

sl_node *sl__zeros_like(sl_graph *g, const sl_node *like)
{
    return sl_graph_full(g, like->dtype, like->rank, like->shape, 0, 0);
}
