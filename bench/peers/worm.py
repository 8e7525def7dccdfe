"""Python reference for workload `worm` (bench/bench_worm.c,
shared/research/scalar_field.md §2 and §6.1).

Complex phi^4 in the flux representation on 60 x 4, m = 0.1, lambda = 1,
mu = 1.00: 1000 thermalisation + 30000 measured sweeps, each one
checkerboard l Metropolis sweep (WA-1) and 30 worms (WA-2, a fixed number of
worms per sweep; a worm ends when the head is back at x0 after any step,
accepted or not: pitfalls P1, P2 of the note).  The worm is a sequential
Markov chain, so this is a plain Python loop, written as fast as CPython
allows: flat lists, precomputed ratio tables W(f+-1)/W(f), W(f+-2)/W(f),
precomputed neighbour and link tables, per-worm constants, one C-level
random.random() draw per proposal.  Pure standard library (no numpy is
needed: nothing here vectorises).  Site weights by the same trapezoidal rule
as src/scalar/site_weights.c.  Prints one JSON line like the other peers;
<n>, <|phi|^2> with errors from 50 bins for the 4-sigma rule against the
note's 0.36333(321), 0.384780(1133).
"""
import argparse
import json
import math
import random
import sys
import time


def logw(eta, lam, f):
    """log W(f), W(f) = int_0^inf dr r^{f+1} e^{-eta r^2 - lam r^4} (SF-4)."""
    b = 0.5 * f + 1.0
    v = 2 * b / (eta + math.sqrt(eta * eta + 8 * lam * b)) if eta >= 0 else (
        -eta + math.sqrt(eta * eta + 8 * lam * b)) / (4 * lam)
    s0 = math.log(v)
    curv = b + 2 * lam * v * v
    h = 1.0 / (6.0 * math.sqrt(curv))

    def g(s):
        return b * s - eta * math.exp(s) - lam * math.exp(2 * s)

    g0 = g(s0)
    tot = 1.0
    for side in (-1, 1):
        j = 1
        while True:
            e = g(s0 + side * j * h) - g0
            tot += math.exp(e)
            if e < -60:
                break
            j += 1
    return math.log(0.5) + g0 + math.log(h * tot)


