// Broadcasting binary functions: add, subtract, multiply, divide, power, maximum, ... with their VJPs and JVPs.
// Each row: the real kernel, the complex kernel where numpy defines one, and the partial derivatives.
import { type DType, isComplex, promote, promoteWithScalar, toInexact } from "../array/dtype";
import { type ComplexFn2, type RealFn2, map2 } from "../array/kernels";
import { type ArrayLike, NDArray, scalar } from "../array/ndarray";
import { type JvpRule, type Primitive, type VjpRule, definePrimitive, getValue } from "../core/tracer";
import { ValueError } from "../array/errors";
import { type Operand, operand } from "./args";
import { asFloat, keepFloat32, unbroadcast } from "./basis";

/**
 * The unary functions the rules below are written in (u.exp, u.log, u.negative, ...). They are defined in
 * ./elementwise, which sits above this module (its own rules multiply, add, divide, ...): it hands them down
 * once, as it loads (provideUnaries at its end). Rules run only after lib/numpy has loaded, and forward passes
 * never look here.
 */
export interface RuleUnaries {
  negative: UnaryFn; reciprocal: UnaryFn; log: UnaryFn; exp: UnaryFn; exp2: UnaryFn; square: UnaryFn;
  sign: UnaryFn; floor: UnaryFn; trunc: UnaryFn;
}
type UnaryFn = (x: ArrayLike) => NDArray;
const notLoaded: UnaryFn = () => {
  throw new Error("gradlab internal error: lib/numpy/elementwise.ts not loaded (import from lib/index.ts)");
};
let u: RuleUnaries = {
  negative: notLoaded, reciprocal: notLoaded, log: notLoaded, exp: notLoaded, exp2: notLoaded, square: notLoaded,
  sign: notLoaded, floor: notLoaded, trunc: notLoaded,
};
export function provideUnaries(fns: RuleUnaries): void {
  u = fns;
}

export type OutKind = "promote" | "inexact" | "bool";

export function resultDType(a: Operand, b: Operand, kind: OutKind): DType {
  if (kind === "bool") return "bool";
  let d: DType;
  if (typeof a === "number") d = typeof b === "number" ? "float64" : promoteWithScalar(b.dtype, a);
  else d = typeof b === "number" ? promoteWithScalar(a.dtype, b) : promote(a.dtype, b.dtype);
  return kind === "inexact" ? toInexact(d) : d;
}

const asArr = (x: Operand): NDArray => (typeof x === "number" ? scalar(x) : x);

/** The kernel of a binary primitive on plain values. */
export function binaryKernel(name: string, f: RealFn2, fc: ComplexFn2 | undefined, kind: OutKind, nativeOp?: string) {
  const where = `np.${name}`;
  return (a: Operand, b: Operand): NDArray => map2(asArr(a), asArr(b), resultDType(a, b, kind), f, fc, where, nativeOp);
}

/** g * d unbroadcast to the target: the VJP of an argument whose partial derivative is `d(...)`. */
const scaled =
  (d: (ans: NDArray, a: Operand, b: Operand) => ArrayLike, argIndex: 0 | 1): VjpRule =>
  (g, ans, a, b) =>
    unbroadcast(multiply(g, d(ans, a, b) as any), argIndex === 0 ? a : b);
const scaledJvp =
  (d: (ans: NDArray, a: Operand, b: Operand) => ArrayLike): JvpRule =>
  (t, ans, a, b) =>
    keepFloat32(multiply(t, d(ans, a, b) as any), ans);

interface BinaryRow {
  name: string;
  f: RealFn2;
  fc?: ComplexFn2;
  kind?: OutKind;
  /** Partial derivatives ∂f/∂a and ∂f/∂b as arrays (broadcastable to the output); omitted when linear. */
  da?: (ans: NDArray, a: Operand, b: Operand) => ArrayLike;
  db?: (ans: NDArray, a: Operand, b: Operand) => ArrayLike;
  linear?: boolean;
  vjp?: (VjpRule | undefined)[];
  jvp?: (JvpRule | undefined)[];
  /** Argument check on the (primal) operands, before the primitive runs. */
  validate?: (a: Operand, b: Operand) => void;
  /** The native addon's kernel for f on float64 (lib/array/native.ts), when it has one. */
  native?: string;
}

