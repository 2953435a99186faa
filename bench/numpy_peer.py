"""Peer: numpy (OpenBLAS) with hand-written gradients for the same workloads, timed in the same run.
autograd itself cannot be installed here (no PyPI); its published times on this machine are quoted in run.ts."""
import json, sys, time
import numpy as np

def timeit(fn, min_s=0.3, batches=5):
    iters = 1
    while True:
        t = time.perf_counter()
        for _ in range(iters): fn()
        if time.perf_counter() - t > min_s / batches or iters > 1e6: break
        iters *= 2
    samples = []
    for _ in range(batches):
        t = time.perf_counter()
        for _ in range(iters): fn()
        samples.append((time.perf_counter() - t) / iters * 1e3)
    return sorted(samples)[len(samples) // 2]

rng = np.random.default_rng(0)
out = {}

def taylor_grad(x):
    # forward recurrence for sin and its derivative, by hand (what autograd would trace)
    ans, term, dans, dterm, i = x, x, 1.0, 1.0, 0
    while abs(term) > 1e-3:
        c = (2 * i + 3) * (2 * i + 2)
        dterm = -(dterm * x * x + term * 2 * x) / c
        term = -term * x * x / c
        ans += term; dans += dterm; i += 1
    return dans
out["taylor"] = timeit(lambda: taylor_grad(np.float64(np.pi)))

X = rng.standard_normal((10000, 100)); y = (np.arange(10000) % 3 == 0).astype(float); w = 0.1 * rng.standard_normal(100)
def logreg_grad(w):
    z = X @ w; t = np.tanh(0.5 * z); p = 0.5 * (t + 1)
    dp = -(y / p - (1 - y) / (1 - p))
    dz = dp * 0.5 * (1 - t ** 2) * 0.5
    return X.T @ dz
out["logreg"] = timeit(lambda: logreg_grad(w))

Xm = rng.standard_normal((128, 784)); Y = np.eye(10)[rng.integers(0, 10, 128)]
W1 = 0.05 * rng.standard_normal((784, 256)); b1 = np.zeros(256); W2 = 0.05 * rng.standard_normal((256, 10)); b2 = np.zeros(10)
def mlp_grad():
    h = np.tanh(Xm @ W1 + b1); logits = h @ W2 + b2
    m = logits.max(1, keepdims=True); e = np.exp(logits - m); s = e / e.sum(1, keepdims=True)
    dlogits = (s - Y) / 128
    dW2 = h.T @ dlogits; db2 = dlogits.sum(0); dh = dlogits @ W2.T * (1 - h ** 2)
    return Xm.T @ dh, dh.sum(0), dW2, db2
out["mlp"] = timeit(mlp_grad)

Xs = rng.standard_normal((1000, 50)); ys = (np.arange(1000) % 3 == 0).astype(float); ws = 0.1 * rng.standard_normal(50); v = np.ones(50)
def logreg_hvp():
    p = 0.5 * (np.tanh(0.5 * (Xs @ ws)) + 1)
    return Xs.T @ ((p * (1 - p)) * (Xs @ v))
out["hvp"] = timeit(logreg_hvp)
# GP negative log marginal likelihood, forward only (no autograd here): cholesky + solve + logdet, N=200
xg = rng.uniform(-3, 3, (200, 1)); yg = np.sin(2 * xg[:, 0]) + 0.1 * rng.standard_normal(200)
sq = (xg - xg.T) ** 2
def gp_nll():
    K = np.exp(0.0) * np.exp(-0.5 * sq / np.exp(0.0)) + np.exp(-2.0) * np.eye(200)
    L = np.linalg.cholesky(K); alpha = np.linalg.solve(K, yg)
    return 0.5 * yg @ alpha + np.log(np.diag(L)).sum() + 100 * np.log(2 * np.pi)
out["gp"] = timeit(gp_nll)
json.dump(out, sys.stdout)
