// Selection and inspection helpers: array predicates (isreal, iscomplexobj, shape, ndim, size, result_type),
// counting (count_nonzero, bincount, histogram), unique, searchsorted, and order statistics (percentile,
// quantile, median).
//
// Most of these are non-differentiable, as in autograd: they read primal values and return constants. The
// exceptions are built from differentiable pieces: bincount and histogram with weights (a scatter-add, linear
// in the weights) and percentile/quantile/median (sort, then gather and interpolate with constant weights, so
// the gradient flows to the order statistics used).
import { type DType, assertDType, isComplex, promote, promoteWithScalar } from "../array/dtype";
import { type ArrayLike, type Complex, NDArray, describe } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { fmtShape, normalizeAxes, normalizeAxis, reducedShape, shapeSize } from "../array/shape";
import { reduceAxes } from "../array/kernels";
import { getValue } from "../core/tracer";
import { arr, isComplexValue, isOptionsObject, options, params, range } from "./args";
import { divide, equal, multiply, not_equal, subtract, add } from "./binary";
import { imag } from "./complexParts";
import { astype, reshape, transpose } from "./basis";
import { zeros } from "./creation";
import { index } from "./indexing";
import { stack } from "./join";
import { sum } from "./reductions";
import { ravel } from "./shape";
import { sort } from "./sorting";
import { where as whereOf } from "./where";

const plain = (x: ArrayLike, where: string): NDArray => getValue(arr(x, where));

// ---- predicates and properties -------------------------------------------------------------------------------------

/** np.isreal(x): elementwise, true where the imaginary part is zero (everywhere for real dtypes). */
export function isreal(x: ArrayLike): NDArray {
  const a = plain(x, "np.isreal");
  return isComplex(a.dtype) ? equal(imag(a), 0) : boolFill(a.shape, 1);
}

/** np.iscomplex(x): elementwise, true where the imaginary part is nonzero. */
export function iscomplex(x: ArrayLike): NDArray {
  const a = plain(x, "np.iscomplex");
  return isComplex(a.dtype) ? not_equal(imag(a), 0) : boolFill(a.shape, 0);
}

const boolFill = (shape: number[], v: 0 | 1) => new NDArray(new Uint8Array(shapeSize(shape)).fill(v), shape.slice(), "bool");

/** np.iscomplexobj(x): whether x has a complex dtype (regardless of its values). */
export function iscomplexobj(x: ArrayLike): boolean {
  if (isComplexValue(x)) return true;
  return isComplex(arr(x, "np.iscomplexobj").dtype);
}

/** np.isrealobj(x): not iscomplexobj(x). */
export function isrealobj(x: ArrayLike): boolean {
  return !iscomplexobj(x);
}

/** np.isscalar(x): true for JS numbers, booleans and complex values {re, im}; false for arrays (even 0-d). */
export function isscalar(x: unknown): boolean {
  return typeof x === "number" || typeof x === "boolean" || isComplexValue(x);
}

/** np.shape(a): the shape as a list of numbers. */
export function shape(a: ArrayLike): number[] {
  return arr(a, "np.shape").shape.slice();
}

/** np.ndim(a): the number of dimensions. */
export function ndim(a: ArrayLike): number {
  return arr(a, "np.ndim").ndim;
}

/** np.size(a, axis?): the number of elements (along one axis when given). */
export function size(a: ArrayLike, axis?: number | null | { axis?: number | null }): number {
  const x = arr(a, "np.size");
  const o = options("np.size", axis, ["axis"], true);
  if (o.axis === undefined || o.axis === null) return x.size;
  return x.shape[normalizeAxis(o.axis, x.ndim, "np.size")];
}

/**
 * np.result_type(...arrays_and_dtypes): the dtype numpy's promotion gives. JS numbers are weak scalars (they
 * only matter when they don't fit the array dtypes); dtype names count as arrays of that dtype.
 */
