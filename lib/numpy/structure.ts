// Structure: rearranging, repeating, splitting, padding and selecting array elements.
//
// Almost everything here is a composite of differentiable functions (index/gather, concatenate, reshape,
// broadcast_to, transpose, multiply), so both modes and higher orders come for free: gathers scatter-add
// their cotangents, so repeated positions (repeat, tile, take, pad) accumulate gradients. The one new
// primitive is the 3-argument `where` (linear in x and y for a constant condition). sort/argsort/nonzero
// compute a permutation or positions on primal values; sort then gathers with it, so its gradient routes
// through the permutation.
import { type DType, allocate, isComplex, isInexact } from "../array/dtype";
import { broadcastTo } from "../array/kernels";
import { type ArrayLike, NDArray, castArray, complexScalar, describe, scalar } from "../array/ndarray";
import { IndexError, ShapeError, ValueError } from "../array/errors";
import { broadcastMany, broadcastShapes, fmtShape, normalizeAxis, shapeSize, shapesEqual, stridesOf } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { type Axis, type Operand, arr, axesOf, isOptionsObject, operand, options, params, range } from "./args";
import { add, equal, maximum, minimum, multiply, not_equal, resultDType, subtract, unbroadcast } from "./binary";
import { astype } from "./creation";
import { imag, real } from "./complexParts";
import { isfinite } from "./elementwise";
import { type Index, index, slice1 } from "./indexing";
import { concatenate } from "./join";
import { broadcast_to, ravel, reshape, transpose } from "./shape";

// ---- argument helpers ------------------------------------------------------------------------------------------

type Opts = Record<string, unknown>;

/** A list of integers from a number, JS array or NDArray (constants only). */
function intList(v: unknown, where: string, what: string): number[] {
  const list = typeof v === "number" ? [v] : Array.from(getValue(arr(v as ArrayLike, where)).data as Iterable<number>);
  for (const k of list) {
    if (!Number.isInteger(k)) throw new TypeError(`${where}: ${what} must be integers, got ${k}`);
  }
  return list;
}

function intArg(v: unknown, where: string, what: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`${where}: ${what} must be an integer, got ${describe(v)}`);
  return v;
}

/** Plain (unboxed) array of a constant argument. */
const plain = (x: ArrayLike, where: string): NDArray => getValue(arr(x, where));

const int32 = (list: readonly number[], shape: number[] = [list.length]): NDArray =>
  new NDArray(Int32Array.from(list), shape, "int32");

/** x at integer positions `idx` along `axis`: one gather (repeated positions accumulate gradients). */
function takeAxis(x: NDArray, idx: readonly number[], axis: number): NDArray {
  if (idx.length === x.shape[axis] && idx.every((k, i) => k === i)) return x;
  const ix: Index[] = x.shape.map(() => ":");
  ix[axis] = int32(idx);
  return index(x, ...ix);
}

