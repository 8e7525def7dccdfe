"""Peer for workload `cnn` (bench/bench_cnn.c, shared/research/scalar_field.md §6.2).

The SF-T8 network conv(4->16, k3, circular)-tanh-conv(16->16, k3)-tanh-mean-
linear(16->2) in float64, AdamW (lr 1e-2, amsgrad, weight decay 0), batch 100,
batches in order.  Data and weights bit for bit as the C side: splitmix64
streams (sm64.py), generated here with vectorised numpy uint64 arithmetic
(the same numbers as SM64(seed).uniforms, without a Python loop).  No Python
loop over samples: whole batches go through torch.
"""
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "bench", "peers")
for p in (HERE, os.environ.get("PEERS", ""), os.path.normpath(SHARED)):
    if p and os.path.exists(os.path.join(p, "common.py")) and p not in sys.path:
        sys.path.insert(0, p)

from common import F64, Timer, parse, report, torch  # noqa: E402


def uniforms(seed, count, lo=0.0, hi=1.0):
    """SM64(seed).uniforms(count, lo, hi), vectorised."""
    with np.errstate(over="ignore"):
        s = np.uint64(seed) + np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (s ^ (s >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
    return lo + (hi - lo) * u


a = parse("cnn peer", n=20000, epochs=3, batch=100, lr=1e-2)
NT, NX, C = 60, 4, 4
n, B = a.n, a.batch
x = np.floor(4 * uniforms(1, n * C * NT * NX)).reshape(n, C, NT, NX)
x[:, :2] -= 2
y = np.stack([x[:, 0].sum(axis=(1, 2)) / (NT * NX), x[:, 2:].sum(axis=(1, 2, 3)) / (NT * NX) / 4], axis=1)
x = torch.tensor(x, dtype=F64)
y = torch.tensor(y, dtype=F64)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(4, 16, 3, padding=1, padding_mode="circular", dtype=F64)
        self.c2 = torch.nn.Conv2d(16, 16, 3, padding=1, padding_mode="circular", dtype=F64)
        self.fc = torch.nn.Linear(16, 2, dtype=F64)

    def forward(self, v):
        h = torch.tanh(self.c1(v))
        h = torch.tanh(self.c2(h))
        return self.fc(h.mean(dim=(2, 3)))


net = Net()
fans = [36.0, 36.0, 144.0, 144.0, 16.0, 16.0]
with torch.no_grad():
    for i, prm in enumerate(net.parameters()):
        b = 1.0 / np.sqrt(fans[i])
        prm.copy_(torch.tensor(uniforms(11 + i, prm.numel(), -b, b), dtype=F64).reshape(prm.shape))
opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=0.0, amsgrad=True)
nb = n // B
loss0 = None
c0 = time.process_time()
with Timer() as t:
    for ep in range(a.epochs):
        last = 0.0
        for b in range(nb):
            opt.zero_grad(set_to_none=True)
            loss = ((net(x[b * B:(b + 1) * B]) - y[b * B:(b + 1) * B]) ** 2).mean()
            loss.backward()
            opt.step()
            lv = float(loss)
            if loss0 is None:
                loss0 = lv
            last += lv / nb
cpu = time.process_time() - c0
flops = 3.0 * 2 * NT * NX * (16 * 36 + 16 * 144) * nb * B * a.epochs
report("cnn", a, t.seconds, a.epochs * nb, loss=last, loss0=loss0, seconds_per_epoch=t.seconds / a.epochs,
       cpu_seconds=cpu, model_gflops=flops / t.seconds / 1e9)
