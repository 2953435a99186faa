// Shared machinery of lib/scipy: elementwise special-function primitives (table rows like lib/numpy/elementwise.ts),
// a constant-condition select, and argument helpers. Nothing here is public API.
import { type DType, promote, toInexact } from "../array/dtype";
import { GradientError } from "../array/errors";
import { broadcastTo, map1, map2 } from "../array/kernels";
import { type ArrayLike, NDArray, castArray, describe } from "../array/ndarray";
import { broadcastMany } from "../array/shape";
import { type JvpRule, type Primitive, type VjpRule, definePrimitive, getValue } from "../core/tracer";
import { arr, isOptionsObject } from "../numpy/args";
import { broadcast_to, unbroadcast } from "../numpy/basis";
import { multiply, subtract } from "../numpy/binary";

/** A derivative rule: the partial derivative as an array broadcastable to the output, from the answer and the operands. */
type Partial = (ans: NDArray, ...xs: NDArray[]) => ArrayLike;

const floatOut = (dtypes: DType[]): DType => toInexact(dtypes.reduce(promote));

/**
 * An elementwise scipy.special function of one argument: VJP g·f'(x), JVP t·f'(x) (no conjugation, autograd's
 * convention; these are real functions).
 */
export function special1(name: string, f: (x: number) => number, d?: Partial): (x: ArrayLike) => NDArray {
  const where = `scipy.special.${name}`;
  const prim = definePrimitive(name, {
    impl: (x: NDArray) => map1(x, floatOut([x.dtype]), f, undefined, where),
    argNames: ["x"],
    vjp: d ? [(g, ans, x) => multiply(g, d(ans, x) as NDArray)] : [],
    jvp: d ? [(t, ans, x) => multiply(t, d(ans, x) as NDArray)] : [],
  });
  const fn = (x: ArrayLike): NDArray => prim(arr(x, where));
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

/** The error raised when differentiating with respect to an argument a special function is not differentiable in. */
export function notDifferentiable(where: string, prim: string, argIndex: number, argName: string, only: string): GradientError {
  return new GradientError(
    `${where}: not differentiable with respect to argument ${argIndex} (${argName}) of primitive '${prim}'; ` +
      `it is differentiable in ${only} only. Pass ${argName} as a constant.`,
  );
}

/**
 * Elementwise broadcasting function of several arguments. `partials[i]` is ∂f/∂(argument i), or a string naming
 * what the function *is* differentiable in, for arguments without a derivative (differentiating throws then).
 */
export function specialN(
  name: string,
  argNames: string[],
  f: (...v: number[]) => number,
  partials: (Partial | null)[],
  where = `scipy.special.${name}`,
): (...xs: ArrayLike[]) => NDArray {
  const n = argNames.length;
  const differentiable = argNames.filter((_, i) => partials[i]).join(" and ");
  const impl = (...xs: NDArray[]): NDArray => {
    const dt = floatOut(xs.map((x) => x.dtype));
    if (n === 1) return map1(xs[0], dt, f, undefined, where);
    if (n === 2) return map2(xs[0], xs[1], dt, f as (a: number, b: number) => number, undefined, where);
    const shape = broadcastMany(xs.map((x) => x.shape), where);
    const full = xs.map((x) => (x.shape.join() === shape.join() ? x : broadcastTo(x, shape)));
    const size = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(size);
    const v = new Array<number>(n);
    for (let i = 0; i < size; i++) {
      for (let k = 0; k < n; k++) v[k] = full[k].data[i];
      out[i] = f(...v);
    }
    const res = new NDArray(out, shape, "float64");
    return dt === "float64" ? res : castArray(res, dt);
  };
  const vjp = (argnum: number): VjpRule => {
    const d = partials[argnum];
    if (!d) throw notDifferentiable(where, name, argnum, argNames[argnum], differentiable);
    return (g, ans, ...xs: NDArray[]) => unbroadcast(broadcast_to(multiply(g, d(ans, ...xs) as NDArray), ans.shape), xs[argnum]);
  };
  const jvp = (argnum: number): JvpRule => {
    const d = partials[argnum];
    if (!d) throw notDifferentiable(where, name, argnum, argNames[argnum], differentiable);
    return (t, ans, ...xs: NDArray[]) => broadcast_to(multiply(t, d(ans, ...xs) as NDArray), ans.shape);
  };
  const prim = definePrimitive(name, { impl, argNames, vjp, jvp });
  const fn = (...xs: ArrayLike[]): NDArray => {
    if (xs.length !== n) throw new TypeError(`${where}: expected ${n} arguments (${argNames.join(", ")}), got ${xs.length}`);
    return prim(...xs.map((x) => arr(x, where)));
  };
  Object.defineProperty(fn, "name", { value: name });
  return fn;
}

// ---- select with a constant condition ----------------------------------------------------------------------------

const asMask = (c: NDArray): NDArray => castArray(getValue(c), "float64");

/**
 * cond ? x : y elementwise (broadcasting), with a constant condition: differentiable in x and y, and the
 * unselected branch gets an exactly zero cotangent.
 */
const selectPrim: Primitive = definePrimitive("select", {
  impl: (x: NDArray, y: NDArray, cond: NDArray) => {
    const shape = broadcastMany([cond.shape, x.shape, y.shape], "select");
    const dt = promote(x.dtype, y.dtype);
    const X = castArray(broadcastTo(x, shape), dt), Y = castArray(broadcastTo(y, shape), dt), C = broadcastTo(cond, shape);
    const slots = dt === "complex128" ? 2 : 1;
    const out = new (X.data.constructor as Float64ArrayConstructor)(X.data.length);
    for (let i = 0; i < C.size; i++) {
      const src = C.data[i] ? X.data : Y.data;
      for (let s = 0; s < slots; s++) out[i * slots + s] = src[i * slots + s];
    }
    return new NDArray(out, shape, dt);
  },
  argNames: ["x", "y"],
  vjp: [
    (g, ans, x: NDArray, _y, cond: NDArray) => unbroadcast(broadcast_to(multiply(g, asMask(cond)), ans.shape), x),
    (g, ans, _x, y: NDArray, cond: NDArray) => unbroadcast(broadcast_to(multiply(g, subtract(1, asMask(cond))), ans.shape), y),
  ],
  jvp: [
    (t, ans, _x, _y, cond: NDArray) => broadcast_to(multiply(t, asMask(cond)), ans.shape),
    (t, ans, _x, _y, cond: NDArray) => broadcast_to(multiply(t, subtract(1, asMask(cond))), ans.shape),
  ],
});

export function select(cond: NDArray, x: ArrayLike, y: ArrayLike): NDArray {
  return selectPrim(arr(x, "select"), arr(y, "select"), castArray(getValue(cond), "bool"));
}

/** `x` where `ok`, a harmless constant elsewhere: evaluating a branch there then yields finite zero gradients. */
export function safe(ok: NDArray, x: ArrayLike, fill: number): NDArray {
  return select(ok, x, fill);
}

// ---- argument helpers ----------------------------------------------------------------------------------------------

/**
 * Reads scipy-style arguments given positionally, or as a trailing options object, or both:
 * `(x, 1, 2)`, `(x, { loc: 1, scale: 2 })`, `(x, 1, { scale: 2 })`. Returns the values in `names` order.
 */
export function distArgs(where: string, given: unknown[], names: string[], defaults: Record<string, unknown>): Record<string, any> {
  const out: Record<string, any> = {};
  let positional = given;
  const last = given[given.length - 1];
  if (given.length > 0 && isOptionsObject(last)) {
    positional = given.slice(0, -1);
    for (const k of Object.keys(last)) {
      if (!names.includes(k)) throw new TypeError(`${where}: unknown option '${k}'; expected one of ${names.map((n) => `'${n}'`).join(", ")}`);
    }
    Object.assign(out, Object.fromEntries(Object.entries(last).filter(([, v]) => v !== undefined)));
  }
  if (positional.length > names.length) {
    throw new TypeError(`${where}: too many arguments: expected at most ${names.length} (${names.join(", ")}), got ${positional.length}`);
  }
  positional.forEach((v, i) => {
    if (v === undefined) return;
    if (names[i] in out) throw new TypeError(`${where}: got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  for (const n of names) {
    if (!(n in out)) {
      if (!(n in defaults)) throw new TypeError(`${where}: missing required argument '${n}'`);
      out[n] = defaults[n];
    }
  }
  for (const n of names) {
    const v = out[n];
    if (v !== null && typeof v === "object" && !(v instanceof NDArray) && !Array.isArray(v) && !("re" in v)) {
      throw new TypeError(`${where}: argument '${n}' must be an array or a number, got ${describe(v)}`);
    }
  }
  return out;
}
