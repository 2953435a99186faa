// Peer: TensorFlow.js on its WebAssembly backend (float32), the same workloads as gradlab's.
import * as path from "path";
import { timeIt, type Timing } from "./timing";

export async function tfjsTimings(): Promise<Timing[]> {
  const tf = require("@tensorflow/tfjs");
  const wasm = require("@tensorflow/tfjs-backend-wasm");
  const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  wasm.setWasmPaths(dir + path.sep);
  await tf.setBackend("wasm");
  await tf.ready();

  const out: Timing[] = [];
  // (b) logistic regression gradient, N=10000, D=100
  const X = tf.randomNormal([10000, 100]);
  const y = tf.tensor1d(Array.from({ length: 10000 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const w = tf.mul(tf.randomNormal([100]), 0.1);
  const lossLR = (wv: any) => {
    const p = tf.mul(0.5, tf.add(tf.tanh(tf.mul(tf.matMul(X, tf.reshape(wv, [100, 1])).reshape([10000]), 0.5)), 1));
    return tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
  };
  const gLR = tf.grad(lossLR);
  out.push(timeIt("logreg", () => tf.tidy(() => gLR(w).dataSync())));

  // (c) 784-256-10 tanh MLP, softmax cross-entropy, batch 128
  const Xm = tf.randomNormal([128, 784]);
  const Y = tf.oneHot(tf.randomUniform([128], 0, 10, "int32"), 10).toFloat();
  const W1 = tf.mul(tf.randomNormal([784, 256]), 0.05), b1 = tf.zeros([256]);
  const W2 = tf.mul(tf.randomNormal([256, 10]), 0.05), b2 = tf.zeros([10]);
  const lossMLP = (a: any, b: any, c: any, d: any) => {
    const h = tf.tanh(tf.add(tf.matMul(Xm, a), b));
    const logits = tf.add(tf.matMul(h, c), d);
    return tf.neg(tf.mean(tf.sum(tf.mul(Y, tf.logSoftmax(logits)), 1)));
  };
  const gMLP = tf.grads(lossMLP);
  out.push(timeIt("mlp", () => tf.tidy(() => gMLP([W1, b1, W2, b2]).map((t: any) => t.dataSync()))));

  // logistic regression 4x3 (per-op overhead)
  const Xt = tf.randomNormal([4, 3]), yt = tf.tensor1d([1, 0, 0, 1]), wt = tf.mul(tf.randomNormal([3]), 0.1);
  const lossTiny = (wv: any) => {
    const p = tf.mul(0.5, tf.add(tf.tanh(tf.mul(tf.matMul(Xt, tf.reshape(wv, [3, 1])).reshape([4]), 0.5)), 1));
    return tf.neg(tf.sum(tf.add(tf.mul(yt, tf.log(p)), tf.mul(tf.sub(1, yt), tf.log(tf.sub(1, p))))));
  };
  const gTiny = tf.grad(lossTiny);
  out.push(timeIt("logreg_tiny", () => tf.tidy(() => gTiny(wt).dataSync())));

  // Gaussian-mixture NLL, 1-D, K=5, N=100000
  const N = 100000, K = 5;
  const comp = tf.randomUniform([N], 0, K, "int32");
  const xg = tf.reshape(tf.add(tf.sub(tf.mul(comp.toFloat(), 2), K - 1), tf.mul(tf.randomNormal([N]), 0.5)), [N, 1]);
  const mu = tf.linspace(-3, 3, K), logS = tf.zeros([K]), logits = tf.zeros([K]);
  const c = 0.5 * Math.log(2 * Math.PI);
  const lossGMM = (m: any, ls: any, lg: any) => {
    const z = tf.div(tf.sub(xg, m), tf.exp(ls));
    const logw = tf.sub(lg, tf.logSumExp(lg));
    const lp = tf.sub(tf.add(tf.mul(-0.5, tf.square(z)), tf.sub(logw, ls)), c);
    return tf.neg(tf.sum(tf.logSumExp(lp, 1)));
  };
  const gGMM = tf.grads(lossGMM);
  out.push(timeIt("gmm", () => tf.tidy(() => gGMM([mu, logS, logits]).map((t: any) => t.dataSync()))));

  // tanh RNN: hidden 32, batch 16, 20 steps, 8 inputs
  const xs = Array.from({ length: 20 }, () => tf.randomNormal([16, 8]));
  const yr = tf.randomNormal([16, 1]);
  const Wx = tf.mul(tf.randomNormal([8, 32]), 0.3), Wh = tf.mul(tf.randomNormal([32, 32]), 0.2);
  const br = tf.zeros([32]), Wo = tf.mul(tf.randomNormal([32, 1]), 0.3);
  const lossRNN = (wx: any, wh: any, b: any, wo: any) => {
    let h = tf.zeros([16, 32]);
    for (const x of xs) h = tf.tanh(tf.add(tf.add(tf.matMul(x, wx), tf.matMul(h, wh)), b));
    return tf.mean(tf.square(tf.sub(tf.matMul(h, wo), yr)));
  };
  const gRNN = tf.grads(lossRNN);
  out.push(timeIt("rnn", () => tf.tidy(() => gRNN([Wx, Wh, br, Wo]).map((t: any) => t.dataSync()))));
  return out;
}
