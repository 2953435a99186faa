// Reductions: sum, mean, prod, max/min, var/std, cumsum. sum (whose primitive sits in ./basis beside
// broadcast_to, its transpose) and the max/min family are primitives; the rest are written in terms of them, so
// they are differentiable in both modes for free.
import { type DType, allocate, isComplex } from "../array/dtype";
import { reduceAxes, sumAxes as sumKernel, transposeData } from "../array/kernels";
import { type ArrayLike, NDArray, castArray, describe } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { normalizeAxis, reducedShape, shapeSize } from "../array/shape";
import { type Primitive, definePrimitive, getValue } from "../core/tracer";
import { type Axis, arr, axesOf, options, range } from "./args";
import { asFloat, astype, keptShape, repeatToMatch, reshape, sumPrim, transpose } from "./basis";
import { add, divide, equal, maximum, minimum, multiply, subtract } from "./binary";
import { full } from "./creation";
import { abs, sqrt, square } from "./elementwise";

type ReduceOptions = { axis?: Axis; keepdims?: boolean };

/** The `dtype` option of sum/mean/prod: the input is cast first (differentiably between float dtypes). */
function withDType(x: NDArray, dtype: DType | string | undefined): NDArray {
  return dtype === undefined || dtype === null ? x : astype(x, dtype);
}

type DTypeOption = { dtype?: DType | string };

export function sum(a: ArrayLike, opts?: Axis | (ReduceOptions & DTypeOption)): NDArray {
  const o = options("np.sum", opts, ["axis", "keepdims", "dtype"], true);
  const x = withDType(arr(a, "np.sum"), o.dtype);
  const axes = axesOf(o.axis, x.ndim, "np.sum");
  if (axes.length === 0) return x;
  return sumPrim(x, axes, !!o.keepdims);
}

export function mean(a: ArrayLike, opts?: Axis | (ReduceOptions & DTypeOption)): NDArray {
  const o = options("np.mean", opts, ["axis", "keepdims", "dtype"], true);
  const x = withDType(arr(a, "np.mean"), o.dtype);
  const axes = axesOf(o.axis, x.ndim, "np.mean");
  const count = axes.reduce((p, i) => p * x.shape[i], 1);
  const s = axes.length === 0 ? x : sumPrim(x, axes, !!o.keepdims);
  return divide(s, count);
}

type VarOptions = ReduceOptions & { ddof?: number };

export function variance(a: ArrayLike, opts?: Axis | VarOptions, where = "np.var"): NDArray {
  const x = arr(a, where);
  const o = options(where, opts, ["axis", "keepdims", "ddof", "dtype"], true);
  const axes = axesOf(o.axis, x.ndim, where);
  const count = axes.reduce((p, i) => p * x.shape[i], 1);
  const ddof = o.ddof ?? 0;
  const centered = subtract(x, mean(x, { axis: axes, keepdims: true }));
  const sq = isComplex(x.dtype) ? square(abs(centered)) : square(centered);
  return divide(sum(sq, { axis: axes, keepdims: !!o.keepdims }), Math.max(count - ddof, 0));
}
export { variance as var_ };

export function std(a: ArrayLike, opts?: Axis | VarOptions): NDArray {
  return sqrt(variance(a, opts, "np.std"));
}

