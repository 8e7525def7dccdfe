/* libsymlearn lattice: periodic lattices, SU(N) gauge fields in the host
 * code's own memory layout, group utilities, Monte Carlo, NERSC files, and
 * lattice gauge equivariant network layers (L-CNN; Favoni, Ipp, Mueller,
 * Schuh, PRL 128 (2022) 032003) as graph ops, with a model builder.
 *
 * Conventions (docs/lattice.md has the tutorial and the formulas).
 *  - A lattice has nd = 1..SL_LATTICE_MAX_DIM periodic directions of extents
 *    dims[0..nd-1].  The library's own ("canonical") site order is row-major
 *    with dims[0] slowest; f(x + mu) is the neighbour in +mu.
 *  - A gauge field holds links U(x, mu), mu = 0..nd-1, N x N complex matrices
 *    (SU(N), any N >= 2; unrolled kernels for N = 2, 3), stored as
 *    interleaved (re, im) doubles.  Canonical layout: [site][mu][row][col].
 *  - Gauge transformations: U(x,mu) -> O(x) U(x,mu) O(x+mu)^+ and
 *    W(x) -> O(x) W(x) O(x)^+.
 *  - In a graph a batch of gauge fields is a c128 node of shape
 *    (B, L0, .., L_{nd-1}, nd, N, N); a set of C locally transforming fields
 *    W (the "channels") is channel-first: (C, B, L0, .., L_{nd-1}, N, N), so
 *    that the weight contractions are single GEMMs.
 *
 * Thread safety: as for the rest of the library (one thread per context). */
#ifndef SYMLEARN_LATTICE_H
#define SYMLEARN_LATTICE_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_LATTICE_MAX_DIM 6

/* ---- Host layouts ------------------------------------------------------------
 * Orders (research notes: QUDA's gauge_field_order.h and the host codes):
 *   CANONICAL  [site, dims[0] slowest][mu][row][col]              (in place)
 *   CUSTOM     described by site_order / direction_major / colour_major
 *              (in place unless site_order is even-odd)
 *   QDP        Chroma/QDP++: data is `void *[nd]`, one array per mu, each
 *              [parity][Vcb][row][col], sites x-fastest            (copy)
 *   MILC       [parity][Vcb][mu][row][col], x-fastest               (copy)
 *   MILC_SITE  MILC's site[] array of structs: site i at data + i*site_size,
 *              its links at + link_offset bytes, [mu][row][col]; sites in
 *              even-odd x-fastest order                             (copy)
 *   CPS        [parity][Vcb][mu][col][row], x-fastest               (copy)
 *   BQCD       [mu][parity][Vcb + pad][col][row], x-fastest; pad = halo
 *              sites per parity block (lay.pad)                    (copy)
 *   TIFR       [mu][parity][Vcb][col][row], x-fastest                (copy)
 *   OPENQCD    links stored at odd points only: for odd ix >= V/2 the 8 links
 *              at data + 8*(ix - V/2) + 2*mu (U(x,mu)) and +1 (U(x-mu,mu));
 *              ix = lay.site_index[canonical site], openQCD's ipt[] with
 *              time = direction 0 (dims[0] = NPROC0*L0)        (copy)
 * Even-odd ("checkerboard") orders: parity p = (sum_mu x_mu) mod 2, the even
 * sites first, index within a parity = lexicographic index / 2 (needs
 * dims[0] even in x-fastest order, dims[nd-1] even in t-fastest order).
 * "x-fastest" means direction 0 varies fastest (MILC, QDP: x, y, z, t);
 * "t-fastest" means direction nd-1 varies fastest (the canonical order). */
enum {
    SL_GAUGE_ORDER_CANONICAL = 0,
    SL_GAUGE_ORDER_CUSTOM = 1,
    SL_GAUGE_ORDER_QDP = 2,
    SL_GAUGE_ORDER_MILC = 3,
    SL_GAUGE_ORDER_MILC_SITE = 4,
    SL_GAUGE_ORDER_CPS = 5,
    SL_GAUGE_ORDER_BQCD = 6,
    SL_GAUGE_ORDER_TIFR = 7,
    SL_GAUGE_ORDER_OPENQCD = 8
};
/* Site orders for SL_GAUGE_ORDER_CUSTOM. */
enum {
    SL_SITES_LEX_T_FASTEST = 0,   /* canonical */
    SL_SITES_LEX_X_FASTEST = 1,
    SL_SITES_EO_T_FASTEST = 2,
    SL_SITES_EO_X_FASTEST = 3
};

