// `npm run bench`: gradlab's workloads next to its peers, measured in the same run.
//   peers: TensorFlow.js (wasm backend, float32), numpy with hand-written gradients (if python3 has numpy),
//   and autograd's times on this machine as quoted in the project's issues (autograd can't be installed here).
import { execFileSync } from "child_process";
import * as path from "path";
import { gradlabWorkloads } from "./workloads";
import { tfjsTimings } from "./tfjs";
import { fmtMs, timeIt } from "./timing";

const AUTOGRAD_MS: Record<string, number> = { taylor: 1.7, logreg: 16, mlp: 39, hvp: 1.35 };

function numpyTimings(): Record<string, number> | null {
  const script = path.join(__dirname, "..", "..", "bench", "numpy_peer.py");
  for (const py of ["python3", "/usr/bin/python3"]) {
    try {
      return JSON.parse(execFileSync(py, [script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    } catch {
      /* try the next interpreter */
    }
  }
  return null;
}

async function main() {
  const w = gradlabWorkloads();
  const rows: { name: string; what: string; ms: number }[] = [
    { name: "taylor", what: "(a) grad of Taylor-series sine at pi", ms: timeIt("taylor", w.taylor).ms },
    { name: "logreg", what: "(b) logistic regression gradient, N=10000 D=100", ms: timeIt("logreg", w.logreg).ms },
    { name: "mlp", what: "(c) 784-256-10 tanh MLP gradient, batch 128", ms: timeIt("mlp", w.mlp).ms },
    { name: "hvp", what: "(d) Hessian-vector product, logreg N=1000 D=50", ms: timeIt("hvp", w.hvp).ms },
    { name: "grad_small", what: "    gradient of the same loss (for the HVP ratio)", ms: timeIt("g", w.logregSmallGrad).ms },
    { name: "jac_rev", what: "(e) jacobian 100->100, reverse mode", ms: timeIt("jr", w.jacRev).ms },
    { name: "jac_fwd", what: "(e) jacobian 100->100, forward mode", ms: timeIt("jf", w.jacFwd).ms },
    { name: "gp", what: "(f) GP marginal-likelihood gradient, N=200 (numpy: value only)", ms: timeIt("gp", w.gp).ms },
  ];
  let tfjs: Record<string, number> = {};
  try {
    tfjs = Object.fromEntries((await tfjsTimings()).map((t) => [t.name, t.ms]));
  } catch (e) {
    console.log(`(TensorFlow.js peer unavailable: ${(e as Error).message})`);
  }
  const numpy = numpyTimings();
  if (!numpy) console.log("(numpy peer unavailable: no python3 with numpy)");

  const ratio = (peer: number | undefined, ms: number) => (peer ? `${(peer / ms).toFixed(2)}x` : "-");
  console.log("\nms per call (median of 5 batches); ratio = peer time / gradlab time (>1: gradlab faster)\n");
  console.log(["workload".padEnd(52), "gradlab", "autograd*", "ratio", "numpy", "ratio", "tfjs-wasm", "ratio"].join("  "));
  for (const r of rows) {
    const ag = AUTOGRAD_MS[r.name], np_ = numpy?.[r.name], tf = tfjs[r.name];
    console.log([
      r.what.padEnd(52), fmtMs(r.ms).padStart(7), (ag ? fmtMs(ag) : "-").padStart(9), ratio(ag, r.ms).padStart(5),
      (np_ ? fmtMs(np_) : "-").padStart(5), ratio(np_, r.ms).padStart(5), (tf ? fmtMs(tf) : "-").padStart(9), ratio(tf, r.ms).padStart(5),
    ].join("  "));
  }
  const hvp = rows.find((r) => r.name === "hvp")!.ms, g = rows.find((r) => r.name === "grad_small")!.ms;
  console.log(`\nHessian-vector product / gradient cost ratio: ${(hvp / g).toFixed(2)} (theory: at most 4)`);
  console.log("* autograd times as measured on this machine and quoted in the issues (autograd is not installable here).");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
