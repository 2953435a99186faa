// `npm run bench`: gradlab's workloads next to its peers, all measured in this run on this machine:
//   autograd  HIPS/autograd on numpy (bench/autograd_peer.py, from <shared>/peers/autograd), the reference;
//   numpy     numpy (OpenBLAS) with hand-written gradients (bench/numpy_peer.py): the floor, no tracing;
//   tfjs      TensorFlow.js on its WebAssembly backend, float32 (bench/tfjs.ts).
// The shared folder is ../shared next to the repo root (GRADLAB_SHARED overrides it); the Python interpreter is the
// first of $GRADLAB_PYTHON, python3, /usr/bin/python3, python that imports numpy (and autograd, for that peer).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allocatedBytes } from "../lib/array/dtype";
import { CHAIN_OPS, gradlabWorkloads } from "./workloads";
import { tfjsTimings } from "./tfjs";
import { fmtMs, timeIt } from "./timing";

const repoRoot = path.join(__dirname, "..", "..");
const benchDir = path.join(repoRoot, "bench");
const sharedDir = process.env.GRADLAB_SHARED ?? path.join(repoRoot, "..", "shared");
const autogradPath = path.join(sharedDir, "peers", "autograd");

type Timings = Record<string, number>;

function pythonWith(modules: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = [process.env.GRADLAB_PYTHON, "python3", "/usr/bin/python3", "python"].filter(Boolean) as string[];
  for (const py of candidates) {
    try {
      execFileSync(py, ["-c", `import ${modules}`], { stdio: "ignore", env });
      return py;
    } catch {
      /* try the next interpreter */
    }
  }
  return null;
}

function runPeer(script: string, modules: string, env: NodeJS.ProcessEnv): { timings: Timings | null; note: string } {
  const py = pythonWith(modules, env);
  if (!py) return { timings: null, note: `no python with ${modules.replace(", ", " and ")}` };
  try {
    const out = execFileSync(py, [path.join(benchDir, script)], { encoding: "utf8", env, cwd: benchDir, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 20 });
    return { timings: JSON.parse(out), note: py };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { timings: null, note: `${script} failed: ${(err.stderr || err.message).trim().split("\n").pop()}` };
  }
}

function backendName(): string {
  try {
    // lib/array/native.ts (the native OpenBLAS backend) when it is part of this build
    const native = require("../lib/array/native") as { backendName(): string; nativeAddon(): { gemmKernel?(): string } | null };
    const kernel = native.nativeAddon()?.gemmKernel?.();
    return native.backendName() + (kernel ? `, float64 products on ${kernel}` : "");
  } catch {
    return "wasm";
  }
}

/** Bytes of array storage allocated per call, after warm-up (the timing runs warmed it up). */
function bytesPerCall(fn: () => unknown, calls = 5): number {
  fn();
  const b0 = allocatedBytes();
  for (let i = 0; i < calls; i++) fn();
  return (allocatedBytes() - b0) / calls;
}

const fmtBytes = (b: number) => (b < 1024 ? `${b.toFixed(0)} B` : b < 1 << 20 ? `${(b / 1024).toFixed(1)} KB` : `${(b / (1 << 20)).toFixed(2)} MB`);