/** Gather by flat positions into `shape` (positions index the C-order storage of x). */
function gatherFlat(x: NDArray, positions: Int32Array, shape: number[]): NDArray {
  return reshape(index(ravel(x), new NDArray(positions, [positions.length], "int32")), shape);
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

// ---- where ------------------------------------------------------------------------------------------------------

interface Mask {
  readonly mask: NDArray;
}

function whereImpl(x: Operand, y: Operand, c: Mask): NDArray {
  const X = typeof x === "number" ? scalar(x) : x;
  const Y = typeof y === "number" ? scalar(y) : y;
  const dtype = resultDType(x, y, "promote");
  const shape = broadcastMany([c.mask.shape, X.shape, Y.shape], "np.where");
  const full = (a: NDArray, dt: DType) => {
    const b = castArray(a, dt);
    return shapesEqual(b.shape, shape) ? b : broadcastTo(b, shape);
  };
  const xs = full(X, dtype).data, ys = full(Y, dtype).data, m = full(c.mask, "bool").data;
  const n = shapeSize(shape);
  const out = allocate(dtype, n);
  if (isComplex(dtype)) {
    for (let i = 0; i < n; i++) {
      const src = m[i] ? xs : ys;
      out[2 * i] = src[2 * i];
      out[2 * i + 1] = src[2 * i + 1];
    }
  } else for (let i = 0; i < n; i++) out[i] = m[i] ? xs[i] : ys[i];
  return new NDArray(out, shape, dtype);
}

// Linear in (x, y) for a fixed condition: the JVP is `where` on the tangents. The condition travels in a
// wrapper object so that the tracer treats it as a parameter, not as an operand to zero out.
const wherePrim = definePrimitive("where", {
  impl: whereImpl,
  linear: true,
  argNames: ["x", "y"],
  vjp: [
    (g, _ans, x: NDArray, _y, c: Mask) => unbroadcast(wherePrim(g, 0, c), x),
    (g, _ans, _x, y: NDArray, c: Mask) => unbroadcast(wherePrim(0, g, c), y),
  ],
});

const toMask = (c: NDArray): NDArray => (c.dtype === "bool" ? c : castArray(c, "bool"));

/**
 * np.where(condition, x, y): x where the condition holds, y elsewhere, all three broadcast together;
 * differentiable in x and y. np.where(condition) is np.nonzero(condition).
 */
export function where(condition: ArrayLike): NDArray[];
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray;
export function where(condition: ArrayLike, x?: ArrayLike, y?: ArrayLike): NDArray | NDArray[] {
  if (x === undefined && y === undefined) return nonzero(condition);
  if (x === undefined || y === undefined) throw new ValueError("np.where: either both or neither of x and y should be given");
  const mask = toMask(plain(condition, "np.where"));
  const X = operand(x, "np.where"), Y = operand(y, "np.where");
  broadcastMany([mask.shape, typeof X === "number" ? [] : X.shape, typeof Y === "number" ? [] : Y.shape], "np.where");
  return wherePrim(X, Y, { mask });
}

// ---- positions: nonzero, argwhere, flatnonzero -----------------------------------------------------------------

function nonzeroFlat(x: NDArray): number[] {
  const hits: number[] = [];
  const d = x.data;
  if (isComplex(x.dtype)) {
    for (let i = 0; i < x.size; i++) if (d[2 * i] !== 0 || d[2 * i + 1] !== 0) hits.push(i);
  } else for (let i = 0; i < x.size; i++) if (d[i] !== 0) hits.push(i);
  return hits;
}

/** np.nonzero(a): one int32 index array per dimension, listing the nonzero entries in C order. */
export function nonzero(a: ArrayLike): NDArray[] {
  const x = plain(a, "np.nonzero");
  if (x.ndim === 0) {
    throw new ValueError("np.nonzero: calling nonzero on 0d arrays is not allowed; use np.atleast_1d(scalar) first");
  }
  const hits = nonzeroFlat(x);
  const strides = stridesOf(x.shape);
  return x.shape.map((n, j) => int32(hits.map((h) => Math.floor(h / strides[j]) % n)));
}

/** np.argwhere(a): the indices of nonzero entries as an (N, a.ndim) int32 array. */
export function argwhere(a: ArrayLike): NDArray {
  const x = plain(a, "np.argwhere");
  const hits = nonzeroFlat(x);
  const strides = stridesOf(x.shape);
  const out = new Int32Array(hits.length * x.ndim);
  hits.forEach((h, k) => x.shape.forEach((n, j) => (out[k * x.ndim + j] = Math.floor(h / strides[j]) % n)));
  return new NDArray(out, [hits.length, x.ndim], "int32");
}

/** np.flatnonzero(a): indices of nonzero entries of the flattened array. */
export function flatnonzero(a: ArrayLike): NDArray {
  return int32(nonzeroFlat(plain(a, "np.flatnonzero")));
}

// ---- reordering: roll, flip, rot90 -----------------------------------------------------------------------------

/** np.roll(a, shift, axis?): elements shifted cyclically; without axis the flattened array is rolled. */
export function roll(a: ArrayLike, shift: number | readonly number[], axis?: Axis | { axis?: Axis }): NDArray {
  const x = arr(a, "np.roll");
  const o = options("np.roll", axis, ["axis"], true);
  if (o.axis === undefined || o.axis === null) return reshape(roll(ravel(x), shift, 0), x.shape);
  const shifts = intList(shift, "np.roll", "shift");
  const axes = (typeof o.axis === "number" ? [o.axis] : Array.from(o.axis as number[])).map((ax) =>
    normalizeAxis(ax, x.ndim, "np.roll"),
  );
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ValueError(
      `np.roll: 'shift' and 'axis' should be scalars or 1D sequences of the same length, got ${shifts.length} shifts and ${axes.length} axes`,
    );
  }
  const total = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < Math.max(shifts.length, axes.length); k++) {
    total[axes[axes.length === 1 ? 0 : k]] += shifts[shifts.length === 1 ? 0 : k];
  }
  let y = x;
  total.forEach((s, ax) => {
    const n = x.shape[ax];
    if (n === 0 || mod(s, n) === 0) return;
    y = takeAxis(y, range(n).map((i) => mod(i - s, n)), ax);
  });
  return y;
}

