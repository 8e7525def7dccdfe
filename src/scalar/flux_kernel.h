/* The Monte Carlo kernels of the flux representation on plain arrays: the l
 * Metropolis update and the worm for k (docs/equivariant.md, derivation in
 * shared/research/scalar_field.md §1-2).  Static functions with no library
 * internals, so that a test can include this header and run the deliberately
 * wrong variants (pitfalls P1 and P2) to show that its checks catch them.
 *
 * Weights (SF-2): link factor e^{mu k_t} / ((|k| + l)! l!), site factor
 * W(f_x).  Every ratio is a product of r1[f] = W(f+1)/W(f),
 * r2[f] = W(f+2)/W(f) and small integers; no factorial tables. */
#ifndef SL_SCALAR_FLUX_KERNEL_H
#define SL_SCALAR_FLUX_KERNEL_H

#include <stdint.h>
#include <stdlib.h>

#include "symlearn/core.h"

/* variants: only SL__FK_CORRECT is used by the library */
#define SL__FK_BUF 512   /* random words drawn ahead */
enum { SL__FK_CORRECT = 0, SL__FK_P1 = 1, SL__FK_P2 = 2 };

typedef struct sl__fk {
    int64_t nt, nx, n;
    int32_t *k, *l;            /* 2n each: [d * n + site] */
    int32_t *f;                /* n */
    const int32_t *nbr;        /* 4n: forward t, forward x, backward t, backward x */
    /* 8n, [2 (4 site + dir)]: nbr of (dir, site), then the link index
     * d * n + (site, or its backward neighbour) that the move changes */
    const int32_t *nl;
    /* r1[f] = W(f+1)/W(f), d1[f] = W(f-1)/W(f), r2[f] = W(f+2)/W(f),
     * d2[f] = W(f-2)/W(f) (d1, d2 are 0 where f - 1, f - 2 < 0); f < fcap */
    const double *r1, *d1, *r2, *d2;
    /* the same interleaved by |k| or l down / up: rd1[2f] = d1[f],
     * rd1[2f+1] = r1[f], rd2[2f] = d2[f], rd2[2f+1] = r2[f] (2 fcap each) */
    const double *rd1, *rd2;
    int64_t fcap;
    int32_t maxf;              /* an upper bound of every f */
    double emu, emmu;          /* e^{mu}, e^{-mu} */
    uint64_t seed, counter;
    uint64_t worms, steps, accepted, lprop, lacc;
    /* grow the tables so that fcap > need (updates r1, r2, fcap); 0 on success */
    int (*grow)(struct sl__fk *, int64_t need, void *user);
    void *user;
    int variant;               /* SL__FK_* */
    int64_t p2_steps;          /* SL__FK_P2: worms until this many steps per sweep */
    /* tests: called after every accepted move (NULL in the library) */
    void (*on_move)(const struct sl__fk *, void *user);
    void *move_user;
    /* drawn words not yet used: word counter + j of the stream is
     * (ub[bpos + j], lb[bpos + j]) for j < bend - bpos, with
     * ub = (u >> 11) 2^-53 and lb = u & 3.  Zero (memset) is an empty
     * buffer; whoever changes seed or counter must empty it (bend = bpos). */
    int32_t bpos, bend;
    uint8_t lb[SL__FK_BUF];
    double ub[SL__FK_BUF];
} sl__fk;

#define SL__FK_U53 (1.0 / 9007199254740992.0)

/* the bound f + margin must stay inside the tables */
static inline int sl__fk_room(sl__fk *s, int margin)
{
    if ((int64_t)s->maxf + margin + 3 < s->fcap) return 0;
    if (!s->grow) return 1;
    return s->grow(s, (int64_t)s->maxf + margin + 3, s->user);
}

/* splitmix64, word k of stream seed: the formula of sl_rng_u64 (core.h),
 * inlined (the exported function is not, across the library boundary). */
