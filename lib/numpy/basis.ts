// The basis of lib/numpy: the linear structural primitives every derivative rule ends in, and the helpers
// rules share. reshape, transpose, broadcast_to ↔ sum (each other's transpose), real / conj / the cast to
// complex, astype; unbroadcast (a binary VJP's last step), repeatToMatch (a reduction's), matchComplex and
// asFloat. Their rules are written only in each other, so this module imports no other numpy function module:
// binary, elementwise, shape, reductions, ... all sit above it, and lib/numpy has no import cycle
// (test/architecture/layers.test.ts).
import { type DType, assertDType, isComplex, isFloat } from "../array/dtype";
import { broadcastTo as broadcastKernel, map1, sumAxes as sumKernel, transposeData } from "../array/kernels";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis, reducedShape, shapeSize, shapesEqual } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { type Operand, arr, options, range } from "./args";

// ---- reshape, broadcast_to, transpose ---------------------------------------------------------------------------

function resolveShape(shape: readonly number[], size: number, where: string, from: readonly number[]): number[] {
  const out = shape.slice();
  const unknown = out.indexOf(-1);
  if (out.lastIndexOf(-1) !== unknown) throw new ValueError(`${where}: can only specify one unknown dimension (-1)`);
  const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${where}: cannot reshape array of shape ${fmtShape(from)} (size ${size}) into shape ${fmtShape(shape)}`);
    }
    out[unknown] = size / known;
  }
  if (shapeSize(out) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: cannot reshape array of shape ${fmtShape(from)} (size ${size}) into shape ${fmtShape(shape)}`);
  }
  return out;
}

const reshapePrim = definePrimitive("reshape", {
  impl: (x: NDArray, shape: number[]) => new NDArray(x.data, shape, x.dtype),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray) => reshapePrim(g, x.shape)],
});

/** np.reshape(a, newshape): one dimension may be -1. Shares storage (arrays are immutable). */
export function reshape(a: ArrayLike, ...shape: (number | number[])[]): NDArray {
  const x = arr(a, "np.reshape");
  const dims = shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
  const target = resolveShape(dims, x.size, "np.reshape", x.shape);
  if (shapesEqual(target, x.shape)) return x;
  return reshapePrim(x, target);
}

const broadcastPrim = definePrimitive("broadcast_to", {
  impl: (x: NDArray, shape: number[]) => broadcastKernel(x, shape),
  linear: true,
  argNames: ["array"],
  vjp: [(g, _ans, x: NDArray) => unbroadcast(g, x)],
});

export function broadcast_to(a: ArrayLike, shape: number | number[]): NDArray {
  const x = arr(a, "np.broadcast_to");
  const target = typeof shape === "number" ? [shape] : shape.slice();
  const b = broadcastShapes(x.shape, target, "np.broadcast_to");
  if (!shapesEqual(b, target)) {
    throw new ShapeError(`np.broadcast_to: cannot broadcast array of shape ${fmtShape(x.shape)} to shape ${fmtShape(target)}`);
  }
  if (shapesEqual(x.shape, target)) return x;
  return broadcastPrim(x, target);
}

const transposePrim = definePrimitive("transpose", {
  impl: (x: NDArray, perm: number[]) => transposeData(x, perm),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, _x, perm: number[]) => transposePrim(g, inversePerm(perm))],
});

function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** np.transpose(a, axes?): reverses the axes by default. */
export function transpose(a: ArrayLike, axes?: number[] | { axes?: number[] }): NDArray {
  const x = arr(a, "np.transpose");
  const given = Array.isArray(axes) ? axes : options("np.transpose", axes, ["axes"]).axes;
  const perm = given ? given.map((ax: number) => normalizeAxis(ax, x.ndim, "np.transpose")) : range(x.ndim).reverse();
  if (perm.length !== x.ndim || new Set(perm).size !== perm.length) {
    throw new ValueError(`np.transpose: axes ${JSON.stringify(given)} don't match array of dimension ${x.ndim}`);
  }
  if (perm.every((p: number, i: number) => p === i)) return x;
  return transposePrim(x, perm);
}

// ---- sum over axes, and its transpose ---------------------------------------------------------------------------

/** Shape of `x` with `axes` kept as size-1 dims: the shape a reduced cotangent broadcasts back from. */
export const keptShape = (x: NDArray, axes: readonly number[]) => x.shape.map((d, i) => (axes.includes(i) ? 1 : d));

/** Undo a reduction for the backward pass: reshape to kept dims, then broadcast to the input shape. */
export function repeatToMatch(g: NDArray, x: NDArray, axes: readonly number[]): NDArray {
  return broadcast_to(reshape(g, keptShape(x, axes)), x.shape);
}

