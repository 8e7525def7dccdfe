/* libsymlearn autodiff: a symbolic graph of tensor operations, gradients that
 * are themselves graph nodes (so they can be differentiated again, to any
 * order), and plans that compile chosen outputs once and run them many times.
 *
 * Building.  Every sl_graph_* op returns a new node, or NULL on error.  Errors
 * are sticky: the first one is kept in the graph (sl_graph_status) and in the
 * context message, and every later call that receives a NULL node returns
 * NULL, so a whole expression can be built and checked once at the end.
 * Nodes belong to their graph and are freed with it.
 *
 * Types.  Binary ops need both operands of the same dtype (convert with
 * sl_graph_complex / sl_graph_real); shapes broadcast as in NumPy (trailing
 * axes aligned, size-1 axes stretch).
 *
 * Complex gradients.  For a real scalar L of a complex tensor z, sl_graph_grad
 * gives dL/dRe z + i dL/dIm z (PyTorch's convention), so gradient descent
 * z -= lr * grad works unchanged on complex parameters.  Only a real scalar
 * (rank 0, f64) may be differentiated.
 *
 * Thread safety: one thread at a time per graph (and per context). */
#ifndef SYMLEARN_GRAPH_H
#define SYMLEARN_GRAPH_H

#include "tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sl_graph sl_graph;
typedef struct sl_node sl_node;
typedef struct sl_plan sl_plan;

/* ---- Graph ---------------------------------------------------------------- */
SL_API sl_status sl_graph_create(sl_ctx *ctx, sl_graph **out);
SL_API void sl_graph_destroy(sl_graph *g);                /* NULL is a no-op */
SL_API sl_status sl_graph_status(const sl_graph *g);      /* first error, SL_OK if none */
SL_API sl_ctx *sl_graph_ctx(const sl_graph *g);
SL_API int sl_graph_node_count(const sl_graph *g);

/* ---- Leaves ----------------------------------------------------------------
 * input: data bound at run time by the plan (sl_plan_bind).
 * param: trainable, storage owned by the graph, initialised from init (copied;
 *        NULL = zeros; NaN/Inf rejected).  Optimisers update it in place.
 * constant: values copied at creation.  name may be NULL (copied). */
SL_API sl_node *sl_graph_input(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                               const char *name);
SL_API sl_node *sl_graph_param(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                               const void *init, const char *name);
SL_API sl_node *sl_graph_constant(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                                  const void *data);
SL_API sl_node *sl_graph_constant_tensor(sl_graph *g, const sl_tensor *t);
SL_API sl_node *sl_graph_scalar(sl_graph *g, double value);           /* rank-0 f64 */
SL_API sl_node *sl_graph_full(sl_graph *g, sl_dtype dtype, int rank, const int64_t *shape,
                              double re, double im);
SL_API sl_node *sl_graph_eye(sl_graph *g, sl_dtype dtype, int64_t n); /* n x n identity */

/* ---- Node queries (NULL gives 0 / NULL) ----------------------------------- */
SL_API sl_dtype sl_node_dtype(const sl_node *n);
SL_API int sl_node_rank(const sl_node *n);
SL_API int64_t sl_node_dim(const sl_node *n, int axis);
SL_API int64_t sl_node_numel(const sl_node *n);
SL_API const char *sl_node_name(const sl_node *n);
SL_API const char *sl_node_op_name(const sl_node *n);
/* Storage of a param or constant (contiguous, row-major; NULL for other nodes).
 * A param's values may be read and written between plan runs. */
SL_API void *sl_node_data(const sl_node *n);

/* ---- Elementwise, binary (broadcasting) ------------------------------------ */
SL_API sl_node *sl_graph_add(sl_graph *g, sl_node *a, sl_node *b);
SL_API sl_node *sl_graph_sub(sl_graph *g, sl_node *a, sl_node *b);
SL_API sl_node *sl_graph_mul(sl_graph *g, sl_node *a, sl_node *b);
SL_API sl_node *sl_graph_div(sl_graph *g, sl_node *a, sl_node *b);
/* a^b elementwise (principal branch for c128; for f64, a > 0 where b is not an integer). */
SL_API sl_node *sl_graph_pow(sl_graph *g, sl_node *a, sl_node *b);
/* atan2(y, x) in (-pi, pi], real only (broadcasting).  Its gradient is
 * singular at x = y = 0. */
SL_API sl_node *sl_graph_atan2(sl_graph *g, sl_node *y, sl_node *x);

/* ---- Elementwise with a scalar -------------------------------------------- */
SL_API sl_node *sl_graph_add_scalar(sl_graph *g, sl_node *x, double s);   /* x + s */
SL_API sl_node *sl_graph_mul_scalar(sl_graph *g, sl_node *x, double s);   /* s x */
/* (re + i im) x; x must be c128 unless im == 0. */
SL_API sl_node *sl_graph_mul_complex_scalar(sl_graph *g, sl_node *x, double re, double im);
SL_API sl_node *sl_graph_pow_scalar(sl_graph *g, sl_node *x, double p);   /* x^p */
SL_API sl_node *sl_graph_rsub_scalar(sl_graph *g, sl_node *x, double s);  /* s - x */

