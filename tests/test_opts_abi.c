/* Size-first option structs across 1.x: a program built against the 1.0
 * layouts (tests/abi_1_0.h) runs against this library.  Each frozen struct
 * lives in a heap buffer of exactly its size (ASan and valgrind catch a read
 * or write past it); larger structs with a zero tail are accepted, a set
 * unknown field is SL_ERR_UNSUPPORTED, a size below 1.0 is SL_ERR_ARG; the
 * initialisers write exactly the size they are given. */
#include "abi_1_0.h"
#include "check.h"

#include <string.h>
#include <symlearn.h>

#define CANARY 0xA5

/* The current struct keeps every 1.0 field at its 1.0 offset. */
#define SAME_FIELD(cur, old, f)                                                         \
    CHECK(offsetof(cur, f) == offsetof(old, f) && sizeof(((cur *)0)->f) == sizeof(((old *)0)->f), \
          #cur "." #f " moved or changed size since 1.0")

/* A buffer of n bytes followed by 32 canary bytes. */
static unsigned char *canaried(size_t n)
{
    unsigned char *b = malloc(n + 32);
    memset(b, CANARY, n + 32);
    return b;
}
static int canary_intact(const unsigned char *b, size_t n)
{
    for (size_t i = n; i < n + 32; ++i)
        if (b[i] != CANARY) return 0;
    return 1;
}
static int all_zero(const unsigned char *b, size_t from, size_t to)
{
    for (size_t i = from; i < to; ++i)
        if (b[i]) return 0;
    return 1;
}
static void *exact_copy(const void *src, size_t n)
{
    void *p = malloc(n);
    memcpy(p, src, n);
    return p;
}

static void layouts(void)
{
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, size);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, alloc);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, free);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, alloc_user);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, log);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, log_user);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, log_level);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, seed);
    SAME_FIELD(sl_ctx_opts, v10_ctx_opts, nthreads);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, kind);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, lr);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, momentum);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, dampening);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, nesterov);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, beta1);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, beta2);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, eps);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, weight_decay);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, amsgrad);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, history);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, max_iter);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, max_eval);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, tolerance_grad);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, tolerance_change);
    SAME_FIELD(sl_optim_opts, v10_optim_opts, line_search);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, order);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, nd);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, nc);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, dims);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, site_order);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, direction_major);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, colour_major);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, pad);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, site_size);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, link_offset);
    SAME_FIELD(sl_gauge_layout, v10_gauge_layout, site_index);
    CHECK(offsetof(sl_gauge_layout, colour_strides) >= sizeof(v10_gauge_layout),
          "sl_gauge_layout's 1.1 fields start after the 1.0 struct (%zu >= %zu)",
          offsetof(sl_gauge_layout, colour_strides), sizeof(v10_gauge_layout));
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, nd);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, nc);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, nlayers);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, channels);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, kernels);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, dilation);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, symmetric);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, orientations);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, head);
    SAME_FIELD(sl_lcnn_opts, v10_lcnn_opts, seed);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, epochs);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, batch);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, lr);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, amsgrad);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, weight_decay);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, patience);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, seed);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, progress);
    SAME_FIELD(sl_lcnn_train_opts, v10_lcnn_train_opts, progress_user);
}

/* The 1.0 entry points write the 1.0 struct and nothing past it; the sized
 * initialisers write exactly the size given (zeros past the fields they
 * know), refuse a size below 1.0 without writing, and agree with the macro. */
