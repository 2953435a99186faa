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
  return out;
}
