// The addon's own AVX-512 double-precision product (native/gemm_avx512.c): which kernel runs, and that it agrees
// with a plain loop within the rounding bound of a k-term dot product on shapes that cross every tile and block
// boundary (MR = 8, NR = 24, KC = 256, MC = 120, NC_MAX = 264), with transposes, leading dimensions, offsets,
// garbage in C, NaN/Inf, and the same bits whatever the thread count or the kernel's chunking.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { nat, uniform } from "./helpers";

const root = path.join(__dirname, "..", "..");
const cpuHasAvx512 = process.platform === "linux" && /\bavx512f\b/.test(fs.readFileSync("/proc/cpuinfo", "utf8"));
const kernel = (env: Record<string, string>) => execFileSync(process.execPath, ["-e",
  `process.stdout.write(require(${JSON.stringify(path.join(root, "dist", "native", "gradlab.node"))}).gemmKernel())`],
{ env: { ...process.env, ...env }, encoding: "utf8" });

/** op(X)(i, j) for X stored row-major with leading dimension ld at offset off, transposed when t. */
const at = (X: Float64Array, off: number, ld: number, t: boolean, i: number, j: number) => X[off + (t ? j * ld + i : i * ld + j)];

/** C = op(A)·op(B) by the addon, checked element by element against a loop: |c − ref| ≤ 2k·ε·Σ|a||b| (+ tiny). */
function check(m: number, n: number, k: number, tA: boolean, tB: boolean, seed: number): void {
  const lda = (tA ? m : k) + (seed % 3), ldb = (tB ? k : n) + (seed % 2), ldc = n + 1, aOff = 3, bOff = 1, cOff = 2;
  const A = uniform(seed, aOff + lda * (tA ? k : m)), B = uniform(seed + 1, bOff + ldb * (tB ? n : k));
  const C = new Float64Array(cOff + ldc * m).fill(NaN); // pooled storage is never zeroed: C must not be read
  nat!.dgemm(tA, tB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, mag = 0;
      for (let p = 0; p < k; p++) {
        const prod = at(A, aOff, lda, tA, i, p) * at(B, bOff, ldb, tB, p, j);
        s += prod;
        mag += Math.abs(prod);
      }
      const err = Math.abs(C[cOff + i * ldc + j] - s) / (2 * k * 2 ** -53 * mag + 1e-300);
      if (!(err <= 1)) throw new Error(`${m}×${n}×${k} tA=${tA} tB=${tB}: C[${i}, ${j}] = ${C[cOff + i * ldc + j]}, loop ${s}`);
      worst = Math.max(worst, err);
    }
    // the padding between rows of C is untouched
    if (i < m - 1) expect(C[cOff + i * ldc + n]).toBeNaN();
  }
  expect(worst).toBeLessThanOrEqual(1);
}

describe.skipIf(!nat)("the addon's own float64 product kernel", () => {
  it("runs where the CPU has AVX-512 and OpenBLAS's kernel is older; GRADLAB_GEMM chooses by hand", () => {
    const name = nat!.gemmKernel();
    const core = /OpenBLAS(?: core:)? (\w+)/.exec(name)?.[1] ?? "";
    const wide = /^(skylakex|cooperlake|sapphirerapids)$/i.test(core);
    expect(name.startsWith("gradlab avx512")).toBe(cpuHasAvx512 && !wide);
    expect(kernel({ GRADLAB_GEMM: "openblas" })).toBe(`OpenBLAS ${core}`);
    expect(kernel({ GRADLAB_GEMM: "avx512" }).startsWith("gradlab avx512")).toBe(cpuHasAvx512);
  });

  it("agrees with a loop to the rounding bound across tile and block edges, every transpose pair", () => {
    // all above the kernel's size floor (40³ multiply-adds, tiles at most 2.5x the product), so they run it
    const shapes: [number, number, number][] = [
      [17, 49, 100], [8, 24, 1024], [15, 23, 513], [120, 24, 257], [121, 265, 31], [119, 263, 255],
      [40, 530, 40], [300, 17, 60], [64, 64, 600], [250, 250, 250],
    ];
    let seed = 11;
    for (const [m, n, k] of shapes)
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) check(m, n, k, tA, tB, seed++);
  });

  it("propagates NaN and Inf from the operands only into the elements they reach", () => {
    const m = 40, n = 60, k = 50, A = uniform(1, m * k), B = uniform(2, k * n), C = new Float64Array(m * n);
    A[5 * k + 7] = NaN; // row 5 of C
    B[3 * n + 11] = Infinity; // column 11 of C: ±Inf unless row 5
    nat!.dgemm(false, false, m, n, k, A, 0, k, B, 0, n, C, 0, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const c = C[i * n + j];
        if (i === 5) expect(c).toBeNaN();
        else if (j === 11) expect(Math.abs(c)).toBe(Infinity);
        else expect(Number.isFinite(c)).toBe(true);
      }
    }
  });

  it("gives the same bits with one thread as with two, and run after run", () => {
    const script = `
      const nat = require(${JSON.stringify(path.join(root, "dist", "native", "gradlab.node"))});
      let s = 7; const next = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
      const out = [];
      for (const [m, n, k] of [[512, 512, 512], [784, 256, 128], [128, 256, 784], [100, 100, 100]]) {
        const A = Float64Array.from({ length: m * k }, next), B = Float64Array.from({ length: k * n }, next);
        const C = new Float64Array(m * n); nat.dgemm(false, true, m, n, k, A, 0, k, B, 0, k, C, 0, n);
        out.push(Buffer.from(C.buffer).toString("base64").length, require("crypto").createHash("sha1").update(Buffer.from(C.buffer)).digest("hex"));
      }
      process.stdout.write(out.join(" "));`;
    const run = (env: Record<string, string>) => execFileSync(process.execPath, ["-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
    const base = run({});
    expect(run({ GRADLAB_THREADS: "1" })).toBe(base);
    expect(run({})).toBe(base);
  });
});
