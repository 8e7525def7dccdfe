/* The one file container of libsymlearn (byte layout: docs/file-format.md).
 *
 * Every binary file the library writes is a container: a 48-byte header
 * (magic, container version, kind, kind version, flags, the stored and the
 * inflated payload length, CRC-32 of the stored payload, CRC-32 of the
 * header), then the payload, optionally one zlib stream.  Every integer is
 * little-endian.  The payload is a stream of tagged records
 *
 *     u32 tag, u32 type, u64 nbytes, nbytes of data, zero padding to 8
 *
 * so a later version can add records (and record types) that an older reader
 * skips.  A nested record stream is a record of type BLOB.
 *
 * Writing (sl__cw): begin(kind, version), put records, commit (one atomic
 * write through sl__write_atomic).  Errors are sticky: a put that fails
 * (out of memory, a count too large) records the message on the context and
 * every later call does nothing; commit returns the first error.
 *
 *     sl__cw w;
 *     sl__cw_begin(&w, ctx, who, SL__KIND_LCNN, 1);
 *     sl__cw_i64(&w, SL__TAG('N','D',' ',' '), &nd, 1);
 *     sl__cw_f64(&w, SL__TAG('W','G','T','S'), w, n);
 *     st = sl__cw_commit(&w, path);        (frees w in every case)
 *
 * Reading (sl__cfile, sl__crd): open validates, in this order and before
 * allocating anything proportional to a stated length, the magic, the header
 * CRC, the container version, the kind, the kind version, the flags, that the
 * stored length is exactly the real file size minus the header, the payload
 * CRC; a deflated payload is inflated in bounded chunks (the buffer grows with
 * the output actually produced, never past the stated length, and a stated
 * length above deflate's maximum expansion of the stored bytes is corrupt
 * without inflating); then the record stream is walked once so that every
 * record lies inside the payload.  Getters find a record by tag (the first
 * one with that tag), check its type and count and copy (converting from
 * little-endian) into the caller's memory: they never read outside the
 * payload.  A missing, truncated or inconsistent record is SL_ERR_CORRUPT with
 * a message naming the call, the file and the record:
 *     "sl_lcnn_load: 'net.slm': record 'WGTS': 480 f64 values (must be 490)"
 * A file of another kind is SL_ERR_CORRUPT, a newer kind version or container
 * version SL_ERR_UNSUPPORTED, a file that cannot be read SL_ERR_IO.
 *
 * Adding a field: put a new record; readers of older versions skip it, and a
 * new reader treats it as optional (sl__crd_find) when reading older files.
 * Bump the kind version only for a change an older reader must not accept.
 * Adding a kind: a new SL__KIND_* below and a section in docs/file-format.md. */
#ifndef SL_IO_CONTAINER_H
#define SL_IO_CONTAINER_H

#include "io_internal.h"

