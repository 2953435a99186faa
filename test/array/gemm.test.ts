import { afterAll, describe, expect, it } from "vitest";
import { gemm, gemmBackend, setGemmBackend } from "../../lib/array/gemm";
import { nativeAddon } from "../../lib/array/native";
import { rng } from "../helpers"; // deterministic, so failures are reproducible

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  /** Extra row-stride padding and leading offsets for A, B, C. */
  padA?: number;
  padB?: number;
  padC?: number;
  offA?: number;
  offB?: number;
  offC?: number;
}

/** A stored rows×cols operand with row stride cols + pad at offset off; everything outside it is NaN,
 *  so any out-of-bounds read shows up in the result. */
function operand(rand: () => number, rows: number, cols: number, pad: number, off: number) {
  const ld = cols + pad;
  const data = new Float64Array(off + Math.max(0, rows * ld) + 3).fill(NaN);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[off + i * ld + j] = 2 * rand() - 1;
  return { data, ld, off };
}

/** Checks gemm against a naive triple loop with the rigorous bound |ĉ − c| ≤ γ_k Σ|a||b|. */
function check(c: Case, seed = 1): void {
  const { transA, transB, m, n, k } = c;
  const rand = rng(seed);
  const A = operand(rand, transA ? k : m, transA ? m : k, c.padA ?? 0, c.offA ?? 0);
  const B = operand(rand, transB ? n : k, transB ? k : n, c.padB ?? 0, c.offB ?? 0);
  const ldc = n + (c.padC ?? 0), offC = c.offC ?? 0;
  const C = new Float64Array(offC + m * ldc + 3).fill(-7); // stale values outside C must survive
  for (let i = 0; i < m; i++) C.fill(NaN, offC + i * ldc, offC + i * ldc + n); // C is overwritten, not read

  gemm(transA, transB, m, n, k, A.data, A.off, A.ld, B.data, B.off, B.ld, C, offC, ldc);

  // Dense copies of op(A) (m×k) and op(B)ᵀ (n×k) so the reference loop is simple and quick.
  const opA = new Float64Array(m * k), opBt = new Float64Array(n * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) opA[i * k + p] = A.data[A.off + (transA ? p * A.ld + i : i * A.ld + p)];
  }
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) opBt[j * k + p] = B.data[B.off + (transB ? j * B.ld + p : p * B.ld + j)];
  }
  const gamma = (2 * k * Number.EPSILON) / (1 - 2 * k * Number.EPSILON) + 1e-300;
  const label = JSON.stringify(c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        const t = opA[i * k + p] * opBt[j * k + p];
        s += t;
        abs += Math.abs(t);
      }
      const got = C[offC + i * ldc + j];
      if (!(Math.abs(got - s) <= gamma * abs)) {
        expect.fail(`${label}: C[${i},${j}] = ${got}, expected ${s} (tolerance ${gamma * abs})`);
      }
    }
  }
  // Nothing outside the m×n window of C was written.
  for (let idx = 0; idx < C.length; idx++) {
    const r = Math.floor((idx - offC) / ldc), col = idx - offC - r * ldc;
    const inside = idx >= offC && r < m && col < n;
    if (!inside && C[idx] !== -7) expect.fail(`${label}: C[${idx}] outside the result window was modified`);
  }
}

const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

