/* The worm algorithm of the flux representation, exact and statistical
 * checks (shared/research/scalar_field.md §5):
 *  SF-T2 bookkeeping: after every accepted move (worm or l) f equals SF-3
 *        recomputed, the divergence is 0 or a +-1 pair (head, tail); after
 *        every worm div = 0; Q is the same on every slice; n N = Q Nt.
 *        10^5 accepted moves on 6 x 4 at mu = 1.0 (m = lambda = 1), and on
 *        5 x 3 (odd sizes, sequential l update).
 *  SF-T3 2 x 2 torus, m = lambda = 1, 2 x 10^5 sweeps (2 worms each): the
 *        K = 4, L = 3 exact values at mu = 0 and 0.5 by the 4-sigma rule
 *        plus 2e-4 truncation; the l-frozen sampler against an exact
 *        enumeration done here (l = 0, |k| <= 4); the P1 variant (retry from
 *        the closed state until a move is accepted) and the P2 variant
 *        (worms until M steps) of the same kernel fail these rules.
 *  The library's sweep equals the kernel harness run bit for bit. */
#include <stdio.h>

#include "check.h"
#include "scalar_util.h"

static int64_t moves_seen, bad_f, bad_div;

static void on_move(const sl__fk *s, void *user)
{
    (void)user;
    moves_seen++;
    int64_t nz = 0;
    for (int64_t i = 0; i < s->n; ++i) {
        if (s->f[i] != harness_f(s, i)) bad_f++;
        int64_t dv = harness_div(s, i);
        if (dv) nz++;
        if (dv < -1 || dv > 1) bad_div++;
    }
    if (nz != 0 && nz != 2) bad_div++;
}

static void bookkeeping(sl_ctx *ctx, int64_t nt, int64_t nx, int lmode)
{
    harness H;
    CHECK(harness_init(&H, ctx, nt, nx, 1.0, 1.0, 1.0, 77) == 0, "harness");
    sl__fk *s = &H.s;
    s->on_move = on_move;
    moves_seen = bad_f = bad_div = 0;
    int64_t worm_open = 0, slice_bad = 0, nq = 0, sweeps = 0;
    int64_t target = quick() ? 20000 : 100000;
    while (moves_seen < target) {
        if (lmode) sl__fk_l_sweep(s, lmode == 1);
        for (int w = 0; w < 3; ++w) {
            sl__fk_worm(s);
            for (int64_t i = 0; i < s->n; ++i)
                if (harness_div(s, i)) worm_open++;
        }
        int64_t q0 = sl__fk_winding(s), kt = 0;
        for (int64_t t = 0; t < nt; ++t) {
            int64_t q = 0;
            for (int64_t x = 0; x < nx; ++x) q += s->k[t * nx + x];
            if (q != q0) slice_bad++;
            kt += q;
        }
        if (kt != q0 * nt) slice_bad++;   /* n N = Q Nt */
        nq += q0 != 0;
        sweeps++;
    }
    CHECK(bad_f == 0, "SF-T2 %lldx%lld: f differs from SF-3 after %lld of %lld moves", (long long)nt, (long long)nx,
          (long long)bad_f, (long long)moves_seen);
    CHECK(bad_div == 0, "SF-T2 %lldx%lld: divergence not a +-1 pair after %lld moves", (long long)nt, (long long)nx,
          (long long)bad_div);
    CHECK(worm_open == 0, "SF-T2 %lldx%lld: div != 0 after a worm (%lld sites)", (long long)nt, (long long)nx,
          (long long)worm_open);
    CHECK(slice_bad == 0, "SF-T2 %lldx%lld: Q differs between slices %lld times", (long long)nt, (long long)nx,
          (long long)slice_bad);
    CHECK(nq > 0, "SF-T2 %lldx%lld: some configuration has Q != 0 (%lld of %lld)", (long long)nt, (long long)nx,
          (long long)nq, (long long)sweeps);
    printf("SF-T2 %lldx%lld mu 1.0: %lld accepted moves, %lld sweeps (%lld with Q != 0), every check exact\n",
           (long long)nt, (long long)nx, (long long)moves_seen, (long long)sweeps, (long long)nq);
    harness_free(&H);
}