async function main() {
  const w = gradlabWorkloads();
  const cases: { name: string; what: string; fn: () => unknown }[] = [
    { name: "taylor", what: "(a) grad of Taylor-series sine at pi", fn: w.taylor },
    { name: "logreg_tiny", what: "    logistic regression gradient, N=4 D=3", fn: w.logregTiny },
    { name: "logreg", what: "(b) logistic regression gradient, N=10000 D=100", fn: w.logreg },
    { name: "mlp", what: "(c) 784-256-10 tanh MLP gradient, batch 128", fn: w.mlp },
    { name: "hvp", what: "(d) Hessian-vector product, logreg N=1000 D=50", fn: w.hvp },
    { name: "grad_small", what: "    gradient of the same loss", fn: w.logregSmallGrad },
    { name: "jac_rev", what: "(e) jacobian 100->100, reverse mode", fn: w.jacRev },
    { name: "jac_fwd", what: "(e) jacobian 100->100, forward mode", fn: w.jacFwd },
    { name: "gp", what: "(f) GP marginal-likelihood gradient, N=200", fn: w.gp },
    { name: "gmm", what: "(g) Gaussian-mixture NLL gradient, N=100k K=5", fn: w.gmm },
    { name: "rnn", what: "(h) tanh RNN gradient, hidden 32 batch 16, 20 steps", fn: w.rnn },
  ];
  const gl: Timings = {};
  const bytes: Timings = {};
  for (const c of cases) {
    gl[c.name] = timeIt(c.name, c.fn).ms;
    bytes[c.name] = bytesPerCall(c.fn);
  }
  gl.matmul512 = timeIt("matmul512", w.matmul512).ms;
  gl.matvec = timeIt("matvec", w.matvec).ms;
  gl.chain_grad = timeIt("chain_grad", w.chainGrad).ms;
  gl.chain_untraced = timeIt("chain_untraced", w.chainUntraced).ms;

  // numpy's own OpenBLAS (0.3.31) runs with its own kernel choice: this machine sets OPENBLAS_CORETYPE and
  // OPENBLAS_L2_SIZE for older OpenBLAS builds (Debian's, which gradlab uses, keeps them), and they slow a
  // current numpy, so the peers' commands drop both, as the issue's autograd figures were measured
  const peerEnv = { ...process.env };
  const dropped = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"].filter((k) => k in peerEnv);
  for (const k of dropped) delete peerEnv[k];
  const env = { ...peerEnv, PYTHONPATH: [autogradPath, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
  const ag = fs.existsSync(path.join(autogradPath, "autograd"))
    ? runPeer("autograd_peer.py", "numpy, autograd", env)
    : { timings: null, note: `autograd not found at ${autogradPath} (set GRADLAB_SHARED)` };
  const npPeer = runPeer("numpy_peer.py", "numpy", peerEnv);
  const npConstrained = dropped.length ? runPeer("numpy_matmul.py", "numpy", process.env).timings : null;
  let tf: Timings = {};
  try {
    tf = Object.fromEntries((await tfjsTimings()).map((t) => [t.name, t.ms]));
  } catch (e) {
    console.log(`(TensorFlow.js peer unavailable: ${(e as Error).message})`);
  }

  console.log(`\ngradlab backend: ${backendName()}; node ${process.version}; ${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`autograd: ${ag.timings ? `${ag.note} with PYTHONPATH=${autogradPath}` : `unavailable (${ag.note})`}; numpy: ${npPeer.timings ? npPeer.note : `unavailable (${npPeer.note})`}`);
  if (dropped.length) {
    const set = dropped.map((k) => `${k}=${process.env[k]}`).join(" ");
    console.log(`OpenBLAS: gradlab (Debian's OpenBLAS) runs with ${set} from the environment; the Python peers (numpy's own OpenBLAS) without`);
  }
  console.log("ms per call, median of 5 batches after warm-up; gl/ag = gradlab time / autograd time (< 1: gradlab faster)\n");
  const header = ["workload".padEnd(52), "gradlab", "autograd", "gl/ag", "numpy", "tfjs-wasm", "bytes/step"];
  console.log(header.join("  "));
  const ratios: number[] = [];
  const cell = (v: number | undefined, width: number) => (v === undefined ? "-" : fmtMs(v)).padStart(width);
  for (const c of cases) {
    const a = ag.timings?.[c.name];
    const r = a ? gl[c.name] / a : undefined;
    if (r !== undefined) ratios.push(r);
    console.log([
      c.what.padEnd(52), cell(gl[c.name], 7), cell(a, 8), (r === undefined ? "-" : r.toFixed(2)).padStart(5),
      cell(npPeer.timings?.[c.name], 5), cell(tf[c.name], 9), fmtBytes(bytes[c.name]).padStart(10),
    ].join("  "));
  }
  if (ratios.length) {
    const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    const worst = Math.max(...ratios);
    console.log(`\ngeometric mean gradlab/autograd over ${ratios.length} workloads: ${geo.toFixed(3)} (target <= 0.5); worst ${worst.toFixed(2)} (target <= 1.0)`);
    for (const k of ["taylor", "logreg_tiny"]) {
      const a = ag.timings?.[k];
      if (a) console.log(`  ${k}: gradlab ${(a / gl[k]).toFixed(1)}x faster than autograd (target >= 7x)`);
    }
  }
  const gflops = (ms: number | undefined) => (ms ? ((2 * 512 ** 3) / (ms * 1e6)).toFixed(1) : "-");
  console.log(`\nmatmul 512x512 @ 512x512: gradlab ${fmtMs(gl.matmul512)} ms = ${gflops(gl.matmul512)} GFLOP/s; numpy ${gflops(npPeer.timings?.matmul512)} GFLOP/s` +
    (npConstrained ? `; numpy under the same OpenBLAS overrides as gradlab: ${gflops(npConstrained.matmul512)} GFLOP/s` : ""));
  const npMv = npPeer.timings?.matvec;
  console.log(`matvec 10000x100 (np.dot(X, w)): gradlab ${fmtMs(gl.matvec)} ms; numpy ${npMv ? fmtMs(npMv) : "-"} ms${npMv ? ` (${(gl.matvec / npMv).toFixed(2)}x numpy)` : ""}`);
  const perOp = (ms: number | undefined) => (ms === undefined ? "-" : `${((1000 * ms) / (CHAIN_OPS + 1)).toFixed(2)} µs`);
  console.log(`per-primitive overhead, ${CHAIN_OPS + 1} primitives on 10 elements: gradlab ${perOp(gl.chain_grad)} traced ` +
    `(forward + backward; target <= 2 µs), ${perOp(gl.chain_untraced)} untraced; autograd ${perOp(ag.timings?.chain_grad)} ` +
    `traced, ${perOp(ag.timings?.chain_untraced)} untraced (numpy)`);
  console.log(`Hessian-vector product / gradient cost ratio: ${(gl.hvp / gl.grad_small).toFixed(2)} (theory: at most 4)`);
  console.log("bytes/step: bytes of array storage gradlab allocates per call (one training step) after warm-up.");
  console.log("numpy: hand-written gradients (jacobians: the closed form; GP: the value only).");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