static void initialisers(void)
{
    struct {
        const char *name;
        size_t v10, cur;
    } t[5] = {
        {"ctx_opts", sizeof(v10_ctx_opts), sizeof(sl_ctx_opts)},
        {"optim_opts", sizeof(v10_optim_opts), sizeof(sl_optim_opts)},
        {"gauge_layout", sizeof(v10_gauge_layout), sizeof(sl_gauge_layout)},
        {"lcnn_opts", sizeof(v10_lcnn_opts), sizeof(sl_lcnn_opts)},
        {"lcnn_train_opts", sizeof(v10_lcnn_train_opts), sizeof(sl_lcnn_train_opts)},
    };
    for (int k = 0; k < 5; ++k) {
        size_t n10 = t[k].v10, big = t[k].cur + 40;
        /* 1.0 entry point */
        unsigned char *b = canaried(n10);
        switch (k) {
        case 0: (sl_ctx_opts_init)((sl_ctx_opts *)b); break;
        case 1: (sl_optim_opts_init)((sl_optim_opts *)b, SL_OPTIM_ADAM); break;
        case 2: (sl_gauge_layout_init)((sl_gauge_layout *)b); break;
        case 3: (sl_lcnn_opts_init)((sl_lcnn_opts *)b); break;
        default: (sl_lcnn_train_opts_init)((sl_lcnn_train_opts *)b); break;
        }
        size_t got;
        memcpy(&got, b, sizeof got);
        CHECK(canary_intact(b, n10) && got == n10, "%s: 1.0 initialiser wrote %zu, size field %zu (1.0 size %zu)",
              t[k].name, n10, got, n10);
        free(b);
        /* sized: the 1.0 size, a larger size, too small, NULL */
        size_t sizes[3] = {n10, big, n10 / 2};
        for (int j = 0; j < 3; ++j) {
            size_t n = sizes[j];
            b = canaried(n);
            sl_status st;
            switch (k) {
            case 0: st = sl_ctx_opts_init_sized((sl_ctx_opts *)b, n); break;
            case 1: st = sl_optim_opts_init_sized((sl_optim_opts *)b, n, SL_OPTIM_SGD); break;
            case 2: st = sl_gauge_layout_init_sized((sl_gauge_layout *)b, n); break;
            case 3: st = sl_lcnn_opts_init_sized((sl_lcnn_opts *)b, n); break;
            default: st = sl_lcnn_train_opts_init_sized((sl_lcnn_train_opts *)b, n); break;
            }
            memcpy(&got, b, sizeof got);
            if (j < 2) {
                CHECK(st == SL_OK && got == n && canary_intact(b, n), "%s: init_sized(%zu): status %d, size %zu",
                      t[k].name, n, st, got);
                if (j == 1) CHECK(all_zero(b, t[k].cur, n), "%s: init_sized zeroes past the known fields", t[k].name);
            } else {
                int untouched = 1;
                for (size_t i = 0; i < n + 32; ++i) untouched &= b[i] == CANARY;
                CHECK(st == SL_ERR_ARG && untouched, "%s: init_sized(%zu) below 1.0: status %d, untouched %d",
                      t[k].name, n, st, untouched);
            }
            free(b);
        }
    }
    CHECK(sl_ctx_opts_init_sized(NULL, sizeof(sl_ctx_opts)) == SL_ERR_NULL, "init_sized(NULL)");
    CHECK(sl_optim_opts_init_sized(NULL, sizeof(sl_optim_opts), 1) == SL_ERR_NULL, "optim init_sized(NULL)");
    /* the macro and the sized call agree */
    sl_optim_opts a, c;
    memset(&a, 0x11, sizeof a);
    memset(&c, 0x22, sizeof c);
    sl_optim_opts_init(&a, SL_OPTIM_LBFGS);
    sl_optim_opts_init_sized(&c, sizeof c, SL_OPTIM_LBFGS);
    CHECK(a.size == sizeof a && a.lr == 1.0 && a.history == 10 && a.lr == c.lr && a.max_eval == c.max_eval,
          "sl_optim_opts_init macro gives the L-BFGS defaults");
    sl_gauge_layout l1 = SL_GAUGE_LAYOUT_INIT, l2;
    sl_gauge_layout_init(&l2);
    CHECK(l1.size == l2.size && l1.order == l2.order && l1.nd == l2.nd, "SL_GAUGE_LAYOUT_INIT = sl_gauge_layout_init");
}

