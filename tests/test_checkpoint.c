/* Training checkpoints (src/io/checkpoint.h): a training checkpointed after
 * k steps, restored into a fresh optimiser on a fresh graph and continued
 * gives parameters bit-identical to the uninterrupted run, for SGD with
 * Nesterov momentum, Adam with amsgrad, AdamW and L-BFGS (with its history
 * wrapped around); the minibatches come from a counter-based RNG whose
 * position is checkpointed too.  A mismatched optimiser or a damaged file is
 * refused and changes nothing. */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "io/checkpoint.h"
#include "optim/optim_internal.h"

enum { B = 8, NIN = 3, NH = 4 };

typedef struct {
    sl_ctx *ctx;
    sl_graph *g;
    sl_node *W, *V, *c, *X, *Y;
    sl_optim *opt;
    double x[B * NIN], y[B];
} run;

static void run_init(run *r, sl_ctx *ctx, const sl_optim_opts *o, double scale)
{
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    sl_graph_create(ctx, &r->g);
    double w0[NIN * NH], v0[NH], c0[4] = {0.3 * scale, -0.2 * scale, 0.1 * scale, 0.4 * scale};
    for (int i = 0; i < NIN * NH; ++i) w0[i] = scale * sin(1.0 + i);
    for (int i = 0; i < NH; ++i) v0[i] = scale * cos(2.0 + i);
    sl_graph *g = r->g;
    r->W = sl_graph_param(g, SL_F64, 2, (int64_t[]){NIN, NH}, w0, "W");
    r->V = sl_graph_param(g, SL_F64, 2, (int64_t[]){NH, 1}, v0, "V");
    r->c = sl_graph_param(g, SL_C128, 1, (int64_t[]){2}, c0, "c");
    r->X = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, NIN}, "X");
    r->Y = sl_graph_input(g, SL_F64, 2, (int64_t[]){B, 1}, "Y");
    sl_node *pred = sl_graph_matmul(g, sl_graph_tanh(g, sl_graph_matmul(g, r->X, r->W)), r->V);
    sl_node *mse = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, pred, r->Y)));
    /* a complex param: |c|^2 / 2 + Re c */
    sl_node *cc = sl_graph_real(g, sl_graph_add(g, sl_graph_mul_scalar(g, sl_graph_mul(g, sl_graph_conj(g, r->c), r->c), 0.5), r->c));
    sl_node *loss = sl_graph_add(g, mse, sl_graph_mul_scalar(g, sl_graph_sum(g, cc), 0.01));
    CHECK(sl_optim_create(g, loss, 0, NULL, o, &r->opt) == SL_OK, "optimiser: %s", sl_ctx_errmsg(ctx));
    sl_optim_bind(r->opt, r->X, r->x);
    sl_optim_bind(r->opt, r->Y, r->y);
}

static void run_free(run *r)
{
    sl_optim_destroy(r->opt);
    sl_graph_destroy(r->g);
}

/* steps minibatches drawn from stream seed from *counter on */
static void run_steps(run *r, uint64_t seed, uint64_t *counter, int steps)
{
    for (int s = 0; s < steps; ++s) {
        /* shrinking inputs: the gradients fall, so amsgrad's maximum differs from v */
        double scale = 4.0 / (1.0 + (double)(*counter / (B * NIN)));
        sl_rng_fill_normal(seed, *counter, B * NIN, 0, scale, r->x);
        *counter += B * NIN;
        for (int i = 0; i < B; ++i) r->y[i] = sin(r->x[i * NIN] + 2 * r->x[i * NIN + 1] - r->x[i * NIN + 2]);
        sl_status st = sl_optim_step(r->opt, NULL);
        if (st) {
            CHECK(0, "step: %s", sl_ctx_errmsg(r->ctx));
            return;
        }
    }
}

