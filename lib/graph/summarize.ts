// Short value summaries for graph nodes: `summarize(x)` → { shape, dtype, preview }.
//
// Reads NDArrays by duck typing (`data` typed array, row-major, complex interleaved; `shape`; `dtype`), so a
// traced value (a box: same storage as its primal value) summarises as its primal value.
import type { ValueSummary } from "./types";
import { type NDArrayLike, isNDArrayLike } from "../display/ndarray";

const isTypedArray = (v: unknown): v is ArrayLike<number> => ArrayBuffer.isView(v) && !(v instanceof DataView);

/** `(3,)`, `(2, 3)`, `()`: numpy's shape notation. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** A number in at most ~5 significant digits: 3.1416, 0.1, 42, 1.235e+8, nan, inf, -0. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Object.is(v, -0)) return "-0";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e7) return String(v);
  if (a >= 1e-4 && a < 1e6) {
    const s = v.toPrecision(5);
    return s.includes("e") ? s : s.replace(/\.?0+$/, "");
  }
  const [m, e] = v.toExponential(3).split("e");
  return `${m.replace(/\.?0+$/, "")}e${e}`;
}

function formatComplex(re: number, im: number): string {
  const sign = im < 0 || Object.is(im, -0) ? "-" : "+";
  return `${formatNumber(re)}${sign}${formatNumber(Math.abs(im))}j`;
}

/** Element formatter of a flat array with a dtype. */
function elementReader(data: ArrayLike<number>, dtype: string): (i: number) => string {
  if (dtype.startsWith("complex")) return (i) => formatComplex(Number(data[2 * i]), Number(data[2 * i + 1]));
  if (dtype === "bool") return (i) => (data[i] ? "true" : "false");
  return (i) => formatNumber(Number(data[i]));
}

/** Nested preview: at most `edge` items of the last dimension, `outer` of the others, then "…". */
function previewArray(shape: readonly number[], read: (i: number) => string, edge: number, outer = edge): string {
  if (shape.length === 0) return read(0);
  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim];
    const shown = Math.min(n, dim === shape.length - 1 ? edge : outer);
    const parts: string[] = [];
    for (let j = 0; j < shown; j++) {
      const off = offset + j * strides[dim];
      parts.push(dim === shape.length - 1 ? read(off) : rec(dim + 1, off));
    }
    if (n > shown) parts.push("…");
    return `[${parts.join(", ")}]`;
  };
  return rec(0, 0);
}

/** The shortest preview (fewest items per dimension first dropped) that fits in `maxLen` characters. */
export function previewOf(shape: readonly number[], read: (i: number) => string, maxLen = 36): string {
  let size = 1;
  for (const d of shape) size *= d;
  if (size === 0) return shape.length === 1 ? "[]" : previewArray(shape, read, 0);
  let out = "";
  for (const edge of [6, 4, 3, 2, 1]) {
    for (const outer of [3, 2, 1]) {
      if (outer > edge) continue;
      out = previewArray(shape, read, edge, outer);
      if (out.length <= maxLen) return out;
      if (shape.length === 1) break;
    }
  }
  return out.length <= maxLen ? out : out.slice(0, maxLen - 1) + "…";
}

function typedDType(v: ArrayLike<number>): string {
  const name = (v as object).constructor?.name ?? "";
  const map: Record<string, string> = {
    Float64Array: "float64",
    Float32Array: "float32",
    Int32Array: "int32",
    Int16Array: "int16",
    Int8Array: "int8",
    Uint8Array: "uint8",
    Uint16Array: "uint16",
    Uint32Array: "uint32",
  };
  return map[name] ?? "float64";
}

/** Shape of a rectangular nested JS array (first elements only). */
function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur) || isTypedArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

export interface SummarizeOptions {
  /** Maximum preview length in characters (default 36). */
  maxLen?: number;
}

/**
 * Shape, dtype and a short preview of a value, for graph nodes and other compact displays.
 *
 * @example
 * summarize(np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]))  // { shape: [7], dtype: "float64", preview: "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, …]" }
 * summarize(Math.PI)                                       // { shape: [], dtype: "float64", preview: "3.1416" }
 */
export function summarize(x: unknown, opts: SummarizeOptions = {}): ValueSummary {
  const maxLen = opts.maxLen ?? 36;
  if (isNDArrayLike(x)) {
    return { shape: x.shape.slice(), dtype: x.dtype, preview: previewOf(x.shape, elementReader(x.data, x.dtype), maxLen) };
  }
  if (typeof x === "number") return { shape: [], dtype: "float64", preview: formatNumber(x) };
  if (typeof x === "boolean") return { shape: [], dtype: "bool", preview: String(x) };
  if (typeof x === "bigint") return { shape: [], dtype: "int64", preview: String(x) };
  if (x === null || x === undefined) return { shape: [], dtype: "none", preview: String(x) };
  if (typeof x === "string") return { shape: [], dtype: "str", preview: JSON.stringify(x.length > maxLen - 2 ? x.slice(0, maxLen - 3) + "…" : x) };
  if (typeof x === "object" && !Array.isArray(x) && !isTypedArray(x) && "re" in x && "im" in x) {
    const c = x as { re: number; im: number };
    return { shape: [], dtype: "complex128", preview: formatComplex(c.re, c.im) };
  }
  if (isTypedArray(x)) {
    return { shape: [x.length], dtype: typedDType(x), preview: previewOf([x.length], elementReader(x, "float64"), maxLen) };
  }
  if (Array.isArray(x)) {
    // A rectangular nested array of numbers → like an NDArray; anything else (a list of arrays) → a container.
    const shape = nestedShape(x);
    const flat: unknown[] = [];
    const walk = (v: unknown, d: number): boolean => {
      if (d === shape.length) {
        flat.push(v);
        return typeof v === "number" || typeof v === "boolean";
      }
      if (!(Array.isArray(v) || isTypedArray(v)) || v.length !== shape[d]) return false;
      for (let i = 0; i < v.length; i++) if (!walk(v[i], d + 1)) return false;
      return true;
    };
    if (walk(x, 0)) {
      const bool = flat.length > 0 && flat.every((v) => typeof v === "boolean");
      const nums = flat.map(Number);
      return { shape, dtype: bool ? "bool" : "float64", preview: previewOf(shape, elementReader(nums, bool ? "bool" : "float64"), maxLen) };
    }
    return containerSummary(x, maxLen);
  }
  if (typeof x === "object") return containerSummary(x as object, maxLen);
  return { shape: [], dtype: typeof x, preview: String(x).slice(0, maxLen) };
}

/** A container of arrays (a pytree: list or object of parameters): each leaf as its shape. */
function containerSummary(x: object, maxLen: number): ValueSummary {
  const leaf = (v: unknown): string => {
    if (isNDArrayLike(v)) return formatShape(v.shape);
    if (typeof v === "number") return formatNumber(v);
    if (Array.isArray(v)) return `[${v.map(leaf).join(", ")}]`;
    if (typeof v === "object" && v !== null) {
      return `{${Object.entries(v).map(([k, e]) => `${k}: ${leaf(e)}`).join(", ")}}`;
    }
    return String(v);
  };
  let preview = leaf(x);
  if (preview.length > maxLen) preview = preview.slice(0, maxLen - 1) + "…";
  return { shape: [], dtype: Array.isArray(x) ? "list" : "object", preview };
}
