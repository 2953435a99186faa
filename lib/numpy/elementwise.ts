// Elementwise unary functions, one table row each: the real kernel, the complex kernel, and the derivative.
// The VJP is g·f'(x) and the JVP t·f'(x) for every row (autograd's convention: no conjugation for
// holomorphic functions), so a row only states f'(x), usually in terms of the answer.
import { type DType, isComplex, toInexact } from "../array/dtype";
import { type ComplexFn1, type RealFn1, map1 } from "../array/kernels";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { type Primitive, definePrimitive } from "../core/tracer";
import { arr } from "./args";
import { asFloat, conj, real } from "./basis";
import { add, divide, multiply, subtract, power, equal, less, provideUnaries, tanh_grad } from "./binary";

type Deriv = (ans: NDArray, x: NDArray) => ArrayLike;

interface UnaryRow {
  name: string;
  f: RealFn1;
  fc?: ComplexFn1;
  /** "inexact": ints become float64 (exp, sin, ...); "same": dtype kept (negative, square, ...). */
  kind?: "inexact" | "same" | "bool";
  d?: Deriv;
  /** g·f'(x) computed directly, instead of d, when that takes fewer arrays (log: g / x, not g · (1 / x)). */
  times?: (g: NDArray, ans: NDArray, x: NDArray) => NDArray;
  nondiff?: boolean;
  linear?: boolean;
  /** The native addon's kernel for f on float64 (lib/array/native.ts), when it has one. */
  native?: string;
}

export function defineUnary(row: UnaryRow): (x: ArrayLike) => NDArray {
  const outDtype = (x: NDArray): DType =>
    row.kind === "bool" ? "bool" : row.kind === "same" ? x.dtype : toInexact(x.dtype);
  const impl = (x: NDArray) => map1(x, outDtype(x), row.f, row.fc, `np.${row.name}`, row.native);
  const d = row.d;
  const times = row.times ?? (d ? (g: NDArray, ans: NDArray, x: NDArray) => multiply(g, d(ans, x) as any) : undefined);
  const prim: Primitive = definePrimitive(row.name, {
    impl,
    nondiff: row.nondiff,
    linear: row.linear,
    argNames: ["x"],
    vjp: times ? [times] : row.linear ? [(g) => prim(g)] : [],
    jvp: times ? [times] : [],
  });
  const where = `np.${row.name}`;
  const fn = (x: ArrayLike): NDArray => prim(arr(x, where));
  Object.defineProperty(fn, "name", { value: row.name });
  return fn;
}

// ---- complex kernels (principal branches, as numpy) ----------------------------------------------------------
const cexp: ComplexFn1 = (re, im, o, k) => { const m = Math.exp(re); o[k] = m * Math.cos(im); o[k + 1] = m * Math.sin(im); };
const clog: ComplexFn1 = (re, im, o, k) => { o[k] = Math.log(Math.hypot(re, im)); o[k + 1] = Math.atan2(im, re); };
const csqrt: ComplexFn1 = (re, im, o, k) => {
  const r = Math.hypot(re, im);
  const s = Math.sqrt((r + Math.abs(re)) / 2);
  if (s === 0) { o[k] = 0; o[k + 1] = 0; return; }
  if (re >= 0) { o[k] = s; o[k + 1] = im / (2 * s); } else { o[k] = Math.abs(im) / (2 * s); o[k + 1] = im >= 0 ? s : -s; }
};
const csin: ComplexFn1 = (re, im, o, k) => { o[k] = Math.sin(re) * Math.cosh(im); o[k + 1] = Math.cos(re) * Math.sinh(im); };
const ccos: ComplexFn1 = (re, im, o, k) => { o[k] = Math.cos(re) * Math.cosh(im); o[k + 1] = -Math.sin(re) * Math.sinh(im); };
const csinh: ComplexFn1 = (re, im, o, k) => { o[k] = Math.sinh(re) * Math.cos(im); o[k + 1] = Math.cosh(re) * Math.sin(im); };
const ccosh: ComplexFn1 = (re, im, o, k) => { o[k] = Math.cosh(re) * Math.cos(im); o[k + 1] = Math.sinh(re) * Math.sin(im); };
const ctanh: ComplexFn1 = (re, im, o, k) => {
  // tanh(a+ib) = (sinh 2a + i sin 2b) / (cosh 2a + cos 2b)
  const d = Math.cosh(2 * re) + Math.cos(2 * im);
  if (!Number.isFinite(d)) { o[k] = Math.sign(re); o[k + 1] = 0; return; }
  o[k] = Math.sinh(2 * re) / d; o[k + 1] = Math.sin(2 * im) / d;
};
const ctan: ComplexFn1 = (re, im, o, k) => {
  // tan(z) = -i tanh(iz)
  ctanh(-im, re, o, k);
  const a = o[k], b = o[k + 1];
  o[k] = b; o[k + 1] = -a;
};
const cneg: ComplexFn1 = (re, im, o, k) => { o[k] = -re; o[k + 1] = -im; };
const csquare: ComplexFn1 = (re, im, o, k) => { o[k] = re * re - im * im; o[k + 1] = 2 * re * im; };
const crecip: ComplexFn1 = (re, im, o, k) => {
  if (Math.abs(re) >= Math.abs(im)) { const r = im / re, d = re + im * r; o[k] = 1 / d; o[k + 1] = -r / d; }
  else { const r = re / im, d = re * r + im; o[k] = r / d; o[k + 1] = -1 / d; }
};
const cscale = (s: number): ComplexFn1 => (re, im, o, k) => { o[k] = s * re; o[k + 1] = s * im; };
const cthen = (f: ComplexFn1, g: ComplexFn1): ComplexFn1 => (re, im, o, k) => { f(re, im, o, k); g(o[k], o[k + 1], o, k); };
const cexpm1: ComplexFn1 = (re, im, o, k) => { cexp(re, im, o, k); o[k] -= 1; };
const clog1p: ComplexFn1 = (re, im, o, k) => clog(re + 1, im, o, k);

