/* Internal helpers of the file formats in src/io. */
#ifndef SL_IO_INTERNAL_H
#define SL_IO_INTERNAL_H

#include "../core/internal.h"

/* Write the concatenation of parts to path atomically: a temporary file
 * beside it, fsync, rename.  On failure the temporary is removed and path is
 * untouched. */
SL_HIDDEN sl_status sl__write_atomic(sl_ctx *ctx, const char *who, const char *path, const void *const *parts,
                                     const size_t *sizes, int nparts);

#endif
