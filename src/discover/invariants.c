/* Siamese invariant discovery: options, pairs, the losses, training.
 * Wetzel, Melko, Scott, Panju, Ganesh, PRR 2, 033499 (2020); the contrastive
 * loss of Hadsell, Chopra, LeCun (CVPR 2006); ConservNet's loss of Ha, Jeong,
 * PRR 3, L042035 (2021), eq. (2). */
#include "invariants_internal.h"

#include <math.h>
#include <stdlib.h>

#define INV_OPTS_MIN SL_OPTS_END(sl_invariant_opts, seed)
#define MAX_LATENT 64

sl_status sl_invariant_opts_init_sized(sl_invariant_opts *opts, size_t size)
{
    const sl_invariant_opts d = SL_INVARIANT_OPTS_INIT;
    return sl__opts_init(opts, size, &d, sizeof d, INV_OPTS_MIN);
}

static sl_status check_opts(sl_ctx *ctx, const char *who, const sl_invariant_opts *o)
{
    if (o->nlatent < 1 || o->nlatent > MAX_LATENT)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->nlatent = %d (must be 1..%d)", who, o->nlatent, MAX_LATENT);
    if (o->depth < 1 || o->depth > SL_MLP_MAX_LAYERS - 1)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->depth = %d (must be 1..%d)", who, o->depth, SL_MLP_MAX_LAYERS - 1);
    if (o->hidden < 1 || o->hidden > ((int64_t)1 << 20))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->hidden = %lld (must be 1..2^20)", who, (long long)o->hidden);
    if (o->activation < SL_ACT_TANH || o->activation > SL_ACT_SIN)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->activation = %d (must be an SL_ACT_* value)", who, o->activation);
    if (o->loss < SL_INVARIANT_LOSS_BCE || o->loss > SL_INVARIANT_LOSS_CONSERVNET)
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->loss = %d (must be an SL_INVARIANT_LOSS_* value)", who, o->loss);
    if (o->npairs < 1 || o->npairs > ((int64_t)1 << 28))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->npairs = %lld (must be 1..2^28)", who, (long long)o->npairs);
    if (o->steps < 0) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->steps = %d (must be >= 0)", who, o->steps);
    if (!(o->lr > 0) || !isfinite(o->lr)) return sl__fail(ctx, SL_ERR_ARG, "%s: opts->lr = %g (must be > 0)", who, o->lr);
    if (!(o->margin > 0) || !isfinite(o->margin))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->margin = %g (must be > 0)", who, o->margin);
    if (!(o->noise >= 0) || !isfinite(o->noise))
        return sl__fail(ctx, SL_ERR_ARG, "%s: opts->noise = %g (must be >= 0)", who, o->noise);
    return SL_OK;
}

void sl_invariant_result_destroy(sl_invariant_result *r)
{
    if (!r) return;
    sl_ctx *ctx = r->ctx;
    double *bufs[] = {r->weights, r->mean, r->scale, r->x, r->losses};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; ++i) sl__free(ctx, bufs[i]);
    sl__free(ctx, r);
}

sl_node *sl__invariant_standardise(sl_graph *g, const sl_invariant_result *r, sl_node *x)
{
    int64_t d = r->d;
    double *inv = sl__graph_mem(g, sizeof(double) * (size_t)d);
    if (!inv) return sl__gfail(g, SL_ERR_NOMEM, "sl_discover_invariants: out of memory");
    for (int64_t j = 0; j < d; ++j) inv[j] = 1.0 / r->scale[j];
    sl_node *mu = sl_graph_constant(g, SL_F64, 2, (int64_t[]){1, d}, r->mean);
    sl_node *is = sl_graph_constant(g, SL_F64, 2, (int64_t[]){1, d}, inv);
    return sl_graph_mul(g, sl_graph_sub(g, x, mu), is);
}

/* ---- Pairs ------------------------------------------------------------------
 * Samples sorted by (group, index); each sample knows the block of its group.
 * A label-1 pair: a sample of a group of >= 2, and another sample of that
 * group; a label-0 pair: a sample, and one of the samples outside its block. */
typedef struct { int64_t group, index; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->group != q->group) return p->group < q->group ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

static int64_t draw(uint64_t seed, uint64_t k, int64_t n)   /* uniform in [0, n) */
{
    return (int64_t)(sl_rng_uniform(seed, k) * (double)n);
}

