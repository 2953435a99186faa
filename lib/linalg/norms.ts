// Norms and rank: norm, vector_norm, matrix_norm, cond, matrix_rank. Composites of differentiable functions
// (abs, sum, amax, sqrt, power and the SVD primitive), so they need no rules of their own; their gradients are
// autograd's (e.g. the nuclear norm's is U·Vᵀ, the 2-norm's x/‖x‖, NaN at 0 as there).
import { isComplex } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { LinAlgError, ValueError } from "../array/errors";
import { normalizeAxis } from "../array/shape";
import { getValue } from "../core/tracer";
import { arr, options } from "../numpy/args";
import { add, divide, multiply, not_equal, power } from "../numpy/binary";
import { astype, real, reshape, transpose } from "../numpy/basis";
import { imag } from "../numpy/complexParts";
import { abs, sqrt, square } from "../numpy/elementwise";
import { index } from "../numpy/indexing";
import { amax, amin, sum } from "../numpy/reductions";
import { moveaxis } from "../numpy/shape";
import { EPS } from "./kernels/shared";
import { svdJacobi } from "./kernels/svd";
import { singularValues } from "./decompositions";
import { inv } from "./lu";
import { batchOf, guard, realData, restore, toWorking } from "./util";

export type NormOrd = number | "fro" | "f" | "nuc" | null | undefined;
export interface NormOptions {
  ord?: NormOrd;
  axis?: number | number[] | null;
  keepdims?: boolean;
}

/** |x|² elementwise, differentiable everywhere (no abs for complex: re² + im²). */
const abs2 = (x: NDArray): NDArray => (isComplex(x.dtype) ? add(square(real(x)), square(imag(x))) : square(x));

const ordName = (ord: NormOrd) => (typeof ord === "string" ? `'${ord}'` : String(ord));

/** Vector norm of x along the (already normalized) axes. */
function vectorNorm(x: NDArray, ord: NormOrd, axes: number[], keepdims: boolean, where: string): NDArray {
  const o = { axis: axes, keepdims };
  if (ord === Infinity) return amax(abs(x), o);
  if (ord === -Infinity) return amin(abs(x), o);
  if (ord === 0) return sum(astype(not_equal(getValue(x), 0), "float64"), o);
  if (ord === 1) return sum(abs(x), o);
  if (ord === null || ord === undefined || ord === 2) return sqrt(sum(abs2(x), o));
  if (typeof ord !== "number" || Number.isNaN(ord)) throw new ValueError(`${where}: Invalid norm order ${ordName(ord)} for vectors`);
  return power(sum(power(abs(x), ord), o), 1 / ord);
}

/** Matrix norm of x over the (normalized, distinct) axes r (rows) and c (columns). */
function matrixNorm(x: NDArray, ord: NormOrd, r: number, c: number, keepdims: boolean, where: string): NDArray {
  if (r === c) throw new ValueError(`${where}: Duplicate axes given.`);
  let ret: NDArray;
  if (ord === 2 || ord === -2 || ord === "nuc") {
    if (isComplex(x.dtype)) throw new TypeError(`${where}: ord=${ordName(ord)} needs the SVD, which does not support complex input yet`);
    const s = guard(where, () => singularValues(moveaxis(x, [r, c], [-2, -1])));
    ret = ord === 2 ? amax(s, -1) : ord === -2 ? amin(s, -1) : sum(s, -1);
  } else if (ord === 1 || ord === -1) {
    const cc = c > r ? c - 1 : c;
    const colSums = sum(abs(x), r);
    ret = ord === 1 ? amax(colSums, cc) : amin(colSums, cc);
  } else if (ord === Infinity || ord === -Infinity) {
    const rr = r > c ? r - 1 : r;
    const rowSums = sum(abs(x), c);
    ret = ord === Infinity ? amax(rowSums, rr) : amin(rowSums, rr);
  } else if (ord === null || ord === undefined || ord === "fro" || ord === "f") {
    ret = sqrt(sum(abs2(x), [r, c]));
  } else {
    throw new ValueError(`${where}: Invalid norm order ${ordName(ord)} for matrices`);
  }
  if (keepdims) {
    const shape = x.shape.slice();
    shape[r] = 1;
    shape[c] = 1;
    ret = reshape(ret, shape);
  }
  return ret;
}

