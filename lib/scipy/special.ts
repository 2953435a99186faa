// scipy.special: differentiable special functions. One table row per function: the kernel and the partial
// derivatives (written with differentiable functions, so higher derivatives work). Kernels come from @stdlib
// (gamma family, erf family, Bessel J, incomplete gamma/beta, Student t cdf) or from lib/scipy/bessel.ts (I0, I1).
import { isComplex, recycle, scratchFloat64 } from "../array/dtype";
import { nativeAddon } from "../array/native";
import { ValueError } from "../array/errors";
import { asThreeAxes, broadcastTo } from "../array/kernels";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { broadcastShapes, normalizeAxes, reducedShape, shapeSize, shapesEqual } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr, isOptionsObject } from "../numpy/args";
import { broadcast_to, reshape, sumAxes, unbroadcast } from "../numpy/basis";
import { add, divide, equal, multiply, subtract } from "../numpy/binary";
import { exp, log, log1p, negative, reciprocal, square } from "../numpy/elementwise";
import * as bessel from "./bessel";
import { select, special1, specialN } from "./util";
import { lazyFn } from "../util/lazy";

// @stdlib kernels, loaded on first use (each pulls in many small modules)
const betaK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-beta");
const betaincK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-betainc");
const betalnK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-betaln");
const j0K = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-besselj0");
const j1K = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-besselj1");
const digammaK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-digamma");
const erfK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-erf");
const erfcK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-erfc");
const erfcinvK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-erfcinv");
const erfinvK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-erfinv");
const gammaK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-gamma");
const gammaincK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-gammainc");
const gammalnK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-gammaln");
const polygammaK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-polygamma");
const trigammaK = lazyFn<(...a: any[]) => number>("@stdlib/math-base-special-trigamma");
const tcdfK = lazyFn<(...a: any[]) => number>("@stdlib/stats-base-dists-t-cdf");

const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** Masks equal to 1 where x == 0 (constants, for removable singularities). */
const zeroMask = (x: NDArray) => castArray(getValue(equal(x, 0)), "float64");

/** Constant sign(x) (derivative rules treat the sign as locally constant). */
function signConst(x: NDArray): NDArray {
  const v = castArray(getValue(x), "float64");
  return new NDArray(v.data.map((t) => Math.sign(t)), v.shape.slice(), "float64");
}

/** f(x)/x with the value `atZero` at x = 0 (differentiable away from 0; constant branch at 0). */
function overX(fx: NDArray, x: NDArray, atZero: number): NDArray {
  const z = equal(x, 0);
  return select(z, atZero, divide(fx, add(x, zeroMask(x))));
}

// ---- gamma family ---------------------------------------------------------------------------------------------------

const polygammaKernel = (n: number, x: number): number => {
  if (!Number.isInteger(n) || n < 0) return NaN;
  if (n === 0) return digammaK(x);
  if (n === 1) return trigammaK(x);
  return polygammaK(n, x);
};

/** polygamma(n, x) = dⁿ⁺¹/dxⁿ⁺¹ log Γ(x); differentiable in x. */
export const polygamma = specialN("polygamma", ["n", "x"], polygammaKernel, [null, (_ans, n, x) => polygamma(add(n, 1), x)]);
export const digamma = special1("digamma", digammaK, (_ans, x) => polygamma(1, x));
export const psi = digamma;
export const gammaln = special1("gammaln", gammalnK, (_ans, x) => digamma(x));
export const gamma = special1("gamma", gammaK, (ans, x) => multiply(ans, digamma(x)));

export const beta = specialN("beta", ["a", "b"], betaK, [
  (ans, a, b) => multiply(ans, subtract(digamma(a), digamma(add(a, b)))),
  (ans, a, b) => multiply(ans, subtract(digamma(b), digamma(add(a, b)))),
]);
export const betaln = specialN("betaln", ["a", "b"], betalnK, [
  (_ans, a, b) => subtract(digamma(a), digamma(add(a, b))),
  (_ans, a, b) => subtract(digamma(b), digamma(add(a, b))),
]);