typedef struct {
    int64_t *order;          /* sample indices sorted by group */
    int64_t *start, *count;  /* per position in order: its group's block */
    int64_t *eligible;       /* positions whose group has >= 2 samples */
    int64_t neligible, ngroups;
} groups_t;

static sl_status make_groups(sl_ctx *ctx, const char *who, int64_t n, const int64_t *group, groups_t *gr)
{
    keyed *k = sl__alloc(ctx, sizeof *k * (size_t)n, 0, who);
    gr->order = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    gr->start = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    gr->count = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    gr->eligible = sl__alloc(ctx, sizeof(int64_t) * (size_t)n, 0, who);
    if (!k || !gr->order || !gr->start || !gr->count || !gr->eligible) {
        sl__free(ctx, k);
        return SL_ERR_NOMEM;
    }
    for (int64_t i = 0; i < n; ++i) k[i].group = group[i], k[i].index = i;
    qsort(k, (size_t)n, sizeof *k, cmp_keyed);
    gr->ngroups = gr->neligible = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && k[j].group == k[i].group) ++j;
        for (int64_t p = i; p < j; ++p) {
            gr->order[p] = k[p].index;
            gr->start[p] = i;
            gr->count[p] = j - i;
            if (j - i >= 2) gr->eligible[gr->neligible++] = p;
        }
        gr->ngroups++;
        i = j;
    }
    sl__free(ctx, k);
    if (gr->ngroups < 2) return sl__fail(ctx, SL_ERR_ARG, "%s: all samples are in one group (need >= 2 groups)", who);
    if (!gr->neligible) return sl__fail(ctx, SL_ERR_ARG, "%s: every group has one sample (need a group of >= 2)", who);
    return SL_OK;
}

static void free_groups(sl_ctx *ctx, groups_t *gr)
{
    sl__free(ctx, gr->order), sl__free(ctx, gr->start), sl__free(ctx, gr->count), sl__free(ctx, gr->eligible);
}

/* a and b (2P x d): rows 0..P-1 label 1, rows P..2P-1 label 0. */
static void make_pairs(const groups_t *gr, int64_t n, int64_t d, const double *x, int64_t P, uint64_t seed,
                       double *a, double *b)
{
    uint64_t k = 0;
    for (int64_t p = 0; p < 2 * P; ++p) {
        int64_t i, j;
        if (p < P) {
            i = gr->eligible[draw(seed, k++, gr->neligible)];
            int64_t o = draw(seed, k++, gr->count[i] - 1);   /* another member of the block */
            j = gr->start[i] + o + (gr->start[i] + o >= i);
        } else {
            i = draw(seed, k++, n);
            int64_t o = draw(seed, k++, n - gr->count[i]);   /* a position outside the block */
            j = o < gr->start[i] ? o : o + gr->count[i];
        }
        memcpy(a + p * d, x + gr->order[i] * d, sizeof(double) * (size_t)d);
        memcpy(b + p * d, x + gr->order[j] * d, sizeof(double) * (size_t)d);
    }
}

/* ---- Losses on the encodings fa, fb (2P, L) ----------------------------------- */
static sl_node *sum_latent(sl_graph *g, sl_node *v)   /* (2P, L) -> (2P) */
{
    int axis = 1;
    return sl_graph_sum_axes(g, v, 1, &axis, 0);
}

/* BCE with logits, as bench_siamese.c: softplus(l) - l y. */
static sl_node *loss_bce(sl_graph *g, sl_node *d2, sl_node *y, sl_node *w, sl_node *c, sl_node **logit)
{
    *logit = sl_graph_sub(g, c, sl_graph_mul(g, w, d2));
    return sl_graph_mean(g, sl_graph_sub(g, sl_graph_softplus(g, *logit), sl_graph_mul(g, *logit, y)));
}

/* Hadsell et al. eq. (4): y D^2 + (1 - y) max(0, m - D)^2; D = sqrt(D^2 + 1e-12)
 * keeps the derivative finite at D = 0. */
static sl_node *loss_contrastive(sl_graph *g, sl_node *d2, sl_node *y, double margin, sl_node **dist)
{
    *dist = sl_graph_sqrt(g, sl_graph_add_scalar(g, d2, 1e-12));
    sl_node *push = sl_graph_square(g, sl_graph_relu(g, sl_graph_rsub_scalar(g, *dist, margin)));
    sl_node *t = sl_graph_add(g, sl_graph_mul(g, y, d2), sl_graph_mul(g, sl_graph_rsub_scalar(g, y, 1.0), push));
    return sl_graph_mean(g, t);
}