// max/min: the gradient flows to the maximal entries, split evenly on ties (autograd's convention)
function chooser(name: string, init: number, pick: (a: number, v: number) => number, nativeOp: "max" | "min") {
  const prim = definePrimitive(name, {
    impl: (x: NDArray, axes: number[], keepdims: boolean) => {
      if (x.size === 0) throw new ValueError(`np.${name}: zero-size array to reduction operation which has no identity`);
      return reduceAxes(x, axes, reducedShape(x.shape, axes, keepdims), x.dtype, init, pick, nativeOp);
    },
    argNames: ["a"],
    vjp: [(g, ans, x: NDArray, axes: number[]) => {
      const mask = tieMask(ans, x, axes);
      return multiply(repeatToMatch(g, x, axes), mask);
    }],
    jvp: [(t, ans, x: NDArray, axes: number[], keepdims: boolean) =>
      sumPrim(multiply(t, tieMask(ans, x, axes)), axes, keepdims)],
  });
  const where = `np.${name}`;
  return (a: ArrayLike, opts?: Axis | (ReduceOptions & { initial?: number })): NDArray => {
    const x = arr(a, where);
    const o = options(where, opts, ["axis", "keepdims", "initial"], true);
    if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported (compare np.abs(x) or np.real(x) instead)`);
    const axes = axesOf(o.axis, x.ndim, where);
    if (o.initial === undefined || o.initial === null) return prim(x, axes, !!o.keepdims);
    // initial: the reduction also sees this value (and empty reductions give it)
    if (typeof o.initial !== "number") throw new TypeError(`${where}: initial must be a number, got ${describe(o.initial)}`);
    const shape = reducedShape(x.shape, axes, !!o.keepdims);
    if (x.size === 0) return full(shape, o.initial, x.dtype === "bool" ? "bool" : x.dtype);
    return (name === "amax" ? maximum : minimum)(prim(x, axes, !!o.keepdims), o.initial);
  };
}

/** 1 at the entries equal to the reduced answer, divided by how many tie. A constant. */
function tieMask(ans: NDArray, x: NDArray, axes: number[]): NDArray {
  const hit = asFloat(equal(x, repeatToMatch(ans, x, axes)), x);
  const count = sumKernel(hit, axes, keptShape(x, axes), hit.dtype);
  return divide(hit, count) as NDArray;
}

export const amax = chooser("amax", -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a), "max");
export const amin = chooser("amin", Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a), "min");
export const max = amax;
export const min = amin;

/** Complex products: the reduced axes moved last, then a running complex multiplication per output. */
function complexProd(x: NDArray, axes: number[], outShape: number[]): NDArray {
  const kept = range(x.ndim).filter((i) => !axes.includes(i));
  const t = transposeData(x, [...kept, ...axes]).data;
  const n = axes.reduce((p, i) => p * x.shape[i], 1);
  const m = n === 0 ? shapeSize(outShape) : x.size / n;
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    let re = 1, im = 0;
    for (let j = 0; j < n; j++) {
      const a = t[2 * (i * n + j)], b = t[2 * (i * n + j) + 1];
      [re, im] = [re * a - im * b, re * b + im * a];
    }
    out[2 * i] = re;
    out[2 * i + 1] = im;
  }
  return new NDArray(out, outShape, "complex128");
}

const prodPrim: Primitive = definePrimitive("prod", {
  impl: (x: NDArray, axes: number[], keepdims: boolean) =>
    isComplex(x.dtype)
      ? complexProd(x, axes, reducedShape(x.shape, axes, keepdims))
      : reduceAxes(x, axes, reducedShape(x.shape, axes, keepdims), x.dtype === "bool" ? "int32" : x.dtype, 1, (a, v) => a * v),
  argNames: ["a"],
  // d prod / dx_i = the product of the other entries of x_i's reduction group
  vjp: [(g, ans, x: NDArray, axes: number[]) =>
    multiply(repeatToMatch(g, x, axes), prodOthers(x, ans, axes))],
  jvp: [(t, ans, x: NDArray, axes: number[], keepdims: boolean) =>
    sumPrim(multiply(t, prodOthers(x, ans, axes)), axes, keepdims)],
});

/**
 * For each entry of x, the product of the other entries of its reduction group: prod / x when x has no zeros
 * (autograd's rule). With zeros: the product of the group with that entry replaced by 1 (exact to every order;
 * O(n²) per group of n, so only for moderate sizes), or else a formula exact for groups with at most one zero
 * (groups with more zeros get a zero derivative: exact to first order).
 */
function prodOthers(x: NDArray, ans: NDArray, axes: number[]): NDArray {
  const plain = getValue(x);
  let zero = false;
  for (let i = 0; i < plain.data.length && !zero; i++) zero = plain.data[i] === 0;
  if (!zero) return divide(repeatToMatch(ans, x, axes), x);
  const n = axes.reduce((p, i) => p * x.shape[i], 1);
  if (x.size * n > 1 << 22) {
    const zeros = asFloat(equal(plain, 0), x); // constant
    const count = sumKernel(zeros, axes, keptShape(x, axes), zeros.dtype);
    const single = asFloat(equal(count, 1), x); // groups with exactly one zero
    // the product of the nonzero entries, independent of the zero entries (they become the constant 1)
    const nonzeroProd = prodPrim(add(multiply(x, subtract(1, zeros)), zeros), axes, true);
    const zeroValue = sumPrim(multiply(x, zeros), axes, true); // 0, but carries the zero entry's derivative
    const atNonzero = divide(multiply(zeroValue, nonzeroProd), add(x, zeros));
    return multiply(single, add(multiply(zeros, nonzeroProd), multiply(subtract(1, zeros), atNonzero)));
  }
  // move the reduced axes last and flatten them: y is (...kept, n); row i of (n, n) has y with y_i := 1
  const kept = range(x.ndim).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const y = reshape(transpose(x, perm), [...kept.map((i) => x.shape[i]), 1, n]);
  const eyeData = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eyeData[i * n + i] = 1;
  const eye = castArray(new NDArray(eyeData, [n, n], "float64"), plain.dtype === "float32" ? "float32" : "float64");
  const masked = add(multiply(y, subtract(1, eye)), eye);
  const others = prodPrim(masked, [masked.ndim - 1], false);
  const back = reshape(others, perm.map((i) => x.shape[i]));
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return transpose(back, inv);
}

export function prod(a: ArrayLike, opts?: Axis | (ReduceOptions & DTypeOption)): NDArray {
  const o = options("np.prod", opts, ["axis", "keepdims", "dtype"], true);
  const x = withDType(arr(a, "np.prod"), o.dtype);
  return prodPrim(x, axesOf(o.axis, x.ndim, "np.prod"), !!o.keepdims);
}

// cumsum along one axis (flattened when axis is omitted, as numpy)
function cumsumKernel(x: NDArray, axis: number, reverse: boolean): NDArray {
  const shape = x.shape;
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const dtype = x.dtype === "bool" ? "int32" : x.dtype;
  const src = x.data;
  const slots = isComplex(dtype) ? 2 : 1;
  const out = allocate(dtype, x.size);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++)
      for (let s = 0; s < slots; s++) {
        let acc = 0;
        for (let k0 = 0; k0 < n; k0++) {
          const k = reverse ? n - 1 - k0 : k0;
          const idx = ((o * n + k) * inner + i) * slots + s;
          acc += src[idx];
          out[idx] = acc;
        }
      }
  return new NDArray(out, shape.slice(), dtype);
}

const cumsumPrim = definePrimitive("cumsum", {
  impl: (x: NDArray, axis: number, reverse: boolean) => cumsumKernel(x, axis, reverse),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, _x, axis: number, reverse: boolean) => cumsumPrim(g, axis, !reverse)],
});

export function cumsum(a: ArrayLike, opts?: number | null | ({ axis?: number | null } & DTypeOption)): NDArray {
  const o = options("np.cumsum", opts, ["axis", "dtype"], true);
  let x = withDType(arr(a, "np.cumsum"), o.dtype);
  if (o.axis === undefined || o.axis === null) {
    x = reshape(x, [x.size]);
    return cumsumPrim(x, 0, false);
  }
  if (typeof o.axis !== "number") throw new TypeError(`np.cumsum: axis must be an integer or null, got ${describe(o.axis)}`);
  return cumsumPrim(x, normalizeAxis(o.axis, x.ndim, "np.cumsum"), false);
}

