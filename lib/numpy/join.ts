// Joining and splitting arrays: concatenate (the primitive) and stack, vstack, hstack, column_stack, append
// built on it; split, array_split, hsplit, vsplit, dsplit (slices, whose cotangents pad back).
import { allocateUninit, isComplex, promote } from "../array/dtype";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { ShapeError, ValueError } from "../array/errors";
import { fmtShape, normalizeAxis } from "../array/shape";
import { definePrimitive } from "../core/tracer";
import { arr, intList, options } from "./args";
import { type Index, index, slice1 } from "./indexing";
import { reshape } from "./basis";
import { expand_dims, ravel } from "./shape";

function concatImpl(axis: number, ...xs: NDArray[]): NDArray {
  const dtype = xs.map((x) => x.dtype).reduce(promote);
  const first = xs[0].shape;
  const shape = first.slice();
  shape[axis] = xs.reduce((p, x) => p + x.shape[axis], 0);
  const slots = isComplex(dtype) ? 2 : 1;
  const outer = first.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = first.slice(axis + 1).reduce((p, d) => p * d, 1) * slots;
  // every slot is written below: unzeroed storage (zeroing 16 MB costs as much as the copy)
  const out = allocateUninit(dtype, shape.reduce((p, d) => p * d, 1)) as Float64Array;
  const rowOut = shape[axis] * inner;
  let offset = 0;
  for (const x0 of xs) {
    const x = castArray(x0, dtype);
    const src = x.data as Float64Array;
    const block = x.shape[axis] * inner;
    if (outer === 1) out.set(src, offset);
    else if (block >= 64) for (let o = 0; o < outer; o++) out.set(src.subarray(o * block, (o + 1) * block), o * rowOut + offset);
    else for (let o = 0; o < outer; o++) for (let j = 0, d = o * rowOut + offset, s = o * block; j < block; j++) out[d + j] = src[s + j];
    offset += block;
  }
  return new NDArray(out, shape, dtype);
}

// VJP for argument k (k >= 1; argument 0 is the axis): the slice of g that came from array k-1
const concatVjp = (k: number) => (g: NDArray, _ans: NDArray, axis: number, ...xs: NDArray[]) => {
  let start = 0;
  for (let i = 0; i < k - 1; i++) start += xs[i].shape[axis];
  return slice1(g, axis, start, start + xs[k - 1].shape[axis]);
};
const concatPrim = definePrimitive("concatenate", { impl: concatImpl, linear: true, vjp: concatVjp });

export function concatenate(arrays: readonly ArrayLike[], opts?: number | null | { axis?: number | null }): NDArray {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new ValueError("np.concatenate: need at least one array to concatenate");
  const o = options("np.concatenate", opts, ["axis", "dtype"], true);
  let xs = arrays.map((a) => arr(a, "np.concatenate"));
  if (o.axis === null) xs = xs.map((x) => ravel(x));
  if (xs[0].ndim === 0) throw new ValueError("np.concatenate: zero-dimensional arrays cannot be concatenated");
  const axis = normalizeAxis(o.axis ?? 0, xs[0].ndim, "np.concatenate");
  xs.forEach((x, i) => {
    const ok = x.ndim === xs[0].ndim && x.shape.every((d, j) => j === axis || d === xs[0].shape[j]);
    if (!ok) {
      throw new ShapeError(
        `np.concatenate: all the input array dimensions except for the concatenation axis (${axis}) must match exactly, ` +
          `but array 0 has shape ${fmtShape(xs[0].shape)} and array ${i} has shape ${fmtShape(x.shape)}`,
      );
    }
  });
  if (xs.length === 1) return xs[0];
  return concatPrim(axis, ...xs);
}

export function stack(arrays: readonly ArrayLike[], opts?: number | { axis?: number }): NDArray {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new ValueError("np.stack: need at least one array to stack");
  const o = options("np.stack", opts, ["axis"], true);
  const xs = arrays.map((a) => arr(a, "np.stack"));
  xs.forEach((x, i) => {
    if (x.shape.join() !== xs[0].shape.join()) {
      throw new ShapeError(`np.stack: all input arrays must have the same shape, but array 0 has shape ${fmtShape(xs[0].shape)} and array ${i} has shape ${fmtShape(x.shape)}`);
    }
  });
  const axis = normalizeAxis(o.axis ?? 0, xs[0].ndim + 1, "np.stack");
  return concatenate(xs.map((x) => expand_dims(x, axis)), { axis });
}

