// Array creation: array, asarray, zeros, ones, full, eye, arange, linspace, *_like, copy, fromStdlib (astype, the
// differentiable cast, is in ./basis).
import { type DType, allocate, assertDType, isComplex } from "../array/dtype";
import { type ArrayLike, NDArray, describe, fromNested } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { checkAllocation } from "../array/limits";
import { broadcastShapes, checkShape, shapeSize } from "../array/shape";
import { arr, containsTraced, options, stackNested } from "./args";
import { astype } from "./basis";
import { add, divide, multiply, subtract } from "./binary";

/** np.array(nested | number, dtype?): a new array from JS values (copies NDArrays only when casting). */
export function array(x: ArrayLike, dtype?: DType | string): NDArray {
  // traced values inside a nested list are stacked differentiably (see stackNested)
  if (Array.isArray(x) && containsTraced(x)) {
    const out = stackNested(x);
    return dtype === undefined ? out : astype(out, dtype);
  }
  return fromNested(x, dtype, "np.array");
}

export const asarray = array;

function filled(shape: number | number[], value: number, dtype: DType | string | undefined, where: string): NDArray {
  const s = checkShape(shape, where);
  const dt = dtype === undefined ? "float64" : assertDType(dtype, where);
  checkAllocation(shapeSize(s), dt, where, s);
  const data = allocate(dt, shapeSize(s));
  if (value !== 0) {
    if (isComplex(dt)) for (let i = 0; i < data.length; i += 2) data[i] = value;
    else data.fill(value);
  }
  return new NDArray(data, s, dt);
}

export const zeros = (shape: number | number[], dtype?: DType | string) => filled(shape, 0, dtype, "np.zeros");
export const ones = (shape: number | number[], dtype?: DType | string) => filled(shape, 1, dtype, "np.ones");
export const empty = zeros;

export function full(shape: number | number[], fillValue: number | boolean, dtype?: DType | string): NDArray {
  const dt = dtype ?? (typeof fillValue === "boolean" ? "bool" : "float64");
  return filled(shape, Number(fillValue), dt, "np.full");
}

const likeShape = (x: ArrayLike, where: string) => {
  const a = arr(x, where);
  return { shape: a.shape.slice(), dtype: a.dtype };
};
export function zeros_like(x: ArrayLike, dtype?: DType | string): NDArray {
  const { shape, dtype: dt } = likeShape(x, "np.zeros_like");
  return filled(shape, 0, dtype ?? dt, "np.zeros_like");
}
export function ones_like(x: ArrayLike, dtype?: DType | string): NDArray {
  const { shape, dtype: dt } = likeShape(x, "np.ones_like");
  return filled(shape, 1, dtype ?? dt, "np.ones_like");
}
export function full_like(x: ArrayLike, fillValue: number, dtype?: DType | string): NDArray {
  const { shape, dtype: dt } = likeShape(x, "np.full_like");
  return filled(shape, fillValue, dtype ?? dt, "np.full_like");
}
export const empty_like = zeros_like;

export function eye(N: number, M?: number | null, k = 0, dtype?: DType | string): NDArray {
  const cols = M ?? N;
  const out = filled([N, cols], 0, dtype, "np.eye");
  for (let i = 0; i < N; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) out.data[isComplex(out.dtype) ? 2 * (i * cols + j) : i * cols + j] = 1;
  }
  return out;
}
export const identity = (n: number, dtype?: DType | string) => eye(n, n, 0, dtype);