/**
 * np.linalg.norm(x, ord?, { axis?, keepdims? }): numpy's vector norms (ord None/2, 1, inf, -inf, 0, any p) along
 * one axis and matrix norms ('fro', 'nuc', 1, -1, 2, -2, inf, -inf) over two axes. With axis omitted, a 1-d x gets
 * a vector norm, a 2-d x a matrix norm, and ord None means the 2-norm of the flattened array. The options object
 * may also carry `ord` and stand in second position: norm(x, { axis: 1 }).
 */
export function norm(x: ArrayLike, ord?: NormOrd | NormOptions, opts?: NormOptions): NDArray {
  const where = "np.linalg.norm";
  let o: NormOptions;
  if (ord !== null && typeof ord === "object") {
    if (opts !== undefined) throw new TypeError(`${where}: give the options object once, as the second or third argument`);
    o = options(where, ord, ["ord", "axis", "keepdims"]);
  } else {
    o = { ...options(where, opts, ["ord", "axis", "keepdims"]) };
    if (ord !== undefined) {
      if (o.ord !== undefined) throw new TypeError(`${where}: ord given twice (positionally and in the options)`);
      o.ord = ord;
    }
  }
  const x0 = arr(x, where);
  const X = toWorking(x0);
  const dtype = x0.dtype;
  const nd = X.ndim;
  const keepdims = !!o.keepdims;
  const od = o.ord;
  if (od !== null && od !== undefined && typeof od !== "number" && od !== "fro" && od !== "f" && od !== "nuc") {
    throw new ValueError(`${where}: Invalid norm order ${JSON.stringify(od)}`);
  }
  if (o.axis === null || o.axis === undefined) {
    if (od === null || od === undefined || ((od === "fro" || od === "f") && nd === 2) || (od === 2 && nd === 1)) {
      let ret = sqrt(sum(abs2(X)));
      if (keepdims) ret = reshape(ret, new Array(nd).fill(1));
      return restore(ret, dtype);
    }
  }
  const axes = o.axis === null || o.axis === undefined ? Array.from({ length: nd }, (_, i) => i) : typeof o.axis === "number" ? [o.axis] : o.axis.slice();
  if (axes.length === 1) {
    if (typeof od === "string") throw new ValueError(`${where}: Invalid norm order ${ordName(od)} for vectors`);
    return restore(vectorNorm(X, od, [normalizeAxis(axes[0], nd, where)], keepdims, where), dtype);
  }
  if (axes.length === 2) {
    const r = normalizeAxis(axes[0], nd, where), c = normalizeAxis(axes[1], nd, where);
    return restore(matrixNorm(X, od, r, c, keepdims, where), dtype);
  }
  throw new ValueError(`${where}: Improper number of dimensions to norm (array of dimension ${nd}, axis ${JSON.stringify(o.axis)}).`);
}

/**
 * np.linalg.vector_norm(x, { axis?, keepdims?, ord = 2 }): a vector norm over any set of axes (all by default),
 * treating them as one flattened axis.
 */
