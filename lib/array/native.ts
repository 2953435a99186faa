// The native compute backend: dist/native/gradlab.node (native/*.c, built by `npm run setup`), OpenBLAS for BLAS and
// LAPACK plus libmvec for elementwise math, called zero-copy on the arrays' own typed-array memory. Loading never
// throws: a missing or broken addon, or GRADLAB_BACKEND=wasm in the environment, means the WebAssembly/JS backend.
import * as fs from "fs";
import * as path from "path";

export type BackendName = "native" | "wasm";

/** The addon's entry points. Offsets and leading dimensions are in elements, matrices row-major; products overwrite
 *  their output. Bad arguments throw an Error naming the entry point and the shapes. */
export interface NativeAddon {
  /** Elementwise on contiguous Float64Arrays, out may alias x; false if `op` is not implemented natively. */
  unary(op: string, x: Float64Array, out: Float64Array, n: number): boolean;
  /** ops: add subtract multiply divide power maximum minimum; mode 0: a, b both length n; 1: b scalar (b[0]);
   *  2: a scalar (a[0]). out may alias a or b. */
  binary(op: string, a: Float64Array, b: Float64Array, out: Float64Array, n: number, mode: 0 | 1 | 2): boolean;
  /** One broadcast block: out[o + i·n1 + j] = op(a[aOff + i·a0 + j·a1], b[bOff + i·b0 + j·b1]); false when the
   *  strides are not a row or column broadcast (inner strides 1/1, 1/0 or 0/1) or op has no native loop. */
  binary2d(op: string, a: Float64Array, aOff: number, a0: number, a1: number, b: Float64Array, bOff: number, b0: number,
    b1: number, out: Float64Array, oOff: number, n0: number, n1: number): boolean;
  /** Comparisons to numpy's bool (one byte per element): equal not_equal less less_equal greater greater_equal
   *  logical_and logical_or logical_xor; modes as `binary`; false if `op` is not one of them. */
  compare(op: string, a: Float64Array, b: Float64Array, out: Uint8Array, n: number, mode: 0 | 1 | 2): boolean;
  /** isnan isinf isfinite signbit logical_not into bytes; false if `op` is not one of them. */
  predicate(op: string, x: Float64Array, out: Uint8Array, n: number): boolean;
  /** np.where's choice out[i] = mask[i] ? x[i] : y[i]; mode bit 1: x is a scalar (x[0]), bit 2: y is. */
  select(mask: Uint8Array, x: Float64Array, y: Float64Array, out: Float64Array, n: number, mode: number): void;
  /** out (cols×rows) = xᵀ for the row-major rows×cols x (x and out must not overlap). */
  transpose(x: Float64Array, rows: number, cols: number, out: Float64Array): void;
  /** x viewed as [outer, len, inner] row-major; reduces the middle axis into out [outer, inner]; op: sum max min. */
  reduce(op: string, x: Float64Array, outer: number, len: number, inner: number, out: Float64Array): boolean;
  /** out[i] = x[positions[i]] for i < n (positions outside x throw). */
  gather(x: Float64Array, positions: Int32Array, out: Float64Array, n: number): void;
  /** A stable argsort of each line along the middle axis of [outer, len, inner] in numpy's order (NaN last, -0 and
   *  +0 equal): out holds positions along that axis. */
  argsort(x: Float64Array, outer: number, len: number, inner: number, out: Int32Array): void;
  /** out = np.clip(x, bounds[0], bounds[1]) in one pass (±Infinity for a missing bound; NaN propagates as in
   *  maximum/minimum). out may alias x. */
  clip(x: Float64Array, bounds: Float64Array, out: Float64Array, n: number): void;
  /** argmax / argmin of the middle axis of [outer, len, inner] into out [outer, inner] (the first index of the best
   *  value; the first NaN if any); false if op is neither. len ≥ 1. */
  argreduce(op: "argmax" | "argmin", x: Float64Array, outer: number, len: number, inner: number, out: Int32Array): boolean;