/** log of the multivariate gamma function Γ_d(a) (composite). */
export function multigammaln(a: ArrayLike, d: number): NDArray {
  const x = arr(a, "scipy.special.multigammaln");
  if (!Number.isInteger(d) || d < 1) throw new ValueError(`scipy.special.multigammaln: d should be a positive integer, got ${d}`);
  let out = add(gammaln(x), (d * (d - 1) * Math.log(Math.PI)) / 4);
  for (let j = 1; j < d; j++) out = add(out, gammaln(subtract(x, j / 2)));
  return out;
}

// ---- incomplete gamma and beta: differentiable in x only -------------------------------------------------------------

const gammaincKernel = (a: number, x: number) => (a < 0 || x < 0 ? NaN : a === 0 ? (x > 0 ? 1 : NaN) : gammaincK(x, a, true, false));
const gammainccKernel = (a: number, x: number) => (a < 0 || x < 0 ? NaN : a === 0 ? (x > 0 ? 0 : NaN) : gammaincK(x, a, true, true));
/** ∂/∂x P(a, x) = x^{a−1} e^{−x} / Γ(a). */
const gammaincDx = (a: NDArray, x: NDArray) => exp(subtract(subtract(xlogy(subtract(a, 1), x), x), gammaln(a)));

/** Regularized lower incomplete gamma P(a, x); differentiable in x only. */
export const gammainc = specialN("gammainc", ["a", "x"], gammaincKernel, [null, (_ans, a, x) => gammaincDx(a, x)]);
/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x); differentiable in x only. */
export const gammaincc = specialN("gammaincc", ["a", "x"], gammainccKernel, [null, (_ans, a, x) => negative(gammaincDx(a, x))]);

const betaincKernel = (a: number, b: number, x: number) => (a <= 0 || b <= 0 || x < 0 || x > 1 ? NaN : betaincK(x, a, b, true, false));
/** Regularized incomplete beta I_x(a, b); differentiable in x only (∂/∂x = x^{a−1}(1−x)^{b−1}/B(a, b)). */
export const betainc = specialN("betainc", ["a", "b", "x"], betaincKernel, [
  null,
  null,
  (_ans, a, b, x) => exp(subtract(add(xlogy(subtract(a, 1), x), xlog1py(subtract(b, 1), negative(x))), betaln(a, b))),
]);

// ---- error function family -----------------------------------------------------------------------------------------

export const erf = special1("erf", erfK, (_ans, x) => multiply(2 / SQRT_PI, exp(negative(square(x)))));
export const erfc = special1("erfc", erfcK, (_ans, x) => multiply(-2 / SQRT_PI, exp(negative(square(x)))));
export const erfinv = special1("erfinv", erfinvK, (ans) => multiply(SQRT_PI / 2, exp(square(ans))));
export const erfcinv = special1("erfcinv", erfcinvK, (ans) => multiply(-SQRT_PI / 2, exp(square(ans))));

/** Standard normal CDF Φ(x). */
function ndtrKernel(x: number): number {
  const z = x * SQRT1_2;
  if (Math.abs(z) < SQRT1_2) return 0.5 + 0.5 * erfK(z);
  return z > 0 ? 1 - 0.5 * erfcK(z) : 0.5 * erfcK(-z);
}
function logNdtrKernel(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return Math.log1p(-ndtrKernel(-x));
  if (x > -20) return Math.log(ndtrKernel(x));
  // asymptotic: log Φ(x) = −x²/2 − log(−x) − ½ log 2π + log(1 − 1/x² + 3/x⁴ − 15/x⁶ + ...)
  if (x === -Infinity) return -Infinity;
  const x2 = x * x;
  let term = 1, sum = 1;
  for (let k = 1; k < 30; k++) {
    term *= -(2 * k - 1) / x2;
    sum += term;
    if (Math.abs(term) < 1e-17) break;
  }
  return -x2 / 2 - Math.log(-x) - LOG_SQRT_2PI + Math.log(sum);
}
function ndtriKernel(p: number): number {
  if (p < 0.5) return -Math.SQRT2 * erfcinvK(2 * p);
  return Math.SQRT2 * erfcinvK(2 * (1 - p));
}
/** log φ(x), the standard normal log density. */
const logPhi = (x: NDArray) => subtract(multiply(-0.5, square(x)), LOG_SQRT_2PI);

