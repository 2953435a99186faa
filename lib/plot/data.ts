// Input coercion for plots: NDArrays (traced ones included), typed arrays and plain JS arrays become plain
// arrays of numbers (or strings, for categorical axes). Pure functions, no plotly here.
//
// NDArrays are recognised by shape (duck typing: `data` typed array + `shape` + `dtype`), so this module does
// not depend on lib/array and works with a traced value too: a box shares its primal value's storage.
import { type NDArrayLike, isNDArrayLike } from "../display/ndarray";

/** What the plotting functions accept for one series of values. */
export type Numeric = ArrayLike<number> | readonly unknown[] | NDArrayLike;

/** The part of an NDArray the plotting and graph modules read (shared with lib/display). */
export type { NDArrayLike };

/** One plottable coordinate value; `null` marks a gap. */
export type Coord = number | string | null;

export { isNDArrayLike };

export function isTypedArray(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** True for anything `toValues` accepts as a series (not for a bare number). */
export function isSeriesLike(v: unknown): boolean {
  return Array.isArray(v) || isTypedArray(v) || isNDArrayLike(v);
}

export const shapeString = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;

function ndSize(a: NDArrayLike): number {
  let n = 1;
  for (const d of a.shape) n *= d;
  return n;
}

function isComplexDType(dtype: string): boolean {
  return dtype.startsWith("complex");
}

function complexError(where: string, what: string): Error {
  return new TypeError(
    `${where}: ${what} is complex; plots need real numbers: pass np.real(${what}), np.imag(${what}) or np.abs(${what})`,
  );
}

/** The single number held by a size-1 NDArray (bool as 0/1). */
function ndScalar(a: NDArrayLike, where: string, what: string): number {
  if (isComplexDType(a.dtype)) throw complexError(where, what);
  return Number(a.data[0]);
}

/** All elements of a real NDArray as numbers, row-major. */
function ndNumbers(a: NDArrayLike, where: string, what: string): number[] {
  if (isComplexDType(a.dtype)) throw complexError(where, what);
  const n = ndSize(a);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = Number(a.data[i]);
  return out;
}

function scalarOf(v: unknown, where: string, what: string, i: number): Coord {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (isNDArrayLike(v) && ndSize(v) === 1) return ndScalar(v, where, `${what}[${i}]`);
  throw new TypeError(
    `${where}: ${what}[${i}] is ${describeValue(v)}; expected a number (or a size-1 NDArray, or a string for a category)`,
  );
}

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (isNDArrayLike(v)) return `an NDArray of shape ${shapeString(v.shape)} (${v.dtype})`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (isTypedArray(v)) return `a ${v.constructor.name} of length ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 30 ? v.slice(0, 30) + "…" : v)}`;
  if (typeof v === "object") return `an object with keys {${Object.keys(v as object).slice(0, 6).join(", ")}}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * One series of values as a plain array. Accepts a 1-d NDArray (or any NDArray with at most one dimension
 * longer than 1, e.g. shape (n, 1)), a typed array, or a plain array of numbers / size-1 NDArrays / strings
 * (categories) / null (gaps). `what` names the argument in error messages ("x", "y[1]").
 */
export function toValues(v: unknown, where: string, what: string): Coord[] {
  if (isNDArrayLike(v)) {
    const long = v.shape.filter((d) => d > 1).length;
    if (long > 1) {
      throw new TypeError(
        `${where}: ${what} must be 1-d, got an NDArray of shape ${shapeString(v.shape)}; ` +
          `pass one row or column (e.g. ${what}.get(0)) or flatten it with np.ravel(${what})`,
      );
    }
    return ndNumbers(v, where, what);
  }
  if (isTypedArray(v)) return Array.from(v, Number);
  if (Array.isArray(v)) {
    const out = new Array<Coord>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = scalarOf(v[i], where, what, i);
    return out;
  }
  if (typeof v === "number" || typeof v === "boolean") return [scalarOf(v, where, what, 0)];
  throw new TypeError(
    `${where}: ${what} must be an array of numbers (NDArray, typed array or plain array), got ${describeValue(v)}`,
  );
}

/** A single number or size-1 NDArray (for `extend`), else null. */
export function asScalar(v: unknown, where: string, what: string): Coord | undefined {
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return scalarOf(v, where, what, 0);
  if (isNDArrayLike(v) && v.shape.length === 0) return ndScalar(v, where, what);
  return undefined;
}

/** A 2-d grid (z of a contour or heatmap): rows follow y, columns follow x. */
export interface Grid {
  z: (number | null)[][];
  rows: number;
  cols: number;
}

export function toGrid(v: unknown, where: string, what = "z"): Grid {
  if (isNDArrayLike(v)) {
    if (v.shape.length !== 2) {
      throw new TypeError(`${where}: ${what} must be 2-d (rows follow y, columns follow x), got shape ${shapeString(v.shape)}`);
    }
    const [rows, cols] = v.shape;
    const flat = ndNumbers(v, where, what);
    const z: number[][] = [];
    for (let r = 0; r < rows; r++) z.push(flat.slice(r * cols, (r + 1) * cols));
    return { z, rows, cols };
  }
  if (Array.isArray(v)) {
    const rows = v.length;
    const z: (number | null)[][] = [];
    let cols = -1;
    for (let r = 0; r < rows; r++) {
      const row = v[r];
      if (!isSeriesLike(row)) {
        throw new TypeError(`${where}: ${what} must be a 2-d array (array of rows); ${what}[${r}] is ${describeValue(row)}`);
      }
      const vals = toValues(row, where, `${what}[${r}]`).map((c) => (typeof c === "string" ? Number(c) : c));
      if (cols < 0) cols = vals.length;
      else if (vals.length !== cols) {
        throw new TypeError(`${where}: ${what} is ragged: row 0 has ${cols} values but row ${r} has ${vals.length}`);
      }
      z.push(vals);
    }
    return { z, rows, cols: Math.max(cols, 0) };
  }
  throw new TypeError(`${where}: ${what} must be a 2-d NDArray or nested array, got ${describeValue(v)}`);
}

/**
 * Grid coordinates along one axis: a 1-d array, or a 2-d meshgrid array (as from np.meshgrid) from which the
 * first row (for x) or the first column (for y) is taken.
 */
export function toAxisGrid(v: unknown, where: string, what: "x" | "y"): Coord[] {
  const twoD =
    (isNDArrayLike(v) && v.shape.length === 2 && v.shape[0] > 1 && v.shape[1] > 1) ||
    (Array.isArray(v) && v.length > 0 && isSeriesLike(v[0]));
  if (!twoD) return toValues(v, where, what);
  const g = toGrid(v, where, what);
  return what === "x" ? g.z[0] : g.z.map((row) => row[0]);
}

/** Number of significant digits kept when a figure is serialised (keeps outputs small; plots need no more). */
export const PLOT_PRECISION = 8;

export function roundForPlot(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v;
  return Number(v.toPrecision(PLOT_PRECISION));
}

/** Converts any NDArray-like to nested plain arrays (for raw plotly traces that contain NDArrays). */
export function ndToNested(a: NDArrayLike): unknown {
  const flat = ndNumbers(a, "plot", "array");
  if (a.shape.length === 0) return flat[0];
  let i = 0;
  const build = (dim: number): unknown[] => {
    const n = a.shape[dim];
    const out = new Array(n);
    for (let j = 0; j < n; j++) out[j] = dim === a.shape.length - 1 ? flat[i++] : build(dim + 1);
    return out;
  };
  return build(0);
}

/**
 * JSON for a plotly spec, safe inside an HTML <script>: NDArrays and typed arrays become arrays, numbers are
 * rounded to PLOT_PRECISION significant digits, NaN/±Infinity become null (plotly draws a gap), and `<`,
 * U+2028/U+2029 are escaped so no `</script>` or `<!--` can appear.
 */
export function plotJSON(value: unknown): string {
  const json = JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
    if (typeof v === "number") return roundForPlot(v);
    if (isNDArrayLike(v)) return ndToNested(v);
    if (isTypedArray(v)) return Array.from(v, (n) => roundForPlot(Number(n)));
    return v;
  });
  return json.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