/** np.flip(m, axis?): reverses the order of elements along the given axes (all axes by default). */
export function flip(m: ArrayLike, axis?: Axis | { axis?: Axis }): NDArray {
  const x = arr(m, "np.flip");
  const o = options("np.flip", axis, ["axis"], true);
  const axes = axesOf(o.axis, x.ndim, "np.flip");
  if (axes.length === 0) return x;
  return index(x, ...x.shape.map((_, i) => (axes.includes(i) ? "::-1" : ":")));
}

/** np.flipud(m): flip along axis 0. */
export function flipud(m: ArrayLike): NDArray {
  const x = arr(m, "np.flipud");
  if (x.ndim < 1) throw new ValueError(`np.flipud: input must be >= 1-d, got an array of dimension ${x.ndim}`);
  return flip(x, 0);
}

/** np.fliplr(m): flip along axis 1. */
export function fliplr(m: ArrayLike): NDArray {
  const x = arr(m, "np.fliplr");
  if (x.ndim < 2) throw new ValueError(`np.fliplr: input must be >= 2-d, got an array of dimension ${x.ndim}`);
  return flip(x, 1);
}

/** np.rot90(m, k = 1, axes = [0, 1]): rotation by 90 degrees k times, from the first axis towards the second. */
export function rot90(m: ArrayLike, ...rest: (number | readonly number[] | { k?: number; axes?: readonly number[] } | undefined)[]): NDArray {
  const x = arr(m, "np.rot90");
  const o = params("np.rot90", rest, ["k", "axes"]);
  const k0 = intArg(o.k, "np.rot90", "k", 1);
  const axes = (o.axes ?? [0, 1]) as number[];
  if (!Array.isArray(axes) || axes.length !== 2) {
    throw new ValueError(`np.rot90: len(axes) must be 2, got axes ${JSON.stringify(axes)}`);
  }
  if (axes[0] === axes[1] || Math.abs(axes[0] - axes[1]) === x.ndim) {
    throw new ValueError(`np.rot90: axes must be different, got axes ${JSON.stringify(axes)} for an array of dimension ${x.ndim}`);
  }
  if (axes.some((a) => !Number.isInteger(a) || a >= x.ndim || a < -x.ndim)) {
    throw new ValueError(`np.rot90: axes=${JSON.stringify(axes)} out of range for array of ndim=${x.ndim}`);
  }
  const [a0, a1] = axes.map((a) => normalizeAxis(a, x.ndim, "np.rot90"));
  const k = mod(k0, 4);
  if (k === 0) return x;
  if (k === 2) return flip(flip(x, a0), a1);
  const perm = range(x.ndim);
  [perm[a0], perm[a1]] = [perm[a1], perm[a0]];
  return k === 1 ? transpose(flip(x, a1), perm) : flip(transpose(x, perm), a1);
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

// ---- repetition: repeat, tile ----------------------------------------------------------------------------------

/** np.repeat(a, repeats, axis?): each element repeated `repeats` times (an int, or one count per element). */
export function repeat(a: ArrayLike, repeats: ArrayLike, axis?: number | null | { axis?: number | null }): NDArray {
  let x = arr(a, "np.repeat");
  const o = options("np.repeat", axis, ["axis"], true);
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis, x.ndim, "np.repeat");
  const n = x.shape[ax];
  const r = typeof repeats === "number" ? null : plain(repeats, "np.repeat");
  if (r && r.ndim > 1) throw new ValueError(`np.repeat: repeats must be an integer or a 1-d array, got shape ${fmtShape(r.shape)}`);
  let counts = intList(repeats, "np.repeat", "repeats");
  if (counts.length === 1) counts = new Array<number>(n).fill(counts[0]);
  else if (counts.length !== n) {
    throw new ValueError(`np.repeat: repeats of length ${counts.length} cannot be broadcast to axis ${ax} of length ${n}`);
  }
  if (counts.some((c) => c < 0)) throw new ValueError(`np.repeat: repeats may not contain negative values, got ${JSON.stringify(counts)}`);
  const idx: number[] = [];
  counts.forEach((c, i) => {
    for (let j = 0; j < c; j++) idx.push(i);
  });
  return takeAxis(x, idx, ax);
}