function defineBinary(row: BinaryRow): (a: ArrayLike, b: ArrayLike) => NDArray {
  const kernel = binaryKernel(row.name, row.f, row.fc, row.kind ?? "promote", row.native);
  const vjp = row.vjp ?? [row.da && scaled(row.da, 0), row.db && scaled(row.db, 1)];
  const jvp = row.jvp ?? [row.da && scaledJvp(row.da), row.db && scaledJvp(row.db)];
  const prim: Primitive = definePrimitive(row.name, { impl: kernel, vjp, jvp, linear: row.linear, argNames: ["x1", "x2"] });
  const where = `np.${row.name}`;
  const validate = row.validate;
  const fn = validate
    ? (a: ArrayLike, b: ArrayLike): NDArray => {
        const x = operand(a, where), y = operand(b, where);
        validate(x, y);
        return prim(x, y);
      }
    : (a: ArrayLike, b: ArrayLike): NDArray => prim(operand(a, where), operand(b, where));
  Object.defineProperty(fn, "name", { value: row.name });
  return fn;
}

// ---- complex kernels -----------------------------------------------------------------------------------------
const cadd: ComplexFn2 = (ar, ai, br, bi, o, k) => { o[k] = ar + br; o[k + 1] = ai + bi; };
const csub: ComplexFn2 = (ar, ai, br, bi, o, k) => { o[k] = ar - br; o[k + 1] = ai - bi; };
const cmul: ComplexFn2 = (ar, ai, br, bi, o, k) => { o[k] = ar * br - ai * bi; o[k + 1] = ar * bi + ai * br; };
const cdiv: ComplexFn2 = (ar, ai, br, bi, o, k) => {
  // Smith's algorithm: avoids overflow in |b|^2
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br, d = br + bi * r;
    o[k] = (ar + ai * r) / d; o[k + 1] = (ai - ar * r) / d;
  } else {
    const r = br / bi, d = br * r + bi;
    o[k] = (ar * r + ai) / d; o[k + 1] = (ai * r - ar) / d;
  }
};
const cpow: ComplexFn2 = (ar, ai, br, bi, o, k) => {
  if (ar === 0 && ai === 0) {
    if (br === 0 && bi === 0) { o[k] = 1; o[k + 1] = 0; } else { o[k] = 0; o[k + 1] = 0; }
    return;
  }
  const logr = Math.log(Math.hypot(ar, ai)), th = Math.atan2(ai, ar);
  const mag = Math.exp(br * logr - bi * th), ang = bi * logr + br * th;
  o[k] = mag * Math.cos(ang); o[k + 1] = mag * Math.sin(ang);
};
const cboolOf = (f: (ar: number, ai: number, br: number, bi: number) => boolean): ComplexFn2 =>
  (ar, ai, br, bi, o, k) => { o[k] = f(ar, ai, br, bi) ? 1 : 0; o[k + 1] = 0; };

// ---- the table -------------------------------------------------------------------------------------------------

/** Splits a gradient evenly on ties, as autograd does for maximum/minimum. */
const tieMask = (pick: (ans: NDArray, a: Operand, b: Operand) => NDArray) => pick;
const winMask = (self: 0 | 1) =>
  tieMask((ans, a, b) => {
    const mine = self === 0 ? a : b, other = self === 0 ? b : a;
    // 1 where this argument is the result, 0.5 on ties, 0 elsewhere
    return add(asFloat(equal(ans, mine), ans), multiply(-0.5, asFloat(equal(mine, other), ans)));
  });

export const add = defineBinary({ name: "add", native: "add", f: (a, b) => a + b, fc: cadd, linear: true,
  vjp: [(g, _ans, a) => unbroadcast(g, a), (g, _ans, _a, b) => unbroadcast(g, b)] });
