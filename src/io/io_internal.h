/* Internal helpers of the file formats in src/io. */
#ifndef SL_IO_INTERNAL_H
#define SL_IO_INTERNAL_H

#include "../core/internal.h"

/* Fuzzing builds (tests/fuzz, the libFuzzer convention) skip the checksum
 * comparisons, so that mutated inputs reach the parsers behind them.  Never
 * defined in a library build. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define SL__CHECKSUMS 0
#else
#define SL__CHECKSUMS 1
#endif

/* Write the concatenation of parts to path atomically: a temporary file in
 * the target's directory, fsync, rename over the target, fsync of the
 * directory.  A symbolic link is written through (its final target is
 * replaced, the link stays); a replaced file keeps its permission bits, a
 * new file gets 0666 minus the umask.  On failure the temporary is removed
 * and path is untouched (the old file stays as it was). */
SL_HIDDEN sl_status sl__write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *const *parts,
                                     const size_t *sizes, int nparts);

/* Read a whole file into *buf (sl__alloc on ctx, one spare byte past *len,
 * set to 0).  The buffer grows with the bytes actually read (a regular
 * file's size is the first guess), so what is allocated never exceeds about
 * twice the file.  SL_ERR_IO (with a message) when it cannot be opened or read. */
SL_HIDDEN sl_status sl__read_file(sl_ctx *ctx, const char *who, const char *path, unsigned char **buf,
                                  size_t *len);

/* The readers on bytes in memory (name is the file name for messages).  The
 * public loaders are sl__read_file + these; the fuzz targets call them
 * directly (tests/fuzz/). */
SL_HIDDEN sl_status sl__lcnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                   size_t len, sl_lcnn **out);
SL_HIDDEN sl_status sl__symmetry_result_parse(sl_ctx *ctx, const char *who, const char *name,
                                              const unsigned char *data, size_t len, sl_symmetry_result **out);
SL_HIDDEN sl_status sl__nersc_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                    size_t len, sl_gauge **out);
SL_HIDDEN sl_status sl__conserved_result_parse(sl_ctx *ctx, const char *who, const char *name,
                                               const unsigned char *data, size_t len, sl_conserved_result **out);
SL_HIDDEN sl_status sl__cy_model_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                       size_t len, sl_cy_model **out);
SL_HIDDEN sl_status sl__flux_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                   size_t len, sl_flux **out);
SL_HIDDEN sl_status sl__hnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                  size_t len, sl_hnn **out);
/* What a loaded symmetry result must satisfy (ranges, finite generators and
 * analysis, a terminated printable name): SL_ERR_CORRUPT naming who/name. */
SL_HIDDEN sl_status sl__symmetry_result_check(const sl_symmetry_result *r, const char *who, const char *name);
/* Legacy 1.0 formats (legacy_io.c): SLLCNN01 models and SLSYMR1 results. */
SL_HIDDEN int sl__legacy_lcnn_magic(const unsigned char *data, size_t len);
SL_HIDDEN int sl__legacy_result_magic(const unsigned char *data, size_t len);
SL_HIDDEN sl_status sl__legacy_lcnn_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                          size_t len, sl_lcnn **out);
SL_HIDDEN sl_status sl__legacy_result_parse(sl_ctx *ctx, const char *who, const char *name,
                                            const unsigned char *data, size_t len, sl_symmetry_result **out);

#endif