/** np.tile(A, reps): A repeated reps[i] times along each axis (reps padded with ones on the left, as numpy). */
export function tile(A: ArrayLike, reps: number | readonly number[]): NDArray {
  const x = arr(A, "np.tile");
  let r = intList(reps, "np.tile", "reps");
  if (r.some((k) => k < 0)) throw new ValueError(`np.tile: reps must be non-negative, got ${JSON.stringify(r)}`);
  let shape = x.shape.slice();
  if (shape.length < r.length) shape = [...new Array<number>(r.length - shape.length).fill(1), ...shape];
  if (r.length < shape.length) r = [...new Array<number>(shape.length - r.length).fill(1), ...r];
  if (r.every((k) => k === 1)) return reshape(x, shape);
  // interleave size-1 axes, broadcast them to the repetition counts, then merge each pair
  const spread = shape.flatMap((d) => [1, d]);
  const target = shape.flatMap((d, i) => [r[i], d]);
  return reshape(broadcast_to(reshape(x, spread), target), shape.map((d, i) => d * r[i]));
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

// ---- triangles ----------------------------------------------------------------------------------------------------

function triangle(where: string, m: ArrayLike, k: number | { k?: number } | undefined, lower: boolean): NDArray {
  const x = arr(m, where);
  const kk = intArg(typeof k === "object" ? options(where, k, ["k"]).k : k, where, "k", 0);
  if (x.ndim === 0) throw new ValueError(`${where}: input must be at least 1-d, got a 0-d array`);
  const [M, N] = x.ndim === 1 ? [x.shape[0], x.shape[0]] : x.shape.slice(-2);
  const mask = new Uint8Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) mask[i * N + j] = (lower ? j - i <= kk : j - i >= kk) ? 1 : 0;
  return wherePrim(x, 0, { mask: new NDArray(mask, [M, N], "bool") });
}

/** np.tril(m, k = 0): zeros above the k-th diagonal (of the last two axes; a 1-d input gives a square matrix). */
export function tril(m: ArrayLike, k?: number | { k?: number }): NDArray {
  return triangle("np.tril", m, k, true);
}

/** np.triu(m, k = 0): zeros below the k-th diagonal. */
export function triu(m: ArrayLike, k?: number | { k?: number }): NDArray {
  return triangle("np.triu", m, k, false);
}

// ---- pad ---------------------------------------------------------------------------------------------------------

type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap" | "empty";
const PAD_MODES: readonly PadMode[] = ["constant", "edge", "reflect", "symmetric", "wrap", "empty"];

/** numpy's per-axis (before, after) pairs: a scalar, (k,), (before, after), ((b, a),) or one pair per axis. */
function padPairs(where: string, what: string, v: unknown, ndim: number): number[][] {
  const a = plain(v as ArrayLike, where);
  let ok = a.ndim <= 2;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes(a.shape, [ndim, 2]), [ndim, 2]);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new ValueError(
      `${where}: ${what} of shape ${fmtShape(a.shape)} cannot be broadcast to (${ndim}, 2), one (before, after) pair per axis`,
    );
  }
  const b = broadcastTo(castArray(a, "float64"), [ndim, 2]);
  return range(ndim).map((i) => [Number(b.data[2 * i]), Number(b.data[2 * i + 1])]);
}

