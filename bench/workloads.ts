// The benchmark workloads, written as a gradlab user would write them.
import { type NDArray, grad, hessianVectorProduct, jacobian, np, scipy } from "../lib/index";

export function taylorSine(x: NDArray): NDArray {
  let ans = x;
  let term = x;
  let i = 0;
  while (np.abs(term).item() > 1e-3) {
    term = term.neg().mul(x.pow(2)).div((2 * i + 3) * (2 * i + 2));
    ans = ans.add(term);
    i++;
  }
  return ans;
}

/** Deterministic data shared with the peers (same shapes; the values need not match). */
export function logregData(n: number, d: number) {
  np.random.seed(0);
  const X = np.random.randn(n, d) as NDArray;
  const y = np.array(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const w = np.multiply(np.random.randn(d), 0.1);
  return { X, y, w };
}

export function logregLoss(X: NDArray, y: NDArray) {
  return (w: NDArray) => {
    const p = np.multiply(0.5, np.add(np.tanh(np.multiply(np.dot(X, w), 0.5)), 1));
    const lp = np.add(np.multiply(y, np.log(p)), np.multiply(np.subtract(1, y), np.log(np.subtract(1, p))));
    return np.negative(np.sum(lp));
  };
}

export function mlpData(batch = 128) {
  np.random.seed(1);
  const X = np.random.randn(batch, 784) as NDArray;
  const labels = np.random.randint(0, 10, batch) as NDArray;
  const Y = np.zeros([batch, 10]).at(np.arange(batch), labels).set(1);
  const params = {
    W1: np.multiply(np.random.randn(784, 256), 0.05),
    b1: np.zeros(256),
    W2: np.multiply(np.random.randn(256, 10), 0.05),
    b2: np.zeros(10),
  };
  return { X, Y, params };
}

export type MlpParams = ReturnType<typeof mlpData>["params"];

export function mlpLoss(X: NDArray, Y: NDArray) {
  return (p: MlpParams) => {
    const h = np.tanh(np.add(np.matmul(X, p.W1), p.b1));
    const logits = np.add(np.matmul(h, p.W2), p.b2);
    const m = np.max(logits, { axis: 1, keepdims: true });
    const lse = np.add(np.log(np.sum(np.exp(np.subtract(logits, m)), { axis: 1, keepdims: true })), m);
    return np.negative(np.mean(np.sum(np.multiply(Y, np.subtract(logits, lse)), 1)));
  };
}

/** Gaussian-process negative log marginal likelihood (RBF kernel) in its log-hyperparameters. */
export function gpData(n = 200) {
  np.random.seed(3);
  const x = np.random.uniform(-3, 3, [n, 1]) as NDArray;
  const y = np.add(np.sin(np.multiply(x, 2)).reshape(n), np.multiply(np.random.randn(n), 0.1));
  const sqdist = np.square(np.subtract(x, x.T));
  return { sqdist, y, params: np.array([0.0, 0.0, -2.0]) };
}

export function gpNll(sqdist: NDArray, y: NDArray) {
  const n = y.shape[0];
  return (p: NDArray) => {
    const [logL, logS2, logNoise] = [p.get(0), p.get(1), p.get(2)];
    const K = np.add(
      np.multiply(np.exp(logS2), np.exp(np.multiply(-0.5, np.divide(sqdist, np.exp(np.multiply(2, logL)))))),
      np.multiply(np.exp(logNoise), np.eye(n)),
    );
    const L = np.linalg.cholesky(K);
    const alpha = np.linalg.solve(K, y);
    return np.add(np.add(np.multiply(0.5, np.dot(y, alpha)), np.sum(np.log(np.diagonal(L)))), 0.5 * n * Math.log(2 * Math.PI));
  };
}

/** Gaussian mixture (1-D, K components) negative log-likelihood of N points, in means, log-sigmas and logits. */
export function gmmData(n = 100000, k = 5) {
  np.random.seed(4);
  const comp = np.random.randint(0, k, n) as NDArray;
  const x = np.add(np.subtract(np.multiply(comp, 2), k - 1), np.multiply(np.random.randn(n), 0.5)).reshape(n, 1);
  const params = { mu: np.linspace(-3, 3, k), logSigma: np.zeros(k), logits: np.zeros(k) };
  return { x, params };
}

export type GmmParams = ReturnType<typeof gmmData>["params"];

export function gmmNll(x: NDArray) {
  const c = 0.5 * Math.log(2 * Math.PI);
  return (p: GmmParams) => {
    const z = np.divide(np.subtract(x, p.mu), np.exp(p.logSigma)); // [N, K]
    const logw = np.subtract(p.logits, scipy.special.logsumexp(p.logits));
    const lp = np.subtract(np.add(np.multiply(-0.5, np.square(z)), np.subtract(logw, p.logSigma)), c);
    return np.negative(np.sum(scipy.special.logsumexp(lp, { axis: 1 })));
  };
}

/** A tanh RNN: hidden 32, batch 16, 20 steps, 8 inputs; squared error of a linear read-out of the last state. */
export function rnnData(hidden = 32, batch = 16, steps = 20, inputs = 8) {
  np.random.seed(5);
  const xs = Array.from({ length: steps }, () => np.random.randn(batch, inputs) as NDArray);
  const y = np.random.randn(batch, 1) as NDArray;
  const params = {
    Wx: np.multiply(np.random.randn(inputs, hidden), 0.3),
    Wh: np.multiply(np.random.randn(hidden, hidden), 0.2),
    b: np.zeros(hidden),
    Wo: np.multiply(np.random.randn(hidden, 1), 0.3),
  };
  return { xs, y, params, hidden, batch };
}

export type RnnParams = ReturnType<typeof rnnData>["params"];

export function rnnLoss(xs: NDArray[], y: NDArray, hidden: number) {
  return (p: RnnParams) => {
    let h: NDArray = np.zeros([y.shape[0], hidden]);
    for (const x of xs) h = np.tanh(np.add(np.add(np.matmul(x, p.Wx), np.matmul(h, p.Wh)), p.b));
    return np.mean(np.square(np.subtract(np.matmul(h, p.Wo), y)));
  };
}

/** Per-primitive overhead: CHAIN_OPS elementwise primitives on a 10-element array (sin, ×, +), then a sum. */
export const CHAIN_OPS = 99;
export function opChain(x: NDArray): NDArray {
  let h = x;
  for (let i = 0; i < CHAIN_OPS / 3; i++) h = np.add(np.multiply(np.sin(h), 0.9), 0.1);
  return np.sum(h);
}

export function gradlabWorkloads() {
  const taylor = grad(taylorSine);
  const lr = logregData(10000, 100);
  const lrGrad = grad(logregLoss(lr.X, lr.y));
  const mlp = mlpData();
  const mlpGrad = grad(mlpLoss(mlp.X, mlp.Y));
  const small = logregData(1000, 50);
  const smallLoss = logregLoss(small.X, small.y);
  const smallGrad = grad(smallLoss);
  const hvp = hessianVectorProduct(smallLoss);
  const v = np.ones(50);
  np.random.seed(2);
  const A = np.multiply(np.random.randn(100, 100), 0.1);
  const f100 = (x: NDArray) => np.tanh(np.dot(A, x));
  const x100 = np.random.randn(100);
  const gp = gpData();
  const tiny = logregData(4, 3);
  const tinyGrad = grad(logregLoss(tiny.X, tiny.y));
  const gmm = gmmData();
  const gmmGrad = grad(gmmNll(gmm.x));
  const rnn = rnnData();
  const rnnGrad = grad(rnnLoss(rnn.xs, rnn.y, rnn.hidden));
  const gpGrad = grad(gpNll(gp.sqdist, gp.y));
  np.random.seed(6);
  const M1 = np.random.randn(512, 512), M2 = np.random.randn(512, 512);
  const chainGrad = grad(opChain);
  const x10 = np.linspace(-1, 1, 10);
  return {
    chainGrad: () => chainGrad(x10),
    chainUntraced: () => opChain(x10),
    matmul512: () => np.matmul(M1, M2),
    matvec: () => np.dot(lr.X, lr.w),
    gp: () => gpGrad(gp.params),
    taylor: () => taylor(Math.PI),
    logregTiny: () => tinyGrad(tiny.w),
    gmm: () => gmmGrad(gmm.params),
    rnn: () => rnnGrad(rnn.params),
    logreg: () => lrGrad(lr.w),
    mlp: () => mlpGrad(mlp.params),
    logregSmallGrad: () => smallGrad(small.w),
    hvp: () => hvp(small.w, v),
    jacRev: () => jacobian(f100, 0, { mode: "rev" })(x100),
    jacFwd: () => jacobian(f100, 0, { mode: "fwd" })(x100),
  };
}