export function vector_norm(x: ArrayLike, opts?: { axis?: number | number[] | null; keepdims?: boolean; ord?: number }): NDArray {
  const where = "np.linalg.vector_norm";
  const o = options(where, opts, ["axis", "keepdims", "ord"]);
  const x0 = arr(x, where);
  const X = toWorking(x0);
  const nd = X.ndim;
  const ord = o.ord ?? 2;
  if (typeof ord !== "number") throw new ValueError(`${where}: Invalid norm order ${ordName(ord)} for vectors`);
  const axes: number[] = o.axis === null || o.axis === undefined ? Array.from({ length: nd }, (_, i) => i)
    : (typeof o.axis === "number" ? [o.axis] : o.axis).map((a: number) => normalizeAxis(a, nd, where));
  if (new Set(axes).size !== axes.length) throw new ValueError(`${where}: repeated axis in ${JSON.stringify(o.axis)}`);
  if (nd === 0) return restore(vectorNorm(reshape(X, [1]), ord, [0], false, where), x0.dtype);
  // the reduced axes first, flattened into one
  const rest = Array.from({ length: nd }, (_, i) => i).filter((i) => !axes.includes(i));
  const flat = reshape(transpose(X, [...axes, ...rest]), [axes.reduce((p, a) => p * X.shape[a], 1), ...rest.map((i) => X.shape[i])]);
  let ret = vectorNorm(flat, ord, [0], false, where);
  if (o.keepdims) ret = reshape(ret, X.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return restore(ret, x0.dtype);
}

/** np.linalg.matrix_norm(x, { keepdims?, ord = 'fro' }): a matrix norm over the last two axes. */
export function matrix_norm(x: ArrayLike, opts?: { keepdims?: boolean; ord?: NormOrd }): NDArray {
  const where = "np.linalg.matrix_norm";
  const o = options(where, opts, ["keepdims", "ord"]);
  const x0 = arr(x, where);
  if (x0.ndim < 2) throw new ValueError(`${where}: the input must be at least 2-dimensional, got ${x0.ndim} dimensions`);
  return norm(x0, { ord: o.ord ?? "fro", axis: [-2, -1], keepdims: !!o.keepdims });
}

/**
 * np.linalg.cond(x, p?): the condition number. p None, 2, -2 from the singular values (s_max/s_min, or the
 * reverse for -2); other orders as norm(x, p)·norm(inv(x), p) (inf for an exactly singular matrix).
 */
export function cond(x: ArrayLike, p?: NormOrd | { p?: NormOrd }): NDArray {
  const where = "np.linalg.cond";
  const pp = p !== null && typeof p === "object" ? options(where, p, ["p"]).p : p;
  const x0 = arr(x, where);
  if (x0.ndim < 2) throw new LinAlgError(`${where}: ${x0.ndim}-dimensional array given. Array must be at least two-dimensional`);
  if (x0.size === 0) throw new LinAlgError(`${where}: cond is not defined on empty arrays`);
  const X = toWorking(x0);
  if (pp === null || pp === undefined || pp === 2 || pp === -2) {
    if (isComplex(X.dtype)) throw new TypeError(`${where}: complex input is not supported for p=${ordName(pp)} yet`);
    const s = guard(where, () => singularValues(X));
    const k = s.shape[s.ndim - 1];
    const first = index(s, "...", 0), last = index(s, "...", k - 1);
    return restore(pp === -2 ? divide(last, first) : divide(first, last), x0.dtype);
  }
  let invx: NDArray;
  try {
    invx = inv(X);
  } catch (e) {
    if (!(e instanceof LinAlgError)) throw e;
    const shape = X.shape.slice(0, -2);
    return new NDArray(new Float64Array(batchOf(X.shape)).fill(Infinity), shape, "float64");
  }
  const ax = { axis: [-2, -1] };
  return restore(multiply(norm(X, pp, ax), norm(invx, pp, ax)), x0.dtype);
}

/**
 * np.linalg.matrix_rank(A, tol?, hermitian?, { rtol? }): the number of singular values above
 * tol = S.max()·max(M, N)·eps (or the given tol, or S.max()·rtol). A number for one matrix, an int32 array for a
 * stack; 0 or 1 for arrays of fewer than 2 dimensions (numpy's rule). Not differentiable (an integer).
 */
export function matrix_rank(
  A: ArrayLike,
  tol?: number | null | { tol?: number | null; hermitian?: boolean; rtol?: number | null },
  hermitian = false,
): any {
  const where = "np.linalg.matrix_rank";
  const o = tol !== null && typeof tol === "object" ? options(where, tol, ["tol", "hermitian", "rtol"]) : { tol, hermitian };
  void hermitian;
  const a = getValue(arr(A, where));
  if (a.ndim < 2) {
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== 0) return 1;
    return 0;
  }
  if (isComplex(a.dtype)) throw new TypeError(`${where}: complex input is not supported yet`);
  const m = a.shape[a.ndim - 2], n = a.shape[a.ndim - 1];
  const nb = batchOf(a.shape);
  const data = realData(a);
  const out = new Int32Array(nb);
  guard(where, () => {
    for (let t = 0; t < nb; t++) {
      const { s } = svdJacobi(data, t * m * n, m, n, false);
      const smax = s.length ? s[0] : 0;
      const cut = o.tol !== null && o.tol !== undefined ? o.tol : smax * ((o as any).rtol ?? Math.max(m, n) * EPS);
      let r = 0;
      for (const v of s) if (v > cut) r++;
      out[t] = r;
    }
  });
  return a.ndim === 2 ? out[0] : new NDArray(out, a.shape.slice(0, -2), "int32");
}