/** Source position along an axis of length n for padded coordinate j (j < 0 before the data, j >= n after it). */
function padSource(mode: PadMode, j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  switch (mode) {
    case "edge":
      return j < 0 ? 0 : n - 1;
    case "wrap":
      return mod(j, n);
    case "symmetric": {
      const m = mod(j, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    default: {
      // reflect (without repeating the edge), periodic with period 2(n - 1)
      if (n === 1) return 0;
      const m = mod(j, 2 * (n - 1));
      return m < n ? m : 2 * (n - 1) - m;
    }
  }
}

/**
 * np.pad(array, pad_width, mode = "constant", { constant_values }): modes "constant" (differentiable in the
 * constant values too), "edge", "reflect", "symmetric", "wrap" (and "empty", filled with zeros).
 */
export function pad(
  array: ArrayLike,
  pad_width: number | readonly number[] | readonly (readonly number[])[] | NDArray,
  ...rest: (PadMode | { mode?: PadMode; constant_values?: ArrayLike; reflect_type?: "even" } | undefined)[]
): NDArray {
  const where = "np.pad";
  const x = arr(array, where);
  const o = params(where, rest, ["mode"], ["constant_values", "reflect_type"]);
  const mode = (o.mode ?? "constant") as PadMode;
  if (!PAD_MODES.includes(mode)) {
    throw new ValueError(`${where}: mode ${JSON.stringify(mode)} is not supported; expected one of ${PAD_MODES.map((m) => `"${m}"`).join(", ")}`);
  }
  if (o.reflect_type !== undefined && o.reflect_type !== "even") {
    throw new ValueError(`${where}: reflect_type ${JSON.stringify(o.reflect_type)} is not supported; only "even" is`);
  }
  if (o.constant_values !== undefined && mode !== "constant") {
    throw new ValueError(`${where}: unsupported keyword argument 'constant_values' for mode ${JSON.stringify(mode)}`);
  }
  const widths = padPairs(where, "pad_width", pad_width, x.ndim);
  for (const w of widths.flat()) {
    if (!Number.isInteger(w) || w < 0) throw new ValueError(`${where}: pad_width must contain non-negative integers, got ${w}`);
  }
  let y = x;
  if (mode === "constant" || mode === "empty") {
    const cv = o.constant_values ?? 0;
    const cvArr = typeof cv === "number" ? null : arr(cv as ArrayLike, where);
    const scalarCv = cvArr === null || cvArr.ndim === 0;
    if (!scalarCv) padPairs(where, "constant_values", getValue(cvArr!), x.ndim); // validates the shape
    for (let ax = 0; ax < x.ndim; ax++) {
      const [before, after] = widths[ax];
      if (before === 0 && after === 0) continue;
      const value = (side: 0 | 1): Operand => {
        if (scalarCv) return cvArr ?? (cv as number);
        // the value for (axis, side) from a broadcastable (ndim, 2) array, kept differentiable
        const c2 = cvArr!.ndim === 2 ? cvArr! : reshape(cvArr!, [1, cvArr!.size]);
        return index(c2, c2.shape[0] === 1 ? 0 : ax, c2.shape[1] === 1 ? 0 : side);
      };
      const block = (width: number, side: 0 | 1) => {
        const shape = y.shape.slice();
        shape[ax] = width;
        // a block of the constant, in the result dtype of x (numpy keeps x's dtype)
        const v = value(side);
        return broadcast_to(typeof v === "number" ? scalar(v, x.dtype) : astype(v, x.dtype), shape);
      };
      const parts: NDArray[] = [];
      if (before > 0) parts.push(block(before, 0));
      parts.push(y);
      if (after > 0) parts.push(block(after, 1));
      y = concatenate(parts, { axis: ax });
    }
    return y;
  }
  for (let ax = 0; ax < x.ndim; ax++) {
    const [before, after] = widths[ax];
    if (before === 0 && after === 0) continue;
    const n = x.shape[ax];
    if (n === 0) {
      throw new ValueError(`${where}: can't extend empty axis ${ax} using modes other than "constant" or "empty"`);
    }
    y = takeAxis(y, range(before + n + after).map((i) => padSource(mode, i - before, n)), ax);
  }
  return y;
}

// ---- differences ---------------------------------------------------------------------------------------------------

/** np.diff(a, n = 1, axis = -1, { prepend, append }): n-th discrete difference along an axis. */
export function diff(
  a: ArrayLike,
  ...rest: (number | { n?: number; axis?: number; prepend?: ArrayLike; append?: ArrayLike } | undefined)[]
): NDArray {
  const where = "np.diff";
  let x = arr(a, where);
  const o = params(where, rest, ["n", "axis"], ["prepend", "append"]);
  const n = intArg(o.n, where, "n", 1);
  if (n < 0) throw new ValueError(`${where}: order must be non-negative but got ${n}`);
  if (x.ndim === 0) throw new ValueError(`${where}: diff requires input that is at least one dimensional`);
  const ax = normalizeAxis(intArg(o.axis, where, "axis", -1), x.ndim, where);
  if (n === 0) return x;
  const edge = (v: unknown) => {
    const e = arr(v as ArrayLike, where);
    if (e.ndim > 0) return e;
    const shape = x.shape.slice();
    shape[ax] = 1;
    return broadcast_to(e, shape);
  };
  if (o.prepend !== undefined || o.append !== undefined) {
    x = concatenate([...(o.prepend !== undefined ? [edge(o.prepend)] : []), x, ...(o.append !== undefined ? [edge(o.append)] : [])], { axis: ax });
  }
  for (let k = 0; k < n; k++) {
    const len = x.shape[ax];
    if (len === 0) break;
    const hi = slice1(x, ax, 1, len), lo = slice1(x, ax, 0, len - 1);
    x = x.dtype === "bool" ? not_equal(hi, lo) : subtract(hi, lo);
  }
  return x;
}

// ---- take, take_along_axis -----------------------------------------------------------------------------------------

type TakeMode = "raise" | "wrap" | "clip";

/** Integer positions along an axis of length n, normalized per numpy's take modes. */
function normalizeIndices(where: string, idx: NDArray, n: number, axis: number, mode: TakeMode): Int32Array {
  const out = new Int32Array(idx.size);
  if (idx.dtype === "bool" || isComplex(idx.dtype)) {
    throw new IndexError(`${where}: indices must be integers, got dtype ${idx.dtype}`);
  }
  for (let i = 0; i < idx.size; i++) {
    const k = Number(idx.data[i]);
    if (!Number.isInteger(k)) throw new IndexError(`${where}: indices must be integers, got ${k}`);
    if (mode === "wrap") {
      if (n === 0) throw new IndexError(`${where}: cannot do a non-empty take from an empty axis ${axis}`);
      out[i] = mod(k, n);
    } else if (mode === "clip") {
      if (n === 0) throw new IndexError(`${where}: cannot do a non-empty take from an empty axis ${axis}`);
      out[i] = Math.min(Math.max(k, 0), n - 1);
    } else {
      if (k < -n || k >= n) throw new IndexError(`${where}: index ${k} is out of bounds for axis ${axis} with size ${n}`);
      out[i] = k < 0 ? k + n : k;
    }
  }
  return out;
}

/**
 * np.take(a, indices, axis?, { mode }): elements at `indices` along an axis (of the flattened array without
 * axis). The result has shape a.shape[:axis] + indices.shape + a.shape[axis+1:]; repeated indices accumulate
 * gradients.
 */
export function take(
  a: ArrayLike,
  indices: ArrayLike,
  ...rest: (number | null | { axis?: number | null; mode?: TakeMode } | undefined)[]
): NDArray {
  const where = "np.take";
  let x = arr(a, where);
  const o = params(where, rest, ["axis"], ["mode"]);
  const mode = (o.mode ?? "raise") as TakeMode;
  if (!["raise", "wrap", "clip"].includes(mode)) {
    throw new ValueError(`${where}: mode must be "raise", "wrap" or "clip", got ${JSON.stringify(mode)}`);
  }
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis as number, x.ndim, where);
  const idx = plain(indices, where);
  const pos = normalizeIndices(where, idx, x.shape[ax], ax, mode);
  const ix: Index[] = x.shape.slice(0, ax).map(() => ":");
  ix.push(idx.ndim === 0 ? pos[0] : new NDArray(pos, idx.shape.slice(), "int32"));
  return index(x, ...ix);
}

/**
 * np.take_along_axis(arr, indices, axis = -1): out[..., j, ...] = arr[..., indices[..., j, ...], ...], with
 * indices and arr broadcast against each other on the other axes (axis null: flattened arr, 1-d indices).
 * Pairs with argsort/argmax(keepdims) results.
 */
export function take_along_axis(arr_: ArrayLike, indices: ArrayLike, axis?: number | null | { axis?: number | null }): NDArray {
  const where = "np.take_along_axis";
  let x = arr(arr_, where);
  const o = axis === null ? { axis: null } : options(where, axis, ["axis"], true);
  const idx = plain(indices, where);
  let ax: number;
  if (o.axis === null) {
    if (idx.ndim !== 1) throw new ValueError(`${where}: when axis=None, \`indices\` must have a single dimension, got shape ${fmtShape(idx.shape)}`);
    x = ravel(x);
    ax = 0;
  } else {
    if (idx.ndim !== x.ndim) {
      throw new ValueError(
        `${where}: \`indices\` and \`arr\` must have the same number of dimensions, got ${idx.ndim} and ${x.ndim}`,
      );
    }
    ax = normalizeAxis((o.axis as number | undefined) ?? -1, x.ndim, where);
  }
  const n = x.shape[ax];
  const pos = normalizeIndices(where, idx, n, ax, "raise");
  // output shape: indices' length along the axis, broadcast with arr elsewhere
  const others = x.shape.map((d, i) => (i === ax ? 1 : d));
  const idxOthers = idx.shape.map((d, i) => (i === ax ? 1 : d));
  let bshape: number[];
  try {
    bshape = broadcastShapes(others, idxOthers);
  } catch {
    throw new ShapeError(`${where}: shape mismatch: indices of shape ${fmtShape(idx.shape)} cannot be broadcast against arr of shape ${fmtShape(x.shape)} (outside axis ${ax})`);
  }
  const outShape = bshape.map((d, i) => (i === ax ? idx.shape[ax] : d));
  const nd = outShape.length;
  const xs = stridesOf(x.shape), is = stridesOf(idx.shape);
  const total = shapeSize(outShape);
  const positions = new Int32Array(total);
  const ctr = new Array<number>(nd).fill(0);
  for (let k = 0; k < total; k++) {
    let src = 0, ip = 0;
    for (let d = 0; d < nd; d++) {
      const c = ctr[d];
      ip += (idx.shape[d] === 1 ? 0 : c) * is[d];
      if (d !== ax) src += (x.shape[d] === 1 ? 0 : c) * xs[d];
    }
    positions[k] = src + pos[ip] * xs[ax];
    for (let d = nd - 1; d >= 0; d--) {
      if (++ctr[d] < outShape[d]) break;
      ctr[d] = 0;
    }
  }
  return gatherFlat(x, positions, outShape);
}

// ---- cumprod --------------------------------------------------------------------------------------------------------

/**
 * np.cumprod(a, axis?): cumulative product (of the flattened array without axis). Computed as a log-depth
 * scan of multiplications (Hillis–Steele), so its gradient is exact even where the input has zeros.
 */
export function cumprod(a: ArrayLike, axis?: number | null | { axis?: number | null; dtype?: DType }): NDArray {
  const where = "np.cumprod";
  let x = arr(a, where);
  const o = options(where, axis, ["axis", "dtype"], true);
  if (o.dtype !== undefined && o.dtype !== null) x = astype(x, o.dtype);
  if (x.dtype === "bool") x = castArray(getValue(x), "int32");
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis as number, x.ndim, where);
  const n = x.shape[ax];
  let y = x;
  for (let d = 1; d < n; d *= 2) {
    y = concatenate([slice1(y, ax, 0, d), multiply(slice1(y, ax, d, n), slice1(y, ax, 0, n - d))], { axis: ax });
  }
  return y;
}

