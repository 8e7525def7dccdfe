/* libsymlearn gauge fields: periodic lattices, SU(N) gauge fields in the
 * host code's own memory layout, group utilities, Monte Carlo and NERSC
 * files.  The network layers, models and training on top of them are in
 * lcnn.h; lattice.h includes both.
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
 *
 * Thread safety: as for the rest of the library (one thread per context). */
#ifndef SYMLEARN_GAUGE_H
#define SYMLEARN_GAUGE_H

#include "tensor.h"

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
 *              time = direction 0 (copy).  Single process only
 *              (NPROC0..3 = 1, dims = L0..L3): on several MPI processes
 *              ipt[] and the field are rank-local and the boundary links
 *              live on the neighbours, so gather the field first.  Every
 *              site_index value is checked: in 0..V-1, each once, even
 *              sites (sum x_mu even) below V/2 (SL_ERR_ARG otherwise). 
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

/* Link element types (sl_gauge_layout.element). */
enum {
    SL_GAUGE_ELEMENT_COMPLEX = 0,     /* N x N complex, (re, im) interleaved doubles */
    SL_GAUGE_ELEMENT_QUATERNION = 1   /* N = 2: 4 doubles (a0, a1, a2, a3), U = a0 + i a.sigma */
};

/* Size-first layout descriptor.  Initialise with SL_GAUGE_LAYOUT_INIT or
 * sl_gauge_layout_init(), then set order, nd, nc, dims (and the fields that
 * the order uses).
 *
 * The descriptor speaks of the host's directions: dims, site_order, the
 * link index mu and site_index are the host's.  directions (1.1) maps them
 * to the library's: the field's direction mu is the host's directions[mu]
 * (its extent dims[directions[mu]]).  The library's convention is time last
 * (mu = nd-1, as NERSC files: x, y, z, t), so a time-first host (openQCD,
 * x0 = t) passes directions = {1, 2, 3, 0} to get sl_gauge_write_nersc and
 * the time Polyakov loop (sl_gauge_polyakov, mu = nd-1) right.  A
 * non-identity permutation makes one canonical copy.
 *
 * colour_strides (1.1, CUSTOM only): entry (r, c) of a link sits at
 * base + r*colour_strides[0] + c*colour_strides[1] complex elements, base =
 * link_stride * (the link's index in host order, as direction_major and
 * site_order give it).  A Fortran complex(dp) U(V, nd, N, N) (site fastest,
 * colour indices slowest) is CUSTOM, site_order as its sites, direction_major
 * = 1, link_stride = 1, colour_strides = {nd*V, nd*V*N}.  Links and entries
 * must not overlap: sorted by stride, each stride is at least the previous
 * one times its extent (SL_ERR_ARG otherwise).  Read in place when the site
 * order is lexicographic, as without colour strides.
 *
 * element = SL_GAUGE_ELEMENT_QUATERNION (1.1, nc = 2, colour_strides 0): each
 * link is 4 doubles (a0, a1, a2, a3), U = a0 + i (a1 s1 + a2 s2 + a3 s3) with
 * the Pauli matrices s_k, i.e. U11 = a0 + i a3, U12 = a2 + i a1,
 * U21 = -a2 + i a1, U22 = a0 - i a3 (the convention of the SU(2) kernels,
 * docs/lattice.md), in any order's place of the N x N block.  Always one
 * expanding copy (sl_gauge_tensor is c128 N x N); sl_gauge_export writes the
 * projection a0 = Re(U11 + U22)/2, a3 = Im(U11 - U22)/2, a2 = Re(U12 - U21)/2,
 * a1 = Im(U12 + U21)/2. */
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
    /* 1.1 (all zero: the 1.0 behaviour; a 1.0-sized struct gets these zeros) */
    int64_t colour_strides[2];        /* CUSTOM: complex elements between rows, between columns
                                         of one link; {0, 0}: a contiguous N x N block (colour_major) */
    int64_t link_stride;              /* CUSTOM with colour_strides: complex elements from one link to
                                         the next in host order (site_order, direction_major) [0: N*N] */
    int element;                      /* SL_GAUGE_ELEMENT_* [COMPLEX] */
    int directions[SL_LATTICE_MAX_DIM]; /* library direction mu = host direction directions[mu];
                                         all 0: the identity */
} sl_gauge_layout;

#define SL_GAUGE_LAYOUT_INIT { sizeof(sl_gauge_layout), 0, 0, 0, {0, 0, 0, 0, 0, 0}, 0, 0, 0, 0, 0, 0, 0, \
                               {0, 0}, 0, 0, {0, 0, 0, 0, 0, 0} }

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
 * of the host array (in place) or of the canonical copy.  Owned by U.  It has
 * no batch axis; a graph input U of shape (1, L0, .., nd, N, N) reads the same
 * memory: sl_plan_bind(plan, Unode, sl_tensor_data(t)) when
 * sl_tensor_is_contiguous(t) (or sl_tensor_reshape(t, nd + 4, shape with a
 * leading 1, &view)); a strided in-place view is bound through a copy
 * (sl_gauge_copy_canonical), as sl_lcnn_predict does. */
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

/* Lattice average of Re Tr W / N of the r x t Wilson loop in the plane
 * (mu, nu) based at every site x: r steps +mu, t steps +nu, back (the loop of
 * sl_graph_wilson_loop(g, U, mu, nu, r, t)); 1 on a cold start (Tr W = N).
 * mu > nu is allowed: W(mu, nu, r, t) runs the loop of W(nu, mu, t, r) the
 * other way round (its adjoint: the same average).  1 <= r <= L_mu,
 * 1 <= t <= L_nu (r = L_mu closes the loop around the lattice).
 * Errors: SL_ERR_NULL, SL_ERR_ARG, SL_ERR_NOMEM. */
SL_API sl_status sl_gauge_wilson_loop(const sl_gauge *U, int mu, int nu, int r, int t, double *avg);

/* Average of Tr L / N of the Polyakov loops along direction mu,
 * L(x) = prod_{k < L_mu} U(x + k mu, mu) (the loops of sl_graph_polyakov):
 * out[0] = Re, out[1] = Im, over the volume / L_mu distinct lines.  The
 * loop in time is mu = nd - 1 (the library's convention, time last;
 * sl_gauge_layout.directions maps a time-first host).  Cold start: {1, 0}.
 * Errors: SL_ERR_NULL, SL_ERR_ARG (mu). */
SL_API sl_status sl_gauge_polyakov(const sl_gauge *U, int mu, double *out);

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
 * write takes the field's direction 3 as t: wrap a time-first host with
 * sl_gauge_layout.directions (e.g. {1, 2, 3, 0} for openQCD).
 * write: 4D_SU3_GAUGE_3x3 IEEE64BIG, atomically as every file the library
 * writes (docs/file-format.md: temporary file renamed over path, directory
 * synced, mode of a replaced file kept, symbolic links written through).
 * Errors: SL_ERR_IO, SL_ERR_CORRUPT, SL_ERR_ARG (not nd = 4, N = 3). */
SL_API sl_status sl_gauge_read_nersc(sl_ctx *ctx, const char *path, sl_gauge **out);
SL_API sl_status sl_gauge_write_nersc(const sl_gauge *U, const char *path);

#ifdef __cplusplus
}
#endif
#endif
