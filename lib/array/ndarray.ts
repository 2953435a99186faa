// NDArray: an immutable n-d array on contiguous row-major typed storage.
//
// Arrays are never mutated after construction, so storage may be shared freely (reshape shares it).
// A *traced* array (a box of the autodiff core) is an NDArray too: it shares its primal value's storage, so
// shape, dtype, tolist(), item() and printing work on it unchanged, and it carries `_box` for the tracer.
import { type DType, type TypedData, allocate, assertDType, isComplex } from "./dtype";
import { ReleasedArrayError } from "./errors";
import { shapeSize } from "./shape";

export interface Complex {
  re: number;
  im: number;
}

/** A nested JS array of numbers (or booleans, or complex values). */
export type NestedArray = number | boolean | Complex | NestedArray[];

/** A JS typed array of numbers: taken as a list of its values (a copy; its element type picks the dtype). */
export type NumericTypedArray =
  | Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | Uint8ClampedArray;

/** Anything an array argument accepts: an NDArray, a JS number, a boolean, a typed array or a nested JS array. */
export type ArrayLike = NDArray | number | boolean | Complex | NumericTypedArray | readonly ArrayLike[];

/** What the tracer attaches to a boxed value; opaque outside lib/core. */
export interface BoxInfo {
  readonly value: NDArray;
  readonly trace: { readonly id: number };
  readonly node: unknown;
}

/**
 * The `_box` of an intermediate array whose grad call has returned (lib/core/release.ts): any use of the array
 * throws `releasedError`. Its trace id outranks every real trace, so the tracer sees it first among arguments.
 */
export const RELEASED_BOX: BoxInfo = {
  get value(): NDArray {
    throw releasedError("reading the array");
  },
  trace: { id: Number.MAX_SAFE_INTEGER },
  node: null,
};

export function releasedError(where: string): ReleasedArrayError {
  return new ReleasedArrayError(
    `${where}: this array is an intermediate value of a function that grad (or valueAndGrad, gradAndAux, ` +
      `elementwiseGrad) differentiated, used after that call returned. Once the gradient is computed gradlab ` +
      `reuses the storage of the function's intermediates, so that a training step allocates no new memory. ` +
      `To keep a value, return it: valueAndGrad(f) gives f's output, and gradAndAux(f), with f returning ` +
      `[loss, aux], gives aux. Or call setReleaseIntermediates(false) to keep every intermediate (slower).`,
  );
}

/** An index component for get/at: integer, slice string ("1:3", "::-1"), integer array, boolean mask, null, "...". */
export type Index = number | string | null | readonly number[] | readonly boolean[] | NDArray;

/** Options of reductions: `axis` (a number or list), `keepdims`. */
export interface ReduceOpts {
  axis?: number | number[] | null;
  keepdims?: boolean;
}

/**
 * The methods of an NDArray. They call the differentiable np functions (so traced values have them too) and
 * are installed on the prototype by lib/methods.ts from a table typed against this interface.
 */
export interface NDArrayMethods {
  add(other: ArrayLike): NDArray;
  sub(other: ArrayLike): NDArray;
  mul(other: ArrayLike): NDArray;
  div(other: ArrayLike): NDArray;
  pow(other: ArrayLike): NDArray;
  neg(): NDArray;
  matmul(other: ArrayLike): NDArray;
  dot(other: ArrayLike): NDArray;
  reshape(...shape: (number | number[])[]): NDArray;
  transpose(...axes: number[]): NDArray;
  sum(opts?: number | number[] | ReduceOpts): NDArray;
  mean(opts?: number | number[] | ReduceOpts): NDArray;
  max(opts?: number | number[] | ReduceOpts): NDArray;
  min(opts?: number | number[] | ReduceOpts): NDArray;
  prod(opts?: number | number[] | ReduceOpts): NDArray;
  std(opts?: number | number[] | (ReduceOpts & { ddof?: number })): NDArray;
  var(opts?: number | number[] | (ReduceOpts & { ddof?: number })): NDArray;
  cumsum(opts?: number | { axis?: number }): NDArray;
  argmax(opts?: number | { axis?: number }): any;
  argmin(opts?: number | { axis?: number }): any;
  /** x[idx] with numpy semantics: integers, slice strings, integer arrays, boolean masks, null (new axis). */
  get(...idx: Index[]): NDArray;
  /** Functional updates: x.at(0).set(5), x.at([0, 0]).add(1) return new arrays. */
  at(...idx: Index[]): { set(v: ArrayLike): NDArray; add(v: ArrayLike): NDArray; multiply(v: ArrayLike): NDArray; get(): NDArray };
  astype(dtype: DType | string): NDArray;
  flatten(): NDArray;
  ravel(): NDArray;
  squeeze(axis?: number | number[]): NDArray;
  clip(min: ArrayLike | null, max: ArrayLike | null): NDArray;
  abs(): NDArray;
  exp(): NDArray;
  log(): NDArray;
  tanh(): NDArray;
  sqrt(): NDArray;
  square(): NDArray;
  conj(): NDArray;
  round(decimals?: number): NDArray;
  sort(opts?: number | { axis?: number | null }): NDArray;
  argsort(opts?: number | { axis?: number | null }): NDArray;
  repeat(repeats: ArrayLike, axis?: number): NDArray;
  trace(offset?: number): NDArray;
  diagonal(offset?: number): NDArray;
  cumprod(opts?: number | { axis?: number }): NDArray;
  take(indices: ArrayLike, axis?: number): NDArray;
  swapaxes(axis1: number, axis2: number): NDArray;
  any(opts?: number | { axis?: number | number[]; keepdims?: boolean }): any;
  all(opts?: number | { axis?: number | number[]; keepdims?: boolean }): any;
  nonzero(): NDArray[];
  /** The transpose (reversed axes). */
  readonly T: NDArray;
  readonly real: NDArray;
  readonly imag: NDArray;
  /** A @stdlib/ndarray view of the (primal) storage. */
  toStdlib(): any;
  toString(): string;
}
export interface NDArray extends NDArrayMethods {}