export function result_type(...arrays_and_dtypes: (ArrayLike | DType | string)[]): DType {
  if (arrays_and_dtypes.length === 0) throw new ValueError("np.result_type: at least one array or dtype is required");
  let d: DType | null = null;
  const numbers: number[] = [];
  for (const v of arrays_and_dtypes) {
    if (typeof v === "string") {
      const dt = assertDType(v, "np.result_type");
      d = d === null ? dt : promote(d, dt);
    }
    else if (typeof v === "number") numbers.push(v);
    else {
      const dt: DType = typeof v === "boolean" ? "bool" : isComplexValue(v) ? "complex128" : arr(v, "np.result_type").dtype;
      d = d === null ? dt : promote(d, dt);
    }
  }
  if (d === null) return numbers.every(Number.isInteger) ? "int32" : "float64";
  for (const n of numbers) d = promoteWithScalar(d, n);
  return d;
}

// ---- counting ---------------------------------------------------------------------------------------------------

/** np.count_nonzero(a, axis?, { keepdims }): a number without axis, else an int32 array. */
export function count_nonzero(a: ArrayLike, ...rest: (number | number[] | null | { axis?: number | number[] | null; keepdims?: boolean } | undefined)[]): any {
  const x = plain(a, "np.count_nonzero");
  const o = params("np.count_nonzero", rest, ["axis"], ["keepdims"]);
  const nz = isComplex(x.dtype) ? not_equal(x, 0) : x;
  const axes = normalizeAxes(o.axis, x.ndim, "np.count_nonzero");
  const r = reduceAxes(nz, axes, reducedShape(x.shape, axes, !!o.keepdims), "int32", 0, (acc, v) => acc + (v !== 0 ? 1 : 0));
  return (o.axis === undefined || o.axis === null) && !o.keepdims ? r.data[0] : r;
}

/** Non-negative integer values of a 1-d array (bincount's input). */
function countIndices(where: string, x: NDArray): Int32Array {
  if (x.ndim !== 1) throw new ValueError(`${where}: x must be a 1-d array of non-negative integers, got shape ${fmtShape(x.shape)}`);
  if (x.dtype === "bool" || isComplex(x.dtype)) throw new TypeError(`${where}: x must contain integers, got dtype ${x.dtype}`);
  const out = new Int32Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const v = Number(x.data[i]);
    if (!Number.isInteger(v)) throw new TypeError(`${where}: x must contain integers, got ${v}`);
    if (v < 0) throw new ValueError(`${where}: x must have no negative elements, got ${v}`);
    out[i] = v;
  }
  return out;
}

/**
 * np.bincount(x, weights?, minlength = 0): occurrences of each value 0..max(x) (int32), or sums of `weights`
 * per value (float64, differentiable in the weights).
 */
export function bincount(x: ArrayLike, ...rest: (ArrayLike | null | { weights?: ArrayLike | null; minlength?: number } | undefined)[]): NDArray {
  const where = "np.bincount";
  const idx = countIndices(where, plain(x, where));
  const o = params(where, rest, ["weights", "minlength"]);
  const minlength = o.minlength ?? 0;
  if (!Number.isInteger(minlength) || minlength < 0) throw new ValueError(`${where}: minlength must be a non-negative integer, got ${describe(minlength)}`);
  let n = minlength;
  for (let i = 0; i < idx.length; i++) if (idx[i] + 1 > n) n = idx[i] + 1;
  if (o.weights === undefined || o.weights === null) {
    const out = new Int32Array(n);
    for (let i = 0; i < idx.length; i++) out[idx[i]]++;
    return new NDArray(out, [n], "int32");
  }
  const w = arr(o.weights, where);
  if (w.ndim !== 1 || w.size !== idx.length) {
    throw new ValueError(`${where}: the weights and x arrays must have the same length, got shapes ${fmtShape(w.shape)} and (${idx.length},)`);
  }
  if (isComplex(w.dtype)) throw new TypeError(`${where}: complex weights are not supported`);
  const total = zeros([n]);
  if (idx.length === 0) return total;
  return total.at(new NDArray(idx, [idx.length], "int32")).add(w.dtype === "float64" ? w : astype(w, "float64"));
}

// ---- histogram ---------------------------------------------------------------------------------------------------