function suite(backend: "wasm" | "js"): void {
  describe(`gemm (${backend} kernels)`, () => {
    it("uses the requested backend", () => {
      setGemmBackend(backend);
      expect(gemmBackend()).toBe(backend);
    });

    it("handles empty and degenerate shapes", () => {
      setGemmBackend(backend);
      const dims = [0, 1, 2, 3, 5];
      for (const [transA, transB] of FLAGS) {
        for (const m of dims) for (const n of dims) for (const k of dims) check({ transA, transB, m, n, k });
      }
    });

    it("zero-fills C when k = 0", () => {
      setGemmBackend(backend);
      const C = new Float64Array(12).fill(NaN);
      gemm(false, false, 3, 4, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 4, C, 0, 4);
      expect(Array.from(C)).toEqual(new Array(12).fill(0));
    });

    it("matches the naive product around micro-tile and block edges", () => {
      setGemmBackend(backend);
      // Sizes straddling MR = NR = 4, the direct-loop threshold, and the KC = 256 / MC = 128 blocks.
      const sizes: [number, number, number][] = [
        [4, 4, 4], [7, 9, 11], [16, 16, 16], [17, 15, 33], [33, 31, 64], [64, 64, 1], [2, 2, 1025],
        [129, 6, 257], [6, 129, 300], [130, 67, 513], [257, 5, 3], [3, 7, 600],
      ];
      for (const [transA, transB] of FLAGS) for (const [m, n, k] of sizes) check({ transA, transB, m, n, k });
    });

    it("spans several NC = 512 column blocks", () => {
      setGemmBackend(backend);
      for (const [transA, transB] of FLAGS) check({ transA, transB, m: 9, n: 1100, k: 21 });
    });

    it("spans several row super-blocks of the scratch C block, accumulating over k-slices", () => {
      setGemmBackend(backend);
      // n = 520 → two 260-column blocks; 260 columns leave room for 896 rows, so m = 1000 needs two
      // row super-blocks; k = 257 → two k-slices.
      check({ transA: false, transB: false, m: 1000, n: 520, k: 257, padC: 1 });
      check({ transA: true, transB: true, m: 1000, n: 520, k: 5, padA: 2, offC: 3 });
    });

    it("respects offsets and leading dimensions", () => {
      setGemmBackend(backend);
      for (const [transA, transB] of FLAGS) {
        check({ transA, transB, m: 37, n: 23, k: 45, padA: 3, padB: 5, padC: 2, offA: 7, offB: 1, offC: 11 });
        check({ transA, transB, m: 5, n: 6, k: 7, padA: 1, padB: 2, padC: 3, offA: 2, offB: 3, offC: 4 });
      }
    });

    it("matches the naive product on random shapes", () => {
      setGemmBackend(backend);
      const rand = rng(42);
      const dim = () => {
        const r = rand();
        return r < 0.15 ? 1 + Math.floor(rand() * 4) : Math.floor(rand() * (r < 0.8 ? 70 : 300));
      };
      for (let t = 0; t < 120; t++) {
        const [transA, transB] = FLAGS[t % 4];
        const pad = () => (rand() < 0.5 ? 0 : Math.floor(rand() * 5));
        check({
          transA, transB, m: dim(), n: dim(), k: dim(),
          padA: pad(), padB: pad(), padC: pad(), offA: pad(), offB: pad(), offC: pad(),
        }, t + 1);
      }
    });

    it("handles matrix-vector products (n = 1 and m = 1) of all sizes and strides", () => {
      setGemmBackend(backend);
      for (const [transA, transB] of FLAGS) {
        // Large enough for the SIMD gemv path, contiguous and strided vectors/rows.
        check({ transA, transB, m: 300, n: 1, k: 101 });
        check({ transA, transB, m: 1, n: 300, k: 101 });
        check({ transA, transB, m: 203, n: 1, k: 150, padA: 9, padB: 2, padC: 3, offA: 5, offB: 1, offC: 2 });
        check({ transA, transB, m: 1, n: 203, k: 150, padA: 2, padB: 9, padC: 3, offA: 5, offB: 1, offC: 2 });
        // Rows far apart (copied one by one), and short rows far apart (JS path).
        check({ transA, transB, m: 150, n: 1, k: 140, padA: 200, padB: 3, padC: 1, offA: 3 });
        check({ transA, transB, m: 1, n: 150, k: 140, padA: 3, padB: 200, padC: 1, offB: 3 });
        check({ transA, transB, m: 90, n: 1, k: 20, padA: 100, padB: 1, offA: 1 });
        check({ transA, transB, m: 1, n: 90, k: 20, padA: 1, padB: 100, offB: 1 });
        // Short rows (JS path) and tiny products.
        check({ transA, transB, m: 2000, n: 1, k: 7 });
        check({ transA, transB, m: 1, n: 2000, k: 7 });
        check({ transA, transB, m: 7, n: 1, k: 2000 });
        check({ transA, transB, m: 1, n: 7, k: 2000 });
      }
    });

    it("blocks very long matrix-vector rows (including 1-3 element leftovers)", () => {
      setGemmBackend(backend);
      // Row lengths just over the 8192-element vector block leave a 1-3 element remainder block.
      for (const len of [8193, 8194, 8195, 8196, 16500]) {
        check({ transA: false, transB: false, m: 3, n: 1, k: len }); // dot form
        check({ transA: true, transB: false, m: len, n: 1, k: 3 }); // axpy form
        check({ transA: false, transB: false, m: 1, n: len, k: 3 }); // axpy form via m = 1
      }
      check({ transA: true, transB: false, m: 9000, n: 1, k: 5, padA: 3, offA: 1 });
    });

    it("works on typed-array views with a byte offset", () => {
      setGemmBackend(backend);
      const rand = rng(7);
      for (const [transA, transB, m, n, k] of [[false, false, 40, 30, 50], [true, true, 33, 1, 900], [false, true, 1, 70, 300]] as const) {
        const a = new Float64Array(5 + m * k).map(() => rand()).subarray(5);
        const b = new Float64Array(3 + k * n).map(() => rand()).subarray(3);
        const cBuf = new Float64Array(2 + m * n), c = cBuf.subarray(2);
        gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
            expect(Math.abs(c[i * n + j] - s)).toBeLessThan(1e-10);
          }
        }
        expect(cBuf[0]).toBe(0);
        expect(cBuf[1]).toBe(0);
      }
    });

    it("propagates NaN and Infinity like the naive product", () => {
      setGemmBackend(backend);
      for (const [m, n, k] of [[9, 10, 11], [40, 1, 300], [1, 40, 300], [70, 70, 70]]) {
        const A = new Float64Array(m * k).map((_, i) => (i % 5) - 2);
        const B = new Float64Array(k * n).map((_, i) => (i % 3) - 1);
        A[3] = Infinity;
        B[Math.min(k * n - 1, 7)] = NaN;
        const C = new Float64Array(m * n);
        gemm(false, false, m, n, k, A, 0, k, B, 0, n, C, 0, n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
            expect(Object.is(C[i * n + j], s) || Math.abs(C[i * n + j] - s) < 1e-9).toBe(true);
          }
        }
      }
    });
  });
}