static inline uint64_t sl__fk_u64(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + (k + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Draw the next SL__FK_BUF words of the stream ahead (independent
 * iterations: the latency of splitmix64 leaves the workers' chains). */
static inline void sl__fk_refill(sl__fk *s)
{
    uint64_t z = s->seed + (s->counter + 1) * 0x9E3779B97F4A7C15ULL;
    for (int j = 0; j < SL__FK_BUF; ++j, z += 0x9E3779B97F4A7C15ULL) {
        uint64_t u = z;
        u = (u ^ (u >> 30)) * 0xBF58476D1CE4E5B9ULL;
        u = (u ^ (u >> 27)) * 0x94D049BB133111EBULL;
        u ^= u >> 31;
        s->ub[j] = (double)(u >> 11) * SL__FK_U53;
        s->lb[j] = (uint8_t)(u & 3);
    }
    s->bpos = 0;
    s->bend = SL__FK_BUF;
}

/* the next word: its uniform in *uni, its low two bits returned */
static inline int sl__fk_draw(sl__fk *s, double *uni)
{
    if (s->bpos == s->bend) sl__fk_refill(s);
    int32_t j = s->bpos++;
    s->counter++;
    *uni = s->ub[j];
    return s->lb[j];
}

/* Metropolis update of l on link (site x, direction d), WA-1:
 *   up:   rho = W(fx+2) W(fy+2) / (W(fx) W(fy)) / ((|k|+l+1)(l+1))
 *   down: rho = W(fx-2) W(fy-2) / (W(fx) W(fy)) (|k|+l) l   (0 when l = 0)
 * accepted when uni * den < num, without branches on the outcome. */
static inline void sl__fk_l_link(sl__fk *s, int64_t x, int d)
{
    double uni;
    int bits = sl__fk_draw(s, &uni);
    int64_t li = d * s->n + x;
    int32_t y = s->nbr[d * s->n + x];
    int32_t L = s->l[li], a = abs(s->k[li]);
    int32_t fx = s->f[x], fy = s->f[y];
    int up = bits & 1;
    const double *rd = s->rd2;   /* [2f + up]: no select of the table */
    int64_t cnum = up ? 1 : (int64_t)(a + L) * L, cden = up ? (int64_t)(a + L + 1) * (L + 1) : 1;
    double num = rd[2 * (int64_t)fx + up] * rd[2 * (int64_t)fy + up] * (double)cnum;
    int acc = uni * (double)cden < num;
    int32_t dl = (up ? 2 : -2) & -(int32_t)acc;   /* change of f */
    s->l[li] = L + dl / 2;
    s->f[x] = fx + dl;
    s->f[y] = fy + dl;
    int32_t mx = fx > fy ? fx : fy;
    mx += dl;
    if (mx > s->maxf) s->maxf = mx;
    s->lprop++;
    s->lacc += (uint64_t)acc;
    if (__builtin_expect(s->on_move != NULL, 0) && acc) s->on_move(s, s->move_user);
}

/* One l sweep: checkerboard (4 sub-sweeps over (d, parity of coordinate d),
 * links of one sub-sweep share no site) or sequential.  1 when the tables
 * could not grow. */
static inline int sl__fk_l_sweep(sl__fk *s, int checkerboard)
{
    const int64_t nt = s->nt, nx = s->nx;
    for (int d = 0; d < 2; ++d) {
        if (checkerboard) {
            /* a sub-sweep changes every site at most once (by 2): one room
             * check per sub-sweep; the links in the order of the loop over
             * all (t, x) that skips the other parity */
            for (int p = 0; p < 2; ++p) {
                if (sl__fk_room(s, 2)) return 1;
                if (d == 0) {
                    for (int64_t t = p; t < nt; t += 2)
                        for (int64_t x = 0; x < nx; ++x) sl__fk_l_link(s, t * nx + x, 0);
                } else {
                    for (int64_t t = 0; t < nt; ++t)
                        for (int64_t x = p; x < nx; x += 2) sl__fk_l_link(s, t * nx + x, 1);
                }
            }
        } else {
            /* a pass over direction d changes every site at most twice */
            if (sl__fk_room(s, 4)) return 1;
            for (int64_t i = 0; i < s->n; ++i) sl__fk_l_link(s, i, d);
        }
    }
    return 0;
}

/* One worm (WA-2).  A proposal: one word u; bits 0-1 choose the link
 * (dir = d + 2 back), bits 11-63 the uniform.
 *   |k| up:   rho = W(fh+1) W(fh'+1) / (W(fh) W(fh')) / (|k|+l+1) e^{+-mu}
 *   |k| down: rho = W(fh-1) W(fh'-1) / (W(fh) W(fh')) (|k|+l)      e^{+-mu}
 * The loop is a dependency chain through the head h, so the kernel keeps it
 * short: f at the head lives in a register, the factors that depend only
 * on h (W(fh+-1)/W(fh) times e^{+-mu} for this worm's Delta and the chosen
 * direction) are formed while the neighbour is loaded, |k| up or down is
 * the sign of k dk, both acceptance tests are made and one is selected,
 * and the outcome is applied without branches (each is a coin flip for the
 * branch predictor).  The words come from the buffer of sl__fk_refill (the
 * splitmix64 counter stream of sl_rng_u64, unchanged); the neighbour and
 * the changed link from one entry of nl.  checked (a constant per instantiation) adds the P1 variant
 * and the per-move callback of the tests, so the library's loop has
 * neither.  1 when the tables could not grow (the worm is left open). */
static inline __attribute__((always_inline)) int sl__fk_worm_run(sl__fk *s, const int checked)
{
    double uni0;
    int b0 = sl__fk_draw(s, &uni0);
    /* indices as int64_t: no sign extension on the chain through h */
    const int64_t x0 = (int64_t)(uni0 * (double)s->n);
    int32_t delta = (b0 & 1) ? 1 : -1;
    int64_t h = x0;
    int moved = 0;
    const int32_t *nl = s->nl;
    int32_t *k = s->k, *f = s->f;
    const int32_t *l = s->l;
    const double *rd = s->rd1;
    /* per direction: dk, its sign mask, and e^{mu dk} (time) or 1 (space) */
    const double em = delta > 0 ? s->emu : s->emmu, emb = delta > 0 ? s->emmu : s->emu;
    const double mfd[4] = {em, 1.0, emb, 1.0};
    const int32_t dkd[4] = {delta, delta, -delta, -delta};
    void (*const on_move)(const struct sl__fk *, void *) = s->on_move;
    const int p1 = checked && s->variant == SL__FK_P1;
    int32_t pos = s->bpos, bend = s->bend, pos0 = pos;
    uint64_t accepted = 0;
    int32_t M = s->maxf;         /* the bound of every f, kept by every move */
    int64_t lim = s->fcap - 4;   /* M < lim: the next step's f + 1 is in the tables */
    int64_t fh = f[h];
    s->worms++;
    for (;;) {
        if (__builtin_expect(((int64_t)M >= lim) | (pos == bend), 0)) {
            s->counter += (uint64_t)(pos - pos0);
            s->steps += (uint64_t)(pos - pos0);
            s->bpos = pos;
            if ((int64_t)M >= lim) {
                s->maxf = M;
                if (sl__fk_room(s, 1)) {
                    s->accepted += accepted;
                    return 1;
                }
                rd = s->rd1;
                lim = s->fcap - 4;
            }
            if (pos == bend) sl__fk_refill(s);
            pos = pos0 = s->bpos;
            bend = s->bend;
        }
        double uni = s->ub[pos];
        int dir = s->lb[pos];
        pos++;
        double mf = mfd[dir];
        int32_t dk = dkd[dir], dks = dk >> 31;
        const int32_t *e = nl + 2 * (4 * (int64_t)h + dir);
        int64_t hp = e[0], li = e[1];
        /* h-only table entries, ready before the neighbour's f arrives */
        double adn = rd[2 * fh] * mf, aup = rd[2 * fh + 1] * mf;
        int32_t k0 = k[li], L = l[li];
        int64_t fp = f[hp];
        /* |k0 + dk| = |k0| + 1 iff k0 dk >= 0 (dk = +-1) */
        int32_t up = ((k0 ^ dks) - dks) >= 0;
        int32_t m = abs(k0) + L;
        /* up: uni (m + 1) < r1[fh] r1[fp] mf;  down: uni < d1[fh] d1[fp] mf m.
         * Both tests are made and the right one is selected with bit
         * operations (a branch on up would be a coin flip). */
        int32_t acc_up = uni * (double)(m + 1) < aup * rd[2 * fp + 1];
        int32_t acc_dn = uni < adn * (double)m * rd[2 * fp];
        int32_t acc = (acc_up & up) | (acc_dn & (up ^ 1));
        int32_t am = -acc, da = (2 * up - 1) & am;
        k[li] = k0 + (dk & am);
        f[h] = (int32_t)(fh + da);
        f[hp] = (int32_t)(fp + da);
        int32_t mx = (int32_t)(fh > fp ? fh : fp) + da;
        M = mx > M ? mx : M;
        fh = acc ? fp + da : fh;
        h = acc ? hp : h;
        accepted += (uint64_t)acc;
        if (checked) {
            moved |= acc;
            if (on_move && acc) {
                s->counter += (uint64_t)(pos - pos0);
                s->steps += (uint64_t)(pos - pos0);
                pos0 = pos;
                s->bpos = pos;
                s->maxf = M;
                on_move(s, s->move_user);
            }
            /* WRONG (P1): retry from the closed state until a move is accepted */
            if (p1 && !moved) continue;
        }
        if (h == x0) break;   /* after any step, accepted or not */
    }
    s->bpos = pos;
    s->counter += (uint64_t)(pos - pos0);
    s->steps += (uint64_t)(pos - pos0);
    s->maxf = M;
    s->accepted += accepted;
    return 0;
}

static inline int sl__fk_worm(sl__fk *s)
{
    if (s->on_move || s->variant == SL__FK_P1) return sl__fk_worm_run(s, 1);
    return sl__fk_worm_run(s, 0);
}

/* One sweep: l update (lmode 0 none, 1 checkerboard, 2 sequential), then
 * nworms worms (SL__FK_P2: worms until p2_steps steps, WRONG). */
static inline int sl__fk_sweep(sl__fk *s, int lmode, int64_t nworms)
{
    if (lmode && sl__fk_l_sweep(s, lmode == 1)) return 1;
    if (s->variant == SL__FK_P2) {
        uint64_t start = s->steps;
        while (s->steps - start < (uint64_t)s->p2_steps)
            if (sl__fk_worm(s)) return 1;
        return 0;
    }
    for (int64_t w = 0; w < nworms; ++w)
        if (sl__fk_worm(s)) return 1;
    return 0;
}

/* Q: the sum of k_t over the slice t = 0. */
static inline int64_t sl__fk_winding(const sl__fk *s)
{
    int64_t q = 0;
    for (int64_t x = 0; x < s->nx; ++x) q += s->k[x];
    return q;
}

/* <|phi|^2> of the configuration: mean of W(f+2)/W(f) (SF-6). */
static inline double sl__fk_phi2(const sl__fk *s)
{
    double acc = 0;
    for (int64_t i = 0; i < s->n; ++i) acc += s->r2[s->f[i]];
    return acc / (double)s->n;
}

#endif
