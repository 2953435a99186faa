// Native (OpenBLAS) and wasm products agree to 1e-12 relative: all transposes, offsets and leading dimensions,
// vectors, batches with broadcast batch dimensions, 0-size and 1-element operands, float32.
import { describe, expect, it } from "vitest";
import { np } from "../../lib/index";
import { gemm, gemmBackend } from "../../lib/array/gemm";
import { closeRel, nat, onBoth, uniform } from "./helpers";

const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe.skipIf(!nat)("native BLAS vs the wasm kernels", () => {
  it("routes products of real size to OpenBLAS", () => {
    expect(gemmBackend()).toBe("native");
  });

  it("gemm: every transpose pair, with offsets and padded leading dimensions, square and not", () => {
    let seed = 1;
    for (const [m, n, k] of [[37, 23, 51], [64, 64, 64], [5, 300, 7], [129, 2, 33], [2, 2, 300], [1, 40, 40], [40, 1, 40], [1, 1, 2000]]) {
      for (const [tA, tB] of FLAGS) {
        const lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 1, ldc = n + 2, aOff = 5, bOff = 2, cOff = 4;
        const A = uniform(seed++, aOff + lda * (tA ? k : m)), B = uniform(seed++, bOff + ldb * (tB ? n : k));
        const [cn, cw] = onBoth(() => {
          const C = new Float64Array(cOff + ldc * m).fill(-7);
          gemm(tA, tB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
          return C;
        });
        closeRel(cn, cw, 1e-12, `${m}×${n}×${k} tA=${tA} tB=${tB}`);
      }
    }
  });

  it("np.matmul: broadcast batch dimensions, transposed views, 0-size and 1-element operands", () => {
    const cases: [number[], number[]][] = [
      [[4, 30, 20], [4, 20, 25]], [[3, 1, 30, 20], [1, 5, 20, 25]], [[30, 20], [6, 20, 25]], [[7, 30, 20], [20]],
      [[20], [3, 20, 25]], [[0, 30, 20], [0, 20, 25]], [[30, 0], [0, 25]], [[1, 1], [1, 1]], [[2, 1, 1], [2, 1, 1]],
      [[50, 20], [20, 1]], [[1, 60], [60, 70]],
    ];
    cases.forEach(([sa, sb], i) => {
      const a = np.array(Array.from(uniform(10 + i, sa.reduce((p, d) => p * d, 1)))).reshape(sa);
      const b = np.array(Array.from(uniform(50 + i, sb.reduce((p, d) => p * d, 1)))).reshape(sb);
      const [rn, rw] = onBoth(() => np.matmul(a, b));
      expect(rn.shape).toEqual(rw.shape);
      closeRel(rn.data as Float64Array, rw.data as Float64Array, 1e-12, `${sa} @ ${sb}`);
      if (sa.length < 2 || sb.length < 2) return;
      const [tn, tw] = onBoth(() => np.matmul(np.swapaxes(b, -1, -2), np.swapaxes(a, -1, -2)));
      closeRel(tn.data as Float64Array, tw.data as Float64Array, 1e-12, "transposed");
    });
  });

  it("float32 matmul runs in float32 (sgemm) and agrees with the float64 product rounded", () => {
    const a = np.array(Array.from(uniform(3, 2 * 40 * 30))).reshape([2, 40, 30]).astype("float32");
    const b = np.array(Array.from(uniform(4, 30 * 20))).reshape([30, 20]).astype("float32");
    const [rn, rw] = onBoth(() => np.matmul(a, b));
    expect(rn.dtype).toBe("float32");
    expect(rw.dtype).toBe("float32");
    expect(rn.data).toBeInstanceOf(Float32Array);
    closeRel(rn.data as Float32Array, rw.data as Float32Array, 1e-6, "float32");
  });

  it("dgemv, ddot and daxpy against plain loops, with strides", () => {
    const m = 300, n = 70, lda = n + 5;
    const A = uniform(7, m * lda), x = uniform(8, 2 * m), y = new Float64Array(3 * m);
    nat!.dgemv(false, m, n, A, 0, lda, x, 1, 2, y, 0, 3);
    const want = Array.from({ length: m }, (_, i) => { let s = 0; for (let j = 0; j < n; j++) s += A[i * lda + j] * x[1 + 2 * j]; return s; });
    closeRel(Array.from({ length: m }, (_, i) => y[3 * i]), want, 1e-13, "dgemv");
    const yt = new Float64Array(n);
    nat!.dgemv(true, m, n, A, 0, lda, x, 0, 1, yt, 0, 1);
    const wantT = Array.from({ length: n }, (_, j) => { let s = 0; for (let i = 0; i < m; i++) s += A[i * lda + j] * x[i]; return s; });
    closeRel(yt, wantT, 1e-13, "dgemv transposed");
    let dot = 0;
    for (let i = 0; i < 100; i++) dot += x[2 * i] * A[3 + i];
    expect(nat!.ddot(100, x, 0, 2, A, 3, 1)).toBeCloseTo(dot, 12);
    expect(nat!.ddot(0, x, 0, 1, A, 0, 1)).toBe(0);
    const z = Float64Array.from(x);
    nat!.daxpy(50, 2.5, A, 0, 1, z, 10, 3);
    for (let i = 0; i < 2 * m; i++) {
      const hit = i >= 10 && (i - 10) % 3 === 0 && (i - 10) / 3 < 50;
      expect(z[i]).toBe(hit ? x[i] + 2.5 * A[(i - 10) / 3] : x[i]);
    }
  });

  it("a product with k = 0 is zero; m = 0 or n = 0 writes nothing", () => {
    const C = new Float64Array(12).fill(5);
    nat!.dgemm(false, false, 3, 4, 0, new Float64Array(0), 0, 1, new Float64Array(0), 0, 4, C, 0, 4);
    expect(Array.from(C)).toEqual(new Array(12).fill(0));
    const D = new Float64Array(4).fill(5);
    nat!.dgemm(false, false, 0, 4, 3, new Float64Array(0), 0, 3, new Float64Array(12), 0, 4, D, 0, 4);
    expect(Array.from(D)).toEqual([5, 5, 5, 5]);
  });
});
