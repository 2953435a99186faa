// GEMM throughput benchmark. Build with the project's tsc, then run `node dist/bench/gemm.js`.
// `benchGemm()` returns the numbers for use by other benchmark drivers.
import { gemm, gemmBackend, setGemmBackend } from "../lib/array/gemm";

export interface GemmBenchCase {
  name: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

export interface GemmBenchResult extends GemmBenchCase {
  /** Code path that ran: the blocked macro-kernel ("wasm" or "js") or the plain-JS matrix-vector loop. */
  kernel: "native" | "wasm" | "js" | "gemv";
  /** Median and best GFLOP/s (2·m·n·k flops per call) over the timed trials. */
  gflops: number;
  bestGflops: number;
  /** Median wall time of one call, in milliseconds. */
  msPerCall: number;
  /** Median GFLOP/s measured against this process's CPU time instead of wall time: on a busy
   *  machine this excludes the time the (single-threaded) kernel spent descheduled. */
  cpuGflops: number;
}

export interface GemmBenchOptions {
  /** Timed trials per case (default 7); each runs the product repeatedly for at least `trialMs`. */
  trials?: number;
  trialMs?: number;
  /** Also time the scalar-JS macro-kernel for the blocked shapes (default false). */
  includeJs?: boolean;
  cases?: GemmBenchCase[];
}

const c = (name: string, m: number, n: number, k: number, transA = false, transB = false): GemmBenchCase =>
  ({ name, m, n, k, transA, transB });

export const GEMM_BENCH_CASES: GemmBenchCase[] = [
  c("square 256", 256, 256, 256),
  c("square 512", 512, 512, 512),
  c("mlp fwd  (128×784)·(784×256)", 128, 256, 784),
  c("mlp dW   (128×784)ᵀ·(128×256)", 784, 256, 128, true, false),
  c("mlp dX   (128×256)·(784×256)ᵀ", 128, 784, 256, false, true),
  c("mlp fwd2 (128×256)·(256×10)", 128, 10, 256),
  c("gemv     (10000×100)·(100×1)", 10000, 1, 100),
  c("gemvᵀ    (10000×100)ᵀ·(10000×1)", 100, 1, 10000, true, false),
  c("vecmat   (1×784)·(784×256)", 1, 256, 784),
];

/** Deterministic pseudo-random fill (values in [-1, 1)). */
function fill(a: Float64Array, seed: number): Float64Array {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

/** Milliseconds of CPU time (user + system) used by this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeCase(cs: GemmBenchCase, trials: number, trialMs: number): { gflops: number; best: number; ms: number; cpu: number } {
  const { m, n, k, transA, transB } = cs;
  const A = fill(new Float64Array(m * k), 1), B = fill(new Float64Array(k * n), 2), C = new Float64Array(m * n);
  const lda = transA ? m : k, ldb = transB ? k : n;
  const run = () => gemm(transA, transB, m, n, k, A, 0, lda, B, 0, ldb, C, 0, n);
  // Warm-up: lets V8 optimise the JS drivers and tier the wasm kernel up to TurboFan.
  const warmEnd = performance.now() + Math.max(50, trialMs / 2);
  do run(); while (performance.now() < warmEnd);
  const rates: number[] = [], times: number[] = [], cpuRates: number[] = [];
  const flops = 2 * m * n * k;
  for (let t = 0; t < trials; t++) {
    let reps = 0;
    const t0 = performance.now(), c0 = cpuMs();
    let dt: number;
    do { run(); reps++; dt = performance.now() - t0; } while (dt < trialMs);
    rates.push((flops * reps) / dt / 1e6);
    cpuRates.push((flops * reps) / Math.max(cpuMs() - c0, 1e-3) / 1e6);
    times.push(dt / reps);
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  return { gflops: median(rates), best: Math.max(...rates), ms: median(times), cpu: median(cpuRates) };
}

export function benchGemm(options: GemmBenchOptions = {}): GemmBenchResult[] {
  const { trials = 7, trialMs = 200, includeJs = false, cases = GEMM_BENCH_CASES } = options;
  const results: GemmBenchResult[] = [];
  const backends: ("auto" | "js")[] = includeJs ? ["auto", "js"] : ["auto"];
  try {
    for (const be of backends) {
      setGemmBackend(be);
      for (const cs of cases) {
        // m = 1 / n = 1 and tiny products never reach the macro-kernel: time them once.
        if (be === "js" && (cs.m === 1 || cs.n === 1)) continue;
        const r = timeCase(cs, trials, trialMs);
        const kernel = cs.m === 1 || cs.n === 1 ? "gemv" : gemmBackend();
        results.push({ ...cs, kernel, gflops: r.gflops, bestGflops: r.best, msPerCall: r.ms, cpuGflops: r.cpu });
      }
    }
  } finally {
    setGemmBackend("auto");
  }
  return results;
}

function main(): void {
  const results = benchGemm({ includeJs: process.argv.includes("--js") });
  console.log(`gemm benchmark (node ${process.version}); GFLOP/s = 2·m·n·k / time (wall clock, and CPU time)`);
  console.log(`${"case".padEnd(34)} ${"m×n×k".padEnd(16)} ${"kernel".padEnd(6)} ${"median".padStart(8)} ${"best".padStart(8)} ${"cpu".padStart(8)} ${"ms/call".padStart(9)}`);
  for (const r of results) {
    const dims = `${r.m}×${r.n}×${r.k}${r.transA || r.transB ? ` ${r.transA ? "T" : "N"}${r.transB ? "T" : "N"}` : ""}`;
    console.log(`${r.name.padEnd(34)} ${dims.padEnd(16)} ${r.kernel.padEnd(6)} ${r.gflops.toFixed(2).padStart(8)} ${r.bestGflops.toFixed(2).padStart(8)} ${r.cpuGflops.toFixed(2).padStart(8)} ${r.msPerCall.toFixed(3).padStart(9)}`);
  }
}

if (require.main === module) main();
