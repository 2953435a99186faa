// Shape primitives: reshape, broadcast_to, transpose, and the functions built on them
// (ravel, expand_dims, squeeze, swapaxes, moveaxis). All linear: their JVP is themselves.
import { broadcastTo as broadcastKernel, transposeData } from "../array/kernels";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis, shapeSize, shapesEqual } from "../array/shape";
import { definePrimitive } from "../core/tracer";
import { arr, options, range } from "./args";
import { unbroadcast } from "./binary";

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

export function ravel(a: ArrayLike): NDArray {
  const x = arr(a, "np.ravel");
  return reshape(x, [x.size]);
}

export function expand_dims(a: ArrayLike, axis: number | number[] | { axis: number | number[] }): NDArray {
  const x = arr(a, "np.expand_dims");
  const ax = typeof axis === "object" && !Array.isArray(axis) ? options("np.expand_dims", axis, ["axis"]).axis : axis;
  const list: number[] = typeof ax === "number" ? [ax] : ax;
  const nd = x.ndim + list.length;
  const where = new Set(list.map((a) => normalizeAxis(a, nd, "np.expand_dims")));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) shape.push(where.has(i) ? 1 : x.shape[j++]);
  return reshape(x, shape);
}

export function squeeze(a: ArrayLike, axis?: number | number[] | { axis?: number | number[] }): NDArray {
  const x = arr(a, "np.squeeze");
  const ax = typeof axis === "object" && !Array.isArray(axis) ? options("np.squeeze", axis, ["axis"]).axis : axis;
  let drop: number[];
  if (ax === undefined || ax === null) drop = range(x.ndim).filter((i) => x.shape[i] === 1);
  else {
    drop = (typeof ax === "number" ? [ax] : ax).map((i: number) => normalizeAxis(i, x.ndim, "np.squeeze"));
    for (const i of drop) {
      if (x.shape[i] !== 1) throw new ValueError(`np.squeeze: cannot select an axis to squeeze out which has size not equal to one (axis ${i} has size ${x.shape[i]})`);
    }
  }
  return reshape(x, x.shape.filter((_, i) => !drop.includes(i)));
}

export function swapaxes(a: ArrayLike, axis1: number, axis2: number): NDArray {
  const x = arr(a, "np.swapaxes");
  const perm = range(x.ndim);
  const i = normalizeAxis(axis1, x.ndim, "np.swapaxes"), j = normalizeAxis(axis2, x.ndim, "np.swapaxes");
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return transpose(x, perm);
}

export function moveaxis(a: ArrayLike, source: number | number[], destination: number | number[]): NDArray {
  const x = arr(a, "np.moveaxis");
  const src = (typeof source === "number" ? [source] : source).map((s) => normalizeAxis(s, x.ndim, "np.moveaxis"));
  const dst = (typeof destination === "number" ? [destination] : destination).map((s) => normalizeAxis(s, x.ndim, "np.moveaxis"));
  if (src.length !== dst.length) throw new ValueError("np.moveaxis: `source` and `destination` arguments must have the same number of elements");
  const order = range(x.ndim).filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]]).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return transpose(x, order);
}

// ---- dimensions: atleast_1d / 2d / 3d ---------------------------------------------------------------------------

function atleast(where: string, arys: readonly ArrayLike[], f: (x: NDArray) => NDArray): NDArray | NDArray[] {
  const out = arys.map((a) => f(arr(a, where)));
  return out.length === 1 ? out[0] : out;
}

/** np.atleast_1d(a) → a with at least one dimension; several arrays give a list. */
export function atleast_1d(a: ArrayLike): NDArray;
export function atleast_1d(...arys: ArrayLike[]): NDArray[];
export function atleast_1d(...arys: ArrayLike[]): NDArray | NDArray[] {
  return atleast("np.atleast_1d", arys, (x) => (x.ndim === 0 ? reshape(x, [1]) : x));
}

/** np.atleast_2d(a): 0-d → (1, 1), (N,) → (1, N). */
export function atleast_2d(a: ArrayLike): NDArray;
export function atleast_2d(...arys: ArrayLike[]): NDArray[];
export function atleast_2d(...arys: ArrayLike[]): NDArray | NDArray[] {
  return atleast("np.atleast_2d", arys, (x) => (x.ndim === 0 ? reshape(x, [1, 1]) : x.ndim === 1 ? reshape(x, [1, x.shape[0]]) : x));
}

/** np.atleast_3d(a): 0-d → (1, 1, 1), (N,) → (1, N, 1), (M, N) → (M, N, 1). */
export function atleast_3d(a: ArrayLike): NDArray;
export function atleast_3d(...arys: ArrayLike[]): NDArray[];
export function atleast_3d(...arys: ArrayLike[]): NDArray | NDArray[] {
  return atleast("np.atleast_3d", arys, (x) =>
    x.ndim === 0 ? reshape(x, [1, 1, 1])
      : x.ndim === 1 ? reshape(x, [1, x.shape[0], 1])
      : x.ndim === 2 ? reshape(x, [...x.shape, 1])
      : x,
  );
}
