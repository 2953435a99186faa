#!/usr/bin/env node
// The native backend next to numpy in the same run (best of several batches; this machine is shared):
// matmul n=512 GFLOP/s, matvec 10000×100, elementwise ops, reductions, clip and stable argsort at 10k and 1M
// elements, argmax along rows and a 100k gather.
// Usage: node scripts/native-vs-numpy.js   (needs dist/native/gradlab.node and python3 with numpy)
"use strict";
const { execFileSync } = require("child_process");
const path = require("path");
const nat = require(path.join(__dirname, "..", "dist", "native", "gradlab.node"));

const SIZES = [10000, 1000000];
const UNARY = ["exp", "log", "tanh", "sin", "cos", "sqrt", "log1p", "expm1", "sigmoid"];
const BINARY = ["add", "multiply", "power"];

function best(f, reps, batches = 15) {
  f();
  let b = Infinity;
  for (let i = 0; i < batches; i++) {
    const t = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) f();
    b = Math.min(b, Number(process.hrtime.bigint() - t) / 1e3 / reps);
  }
  return b; // µs
}
const input = (n) => Float64Array.from({ length: n }, (_, i) => 0.05 + 3.9 * ((i * 0.6180339887) % 1)); // (0, 4)

function ours() {
  const r = {};
  const n = 512, A = input(n * n), B = input(n * n).reverse(), C = new Float64Array(n * n);
  r.matmul512 = (2 * n ** 3) / best(() => nat.dgemm(false, false, n, n, n, A, 0, n, B, 0, n, C, 0, n), 3, 7) / 1e3;
  const X = input(1000000), w = input(100), y = new Float64Array(10000);
  r.matvec = best(() => nat.dgemv(false, 10000, 100, X, 0, 100, w, 0, 1, y, 0, 1), 20);
  for (const size of SIZES) {
    const x = input(size), o = new Float64Array(size), reps = size > 1e5 ? 3 : 200;
    for (const op of UNARY) r[`${op}@${size}`] = best(() => nat.unary(op, x, o, size), reps);
    for (const op of BINARY) r[`${op}@${size}`] = best(() => nat.binary(op, x, x, o, size, 0), reps);
    const out = new Float64Array(1);
    r[`sum@${size}`] = best(() => nat.reduce("sum", x, 1, size, 1, out), reps);
    r[`max@${size}`] = best(() => nat.reduce("max", x, 1, size, 1, out), reps);
    r[`clip@${size}`] = best(() => nat.clip(x, Float64Array.of(1, 3), o, size), reps);
    r[`argsort@${size}`] = best(() => nat.argsort(x, 1, size, 1, new Int32Array(size)), size > 1e5 ? 2 : 50, 7);
  }
  // argmax along rows of 1000×1000; a gather of 100k random positions from 1M
  const rows = new Int32Array(1000);
  r["argmax_rows@1000000"] = best(() => nat.argreduce("argmax", X, 1000, 1000, 1, rows), 10);
  const pos = Int32Array.from({ length: 100000 }, (_, i) => (i * 7919 * 104729) % 1000000), g = new Float64Array(100000);
  r["gather@100000"] = best(() => nat.gather(X, pos, g, 100000), 20);
  return r;
}

const PY = `
import json, timeit, numpy as np
def best(f, reps, batches=15):
    f(); return min(timeit.repeat(f, number=reps, repeat=batches)) / reps * 1e6
def inp(n): return 0.05 + 3.9 * ((np.arange(n) * 0.6180339887) % 1)
r = {}
n = 512; A = inp(n*n).reshape(n, n); B = inp(n*n)[::-1].reshape(n, n).copy(); C = np.empty((n, n))
r["matmul512"] = 2*n**3 / best(lambda: np.matmul(A, B, out=C), 3, 7) / 1e3
X = inp(1000000).reshape(10000, 100); w = inp(100)
r["matvec"] = best(lambda: X.dot(w), 20)
for size in ${JSON.stringify(SIZES)}:
    x = inp(size); o = np.empty(size); reps = 3 if size > 1e5 else 200
    for op in ${JSON.stringify(UNARY)}:
        if op == "sigmoid":
            f = lambda: np.divide(1, np.add(1, np.exp(np.negative(x, out=o), out=o), out=o), out=o)
        else:
            g = getattr(np, op); f = lambda g=g: g(x, out=o)
        r[op + "@" + str(size)] = best(f, reps)
    for op in ${JSON.stringify(BINARY)}:
        g = getattr(np, op); r[op + "@" + str(size)] = best(lambda g=g: g(x, x, out=o), reps)
    r["sum@" + str(size)] = best(lambda: x.sum(), reps)
    r["max@" + str(size)] = best(lambda: x.max(), reps)
    r["clip@" + str(size)] = best(lambda: np.clip(x, 1, 3, out=o), reps)
    r["argsort@" + str(size)] = best(lambda: np.argsort(x, kind="stable"), 2 if size > 1e5 else 50, 7)
Xr = inp(1000000).reshape(1000, 1000)
r["argmax_rows@1000000"] = best(lambda: Xr.argmax(1), 10)
pos = (np.arange(100000, dtype=np.int64) * 7919 * 104729) % 1000000; flat = inp(1000000)
r["gather@100000"] = best(lambda: flat.take(pos), 20)
print(json.dumps(r))
`;

const mine = ours();
let np = {};
try { np = JSON.parse(execFileSync("python3", ["-c", PY], { encoding: "utf8" })); } catch (e) { console.log("numpy not available"); }
console.log(`OpenBLAS threads: ${nat.blasThreads()}; float64 products on ${nat.gemmKernel()}`);
console.log(`matmul n=512: native ${mine.matmul512.toFixed(1)} GFLOP/s, numpy ${np.matmul512?.toFixed(1)} GFLOP/s`);
console.log(`matvec 10000×100: native ${(mine.matvec / 1e3).toFixed(3)} ms, numpy ${(np.matvec / 1e3).toFixed(3)} ms`);
console.log("op           size      native µs   numpy µs   numpy/native");
for (const key of Object.keys(mine).filter((k) => k.includes("@"))) {
  const [op, size] = key.split("@");
  console.log(`${op.padEnd(12)} ${size.padStart(8)} ${mine[key].toFixed(1).padStart(12)} ${(np[key] ?? NaN).toFixed(1).padStart(10)} ${(np[key] / mine[key]).toFixed(2).padStart(12)}`);
}