/** Standard normal CDF. */
export const ndtr = special1("ndtr", ndtrKernel, (_ans, x) => exp(logPhi(x)));
/** log of the standard normal CDF, accurate in both tails. */
export const log_ndtr = special1("log_ndtr", logNdtrKernel, (ans, x) => exp(subtract(logPhi(x), ans)));
/** Inverse of ndtr. */
export const ndtri = special1("ndtri", ndtriKernel, (ans) => exp(multiply(-1, logPhi(ans))));

// ---- logistic -----------------------------------------------------------------------------------------------------------

const expitKernel = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const expit = special1("expit", expitKernel, (ans) => multiply(ans, subtract(1, ans)));
export const logit = special1("logit", (p) => Math.log(p / (1 - p)), (_ans, x) => reciprocal(multiply(x, subtract(1, x))));
/** log(expit(x)), stable for large |x|. */
export const log_expit = special1("log_expit", (x) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x))), (_ans, x) => expit(negative(x)));

// ---- x·log y ----------------------------------------------------------------------------------------------------------

/** x·log(y), 0 where x = 0 (unless y is nan). */
export const xlogy = specialN("xlogy", ["x", "y"], (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log(y)), [
  (_ans, _x, y) => log(y),
  (_ans, x, y) => divide(x, y),
]);
/** x·log1p(y), 0 where x = 0 (unless y is nan). */
export const xlog1py = specialN("xlog1py", ["x", "y"], (x, y) => (x === 0 && !Number.isNaN(y) ? 0 : x * Math.log1p(y)), [
  (_ans, _x, y) => log1p(y),
  (_ans, x, y) => divide(x, add(y, 1)),
]);

// ---- Bessel functions -------------------------------------------------------------------------------------------------

export const j1 = special1("j1", j1K, (_ans, x) => subtract(j0(x), overX(j1(x), x, 0.5)));
/** Bessel J0; J0' = −J1. */
export const j0 = special1("j0", j0K, (_ans, x) => negative(j1(x)));
/** Modified Bessel I1; I1' = I0 − I1/x (1/2 at 0). */
export const i1 = special1("i1", bessel.i1, (_ans, x) => subtract(i0(x), overX(i1(x), x, 0.5)));
/** Modified Bessel I0; I0' = I1. */
export const i0 = special1("i0", bessel.i0, (_ans, x) => i1(x));
/** e^{−|x|} I1(x); derivative I0e − I1e/x − sign(x)·I1e. */
export const i1e = special1("i1e", bessel.i1e, (ans, x) => subtract(subtract(i0e(x), overX(i1e(x), x, 0.5)), multiply(signConst(x), ans)));
/** e^{−|x|} I0(x); derivative I1e − sign(x)·I0e. */
export const i0e = special1("i0e", bessel.i0e, (ans, x) => subtract(i1e(x), multiply(signConst(x), ans)));

// ---- t distribution CDF (used by scipy.stats.t) -------------------------------------------------------------------------

/** Student t density, a composite (differentiable in x and df). */
export function tPdfStd(x: NDArray, df: NDArray | number): NDArray {
  const half = multiply(add(df, 1), 0.5);
  const logc = subtract(subtract(gammaln(half), gammaln(multiply(df, 0.5))), multiply(0.5, log(multiply(df, Math.PI))));
  return exp(subtract(logc, multiply(half, log1p(divide(square(x), df)))));
}
/** Student t CDF (internal primitive of scipy.stats.t.cdf); differentiable in x only. */
export const tcdf = specialN("stdtr", ["x", "df"], (x, df) => (df <= 0 ? NaN : tcdfK(x, df)), [(_ans, x, df) => tPdfStd(x, df), null], "scipy.stats.t.cdf");

