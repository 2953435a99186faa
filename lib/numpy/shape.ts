// Shape functions built on the shape primitives reshape and transpose (which live in ./basis with broadcast_to,
// since every derivative rule ends in them): ravel, expand_dims, squeeze, swapaxes, moveaxis, atleast_Nd.
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { normalizeAxis } from "../array/shape";
import { arr, options, range } from "./args";
import { reshape, transpose } from "./basis";

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