// ---- the table -------------------------------------------------------------------------------------------------
export const negative = defineUnary({ name: "negative", native: "negative", f: (x) => -x, fc: cneg, kind: "same", linear: true });
export const positive = defineUnary({ name: "positive", f: (x) => x, fc: (r, i, o, k) => { o[k] = r; o[k + 1] = i; }, kind: "same", linear: true });
export const exp = defineUnary({ name: "exp", native: "exp", f: Math.exp, fc: cexp, d: (ans) => ans });
export const exp2 = defineUnary({ name: "exp2", f: (x) => Math.pow(2, x), fc: cthen(cscale(Math.LN2), cexp), d: (ans) => multiply(ans, Math.LN2) });
export const expm1 = defineUnary({ name: "expm1", native: "expm1", f: Math.expm1, fc: cexpm1, d: (ans) => add(ans, 1) });
export const log = defineUnary({ name: "log", native: "log", f: Math.log, fc: clog, times: (g, _a, x) => divide(g, x) });
export const log2 = defineUnary({ name: "log2", f: Math.log2, fc: cthen(clog, cscale(1 / Math.LN2)), d: (_a, x) => divide(1 / Math.LN2, x) });
export const log10 = defineUnary({ name: "log10", f: Math.log10, fc: cthen(clog, cscale(1 / Math.LN10)), d: (_a, x) => divide(1 / Math.LN10, x) });
export const log1p = defineUnary({ name: "log1p", native: "log1p", f: Math.log1p, fc: clog1p, times: (g, _a, x) => divide(g, add(x, 1)) });
export const sin = defineUnary({ name: "sin", native: "sin", f: Math.sin, fc: csin, d: (_a, x) => cos(x) });
export const cos = defineUnary({ name: "cos", native: "cos", f: Math.cos, fc: ccos, d: (_a, x) => negative(sin(x)) });
export const tan = defineUnary({ name: "tan", f: Math.tan, fc: ctan, d: (ans) => add(1, square(ans)) });
export const arcsin = defineUnary({ name: "arcsin", f: Math.asin, d: (_a, x) => power(subtract(1, square(x)), -0.5) });
export const arccos = defineUnary({ name: "arccos", f: Math.acos, d: (_a, x) => negative(power(subtract(1, square(x)), -0.5)) });
export const arctan = defineUnary({ name: "arctan", f: Math.atan, d: (_a, x) => reciprocal(add(1, square(x))) });
export const sinh = defineUnary({ name: "sinh", f: Math.sinh, fc: csinh, d: (_a, x) => cosh(x) });
export const cosh = defineUnary({ name: "cosh", f: Math.cosh, fc: ccosh, d: (_a, x) => sinh(x) });
export const tanh = defineUnary({ name: "tanh", native: "tanh", f: Math.tanh, fc: ctanh, times: (g, ans) => tanh_grad(g, ans) });
export const arcsinh = defineUnary({ name: "arcsinh", f: Math.asinh, d: (_a, x) => power(add(square(x), 1), -0.5) });
export const arccosh = defineUnary({ name: "arccosh", f: Math.acosh, d: (_a, x) => power(subtract(square(x), 1), -0.5) });
export const arctanh = defineUnary({ name: "arctanh", f: Math.atanh, d: (_a, x) => reciprocal(subtract(1, square(x))) });
export const rad2deg = defineUnary({ name: "rad2deg", f: (x) => (x * 180) / Math.PI, linear: true });
export const deg2rad = defineUnary({ name: "deg2rad", f: (x) => (x * Math.PI) / 180, linear: true });
export const degrees = rad2deg;
export const radians = deg2rad;
export const square = defineUnary({ name: "square", native: "square", f: (x) => x * x, fc: csquare, kind: "same", d: (_a, x) => multiply(x, 2) });
export const sqrt = defineUnary({ name: "sqrt", native: "sqrt", f: Math.sqrt, fc: csqrt, d: (ans) => divide(0.5, ans) });
export const cbrt = defineUnary({ name: "cbrt", f: Math.cbrt, d: (ans) => divide(1 / 3, square(ans)) });
export const reciprocal = defineUnary({ name: "reciprocal", native: "reciprocal", f: (x) => 1 / x, fc: crecip, d: (ans) => negative(square(ans)) });
/** sinc(x) = sin(πx)/(πx), 1 at 0. */
export const sinc = defineUnary({
  name: "sinc",
  f: (x) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)),
  d: (_a, x) => {
    // (cos(πx) - sinc(x)) / x away from 0; near 0 (where that cancels) its series -π²x/3 + π⁴x³/30, which
    // also gives the right higher derivatives at 0 (sinc''(0) = -π²/3)
    const small = asFloat(less(abs(x), 1e-3), x);
    const safe = add(x, small);
    const exact = divide(subtract(cos(multiply(Math.PI, safe)), sinc(safe)), safe);
    const series = multiply(x, add(-(Math.PI ** 2) / 3, multiply((Math.PI ** 4) / 30, square(x))));
    return add(multiply(small, series), multiply(subtract(1, small), exact));
  },
});

