// Shared plumbing of np.linalg: argument checks, batching, dtype handling, and small differentiable matrix
// helpers (transpose, triangle masks, diagonals, packed-output slices) that the VJP/JVP rules are written with.
import { type DType, isComplex } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { LinAlgError } from "../array/errors";
import { fmtShape, shapeSize } from "../array/shape";
import { getValue } from "../core/tracer";
import { arr } from "../numpy/args";
import { multiply } from "../numpy/binary";
import { astype, reshape } from "../numpy/basis";
import { index } from "../numpy/indexing";
import { sum } from "../numpy/reductions";
import { expand_dims, swapaxes } from "../numpy/shape";
import { NoConvergence } from "./kernels/shared";

// ---- arguments ---------------------------------------------------------------------------------------------------

export interface MatrixArg {
  /** The input as float64 or complex128 (ints, bools and float32 are converted, differentiably). */
  x: NDArray;
  /** The caller's dtype: float32 inputs give float32 results, as in numpy. */
  dtype: DType;
  m: number;
  n: number;
}

/**
 * Validates a stacked-matrix argument (..., M, N) as numpy's linalg does (LinAlgError for fewer than 2 dims and
 * for non-square input where a square one is needed) and converts it to float64 / complex128.
 */
export function matrixArg(a: ArrayLike, where: string, opts: { square?: boolean; real?: boolean } = {}): MatrixArg {
  const x0 = arr(a, where);
  if (x0.ndim < 2) {
    throw new LinAlgError(`${where}: ${x0.ndim}-dimensional array given. Array must be at least two-dimensional`);
  }
  const m = x0.shape[x0.ndim - 2], n = x0.shape[x0.ndim - 1];
  if (opts.square && m !== n) {
    throw new LinAlgError(`${where}: Last 2 dimensions of the array must be square, got shape ${fmtShape(x0.shape)}`);
  }
  if (opts.real && isComplex(x0.dtype)) {
    throw new TypeError(`${where}: complex input is not supported yet (got a complex128 array of shape ${fmtShape(x0.shape)}); expected a real array`);
  }
  return { x: toWorking(x0), dtype: x0.dtype, m, n };
}

/** float64 or complex128 version of x (differentiable cast). */
export function toWorking(x: NDArray): NDArray {
  return x.dtype === "float64" || x.dtype === "complex128" ? x : astype(x, "float64");
}

/** Casts a result back to float32 when the input was float32 (numpy keeps single precision). */
export function restore(y: NDArray, dtype: DType): NDArray {
  return dtype === "float32" && y.dtype === "float64" ? astype(y, "float32") : y;
}

/** Re-throws kernel convergence failures as numpy's LinAlgError, naming the function. */
export function guard<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NoConvergence) throw new LinAlgError(`${where}: ${e.message}`);
    throw e;
  }
}

// ---- plain batching helpers (forward kernels) ------------------------------------------------------------------

/** Number of matrices in a (..., M, N) shape. */
export const batchOf = (shape: readonly number[]): number => shapeSize(shape.slice(0, -2));