/* Size-first layout descriptor.  Initialise with SL_GAUGE_LAYOUT_INIT or
 * sl_gauge_layout_init(), then set order, nd, nc, dims (and the fields that
 * the order uses). */
typedef struct sl_gauge_layout {
    size_t size;                      /* sizeof(sl_gauge_layout) */
    int order;                        /* SL_GAUGE_ORDER_* */
    int nd;                           /* number of directions, 1..SL_LATTICE_MAX_DIM */
    int nc;                           /* N of SU(N), >= 2 */
    int64_t dims[SL_LATTICE_MAX_DIM]; /* extent of each direction mu */
    int site_order;                   /* CUSTOM: SL_SITES_* */
    int direction_major;              /* CUSTOM: 1 = [mu][site], 0 = [site][mu] */
    int colour_major;                 /* CUSTOM: 1 = column-major [col][row], 0 = row-major */
    int64_t pad;                      /* BQCD: halo sites per parity block */
    size_t site_size;                 /* MILC_SITE: bytes per site struct */
    size_t link_offset;               /* MILC_SITE: bytes from site start to its links */
    const int *site_index;            /* OPENQCD: ipt[] over canonical sites */
} sl_gauge_layout;

#define SL_GAUGE_LAYOUT_INIT { sizeof(sl_gauge_layout), 0, 0, 0, {0, 0, 0, 0, 0, 0}, 0, 0, 0, 0, 0, 0, 0 }

/* Fill *lay with SL_GAUGE_LAYOUT_INIT (size-first: rules in core.h). */
SL_API sl_status sl_gauge_layout_init_sized(sl_gauge_layout *lay, size_t size);
#define sl_gauge_layout_init(lay) ((void)sl_gauge_layout_init_sized((lay), sizeof *(lay)))
SL_API void (sl_gauge_layout_init)(sl_gauge_layout *lay);          /* 1.0 entry point */

/* ---- Gauge fields -------------------------------------------------------------
 * An sl_gauge is one gauge configuration.  It either reads the host's array
 * in place (a strided view; CANONICAL and lexicographic CUSTOM layouts) or
 * holds one canonical copy (every other layout: the copy is made by
 * sl_gauge_wrap and refreshed by sl_gauge_refresh). */
typedef struct sl_gauge sl_gauge;

/* A new field owned by the library, canonical layout, every link = 1.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (nd, dims, nc), SL_ERR_NOMEM. */
SL_API sl_status sl_gauge_create(sl_ctx *ctx, int nd, const int64_t *dims, int nc, sl_gauge **out);

/* Wrap the host's links described by lay (data: the host array; for QDP an
 * array of nd pointers).  The host keeps ownership and must keep data alive.
 * The links are checked for NaN/Inf (SL_ERR_NONFINITE) and for unitarity to
 * 1e-8 in max |U U^+ - 1| (SL_ERR_ARG naming the site and direction).
 * Errors also: SL_ERR_NULL, SL_ERR_ARG (a bad layout field, named). */
SL_API sl_status sl_gauge_wrap(sl_ctx *ctx, const sl_gauge_layout *lay, const void *data,
                               sl_gauge **out);

/* Re-read a wrapped host array after the host changed it (for copying
 * layouts; a no-op for in-place ones).  Same checks as sl_gauge_wrap. */
SL_API sl_status sl_gauge_refresh(sl_gauge *U);

/* Write U's links into a host array of layout lay (same nd, nc, dims). */
SL_API sl_status sl_gauge_export(const sl_gauge *U, const sl_gauge_layout *lay, void *data);

SL_API void sl_gauge_destroy(sl_gauge *U);                 /* NULL is a no-op */