// abs is not holomorphic: d|x| = re(conj(x)·dx)/|x|
const absPrim: Primitive = definePrimitive("absolute", {
  impl: (x: NDArray) =>
    map1(x, isComplex(x.dtype) ? "float64" : x.dtype, Math.abs, (re, im, o, k) => { o[k] = Math.hypot(re, im); o[k + 1] = 0; }, "np.abs", "abs"),
  argNames: ["x"],
  vjp: [(g, ans, x) => multiply(g, divide(conj(x), add(ans, asFloat(equal(ans, 0), ans))))],
  jvp: [(t, ans, x) => {
    const s = divide(conj(x), add(ans, asFloat(equal(ans, 0), ans)));
    return isComplex(x.dtype) ? real(multiply(s, t)) : multiply(s, t);
  }],
});
export const absolute = (x: ArrayLike): NDArray => absPrim(arr(x, "np.abs"));
export const abs = absolute;
export const fabs = (x: ArrayLike): NDArray => absPrim(arr(x, "np.fabs"));

// non-differentiable elementwise helpers (zero gradient, constants under tracing)
export const sign = defineUnary({ name: "sign", f: Math.sign, kind: "same", nondiff: true });
export const floor = defineUnary({ name: "floor", f: Math.floor, kind: "same", nondiff: true });
export const ceil = defineUnary({ name: "ceil", f: Math.ceil, kind: "same", nondiff: true });
export const trunc = defineUnary({ name: "trunc", f: Math.trunc, kind: "same", nondiff: true });
export const fix = trunc;
/** numpy rounds half to even. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
export const rint = defineUnary({ name: "rint", f: roundHalfEven, kind: "same", nondiff: true });
export const isnan = defineUnary({ name: "isnan", native: "isnan", kind: "bool", f: (x) => +Number.isNaN(x), fc: (r, i, o, k) => { o[k] = Number.isNaN(r) || Number.isNaN(i) ? 1 : 0; o[k + 1] = 0; }, nondiff: true });
export const isinf = defineUnary({ name: "isinf", native: "isinf", kind: "bool", f: (x) => +(Math.abs(x) === Infinity), nondiff: true });
export const isfinite = defineUnary({ name: "isfinite", native: "isfinite", kind: "bool", f: (x) => +Number.isFinite(x), nondiff: true });
export const signbit = defineUnary({ name: "signbit", native: "signbit", kind: "bool", f: (x) => +(x < 0) | +(1 / x < 0) /* 1/-0 = -Inf; no branch */, nondiff: true });
export const logical_not = defineUnary({ name: "logical_not", native: "logical_not", kind: "bool", f: (x) => +(x === 0), nondiff: true });

// binary.ts's derivative rules are written in some of the functions above (it sits below this module)
provideUnaries({ negative, reciprocal, log, exp, exp2, square, sign, floor, trunc });