// ---- sorting ---------------------------------------------------------------------------------------------------------

/** numpy's sort order: NaN last; complex lexicographic (real part, then imaginary part). */
function comparator(x: NDArray): (i: number, j: number) => number {
  const d = x.data;
  const cmp = (a: number, b: number): number => {
    if (a < b) return -1;
    if (a > b) return 1;
    const na = a !== a, nb = b !== b;
    return na === nb ? 0 : na ? 1 : -1;
  };
  if (isComplex(x.dtype)) return (i, j) => cmp(d[2 * i], d[2 * j]) || cmp(d[2 * i + 1], d[2 * j + 1]) || i - j;
  return (i, j) => cmp(d[i], d[j]) || i - j;
}

/** Stable argsort of a plain array along one axis: int32 positions along that axis. */
function argsortAlong(x: NDArray, axis: number): NDArray {
  const n = x.shape[axis];
  const inner = shapeSize(x.shape.slice(axis + 1));
  const outer = shapeSize(x.shape.slice(0, axis));
  const out = new Int32Array(x.size);
  const cmp = comparator(x);
  const line = new Array<number>(n);
  for (let p = 0; p < outer; p++)
    for (let i = 0; i < inner; i++) {
      const base = p * n * inner + i;
      for (let k = 0; k < n; k++) line[k] = base + k * inner;
      line.sort(cmp);
      for (let k = 0; k < n; k++) out[base + k * inner] = (line[k] - base) / inner;
    }
  return new NDArray(out, x.shape.slice(), "int32");
}

