/* Internal graph structures: nodes, op definitions, the arena.
 *
 * An op is a static sl_opdef: a forward kernel (eval) working on contiguous
 * row-major buffers, an optional scratch-size query, and a vector-Jacobian
 * product (vjp) that builds the gradient of each input as new graph nodes —
 * which is what makes higher derivatives work: the vjp's nodes have vjps too. */
#ifndef SL_GRAPH_INTERNAL_H
#define SL_GRAPH_INTERNAL_H

#include "../core/internal.h"

typedef struct sl_opdef sl_opdef;

struct sl_node {
    sl_graph *g;
    const sl_opdef *def;
    int id;                          /* creation index: a topological order */
    sl_dtype dtype;
    int rank;
    int64_t shape[SL_MAX_RANK];
    int64_t numel;
    int nin;
    sl_node **in;
    /* Attributes.  The generic ops of src/autodiff use the slots s, ia, idx
     * (their meaning is written above each op's eval: "ia = {axis, shift}");
     * an op with attributes of its own kind keeps them in a typed struct
     * behind attr instead (sl__node_attr; the lattice ops:
     * src/layers/lattice_ops.h). */
    double s[2];                     /* scalar (re, im) */
    int64_t ia[2 * SL_MAX_RANK];     /* generic ops: axes, permutation, slice parameters, flags */
    int64_t *idx;                    /* gather/scatter indices (arena) */
    const void *attr;                /* typed attributes (arena) or NULL */
    void *data;                      /* param / constant storage */
    int fill;                        /* constant with every element = s (1) */
    char *name;
};

/* Forward kernel: out and in[i] are contiguous buffers of the node's and its
 * inputs' shapes; scratch has def->scratch(n) bytes. */
typedef void (*sl_eval_fn)(const sl_node *n, void *out, void *const *in, void *scratch);
/* Append to the graph the gradient of each input i with need[i] set, given the
 * gradient gy of the node's output; store it in gin[i] (NULL: no gradient). */
typedef void (*sl_vjp_fn)(sl_graph *g, sl_node *n, sl_node *gy, const int *need, sl_node **gin);
typedef size_t (*sl_scratch_fn)(const sl_node *n);

struct sl_opdef {
    const char *name;
    sl_eval_fn eval;
    sl_vjp_fn vjp;          /* NULL: not differentiable (zero gradient) */
    sl_scratch_fn scratch;  /* NULL: none */
    int leaf;               /* input, param or constant */
};

/* Whether def is an elementwise real map whose eval also works on a block
 * of rows (plan_fuse.c): SL__TILE_SAME, every input of the node's shape;
 * SL__TILE_BCAST, an input may also be a scalar or one row broadcast over the
 * rows (the broadcasting binary ops); 0, not tileable.  Each file of such
 * ops answers for its own. */
enum { SL__TILE_SAME = 1, SL__TILE_BCAST = 2 };
SL_HIDDEN int sl__unary_tile_kind(const sl_opdef *def);
SL_HIDDEN int sl__binary_tile_kind(const sl_opdef *def);

typedef struct sl_arena_chunk sl_arena_chunk;

struct sl_graph {
    sl_ctx *ctx;
    sl_status status;
    sl_node **nodes;
    int nnodes, cap;
    sl_arena_chunk *chunks;
};

extern SL_HIDDEN const sl_opdef sl__op_input, sl__op_param, sl__op_const;

/* Arena memory that lives as long as the graph (64-byte aligned, zeroed). */
SL_HIDDEN void *sl__graph_mem(sl_graph *g, size_t bytes);

/* Record the graph's first error (and the context message); returns NULL. */
SL_HIDDEN sl_node *sl__gfail(sl_graph *g, sl_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record st as the graph's first error keeping the context message (already
 * written by a checker such as sl__check_shape, naming the public call). */
SL_HIDDEN sl_node *sl__gkeep(sl_graph *g, sl_status st);

/* For a public op built from others: when the graph had no error before
 * (before = its status on entry) and has one now, restate the message as
 * who's (sl__rewho).  Returns r. */
SL_HIDDEN sl_node *sl__gwho(sl_graph *g, sl_status before, const char *who, sl_node *r);

/* 0 (and SL_ERR_SHAPE naming who) unless the product of shape[0..rank-1] is
 * at most SL_MAX_ELEMENTS. */
SL_HIDDEN int sl__gshape_ok(sl_graph *g, const char *who, int rank, const int64_t *shape);

/* Check that g is usable and that each of the n nodes is non-NULL and of g.
 * Returns 0 (and records the error) when not. */
SL_HIDDEN int sl__gcheck(sl_graph *g, const char *who, int n, sl_node *const *xs);

/* New op node with the given inputs, dtype and shape (attributes zero).
 * NULL with SL_ERR_SHAPE when the shape has more than SL_MAX_ELEMENTS
 * elements (constructors check this first, with their own name). */
SL_HIDDEN sl_node *sl__node_new(sl_graph *g, const sl_opdef *def, sl_dtype dtype, int rank,
                                const int64_t *shape, int nin, sl_node *const *in);

/* Typed attributes of n: bytes of zeroed graph arena, set as n->attr and
 * returned for the constructor to fill (NULL when out of memory: the graph
 * records SL_ERR_NOMEM with a message naming who). */
SL_HIDDEN void *sl__node_attr(sl_node *n, const char *who, size_t bytes);

/* Broadcast shapes of a and b (NumPy rules); returns 0 if incompatible. */
SL_HIDDEN int sl__broadcast_shape(int ra, const int64_t *sa, int rb, const int64_t *sb, int *rank,
                                  int64_t *shape);
SL_HIDDEN int sl__same_shape(const sl_node *a, const sl_node *b);
/* "(3, 4)" into buf; returns buf. */
SL_HIDDEN const char *sl__shape_str(const sl_node *n, char *buf, size_t size);

/* Gradient helpers used by vjps. */
SL_HIDDEN sl_node *sl__sum_to(sl_graph *g, sl_node *x, int rank, const int64_t *shape);
SL_HIDDEN sl_node *sl__sum_to_node(sl_graph *g, sl_node *x, const sl_node *like);
SL_HIDDEN sl_node *sl__zeros_like(sl_graph *g, const sl_node *like);
SL_HIDDEN sl_node *sl__to_complex(sl_graph *g, sl_node *x);
/* gy * conj(d): the chain rule for a holomorphic (or real) elementwise map
 * with derivative d. */
SL_HIDDEN sl_node *sl__chain(sl_graph *g, sl_node *gy, sl_node *d);
SL_HIDDEN int sl__is_fill(const sl_node *n, double re, double im);
/* The tangent u (1 - y^2) of y = tanh(z) along dz = u (forward mode), one
 * elementwise op when y and u are real of one shape (ops_unary.c). */
SL_HIDDEN sl_node *sl__tanh_tangent(sl_graph *g, sl_node *y, sl_node *u);

/* Kernels shared between ops. */
SL_HIDDEN void sl__gemm(sl_dtype dt, int op_a, int op_b, int64_t m, int64_t n, int64_t k,
                        const void *a, const void *b, void *c);

#endif