#define SL__TAG(a, b, c, d) \
    ((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 | (uint32_t)(unsigned char)(c) << 16 | \
     (uint32_t)(unsigned char)(d) << 24)

/* File kinds (the four bytes at offset 12 read as ASCII). */
#define SL__KIND_LCNN SL__TAG('L', 'C', 'N', 'N')   /* L-CNN model (model_io.c) */
#define SL__KIND_SYMR SL__TAG('S', 'Y', 'M', 'R')   /* symmetry result (result_io.c) */
#define SL__KIND_CKPT SL__TAG('C', 'K', 'P', 'T')   /* training checkpoint (checkpoint.c) */
#define SL__KIND_CONS SL__TAG('C', 'O', 'N', 'S')   /* conserved-quantity result (conserved_io.c) */
#define SL__KIND_HNN SL__TAG('H', 'N', 'N', ' ')    /* Hamiltonian neural network (hnn_io.c) */
#define SL__KIND_CYMD SL__TAG('C', 'Y', 'M', 'D')   /* Calabi-Yau phi-model (cy_io.c) */
#define SL__KIND_FLUX SL__TAG('F', 'L', 'U', 'X')   /* scalar-field flux configurations (flux_io.c) */

/* Record types and their element sizes. */
enum {
    SL__REC_U32 = 1,   /* uint32 */
    SL__REC_I64 = 2,   /* int64 */
    SL__REC_U64 = 3,   /* uint64 */
    SL__REC_F64 = 4,   /* IEEE-754 binary64 */
    SL__REC_C128 = 5,  /* (re, im) binary64 pairs */
    SL__REC_STR = 6,   /* UTF-8 bytes, no terminating NUL, no NUL inside */
    SL__REC_BLOB = 7   /* a nested record stream */
};

#define SL__CONTAINER_HEADER 48
#define SL__CONTAINER_VERSION 1
#define SL__CW_MAX_DEPTH 8
/* Deflate cannot expand by more than 1032:1 (RFC 1951: a 258-byte match in
 * a code of at least 2 bits); a stated length above this is corrupt. */
#define SL__DEFLATE_MAX_RATIO 1032

/* 1 when data starts with the container magic (for loaders that also read a
 * legacy format). */
SL_HIDDEN int sl__is_container(const void *data, size_t len);

/* ---- writer ------------------------------------------------------------------- */
typedef struct {
    sl_ctx *ctx;
    const char *who;
    uint32_t kind, version;
    unsigned char *p;               /* the payload being built */
    size_t len, cap;
    size_t open[SL__CW_MAX_DEPTH];  /* offsets of the open BLOB record headers */
    int depth;
    int compress;                   /* 1 (default): deflate the payload when it pays */
    sl_status st;                   /* first error */
} sl__cw;

/* Start a container of kind/version; who names the public call in messages. */
SL_HIDDEN void sl__cw_begin(sl__cw *w, sl_ctx *ctx, const char *who, uint32_t kind, uint32_t version);
/* Records: count elements (for c128, count complex numbers: 2 count doubles). */
SL_HIDDEN void sl__cw_u32(sl__cw *w, uint32_t tag, const uint32_t *x, size_t count);
SL_HIDDEN void sl__cw_i64(sl__cw *w, uint32_t tag, const int64_t *x, size_t count);
SL_HIDDEN void sl__cw_u64(sl__cw *w, uint32_t tag, const uint64_t *x, size_t count);
SL_HIDDEN void sl__cw_f64(sl__cw *w, uint32_t tag, const double *x, size_t count);
SL_HIDDEN void sl__cw_c128(sl__cw *w, uint32_t tag, const double *x, size_t count);
SL_HIDDEN void sl__cw_str(sl__cw *w, uint32_t tag, const char *s);
static inline void sl__cw_i64_1(sl__cw *w, uint32_t tag, int64_t v) { sl__cw_i64(w, tag, &v, 1); }
static inline void sl__cw_f64_1(sl__cw *w, uint32_t tag, double v) { sl__cw_f64(w, tag, &v, 1); }
/* A record of a type this library does not know (tests of forward
 * compatibility): nbytes raw bytes under type. */
SL_HIDDEN void sl__cw_raw(sl__cw *w, uint32_t tag, uint32_t type, const void *data, size_t nbytes);
/* A nested record stream: records put between begin and end go into it. */
SL_HIDDEN void sl__cw_blob_begin(sl__cw *w, uint32_t tag);
SL_HIDDEN void sl__cw_blob_end(sl__cw *w);
/* The whole file in memory (*out owned by the caller, sl__free with w's
 * context).  Frees the writer's buffers in every case. */
SL_HIDDEN sl_status sl__cw_finish(sl__cw *w, unsigned char **out, size_t *len);
/* Write the file atomically to path (sl__write_atomic).  Frees the writer. */
SL_HIDDEN sl_status sl__cw_commit(sl__cw *w, const char *path);
/* Drop a writer without writing. */
SL_HIDDEN void sl__cw_discard(sl__cw *w);

/* ---- reader -------------------------------------------------------------------- */
/* A view of one record stream (the payload, or a nested blob).  Plain value:
 * no allocation, valid while its sl__cfile is open. */
typedef struct {
    sl_ctx *ctx;
    const char *who, *name;         /* the public call and the file, for messages */
    const unsigned char *p;
    size_t len;
    char where[48];                 /* "" at top level, " in 'OPTM'" inside a blob */
} sl__crd;

/* One record found by tag: its type, byte length and data (inside the payload). */
typedef struct {
    uint32_t tag, type;
    uint64_t nbytes;
    const unsigned char *data;
} sl__rec;

typedef struct {
    sl__crd root;                   /* the payload's records */
    uint32_t kind, version;
    unsigned char *file, *payload;  /* owned buffers (either may be NULL) */
    sl_ctx *ctx;
} sl__cfile;

/* Validate and open a container held in memory (data[0..len-1] must outlive
 * f unless the payload was inflated; name is used in messages).  kind must
 * match; versions 1..max_version are accepted, *f->version says which.  On
 * failure f holds nothing to close (closing it anyway is harmless). */
SL_HIDDEN sl_status sl__cfile_parse(sl_ctx *ctx, const char *who, const char *name, const unsigned char *data,
                                    size_t len, uint32_t kind, uint32_t max_version, sl__cfile *f);
/* Read path (sl__read_file) and parse it; f owns the bytes. */
SL_HIDDEN sl_status sl__cfile_open(sl_ctx *ctx, const char *who, const char *path, uint32_t kind,
                                   uint32_t max_version, sl__cfile *f);
/* As parse, but f takes ownership of buf (allocated with sl__alloc on ctx),
 * also on failure. */
SL_HIDDEN sl_status sl__cfile_adopt(sl_ctx *ctx, const char *who, const char *name, unsigned char *buf,
                                    size_t len, uint32_t kind, uint32_t max_version, sl__cfile *f);
SL_HIDDEN void sl__cfile_close(sl__cfile *f);

/* Find the first record with tag: 1 and *rec filled, or 0. */
SL_HIDDEN int sl__crd_find(const sl__crd *r, uint32_t tag, sl__rec *rec);
/* The record tag of the given type (SL_ERR_CORRUPT when missing or of
 * another type); *count receives its element count. */
SL_HIDDEN sl_status sl__crd_count(const sl__crd *r, uint32_t tag, int type, int64_t *count);
/* Copy exactly count elements of record tag (type as named) into out.
 * finite != 0: a NaN or Inf is SL_ERR_CORRUPT (where the format cannot hold
 * one).  out == NULL only validates (type, count, finiteness), so that a
 * caller can check every record before it changes anything. */
SL_HIDDEN sl_status sl__crd_u32(const sl__crd *r, uint32_t tag, uint32_t *out, int64_t count);
SL_HIDDEN sl_status sl__crd_i64(const sl__crd *r, uint32_t tag, int64_t *out, int64_t count);
SL_HIDDEN sl_status sl__crd_u64(const sl__crd *r, uint32_t tag, uint64_t *out, int64_t count);
SL_HIDDEN sl_status sl__crd_f64(const sl__crd *r, uint32_t tag, double *out, int64_t count, int finite);
SL_HIDDEN sl_status sl__crd_c128(const sl__crd *r, uint32_t tag, double *out, int64_t count, int finite);
/* One int64 in [lo, hi]; the int version also fits it into an int. */
SL_HIDDEN sl_status sl__crd_i64_1(const sl__crd *r, uint32_t tag, int64_t lo, int64_t hi, int64_t *out);
SL_HIDDEN sl_status sl__crd_int(const sl__crd *r, uint32_t tag, int lo, int hi, int *out);
SL_HIDDEN sl_status sl__crd_f64_1(const sl__crd *r, uint32_t tag, int finite, double *out);
/* A string into buf (cap bytes with the NUL; longer, or holding a NUL or a
 * control character, is corrupt). */
SL_HIDDEN sl_status sl__crd_str(const sl__crd *r, uint32_t tag, char *buf, size_t cap);
/* The nested stream of BLOB record tag, validated as the payload was. */
SL_HIDDEN sl_status sl__crd_blob(const sl__crd *r, uint32_t tag, sl__crd *sub);
/* Record SL_ERR_CORRUPT for a value of record tag that fails a caller's
 * check: "who: 'name': record 'TAG'<where>: <message>". */
SL_HIDDEN sl_status sl__crd_bad(const sl__crd *r, uint32_t tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- little-endian helpers -------------------------------------------------------- */
static inline void sl__le32_put(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (8 * i));
}
static inline void sl__le64_put(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; ++i) p[i] = (unsigned char)(v >> (8 * i));
}
static inline uint32_t sl__le32_get(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t sl__le64_get(const unsigned char *p)
{
    return (uint64_t)sl__le32_get(p) | (uint64_t)sl__le32_get(p + 4) << 32;
}

/* Inflate the zlib stream in[0..inlen-1], which must hold exactly want bytes,
 * into *out (sl__alloc; want + 1 bytes).  The buffer grows by doubling with
 * the output actually produced (from 64 KiB or inlen), so a stream that
 * claims more than it holds costs only what it holds.  Any other length,
 * trailing input or a damaged stream is SL_ERR_CORRUPT naming name. */
SL_HIDDEN sl_status sl__inflate(sl_ctx *ctx, const char *who, const char *name, const unsigned char *in, size_t inlen,
                                size_t want, unsigned char **out);

/* CRC-32 (zlib) of any length (zlib takes uInt lengths). */
SL_HIDDEN uint32_t sl__crc32(const unsigned char *p, size_t n);

#endif
