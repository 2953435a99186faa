// numpy 2's array-API members of np.linalg that act on the last axes: matrix_transpose, diagonal, trace, vecdot,
// and the re-exported matmul, tensordot, outer. All composites of differentiable functions.
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { arr, options } from "../numpy/args";
import { multiply } from "../numpy/binary";
import { conj } from "../numpy/basis";
import { matmul, outer as npOuter, tensordot } from "../numpy/contractions";
import { index } from "../numpy/indexing";
import { sum } from "../numpy/reductions";
import { swapaxes } from "../numpy/shape";
import { isComplex } from "../array/dtype";

/** np.linalg.matrix_transpose(x): swaps the last two axes. */
export function matrix_transpose(x: ArrayLike): NDArray {
  const a = arr(x, "np.linalg.matrix_transpose");
  if (a.ndim < 2) throw new ValueError(`np.linalg.matrix_transpose: input array must be at least 2-dimensional, got ${a.ndim} dimensions`);
  return swapaxes(a, -1, -2);
}

/** np.linalg.diagonal(x, { offset = 0 }): the diagonals of the last two axes, (..., M, N) → (..., K). */
export function diagonal(x: ArrayLike, opts?: number | { offset?: number }): NDArray {
  const where = "np.linalg.diagonal";
  const offset = typeof opts === "number" ? opts : options(where, opts, ["offset"]).offset ?? 0;
  const a = arr(x, where);
  if (a.ndim < 2) throw new ValueError(`${where}: input array must be at least 2-dimensional, got ${a.ndim} dimensions`);
  const m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
  const r0 = Math.max(0, -offset), c0 = Math.max(0, offset);
  const len = Math.max(0, Math.min(m - r0, n - c0));
  const rows = Array.from({ length: len }, (_, i) => r0 + i), cols = Array.from({ length: len }, (_, i) => c0 + i);
  return index(a, "...", rows, cols);
}

/** np.linalg.trace(x, { offset = 0 }): sums of the diagonals of the last two axes. */
export function trace(x: ArrayLike, opts?: number | { offset?: number; dtype?: string }): NDArray {
  const where = "np.linalg.trace";
  const o = typeof opts === "number" ? { offset: opts } : options(where, opts, ["offset", "dtype"]);
  return sum(diagonal(x, { offset: o.offset ?? 0 }), -1);
}

/** np.linalg.vecdot(x1, x2, { axis = -1 }): Σ conj(x1)·x2 along an axis, broadcasting the rest. */
export function vecdot(x1: ArrayLike, x2: ArrayLike, opts?: { axis?: number }): NDArray {
  const where = "np.linalg.vecdot";
  const o = options(where, opts, ["axis"]);
  const a = arr(x1, where), b = arr(x2, where);
  return sum(multiply(isComplex(a.dtype) ? conj(a) : a, b), o.axis ?? -1);
}

/** np.linalg.outer(x1, x2): outer product of two vectors (1-d only, unlike np.outer). */
export function outer(x1: ArrayLike, x2: ArrayLike): NDArray {
  const a = arr(x1, "np.linalg.outer"), b = arr(x2, "np.linalg.outer");
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ValueError(`np.linalg.outer: Input arrays must be one-dimensional, got ${a.ndim}-d and ${b.ndim}-d arrays`);
  }
  return npOuter(a, b);
}

export { matmul, tensordot };