// ---- logsumexp ---------------------------------------------------------------------------------------------------------------

/** For each element of `shape`, the flat index of its slot after reducing `axes` (kept as size 1). */
function reduceIndex(shape: number[], axes: number[]): Int32Array {
  const out = new Int32Array(shapeSize(shape));
  const nd = shape.length;
  const oStrides = new Array<number>(nd).fill(0);
  for (let i = nd - 1, s = 1; i >= 0; i--) {
    if (!axes.includes(i)) {
      oStrides[i] = s;
      s *= shape[i];
    }
  }
  const idx = new Array<number>(nd).fill(0);
  let o = 0;
  for (let f = 0; f < out.length; f++) {
    out[f] = o;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      o += oStrides[d];
      if (idx[d] < shape[d]) break;
      o -= oStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** log|Σ b·e^a| and the sign of the sum, reduced over `axes` of the broadcast shape (plain values). */
function lseKernel(a: NDArray, b: NDArray | null, axes: number[], keepdims: boolean): { out: NDArray; sign: NDArray } {
  const three = b === null && a.dtype === "float64" ? asThreeAxes(a.shape, axes) : null;
  if (three !== null) return lseBlocks(a, three, reducedShape(a.shape, axes, keepdims));
  const shape = b ? broadcastShapes(a.shape, b.shape, "scipy.special.logsumexp") : a.shape;
  const A = castArray(a.shape.join() === shape.join() ? a : broadcastTo(a, shape), "float64").data;
  const B = b ? castArray(b.shape.join() === shape.join() ? b : broadcastTo(b, shape), "float64").data : null;
  const outShape = reducedShape(shape, axes, keepdims);
  const nOut = shapeSize(outShape);
  const slot = reduceIndex(shape, axes);
  const m = new Float64Array(nOut).fill(-Infinity);
  for (let i = 0; i < A.length; i++) if (A[i] > m[slot[i]] || Number.isNaN(A[i])) m[slot[i]] = A[i];
  for (let k = 0; k < nOut; k++) if (!Number.isFinite(m[k])) m[k] = Number.isNaN(m[k]) ? NaN : 0;
  const s = new Float64Array(nOut);
  for (let i = 0; i < A.length; i++) s[slot[i]] += (B ? B[i] : 1) * Math.exp(A[i] - m[slot[i]]);
  const out = new Float64Array(nOut), sign = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    sign[k] = Math.sign(s[k]);
    out[k] = Math.log(Math.abs(s[k])) + m[k];
  }
  return { out: new NDArray(out, outShape, "float64"), sign: new NDArray(sign, outShape, "float64") };
}

/** lseKernel without b when the reduced axes are one block: a viewed as [outer, len, inner], the middle reduced. */
function lseBlocks(a: NDArray, [outer, len, inner]: [number, number, number], outShape: number[]): { out: NDArray; sign: NDArray } {
  const A = a.data as Float64Array;
  const nOut = outer * inner;
  const out = new Float64Array(nOut), sign = new Float64Array(nOut);
  const addon = inner === 1 && A.length >= 256 ? nativeAddon() : null;
  if (addon !== null) {
    // rows: the row maxima, each row minus its max into a scratch buffer, exponentiated and summed natively
    const T = scratchFloat64(A.length);
    const m = new Float64Array(outer), s = new Float64Array(outer);
    if (addon.reduce("max", A, outer, len, 1, m)) {
      for (let o = 0; o < outer; o++) if (!Number.isFinite(m[o])) m[o] = Number.isNaN(m[o]) ? NaN : 0;
      let mo = m[0];
      for (let p = 0, j = 0, o = 0; p < A.length; p++) {
        T[p] = A[p] - mo;
        if (++j === len) { j = 0; mo = m[++o]; }
      }
      if (addon.unary("exp", T, T, A.length) && addon.reduce("sum", T, outer, len, 1, s)) {
        // without b the sums are positive, 0 (all −∞ rows) or NaN, so log|s| is log s
        for (let o = 0; o < outer; o++) sign[o] = Math.sign(s[o]);
        if (!addon.unary("log", s, out, outer)) for (let o = 0; o < outer; o++) out[o] = Math.log(s[o]);
        for (let o = 0; o < outer; o++) out[o] += m[o];
        recycle(T); // scratch: no array ever saw it
        return { out: new NDArray(out, outShape, "float64"), sign: new NDArray(sign, outShape, "float64") };
      }
    }
    recycle(T);
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let l = 0, p = base; l < len; l++, p += inner) if (A[p] > m || A[p] !== A[p]) m = A[p];
      if (!Number.isFinite(m)) m = Number.isNaN(m) ? NaN : 0;
      let s = 0;
      for (let l = 0, p = base; l < len; l++, p += inner) s += Math.exp(A[p] - m);
      const k = o * inner + i;
      sign[k] = Math.sign(s);
      out[k] = Math.log(Math.abs(s)) + m;
    }
  }
  return { out: new NDArray(out, outShape, "float64"), sign: new NDArray(sign, outShape, "float64") };
}

