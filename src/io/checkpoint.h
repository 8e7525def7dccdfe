/* Training checkpoints (internal): the resumable state of an optimiser and
 * of a counter-based RNG stream as container records (container.h), and a
 * checkpoint file of kind CKPT holding both (docs/file-format.md).
 *
 * Resuming is bit-identical: an optimiser created the same way (same graph,
 * params in the same order, same options) and restored from a checkpoint
 * taken after k steps continues exactly as the uninterrupted one would.
 * The conserved-quantities trainer (and any later trainer) writes its own
 * records beside these in the same container:
 *
 *     sl__cw w;
 *     sl__cw_begin(&w, ctx, who, SL__KIND_CKPT, SL__CKPT_VERSION);
 *     sl__optim_state_put(&w, SL__TAG_OPTM, opt);
 *     sl__rng_state_put(&w, SL__TAG_RNG, seed, counter);
 *     ... its own records (epoch, best loss, ...) ...
 *     st = sl__cw_commit(&w, path);
 *
 * and reads them back with sl__cfile_open(..., SL__KIND_CKPT, ...),
 * sl__optim_state_get and sl__rng_state_get. */
#ifndef SL_IO_CHECKPOINT_H
#define SL_IO_CHECKPOINT_H

#include "container.h"

#define SL__CKPT_VERSION 1
#define SL__TAG_OPTM SL__TAG('O', 'P', 'T', 'M')
#define SL__TAG_RNG SL__TAG('R', 'N', 'G', ' ')

/* The optimiser's state as the BLOB record tag: kind, options, component
 * count, step count, the parameters, and the method's state (SGD momentum
 * buffer; Adam/AdamW moments and the amsgrad maximum; L-BFGS iteration
 * count, last step length, scaling, direction, previous gradient and the
 * curvature pairs in order, oldest first). */
SL_HIDDEN void sl__optim_state_put(sl__cw *w, uint32_t tag, const sl_optim *o);
/* Restore o from the BLOB record tag of r.  o must have the same kind, the
 * same number of real components and the same options as the optimiser that
 * was saved, except the learning rate, which is restored (SL_ERR_ARG naming
 * the first difference; a different option breaks the bit-identical resume).
 * A missing, inconsistent or non-finite record is SL_ERR_CORRUPT.  Every
 * record is checked before anything is changed: on failure o (and its
 * parameters) are untouched. */
SL_HIDDEN sl_status sl__optim_state_get(const sl__crd *r, uint32_t tag, sl_optim *o);

/* A counter-based RNG position (sl_rng_*: seed, the next counter k) as a
 * u64[2] record. */
SL_HIDDEN void sl__rng_state_put(sl__cw *w, uint32_t tag, uint64_t seed, uint64_t counter);
SL_HIDDEN sl_status sl__rng_state_get(const sl__crd *r, uint32_t tag, uint64_t *seed, uint64_t *counter);

/* A checkpoint file of just these two: OPTM and RNG. */
SL_HIDDEN sl_status sl__checkpoint_save(sl_ctx *ctx, const char *who, const char *path, const sl_optim *o,
                                        uint64_t seed, uint64_t counter);
SL_HIDDEN sl_status sl__checkpoint_load(sl_ctx *ctx, const char *who, const char *path, sl_optim *o,
                                        uint64_t *seed, uint64_t *counter);
/* The same on bytes in memory (the fuzz target). */
SL_HIDDEN sl_status sl__checkpoint_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                         size_t len, sl_optim *o, uint64_t *seed, uint64_t *counter);

#endif
