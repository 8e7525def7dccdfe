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

#ifdef __cplusplus
}
#endif
#endif