/** The sum primitive over normalized axes (np.sum in reductions.ts validates its options and calls it). */
export const sumPrim = definePrimitive("sum", {
  impl: (x: NDArray, axes: number[], keepdims: boolean) => {
    const outDtype = x.dtype === "bool" ? "int32" : x.dtype;
    return sumKernel(x, axes, reducedShape(x.shape, axes, keepdims), outDtype);
  },
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray, axes: number[]) => repeatToMatch(g, x, axes)],
});

/** Internal: sum over already-normalized axes (no axes: x itself). */
export function sumAxes(x: NDArray, axes: number[], keepdims: boolean): NDArray {
  if (axes.length === 0) return x;
  return sumPrim(x, axes, keepdims);
}

// ---- real part, conjugate, cast to complex ----------------------------------------------------------------------
// VJPs follow autograd's convention (the gradient of a real loss L at z = x + iy is ∂L/∂x − i ∂L/∂y).

/** Casts a cotangent back to the input's kind: complex inputs get complex cotangents, real inputs real ones. */
export function matchComplex(x: NDArray, g: NDArray): NDArray {
  if (isComplex(x.dtype) && !isComplex(g.dtype)) return toComplex(g);
  if (!isComplex(x.dtype) && isComplex(g.dtype)) return real(g);
  return g;
}

/** Internal: the differentiable cast of an array to complex128. */
export const toComplex = definePrimitive("to_complex", {
  impl: (x: NDArray) => castArray(x, "complex128"),
  linear: true,
  vjp: [(g, _ans, x) => matchComplex(x, g)],
});

const realPrim = definePrimitive("real", {
  impl: (x: NDArray) => (isComplex(x.dtype) ? map1(x, "float64", (v) => v, (r, _i, o, k) => { o[k] = r; }) : x),
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, x) => matchComplex(x, g)],
});
const conjPrim = definePrimitive("conjugate", {
  impl: (x: NDArray) => (isComplex(x.dtype) ? map1(x, "complex128", (v) => v, (r, i, o, k) => { o[k] = r; o[k + 1] = -i; }) : x),
  linear: true,
  argNames: ["x"],
  vjp: [(g) => conjPrim(g)],
});

export const real = (x: ArrayLike): NDArray => realPrim(arr(x, "np.real"));
export const conj = (x: ArrayLike): NDArray => conjPrim(arr(x, "np.conj"));
export const conjugate = conj;

// ---- astype -----------------------------------------------------------------------------------------------------

// astype: differentiable between inexact dtypes (the cotangent is cast back); to int/bool it is a constant.
const astypePrim = definePrimitive("astype", {
  impl: (x: NDArray, dtype: DType) => castArray(x, dtype),
  argNames: ["x"],
  vjp: [(g, _ans, x: NDArray) => astypePrim(isComplex(g.dtype) && !isComplex(x.dtype) ? real(g) : g, x.dtype)],
  jvp: [(t, _ans, _x, dtype: DType) => astypePrim(t, dtype)],
});

export function astype(x: ArrayLike, dtype: DType | string): NDArray {
  const a = arr(x, "astype");
  const dt = assertDType(dtype, "astype");
  if (a.dtype === dt) return a;
  if (!isFloat(dt) && !isComplex(dt)) return castArray(getValue(a), dt);
  return astypePrim(a, dt);
}

// ---- helpers of derivative rules --------------------------------------------------------------------------------

/**
 * Constant float copy of a (boolean) array: masks inside derivative rules. float32 when `like` is float32, so
 * that masks don't promote the derivatives of float32 inputs to float64.
 */
export const asFloat = (x: NDArray, like?: unknown): NDArray =>
  castArray(getValue(x), like instanceof NDArray && like.dtype === "float32" ? "float32" : "float64");

/**
 * A float64 derivative of a float32 value cast back to float32 (a float64 constant in a rule, such as 1/b for a
 * JS number b, would otherwise promote float32 gradients and tangents to float64).
 */
export function keepFloat32(g: NDArray, like: Operand): NDArray {
  return typeof like !== "number" && like.dtype === "float32" && g.dtype === "float64" ? astype(g, "float32") : g;
}

/**
 * Sums `g` down to the shape of `target` (undoing broadcasting) and drops an imaginary part the target can't
 * hold. Every binary VJP ends here.
 */
export function unbroadcast(g: NDArray, target: Operand): NDArray {
  const shape = typeof target === "number" ? [] : target.shape;
  if (typeof target !== "number" && !isComplex(target.dtype) && isComplex(g.dtype)) g = real(g);
  else if (typeof target === "number" && isComplex(g.dtype)) g = real(g);
  g = keepFloat32(g, target);
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sumAxes(g, axes, false), shape);
}