/* Queries (NULL gives 0).  sl_gauge_dims copies nd extents into dims. */
SL_API int sl_gauge_nd(const sl_gauge *U);
SL_API int sl_gauge_nc(const sl_gauge *U);
SL_API int64_t sl_gauge_volume(const sl_gauge *U);
SL_API void sl_gauge_dims(const sl_gauge *U, int64_t *dims);
SL_API int sl_gauge_in_place(const sl_gauge *U);            /* 1: reads the host array */

/* The links as a tensor of shape (L0, .., L_{nd-1}, nd, N, N), c128: a view
 * of the host array (in place) or of the canonical copy.  Owned by U. */
SL_API const sl_tensor *sl_gauge_tensor(const sl_gauge *U);

/* Canonical, contiguous storage of a library-owned field (sl_gauge_create,
 * sl_gauge_read_nersc): volume*nd*N*N interleaved complex numbers, writable.
 * NULL for a field that reads a host array in place. */
SL_API double *sl_gauge_data(sl_gauge *U);

/* Copy the links in canonical order into out (volume*nd*N*N complex). */
SL_API sl_status sl_gauge_copy_canonical(const sl_gauge *U, double *out);

/* Lattice-averaged Re Tr P / N over all nd(nd-1)/2 planes (1 for nd = 1),
 * and the average Re Tr U / N. */
SL_API sl_status sl_gauge_plaquette(const sl_gauge *U, double *plaq);
SL_API sl_status sl_gauge_link_trace(const sl_gauge *U, double *trace);

/* ---- SU(N) utilities (plain arrays of interleaved complex N x N matrices) ----- */

/* count Haar-random SU(N) matrices from stream `seed` (QR of a complex
 * Ginibre matrix with the phase fix, then det = 1).  Deterministic. */
SL_API sl_status sl_su_random(sl_ctx *ctx, int nc, int64_t count, uint64_t seed, double *out);

/* Project each of count matrices back onto SU(N) in place (Gram-Schmidt of
 * the rows, then the determinant phase removed). */
SL_API sl_status sl_su_reunitarize(sl_ctx *ctx, int nc, int64_t count, double *mats);

/* out = exp(i H) for count Hermitian traceless H (in), which is then in SU(N):
 * closed forms for N = 2 (Rodrigues) and N = 3 (Cayley-Hamilton, as in
 * Morningstar-Peardon stout smearing), scaling and squaring with a Taylor
 * series for other N.  in and out may be the same array. */
SL_API sl_status sl_su_exp(sl_ctx *ctx, int nc, int64_t count, const double *in, double *out);

/* Gauge transformation of a library-owned field U in place by O (volume
 * SU(N) matrices, canonical site order): U(x,mu) -> O(x) U(x,mu) O(x+mu)^+. */
SL_API sl_status sl_gauge_transform(sl_gauge *U, const double *O);

/* W(x,i) -> O(x) W(x,i) O(x)^+ for channel-first fields W of shape
 * (nch, volume, N, N) in canonical site order. */
SL_API sl_status sl_gauge_transform_fields(sl_ctx *ctx, int nc, int64_t volume, int64_t nch,
                                           const double *O, double *W);

/* Random links: every link Haar-random (hot start), from stream seed. */
SL_API sl_status sl_gauge_randomize(sl_gauge *U, uint64_t seed);

/* ---- Monte Carlo (Wilson action S = -(beta/N) sum_P Re Tr U_P, any nd) ------
 * nsweeps sweeps over all links in canonical order: SU(2) heat bath
 * (Kennedy-Pendleton) for N = 2; for N = 3, Cabibbo-Marinari heat bath on the
 * three SU(2) subgroups followed by n_over overrelaxation sweeps.  The field
 * must be library-owned.  Stream `seed` with a counter kept in U, so
 * successive calls continue the chain. */
SL_API sl_status sl_gauge_heatbath(sl_gauge *U, double beta, int nsweeps, int n_over,
                                   uint64_t seed);