/* ConservNet, Ha & Jeong eq. (2) with Q = beta = 1: Var f(X) + |1 - Var f(X + xi)|,
 * each variance (summed over latents) estimated as mean over same-group pairs
 * of |f(a) - f(b)|^2 / 2. */
static sl_node *loss_conservnet(sl_graph *g, sl_node *d2, sl_node *d2noisy)
{
    sl_node *v = sl_graph_mul_scalar(g, sl_graph_mean(g, d2), 0.5);
    sl_node *vn = sl_graph_mul_scalar(g, sl_graph_mean(g, d2noisy), 0.5);
    return sl_graph_add(g, v, sl_graph_abs(g, sl_graph_rsub_scalar(g, vn, 1.0)));
}

/* Standardisation: column means and standard deviations (1 for a constant column). */
static void standardise(int64_t n, int64_t d, const double *x, double *mean, double *scale)
{
    for (int64_t j = 0; j < d; ++j) {
        double s = 0, s2 = 0;
        for (int64_t i = 0; i < n; ++i) s += x[i * d + j];
        mean[j] = s / (double)n;
        for (int64_t i = 0; i < n; ++i) s2 += (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]);
        double sd = sqrt(s2 / (double)n);
        scale[j] = sd > 0 && isfinite(sd) ? sd : 1.0;
    }
}

typedef struct {
    sl_graph *g;
    sl_optim *opt;
    sl_plan *eval;
    double *a, *b, *labels;
} train_t;

static void free_train(sl_ctx *ctx, train_t *t)
{
    sl_plan_destroy(t->eval);
    sl_optim_destroy(t->opt);
    sl_graph_destroy(t->g);
    sl__free(ctx, t->a), sl__free(ctx, t->b), sl__free(ctx, t->labels);
}

/* ConservNet's noise: rows P..2P-1 of a and b are rows 0..P-1 plus xi, a
 * random direction with |xi| ~ U(0, sqrt R) in standardised units. */
static void add_noise(const sl_invariant_result *r, int64_t P, uint64_t seed, double *a, double *b)
{
    int64_t d = r->d;
    memcpy(a + P * d, a, sizeof(double) * (size_t)(P * d));
    memcpy(b + P * d, b, sizeof(double) * (size_t)(P * d));
    for (int64_t p = 0; p < 2 * P; ++p) {
        double *v = p < P ? a + (P + p) * d : b + p * d, nrm = 0;
        uint64_t base = (uint64_t)p * (uint64_t)d;
        double len = sqrt(r->o.noise) * sl_rng_uniform(seed + 1, (uint64_t)p);
        for (int64_t j = 0; j < d; ++j) {
            double z = sl_rng_normal(seed + 2, base + (uint64_t)j);
            nrm += z * z;
        }
        nrm = sqrt(nrm);
        if (nrm > 0)
            for (int64_t j = 0; j < d; ++j) v[j] += len * sl_rng_normal(seed + 2, base + (uint64_t)j) / nrm * r->scale[j];
    }
}