const atLeast2 = (x: NDArray) => (x.ndim === 0 ? reshape(x, [1, 1]) : x.ndim === 1 ? reshape(x, [1, x.shape[0]]) : x);
export const vstack = (arrays: readonly ArrayLike[]) => concatenate(arrays.map((a) => atLeast2(arr(a, "np.vstack"))), { axis: 0 });
export const row_stack = vstack;
export function hstack(arrays: readonly ArrayLike[]): NDArray {
  const xs = arrays.map((a) => arr(a, "np.hstack")).map((x) => (x.ndim === 0 ? reshape(x, [1]) : x));
  return concatenate(xs, { axis: xs[0].ndim === 1 ? 0 : 1 });
}
export function column_stack(arrays: readonly ArrayLike[]): NDArray {
  const xs = arrays.map((a) => arr(a, "np.column_stack")).map((x) => (x.ndim < 2 ? reshape(x, [x.size, 1]) : x));
  return concatenate(xs, { axis: 1 });
}
export function dstack(arrays: readonly ArrayLike[]): NDArray {
  const xs = arrays.map((a) => arr(a, "np.dstack")).map((x) =>
    x.ndim === 0 ? reshape(x, [1, 1, 1]) : x.ndim === 1 ? reshape(x, [1, x.shape[0], 1]) : x.ndim === 2 ? reshape(x, [...x.shape, 1]) : x,
  );
  return concatenate(xs, { axis: 2 });
}
export function append(a: ArrayLike, values: ArrayLike, opts?: number | null | { axis?: number | null }): NDArray {
  const o = options("np.append", opts, ["axis"], true);
  if (o.axis === undefined || o.axis === null) return concatenate([ravel(arr(a, "np.append")), ravel(arr(values, "np.append"))]);
  return concatenate([a, values], { axis: o.axis });
}

// ---- splitting ------------------------------------------------------------------------------------------------

type Sections = number | readonly number[] | NDArray;

function splitAlong(where: string, x: NDArray, sections: Sections, axis: number, equal: boolean): NDArray[] {
  if (x.ndim === 0) throw new ValueError(`${where}: cannot split a 0-d array`);
  const ax = normalizeAxis(axis, x.ndim, where);
  const n = x.shape[ax];
  let bounds: [number, number | ""][];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0) {
      throw new ValueError(`${where}: number of sections must be a positive integer, got ${sections}`);
    }
    if (equal && n % sections !== 0) {
      throw new ValueError(
        `${where}: array split does not result in an equal division: axis ${ax} of length ${n} into ${sections} sections`,
      );
    }
    const each = Math.floor(n / sections), extra = n % sections;
    bounds = [];
    let start = 0;
    for (let i = 0; i < sections; i++) {
      const stop = start + each + (i < extra ? 1 : 0);
      bounds.push([start, stop]);
      start = stop;
    }
  } else {
    const points = intList(sections, where, "split indices");
    const starts = [0, ...points], stops: (number | "")[] = [...points, ""];
    bounds = starts.map((s, i) => [s, stops[i]]);
  }
  return bounds.map(([s, e]) => {
    const ix: Index[] = x.shape.map(() => ":");
    ix[ax] = `${s}:${e}`;
    return index(x, ...ix);
  });
}

type SplitAxis = number | { axis?: number };
const splitAxis = (where: string, axis: SplitAxis | undefined): number =>
  (options(where, axis, ["axis"], true).axis as number | undefined) ?? 0;

/** np.split(ary, indices_or_sections, axis = 0): equal sections (an int) or split points (a list). */
export function split(ary: ArrayLike, indices_or_sections: Sections, axis?: SplitAxis): NDArray[] {
  return splitAlong("np.split", arr(ary, "np.split"), indices_or_sections, splitAxis("np.split", axis), true);
}

/** np.array_split: like split, but an int need not divide the axis (the first sections get one more). */
export function array_split(ary: ArrayLike, indices_or_sections: Sections, axis?: SplitAxis): NDArray[] {
  return splitAlong("np.array_split", arr(ary, "np.array_split"), indices_or_sections, splitAxis("np.array_split", axis), false);
}

/** np.hsplit: split along axis 1 (axis 0 for 1-d arrays). */
export function hsplit(ary: ArrayLike, indices_or_sections: Sections): NDArray[] {
  const x = arr(ary, "np.hsplit");
  if (x.ndim === 0) throw new ValueError("np.hsplit: hsplit only works on arrays of 1 or more dimensions, got a 0-d array");
  return splitAlong("np.hsplit", x, indices_or_sections, x.ndim > 1 ? 1 : 0, true);
}

/** np.vsplit: split along axis 0 (arrays of 2 or more dimensions). */
export function vsplit(ary: ArrayLike, indices_or_sections: Sections): NDArray[] {
  const x = arr(ary, "np.vsplit");
  if (x.ndim < 2) throw new ValueError(`np.vsplit: vsplit only works on arrays of 2 or more dimensions, got dimension ${x.ndim}`);
  return splitAlong("np.vsplit", x, indices_or_sections, 0, true);
}

/** np.dsplit: split along axis 2 (arrays of 3 or more dimensions). */
export function dsplit(ary: ArrayLike, indices_or_sections: Sections): NDArray[] {
  const x = arr(ary, "np.dsplit");
  if (x.ndim < 3) throw new ValueError(`np.dsplit: dsplit only works on arrays of 3 or more dimensions, got dimension ${x.ndim}`);
  return splitAlong("np.dsplit", x, indices_or_sections, 2, true);
}