/* ---- NERSC gauge files (4D SU(3)) ---------------------------------------------
 * read: DATATYPE 4D_SU3_GAUGE (two rows) or 4D_SU3_GAUGE_3x3, FLOATING_POINT
 * IEEE32BIG/IEEE64BIG/IEEE32LITTLE/IEEE64LITTLE (IEEE32/IEEE64: big); the
 * CHECKSUM (sum of the 32-bit words of the data mod 2^32), PLAQUETTE and
 * LINK_TRACE (to 1e-6) are checked, and the data must be exactly as long as
 * the dimensions say: a mismatch, a malformed or duplicate header entry or a
 * non-finite PLAQUETTE is SL_ERR_CORRUPT (an unknown DATATYPE or
 * FLOATING_POINT SL_ERR_UNSUPPORTED).  Directions: NERSC's x, y, z, t are
 * mu = 0..3 with x fastest; the result is canonical (dims = {Lx, Ly, Lz, Lt}).
 * write: 4D_SU3_GAUGE_3x3 IEEE64BIG, atomically as every file the library
 * writes (docs/file-format.md: temporary file renamed over path, directory
 * synced, mode of a replaced file kept, symbolic links written through).
 * Errors: SL_ERR_IO, SL_ERR_CORRUPT, SL_ERR_ARG (not nd = 4, N = 3). */
SL_API sl_status sl_gauge_read_nersc(sl_ctx *ctx, const char *path, sl_gauge **out);
SL_API sl_status sl_gauge_write_nersc(const sl_gauge *U, const char *path);

/* ---- Layers as graph ops ----------------------------------------------------------
 * U: c128 (B, L.., nd, N, N).  W: c128 (C, B, L.., N, N).  Every layer is
 * built from existing graph ops (roll, batched matmul, adjoint, concat, sum),
 * so derivatives with respect to weights, W and U, to any order, come from
 * sl_graph_grad.  NULL on error (sticky, as every graph op). */

/* Link U(x, mu) of a gauge node as (B, L.., N, N). */
SL_API sl_node *sl_graph_link(sl_graph *g, sl_node *U, int mu);

/* Plaquettes P(x,mu nu) = U(x,mu) U(x+mu,nu) U(x+nu,mu)^+ U(x,nu)^+ for
 * mu < nu, channel-first (P, B, L.., N, N).  orientations = 1: nd(nd-1)/2
 * channels; 2: also P^+ (nd(nd-1) channels).  clover != 0: the four clover
 * leaves of each plane instead (4 nd(nd-1)/2 channels, times 2 with both
 * orientations): P(x), P(x-mu) transported, ..., each based at x. */
SL_API sl_node *sl_graph_plaquette(sl_graph *g, sl_node *U, int orientations, int clover);

/* Rectangular a x b Wilson loop in plane (mu, nu) based at x (a steps +mu,
 * b steps +nu, back): (B, L.., N, N). */
SL_API sl_node *sl_graph_wilson_loop(sl_graph *g, sl_node *U, int mu, int nu, int a, int b);

/* Polyakov loops L(x,mu) = prod_t U(x + t mu, mu), channel-first (nd, B, L.., N, N). */
SL_API sl_node *sl_graph_polyakov(sl_graph *g, sl_node *U);

/* Parallel transport of W by k steps along +mu (k > 0) or -mu (k < 0). */
SL_API sl_node *sl_graph_transport(sl_graph *g, sl_node *U, sl_node *W, int mu, int k);

/* L-Conv: W'(u) = sum_t omega(u,t) B_t, B = (W_local, transports along
 * +mu and -mu for k = 1..K-1 (step dilation+1), mu outer, k, sign, channel
 * inner, 1).  omega: f64 (Cout, C(2 nd (K-1) + 1) + 1) or c128 of that shape. */
SL_API sl_node *sl_graph_lconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *omega, int K,
                               int dilation);

/* L-Bilin: W'(u) = sum_{v,w} alpha(u,v,w) A'_v B'_w with A' = (A, A^+, 1) and
 * B' = (B, B^+, 1); alpha f64 (Cout, 2Ca+1, 2Cb+1).  Contraction-first. */
SL_API sl_node *sl_graph_lbilin(sl_graph *g, sl_node *A, sl_node *B, sl_node *alpha);

/* GCMConv (the PRL layer): A = (W, W^+, 1), B = (T, T^+, 1) with T the
 * transports along +mu for k = 1..K-1 (step (dilation+1) k), mu outer, k,
 * channel inner (M = C nd (K-1)); symmetric != 0 adds W_local and the -mu
 * transports (M = C (2 nd (K-1) + 1)).  alpha f64 (Cout, 2C+1, 2M+1).
 * Computed as tmp = alpha (Cout(2C+1), 2M+1) x B (one dgemm), then
 * W'_u = sum_v A_v tmp_uv: the pair products A_v B_w are never formed. */