/* the library (sl_flux_sweep) and the harness run the same kernel: same fields */
static void same_as_library(sl_ctx *ctx)
{
    sl_flux *F;
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, 1.0, 1.0, &F) == SL_OK, "create");
    CHECK(sl_flux_sweep(F, 200, 3, SL_FLUX_L_AUTO, 5) == SL_OK, "sweep: %s", sl_ctx_errmsg(ctx));
    harness H;
    harness_init(&H, ctx, 6, 4, 0.1, 1.0, 1.0, 5);
    for (int i = 0; i < 200; ++i) sl__fk_sweep(&H.s, 1, 3);
    double a[96];
    sl_flux_export(F, 96, a);
    int diff = 0;
    for (int i = 0; i < 48; ++i) diff += a[i] != H.k[i] || a[48 + i] != H.l[i];
    CHECK(diff == 0, "library and harness differ on %d links", diff);
    CHECK(sl_flux_rng_counter(F) == H.s.counter, "rng counters %llu vs %llu",
          (unsigned long long)sl_flux_rng_counter(F), (unsigned long long)H.s.counter);
    uint64_t worms, steps, acc;
    sl_flux_stats(F, &worms, &steps, &acc, NULL, NULL);
    CHECK(worms == 600 && steps == H.s.steps && acc == H.s.accepted, "stats");
    /* continuing in two pieces gives the same as one run */
    sl_flux *G;
    CHECK(sl_flux_create(ctx, 6, 4, 0.1, 1.0, 1.0, &G) == SL_OK, "create G");
    sl_flux_sweep(G, 120, 3, SL_FLUX_L_AUTO, 5);
    sl_flux_sweep(G, 80, 3, SL_FLUX_L_AUTO, 5);
    double b[96];
    sl_flux_export(G, 96, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "200 sweeps = 120 + 80");
    sl_flux_destroy(G);
    sl_flux_destroy(F);
    harness_free(&H);
}

/* exact sums on 2 x 2 with l = 0 and |k| <= K on the 8 links */
static void exact_lfrozen(sl_ctx *ctx, double mu, int K, double *n, double *phi2, double *chi)
{
    double lw[64];
    sl_flux_site_log_weights(ctx, 5.0, 1.0, 64, lw);
    double lfact[16];
    for (int i = 0; i < 16; ++i) lfact[i] = lgamma(i + 1.0);
    /* sites i = 2 t + x; link (i, d): kt[i], kx[i]; on 2 x 2 the backward
     * neighbour equals the forward one */
    int R = 2 * K + 1;
    double Z = 0, Zn = 0, Zn2 = 0, Zp = 0;
    int kt[4], kx[4];
    for (long c = 0; c < (long)pow(R, 8) + 0.5; ++c) {
        long v = c;
        for (int i = 0; i < 4; ++i) {
            kt[i] = (int)(v % R) - K;
            v /= R;
        }
        for (int i = 0; i < 4; ++i) {
            kx[i] = (int)(v % R) - K;
            v /= R;
        }
        int ok = 1, f[4];
        for (int i = 0; i < 4 && ok; ++i) {
            int t = i / 2, x = i % 2, bt = 2 * (1 - t) + x, bx = 2 * t + (1 - x);
            if (kt[i] - kt[bt] + kx[i] - kx[bx]) ok = 0;
            f[i] = abs(kt[i]) + abs(kt[bt]) + abs(kx[i]) + abs(kx[bx]);
        }
        if (!ok) continue;
        double lwgt = 0, p = 0;
        for (int i = 0; i < 4; ++i) {
            lwgt += mu * kt[i] - lfact[abs(kt[i])] - lfact[abs(kx[i])] + lw[f[i]];
            p += exp(lw[f[i] + 2] - lw[f[i]]) / 4;
        }
        double w = exp(lwgt), q = (kt[0] + kt[1]) / 2.0;   /* n = Q / Nx */
        Z += w;
        Zn += w * q;
        Zn2 += w * q * q;
        Zp += w * p;
    }
    *n = Zn / Z;
    *phi2 = Zp / Z;
    *chi = 4 * (Zn2 / Z - *n * *n);
}

typedef struct {
    double n, en, p, ep, chi, echi;
} meas;

/* nsw sweeps after 2000 of thermalisation on the harness (variant, lmode) */
static meas run_harness(sl_ctx *ctx, double mu, int variant, int lmode, int64_t p2, int64_t nsw, uint64_t seed)
{
    harness H;
    harness_init(&H, ctx, 2, 2, 1.0, 1.0, mu, seed);
    H.s.variant = variant;
    H.s.p2_steps = p2;
    double *n = malloc((size_t)nsw * sizeof(double)), *p = malloc((size_t)nsw * sizeof(double));
    for (int i = 0; i < 2000; ++i) sl__fk_sweep(&H.s, lmode, 2);
    for (int64_t i = 0; i < nsw; ++i) {
        sl__fk_sweep(&H.s, lmode, 2);
        n[i] = sl__fk_winding(&H.s) / 2.0;
        p[i] = sl__fk_phi2(&H.s);
    }
    meas m;
    binned(n, nsw, 50, &m.n, &m.en);
    binned(p, nsw, 50, &m.p, &m.ep);
    chi_jack(n, nsw, 50, 4, &m.chi, &m.echi);
    free(n);
    free(p);
    harness_free(&H);
    return m;
}