/**
 * The logsumexp primitive, log|Σ_axes b·e^a| (NaN for negative sums unless `signed`). Its derivative is
 * ∂/∂a = sign·b·e^{a − ans} (softmax·b) and ∂/∂b = sign·e^{a − ans}; entries with a = −∞ get exactly 0, also
 * when the whole slice is −∞.
 */
const lsePrim = definePrimitive("logsumexp", {
  impl: (a: NDArray, b: NDArray | null, axes: number[], keepdims: boolean, signed: boolean) => {
    const { out, sign } = lseKernel(a, b, axes, keepdims);
    if (signed) return out;
    const o = out.data as Float64Array, sg = sign.data;
    for (let k = 0; k < o.length; k++) if (sg[k] < 0) o[k] = NaN; // out is this call's own array
    return out;
  },
  argNames: ["a", "b"],
  vjp: [
    (g, ans, a: NDArray, b: NDArray | null, axes: number[], keepdims: boolean) => {
      const w = lseWeights(ans, a, b, axes, keepdims);
      // g with the reduced axes kept as 1 broadcasts against the weights, which have a's full shape
      return multiply(keepdims ? g : reshape(g, a.shape.map((d, i) => (axes.includes(i) ? 1 : d))), b ? multiply(b, w) : w);
    },
    (g, ans, a: NDArray, b: NDArray, axes: number[], keepdims: boolean) => {
      const w = lseWeights(ans, a, b, axes, keepdims);
      return unbroadcast(multiply(expandTo(g, a.shape, axes, keepdims), w), b);
    },
  ],
  jvp: [
    (t, ans, a: NDArray, b: NDArray | null, axes: number[], keepdims: boolean) => {
      const w = lseWeights(ans, a, b, axes, keepdims);
      return sumAxes(multiply(t, b ? multiply(b, w) : w), axes, keepdims);
    },
    (t, ans, a: NDArray, b: NDArray, axes: number[], keepdims: boolean) => {
      const w = lseWeights(ans, a, b, axes, keepdims);
      return sumAxes(broadcast_to(multiply(t, w), a.shape), axes, keepdims);
    },
  ],
});

/**
 * sign·e^{a − ans}, the softmax weights (the primitive's `a` always has the full broadcast shape). Entries with
 * a = −∞ get 0; an all −∞ slice (ans = −∞) uses ans = 0 there instead of producing −∞ − (−∞) = nan.
 */
function lseWeights(ans: NDArray, a: NDArray, b: NDArray | null, axes: number[], keepdims: boolean): NDArray {
  const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const ansK = keepdims ? ans : reshape(ans, kept);
  const ansSafe = select(equal(ansK, -Infinity), 0, ansK);
  // without b the sum of exponentials is positive (sign 1), or 0 for an all −∞ slice, or NaN, where the weights
  // e^{a − ans} are already 0 or NaN: the sign changes nothing
  if (b === null) return exp(subtract(a, ansSafe));
  const { sign } = lseKernel(getValue(a), getValue(b), axes, true);
  return multiply(sign, exp(subtract(a, ansSafe)));
}