SL_API sl_node *sl_graph_gcmconv(sl_graph *g, sl_node *U, sl_node *W, sl_node *alpha, int K,
                                 int dilation, int symmetric);
/* M of a GCMConv layer, and the length of L-Conv's omega rows. */
SL_API int64_t sl_gcmconv_terms(int nd, int64_t channels, int K, int symmetric);

/* L-Act: W'(i) = g(Re Tr W(i) / N) W(i), kinds: */
enum { SL_LACT_RELU = 0, SL_LACT_TANH = 1, SL_LACT_POLY = 2 };
/* RELU: g = relu(s); TANH: g = tanh(s); POLY: g = sum_k params(i,k) s^k
 * (params f64 (C, degree+1); NULL for RELU and TANH). */
SL_API sl_node *sl_graph_lact(sl_graph *g, sl_node *W, int kind, sl_node *params);

/* L-Exp: U'(x,mu) = exp(i sum_j beta(mu,j) H_j(x)) U(x,mu),
 * H = (i/2)[(W^+ - W) - Tr(W^+ - W)/N]; beta f64 (nd, C).  The exponential
 * is a Taylor series of degree 12 after scaling by 2^-4 and squaring
 * (exact to rounding for |beta H| <~ 2). */
SL_API sl_node *sl_graph_lexp(sl_graph *g, sl_node *U, sl_node *W, sl_node *beta);

/* Trace features (B, L.., 2C): (Re Tr W_1..W_C, Im Tr W_1..W_C) per site. */
SL_API sl_node *sl_graph_trace_features(sl_graph *g, sl_node *W);

/* ---- Models -----------------------------------------------------------------------
 * An L-CNN: Plaq input -> GCMConv layers -> Trace -> dense head (per site, or
 * pooled: the lattice mean of the features).  The weights do not depend on
 * the lattice size, so a model trained on 8x8 predicts on 64x64. */
typedef struct sl_lcnn sl_lcnn;

#define SL_LCNN_MAX_LAYERS 16
enum { SL_LCNN_HEAD_SITE = 0, SL_LCNN_HEAD_POOLED = 1 };

typedef struct sl_lcnn_opts {             /* size-first (rules in core.h) */
    size_t size;                          /* sizeof(sl_lcnn_opts) */
    int nd, nc;                           /* lattice dimension, N */
    int nlayers;                          /* GCMConv layers (>= 1) */
    int channels[SL_LCNN_MAX_LAYERS];     /* output channels per layer */
    int kernels[SL_LCNN_MAX_LAYERS];      /* K per layer (>= 1) */
    int dilation;                         /* [0] */
    int symmetric;                        /* [0] */
    int orientations;                     /* plaquette orientations [1] */
    int head;                             /* SL_LCNN_HEAD_* [SITE] */
    uint64_t seed;                        /* weights: stream seed + layer, head seed + 10 */
} sl_lcnn_opts;

#define SL_LCNN_OPTS_INIT { sizeof(sl_lcnn_opts), 2, 2, 0, {0}, {0}, 0, 0, 1, 0, 0 }
SL_API sl_status sl_lcnn_opts_init_sized(sl_lcnn_opts *opts, size_t size);
#define sl_lcnn_opts_init(opts) ((void)sl_lcnn_opts_init_sized((opts), sizeof *(opts)))
SL_API void (sl_lcnn_opts_init)(sl_lcnn_opts *opts);                /* 1.0 entry point */

/* Build a model: alpha of layer i is N(0, 1/((2C+1)(2M+1))) from stream
 * seed + 10 + i; the head (2C_last x 1) glorot from stream seed + 20, bias 0.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (a bad option, named), SL_ERR_NOMEM. */
SL_API sl_status sl_lcnn_create(sl_ctx *ctx, const sl_lcnn_opts *opts, sl_lcnn **out);
SL_API void sl_lcnn_destroy(sl_lcnn *net);                  /* NULL is a no-op */