static sl_status train(sl_invariant_result *r, const groups_t *gr, uint64_t seed, train_t *t)
{
    const char *who = "sl_discover_invariants";
    sl_ctx *ctx = r->ctx;
    const sl_invariant_opts *o = &r->o;
    int64_t d = r->d, P = o->npairs, rows = 2 * P;
    t->a = sl__alloc(ctx, sizeof(double) * (size_t)(rows * d), 0, who);
    t->b = sl__alloc(ctx, sizeof(double) * (size_t)(rows * d), 0, who);
    t->labels = sl__alloc(ctx, sizeof(double) * (size_t)rows, 0, who);
    if (!t->a || !t->b || !t->labels) return SL_ERR_NOMEM;
    make_pairs(gr, r->n, d, r->x, P, seed, t->a, t->b);
    for (int64_t p = 0; p < rows; ++p) t->labels[p] = p < P;
    /* ConservNet: rows 0..P-1 label-1 pairs, rows P..2P-1 the same with noise */
    if (o->loss == SL_INVARIANT_LOSS_CONSERVNET) add_noise(r, P, seed, t->a, t->b);

    sl_status st = sl_graph_create(ctx, &t->g);
    if (st) return st;
    sl_graph *g = t->g;
    sl_node *A = sl_graph_input(g, SL_F64, 2, (int64_t[]){rows, d}, "a");
    sl_node *B = sl_graph_input(g, SL_F64, 2, (int64_t[]){rows, d}, "b");
    sl_node *Y = sl_graph_constant(g, SL_F64, 1, (int64_t[]){rows}, t->labels);
    sl_mlp *net;
    if ((st = sl_mlp_create(g, &r->mo, &net))) return st;
    sl_node *fa = sl_mlp_apply(net, sl__invariant_standardise(g, r, A));
    sl_node *fb = sl_mlp_apply(net, sl__invariant_standardise(g, r, B));
    sl_node *d2 = sum_latent(g, sl_graph_square(g, sl_graph_sub(g, fa, fb)));   /* (2P) */
    sl_node *loss, *score = NULL, *extra[2] = {NULL, NULL};
    int nextra = 0;
    if (o->loss == SL_INVARIANT_LOSS_BCE) {
        const double one = 1.0;
        sl_node *w = sl_graph_param(g, SL_F64, 1, (int64_t[]){1}, &one, "w");
        sl_node *c = sl_graph_param(g, SL_F64, 1, (int64_t[]){1}, NULL, "c");
        extra[nextra++] = w, extra[nextra++] = c;
        loss = loss_bce(g, d2, Y, w, c, &score);
    } else if (o->loss == SL_INVARIANT_LOSS_CONTRASTIVE) {
        loss = loss_contrastive(g, d2, Y, o->margin, &score);
    } else {
        loss = loss_conservnet(g, sl_graph_slice(g, d2, 0, 0, P, 1), sl_graph_slice(g, d2, 0, P, rows, 1));
    }
    if ((st = sl_graph_status(g))) return st;
    sl_node *params[2 * SL_MLP_MAX_LAYERS + 2];
    int np = sl_mlp_nparams(net);
    for (int i = 0; i < np; ++i) params[i] = sl_mlp_param(net, i);
    for (int i = 0; i < nextra; ++i) params[np + i] = extra[i];
    sl_optim_opts oo;
    sl_optim_opts_init(&oo, SL_OPTIM_ADAM);
    oo.lr = o->lr;
    if ((st = sl_optim_create(g, loss, np + nextra, params, &oo, &t->opt))) return st;
    if ((st = sl_plan_set_cache_data(sl_optim_plan(t->opt), 1))) return st;
    if ((st = sl_optim_bind(t->opt, A, t->a)) || (st = sl_optim_bind(t->opt, B, t->b))) return st;
    for (int s = 0; s < o->steps; ++s) {
        /* cosine decay of the learning rate to lr / 20 (Loshchilov, Hutter 2017) */
        sl_optim_set_lr(t->opt, o->lr * (0.05 + 0.475 * (1 + cos(M_PI * s / o->steps))));
        if ((st = sl_optim_step(t->opt, &r->losses[s]))) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s", sl_ctx_errmsg(ctx));
            return sl__fail(ctx, st, "%s: training step %d: %s", who, s, msg);
        }
    }
    /* final loss and accuracy */
    sl_node *outs[2] = {loss, score};
    if ((st = sl_plan_create(g, score ? 2 : 1, outs, &t->eval))) return st;
    if ((st = sl_plan_bind(t->eval, A, t->a)) || (st = sl_plan_bind(t->eval, B, t->b)) || (st = sl_plan_run(t->eval)))
        return st;
    r->losses[o->steps] = sl_plan_scalar(t->eval, 0);
    r->accuracy = NAN;
    if (score) {
        const double *sc = sl_plan_output(t->eval, 1);
        int64_t right = 0;
        for (int64_t p = 0; p < rows; ++p) {
            int same = o->loss == SL_INVARIANT_LOSS_BCE ? sc[p] > 0 : sc[p] < 0.5 * o->margin;
            right += same == (p < P);
        }
        r->accuracy = (double)right / (double)rows;
    }
    r->nweights = sl_mlp_nweights(net);
    r->weights = sl__alloc(ctx, sizeof(double) * (size_t)r->nweights, 0, who);
    if (!r->weights) return SL_ERR_NOMEM;
    return sl_mlp_get_weights(net, r->weights);
}