  /** C[m×n] = op(A)·op(B) (op(A) is m×k; A is stored k×m when transA). */
  dgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float64Array, aOff: number, lda: number,
    B: Float64Array, bOff: number, ldb: number, C: Float64Array, cOff: number, ldc: number): void;
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float32Array, aOff: number, lda: number,
    B: Float32Array, bOff: number, ldb: number, C: Float32Array, cOff: number, ldc: number): void;
  /** One call for a batch: entry t multiplies A at aOffsets[t] by B at bOffsets[t] into C at cOff + t·m·n. */
  dgemmBatched(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float64Array,
    aOffsets: Float64Array, lda: number, B: Float64Array, bOffsets: Float64Array, ldb: number, C: Float64Array,
    cOff: number): void;
  sgemmBatched(transA: boolean, transB: boolean, m: number, n: number, k: number, A: Float32Array,
    aOffsets: Float64Array, lda: number, B: Float32Array, bOffsets: Float64Array, ldb: number, C: Float32Array,
    cOff: number): void;
  /** y = op(A)·x for the m×n matrix A. */
  dgemv(trans: boolean, m: number, n: number, A: Float64Array, aOff: number, lda: number, x: Float64Array,
    xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void;
  ddot(n: number, x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): number;
  /** y += alpha·x */
  daxpy(n: number, alpha: number, x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number,
    incy: number): void;
  blasThreads(): number;
  /** Which kernel large float64 products run: "gradlab avx512 (OpenBLAS core: …)" or "OpenBLAS <core>". */
  gemmKernel(): string;

  // LAPACK, with the contracts of lib/linalg/kernels/*.ts; the numbers returned are LAPACK's info (0: success).
  /** In place P·A = L·U; piv 0-based. */
  dgetrf(n: number, a: Float64Array, off: number, piv: Int32Array): number;
  dgetrs(n: number, lu: Float64Array, off: number, piv: Int32Array, b: Float64Array, boff: number, k: number): void;
  /** T·X = B in place in b (n×k). */
  dtrsm(lower: boolean, unit: boolean, n: number, k: number, t: Float64Array, toff: number, b: Float64Array,
    boff: number): void;
  /** Lower Cholesky factor of (A + Aᵀ)/2 into l (upper triangle zeroed). */
  dpotrf(n: number, a: Float64Array, off: number, l: Float64Array, loff: number): number;
  /** Eigenvalues ascending into w (n), eigenvectors as the columns of v (n×n), from a's lower triangle. */
  dsyevd(n: number, a: Float64Array, off: number, w: Float64Array, v: Float64Array): number;
  /** A = U·diag(s)·Vᵀ: U m×ku, V n×kv (ku = kv = min(m, n), or m, n when full). */
  dgesdd(m: number, n: number, a: Float64Array, off: number, full: boolean, u: Float64Array, s: Float64Array,
    v: Float64Array): number;
  /** Q m×qc, R qc×n (qc = min(m, n), or m when complete). */
  dgeqrf(m: number, n: number, a: Float64Array, off: number, complete: boolean, q: Float64Array,
    r: Float64Array): number;
}

let loaded: NativeAddon | null | undefined;
let whyNot = "";
let disabled = false;

/** For tests and benchmarks: compute on the wasm backend even though the addon is loaded (false restores it). */
export function disableNative(off: boolean): void {
  disabled = off;
}

/** The package root: the nearest directory above this file holding package.json (lib/array or dist/lib/array). */
function packageRoot(): string | null {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function load(): NativeAddon | null {
  if (process.env.GRADLAB_BACKEND === "wasm") {
    whyNot = "GRADLAB_BACKEND=wasm";
    return null;
  }
  try {
    const root = packageRoot();
    const file = root && path.join(root, "dist", "native", "gradlab.node");
    if (!file || !fs.existsSync(file)) {
      whyNot = "the addon is not built (npm run setup builds it when OpenBLAS and a C compiler are available)";
      return null;
    }
    // process.dlopen is what require does for a .node file, without a module system (bundlers and test runners
    // rewrite require).
    const mod = { exports: {} as NativeAddon };
    process.dlopen(mod, file);
    const addon = mod.exports;
    return typeof addon.dgemm === "function" && typeof addon.unary === "function" ? addon : null;
  } catch (e) {
    whyNot = `the addon failed to load: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    return null;
  }
}

/** The loaded addon, or null (not built, failed to load, or GRADLAB_BACKEND=wasm in the environment). */
export function nativeAddon(): NativeAddon | null {
  if (loaded === undefined) loaded = load();
  return disabled ? null : loaded;
}

/** Which backend computes: "native" (OpenBLAS) or "wasm" (the WebAssembly/JS kernels). */
export function backendName(): BackendName {
  return nativeAddon() ? "native" : "wasm";
}

/** Why the native backend is not in use ("" when it is). */
export function nativeUnavailableReason(): string {
  return nativeAddon() ? "" : disabled ? "disabled by disableNative" : whyNot;
}