export class NDArray {
  readonly data: TypedData;
  readonly shape: number[];
  readonly dtype: DType;
  readonly size: number;
  /** Set on traced values only (see lib/core/tracer.ts). */
  _box: BoxInfo | undefined;

  constructor(data: TypedData, shape: number[], dtype: DType) {
    this.data = data;
    this.shape = shape;
    this.dtype = dtype;
    this.size = shapeSize(shape);
    this._box = undefined;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Plain nested JS arrays; a 0-d array gives a number, complex elements give `{ re, im }`. */
  tolist(): any {
    if (this._box === RELEASED_BOX) throw releasedError("tolist()");
    const { shape, data, dtype } = this;
    const complex = isComplex(dtype);
    const read = (i: number): number | boolean | Complex =>
      complex ? { re: data[2 * i], im: data[2 * i + 1] } : dtype === "bool" ? data[i] !== 0 : data[i];
    if (shape.length === 0) return read(0);
    let offset = 0;
    const build = (dim: number): any[] => {
      const n = shape[dim];
      const out = new Array(n);
      for (let j = 0; j < n; j++) out[j] = dim === shape.length - 1 ? read(offset++) : build(dim + 1);
      return out;
    };
    return build(0);
  }

  /** The single element of a size-1 array, as a JS number (or `{ re, im }` for complex). */
  item(): any {
    if (this._box === RELEASED_BOX) throw releasedError("item()");
    if (this.size !== 1) {
      throw new TypeError(
        `item(): can only convert an array of size 1 to a number, got shape [${this.shape.join(", ")}] (size ${this.size}); ` +
          `index it first, e.g. x.get(0).item()`,
      );
    }
    const d = this.data;
    if (isComplex(this.dtype)) return { re: d[0], im: d[1] };
    return this.dtype === "bool" ? d[0] !== 0 : d[0];
  }

  /**
   * JS number conversion, so `+x` and `Math.max(x, 1)` work on size-1 arrays. A traced value refuses: plain JS
   * arithmetic (`x * y`, `x + 1`) would silently cut the gradient, so it must go through np functions.
   */
  valueOf(): number {
    if (this._box === RELEASED_BOX) throw releasedError("converting an array to a number");
    if (this._box !== undefined) {
      throw new TypeError(
        "A traced value was used in plain JS arithmetic or comparison (e.g. x * y, x + 1, x > 0), which would cut " +
          "its gradient. Use np functions or methods instead (np.multiply(x, y) or x.mul(y), x.add(1)), and " +
          "x.item() to get a number for control flow (if (x.item() > 0) ...).",
      );
    }
    if (this.size === 1 && !isComplex(this.dtype)) return Number(this.data[0]);
    return NaN;
  }
}

// ---- construction ------------------------------------------------------------------------------------------

const isComplexLike = (x: unknown): x is Complex =>
  typeof x === "object" && x !== null && !Array.isArray(x) && "re" in x && "im" in x;

/** Shape of a nested JS array, checking that it is rectangular. */
/** The dtype a typed array's values keep (Uint32 needs float64 to hold them all); null for other values. */
function typedArrayDType(v: unknown): DType | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  if (v instanceof Float64Array || v instanceof Uint32Array) return "float64";
  if (v instanceof Float32Array) return "float32";
  if (v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint16Array ||
      v instanceof Uint8Array || v instanceof Uint8ClampedArray) return "int32";
  return null; // BigInt64Array, BigUint64Array (and Float16Array where it exists): refused by the caller
}

const isList = (v: unknown): v is { readonly length: number; readonly [k: number]: unknown } => Array.isArray(v) || typedArrayDType(v) !== null;