/** np.arange(stop) | np.arange(start, stop, step?, dtype?): float64 unless every argument is an integer. */
export function arange(start: number, stop?: number, step = 1, dtype?: DType | string): NDArray {
  if (stop === undefined || stop === null) {
    stop = start;
    start = 0;
  }
  for (const [name, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new TypeError(`np.arange: ${name} must be a number, got ${describe(v)}` + (typeof v === "string" ? ` (the dtype is the fourth argument: np.arange(start, stop, step, dtype))` : ""));
    }
  }
  if (step === 0) throw new ValueError("np.arange: step must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = dtype ? assertDType(dtype, "np.arange") : [start, stop, step].every(Number.isInteger) ? "int32" : "float64";
  checkAllocation(n, dt, "np.arange", [n]);
  const data = allocate(dt, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new NDArray(data, [n], dt);
}

/** np.linspace(start, stop, num = 50, { endpoint, dtype }); differentiable in start and stop. */
export function linspace(
  start: ArrayLike,
  stop: ArrayLike,
  num = 50,
  opts?: { endpoint?: boolean; dtype?: DType | string },
): NDArray {
  const o = options("np.linspace", opts, ["endpoint", "dtype", "retstep"]);
  const endpoint = o.endpoint ?? true;
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`np.linspace: num must be a non-negative integer, got ${num}`);
  const div = endpoint ? num - 1 : num;
  const a = arr(start, "np.linspace"), b = arr(stop, "np.linspace");
  // numpy's formula: start + i * step with step = (stop - start) / div, and the endpoint exactly stop
  let out: NDArray;
  if (a._box === undefined && b._box === undefined && a.ndim === 0 && b.ndim === 0 && !isComplex(a.dtype) && !isComplex(b.dtype)) {
    const s = Number(a.data[0]), e = Number(b.data[0]);
    const step = div > 0 ? (e - s) / div : e - s;
    checkAllocation(num, "float64", "np.linspace", [num]);
    const data = new Float64Array(num);
    for (let i = 0; i < num; i++) data[i] = div > 0 && step === 0 ? (i / div) * (e - s) + s : i * (div > 0 ? step : 0) + s;
    if (endpoint && num > 1) data[num - 1] = e;
    out = new NDArray(data, [num], "float64");
  } else {
    // array start/stop: the new axis comes first, as numpy's default axis = 0
    const inner = broadcastShapes(a.shape, b.shape, "np.linspace");
    const idx = new Float64Array(num);
    for (let i = 0; i < num; i++) idx[i] = endpoint && num > 1 && i === num - 1 ? 0 : i;
    const steps = new NDArray(idx, [num, ...inner.map(() => 1)], "float64");
    const delta = subtract(b, a);
    out = add(multiply(steps, div > 0 ? divide(delta, div) : multiply(delta, 0)), a);
    if (endpoint && num > 1) {
      // the last entry is stop itself: a + (stop - a) selected by a constant mask
      const last = new Float64Array(num);
      last[num - 1] = 1;
      const mask = new NDArray(last, [num, ...inner.map(() => 1)], "float64");
      out = add(multiply(out, subtract(1, mask)), multiply(mask, b));
    }
  }
  return o.dtype ? astype(out, o.dtype) : out;
}

/** A copy (arrays are immutable, so the same array). */
export const copy = (x: ArrayLike): NDArray => arr(x, "np.copy");

/** An NDArray from a @stdlib/ndarray (any strides, offset or order; the data are copied into row-major storage). */
export function fromStdlib(nd: any): NDArray {
  if (!nd || !Array.isArray(nd.shape) || nd.data === undefined || !Array.isArray(nd.strides)) {
    throw new TypeError("np.fromStdlib: expected a @stdlib/ndarray (with shape, strides, offset and data)");
  }
  const map: Record<string, DType> = {
    float64: "float64", float32: "float32", int32: "int32", uint8: "bool", bool: "bool", generic: "float64",
    int16: "int32", int8: "int32", uint16: "int32", uint8c: "int32", complex128: "complex128",
  };
  const dtype = map[String(nd.dtype)];
  if (!dtype) throw new TypeError(`np.fromStdlib: unsupported dtype ${String(nd.dtype)}; expected one of ${Object.keys(map).join(", ")}`);
  const shape: number[] = nd.shape.slice();
  const size = shapeSize(shape);
  const out = allocate(dtype, size);
  const strides: number[] = nd.strides;
  const idx = new Array<number>(shape.length).fill(0);
  const src = nd.data;
  const complex = dtype === "complex128";
  for (let i = 0; i < size; i++) {
    let off = nd.offset ?? 0;
    for (let d = 0; d < shape.length; d++) off += idx[d] * strides[d];
    if (complex) {
      const v = typeof src.get === "function" ? src.get(off) : null;
      out[2 * i] = v ? v.re : src[2 * off];
      out[2 * i + 1] = v ? v.im : src[2 * off + 1];
    } else out[i] = Number(typeof src.get === "function" ? src.get(off) : src[off]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return new NDArray(out, shape, dtype);
}