def main():
    ap = argparse.ArgumentParser(description="worm peer (plain Python reference)")
    ap.add_argument("--threads", type=int, default=1)
    for key, val in dict(nt=60, nx=4, therm=1000, sweeps=30000, worms=30, seed=1100).items():
        ap.add_argument("--" + key, type=int, default=val)
    for key, val in dict(m=0.1, **{"lambda": 1.0}, mu=1.0).items():
        ap.add_argument("--" + key, type=float, default=val)
    a = ap.parse_args()
    nt, nx, lam, mu = a.nt, a.nx, getattr(a, "lambda"), a.mu
    if nt % 2 or nx % 2:
        sys.exit("worm.py: the checkerboard l update needs even sizes")
    n = nt * nx
    eta = 4.0 + a.m * a.m
    fcap = 400
    lw = [logw(eta, lam, f) for f in range(fcap + 2)]
    r1 = [math.exp(lw[f + 1] - lw[f]) for f in range(fcap)]
    d1 = [math.exp(lw[f - 1] - lw[f]) if f >= 1 else 0.0 for f in range(fcap)]
    r2 = [math.exp(lw[f + 2] - lw[f]) for f in range(fcap)]
    d2 = [math.exp(lw[f - 2] - lw[f]) if f >= 2 else 0.0 for f in range(fcap)]
    # site s = t * nx + x; link index d * n + s (d = 0 time, 1 space)
    nbr4, lnk4 = [], []   # [4 s + dir]: dir 0 fwd t, 1 fwd x, 2 back t, 3 back x
    for s in range(n):
        t, x = divmod(s, nx)
        ft, fx = ((t + 1) % nt) * nx + x, t * nx + (x + 1) % nx
        bt, bx = ((t - 1) % nt) * nx + x, t * nx + (x - 1) % nx
        nbr4 += [ft, fx, bt, bx]
        lnk4 += [s, n + s, bt, n + bx]
    links = []   # checkerboard order: (d, parity of coordinate d, t, x)
    for d in range(2):
        for p in range(2):
            for t in range(nt):
                for x in range(nx):
                    if (t if d == 0 else x) % 2 == p:
                        s = t * nx + x
                        links.append((d * n + s, s, nbr4[4 * s + d]))
    k = [0] * (2 * n)
    ll = [0] * (2 * n)
    f = [0] * n
    emu, emmu = math.exp(mu), math.exp(-mu)
    random.seed(a.seed)
    rnd = random.random
    stats = [0, 0]   # worm steps, accepted

    def lsweep():
        for li, x, y in links:
            u = rnd() * 2.0
            L = ll[li]
            fx, fy = f[x], f[y]
            if u >= 1.0:
                ak = k[li]
                if ak < 0:
                    ak = -ak
                if (u - 1.0) * ((ak + L + 1) * (L + 1)) < r2[fx] * r2[fy]:
                    ll[li] = L + 1
                    f[x] = fx + 2
                    f[y] = fy + 2
            elif L > 0:
                ak = k[li]
                if ak < 0:
                    ak = -ak
                if u < d2[fx] * d2[fy] * ((ak + L) * L):
                    ll[li] = L - 1
                    f[x] = fx - 2
                    f[y] = fy - 2

    def worm():
        x0 = int(rnd() * n)
        delta = 1 if rnd() < 0.5 else -1
        dks = (delta, delta, -delta, -delta)
        mfs = (emu if delta > 0 else emmu, 1.0, emmu if delta > 0 else emu, 1.0)
        h = x0
        steps = acc = 0
        while True:
            u = rnd() * 4.0
            dr = int(u)
            u -= dr
            i = 4 * h + dr
            hp = nbr4[i]
            li = lnk4[i]
            k0 = k[li]
            k1 = k0 + dks[dr]
            a0 = k0 if k0 >= 0 else -k0
            fh, fp = f[h], f[hp]
            steps += 1
            if (k1 if k1 >= 0 else -k1) > a0:
                if u * (a0 + ll[li] + 1) < r1[fh] * r1[fp] * mfs[dr]:
                    k[li] = k1
                    f[h] = fh + 1
                    f[hp] = fp + 1
                    h = hp
                    acc += 1
            elif u < d1[fh] * d1[fp] * mfs[dr] * (a0 + ll[li]):
                k[li] = k1
                f[h] = fh - 1
                f[hp] = fp - 1
                h = hp
                acc += 1
            if h == x0:
                break
        stats[0] += steps
        stats[1] += acc

    nm = a.sweeps
    ns, ps = [0.0] * nm, [0.0] * nm
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(a.therm + nm):
        lsweep()
        for _ in range(a.worms):
            worm()
        if max(f) + 4 >= fcap:
            sys.exit("worm.py: f reached the table size %d" % fcap)
        if i >= a.therm:
            ns[i - a.therm] = sum(k[:nx]) / nx
            ps[i - a.therm] = sum(r2[v] for v in f) / n
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = {}
    for name, ser in (("n", ns), ("phi2", ps)):
        mean = sum(ser) / nm
        bs = nm // 50
        bms = [sum(ser[b * bs:(b + 1) * bs]) / bs for b in range(50)]
        out[name] = mean
        out[name + "_err"] = math.sqrt(sum((x - mean) ** 2 for x in bms) / (50.0 * 49.0))
    ref = {"n": (0.36333, 0.00321), "phi2": (0.384780, 0.001133)}
    for name in ("n", "phi2"):
        r, e = ref[name]
        out["pass_" + name] = int(abs(out[name] - r) <= 4 * math.hypot(out[name + "_err"], e))
    total = a.therm + nm
    print("worm peer %dx%d m %g lambda %g mu %g: %d + %d sweeps in %.2f s (cpu %.2f s), %.3g worm steps/s, "
          "%.1f steps/worm; <n> = %.5f(%.0f), <|phi|^2> = %.6f(%.0f)" % (
              nt, nx, a.m, lam, mu, a.therm, nm, seconds, cpu, stats[0] / seconds,
              stats[0] / (total * a.worms), out["n"], 1e5 * out["n_err"], out["phi2"], 1e6 * out["phi2_err"]),
          file=sys.stderr)
    rep = {"workload": "worm", "impl": "python-" + sys.version.split()[0], "threads": 1, "steps": total,
           "seconds": seconds, "steps_per_s": total / seconds, "worm_steps": stats[0],
           "worm_steps_per_s": stats[0] / seconds, "steps_per_worm": stats[0] / (total * a.worms),
           "cpu_seconds": cpu}
    rep.update(out)
    print(json.dumps(rep))


if __name__ == "__main__":
    main()
