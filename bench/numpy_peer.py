"""Peer: numpy (OpenBLAS) with hand-written gradients for the same workloads, timed in the same run: the floor
(no tracing at all). Prints a JSON object {workload: ms per call}; matmul512 and matvec are plain products."""
import json, sys
import numpy as np
from peer_timing import timeit

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

def logreg_data(n, d):
    X = rng.standard_normal((n, d)); y = (np.arange(n) % 3 == 0).astype(float); w = 0.1 * rng.standard_normal(d)
    return X, y, w
def logreg_grad(X, y, w):
    z = X @ w; t = np.tanh(0.5 * z); p = 0.5 * (t + 1)
    dp = -(y / p - (1 - y) / (1 - p))
    dz = dp * 0.5 * (1 - t ** 2) * 0.5
    return X.T @ dz
Xt, yt, wt = logreg_data(4, 3)
out["logreg_tiny"] = timeit(lambda: logreg_grad(Xt, yt, wt))
X, y, w = logreg_data(10000, 100)
out["logreg"] = timeit(lambda: logreg_grad(X, y, w))
out["matvec"] = timeit(lambda: X @ w)
M1 = rng.standard_normal((512, 512)); M2 = rng.standard_normal((512, 512))
out["matmul512"] = timeit(lambda: M1 @ M2)

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
out["grad_small"] = timeit(lambda: logreg_grad(Xs, ys, ws))

A = 0.1 * rng.standard_normal((100, 100)); x100 = rng.standard_normal(100)
def jac():
    t = np.tanh(A @ x100)
    return (1 - t ** 2)[:, None] * A
out["jac_rev"] = timeit(jac)
out["jac_fwd"] = out["jac_rev"]

K = 5; N = 100000
comp = rng.integers(0, K, N)
xmix = (2.0 * comp - (K - 1) + 0.5 * rng.standard_normal(N)).reshape(N, 1)
mu = np.linspace(-3, 3, K); logs = np.zeros(K); logits = np.zeros(K)
def gmm_grad():
    s = np.exp(logs); z = (xmix - mu) / s
    logw = logits - (logits.max() + np.log(np.exp(logits - logits.max()).sum()))
    lp = -0.5 * z * z + (logw - logs) - 0.5 * np.log(2 * np.pi)
    m = lp.max(1, keepdims=True); e = np.exp(lp - m); r = e / e.sum(1, keepdims=True)  # responsibilities
    dmu = -(r * z / s).sum(0)
    dlogs = -(r * (z * z - 1)).sum(0)
    dlogits = -(r.sum(0) - N * np.exp(logw))
    return dmu, dlogs, dlogits
out["gmm"] = timeit(gmm_grad)

xs = [rng.standard_normal((16, 8)) for _ in range(20)]; yr = rng.standard_normal((16, 1))
Wx = 0.3 * rng.standard_normal((8, 32)); Wh = 0.2 * rng.standard_normal((32, 32)); b = np.zeros(32); Wo = 0.3 * rng.standard_normal((32, 1))
def rnn_grad():
    hs = [np.zeros((16, 32))]
    for x in xs: hs.append(np.tanh(x @ Wx + hs[-1] @ Wh + b))
    dout = 2 * (hs[-1] @ Wo - yr) / 16
    dWo = hs[-1].T @ dout; dh = dout @ Wo.T
    dWx = np.zeros_like(Wx); dWh = np.zeros_like(Wh); db = np.zeros_like(b)
    for t in range(20, 0, -1):
        da = dh * (1 - hs[t] ** 2)
        dWx += xs[t - 1].T @ da; dWh += hs[t - 1].T @ da; db += da.sum(0)
        dh = da @ Wh.T
    return dWx, dWh, db, dWo
out["rnn"] = timeit(rnn_grad)
# GP negative log marginal likelihood, forward only (value, not gradient): cholesky + solve + logdet, N=200
xg = rng.uniform(-3, 3, (200, 1)); yg = np.sin(2 * xg[:, 0]) + 0.1 * rng.standard_normal(200)
sq = (xg - xg.T) ** 2
def gp_nll():
    K = np.exp(0.0) * np.exp(-0.5 * sq / np.exp(0.0)) + np.exp(-2.0) * np.eye(200)
    L = np.linalg.cholesky(K); alpha = np.linalg.solve(K, yg)
    return 0.5 * yg @ alpha + np.log(np.diag(L)).sum() + 100 * np.log(2 * np.pi)
out["gp"] = timeit(gp_nll)
json.dump(out, sys.stdout)