static int same_params(const run *a, const run *b)
{
    return !memcmp(sl_node_data(a->W), sl_node_data(b->W), sizeof(double) * NIN * NH) &&
           !memcmp(sl_node_data(a->V), sl_node_data(b->V), sizeof(double) * NH) &&
           !memcmp(sl_node_data(a->c), sl_node_data(b->c), sizeof(double) * 4);
}

static void resume(sl_ctx *ctx, const sl_optim_opts *o, const char *what, const char *path)
{
    const uint64_t seed = 77;
    const int k = 5, total = 12;
    run a, b, c;
    uint64_t ca = 0, cb = 0, cc = 0, sc = 0;
    run_init(&a, ctx, o, 1.0);
    run_steps(&a, seed, &ca, total);
    run_init(&b, ctx, o, 1.0);
    run_steps(&b, seed, &cb, k);
    sl_optim_set_lr(b.opt, o->lr * 0.5);   /* a schedule: the restored lr must be this one */
    sl_optim_set_lr(a.opt, o->lr);
    CHECK(sl__checkpoint_save(ctx, "test", path, b.opt, seed, cb) == SL_OK, "%s: save: %s", what, sl_ctx_errmsg(ctx));
    /* b continues with the halved lr; c, restored, must follow b exactly */
    run_steps(&b, seed, &cb, total - k);
    run_init(&c, ctx, o, 0.0);
    CHECK(sl__checkpoint_load(ctx, "test", path, c.opt, &sc, &cc) == SL_OK, "%s: load: %s", what, sl_ctx_errmsg(ctx));
    CHECK(sc == seed && cc == (uint64_t)k * B * NIN, "%s: RNG position restored (%llu, %llu)", what,
          (unsigned long long)sc, (unsigned long long)cc);
    CHECK(sl_optim_steps(c.opt) == sl_optim_steps(b.opt) - (total - k), "%s: step count restored", what);
    run_steps(&c, sc, &cc, total - k);
    CHECK(same_params(&b, &c), "%s: resumed run bit-identical to the uninterrupted one", what);
    CHECK(sl_optim_steps(c.opt) == sl_optim_steps(b.opt), "%s: step counts %lld, %lld", what,
          (long long)sl_optim_steps(c.opt), (long long)sl_optim_steps(b.opt));
    CHECK(!same_params(&a, &b), "%s: the lr change mattered (the test can fail)", what);
    run_free(&a);
    run_free(&b);
    run_free(&c);
}

