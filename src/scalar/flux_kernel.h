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
enum { SL__FK_CORRECT = 0, SL__FK_P1 = 1, SL__FK_P2 = 2 };

typedef struct sl__fk {
    int64_t nt, nx, n;
    int32_t *k, *l;            /* 2n each: [d * n + site] */
    int32_t *f;                /* n */
    const int32_t *nbr;        /* 4n: forward t, forward x, backward t, backward x */
    /* r1[f] = W(f+1)/W(f), d1[f] = W(f-1)/W(f), r2[f] = W(f+2)/W(f),
     * d2[f] = W(f-2)/W(f) (d1, d2 are 0 where f - 1, f - 2 < 0); f < fcap */
    const double *r1, *d1, *r2, *d2;
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

/* Metropolis update of l on link (site x, direction d), WA-1:
 *   up:   rho = W(fx+2) W(fy+2) / (W(fx) W(fy)) / ((|k|+l+1)(l+1))
 *   down: rho = W(fx-2) W(fy-2) / (W(fx) W(fy)) (|k|+l) l   (0 when l = 0)
 * accepted when uni * den < num, without branches on the outcome. */
static inline void sl__fk_l_link(sl__fk *s, int64_t x, int d)
{
    uint64_t u = sl__fk_u64(s->seed, s->counter++);
    double uni = (double)(u >> 11) * SL__FK_U53;
    int64_t li = d * s->n + x;
    int32_t y = s->nbr[d * s->n + x];
    int32_t L = s->l[li], a = abs(s->k[li]);
    int32_t fx = s->f[x], fy = s->f[y];
    int up = (int)(u & 1);
    const double *tab = up ? s->r2 : s->d2;
    int64_t cnum = up ? 1 : (int64_t)(a + L) * L, cden = up ? (int64_t)(a + L + 1) * (L + 1) : 1;
    double num = tab[fx] * tab[fy] * (double)cnum;
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
    for (int d = 0; d < 2; ++d) {
        if (checkerboard) {
            for (int p = 0; p < 2; ++p)
                for (int64_t t = 0; t < s->nt; ++t)
                    for (int64_t x = 0; x < s->nx; ++x) {
                        if (((d == 0 ? t : x) & 1) != p) continue;
                        if (sl__fk_room(s, 2)) return 1;
                        sl__fk_l_link(s, t * s->nx + x, d);
                    }
        } else {
            for (int64_t i = 0; i < s->n; ++i) {
                if (sl__fk_room(s, 2)) return 1;
                sl__fk_l_link(s, i, d);
            }
        }
    }
    return 0;
}

/* One worm (WA-2).  A proposal: one word u; bits 0-1 choose the link
 * (dir = d + 2 back indexes nbr), bits 11-63 the uniform.
 *   |k| up:   rho = W(fh+1) W(fh'+1) / (W(fh) W(fh')) / (|k|+l+1) e^{+-mu}
 *   |k| down: rho = W(fh-1) W(fh'-1) / (W(fh) W(fh')) (|k|+l)      e^{+-mu}
 * The outcome is applied without branches (it is a coin flip for the branch
 * predictor).  1 when the tables could not grow (the worm is left open). */
static inline int sl__fk_worm(sl__fk *s)
{
    uint64_t u0 = sl__fk_u64(s->seed, s->counter++);
    int32_t x0 = (int32_t)((double)(u0 >> 11) * SL__FK_U53 * (double)s->n);
    int32_t delta = (u0 & 1) ? 1 : -1;
    int32_t h = x0;
    int moved = 0;
    const int64_t n = s->n;
    const int32_t *nbr = s->nbr;
    int32_t *k = s->k, *f = s->f;
    const int32_t *l = s->l;
    /* e^{mu dk} for time links, 1 for space links: [d][dk > 0] */
    const double mf[4] = {s->emmu, s->emu, 1.0, 1.0};
    const double *tabs[2] = {s->d1, s->r1};
    void (*const on_move)(const struct sl__fk *, void *) = s->on_move;
    const int p1 = s->variant == SL__FK_P1;
    uint64_t counter = s->counter, steps = 0, accepted = 0;
    int32_t maxf = s->maxf;
    s->worms++;
    for (;;) {
        if ((int64_t)maxf + 4 >= s->fcap) {
            s->maxf = maxf;
            if (sl__fk_room(s, 1)) {
                s->counter = counter;
                s->steps += steps;
                s->accepted += accepted;
                return 1;
            }
            tabs[0] = s->d1;
            tabs[1] = s->r1;
        }
        uint64_t u = sl__fk_u64(s->seed, counter++);
        double uni = (double)(u >> 11) * SL__FK_U53;
        int dir = (int)(u & 3), d = dir & 1, back = dir >> 1;
        int32_t hp = nbr[dir * n + h];
        int64_t li = d * n + (back ? hp : h);
        int32_t dk = back ? -delta : delta;
        int32_t k0 = k[li], L = l[li];
        int32_t a0 = abs(k0);
        int up = abs(k0 + dk) > a0;
        int32_t fh = f[h], fp = f[hp];
        const double *tab = tabs[up];
        int32_t cnum = up ? 1 : a0 + L, cden = up ? a0 + L + 1 : 1;   /* integer selects: cmov */
        double num = tab[fh] * tab[fp] * mf[2 * d + (dk > 0)] * (double)cnum;
        int acc = uni * (double)cden < num;
        int32_t am = -(int32_t)acc, da = (up ? 1 : -1) & am;
        k[li] = k0 + (dk & am);
        f[h] = fh + da;
        f[hp] = fp + da;
        int32_t mx = (fh > fp ? fh : fp) + da;
        maxf = mx > maxf ? mx : maxf;
        h = acc ? hp : h;
        steps++;
        accepted += (uint64_t)acc;
        moved |= acc;
        if (__builtin_expect(on_move != NULL, 0) && acc) {
            s->counter = counter;
            s->maxf = maxf;
            on_move(s, s->move_user);
        }
        /* WRONG (P1): retry from the closed state until a move is accepted */
        if (p1 && !moved) continue;
        if (h == x0) break;   /* after any step, accepted or not */
    }
    s->counter = counter;
    s->maxf = maxf;
    s->steps += steps;
    s->accepted += accepted;
    return 0;
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