export const subtract = defineBinary({ name: "subtract", native: "subtract", f: (a, b) => a - b, fc: csub, linear: true,
  vjp: [(g, _ans, a) => unbroadcast(g, a), (g, _ans, _a, b) => unbroadcast(u.negative(g), b)] });
export const multiply = defineBinary({ name: "multiply", native: "multiply", f: (a, b) => a * b, fc: cmul,
  da: (_ans, _a, b) => b, db: (_ans, a) => a });
export const divide = defineBinary({ name: "divide", native: "divide", f: (a, b) => a / b, fc: cdiv, kind: "inexact",
  da: (_ans, _a, b) => (typeof b === "number" ? 1 / b : u.reciprocal(b)), db: (ans, _a, b) => u.negative(divide(ans, b)) });
export const true_divide = divide;
/** g · (1 − y²), tanh's VJP and JVP given its answer y: one pass instead of three (square, subtract, multiply).
 *  Internal (not in np): elementwise.ts's tanh row uses it; its own rules make tanh differentiable to any order. */
const ctanhGrad: ComplexFn2 = (gr, gi, yr, yi, o, k) => {
  const ar = 1 - (yr * yr - yi * yi), ai = -2 * yr * yi; // 1 − y²
  o[k] = gr * ar - gi * ai; o[k + 1] = gr * ai + gi * ar;
};
export const tanh_grad = defineBinary({ name: "tanh_grad", native: "tanh_grad", f: (g, y) => g * (1 - y * y), fc: ctanhGrad,
  kind: "inexact", da: (_ans, _g, y) => subtract(1, u.square(y)), db: (_ans, g, y) => multiply(-2, multiply(g, y)) });
/** Math.pow, but correctly rounded for the exponents written most (V8's pow is 1 ulp off for some x ** 2 and
 *  x ** -1), exactly as the native kernel computes them, so both backends give the same bits. */
const powJs = (a: number, b: number): number =>
  b === 2 ? a * a : b === 1 ? a : b === -1 ? 1 / a : b === 0.5 ? (a === -Infinity ? Infinity : Math.sqrt(a) + 0) : Math.pow(a, b);
export const power = defineBinary({ name: "power", native: "power", f: powJs, fc: cpow,
  // d/da a^b = b a^(b-1), with the exponent 1 where b == 0 (autograd's where(b, b - 1, 1): no 0 * inf at a == 0)
  da: (_ans, a, b) => multiply(b, power(a, typeof b === "number" ? (b === 0 ? 1 : b - 1)
    : add(subtract(b, 1), multiply(2, asFloat(equal(b, 0), b))))),
  // d/db a^b = a^b log a, with 0 where a == 0 (autograd's convention, avoids 0 * -inf)
  db: (ans, a) => multiply(ans, u.log(where0(a))),
  validate: (a, b) => {
    // numpy: integers to negative integer powers are not allowed
    const d = resultDType(a, b, "promote");
    if (d !== "int32" && d !== "bool") return;
    const exps = typeof b === "number" ? [b] : getValue(b).data;
    for (let i = 0; i < exps.length; i++) {
      if (exps[i] < 0) throw new ValueError("np.power: integers to negative integer powers are not allowed (use a float base, e.g. 2.0 or x.astype(\"float64\"))");
    }
  },
});
/** Replaces zeros by ones (log(1) = 0) so that the power rule's log term vanishes at a == 0. */
function where0(a: Operand): NDArray {
  return add(a, asFloat(equal(a, 0), a));
}
export const maximum = defineBinary({ name: "maximum", native: "maximum", f: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  da: winMask(0), db: winMask(1) });
export const minimum = defineBinary({ name: "minimum", native: "minimum", f: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  da: winMask(0), db: winMask(1) });
// fmax/fmin ignore NaNs
export const fmax = defineBinary({ name: "fmax", f: (a, b) => (Number.isNaN(b) || a >= b ? a : b), da: winMask(0), db: winMask(1) });
export const fmin = defineBinary({ name: "fmin", f: (a, b) => (Number.isNaN(b) || a <= b ? a : b), da: winMask(0), db: winMask(1) });
export const logaddexp = defineBinary({ name: "logaddexp", kind: "inexact",
  f: (a, b) => { const m = Math.max(a, b); return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m)); },
  da: (ans, a) => u.exp(subtract(a, ans)), db: (ans, _a, b) => u.exp(subtract(b, ans)) });
