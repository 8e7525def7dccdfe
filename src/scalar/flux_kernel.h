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
    const double *r1, *r2;     /* valid for f < fcap - 1 (r1) and f < fcap - 2 (r2) */
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

/* Metropolis update of l on link (site x, direction d), WA-1. */
static inline void sl__fk_l_link(sl__fk *s, int64_t x, int d)
{
    uint64_t u = sl_rng_u64(s->seed, s->counter++);
    double uni = (double)(u >> 11) * SL__FK_U53;
    int64_t li = d * s->n + x;
    int32_t y = s->nbr[d * s->n + x];
    int32_t L = s->l[li], a = abs(s->k[li]);
    int32_t fx = s->f[x], fy = s->f[y];
    s->lprop++;
    double rho;
    int dl;
    if (u & 1) {
        dl = 1;
        rho = s->r2[fx] * s->r2[fy] / ((double)(a + L + 1) * (double)(L + 1));
    } else {
        if (L == 0) return;
        dl = -1;
        rho = (double)(a + L) * (double)L / (s->r2[fx - 2] * s->r2[fy - 2]);
    }
    if (uni < rho) {
        s->l[li] = L + dl;
        s->f[x] = fx + 2 * dl;
        s->f[y] = fy + 2 * dl;
        if (s->f[x] > s->maxf) s->maxf = s->f[x];
        if (s->f[y] > s->maxf) s->maxf = s->f[y];
        s->lacc++;
        if (s->on_move) s->on_move(s, s->move_user);
    }
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

/* One worm (WA-2).  1 when the tables could not grow (the worm is left open). */
static inline int sl__fk_worm(sl__fk *s)
{
    uint64_t u0 = sl_rng_u64(s->seed, s->counter++);
    int32_t x0 = (int32_t)((double)(u0 >> 11) * SL__FK_U53 * (double)s->n);
    int delta = (u0 & 1) ? 1 : -1;
    int32_t h = x0;
    int moved = 0;
    const int64_t n = s->n;
    s->worms++;
    for (;;) {
        if (sl__fk_room(s, 1)) return 1;
        uint64_t u = sl_rng_u64(s->seed, s->counter++);
        double uni = (double)(u >> 11) * SL__FK_U53;
        int d = (int)(u & 1), back = (int)((u >> 1) & 1);
        int32_t hp;
        int64_t li;
        int dk;
        if (!back) {
            hp = s->nbr[d * n + h];
            li = d * n + h;
            dk = delta;
        } else {
            hp = s->nbr[(2 + d) * n + h];
            li = d * n + hp;
            dk = -delta;
        }
        int32_t k0 = s->k[li], k1 = k0 + dk, L = s->l[li];
        int32_t a0 = abs(k0), a1 = abs(k1);
        int32_t fh = s->f[h], fp = s->f[hp];
        double rho;
        if (a1 > a0) rho = s->r1[fh] * s->r1[fp] / (double)(a0 + L + 1);
        else rho = (double)(a0 + L) / (s->r1[fh - 1] * s->r1[fp - 1]);
        if (d == 0) rho *= dk > 0 ? s->emu : s->emmu;
        s->steps++;
        if (uni < rho) {
            int32_t da = a1 - a0;
            s->k[li] = k1;
            s->f[h] = fh + da;
            s->f[hp] = fp + da;
            if (da > 0) {
                if (s->f[h] > s->maxf) s->maxf = s->f[h];
                if (s->f[hp] > s->maxf) s->maxf = s->f[hp];
            }
            s->accepted++;
            h = hp;
            moved = 1;
            if (s->on_move) s->on_move(s, s->move_user);
        } else if (s->variant == SL__FK_P1 && !moved) {
            continue;   /* WRONG (P1): retry from the closed state until a move is accepted */
        }
        if (h == x0) return 0;   /* after any step, accepted or not */
    }
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
