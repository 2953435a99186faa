// Big 2-d float64 transposes are deferred: X.T costs nothing until its storage is read, X.T @ v multiplies X with
// the transposed flag, and everything that reads the array sees exactly the eager transpose.
import { describe, expect, it } from "vitest";
import { grad, np } from "../../lib/index";
import { transposeSource } from "../../lib/array/deferred-transpose";
import { allocatedBytes } from "../../lib/array/dtype";
import { checkGrads } from "../../lib/core/checkGrads";

const big = (r: number, c: number, seed = 0) => {
  np.random.seed(seed);
  return np.random.randn(r, c);
};
const eagerT = (x: ReturnType<typeof np.zeros>) => {
  const [r, c] = x.shape, d = x.data as Float64Array, out: number[][] = [];
  for (let j = 0; j < c; j++) out.push(Array.from({ length: r }, (_, i) => d[i * c + j]));
  return out;
};

describe("deferred transposes", () => {
  it("X.T of a big array reads as the transpose (data, tolist, item access, printing), made once", () => {
    const X = big(300, 70);
    const T = X.T;
    expect(transposeSource(T)).toBe(X);
    expect(T.shape).toEqual([70, 300]);
    expect(T.tolist()).toEqual(eagerT(X));
    expect(T.data).toBe(T.data); // materialized once, then the same storage
    expect(T.get(3, 5).item()).toBe(X.get(5, 3).item());
    expect(String(T)).toContain("array(");
    expect(np.transpose(X, [1, 0]).tolist()).toEqual(eagerT(X));
  });

  it("does not copy for X.T @ v, X.T @ Y, v @ X.T and (X.T).T", () => {
    const X = big(400, 60, 1), v = np.random.randn(400), Y = np.random.randn(400, 5), w = np.random.randn(60);
    const want = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
    const XT = eagerT(X);
    const b0 = allocatedBytes();
    const r1 = np.dot(X.T, v), r2 = np.matmul(X.T, Y), r3 = np.dot(w, X.T);
    expect(allocatedBytes() - b0).toBeLessThan(8 * 400 * 60); // no 400×60 copy was made
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 10));
    close(r1.tolist(), want(XT, v.tolist().map((x: number) => [x])).map((r) => r[0]));
    r2.tolist().forEach((row: number[], i: number) => close(row, want(XT, Y.tolist())[i]));
    const Xl: number[][] = X.tolist();
    close(r3.tolist(), Xl.map((row) => row.reduce((s, a, k) => s + a * w.tolist()[k], 0)));
    const b1 = allocatedBytes();
    expect(X.T.T).toBe(X);
    expect(allocatedBytes() - b1).toBe(0); // (Xᵀ)ᵀ never makes the pending transpose
  });

  it("gradients through X.T (X constant or traced) match finite differences and the eager result", () => {
    const X = big(150, 120, 2), y = np.random.randn(150);
    const loss = (w: ReturnType<typeof np.zeros>) => np.sum(np.square(np.subtract(np.dot(X.T.T, w), y)));
    const w = np.random.randn(120);
    checkGrads(loss, { order: 2 })(w);
    const viaT = (w: ReturnType<typeof np.zeros>) => np.sum(np.tanh(np.dot(w, X.T)));
    checkGrads(viaT, { order: 2 })(w);
    const traced = (A: ReturnType<typeof np.zeros>) => np.sum(np.multiply(np.dot(A.T, y), np.arange(120)));
    checkGrads(traced, { order: 1 })(X);
    const g = grad(traced)(X);
    expect(g.shape).toEqual([150, 120]);
  });
});