/* Grow a struct into a buffer of `big` bytes: the struct, then zeros (or one
 * set byte at `set`), its size field = big. */
static void *grown(const void *s, size_t n, size_t big, size_t set)
{
    unsigned char *b = calloc(1, big);
    memcpy(b, s, n);
    memcpy(b, &big, sizeof big);
    if (set) b[set] = 1;
    return b;
}

/* A 1.0 sl_ctx_opts read by sl_ctx_create; bigger and smaller ones. */
static void ctx_opts(void)
{
    v10_ctx_opts o10;
    memset(&o10, 0, sizeof o10);
    o10.size = sizeof o10;
    o10.log_level = SL_LOG_WARN;
    o10.seed = 42;
    v10_ctx_opts *p = exact_copy(&o10, sizeof o10);
    sl_ctx *ctx = NULL;
    CHECK(sl_ctx_create(&ctx, (const sl_ctx_opts *)p) == SL_OK && sl_ctx_seed(ctx) == 42, "ctx from 1.0 opts");
    sl_ctx_destroy(ctx);
    free(p);
    size_t big = sizeof(sl_ctx_opts) + 24;
    void *g = grown(&o10, sizeof o10, big, 0);
    CHECK(sl_ctx_create(&ctx, g) == SL_OK && sl_ctx_seed(ctx) == 42, "larger ctx opts, zero tail");
    sl_ctx_destroy(ctx);
    free(g);
    g = grown(&o10, sizeof o10, big, sizeof(sl_ctx_opts) + 5);
    ctx = (sl_ctx *)1;
    CHECK(sl_ctx_create(&ctx, g) == SL_ERR_UNSUPPORTED && ctx == NULL, "ctx opts with an unknown field set");
    free(g);
    o10.size = 8;
    CHECK(sl_ctx_create(&ctx, (const sl_ctx_opts *)&o10) == SL_ERR_ARG, "ctx opts size 8");
}

/* sl_optim_create with 1.0 SGD options in an exact buffer: one step of
 * x -= lr * 2x. */
static void optim_opts(sl_ctx *ctx)
{
    v10_optim_opts o10;
    (sl_optim_opts_init)((sl_optim_opts *)&o10, SL_OPTIM_SGD);
    o10.lr = 0.25;
    for (int variant = 0; variant < 4; ++variant) {
        sl_graph *g;
        sl_graph_create(ctx, &g);
        double x0[3] = {1, -2, 3};
        sl_node *x = sl_graph_param(g, SL_F64, 1, (int64_t[]){3}, x0, "x");
        sl_node *loss = sl_graph_sum(g, sl_graph_square(g, x));
        size_t big = sizeof(sl_optim_opts) + 16;
        void *p = variant == 0 ? exact_copy(&o10, sizeof o10)
                  : grown(&o10, sizeof o10, big, variant == 2 ? sizeof(sl_optim_opts) + 3 : 0);
        if (variant == 3) ((v10_optim_opts *)p)->size = offsetof(v10_optim_opts, line_search);
        sl_optim *opt = NULL;
        sl_status st = sl_optim_create(g, loss, 0, NULL, p, &opt);
        if (variant < 2) {
            double l;
            CHECK(st == SL_OK && sl_optim_step(opt, &l) == SL_OK && l == 14.0, "optim from %s opts: %s",
                  variant ? "larger" : "1.0", sl_ctx_errmsg(ctx));
            const double *v = sl_node_data(x);
            CHECK(v[0] == 0.5 && v[1] == -1.0 && v[2] == 1.5, "SGD step with the 1.0 struct's lr");
        } else if (variant == 2) {
            CHECK(st == SL_ERR_UNSUPPORTED && strstr(sl_ctx_errmsg(ctx), "sl_optim_create") &&
                      strstr(sl_ctx_errmsg(ctx), "newer"),
                  "optim opts with an unknown field set: %s", sl_ctx_errmsg(ctx));
        } else {
            CHECK(st == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "opts->size"), "optim opts too small: %s",
                  sl_ctx_errmsg(ctx));
        }
        sl_optim_destroy(opt);
        sl_graph_destroy(g);
        free(p);
    }
}