static meas run_library(sl_ctx *ctx, double mu, int lmode, int64_t nsw, uint64_t seed)
{
    sl_flux *F;
    meas m = {0, 0, 0, 0, 0, 0};
    if (sl_flux_create(ctx, 2, 2, 1.0, 1.0, mu, &F)) return m;
    double *n = malloc((size_t)nsw * sizeof(double)), *p = malloc((size_t)nsw * sizeof(double));
    CHECK(sl_flux_sweep(F, 2000, 2, lmode, seed) == SL_OK, "thermalise");
    CHECK(sl_flux_run(F, nsw, 2, lmode, seed, n, p, NULL) == SL_OK, "run: %s", sl_ctx_errmsg(ctx));
    binned(n, nsw, 50, &m.n, &m.en);
    binned(p, nsw, 50, &m.p, &m.ep);
    chi_jack(n, nsw, 50, 4, &m.chi, &m.echi);
    free(n);
    free(p);
    sl_flux_destroy(F);
    return m;
}

/* chi: the note's +-3 %, or 4 sigma of its own jackknife error when larger */
static int chi_ok(double c, double e, double ref) { return fabs(c - ref) <= fmax(0.03 * ref, 4 * e); }

static void two_by_two(sl_ctx *ctx)
{
    int64_t nsw = quick() ? 40000 : 200000;
    /* full sampler, K = 4, L = 3 exact values (§4.2a) */
    meas a = run_library(ctx, 0.0, SL_FLUX_L_AUTO, nsw, 11);
    CHECK(four_sigma(a.p, a.ep, 0.2427047, 0, 2e-4), "SF-T3 mu 0 |phi|^2 %.5f(%.0f) vs 0.24270", a.p, 1e5 * a.ep);
    CHECK(chi_ok(a.chi, a.echi, 0.214805), "SF-T3 mu 0 chi %.4f(%.4f) vs 0.2148", a.chi, a.echi);
    CHECK(four_sigma(a.n, a.en, 0, 0, 0), "SF-T3 mu 0 n %.5f(%.5f) vs 0", a.n, a.en);
    printf("SF-T3 2x2 mu 0.0: |phi|^2 %.5f(%.0f) [exact 0.24270], chi %.4f(%.4f) [0.2148], n %.5f(%.5f) [0]\n", a.p,
           1e5 * a.ep, a.chi, a.echi, a.n, a.en);
    meas b = run_library(ctx, 0.5, SL_FLUX_L_AUTO, nsw, 12);
    CHECK(four_sigma(b.n, b.en, 0.133790, 0, 2e-4), "SF-T3 mu 0.5 n %.5f(%.5f) vs 0.13379", b.n, b.en);
    CHECK(four_sigma(b.p, b.ep, 0.2580215, 0, 2e-4), "SF-T3 mu 0.5 |phi|^2 %.5f(%.5f) vs 0.25802", b.p, b.ep);
    CHECK(chi_ok(b.chi, b.echi, 0.385337), "SF-T3 mu 0.5 chi %.4f(%.4f) vs 0.3853", b.chi, b.echi);
    printf("SF-T3 2x2 mu 0.5: n %.5f(%.0f) [0.13379], |phi|^2 %.5f(%.0f) [0.25802], chi %.4f(%.4f) [0.3853]\n", b.n,
           1e5 * b.en, b.p, 1e5 * b.ep, b.chi, b.echi);

    /* l frozen at 0: exact by enumeration here */
    int K = quick() ? 3 : 4;
    double en, ep, ec, en2, ep2, ec2;
    exact_lfrozen(ctx, 0.0, 2, &en, &ep, &ec);
    CHECK(fabs(ep - 0.2026814) < 5e-8 && fabs(ec - 0.163219) < 5e-7, "K=2 l=0 enumeration %.7f %.6f vs the note's 0.2026814 0.163219", ep, ec);
    exact_lfrozen(ctx, 0.0, K, &en, &ep, &ec);
    exact_lfrozen(ctx, 0.5, K, &en2, &ep2, &ec2);
    printf("exact l = 0, |k| <= %d: mu 0: |phi|^2 %.7f chi %.6f; mu 0.5: n %.6f |phi|^2 %.7f chi %.6f\n", K, ep, ec, en2,
           ep2, ec2);
    meas c = run_library(ctx, 0.0, SL_FLUX_L_NONE, nsw, 13);
    CHECK(four_sigma(c.p, c.ep, ep, 0, 2e-4), "SF-T3 l frozen mu 0 |phi|^2 %.5f(%.5f) vs %.5f", c.p, c.ep, ep);
    CHECK(chi_ok(c.chi, c.echi, ec), "SF-T3 l frozen mu 0 chi %.4f(%.4f) vs %.4f", c.chi, c.echi, ec);
    meas d = run_library(ctx, 0.5, SL_FLUX_L_NONE, nsw, 14);
    CHECK(four_sigma(d.n, d.en, en2, 0, 2e-4), "SF-T3 l frozen mu 0.5 n %.5f(%.5f) vs %.5f", d.n, d.en, en2);
    CHECK(four_sigma(d.p, d.ep, ep2, 0, 2e-4), "SF-T3 l frozen mu 0.5 |phi|^2 %.5f(%.5f) vs %.5f", d.p, d.ep, ep2);
    printf("SF-T3 l frozen: mu 0 |phi|^2 %.5f(%.0f) chi %.4f(%.4f); mu 0.5 n %.5f(%.0f) |phi|^2 %.5f(%.0f)\n", c.p,
           1e5 * c.ep, c.chi, c.echi, d.n, 1e5 * d.en, d.p, 1e5 * d.ep);

    /* the pitfalls: the same rules reject the wrong variants (half the
     * statistics: they miss by far more than 4 sigma) */
    nsw /= 2;
    meas p1 = run_harness(ctx, 0.0, SL__FK_P1, 0, 0, nsw, 21);
    CHECK(!four_sigma(p1.p, p1.ep, ep, 0, 2e-4), "P1 (l frozen) not caught: |phi|^2 %.5f(%.5f) vs %.5f", p1.p, p1.ep, ep);
    printf("P1 variant, l frozen, mu 0: |phi|^2 %.5f(%.0f) vs exact %.5f: %.0f sigma off, chi %.4f\n", p1.p,
           1e5 * p1.ep, ep, fabs(p1.p - ep) / p1.ep, p1.chi);
    meas p1f = run_harness(ctx, 0.0, SL__FK_P1, 1, 0, nsw, 22);
    CHECK(!four_sigma(p1f.p, p1f.ep, 0.2427047, 0, 2e-4), "P1 (full) not caught: %.5f(%.5f)", p1f.p, p1f.ep);
    printf("P1 variant, full sampler, mu 0: |phi|^2 %.5f(%.0f) vs 0.24270: %.0f sigma off\n", p1f.p, 1e5 * p1f.ep,
           fabs(p1f.p - 0.2427047) / p1f.ep);
    meas p2 = run_harness(ctx, 0.5, SL__FK_P2, 0, 4, nsw, 23);
    int p2_caught = !four_sigma(p2.n, p2.en, en2, 0, 2e-4) || !four_sigma(p2.p, p2.ep, ep2, 0, 2e-4);
    CHECK(p2_caught, "P2 (l frozen, 4 steps) not caught: n %.5f(%.5f) |phi|^2 %.5f(%.5f)", p2.n, p2.en, p2.p, p2.ep);
    printf("P2 variant (worms until 4 steps), l frozen, mu 0.5: n %.5f(%.0f) [%.5f, %.1f sigma], |phi|^2 %.5f(%.0f) "
           "[%.5f, %.1f sigma]\n",
           p2.n, 1e5 * p2.en, en2, fabs(p2.n - en2) / p2.en, p2.p, 1e5 * p2.ep, ep2, fabs(p2.p - ep2) / p2.ep);
    /* and the correct kernel passes the same rule on the harness */
    meas ok = run_harness(ctx, 0.5, SL__FK_CORRECT, 0, 0, nsw, 23);
    CHECK(four_sigma(ok.n, ok.en, en2, 0, 2e-4) && four_sigma(ok.p, ok.ep, ep2, 0, 2e-4), "correct harness run");
}

int main(void)
{
    sl_ctx *ctx;
    if (sl_ctx_create(&ctx, NULL)) return 1;
    /* the kernel's inlined splitmix64 is the library's stream */
    int rng_same = 1;
    for (uint64_t i = 0; i < 1000; ++i) rng_same &= sl__fk_u64(12345 + i, 7 * i) == sl_rng_u64(12345 + i, 7 * i);
    CHECK(rng_same, "sl__fk_u64 == sl_rng_u64");
    bookkeeping(ctx, 6, 4, 1);
    bookkeeping(ctx, 5, 3, 2);
    same_as_library(ctx);
    two_by_two(ctx);
    CHECK(sl_ctx_bytes_in_use(ctx) == 0, "everything freed");
    sl_ctx_destroy(ctx);
    return check_done();
}