static void refusals(sl_ctx *ctx, const char *path)
{
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    o.amsgrad = 1;
    o.lr = 1e-2;
    run a, b;
    uint64_t ca = 0, seed, cnt;
    run_init(&a, ctx, &o, 1.0);
    run_steps(&a, 5, &ca, 3);
    CHECK(sl__checkpoint_save(ctx, "test", path, a.opt, 5, ca) == SL_OK, "save");
    double w[NIN * NH];
    /* other options */
    o.beta2 = 0.99;
    run_init(&b, ctx, &o, 0.5);
    memcpy(w, sl_node_data(b.W), sizeof w);
    CHECK(sl__checkpoint_load(ctx, "test", path, b.opt, &seed, &cnt) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "beta2"),
          "other beta2 refused: %s", sl_ctx_errmsg(ctx));
    CHECK(!memcmp(w, sl_node_data(b.W), sizeof w) && sl_optim_steps(b.opt) == 0, "refused: nothing changed");
    run_free(&b);
    o.beta2 = 0.999;
    o.kind = SL_OPTIM_SGD;
    run_init(&b, ctx, &o, 0.5);
    CHECK(sl__checkpoint_load(ctx, "test", path, b.opt, &seed, &cnt) == SL_ERR_ARG && strstr(sl_ctx_errmsg(ctx), "kind"),
          "other kind refused: %s", sl_ctx_errmsg(ctx));
    run_free(&b);
    o.kind = SL_OPTIM_ADAM;
    /* damaged files: truncation and every byte flipped once */
    FILE *f = fopen(path, "rb");
    unsigned char img[65536];
    size_t len = fread(img, 1, sizeof img, f);
    fclose(f);
    run_init(&b, ctx, &o, 0.5);
    memcpy(w, sl_node_data(b.W), sizeof w);
    int all = 1;
    for (size_t i = 0; i < len; ++i) {
        img[i] ^= 0x20;
        all &= sl__checkpoint_parse(ctx, "test", "flip", img, len, b.opt, &seed, &cnt) == SL_ERR_CORRUPT;
        img[i] ^= 0x20;
    }
    CHECK(all, "every flipped byte of the checkpoint is SL_ERR_CORRUPT");
    for (size_t l = 0; l < len; l += 7) all &= sl__checkpoint_parse(ctx, "test", "cut", img, l, b.opt, &seed, &cnt) == SL_ERR_CORRUPT;
    CHECK(all, "every truncation is SL_ERR_CORRUPT");
    CHECK(!memcmp(w, sl_node_data(b.W), sizeof w) && sl_optim_steps(b.opt) == 0, "damaged files changed nothing");
    /* a well-formed checkpoint holding a NaN moment */
    sl__cw wr;
    sl__cw_begin(&wr, ctx, "test", SL__KIND_CKPT, SL__CKPT_VERSION);
    a.opt->v[3] = NAN;
    sl__optim_state_put(&wr, SL__TAG_OPTM, a.opt);
    sl__rng_state_put(&wr, SL__TAG_RNG, 5, ca);
    unsigned char *mem;
    size_t ml;
    CHECK(sl__cw_finish(&wr, &mem, &ml) == SL_OK, "finish");
    CHECK(sl__checkpoint_parse(ctx, "test", "nan.ckpt", mem, ml, b.opt, &seed, &cnt) == SL_ERR_CORRUPT &&
              strstr(sl_ctx_errmsg(ctx), "record 'V   ' in 'OPTM'") && strstr(sl_ctx_errmsg(ctx), "nan.ckpt"),
          "NaN moment: %s", sl_ctx_errmsg(ctx));
    CHECK(!memcmp(w, sl_node_data(b.W), sizeof w) && sl_optim_steps(b.opt) == 0, "NaN moment: nothing changed");
    sl__free(ctx, mem);
    /* a model file is not a checkpoint */
    sl__cw_begin(&wr, ctx, "test", SL__KIND_LCNN, 1);
    sl__cw_finish(&wr, &mem, &ml);
    CHECK(sl__checkpoint_parse(ctx, "test", "x", mem, ml, b.opt, &seed, &cnt) == SL_ERR_CORRUPT &&
              strstr(sl_ctx_errmsg(ctx), "'LCNN' file, not a 'CKPT'"), "kind: %s", sl_ctx_errmsg(ctx));
    sl__free(ctx, mem);
    run_free(&a);
    run_free(&b);
}

int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    char path[64];
    snprintf(path, sizeof path, "build/test_checkpoint.%d.ckpt", (int)getpid());
    sl_optim_opts o;
    sl_optim_opts_init(&o, SL_OPTIM_SGD);
    o.lr = 0.05;
    o.momentum = 0.9;
    o.nesterov = 1;
    resume(ctx, &o, "SGD nesterov", path);
    sl_optim_opts_init(&o, SL_OPTIM_ADAM);
    o.lr = 0.02;
    o.amsgrad = 1;
    o.beta2 = 0.6;   /* v follows the falling gradients, the maximum stays above it */
    resume(ctx, &o, "Adam amsgrad", path);
    sl_optim_opts_init(&o, SL_OPTIM_ADAMW);
    o.lr = 0.02;
    resume(ctx, &o, "AdamW", path);
    sl_optim_opts_init(&o, SL_OPTIM_LBFGS);
    o.history = 3;
    o.max_iter = 4;
    o.lr = 0.5;
    resume(ctx, &o, "L-BFGS", path);
    refusals(ctx, path);
    remove(path);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "no leak: %zu bytes", sl_ctx_bytes_in_use(ctx));
    sl_ctx_destroy(ctx);
    return check_done();
}
