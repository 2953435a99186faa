// Non-differentiable helpers: argmax/argmin, all/any, isclose/allclose, round. Under tracing they see the
// primal values and return constants (zero gradient), as in autograd.
import { isComplex, type TypedData } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { NATIVE_MIN, reduceAxes } from "../array/kernels";
import { nativeAddon } from "../array/native";
import { normalizeAxis, reducedShape, shapeSize } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr, axesOf, options } from "./args";
import { abs } from "./elementwise";
import { less_equal, subtract, add, multiply } from "./binary";

const plain = (x: ArrayLike, where: string) => getValue(arr(x, where));

/**
 * argmax / argmin: the first index of the best value along an axis, a NaN counting as best (as numpy). One typed
 * loop per output run over the strided axis (the rule written inline: a comparator call per element cost ~25x
 * numpy's time).
 */
function argReduce(name: string, isMax: boolean) {
  const where = `np.${name}`;
  // the first index of the best of n values x[start + k·stride]
  const pick = (x: TypedData, start: number, n: number, stride: number): number => {
    let best = x[start], bi = 0;
    if (best !== best) return 0;
    for (let k = 1, p = start + stride; k < n; k++, p += stride) {
      const v = x[p];
      if (isMax ? v > best : v < best) { best = v; bi = k; }
      else if (v !== v) return k;
    }
    return bi;
  };
  return (a: ArrayLike, opts?: number | { axis?: number; keepdims?: boolean }): any => {
    const x = plain(a, where);
    const o = options(where, opts, ["axis", "keepdims"], true);
    if (x.size === 0) throw new ValueError(`${where}: attempt to get ${name} of an empty sequence`);
    if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
    const data = x.data;
    const whole = o.axis === undefined || o.axis === null;
    const axis = whole ? 0 : normalizeAxis(o.axis, x.ndim, where);
    const n = whole ? x.size : x.shape[axis];
    const inner = whole ? 1 : shapeSize(x.shape.slice(axis + 1));
    const outer = whole ? 1 : shapeSize(x.shape.slice(0, axis));
    const out = new Int32Array(outer * inner);
    const nat = x.dtype === "float64" && x.size >= NATIVE_MIN && n > 0 && n < 2 ** 31 ? nativeAddon() : null;
    if (nat === null || !nat.argreduce(name as "argmax" | "argmin", data as Float64Array, outer, n, inner, out)) {
      if (n > 0) for (let p = 0; p < outer; p++) for (let i = 0; i < inner; i++) out[p * inner + i] = pick(data, p * n * inner + i, n, inner);
    }
    if (whole) return out[0];
    return new NDArray(out, reducedShape(x.shape, [axis], !!o.keepdims), "int32");
  };
}

/** First index of the maximum (NaN counts as maximal, as numpy). */
export const argmax = argReduce("argmax", true);
export const argmin = argReduce("argmin", false);

function boolReduce(name: string, init: number, step: (a: number, v: number) => number) {
  return (a: ArrayLike, opts?: number | number[] | { axis?: number | number[]; keepdims?: boolean }): any => {
    const x = plain(a, `np.${name}`);
    const o = options(`np.${name}`, opts, ["axis", "keepdims"], true);
    const axes = axesOf(o.axis, x.ndim, `np.${name}`);
    const r = reduceAxes(x, axes, reducedShape(x.shape, axes, !!o.keepdims), "bool", init, (acc, v) => step(acc, v !== 0 ? 1 : 0));
    return r.ndim === 0 ? r.data[0] !== 0 : r;
  };
}
export const all = boolReduce("all", 1, (a, v) => a & v);
export const any = boolReduce("any", 0, (a, v) => a | v);

type CloseOptions = { rtol?: number; atol?: number; equal_nan?: boolean };

/** |a - b| <= atol + rtol·|b|, elementwise. */
export function isclose(a: ArrayLike, b: ArrayLike, opts?: CloseOptions): NDArray {
  const o = options("np.isclose", opts, ["rtol", "atol", "equal_nan"]);
  const A = plain(a, "np.isclose"), B = plain(b, "np.isclose");
  const close = less_equal(abs(subtract(A, B)), add(o.atol ?? 1e-8, multiply(o.rtol ?? 1e-5, abs(B))));
  if (!o.equal_nan) return close;
  const data = close.data.slice();
  const An = A.shape.join() === close.shape.join() ? A : null;
  if (An) for (let i = 0; i < data.length; i++) if (Number.isNaN(An.data[i]) && Number.isNaN(B.size === 1 ? B.data[0] : B.data[i])) data[i] = 1;
  return new NDArray(data, close.shape, "bool");
}

export function allclose(a: ArrayLike, b: ArrayLike, opts?: CloseOptions): boolean {
  const c = isclose(a, b, opts);
  for (let i = 0; i < c.size; i++) if (!c.data[i]) return false;
  return true;
}

export function array_equal(a: ArrayLike, b: ArrayLike): boolean {
  const A = plain(a, "np.array_equal"), B = plain(b, "np.array_equal");
  if (A.shape.join() !== B.shape.join()) return false;
  for (let i = 0; i < A.data.length; i++) if (A.data[i] !== B.data[i]) return false;
  return true;
}

const roundPrim = definePrimitive("round", {
  impl: (x: NDArray, decimals: number) => {
    const f = Math.pow(10, decimals);
    const out = x.data.slice();
    const half = (v: number) => {
      const r = Math.round(v);
      return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    for (let i = 0; i < out.length; i++) out[i] = half(out[i] * f) / f;
    return new NDArray(out, x.shape.slice(), x.dtype);
  },
  nondiff: true,
});

/** np.round(x, decimals = 0): half to even, as numpy. */
export function round(x: ArrayLike, decimals: number | { decimals?: number } = 0): NDArray {
  const d = typeof decimals === "number" ? decimals : options("np.round", decimals, ["decimals"]).decimals ?? 0;
  return roundPrim(arr(x, "np.round"), d);
}
export const around = round;