type SortAxis = number | null | { axis?: number | null; kind?: string; order?: unknown; stable?: boolean };

function sortAxis(where: string, x: NDArray, axis: SortAxis | undefined): [NDArray, number] {
  const o = axis === null ? { axis: null } : options(where, axis, ["axis", "kind", "order", "stable"], true);
  if (o.order !== undefined) throw new ValueError(`${where}: the 'order' option (structured arrays) is not supported`);
  if (o.axis === null) return [ravel(x), 0];
  if (x.ndim === 0) throw new ValueError(`${where}: axis ${o.axis ?? -1} is out of bounds for array of dimension 0`);
  return [x, normalizeAxis((o.axis as number | undefined) ?? -1, x.ndim, where)];
}

/** np.argsort(a, axis = -1): int32 indices that sort a along the axis (stable; NaN last). Not differentiable. */
export function argsort(a: ArrayLike, axis?: SortAxis): NDArray {
  const [x, ax] = sortAxis("np.argsort", plain(a, "np.argsort"), axis);
  return argsortAlong(x, ax);
}

/** np.sort(a, axis = -1): sorted copy (axis null: flattened). The gradient routes through the permutation. */
export function sort(a: ArrayLike, axis?: SortAxis): NDArray {
  const [x, ax] = sortAxis("np.sort", arr(a, "np.sort"), axis);
  if (x.size === 0) return x;
  const perm = argsortAlong(getValue(x), ax);
  const inner = shapeSize(x.shape.slice(ax + 1));
  const n = x.shape[ax];
  const positions = new Int32Array(x.size);
  for (let k = 0; k < x.size; k++) {
    const i = k % inner, p = Math.floor(k / (n * inner));
    positions[k] = (p * n + perm.data[k]) * inner + i;
  }
  return gatherFlat(x, positions, x.shape.slice());
}

