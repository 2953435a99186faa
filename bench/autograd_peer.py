"""Peer: HIPS/autograd on numpy, the same workloads as gradlab's bench (bench/workloads.ts), timed in this run.
Run with PYTHONPATH=<shared>/peers/autograd; prints a JSON object {workload: ms per call}.
Same math, same shapes and the same kind of data as the gradlab side (the values need not match bit for bit)."""
import json, sys, time
import autograd.numpy as np
import numpy as onp
from autograd import grad, jacobian, hessian_vector_product, make_jvp
from autograd.scipy.special import logsumexp
from peer_timing import timeit

rng = onp.random.default_rng(0)
out = {}

# (a) Taylor-series sine, gradient at pi
def taylor_sine(x):
    ans = term = x
    i = 0
    while np.abs(term) > 1e-3:
        term = -term * x ** 2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + term
        i += 1
    return ans
g_taylor = grad(taylor_sine)
out["taylor"] = timeit(lambda: g_taylor(onp.pi))

# logistic regression (tanh form of the sigmoid, as gradlab's workload)
def logreg_data(n, d):
    X = rng.standard_normal((n, d)); y = (onp.arange(n) % 3 == 0).astype(float); w = 0.1 * rng.standard_normal(d)
    return X, y, w
def logreg_loss(X, y):
    def loss(w):
        p = 0.5 * (np.tanh(0.5 * np.dot(X, w)) + 1)
        return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss

Xt, yt, wt = logreg_data(4, 3)
g_tiny = grad(logreg_loss(Xt, yt))
out["logreg_tiny"] = timeit(lambda: g_tiny(wt))

X, y, w = logreg_data(10000, 100)
g_lr = grad(logreg_loss(X, y))
out["logreg"] = timeit(lambda: g_lr(w))

# (c) 784-256-10 tanh MLP, softmax cross-entropy, batch 128
Xm = rng.standard_normal((128, 784)); Y = onp.eye(10)[rng.integers(0, 10, 128)]
mlp_params = {"W1": 0.05 * rng.standard_normal((784, 256)), "b1": onp.zeros(256),
              "W2": 0.05 * rng.standard_normal((256, 10)), "b2": onp.zeros(10)}
def mlp_loss(p):
    h = np.tanh(np.matmul(Xm, p["W1"]) + p["b1"])
    logits = np.matmul(h, p["W2"]) + p["b2"]
    m = np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True)) + m
    return -np.mean(np.sum(Y * (logits - lse), 1))
g_mlp = grad(mlp_loss)
out["mlp"] = timeit(lambda: g_mlp(mlp_params))

# (d) Hessian-vector product of the logistic loss, N=1000 D=50, and its gradient
Xs, ys, ws = logreg_data(1000, 50)
small_loss = logreg_loss(Xs, ys)
g_small = grad(small_loss)
hvp = hessian_vector_product(small_loss)
v = onp.ones(50)
out["hvp"] = timeit(lambda: hvp(ws, v))
out["grad_small"] = timeit(lambda: g_small(ws))

# (e) Jacobians of tanh(A x), 100 -> 100: reverse mode (autograd's jacobian), forward mode (one JVP per column)
A = 0.1 * rng.standard_normal((100, 100)); x100 = rng.standard_normal(100)
f100 = lambda x: np.tanh(np.dot(A, x))
jac_rev = jacobian(f100)
out["jac_rev"] = timeit(lambda: jac_rev(x100))
eye100 = onp.eye(100)
def jac_fwd(x):
    push = make_jvp(f100)(x)
    return onp.stack([push(e)[1] for e in eye100], axis=1)
out["jac_fwd"] = timeit(lambda: jac_fwd(x100))

# (f) GP negative log marginal likelihood (RBF kernel), gradient in the 3 log-hyperparameters, N=200
xg = rng.uniform(-3, 3, (200, 1)); yg = onp.sin(2 * xg[:, 0]) + 0.1 * rng.standard_normal(200)
sq = (xg - xg.T) ** 2
def gp_nll(p):
    K = np.exp(p[1]) * np.exp(-0.5 * sq / np.exp(2 * p[0])) + np.exp(p[2]) * np.eye(200)
    L = np.linalg.cholesky(K); alpha = np.linalg.solve(K, yg)
    return 0.5 * np.dot(yg, alpha) + np.sum(np.log(np.diagonal(L, 0, -1, -2)))  # (autograd differentiates diagonal only with these axes) + 0.5 * 200 * onp.log(2 * onp.pi)
g_gp = grad(gp_nll)
gp_p = onp.array([0.0, 0.0, -2.0])
out["gp"] = timeit(lambda: g_gp(gp_p))

# Gaussian-mixture NLL, 1-D, K=5, N=100000: gradient in means, log-sigmas and logits
K = 5; N = 100000
comp = rng.integers(0, K, N)
xmix = (2.0 * comp - (K - 1) + 0.5 * rng.standard_normal(N)).reshape(N, 1)
gmm_params = {"mu": onp.linspace(-3, 3, K), "logSigma": onp.zeros(K), "logits": onp.zeros(K)}
def gmm_nll(p):
    z = (xmix - p["mu"]) / np.exp(p["logSigma"])
    logw = p["logits"] - logsumexp(p["logits"])
    lp = -0.5 * z ** 2 + (logw - p["logSigma"]) - 0.5 * onp.log(2 * onp.pi)
    return -np.sum(logsumexp(lp, axis=1))
g_gmm = grad(gmm_nll)
out["gmm"] = timeit(lambda: g_gmm(gmm_params))

# tanh RNN: hidden 32, batch 16, 20 steps, 8 inputs
xs = [rng.standard_normal((16, 8)) for _ in range(20)]; yr = rng.standard_normal((16, 1))
rnn_params = {"Wx": 0.3 * rng.standard_normal((8, 32)), "Wh": 0.2 * rng.standard_normal((32, 32)),
              "b": onp.zeros(32), "Wo": 0.3 * rng.standard_normal((32, 1))}
def rnn_loss(p):
    h = onp.zeros((16, 32))
    for x in xs:
        h = np.tanh(np.matmul(x, p["Wx"]) + np.matmul(h, p["Wh"]) + p["b"])
    return np.mean((np.matmul(h, p["Wo"]) - yr) ** 2)
g_rnn = grad(rnn_loss)
out["rnn"] = timeit(lambda: g_rnn(rnn_params))

# per-primitive overhead: 99 elementwise primitives on a 10-element array, then a sum (bench/workloads.ts opChain)
def op_chain(x):
    h = x
    for _ in range(33):
        h = np.sin(h) * 0.9 + 0.1
    return np.sum(h)
g_chain = grad(op_chain)
x10 = onp.linspace(-1, 1, 10)
out["chain_grad"] = timeit(lambda: g_chain(x10))
out["chain_untraced"] = timeit(lambda: op_chain(x10))

json.dump(out, sys.stdout)
