// The blocked triangular solve (recursive halves + gemm) against the residual T·X − B, on sizes that take
// the blocked path and sizes that don't.
import { describe, expect, it } from "vitest";
import { luFactor, luSolve } from "../../lib/linalg/kernels/lu";
import { triSolve } from "../../lib/linalg/kernels/triangular";
import { rng } from "../helpers";

function residual(t: Float64Array, n: number, lower: boolean, unit: boolean, x: Float64Array, b: Float64Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) {
        const inside = lower ? r <= i : r >= i;
        if (!inside) continue;
        s += (r === i && unit ? 1 : t[i * n + r]) * x[r * k + c];
      }
      worst = Math.max(worst, Math.abs(s - b[i * k + c]));
    }
  return worst;
}

describe("triSolve", () => {
  for (const n of [5, 47, 48, 49, 97, 130]) {
    for (const k of [1, 7, 8, 33]) {
      for (const lower of [true, false]) {
        for (const unit of [false, true]) {
          it(`n=${n} k=${k} ${lower ? "lower" : "upper"}${unit ? " unit" : ""}`, () => {
            const next = rng(n * 1000 + k * 10 + (lower ? 1 : 0) + (unit ? 2 : 0));
            const t = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 2 + next() : next() - 0.5) / Math.sqrt(n));
            for (let i = 0; i < n; i++) t[i * n + i] = 1 + next();
            const b = Float64Array.from({ length: n * k }, () => next() - 0.5);
            const x = b.slice();
            triSolve(t, 0, n, lower, x, 0, k, unit);
            expect(residual(t, n, lower, unit, x, b, k)).toBeLessThan(1e-10);
          });
        }
      }
    }
  }
  it("LU solve on a large system", () => {
    const n = 120, k = 9, next = rng(5);
    const a = Float64Array.from({ length: n * n }, () => next() - 0.5);
    const lu = a.slice();
    const piv = new Int32Array(n);
    luFactor(lu, 0, n, piv);
    const b = Float64Array.from({ length: n * k }, () => next());
    const x = b.slice();
    luSolve(lu, 0, n, piv, x, 0, k);
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += a[i * n + r] * x[r * k + c];
        worst = Math.max(worst, Math.abs(s - b[i * k + c]));
      }
    expect(worst).toBeLessThan(1e-9);
  });
});

describe("blocked LU through np.linalg", () => {
  it("det(AB) = det(A)·det(B) and singular inputs are detected at n = 90", async () => {
    const { np } = await import("../../lib/index");
    const next = rng(42);
    const mk = () => np.add(np.eye(90), np.reshape(np.array(Array.from({ length: 8100 }, () => (next() - 0.5) * 0.2)), [90, 90]));
    const A = mk(), B = mk();
    const lhs = np.linalg.det(np.matmul(A, B)).item(), rhs = np.linalg.det(A).item() * np.linalg.det(B).item();
    expect(Math.abs(lhs - rhs) / Math.abs(rhs)).toBeLessThan(1e-10);
    // an exactly zero pivot (as LAPACK, a merely tiny one is not an error)
    expect(() => np.linalg.inv(A.at(":", 40).set(0))).toThrow(/Singular matrix/);
    expect(Math.abs(np.linalg.det(A.at(70).set(0)).item())).toBe(0);
    const x = np.linalg.solve(A, np.ones(90));
    expect(np.allclose(np.matmul(A, x), np.ones(90), { atol: 1e-10 })).toBe(true);
  });
});