/** Bin edges (numpy's: start + i·step, with the exact stop last) and whether they are uniform. */
function binEdges(where: string, a: NDArray, bins: unknown, range_: unknown): number[] {
  if (bins !== undefined && bins !== null && typeof bins !== "number") {
    if (typeof bins === "string") throw new ValueError(`${where}: bins=${JSON.stringify(bins)} estimators are not supported; give a number of bins or the edges`);
    const e = plain(bins as ArrayLike, where);
    if (e.ndim !== 1) throw new ValueError(`${where}: bins must be 1-d when given as edges, got shape ${fmtShape(e.shape)}`);
    const edges = Array.from(e.data as Iterable<number>, Number);
    for (let i = 1; i < edges.length; i++) {
      if (!(edges[i] >= edges[i - 1])) throw new ValueError(`${where}: bins must increase monotonically, got ${JSON.stringify(edges)}`);
    }
    return edges;
  }
  const nb = (bins as number | undefined) ?? 10;
  if (!Number.isInteger(nb) || nb < 1) throw new ValueError(`${where}: bins must be a positive integer, got ${nb}`);
  let lo: number, hi: number;
  if (range_ !== undefined && range_ !== null) {
    const r = plain(range_ as ArrayLike, where);
    if (r.size !== 2) throw new ValueError(`${where}: range must be a pair [min, max], got ${describe(range_)}`);
    [lo, hi] = [Number(r.data[0]), Number(r.data[1])];
    if (lo > hi) throw new ValueError(`${where}: max must be larger than min in range parameter, got range [${lo}, ${hi}]`);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ValueError(`${where}: supplied range of [${lo}, ${hi}] is not finite`);
  } else if (a.size === 0) {
    [lo, hi] = [0, 1];
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < a.size; i++) {
      const v = Number(a.data[i]);
      if (v !== v) { lo = hi = NaN; break; }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new ValueError(`${where}: autodetected range of [${lo}, ${hi}] is not finite`);
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / nb;
  return range(nb + 1).map((i) => (i === nb ? hi : lo + i * step));
}

/** Bin of v for sorted edges (the last bin includes its right edge), or -1 outside. */
function binOf(edges: number[], v: number): number {
  const nb = edges.length - 1;
  if (!(v >= edges[0] && v <= edges[nb])) return -1;
  if (v === edges[nb]) return nb - 1;
  let lo = 0, hi = nb; // edges[lo] <= v < edges[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * np.histogram(a, bins = 10, range?, { density, weights }) → [hist, bin_edges]. Counts are int32; with weights
 * or density they are float64 and differentiable in the weights.
 */
export function histogram(a: ArrayLike, ...rest: unknown[]): [NDArray, NDArray] {
  const where = "np.histogram";
  const x = plain(a, where);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const o = params(where, rest, ["bins", "range", "density", "weights"]);
  const edges = binEdges(where, x, o.bins, o.range);
  const nb = edges.length - 1;
  const edgesArr = new NDArray(Float64Array.from(edges), [edges.length], "float64");
  let w: NDArray | null = null;
  if (o.weights !== undefined && o.weights !== null) {
    w = arr(o.weights, where);
    if (w.shape.join() !== x.shape.join()) throw new ValueError(`${where}: weights should have the same shape as a, got ${fmtShape(w.shape)} and ${fmtShape(x.shape)}`);
    w = ravel(w);
  }
  const bin = new Int32Array(x.size);
  const keep: number[] = [];
  for (let i = 0; i < x.size; i++) {
    bin[i] = binOf(edges, Number(x.data[i]));
    if (bin[i] >= 0) keep.push(i);
  }
  const bins = new NDArray(Int32Array.from(keep, (i) => bin[i]), [keep.length], "int32");
  let hist: NDArray;
  if (w === null) hist = bincount(bins, { minlength: nb });
  else hist = bincount(bins, keep.length === x.size ? w : index(w, new NDArray(Int32Array.from(keep), [keep.length], "int32")), nb);
  if (o.density) {
    const widths = new NDArray(Float64Array.from(range(nb), (i) => edges[i + 1] - edges[i]), [nb], "float64");
    hist = divide(divide(hist, widths), sum(hist));
  }
  return [hist, edgesArr];
}

/** np.histogram_bin_edges(a, bins = 10, range?): the edges np.histogram would use. */
export function histogram_bin_edges(a: ArrayLike, ...rest: unknown[]): NDArray {
  const where = "np.histogram_bin_edges";
  const o = params(where, rest, ["bins", "range", "weights"]);
  const edges = binEdges(where, plain(a, where), o.bins, o.range);
  return new NDArray(Float64Array.from(edges), [edges.length], "float64");
}

// ---- searchsorted, digitize, unique ----------------------------------------------------------------------------

/** numpy's order: NaN after everything. */
const lessNanLast = (a: number, b: number): boolean => a < b || (b !== b && a === a);

/**
 * np.searchsorted(a, v, side = "left", sorter?): insertion points that keep the 1-d array `a` sorted. A number
 * for a scalar v, else an int32 array of v's shape. Not differentiable.
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, ...rest: ("left" | "right" | ArrayLike | { side?: "left" | "right"; sorter?: ArrayLike } | undefined)[]): any {
  const where = "np.searchsorted";
  const A = plain(a, where);
  if (A.ndim !== 1) throw new ValueError(`${where}: a must be 1-d, got shape ${fmtShape(A.shape)}`);
  if (isComplex(A.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const o = params(where, rest, ["side", "sorter"]);
  const side = o.side ?? "left";
  if (side !== "left" && side !== "right") throw new ValueError(`${where}: side must be "left" or "right", got ${JSON.stringify(side)}`);
  let vals = Array.from(A.data as Iterable<number>, Number);
  if (o.sorter !== undefined && o.sorter !== null) {
    const s = plain(o.sorter, where);
    if (s.ndim !== 1 || s.size !== A.size) throw new ValueError(`${where}: sorter must be a 1-d permutation of a's indices, got shape ${fmtShape(s.shape)}`);
    vals = Array.from(s.data as Iterable<number>, (k) => {
      if (!Number.isInteger(k) || k < 0 || k >= A.size) throw new ValueError(`${where}: sorter index ${k} is out of bounds for a of size ${A.size}`);
      return vals[k];
    });
  }
  const V = plain(v, where);
  const out = new Int32Array(V.size);
  for (let i = 0; i < V.size; i++) {
    const q = Number(V.data[i]);
    let lo = 0, hi = vals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const goRight = side === "left" ? lessNanLast(vals[mid], q) : !lessNanLast(q, vals[mid]);
      if (goRight) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return V.ndim === 0 ? out[0] : new NDArray(out, V.shape.slice(), "int32");
}

/**
 * np.digitize(x, bins, right = false): index of the bin each x falls in (bins increasing or decreasing).
 * An int32 array (a number for a scalar x).
 */
export function digitize(x: ArrayLike, bins: ArrayLike, right: boolean | { right?: boolean } = false): any {
  const where = "np.digitize";
  const r = typeof right === "boolean" ? right : !!options(where, right, ["right"]).right;
  const b = plain(bins, where);
  if (b.ndim !== 1) throw new ValueError(`${where}: bins must be 1-dimensional, got shape ${fmtShape(b.shape)}`);
  const e = Array.from(b.data as Iterable<number>, Number);
  const inc = e.every((v, i) => i === 0 || v >= e[i - 1]);
  const dec = e.every((v, i) => i === 0 || v <= e[i - 1]);
  if (!inc && !dec) throw new ValueError(`${where}: bins must be monotonically increasing or decreasing`);
  const side = r ? "left" : "right";
  if (inc) return searchsorted(b, x, side);
  const n = e.length;
  // decreasing bins: search the reversed bins and count from the end (numpy's rule)
  const rev = searchsorted(e.slice().reverse(), x, side);
  return typeof rev === "number" ? n - rev : subtract(n, rev);
}

type UniqueOpts = { return_index?: boolean; return_inverse?: boolean; return_counts?: boolean; axis?: number | null; equal_nan?: boolean };

/**
 * np.unique(ar, { return_index, return_inverse, return_counts, equal_nan = true }): sorted unique values of the
 * flattened array; with any return_* option, a list [unique, index?, inverse?, counts?] (numpy's order; the
 * inverse has ar's shape). Not differentiable.
 */
export function unique(ar: ArrayLike, opts?: UniqueOpts): any {
  const where = "np.unique";
  const x = plain(ar, where);
  const o = options(where, opts, ["return_index", "return_inverse", "return_counts", "axis", "equal_nan"]);
  if (o.axis !== undefined && o.axis !== null) throw new ValueError(`${where}: the axis option is not supported yet`);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const equalNan = o.equal_nan ?? true;
  const n = x.size;
  const vals = x.data;
  const order = range(n).sort((i, j) => {
    const a = Number(vals[i]), b = Number(vals[j]);
    return lessNanLast(a, b) ? -1 : lessNanLast(b, a) ? 1 : i - j;
  });
  const uniq: number[] = [], first: number[] = [], counts: number[] = [];
  const inverse = new Int32Array(n);
  for (const i of order) {
    const v = Number(vals[i]);
    const prev = uniq.length ? uniq[uniq.length - 1] : undefined;
    const same = prev !== undefined && (prev === v || (equalNan && prev !== prev && v !== v));
    if (!same) {
      uniq.push(v);
      first.push(i);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse[i] = uniq.length - 1;
  }
  const values = new NDArray(x.dtype === "bool" ? Uint8Array.from(uniq) : x.dtype === "int32" ? Int32Array.from(uniq) : x.dtype === "float32" ? Float32Array.from(uniq) : Float64Array.from(uniq), [uniq.length], x.dtype);
  if (!o.return_index && !o.return_inverse && !o.return_counts) return values;
  const out: NDArray[] = [values];
  if (o.return_index) out.push(new NDArray(Int32Array.from(first), [first.length], "int32"));
  if (o.return_inverse) out.push(new NDArray(inverse, x.shape.slice(), "int32"));
  if (o.return_counts) out.push(new NDArray(Int32Array.from(counts), [counts.length], "int32"));
  return out;
}

// ---- order statistics --------------------------------------------------------------------------------------------

type QuantileMethod = "linear" | "lower" | "higher" | "nearest" | "midpoint";
const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];
type QOpts = { axis?: number | number[] | null; keepdims?: boolean; method?: QuantileMethod; interpolation?: QuantileMethod; overwrite_input?: boolean };

/**
 * x with the reduced axes moved last and merged into one: [y, shape of the result's non-q part, NaN mask of the
 * slices (NaN propagates, as numpy)].
 */
function reducedLast(where: string, x: NDArray, axis: unknown, keepdims: boolean): { y: NDArray; outShape: number[]; nanMask: NDArray | null } {
  const axes = normalizeAxes(axis as number | number[] | null | undefined, x.ndim, where);
  const kept = range(x.ndim).filter((i) => !axes.includes(i));
  const n = axes.reduce((p, i) => p * x.shape[i], 1);
  if (n === 0) throw new ValueError(`${where}: cannot take a quantile of an empty slice (the reduced axes have size 0)`);
  const moved = transpose(x, [...kept, ...axes]);
  const y = reshape(moved, [...kept.map((i) => x.shape[i]), n]);
  const outShape = reducedShape(x.shape, axes, keepdims);
  // NaN slices
  const p = getValue(y);
  const m = p.size / n;
  let any = false;
  const mask = new Uint8Array(m);
  for (let s = 0; s < m; s++)
    for (let k = 0; k < n; k++) {
      const v = Number(p.data[s * n + k]);
      if (v !== v) {
        mask[s] = 1;
        any = true;
        break;
      }
    }
  return { y, outShape, nanMask: any ? new NDArray(mask, outShape.slice(), "bool") : null };
}

/** Half-to-even rounding (numpy's around). */
const roundHalfEven = (v: number): number => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

function quantileOf(where: string, a: ArrayLike, q: ArrayLike, scale: number, rest: unknown[]): NDArray {
  const x = arr(a, where);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const o = params(where, rest, ["axis"], ["keepdims", "method", "interpolation", "overwrite_input"]) as QOpts;
  const method = o.method ?? o.interpolation ?? "linear";
  if (!METHODS.includes(method)) throw new ValueError(`${where}: method ${JSON.stringify(method)} is not supported; expected one of ${METHODS.join(", ")}`);
  const qa = plain(q, where);
  const qs = Array.from(qa.data as Iterable<number>, (v) => Number(v) / scale);
  for (const [i, v] of qs.entries()) {
    if (!(v >= 0 && v <= 1)) {
      throw new ValueError(
        scale === 100 ? `${where}: percentiles must be in the range [0, 100], got ${Number(qa.data[i])}` : `${where}: quantiles must be in the range [0, 1], got ${v}`,
      );
    }
  }
  const { y, outShape, nanMask } = reducedLast(where, astype(x, x.dtype === "float32" ? "float32" : "float64"), o.axis, !!o.keepdims);
  const n = y.shape[y.ndim - 1];
  const s = sort(y, -1);
  const at = (k: number) => index(s, "...", k);
  const results = qs.map((qv) => {
    const h = (n - 1) * qv;
    const lo = Math.floor(h), hi = Math.min(lo + 1, n - 1);
    let t = h - lo;
    switch (method) {
      case "lower":
        return at(lo);
      case "higher":
        return at(Math.min(Math.ceil(h), n - 1));
      case "nearest":
        return at(roundHalfEven(h));
      case "midpoint":
        t = t === 0 ? 0 : 0.5;
        break;
    }
    if (t === 0) return at(lo);
    // numpy's lerp: a + (b - a)·t, or b - (b - a)·(1 - t) for t >= 0.5
    const a0 = at(lo), b0 = at(hi);
    const d = subtract(b0, a0);
    return t >= 0.5 ? subtract(b0, multiply(d, 1 - t)) : add(a0, multiply(d, t));
  });
  let r = results.map((v) => reshape(v, outShape));
  if (nanMask) r = r.map((v) => whereOf(nanMask, NaN, v));
  return qa.ndim === 0 ? r[0] : reshape(stack(r), [...qa.shape, ...outShape]);
}

/**
 * np.quantile(a, q, axis?, { keepdims, method = "linear" }): q in [0, 1] (a number or an array; array q
 * dimensions come first). Methods "linear", "lower", "higher", "nearest", "midpoint". Differentiable in a.
 */
export function quantile(a: ArrayLike, q: ArrayLike, ...rest: (number | number[] | null | QOpts | undefined)[]): NDArray {
  return quantileOf("np.quantile", a, q, 1, rest);
}

/** np.percentile(a, q, axis?, { keepdims, method }): q in [0, 100]. Differentiable in a. */
export function percentile(a: ArrayLike, q: ArrayLike, ...rest: (number | number[] | null | QOpts | undefined)[]): NDArray {
  return quantileOf("np.percentile", a, q, 100, rest);
}

/** np.median(a, axis?, { keepdims }): the middle value (mean of the two middle values for even counts). Differentiable. */
export function median(a: ArrayLike, ...rest: (number | number[] | null | { axis?: number | number[] | null; keepdims?: boolean; overwrite_input?: boolean } | undefined)[]): NDArray {
  const where = "np.median";
  const x = arr(a, where);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const o = params(where, rest, ["axis"], ["keepdims", "overwrite_input"]);
  const { y, outShape, nanMask } = reducedLast(where, astype(x, x.dtype === "float32" ? "float32" : "float64"), o.axis, !!o.keepdims);
  const n = y.shape[y.ndim - 1];
  const s = sort(y, -1);
  const k = n >> 1;
  const mid = n % 2 === 1 ? index(s, "...", k) : divide(add(index(s, "...", k - 1), index(s, "...", k)), 2);
  const r = reshape(mid, outShape);
  return nanMask ? whereOf(nanMask, NaN, r) : r;
}

// ---- small elementwise predicates ------------------------------------------------------------------------------

/** np.isposinf(x): true where x is +inf. */
export function isposinf(x: ArrayLike): NDArray {
  return equal(plain(x, "np.isposinf"), Infinity);
}

/** np.isneginf(x): true where x is -inf. */
export function isneginf(x: ArrayLike): NDArray {
  return equal(plain(x, "np.isneginf"), -Infinity);
}