sl_status sl_discover_invariants(sl_ctx *ctx, int64_t n, int64_t d, const double *x, const int64_t *group,
                                 const sl_invariant_opts *opts, sl_invariant_result **out)
{
    const char *who = "sl_discover_invariants";
    if (!ctx) return SL_ERR_NULL;
    if (!out) return sl__fail(ctx, SL_ERR_NULL, "%s: out is NULL", who);
    *out = NULL;
    if (!x) return sl__fail(ctx, SL_ERR_NULL, "%s: x is NULL", who);
    if (!group) return sl__fail(ctx, SL_ERR_NULL, "%s: group is NULL", who);
    if (n < 2) return sl__fail(ctx, SL_ERR_ARG, "%s: n = %lld (must be >= 2)", who, (long long)n);
    if (d < 1) return sl__fail(ctx, SL_ERR_ARG, "%s: d = %lld (must be >= 1)", who, (long long)d);
    int64_t nd;
    sl_status st = sl__product(ctx, SL_ERR_SHAPE, who, "n x d", 2, (int64_t[]){n, d}, &nd);
    if (st) return st;
    sl_invariant_opts o;
    sl_invariant_opts_init(&o);
    if (opts && (st = sl__opts_read(ctx, who, "opts", &o, sizeof o, opts, INV_OPTS_MIN))) return st;
    if ((st = check_opts(ctx, who, &o))) return st;
    int64_t rows_d;
    if ((st = sl__product(ctx, SL_ERR_SHAPE, who, "2 npairs x d", 3, (int64_t[]){2, o.npairs, d}, &rows_d))) return st;
    int64_t bad = sl__first_nonfinite(x, (size_t)nd);
    if (bad >= 0)
        return sl__fail(ctx, SL_ERR_NONFINITE, "%s: x[%lld] = %g (sample %lld)", who, (long long)bad, x[bad],
                        (long long)(bad / d));

    sl_invariant_result *r = sl__alloc(ctx, sizeof *r, 1, who);
    if (!r) return SL_ERR_NOMEM;
    r->ctx = ctx;
    r->n = n, r->d = d, r->nlatent = o.nlatent, r->o = o;
    r->mean = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, who);
    r->scale = sl__alloc(ctx, sizeof(double) * (size_t)d, 0, who);
    r->x = sl__alloc(ctx, sizeof(double) * (size_t)nd, 0, who);
    r->losses = sl__alloc(ctx, sizeof(double) * ((size_t)o.steps + 1), 0, who);
    if (!r->mean || !r->scale || !r->x || !r->losses) {
        sl_invariant_result_destroy(r);
        return SL_ERR_NOMEM;
    }
    r->nlosses = o.steps + 1;
    memcpy(r->x, x, sizeof(double) * (size_t)nd);
    standardise(n, d, x, r->mean, r->scale);
    sl_mlp_opts_init(&r->mo);
    r->mo.nlayers = o.depth + 1;
    r->mo.widths[0] = d;
    for (int l = 1; l <= o.depth; ++l) r->mo.widths[l] = o.hidden;
    r->mo.widths[o.depth + 1] = o.nlatent;
    r->mo.activation = o.activation;
    uint64_t seed = sl_ctx_seed(ctx) + o.seed;
    r->mo.seed = o.seed + 3;   /* streams seed, seed + 1, seed + 2: pairs and noise */

    groups_t gr = {0};
    train_t t = {0};
    st = make_groups(ctx, who, n, group, &gr);
    if (!st) st = train(r, &gr, seed, &t);
    free_train(ctx, &t);
    free_groups(ctx, &gr);
    if (st) {
        sl_invariant_result_destroy(r);
        return st;
    }
    *out = r;
    return SL_OK;
}

int64_t sl_invariant_result_dim(const sl_invariant_result *r) { return r ? r->d : 0; }
int sl_invariant_result_nlatent(const sl_invariant_result *r) { return r ? r->nlatent : 0; }

int sl_invariant_result_losses(const sl_invariant_result *r, const double **loss)
{
    if (loss) *loss = r ? r->losses : NULL;
    return r ? r->nlosses : 0;
}

double sl_invariant_result_final_loss(const sl_invariant_result *r) { return r ? r->losses[r->nlosses - 1] : NAN; }
double sl_invariant_result_accuracy(const sl_invariant_result *r) { return r ? r->accuracy : NAN; }
int64_t sl_invariant_result_nweights(const sl_invariant_result *r) { return r ? r->nweights : 0; }

sl_status sl_invariant_result_weights(const sl_invariant_result *r, double *weights, double *mean, double *scale)
{
    if (!r) return SL_ERR_NULL;
    if (weights) memcpy(weights, r->weights, sizeof(double) * (size_t)r->nweights);
    if (mean) memcpy(mean, r->mean, sizeof(double) * (size_t)r->d);
    if (scale) memcpy(scale, r->scale, sizeof(double) * (size_t)r->d);
    return SL_OK;
}