suite("wasm");
suite("js");

describe("gemm argument checks", () => {
  afterAll(() => setGemmBackend("auto"));

  it("rejects invalid dimensions and undersized buffers", () => {
    setGemmBackend("auto");
    const A = new Float64Array(6), B = new Float64Array(6), C = new Float64Array(4);
    expect(() => gemm(false, false, -1, 2, 3, A, 0, 3, B, 0, 2, C, 0, 2)).toThrow(RangeError);
    expect(() => gemm(false, false, 2, 2, 1.5, A, 0, 3, B, 0, 2, C, 0, 2)).toThrow(RangeError);
    expect(() => gemm(false, false, 2, 2, 3, A, 1, 3, B, 0, 2, C, 0, 2)).toThrow(/exceeds/);
    expect(() => gemm(false, false, 2, 2, 3, A, 0, 2, B, 0, 2, C, 0, 2)).toThrow(/lda/);
    expect(() => gemm(false, false, 2, 2, 3, A, 0, 3, B, 0, 2, new Float64Array(3), 0, 2)).toThrow(/exceeds/);
    // A valid call with the same buffers works.
    gemm(false, false, 2, 2, 3, A, 0, 3, B, 0, 2, C, 0, 2);
  });

  it("defaults to the native backend when it is loaded, else to the WebAssembly kernels", () => {
    setGemmBackend("auto");
    expect(gemmBackend()).toBe(nativeAddon() ? "native" : "wasm");
  });
});