// ---- clip, nan_to_num ----------------------------------------------------------------------------------------------

/**
 * np.clip(a, a_min, a_max): a limited to [a_min, a_max] (either bound may be null; bounds broadcast).
 * Gradient as autograd: g where a_min < a < a_max, else 0 for a; the bounds receive the gradient where they are
 * the answer.
 */
export function clip(a: ArrayLike, a_min: ArrayLike | null, a_max?: ArrayLike | null): NDArray {
  const where = "np.clip";
  const x = arr(a, where);
  const lo = a_min === null || a_min === undefined ? null : operand(a_min, where);
  const hi = a_max === null || a_max === undefined ? null : operand(a_max, where);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported (numpy's ordering of complex numbers is lexicographic)`);
  if (lo === null && hi === null) return x;
  const value = (v: Operand): Operand => (typeof v === "number" ? v : getValue(v));
  // the answer on primal values: numpy's minimum(maximum(a, a_min), a_max) (NaN propagates)
  let ans: NDArray = getValue(x);
  if (lo !== null) ans = maximum(ans, value(lo));
  if (hi !== null) ans = minimum(ans, value(hi));
  // the bounds where they are the answer, a elsewhere: a's gradient is g·(ans ≠ a_min)·(ans ≠ a_max)
  let out: NDArray = x;
  if (lo !== null) out = wherePrim(lo, out, { mask: equal(ans, value(lo)) });
  if (hi !== null) out = wherePrim(hi, out, { mask: equal(ans, value(hi)) });
  return out;
}

/**
 * np.nan_to_num(x, { nan = 0, posinf, neginf }): NaN and infinities replaced by finite numbers (the largest
 * finite value of the dtype by default). Gradient 1 where x is finite, 0 elsewhere.
 */
export function nan_to_num(x: ArrayLike, opts?: { copy?: boolean; nan?: number; posinf?: number | null; neginf?: number | null }): NDArray {
  const where = "np.nan_to_num";
  const a = arr(x, where);
  const o = options(where, opts, ["copy", "nan", "posinf", "neginf"]);
  if (!isInexact(a.dtype)) return a;
  if (isComplex(a.dtype)) {
    return add(nan_to_num(real(a), opts), multiply(nan_to_num(imag(a), opts), complexScalar(0, 1)));
  }
  const big = a.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const nanV = o.nan ?? 0, pos = o.posinf ?? big, neg = o.neginf ?? -big;
  const p = getValue(a);
  const fill = allocate(a.dtype, a.size);
  for (let i = 0; i < a.size; i++) {
    const v = p.data[i];
    fill[i] = v !== v ? nanV : v === Infinity ? pos : v === -Infinity ? neg : 0;
  }
  return wherePrim(a, new NDArray(fill, a.shape.slice(), a.dtype), { mask: isfinite(p) });
}

// ---- meshgrid ------------------------------------------------------------------------------------------------------

type MeshOpts = { indexing?: "xy" | "ij"; sparse?: boolean; copy?: boolean };

/**
 * np.meshgrid(...xi, { indexing = "xy", sparse = false }): coordinate matrices from coordinate vectors
 * (each input is flattened). "xy" swaps the first two output dimensions, as numpy. Differentiable.
 */
export function meshgrid(...args: (ArrayLike | MeshOpts)[]): NDArray[] {
  const where = "np.meshgrid";
  const last = args[args.length - 1];
  const o = args.length && isOptionsObject(last) ? options(where, last, ["indexing", "sparse", "copy"]) : {};
  const xs = (args.length && isOptionsObject(last) ? args.slice(0, -1) : args).map((v) => ravel(arr(v as ArrayLike, where)));
  const indexing = o.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new ValueError(`${where}: valid values for \`indexing\` are 'xy' and 'ij', got ${JSON.stringify(indexing)}`);
  }
  const nd = xs.length;
  const sizes = xs.map((x) => x.size);
  const swap = indexing === "xy" && nd > 1;
  const outShape = sizes.slice();
  if (swap) [outShape[0], outShape[1]] = [outShape[1], outShape[0]];
  return xs.map((x, i) => {
    // the output axis that carries input i
    const dim = swap && i < 2 ? 1 - i : i;
    const s = new Array<number>(nd).fill(1);
    s[dim] = x.size;
    const r = reshape(x, s);
    return o.sparse ? r : broadcast_to(r, outShape);
  });
}