/* sl_gauge_wrap / sl_gauge_export with a 1.0 layout (unit links, 2 x 2 SU(2)). */
static void gauge_layout(sl_ctx *ctx)
{
    v10_gauge_layout l10;
    (sl_gauge_layout_init)((sl_gauge_layout *)&l10);
    l10.nd = 2;
    l10.nc = 2;
    l10.dims[0] = l10.dims[1] = 2;
    double links[4 * 2 * 8];
    memset(links, 0, sizeof links);
    for (int i = 0; i < 8; ++i) links[8 * i] = links[8 * i + 6] = 1;
    double out[4 * 2 * 8];
    for (int variant = 0; variant < 3; ++variant) {
        size_t big = sizeof(sl_gauge_layout) + 8;
        void *p = variant == 0 ? exact_copy(&l10, sizeof l10)
                  : grown(&l10, sizeof l10, big, variant == 2 ? sizeof(sl_gauge_layout) : 0);
        sl_gauge *U = NULL;
        sl_status st = sl_gauge_wrap(ctx, p, links, &U);
        if (variant < 2) {
            double plaq = 0;
            CHECK(st == SL_OK && sl_gauge_plaquette(U, &plaq) == SL_OK && plaq == 1.0, "wrap with a %s layout: %s",
                  variant ? "larger" : "1.0", sl_ctx_errmsg(ctx));
            CHECK(sl_gauge_export(U, p, out) == SL_OK && !memcmp(out, links, sizeof out), "export with it");
        } else {
            CHECK(st == SL_ERR_UNSUPPORTED && U == NULL && strstr(sl_ctx_errmsg(ctx), "sl_gauge_wrap"),
                  "layout with an unknown field set: %s", sl_ctx_errmsg(ctx));
        }
        sl_gauge_destroy(U);
        free(p);
    }
    /* the 1.1 fields default for a 1.0 struct: a 1.0 CUSTOM description of
     * an x-fastest, direction-major, colour-major array reads it in place
     * (complex elements, contiguous colour blocks, no direction permutation),
     * dims in the layout's order, exactly as the same layout with the 1.1
     * fields zero in a current struct */
    v10_gauge_layout c10;
    (sl_gauge_layout_init)((sl_gauge_layout *)&c10);
    c10.order = SL_GAUGE_ORDER_CUSTOM;
    c10.nd = 2;
    c10.nc = 2;
    c10.dims[0] = 2;
    c10.dims[1] = 4;
    c10.site_order = SL_SITES_LEX_X_FASTEST;
    c10.direction_major = 1;
    c10.colour_major = 1;
    double host[8 * 2 * 8];
    sl_su_random(ctx, 2, 16, 7, host);
    sl_gauge_layout cur = SL_GAUGE_LAYOUT_INIT;
    CHECK(cur.colour_strides[0] == 0 && cur.colour_strides[1] == 0 && cur.link_stride == 0 &&
              cur.element == SL_GAUGE_ELEMENT_COMPLEX && cur.directions[0] == 0 && cur.directions[5] == 0,
          "SL_GAUGE_LAYOUT_INIT: the 1.1 fields are 0");
    memcpy(&cur, &c10, sizeof c10);
    cur.size = sizeof cur;
    void *p = exact_copy(&c10, sizeof c10);
    sl_gauge *A = NULL, *B = NULL;
    CHECK(sl_gauge_wrap(ctx, p, host, &A) == SL_OK && sl_gauge_wrap(ctx, &cur, host, &B) == SL_OK,
          "wrap a 1.0 CUSTOM layout: %s", sl_ctx_errmsg(ctx));
    if (A && B) {
        int64_t d[2];
        sl_gauge_dims(A, d);
        double ca[8 * 2 * 8], cb[8 * 2 * 8];
        sl_gauge_copy_canonical(A, ca);
        sl_gauge_copy_canonical(B, cb);
        CHECK(sl_gauge_in_place(A) && d[0] == 2 && d[1] == 4 && !memcmp(ca, cb, sizeof ca),
              "1.0 CUSTOM layout: in place, dims (2, 4), the links of the 1.1 defaults");
        memset(ca, 0, sizeof ca);
        CHECK(sl_gauge_export(B, p, ca) == SL_OK && !memcmp(ca, host, sizeof ca), "export with the 1.0 layout");
    }
    sl_gauge_destroy(A);
    sl_gauge_destroy(B);
    free(p);
}