/** The reduced cotangent reshaped to kept dims, broadcast to the full shape. */
function expandTo(g: NDArray, shape: number[], axes: number[], keepdims: boolean): NDArray {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return broadcast_to(keepdims ? g : reshape(g, kept), shape);
}

export interface LogsumexpOptions {
  axis?: number | number[] | null;
  b?: ArrayLike | null;
  keepdims?: boolean;
  return_sign?: boolean;
}

/**
 * scipy.special.logsumexp(a, { axis, b, keepdims, return_sign }) (or logsumexp(a, axis)): log Σ b·e^a, computed
 * stably. With return_sign: [log|Σ b·e^a|, sign]. The gradient with respect to a is softmax(a)·b.
 */
export function logsumexp(a: ArrayLike, opts?: number | number[] | null | LogsumexpOptions): any {
  const where = "scipy.special.logsumexp";
  let o: LogsumexpOptions = {};
  if (typeof opts === "number" || Array.isArray(opts)) o = { axis: opts };
  else if (isOptionsObject(opts)) {
    for (const k of Object.keys(opts)) {
      if (!["axis", "b", "keepdims", "return_sign"].includes(k)) {
        throw new TypeError(`${where}: unknown option '${k}'; expected one of 'axis', 'b', 'keepdims', 'return_sign'`);
      }
    }
    o = opts as LogsumexpOptions;
  } else if (opts !== undefined && opts !== null) throw new TypeError(`${where}: expected an axis or an options object, got ${String(opts)}`);
  const x = arr(a, where);
  if (isComplex(x.dtype)) throw new TypeError(`${where}: complex input is not supported`);
  const b = o.b === undefined || o.b === null ? null : arr(o.b, where);
  const shape = b ? broadcastShapes(x.shape, b.shape, where) : x.shape;
  const axes = normalizeAxes(o.axis ?? null, shape.length, where);
  const keepdims = !!o.keepdims;
  const signed = !!o.return_sign;
  // the primitive's `a` has the full broadcast shape (b may be smaller), so axes refer to a's own dims
  const xa = shapesEqual(x.shape, shape) ? x : broadcast_to(x, shape);
  const out = lsePrim(xa, b, axes, keepdims, signed);
  if (!signed) return out;
  const { sign } = lseKernel(getValue(xa), b ? getValue(b) : null, axes, keepdims);
  return [out, sign];
}

function axisOpt(where: string, opts: unknown): number | number[] | null {
  if (opts === undefined || opts === null) return null;
  if (typeof opts === "number" || Array.isArray(opts)) return opts as number | number[];
  if (isOptionsObject(opts)) {
    for (const k of Object.keys(opts)) if (k !== "axis") throw new TypeError(`${where}: unknown option '${k}'; expected 'axis'`);
    return (opts.axis as number | number[] | null | undefined) ?? null;
  }
  throw new TypeError(`${where}: expected an axis or { axis }, got ${String(opts)}`);
}

/** scipy.special.softmax(x, axis = None): exp(x − logsumexp(x, axis, keepdims)). */
export function softmax(x: ArrayLike, axis?: number | number[] | null | { axis?: number | number[] | null }): NDArray {
  const a = arr(x, "scipy.special.softmax");
  return exp(subtract(a, logsumexp(a, { axis: axisOpt("scipy.special.softmax", axis), keepdims: true })));
}

/** scipy.special.log_softmax(x, axis = None): x − logsumexp(x, axis, keepdims). */
export function log_softmax(x: ArrayLike, axis?: number | number[] | null | { axis?: number | number[] | null }): NDArray {
  const a = arr(x, "scipy.special.log_softmax");
  return subtract(a, logsumexp(a, { axis: axisOpt("scipy.special.log_softmax", axis), keepdims: true }));
}