/* Number of weights, and their flat copy (layer alphas in order, head, bias). */
SL_API int64_t sl_lcnn_nparams(const sl_lcnn *net);
SL_API sl_status sl_lcnn_get_params(const sl_lcnn *net, double *out);
SL_API sl_status sl_lcnn_set_params(sl_lcnn *net, const double *in);

/* Build the network on graph nodes: U (B, L.., nd, N, N) -> per-site output
 * (B, L..) or pooled (B).  The weights become param nodes of g (copied from
 * the model; read them back with sl_lcnn_set_params after training). *params
 * (may be NULL) receives the param nodes in flat order (nlayers + 2 of them).
 * For N = 2 the layers compute in the real span of SU(2) (quaternions, half
 * the work; docs/lattice.md): U must be SU(2) (sl_lcnn_predict, _batch and
 * _train check: SL_ERR_ARG for a link off it by > 1e-8), outputs equal the general
 * kernels' to rounding, and d/dU is the projection of the complex gradient
 * onto that span (identical along every tangent direction X U, X in su(2)). */
SL_API sl_node *sl_lcnn_apply(sl_lcnn *net, sl_graph *g, sl_node *U, sl_node **params);

/* Predict on one field: out receives volume values (per-site head) or one
 * (pooled).  Plans are cached per lattice size.  U may be in any layout. */
SL_API sl_status sl_lcnn_predict(sl_lcnn *net, const sl_gauge *U, double *out);
/* Predict on a batch of canonical fields links (B, L.., nd, N, N). */
SL_API sl_status sl_lcnn_predict_batch(sl_lcnn *net, int64_t batch, const int64_t *dims,
                                       const double *links, double *out);

/* Training options and per-epoch progress. */
typedef void (*sl_lcnn_progress_fn)(void *user, int epoch, double train_loss, double val_loss);
typedef struct sl_lcnn_train_opts {
    size_t size;              /* sizeof(sl_lcnn_train_opts) */
    int epochs;               /* [100] */
    int batch;                /* [100] */
    double lr;                /* AdamW learning rate [1e-3] */
    int amsgrad;              /* [1] */
    double weight_decay;      /* [0] */
    int patience;             /* early stop on validation loss, 0: never [0] */
    uint64_t seed;            /* shuffling stream [0] */
    sl_lcnn_progress_fn progress;
    void *progress_user;
} sl_lcnn_train_opts;
#define SL_LCNN_TRAIN_OPTS_INIT { sizeof(sl_lcnn_train_opts), 100, 100, 1e-3, 1, 0.0, 0, 0, 0, 0 }
SL_API sl_status sl_lcnn_train_opts_init_sized(sl_lcnn_train_opts *opts, size_t size);
#define sl_lcnn_train_opts_init(opts) ((void)sl_lcnn_train_opts_init_sized((opts), sizeof *(opts)))
SL_API void (sl_lcnn_train_opts_init)(sl_lcnn_train_opts *opts);    /* 1.0 entry point */

/* Fit per-site targets (n, L..) (or (n) with the pooled head) on n canonical
 * fields links (n, L.., nd, N, N); nval of them (the last) for validation,
 * which also selects the best weights kept at the end.  Loss: MSE. */
SL_API sl_status sl_lcnn_train(sl_lcnn *net, int64_t n, int64_t nval, const int64_t *dims,
                               const double *links, const double *targets,
                               const sl_lcnn_train_opts *opts);

/* Save and load a model: the library's checksummed container
 * (docs/file-format.md, kind LCNN), written atomically (a temporary file
 * renamed over path; a replaced file keeps its mode; a symbolic link is
 * written through).  load also reads the 1.0 format (SLLCNN01).  A damaged,
 * truncated or foreign file, options out of range or weights that are not
 * finite give SL_ERR_CORRUPT; a file of a newer format version
 * SL_ERR_UNSUPPORTED; one that cannot be read or written SL_ERR_IO. */
SL_API sl_status sl_lcnn_save(const sl_lcnn *net, const char *path);
SL_API sl_status sl_lcnn_load(sl_ctx *ctx, const char *path, sl_lcnn **out);

#ifdef __cplusplus
}
#endif
#endif