/** Offsets (in matrices) of each broadcast batch entry into an operand with batch shape `own`. */
export function batchIndex(own: readonly number[], batch: readonly number[]): Int32Array {
  const nb = shapeSize(batch);
  const out = new Int32Array(nb);
  const lead = batch.length - own.length;
  const idx = new Array<number>(batch.length).fill(0);
  for (let t = 0; t < nb; t++) {
    let off = 0;
    for (let d = 0; d < own.length; d++) off = off * own[d] + (own[d] === 1 ? 0 : idx[d + lead]);
    out[t] = off;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** A fresh float64 copy of x's storage (real arrays; complex ones keep their interleaved layout). */
export const copyData = (x: NDArray): Float64Array => Float64Array.from(x.data as Float64Array);

/** Interleaved complex copy of x's storage (real arrays get zero imaginary parts). */
export function complexData(x: NDArray): Float64Array {
  if (isComplex(x.dtype)) return Float64Array.from(x.data as Float64Array);
  const out = new Float64Array(2 * x.size);
  for (let i = 0; i < x.size; i++) out[2 * i] = x.data[i];
  return out;
}

/** Read-only float64 view of a real array's storage. */
export const realData = (x: NDArray): Float64Array =>
  x.data instanceof Float64Array && !isComplex(x.dtype) ? x.data : Float64Array.from(x.data as any);

/** True when every element of the (primal value of) g is zero: lets rules skip terms that would be 0·∞. */
export function isZero(g: NDArray): boolean {
  const d = getValue(g).data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}

// ---- differentiable matrix helpers used by the rules ------------------------------------------------------------

/** Transpose of the last two axes. */
export const mT = (x: NDArray): NDArray => swapaxes(x, -1, -2);

/** Constant r×c float64 array with ones where keep(i, j). */
function mask(r: number, c: number, keep: (i: number, j: number) => boolean, on = 1, diag?: number): NDArray {
  const d = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) if (keep(i, j)) d[i * c + j] = i === j && diag !== undefined ? diag : on;
  return new NDArray(d, [r, c], "float64");
}

export const eyeN = (n: number): NDArray => mask(n, n, (i, j) => i === j);
const lastTwo = (x: NDArray) => [x.shape[x.ndim - 2], x.shape[x.ndim - 1]] as const;

/** Lower triangle (j <= i + k) of the last two axes, zeros elsewhere. */
export function tril(x: NDArray, k = 0): NDArray {
  const [r, c] = lastTwo(x);
  return multiply(x, mask(r, c, (i, j) => j <= i + k));
}
/** Upper triangle (j >= i + k). */
export function triu(x: NDArray, k = 0): NDArray {
  const [r, c] = lastTwo(x);
  return multiply(x, mask(r, c, (i, j) => j >= i + k));
}
/** Lower triangle with the diagonal halved: Murray's Φ in the Cholesky rules. */
export function phi(x: NDArray): NDArray {
  const [r, c] = lastTwo(x);
  return multiply(x, mask(r, c, (i, j) => j <= i, 1, 0.5));
}
/** Off-diagonal ones, zero diagonal (n×n). */
export const offDiag = (n: number): NDArray => mask(n, n, (i, j) => i !== j);

/** Diagonal of the last two (square) axes: (..., n, n) → (..., n). */
export function diagPart(x: NDArray): NDArray {
  return sum(multiply(x, eyeN(x.shape[x.ndim - 1])), { axis: -1 });
}
/** Diagonal matrices from vectors: (..., n) → (..., n, n). */
export function diagEmbed(v: NDArray): NDArray {
  return multiply(expand_dims(v, -1), eyeN(v.shape[v.ndim - 1]));
}
/** Trace over the last two axes. */
export const trace2 = (x: NDArray): NDArray => sum(diagPart(x), { axis: -1 });
/** x_ij · s_j (scales columns by a (..., n) vector). */
export const scaleCols = (x: NDArray, s: NDArray): NDArray => multiply(x, expand_dims(s, -2));
/** s_i · x_ij (scales rows). */
export const scaleRows = (x: NDArray, s: NDArray): NDArray => multiply(x, expand_dims(s, -1));
/** (...) → (..., 1, 1), to broadcast a per-matrix scalar against matrices. */
export const expand2 = (x: NDArray): NDArray => reshape(x, [...x.shape, 1, 1]);

/** Rows [start, stop) of the last-but-one axis: slices of a packed multi-output primitive. */
export const rowsOf = (x: NDArray, start: number, stop: number): NDArray => index(x, "...", `${start}:${stop}`, ":");
/** Row i of the last-but-one axis, dropped: (..., r, c) → (..., c). */
export const rowOf = (x: NDArray, i: number): NDArray => index(x, "...", i, ":");
/** Block [r0, r1) × [c0, c1) of the last two axes. */
export const blockOf = (x: NDArray, r0: number, r1: number, c0: number, c1: number): NDArray =>
  index(x, "...", `${r0}:${r1}`, `${c0}:${c1}`);
