// Reductions: sum, mean, prod, max/min, var/std, cumsum. sum and the max/min family are primitives; the rest
// are written in terms of them, so they are differentiable in both modes for free.
import { isComplex } from "../array/dtype";
import { reduceAxes, sumAxes as sumKernel } from "../array/kernels";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { reducedShape } from "../array/shape";
import { definePrimitive } from "../core/tracer";
import { type Axis, arr, axesOf, options } from "./args";
import { divide, equal, multiply, subtract } from "./binary";
import { abs, asFloat, sqrt, square } from "./elementwise";
import { broadcast_to, reshape } from "./shape";

/** Shape of `x` with `axes` kept as size-1 dims: the shape a reduced cotangent broadcasts back from. */
const keptShape = (x: NDArray, axes: readonly number[]) => x.shape.map((d, i) => (axes.includes(i) ? 1 : d));

/** Undo a reduction for the backward pass: reshape to kept dims, then broadcast to the input shape. */
export function repeatToMatch(g: NDArray, x: NDArray, axes: readonly number[]): NDArray {
  return broadcast_to(reshape(g, keptShape(x, axes)), x.shape);
}

const sumPrim = definePrimitive("sum", {
  impl: (x: NDArray, axes: number[], keepdims: boolean) => {
    const outDtype = x.dtype === "bool" ? "int32" : x.dtype;
    return sumKernel(x, axes, reducedShape(x.shape, axes, keepdims), outDtype);
  },
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray, axes: number[]) => repeatToMatch(g, x, axes)],
});

/** Internal: sum over already-normalized axes. */
export function sumAxes(x: NDArray, axes: number[], keepdims: boolean): NDArray {
  if (axes.length === 0) return x;
  return sumPrim(x, axes, keepdims);
}

type ReduceOptions = { axis?: Axis; keepdims?: boolean };

export function sum(a: ArrayLike, opts?: Axis | ReduceOptions): NDArray {
  const x = arr(a, "np.sum");
  const o = options("np.sum", opts, ["axis", "keepdims", "dtype"], true);
  const axes = axesOf(o.axis, x.ndim, "np.sum");
  if (axes.length === 0) return x;
  return sumPrim(x, axes, !!o.keepdims);
}

export function mean(a: ArrayLike, opts?: Axis | ReduceOptions): NDArray {
  const x = arr(a, "np.mean");
  const o = options("np.mean", opts, ["axis", "keepdims", "dtype"], true);
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
function chooser(name: string, init: number, pick: (a: number, v: number) => number) {
  const prim = definePrimitive(name, {
    impl: (x: NDArray, axes: number[], keepdims: boolean) => {
      if (x.size === 0) throw new ValueError(`np.${name}: zero-size array to reduction operation which has no identity`);
      return reduceAxes(x, axes, reducedShape(x.shape, axes, keepdims), x.dtype, init, pick);
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
  return (a: ArrayLike, opts?: Axis | ReduceOptions): NDArray => {
    const x = arr(a, where);
    const o = options(where, opts, ["axis", "keepdims", "initial"], true);
    return prim(x, axesOf(o.axis, x.ndim, where), !!o.keepdims);
  };
}

/** 1 at the entries equal to the reduced answer, divided by how many tie. A constant. */
function tieMask(ans: NDArray, x: NDArray, axes: number[]): NDArray {
  const hit = asFloat(equal(x, repeatToMatch(ans, x, axes)));
  const count = sumKernel(hit, axes, keptShape(x, axes), "float64");
  return divide(hit, count) as NDArray;
}

export const amax = chooser("amax", -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a));
export const amin = chooser("amin", Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a));
export const max = amax;
export const min = amin;

const prodPrim = definePrimitive("prod", {
  impl: (x: NDArray, axes: number[], keepdims: boolean) =>
    reduceAxes(x, axes, reducedShape(x.shape, axes, keepdims), x.dtype === "bool" ? "int32" : x.dtype, 1, (a, v) => a * v),
  argNames: ["a"],
  // d prod / dx_i = prod / x_i (autograd's rule; inputs containing zeros give nan, as there)
  vjp: [(g, ans, x: NDArray, axes: number[]) => divide(repeatToMatch(multiply(g, ans), x, axes), x)],
  jvp: [(t, ans, x: NDArray, axes: number[], keepdims: boolean) =>
    multiply(ans, sumPrim(divide(t, x), axes, keepdims))],
});

export function prod(a: ArrayLike, opts?: Axis | ReduceOptions): NDArray {
  const x = arr(a, "np.prod");
  if (isComplex(x.dtype)) throw new TypeError("np.prod: complex input is not supported yet");
  const o = options("np.prod", opts, ["axis", "keepdims", "dtype"], true);
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
  const out = new (src.constructor as any)(src.length) as typeof src;
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

export function cumsum(a: ArrayLike, opts?: number | { axis?: number }): NDArray {
  let x = arr(a, "np.cumsum");
  const o = options("np.cumsum", opts, ["axis", "dtype"], true);
  if (o.axis === undefined || o.axis === null) {
    x = reshape(x, [x.size]);
    return cumsumPrim(x, 0, false);
  }
  const axis = axesOf(o.axis, x.ndim, "np.cumsum")[0];
  return cumsumPrim(x, axis, false);
}