function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (isList(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function inferDType(flat: unknown[]): DType {
  let dtype: DType = "bool";
  for (const v of flat) {
    if (typeof v === "boolean") continue;
    if (isComplexLike(v)) return "complex128";
    if (v instanceof NDArray) {
      if (v.dtype === "complex128") return "complex128";
      if (v.dtype !== "bool") dtype = "float64";
      continue;
    }
    dtype = "float64";
  }
  return flat.length === 0 ? "float64" : dtype;
}

/**
 * Builds an NDArray from a number, boolean, complex value or nested JS array. Numbers default to float64
 * (as in numpy's float arrays; pass "int32" explicitly for integer arrays), booleans to bool.
 */
export function fromNested(x: unknown, dtype?: DType | string, where = "np.array"): NDArray {
  if (x instanceof NDArray) return dtype === undefined || dtype === x.dtype ? x : castArray(x, assertDType(dtype, where));
  const own = typedArrayDType(x);
  if (own !== null) {
    // a typed array: one copy, in its element type unless a dtype is asked for
    const src = x as NumericTypedArray;
    const typed = new NDArray(allocate(own, src.length), [src.length], own);
    (typed.data as NumericTypedArray).set(src);
    return dtype === undefined || dtype === own ? typed : castArray(typed, assertDType(dtype, where));
  }
  if (ArrayBuffer.isView(x)) {
    throw new TypeError(`${where}: ${x.constructor.name} is not supported: pass a Float64Array, Float32Array, an integer typed array or a plain array (Array.from(x, Number) converts BigInt values)`);
  }
  const shape = nestedShape(x);
  const flat: unknown[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      flat.push(v);
      return;
    }
    if (!isList(v) || v.length !== shape[dim]) {
      throw new TypeError(
        `${where}: ragged nested array: expected a list of length ${shape[dim]} at depth ${dim}, got ${describe(v)}; ` +
          `all rows must have the same length`,
      );
    }
    for (let k = 0; k < v.length; k++) walk(v[k], dim + 1);
  };
  walk(x, 0);
  const dt = dtype === undefined ? inferDType(flat) : assertDType(dtype, where);
  const out = allocate(dt, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === "number") {
      if (dt === "complex128") {
        out[2 * i] = v;
      } else out[i] = dt === "bool" ? (v !== 0 ? 1 : 0) : v;
    } else if (typeof v === "boolean") {
      if (dt === "complex128") out[2 * i] = v ? 1 : 0;
      else out[i] = v ? 1 : 0;
    } else if (isComplexLike(v)) {
      if (dt !== "complex128") {
        throw new TypeError(`${where}: cannot store complex value {re: ${v.re}, im: ${v.im}} in a ${dt} array`);
      }
      out[2 * i] = v.re;
      out[2 * i + 1] = v.im;
    } else if (v instanceof NDArray && v.size === 1) {
      if (v._box === RELEASED_BOX) throw releasedError(where);
      if (v._box) {
        throw new TypeError(
          `${where}: a traced value cannot be packed into a new array with np.array (its gradient would be lost); ` +
            `use np.stack or np.concatenate instead`,
        );
      }
      if (dt === "complex128") {
        const c = isComplex(v.dtype);
        out[2 * i] = v.data[0];
        out[2 * i + 1] = c ? v.data[1] : 0;
      } else out[i] = v.data[0];
    } else {
      throw new TypeError(
        `${where}: expected a number, boolean, complex {re, im} or nested array of them, got ${describe(v)}`,
      );
    }
  }
  return new NDArray(out, shape, dt);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof NDArray) return `an NDArray of shape [${v.shape.join(", ")}] and dtype ${v.dtype}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    return `an object with keys {${keys.slice(0, 8).join(", ")}${keys.length > 8 ? `, … (${keys.length} keys)` : ""}}`;
  }
  return `${typeof v} ${String(v)}`;
}

/** Converts any array-like argument to an NDArray (identity on NDArrays, traced ones included). */
export function asNDArray(x: unknown, where = "np.asarray"): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return scalar(x);
  return fromNested(x, undefined, where);
}

export function scalar(v: number, dtype: DType = "float64"): NDArray {
  const d = allocate(dtype, 1);
  d[0] = v;
  return new NDArray(d, [], dtype);
}

export function complexScalar(re: number, im: number): NDArray {
  return new NDArray(new Float64Array([re, im]), [], "complex128");
}

/** Copies values into another dtype (complex to real keeps the real part, as numpy does with a warning). */
export function castArray(x: NDArray, dtype: DType): NDArray {
  if (x.dtype === dtype) return x;
  const n = x.size;
  const out = allocate(dtype, n);
  const src = x.data;
  if (dtype === "complex128") {
    const c = isComplex(x.dtype);
    for (let i = 0; i < n; i++) {
      out[2 * i] = c ? src[2 * i] : src[i];
      out[2 * i + 1] = c ? src[2 * i + 1] : 0;
    }
  } else if (isComplex(x.dtype)) {
    for (let i = 0; i < n; i++) out[i] = dtype === "bool" ? (src[2 * i] !== 0 || src[2 * i + 1] !== 0 ? 1 : 0) : src[2 * i];
  } else if (dtype === "bool") {
    for (let i = 0; i < n; i++) out[i] = +(src[i] !== 0); // +bool: faster than `? 1 : 0` in V8
  } else if (dtype === "int32") {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(src[i]);
  } else {
    (out as Float64Array).set(src as Float64Array);
  }
  return new NDArray(out, x.shape.slice(), dtype);
}

export function emptyLike(shape: number[], dtype: DType): NDArray {
  return new NDArray(allocate(dtype, shapeSize(shape)), shape, dtype);
}
