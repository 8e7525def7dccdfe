/* L-CNN models: save/load round trip (bit-identical predictions), a damaged
 * file is SL_ERR_CORRUPT, training lowers the loss, pooled head, bad input. */
#include "lattice_util.h"

#include <stdio.h>

sl_node *plaq1(sl_graph *g, sl_node *U, void *u);
int main(void)
{
    sl_ctx *ctx;
    sl_ctx_create(&ctx, NULL);
    int64_t dims[2] = {4, 4}, V = 16, n = 24, lsz = V * 2 * 4 * 2;
    double *links = malloc(sizeof(double) * (size_t)(n * lsz)), *y = malloc(sizeof(double) * (size_t)(n * V));
    for (int64_t i = 0; i < n; ++i) {
        sl_gauge *U;
        sl_gauge_create(ctx, 2, dims, 2, &U);
        sl_gauge_randomize(U, 10 + (uint64_t)i);
        sl_gauge_heatbath(U, 0.5 + 0.2 * (double)i, 5, 0, 3);
        memcpy(links + i * lsz, sl_gauge_data(U), sizeof(double) * (size_t)lsz);
        sl_gauge_destroy(U);
    }
    /* target: Re Tr P / 2 per site (learnable exactly by one GCMConv layer) */
    for (int64_t i = 0; i < n; ++i) {
        int64_t nn;
        sl_dtype dt;
        int one = 1;

        (void)one;
        cz *p = lat_eval(2, dims, 2, links + i * lsz, plaq1, NULL, &nn, &dt);
        for (int64_t s = 0; s < V; ++s) y[i * V + s] = creal(p[4 * s] + p[4 * s + 3]) / 2;
        free(p);
    }
    sl_lcnn_opts o = SL_LCNN_OPTS_INIT;
    o.nlayers = 1; o.channels[0] = 2; o.kernels[0] = 2; o.seed = 4;
    sl_lcnn *net, *net2 = NULL;
    CHECK(sl_lcnn_create(ctx, &o, &net) == SL_OK, "create");
    double *p1 = malloc(sizeof(double) * (size_t)(n * V)), *p2 = malloc(sizeof(double) * (size_t)(n * V));
    sl_lcnn_predict_batch(net, n, dims, links, p1);
    double l0 = 0;
    for (int64_t k = 0; k < n * V; ++k) l0 += (p1[k] - y[k]) * (p1[k] - y[k]) / (double)(n * V);
    sl_lcnn_train_opts to = SL_LCNN_TRAIN_OPTS_INIT;
    to.epochs = 60; to.batch = 4; to.lr = 1e-2;
    CHECK(sl_lcnn_train(net, n, 4, dims, links, y, &to) == SL_OK, "train: %s", sl_ctx_errmsg(ctx));
    sl_lcnn_predict_batch(net, n, dims, links, p1);
    double l1 = 0;
    for (int64_t k = 0; k < n * V; ++k) l1 += (p1[k] - y[k]) * (p1[k] - y[k]) / (double)(n * V);
    CHECK(l1 < 0.05 * l0, "training lowers the MSE: %g -> %g", l0, l1);
    printf("training: MSE %.3g -> %.3g\n", l0, l1);

    const char *path = "build/test_lattice_model.slm";
    CHECK(sl_lcnn_save(net, path) == SL_OK, "save: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_load(ctx, path, &net2) == SL_OK, "load: %s", sl_ctx_errmsg(ctx));
    sl_lcnn_predict_batch(net2, n, dims, links, p2);
    CHECK(!memcmp(p1, p2, sizeof(double) * (size_t)(n * V)), "loaded model predicts the same bits");
    CHECK(sl_lcnn_nparams(net2) == sl_lcnn_nparams(net), "same parameter count");
    sl_lcnn_destroy(net2);
    /* damage one byte of the payload */
    FILE *f = fopen(path, "r+b");
    fseek(f, 40, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 40, SEEK_SET);
    fputc(c ^ 0x5a, f);
    fclose(f);
    net2 = (sl_lcnn *)1;
    CHECK(sl_lcnn_load(ctx, path, &net2) == SL_ERR_CORRUPT && net2 == NULL, "damaged file: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_load(ctx, "build/no/such/file.slm", &net2) == SL_ERR_IO, "missing file");
    CHECK(sl_lcnn_save(net, "build/no/such/dir/x.slm") == SL_ERR_IO, "unwritable path: %s", sl_ctx_errmsg(ctx));
    remove(path);

    /* pooled head and gradients through the model w.r.t. U */
    o.head = SL_LCNN_HEAD_POOLED;
    sl_lcnn *pool;
    sl_lcnn_create(ctx, &o, &pool);
    double one;
    CHECK(sl_lcnn_predict_batch(pool, 1, dims, links, &one) == SL_OK && isfinite(one), "pooled predict");
    sl_graph *g;
    sl_graph_create(ctx, &g);
    sl_node *U = sl_graph_input(g, SL_C128, 6, (int64_t[]){1, 4, 4, 2, 2, 2}, "U");
    sl_node *out = sl_lcnn_apply(pool, g, U, NULL);
    sl_node *force = sl_graph_grad1(g, sl_graph_sum(g, out), U);
    CHECK(sl_graph_status(g) == SL_OK && sl_node_numel(force) == 16 * 2 * 4, "dy/dU node: %s", sl_ctx_errmsg(ctx));
    sl_graph_destroy(g);
    sl_lcnn_destroy(pool);
    /* bad input */
    y[3] = NAN;
    CHECK(sl_lcnn_train(net, n, 4, dims, links, y, &to) == SL_ERR_NONFINITE, "NaN target: %s", sl_ctx_errmsg(ctx));
    CHECK(sl_lcnn_train(net, n, n, dims, links, y, &to) == SL_ERR_ARG, "nval = n");
    CHECK(sl_lcnn_predict(net, NULL, p1) == SL_ERR_NULL && strstr(sl_ctx_errmsg(ctx), "sl_lcnn_predict"), "NULL U");
    links[5] = NAN;
    CHECK(sl_lcnn_predict_batch(net, 1, dims, links, p1) == SL_ERR_NONFINITE, "NaN links: %s", sl_ctx_errmsg(ctx));
    sl_lcnn_destroy(net);
    free(links), free(y), free(p1), free(p2);
    sl_ctx_destroy(ctx);
    return check_done();
}

sl_node *plaq1(sl_graph *g, sl_node *U, void *u)
{
    (void)u;
    return sl_graph_plaquette(g, U, 1, 0);
}