export const logaddexp2 = defineBinary({ name: "logaddexp2", kind: "inexact",
  f: (a, b) => { const m = Math.max(a, b); return m === -Infinity ? -Infinity : m + Math.log2(Math.pow(2, a - m) + Math.pow(2, b - m)); },
  da: (ans, a) => power(2, subtract(a, ans)), db: (ans, _a, b) => power(2, subtract(b, ans)) });
/** numpy's mod: the result has the sign of the divisor. */
export const mod = defineBinary({ name: "mod", f: (a, b) => { if (b === 0) return NaN; const r = a % b; return r !== 0 && (r < 0) !== (b < 0) ? r + b : r; },
  da: () => 1, db: (_ans, a, b) => u.negative(u.floor(divide(a, b))) });
export const remainder = mod;
export const fmod = defineBinary({ name: "fmod", f: (a, b) => a % b,
  da: () => 1, db: (_ans, a, b) => u.negative(u.trunc(divide(a, b))) });
export const arctan2 = defineBinary({ name: "arctan2", f: Math.atan2, kind: "inexact",
  da: (_ans, a, b) => divide(b, add(u.square(a), u.square(b))),
  db: (_ans, a, b) => divide(u.negative(a), add(u.square(a), u.square(b))) });
export const hypot = defineBinary({ name: "hypot", f: Math.hypot, kind: "inexact",
  da: (ans, a) => divide(a, ans), db: (ans, _a, b) => divide(b, ans) });
export const copysign = defineBinary({ name: "copysign", kind: "inexact",
  f: (a, b) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)),
  // ∂/∂b is 0, as an array of the output's shape (a bare 0 gave b-shaped tangents when b broadcasts)
  da: (ans, a) => multiply(u.sign(a), u.sign(ans)), db: (ans) => new NDArray(new Float64Array(ans.size), ans.shape.slice(), "float64") });
export const ldexp = defineBinary({ name: "ldexp", kind: "inexact", f: (a, b) => a * Math.pow(2, b),
  da: (_ans, _a, b) => u.exp2(b), db: (ans) => multiply(ans, Math.LN2) });

// comparisons and logic: constants for the tracer. Each kernel returns 1 / 0 as `+(test)`: V8 compiles
// `test ? 1 : 0` into a branch, which mispredicts half the time on unordered data (measured np.greater on two 1M
// random vectors: 6.7 ms with the conditional, 1.55 ms with the conversion). Float64 operands of 256 elements
// and more go to the addon's `compare` loops (same rules) where it is loaded.
function defineCompare(name: string, f: RealFn2, fc?: (ar: number, ai: number, br: number, bi: number) => boolean) {
  const prim = definePrimitive(name, { impl: binaryKernel(name, f, fc && cboolOf(fc), "bool", name), nondiff: true });
  const where = `np.${name}`;
  return (a: ArrayLike, b: ArrayLike): NDArray => prim(operand(a, where), operand(b, where));
}
export const equal = defineCompare("equal", (a, b) => +(a === b), (ar, ai, br, bi) => ar === br && ai === bi);
export const not_equal = defineCompare("not_equal", (a, b) => +(a !== b), (ar, ai, br, bi) => ar !== br || ai !== bi);
export const less = defineCompare("less", (a, b) => +(a < b));
export const less_equal = defineCompare("less_equal", (a, b) => +(a <= b));
export const greater = defineCompare("greater", (a, b) => +(a > b));
export const greater_equal = defineCompare("greater_equal", (a, b) => +(a >= b));
export const logical_and = defineCompare("logical_and", (a, b) => +(a !== 0 && b !== 0));
export const logical_or = defineCompare("logical_or", (a, b) => +(a !== 0 || b !== 0));
export const logical_xor = defineCompare("logical_xor", (a, b) => +((a !== 0) !== (b !== 0)));
