/* libsymlearn losses: the symmetry-discovery losses as graph functions
 * (Forestano, Matchev, Matcheva, Roman, Unlu, Verner 2023), the building
 * blocks of the trained solver of discover.h, for custom training loops; and
 * the graph-oracle type they differentiate.
 *
 * Thread safety: as for the rest of the library (one thread per context). */
#ifndef SYMLEARN_LOSSES_H
#define SYMLEARN_LOSSES_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A graph oracle builds phi in graph g: x[k] (k < nargs) are nodes of shape
 * (M, n), the k-th argument of M sample points; it returns a node of shape (M)
 * (nout = 1) or (M, nout), or NULL (the graph's sticky error then says why).
 * The library differentiates it (first derivatives for the exact solver and
 * the derivative loss, through the transformed points for the difference
 * losses).  It must not keep the nodes beyond the call. */
typedef sl_node *(*sl_oracle_graph_fn)(sl_graph *g, int nargs, sl_node *const *x, void *user);

/* Invariance loss modes (sl_symmetry_loss_invariance, sl_symmetry_opts_set_invariance). */
enum { SL_SYM_INV_FORWARD = 0, SL_SYM_INV_CENTRAL = 1, SL_SYM_INV_DERIVATIVE = 2 };

/* ---- Losses as graph functions ----------------------------------------------------
 * Building blocks of the trained solver, for custom training loops.  W is a
 * node of shape (N_g, n, n); each returns a real scalar node (NULL on error,
 * sticky on the graph as for every op). */

/* Invariance: x is a node (m, nargs*n) of sample points; phi as
 * sl_oracle_graph_fn with nout outputs.  mode SL_SYM_INV_FORWARD:
 * sum_a mean_i sum_c [phi_c(x_i + eps W_a x_i) - phi_c(x_i)]^2 / eps^2
 * (Forestano et al. 2023, eq. (4)); CENTRAL: [phi(x + eps W x) - phi(x - eps W x)]^2
 * / (4 eps^2); DERIVATIVE: (grad phi . W x)^2 (the eps -> 0 limit).  eps
 * finite and > 0 for the difference modes. */
SL_API sl_node *sl_symmetry_loss_invariance(sl_graph *g, sl_oracle_graph_fn phi, void *user,
                                            int nargs, sl_node *x, sl_node *W, int mode, double eps);
/* Normalisation sum_a (|W_a|_F^2 - 2)^2 (eq. (5)). */
SL_API sl_node *sl_symmetry_loss_normalisation(sl_graph *g, sl_node *W);
/* Orthogonality sum_{a<b} Tr(W_a W_b^T)^2 (eq. (6)). */
SL_API sl_node *sl_symmetry_loss_orthogonality(sl_graph *g, sl_node *W);
/* Closure sum_{a<b} |[W_a, W_b] - sum_c C_{ab,c} W_c|_F^2 (the closure term L_clos; quartic = 1:
 * each pair's squared norm squared again, as the reference code).  C: a node
 * (P, N_g), pairs a < b in lexicographic order (param, input or constant);
 * quartic is 0 or 1. */
SL_API sl_node *sl_symmetry_loss_closure(sl_graph *g, sl_node *W, sl_node *C, int quartic);
/* Sparsity sum_a sum_{p != q} r_p^2 r_q^2 = sum_a (|r|_2^4 - |r|_4^4), r = vec W_a
 * (eq. (7)). */
SL_API sl_node *sl_symmetry_loss_sparsity(sl_graph *g, sl_node *W);

/* ---- Hamiltonian losses ----------------------------------------------------------
 * Phase-space points z are a real node (B, 2n) with rows (q_1..q_n, p_1..p_n).
 * Every function of z given to these calls (H, D, a, b, Q, P: networks or
 * expressions built on z) must act row by row (row b depends on z_b alone),
 * as a network applied to a batch does: derivatives are taken as gradients
 * of batch sums, one reverse pass per output column.  Functions of one value
 * per row are (B) or (B, 1) nodes.  Each call returns a node (NULL on error,
 * sticky on the graph); the losses are real scalars, differentiable again. */

/* Poisson brackets {a_i, b_j} = sum_k da_i/dq_k db_j/dp_k - da_i/dp_k db_j/dq_k
 * of a (B, m) and b (B, m') (or (B)), as a (B, m, m') node (m, m' <= 4096).
 * {I_j, I_k} = 0 is the involution of conserved quantities. */
SL_API sl_node *sl_poisson_bracket(sl_graph *g, sl_node *a, sl_node *b, sl_node *z);

/* The Hamiltonian vector field zdot = (dH/dp, -dH/dq) + grad D of a scalar
 * H(z) with an optional dissipation potential D(z) (NULL: none; Sosanya &
 * Greydanus 2022, "Dissipative Hamiltonian neural networks", eq. 5), (B, 2n). */
SL_API sl_node *sl_hamiltonian_field(sl_graph *g, sl_node *H, sl_node *D, sl_node *z);

/* HNN loss (Greydanus, Dzamba, Yosinski 2019, eq. 2): the mean over the batch
 * of |field - zdot|^2 = sum_i (dH/dp_i - qdot_i)^2 + (dH/dq_i + pdot_i)^2
 * (with grad D added to the field when D is given), zdot (B, 2n) the
 * observed time derivatives. */
SL_API sl_node *sl_loss_hnn(sl_graph *g, sl_node *H, sl_node *D, sl_node *z, sl_node *zdot);

/* Poisson loss of a learned map z -> (Q, P), both (B, n) (Krippendorf &
 * Syvaeri 2104.14444): the batch mean of
 *   sum_{i,j} ({Q_i, P_j} - delta_ij)^2 + sum_{i<j} {Q_i, Q_j}^2 + {P_i, P_j}^2,
 * zero exactly when the map is canonical. */
SL_API sl_node *sl_loss_poisson(sl_graph *g, sl_node *Q, sl_node *P, sl_node *z);

/* HQP loss (Krippendorf & Syvaeri 2104.14444): H = H_phi(Q, P) a scalar built
 * from the nodes Q, P (B, n) of the learned canonical coordinates of z; the
 * first ncyclic coordinates are cyclic (H_phi should not take Q_i, i <
 * ncyclic, as input), so their momenta are conserved.  With Qdot_i =
 * (dQ_i/dz) . zdot and Pdot_i likewise along the observed zdot (B, 2n), the
 * sum of batch means
 *   sum_{i<ncyclic} Pdot_i^2 + (Qdot_i - dH/dP_i)^2
 *   + beta sum_{i>=ncyclic} (Pdot_i + dH/dQ_i)^2 + (Qdot_i - dH/dP_i)^2.
 * ncyclic 0..n, beta finite >= 0. */
SL_API sl_node *sl_loss_hqp(sl_graph *g, sl_node *H, sl_node *Q, sl_node *P, sl_node *z, sl_node *zdot,
                            int ncyclic, double beta);

#ifdef __cplusplus
}
#endif
#endif