/* ---- Elementwise, unary ----------------------------------------------------
 * exp, log, sqrt, sin, cos, tanh: f64 or c128 (principal branches).
 * sigmoid, softplus, relu: f64 only.  abs: |x|, f64 result for either dtype.
 * square: x * x.  conj: complex conjugate (identity on f64).
 * real, imag: f64 parts of a c128 node (real of f64 is the identity).
 * complex(re, im): c128 from two f64 nodes of the same shape. */
SL_API sl_node *sl_graph_neg(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_square(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_exp(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_log(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_sqrt(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_sin(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_cos(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_tanh(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_sigmoid(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_softplus(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_relu(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_abs(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_conj(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_real(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_imag(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_complex(sl_graph *g, sl_node *re, sl_node *im);
/* view_real: a c128 node of shape s as f64 of shape s + (2) holding (re, im);
 * view_complex: the inverse (last axis of size 2).  Lets a real-weight
 * contraction of complex data run as one real GEMM. */
SL_API sl_node *sl_graph_view_real(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_view_complex(sl_graph *g, sl_node *x);

/* ---- Linear algebra ---------------------------------------------------------
 * matmul: (..., m, k) x (..., k, n) -> (..., m, n), leading (batch) axes
 * broadcast; both ranks >= 2.  Large products go to BLAS dgemm/zgemm; batches
 * of 2x2 and 3x3 complex matrices use unrolled kernels.
 * matmul_ex: op(a) op(b) with op = SL_OP_N (as is), SL_OP_T (transpose of the
 * last two axes) or SL_OP_H (conjugate transpose), with no copy.
 * dot: sum over the last axis of a * b (no conjugation), shapes broadcast.
 * trace: sum of the diagonal of the last two (square) axes. */
enum { SL_OP_N = 0, SL_OP_T = 1, SL_OP_H = 2 };
SL_API sl_node *sl_graph_matmul(sl_graph *g, sl_node *a, sl_node *b);
SL_API sl_node *sl_graph_matmul_ex(sl_graph *g, sl_node *a, int op_a, sl_node *b, int op_b);
SL_API sl_node *sl_graph_dot(sl_graph *g, sl_node *a, sl_node *b);
SL_API sl_node *sl_graph_trace(sl_graph *g, sl_node *x);

/* ---- Shape ------------------------------------------------------------------
 * transpose: swap the last two axes.  adjoint: conjugate transpose of them.
 * permute: axis i of the result is axis perm[i] of x.
 * reshape: same element count; one entry may be -1.
 * slice: along axis, elements start, start+step, ... < stop (step >= 1).
 * gather: along axis, the entries index[0..count-1] (each in range; repeats ok).
 * concat: n nodes along axis (other axes equal).
 * broadcast: to shape (NumPy rules: x's shape must broadcast to it).
 * roll: periodic shift, result[i] = x[(i - shift) mod size] along axis
 *       (shift = -1 gives f(x + mu) for a lattice axis mu). */
SL_API sl_node *sl_graph_transpose(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_adjoint(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_permute(sl_graph *g, sl_node *x, const int *perm);
SL_API sl_node *sl_graph_reshape(sl_graph *g, sl_node *x, int rank, const int64_t *shape);
SL_API sl_node *sl_graph_slice(sl_graph *g, sl_node *x, int axis, int64_t start, int64_t stop,
                               int64_t step);
SL_API sl_node *sl_graph_gather(sl_graph *g, sl_node *x, int axis, int64_t count,
                                const int64_t *index);
SL_API sl_node *sl_graph_concat(sl_graph *g, int n, sl_node *const *xs, int axis);
SL_API sl_node *sl_graph_broadcast(sl_graph *g, sl_node *x, int rank, const int64_t *shape);
SL_API sl_node *sl_graph_roll(sl_graph *g, sl_node *x, int axis, int64_t shift);

/* ---- Reductions --------------------------------------------------------------
 * sum / mean over all elements give a rank-0 node.  The _axes forms reduce the
 * listed axes (negative counts from the end, each axis at most once:
 * SL_ERR_ARG for a repeat); keepdims (0 or 1) keeps them as size 1.
 * Sums are pairwise, in a fixed order (same bits on any thread count). */
SL_API sl_node *sl_graph_sum(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_mean(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_sum_axes(sl_graph *g, sl_node *x, int naxes, const int *axes,
                                  int keepdims);
SL_API sl_node *sl_graph_mean_axes(sl_graph *g, sl_node *x, int naxes, const int *axes,
                                   int keepdims);

/* ---- Gradients -----------------------------------------------------------------
 * Append the nodes of dy/dx_i (i < n) to the graph; y must be a real scalar
 * (rank 0, f64).  out[i] has x_i's shape and dtype; an x_i that y does not
 * depend on gets a zero constant.  The results are ordinary nodes: applying
 * sl_graph_grad to a scalar built from them gives second (and higher)
 * derivatives.  Errors: SL_ERR_NULL, SL_ERR_SHAPE (y not a scalar),
 * SL_ERR_DTYPE (y complex), SL_ERR_GRAPH (a node of another graph). */
SL_API sl_status sl_graph_grad(sl_graph *g, sl_node *y, int n, sl_node *const *xs, sl_node **out);
/* One gradient; NULL on error (sticky, as for ops). */
SL_API sl_node *sl_graph_grad1(sl_graph *g, sl_node *y, sl_node *x);

/* ---- Plans ----------------------------------------------------------------------
 * A plan compiles the nodes needed for the chosen outputs once: topological
 * order, one buffer arena with buffers reused by liveness, scratch space.  A
 * run then allocates nothing.  Inputs are bound by pointer; the pointed-to data
 * is read at every run (so it may change between runs) and must stay valid.
 * Parameter values are read from the graph at every run.  Nodes added to the
 * graph after the plan was made are not part of it. */
SL_API sl_status sl_plan_create(sl_graph *g, int nout, sl_node *const *outputs, sl_plan **out);
SL_API void sl_plan_destroy(sl_plan *p);                  /* NULL is a no-op */

/* Bind contiguous row-major data (interleaved (re, im) for c128) to an input
 * node of the plan's graph.  An input the outputs do not depend on may be
 * bound and is ignored.  Errors: SL_ERR_NULL, SL_ERR_ARG (node is not an input). */
SL_API sl_status sl_plan_bind(sl_plan *p, sl_node *input, const void *data);
/* Bind a tensor of the input's dtype and shape, any strides: strided tensors
 * are copied at each run into space reserved in the plan (no allocation). */
SL_API sl_status sl_plan_bind_tensor(sl_plan *p, sl_node *input, const sl_tensor *t);

/* Run the plan.  Bound inputs are checked for NaN/Inf first (SL_ERR_NONFINITE
 * naming the input and the element) unless disabled with
 * sl_plan_set_check_finite(p, 0).  Errors: SL_ERR_UNBOUND, SL_ERR_NONFINITE.
 * sl_plan_set_check_finite: on is 0 or 1 (SL_ERR_ARG otherwise). */
SL_API sl_status sl_plan_run(sl_plan *p);
SL_API sl_status sl_plan_set_check_finite(sl_plan *p, int on);

/* Data caching, for training on fixed data (off by default).  With on = 1 the
 * steps that depend on bound inputs and constants alone, not on any param (an
 * L-CNN's plaquettes, its first layer's transports, a loss target), run at the
 * first sl_plan_run after a bind and are reused by later runs; the input NaN
 * check and the copy of a strided tensor are done at that run too.  The promise
 * made: the bound data do not change until the next sl_plan_bind /
 * sl_plan_bind_tensor (or sl_optim_bind) of any input, which recomputes them;
 * data changed in place without a bind are not seen.  Turning it on lays the
 * plan's buffers out again (values of the last run are lost; sl_plan_bytes may
 * grow by the cached values kept).  For an optimiser:
 * sl_plan_set_cache_data(sl_optim_plan(opt), 1).  Errors: SL_ERR_NULL,
 * SL_ERR_ARG (on not 0 or 1), SL_ERR_NOMEM (the plan stays usable without
 * caching). */
SL_API sl_status sl_plan_set_cache_data(sl_plan *p, int on);

/* The value of output i (or of a node that is an output) after the last run:
 * contiguous row-major, owned by the plan, valid until the next run or destroy. */
SL_API const void *sl_plan_output(const sl_plan *p, int i);
SL_API const void *sl_plan_value(const sl_plan *p, const sl_node *output);
/* Convenience: the value of output i when it is a real scalar (NAN otherwise). */
SL_API double sl_plan_scalar(const sl_plan *p, int i);

/* Bytes of the plan's buffer arena, and the number of ops it runs. */
SL_API size_t sl_plan_bytes(const sl_plan *p);
SL_API int sl_plan_steps(const sl_plan *p);

/* ---- Activations of dense networks (f64 only) ----------------------------------
 * erf: the error function.  silu: x sigmoid(x) (a.k.a. swish).  gelu: the exact
 * GELU x Phi(x) = x (1 + erf(x / sqrt 2)) / 2 (not the tanh approximation).
 * Their derivatives are graph ops again, so derivatives of any order work (as
 * for every op).  Errors: SL_ERR_NULL, SL_ERR_DTYPE (x complex), SL_ERR_GRAPH. */
SL_API sl_node *sl_graph_erf(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_silu(sl_graph *g, sl_node *x);
SL_API sl_node *sl_graph_gelu(sl_graph *g, sl_node *x);

#ifdef __cplusplus
}
#endif
#endif
