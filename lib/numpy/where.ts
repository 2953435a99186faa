// Elementwise choices between values: where (the 3-argument form is a primitive, linear in x and y for a
// constant condition), clip and nan_to_num built on it.
import { allocate, allocateUninit, type DType, isComplex, isInexact } from "../array/dtype";
import { broadcastTo, NATIVE_MIN } from "../array/kernels";
import { nativeAddon } from "../array/native";
import { type ArrayLike, castArray, complexScalar, NDArray, scalar } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { broadcastMany, shapesEqual, shapeSize } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr, type Operand, operand, options, plain } from "./args";
import { real, unbroadcast } from "./basis";
import { add, equal, maximum, minimum, multiply, resultDType } from "./binary";
import { imag } from "./complexParts";
import { isfinite } from "./elementwise";
import { nonzero } from "./sorting";

// ---- where ------------------------------------------------------------------------------------------------------

interface Mask {
  readonly mask: NDArray;
}

function whereImpl(x: Operand, y: Operand, c: Mask): NDArray {
  const X = typeof x === "number" ? scalar(x) : x;
  const Y = typeof y === "number" ? scalar(y) : y;
  const dtype = resultDType(x, y, "promote");
  const shape = broadcastMany([c.mask.shape, X.shape, Y.shape], "np.where");
  const n = shapeSize(shape);
  if (dtype === "float64" && n >= NATIVE_MIN && c.mask.size === n) {
    // the addon's select loop: x and y full-size or scalars (the usual `np.where(x > 0, x, 0)`), no broadcast copies
    const nk = nativeAddon();
    const xa = castArray(X, dtype), ya = castArray(Y, dtype);
    if (nk !== null && (xa.size === n || xa.size === 1) && (ya.size === n || ya.size === 1)) {
      const out = allocateUninit(dtype, n) as Float64Array;
      nk.select(c.mask.data as Uint8Array, xa.data as Float64Array, ya.data as Float64Array, out, n, (xa.size === 1 ? 1 : 0) | (ya.size === 1 ? 2 : 0));
      return new NDArray(out, shape, dtype);
    }
  }
  const full = (a: NDArray, dt: DType) => {
    const b = castArray(a, dt);
    return shapesEqual(b.shape, shape) ? b : broadcastTo(b, shape);
  };
  const xs = full(X, dtype).data, ys = full(Y, dtype).data, m = full(c.mask, "bool").data;
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
export const wherePrim = definePrimitive("where", {
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

// ---- clip, nan_to_num ----------------------------------------------------------------------------------------------

// clip by number bounds on a float array, the common case (`np.clip(p, 1e-12, 1)` in a loss): one primitive,
// two passes forward, and a mask only when a derivative is asked for. (The general form below builds the gradient
// routing from `where` and `equal`: six full-size passes plus broadcast copies of the bounds, ~60x numpy's time.)
interface Bounds {
  readonly lo: number | null;
  readonly hi: number | null;
}

/** autograd's rule as a constant float mask: the gradient passes where ans ≠ a_min and ans ≠ a_max. */
function clipMask(ans: NDArray, b: Bounds): NDArray {
  const v = getValue(ans);
  const f32 = v.dtype === "float32";
  // a float32 answer holds the bound rounded to float32; a missing bound never equals anything (NaN)
  const lo = b.lo === null ? NaN : f32 ? Math.fround(b.lo) : b.lo, hi = b.hi === null ? NaN : f32 ? Math.fround(b.hi) : b.hi;
  const x = v.data, n = x.length, out = allocateUninit(v.dtype, n);
  for (let i = 0; i < n; i++) out[i] = +(x[i] !== lo) * +(x[i] !== hi);
  return new NDArray(out, v.shape.slice(), v.dtype);
}

const clipPrim = definePrimitive("clip", {
  impl: (x: NDArray, b: Bounds) => {
    const nk = x.dtype === "float64" && x.size >= NATIVE_MIN ? nativeAddon() : null;
    if (nk !== null) { // one pass, no intermediate array
      const out = allocateUninit("float64", x.size) as Float64Array;
      nk.clip(x.data as Float64Array, Float64Array.of(b.lo ?? -Infinity, b.hi ?? Infinity), out, x.size);
      return new NDArray(out, x.shape.slice(), "float64");
    }
    let ans = x;
    if (b.lo !== null) ans = maximum(ans, b.lo);
    if (b.hi !== null) ans = minimum(ans, b.hi);
    return ans;
  },
  argNames: ["a"],
  vjp: [(g, ans, _x, b: Bounds) => multiply(g, clipMask(ans, b))],
  jvp: [(t, ans, _x, b: Bounds) => multiply(t, clipMask(ans, b))],
});

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
  if ((x.dtype === "float64" || x.dtype === "float32") && (lo === null || typeof lo === "number") && (hi === null || typeof hi === "number")) {
    return clipPrim(x, { lo, hi });
  }
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