/* sl_lcnn_create and sl_lcnn_train with 1.0 options. */
static void lcnn_opts(sl_ctx *ctx)
{
    v10_lcnn_opts o10;
    (sl_lcnn_opts_init)((sl_lcnn_opts *)&o10);
    o10.nlayers = 1;
    o10.channels[0] = 2;
    o10.kernels[0] = 2;
    sl_lcnn_opts cur = SL_LCNN_OPTS_INIT;
    cur.nlayers = 1;
    cur.channels[0] = 2;
    cur.kernels[0] = 2;
    sl_lcnn *ref = NULL, *net = NULL;
    sl_lcnn_create(ctx, &cur, &ref);
    void *p = exact_copy(&o10, sizeof o10);
    CHECK(sl_lcnn_create(ctx, p, &net) == SL_OK && sl_lcnn_nparams(net) == sl_lcnn_nparams(ref),
          "lcnn from 1.0 opts: %s", sl_ctx_errmsg(ctx));
    free(p);
    p = grown(&o10, sizeof o10, sizeof(sl_lcnn_opts) + 8, sizeof(sl_lcnn_opts) + 7);
    sl_lcnn *bad = (sl_lcnn *)1;
    CHECK(sl_lcnn_create(ctx, p, &bad) == SL_ERR_UNSUPPORTED && bad == NULL, "lcnn opts with an unknown field");
    free(p);

    /* two unit fields on 2 x 2, targets 1: one epoch with 1.0 train opts */
    int64_t dims[2] = {2, 2};
    double links[2 * 4 * 2 * 8], y[2 * 4];
    memset(links, 0, sizeof links);
    for (int i = 0; i < 16; ++i) links[8 * i] = links[8 * i + 6] = 1;
    for (int i = 0; i < 8; ++i) y[i] = 1;
    v10_lcnn_train_opts t10;
    (sl_lcnn_train_opts_init)((sl_lcnn_train_opts *)&t10);
    t10.epochs = 1;
    t10.batch = 1;
    p = exact_copy(&t10, sizeof t10);
    CHECK(sl_lcnn_train(net, 2, 1, dims, links, y, p) == SL_OK, "train with 1.0 opts: %s", sl_ctx_errmsg(ctx));
    free(p);
    p = grown(&t10, sizeof t10, sizeof(sl_lcnn_train_opts) + 8, sizeof(sl_lcnn_train_opts) + 1);
    CHECK(sl_lcnn_train(net, 2, 1, dims, links, y, p) == SL_ERR_UNSUPPORTED &&
              strstr(sl_ctx_errmsg(ctx), "sl_lcnn_train"),
          "train opts with an unknown field: %s", sl_ctx_errmsg(ctx));
    free(p);
    sl_lcnn_destroy(net);
    sl_lcnn_destroy(ref);
}

int main(void)
{
    layouts();
    initialisers();
    ctx_opts();
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL) != SL_OK) return 1;
    optim_opts(ctx);
    gauge_layout(ctx);
    lcnn_opts(ctx);
    sl_ctx_destroy(ctx);
    return check_done();
}
