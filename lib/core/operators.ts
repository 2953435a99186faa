// Differential operators: grad and friends, built on the tracer's two passes.
// Every operator takes `(f, argnum = 0)`; argnum may be an array, then gradients come back as an array.
// Arguments may be numbers, NDArrays or containers of them; gradients have the argument's structure.
import { NDArray, asNDArray, describe, scalar } from "../array/ndarray";
import { GradientError, ShapeError, ValueError } from "../array/errors";
import { isComplex } from "../array/dtype";
import { fmtShape, shapesEqual } from "../array/shape";
import { type Flat, type Leaf, flattenTree, gradLike, leafArray } from "./containers";
import { type Primitive, backwardPass, definePrimitive, linearization, nodeOn, tangentOn, traceForward, traceReverse, valueOn } from "./tracer";
import { vspace } from "./vspace";
import { beginForward, collectStorage, endForward, releaseIntermediates } from "./release";

import type { Fn, GradFn, GradOf, LiftArgs } from "./types";
export type { Fn, GradFn, GradOf, LiftArgs };
export type Argnum = number | number[];

// ---- warnings ---------------------------------------------------------------------------------------------------
const warnedFns = new WeakSet<object>();
function warnIndependent(f: Fn): void {
  if (warnedFns.has(f)) return;
  warnedFns.add(f);
  console.warn("Output seems independent of input.");
}

// ---- argument plumbing -----------------------------------------------------------------------------------------
/** The operator's label for messages, `grad(loss)`, after checking f and argnum when the operator is created. */
function opWhere(op: string, f: unknown, argnum: unknown, single = false): string {
  if (typeof f !== "function") {
    throw new TypeError(`${op}: the first parameter must be the function to differentiate, got ${describe(f)}`);
  }
  const where = opName(op, f as Fn);
  checkArgnumParam(argnum, where, single);
  return where;
}

/** The argnum parameter's own checks, when the operator is created (before any call). */
function checkArgnumParam(argnum: unknown, where: string, single = false): void {
  if (typeof argnum === "number") return;
  if (argnum !== null && typeof argnum === "object" && !Array.isArray(argnum)) {
    throw new TypeError(
      `${where}: the second parameter is argnum (${single ? "an integer" : "an integer or an array of integers"}), ` +
        `got an options object ${describeOptions(argnum)}` +
        (where.startsWith("jacobian(") ? `; options go third: jacobian(f, 0, ${describeOptions(argnum)})` : `; ${where.split("(")[0]} takes no options`),
    );
  }
  if (Array.isArray(argnum)) {
    if (single) {
      throw new TypeError(`${where}: argnum must be a single integer (one argument per Jacobian; call it once per argument), got ${describe(argnum)}`);
    }
    const seen = new Set<unknown>();
    for (const k of argnum) {
      if (seen.has(k)) {
        throw new ValueError(
          `${where}: argnum [${argnum.join(", ")}] lists argument ${String(k)} more than once; ` +
            `each argument can be differentiated once (expected distinct indices such as [${[...new Set(argnum)].join(", ")}])`,
        );
      }
      seen.add(k);
    }
  }
}

const describeOptions = (o: object): string => {
  try {
    return `{ ${Object.entries(o).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")} }`;
  } catch {
    return "{ ... }";
  }
};

function checkArgnums(argnum: Argnum, nargs: number, where: string): number[] {
  const list = typeof argnum === "number" ? [argnum] : argnum;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(`${where}: argnum must be an integer or a non-empty array of integers, got ${describe(argnum)}`);
  }
  checkArgnumParam(list, where);
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0 || k >= nargs) {
      throw new RangeError(
        `${where}: argnum ${String(k)} is out of range: the function was called with ${nargs} argument${nargs === 1 ? "" : "s"}` +
          (nargs > 0 ? ` (valid argnums: 0..${nargs - 1})` : ""),
      );
    }
  }
  return list;
}

interface Prepared {
  argnums: number[];
  flats: Flat[];
  /** All differentiated leaves, as arrays, in order. */
  inputs: NDArray[];
  /** Calls f with the given leaves substituted into the differentiated arguments. */
  call(f: Fn, leaves: NDArray[]): unknown;
  /** Rebuilds per-argnum gradient structures from per-leaf gradients. */
  rebuild(grads: NDArray[]): any[];
}

function prepare(args: unknown[], argnum: Argnum, where: string): Prepared {
  const argnums = checkArgnums(argnum, args.length, where);
  const flats = argnums.map((k) => flattenTree(args[k], where, `argument ${k}`));
  const inputs: NDArray[] = [];
  for (const flat of flats) {
    flat.leaves.forEach((leaf) => {
      const a = leafArray(leaf);
      // integer and boolean arrays are differentiated as float64, as autograd does (np.arange(6) is a valid
      // point); f sees the float64 values and the gradient is float64
      inputs.push(a.dtype === "int32" || a.dtype === "bool" ? vspace().astype(a, "float64") : a);
    });
  }
  return {
    argnums,
    flats,
    inputs,
    call(f, leaves) {
      const newArgs = args.slice();
      let i = 0;
      argnums.forEach((k, j) => {
        const n = flats[j].leaves.length;
        newArgs[k] = flats[j].rebuild(leaves.slice(i, i + n));
        i += n;
      });
      return f(...newArgs);
    },
    rebuild(grads) {
      let i = 0;
      return flats.map((flat) =>
        flat.rebuild(
          flat.leaves.map((leaf: Leaf) => gradLike(leaf, grads[i++], (g, dt) => vspace().astype(g, dt))),
        ),
      );
    },
  };
}

const single = (argnum: Argnum, results: any[]) => (typeof argnum === "number" ? results[0] : results);

/** An operator's name in messages: `grad(loss)`, or `grad(f)` for an anonymous function. */
const opName = (op: string, f: Fn) => `${op}(${f.name || "f"})`;

/** Output of f as an NDArray (numbers are constants: they depend on no input). */
function asOutput(out: unknown, where: string): NDArray {
  if (out instanceof NDArray) return out;
  if (typeof out === "number") return scalar(out);
  throw new TypeError(`${where}: the function must return an NDArray or a number, got ${describe(out)}`);
}

/** The value as f returned it: a number stays a number, an array stays an array (unboxed at this level). */
function userValue(v: NDArray, fReturnedNumber: boolean): NDArray | number {
  return fReturnedNumber && v._box === undefined ? Number(v.data[0]) : v;
}

// ---- reverse mode ------------------------------------------------------------------------------------------------

interface VjpResult {
  value: NDArray;
  /** f returned a plain JS number (a constant). */
  returnedNumber: boolean;
  /**
   * Maps an output cotangent to per-argnum gradients (structured like the arguments). `keepAlso`: more of what
   * the caller returns (gradAndAux's aux), kept when the intermediates are released.
   */
  vjp(g: NDArray, keepAlso?: unknown): any[];
  /** Forward mode on the recorded graph: the output's tangent when the input leaves move along `tangents`. */
  jvp(tangents: NDArray[]): NDArray;
  /** The differentiated leaves, as arrays (integer inputs as float64). */
  inputs: NDArray[];
}

/**
 * Traces f at args. With `release` (operators that run the backward pass exactly once, before they return),
 * the intermediates are released after that pass when nothing else can need them (lib/core/release.ts).
 */
function vjpCore(
  f: Fn, args: unknown[], argnum: Argnum, where: string, outputCheck?: (out: NDArray) => void, release = false, mode: "rev" | "lin" = "rev",
): VjpResult {
  const p = prepare(args, argnum, where);
  let rec = release ? beginForward() : null;
  let traced: ReturnType<typeof traceReverse>;
  try {
    traced = traceReverse((boxed) => p.call(f, boxed), p.inputs, undefined, mode);
  } finally {
    endForward(rec);
  }
  const { out, trace, starts } = traced;
  const outArr = asOutput(out, where);
  outputCheck?.(outArr);
  const end = nodeOn(outArr, trace);
  const value = valueOn(outArr, trace);
  let push: ((tangents: NDArray[]) => NDArray) | undefined;
  return {
    value,
    inputs: p.inputs,
    returnedNumber: typeof out === "number",
    jvp(tangents: NDArray[]) {
      if (end === null) return vspace().zerosLike(value);
      push ??= linearization(end, starts);
      return push(tangents);
    },
    vjp(g: NDArray, keepAlso?: unknown) {
      if (!shapesEqual(g.shape, value.shape)) {
        throw new ShapeError(`${where}: cotangent has shape ${fmtShape(g.shape)}, expected the output's shape ${fmtShape(value.shape)}`);
      }
      if (end === null) {
        warnIndependent(f);
        return p.rebuild(p.inputs.map((x) => vspace().zerosLike(x)));
      }
      for (const s of starts) s.g = undefined;
      backwardPass(g, end);
      const grads = starts.map((s, i) => s.g ?? vspace().zerosLike(p.inputs[i]));
      for (const s of starts) s.g = undefined;
      if (rec !== null) {
        const keep = new Set<unknown>();
        collectStorage(outArr, keep);
        collectStorage(grads, keep);
        if (keepAlso !== undefined) collectStorage(keepAlso, keep);
        releaseIntermediates(rec, keep);
        rec = null;
      }
      return p.rebuild(grads);
    },
  };
}

/** The gradient of the output seeded with ones (d sum(out) / d args), shaped per argnum. */
const gradOfOnes = (r: VjpResult, argnum: Argnum, keepAlso?: unknown) =>
  single(argnum, r.vjp(vspace().onesLike(r.value), keepAlso));

function scalarOutputCheck(where: string) {
  return (out: NDArray) => {
    if (isComplex(out.dtype)) {
      throw new TypeError(
        `${where}: the function returned a complex value; grad only differentiates real scalar outputs. ` +
          `Use holomorphicGrad for holomorphic functions, or take np.real / np.abs of the output.`,
      );
    }
    if (out.size !== 1) {
      throw new TypeError(
        `${where}: grad requires a scalar (size-1) output, but the function returned shape ${fmtShape(out.shape)}. ` +
          `Use jacobian for the full derivative, elementwiseGrad for the gradient of the sum of the outputs, ` +
          `or holomorphicGrad for complex outputs.`,
      );
    }
  };
}

/** Gradient of a real scalar-valued function. */
export function grad<F extends Fn>(f: F, argnum?: 0): GradFn<F>;
export function grad<F extends Fn>(f: F, argnum: Argnum): (...args: LiftArgs<Parameters<F>>) => any;
export function grad<F extends Fn>(f: F, argnum: Argnum = 0): (...args: any[]) => any {
  const where = opWhere("grad", f, argnum);
  return (...args) => {
    return gradOfOnes(vjpCore(f, args, argnum, where, scalarOutputCheck(where), true), argnum);
  };
}

/** [value, gradient] in one pass. */
export function valueAndGrad<F extends Fn>(f: F, argnum?: 0): <A extends LiftArgs<Parameters<F>>>(...args: A) => [any, GradOf<A[0]>];
export function valueAndGrad<F extends Fn>(f: F, argnum: Argnum): (...args: LiftArgs<Parameters<F>>) => [any, any];
export function valueAndGrad<F extends Fn>(f: F, argnum: Argnum = 0): (...args: any[]) => [any, any] {
  const where = opWhere("valueAndGrad", f, argnum);
  return (...args) => {
    const r = vjpCore(f, args, argnum, where, scalarOutputCheck(where), true);
    return [userValue(r.value, r.returnedNumber), gradOfOnes(r, argnum)];
  };
}

/** For f returning [loss, aux]: [gradient of loss, aux]. */
export function gradAndAux<F extends Fn>(f: F, argnum?: 0): <A extends LiftArgs<Parameters<F>>>(...args: A) => [GradOf<A[0]>, any];
export function gradAndAux<F extends Fn>(f: F, argnum: Argnum): (...args: LiftArgs<Parameters<F>>) => [any, any];
export function gradAndAux<F extends Fn>(f: F, argnum: Argnum = 0): (...args: any[]) => [any, any] {
  const where = opWhere("gradAndAux", f, argnum);
  return (...args) => {
    let aux: unknown;
    const lossOnly = (...a: unknown[]) => {
      const out = f(...a);
      if (!Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`${where}: the function must return [loss, aux], got ${describe(out)}`);
      }
      aux = out[1];
      return out[0];
    };
    const r = vjpCore(lossOnly, args, argnum, where, scalarOutputCheck(where), true);
    return [gradOfOnes(r, argnum, aux), aux];
  };
}

/** Gradient of the sum of the outputs: for elementwise functions, the derivative at each point. */
export function elementwiseGrad<F extends Fn>(f: F, argnum?: 0): GradFn<F>;
export function elementwiseGrad<F extends Fn>(f: F, argnum: Argnum): (...args: LiftArgs<Parameters<F>>) => any;
export function elementwiseGrad<F extends Fn>(f: F, argnum: Argnum = 0): (...args: any[]) => any {
  const where = opWhere("elementwiseGrad", f, argnum);
  return (...args) => {
    return gradOfOnes(vjpCore(f, args, argnum, where, undefined, true), argnum);
  };
}

/** Derivative of a holomorphic (complex-differentiable) scalar function. */
export function holomorphicGrad<F extends Fn>(f: F, argnum: Argnum = 0): (...args: LiftArgs<Parameters<F>>) => any {
  const where = opWhere("holomorphicGrad", f, argnum);
  return (...args) => {
    const r = vjpCore(f, args, argnum, where, (out) => {
      if (out.size !== 1) throw new TypeError(`${where}: requires a scalar output, got shape ${fmtShape(out.shape)}`);
    }, true);
    return gradOfOnes(r, argnum);
  };
}

/** makeVjp(f)(x) → [vjp, value], where vjp(g) is the vector-Jacobian product gᵀJ. */
export function makeVjp<F extends Fn>(f: F, argnum: Argnum = 0): (...args: LiftArgs<Parameters<F>>) => [(g: any) => any, any] {
  const where = opWhere("makeVjp", f, argnum);
  return (...args) => {
    const r = vjpCore(f, args, argnum, where);
    const vjp = (g: any) => single(argnum, r.vjp(coerceLike(g, r.value, `${where}: cotangent`)));
    return [vjp, r.value];
  };
}

/** Converts a user-given cotangent or tangent to an array matching `like` in shape, with a clear error. */
function coerceLike(v: unknown, like: NDArray, where: string): NDArray {
  let a: NDArray;
  if (v instanceof NDArray) a = v;
  else if (typeof v === "number") a = scalar(v);
  else if (Array.isArray(v)) a = asNDArray(v, where);
  else throw new TypeError(`${where}: expected an array of shape ${fmtShape(like.shape)}, got ${describe(v)}`);
  if (!shapesEqual(a.shape, like.shape)) {
    throw new ShapeError(`${where} has shape ${fmtShape(a.shape)}, expected ${fmtShape(like.shape)} (dtype ${like.dtype})`);
  }
  if (!isComplex(like.dtype) && isComplex(a.dtype)) {
    throw new TypeError(`${where} is complex128 but the value it pairs with is real (${like.dtype}); expected a real array`);
  }
  return a.dtype === "int32" || a.dtype === "bool" ? vspace().astype(a, "float64") : a;
}

/** Tensor-Jacobian product vᵀJ for a v shaped like the output (autograd's tensor_jacobian_product). */
export function tensorJacobianProduct<F extends Fn>(f: F, argnum: Argnum = 0) {
  return (...argsAndV: any[]) => {
    const v = argsAndV[argsAndV.length - 1];
    const args = argsAndV.slice(0, -1) as LiftArgs<Parameters<F>>;
    return makeVjp(f, argnum)(...args)[0](v);
  };
}
export const vectorJacobianProduct = tensorJacobianProduct;

// ---- forward mode ------------------------------------------------------------------------------------------------

/** Forward pass with tangents for every differentiated leaf: [value, output tangent]. */
function jvpCore(f: Fn, args: unknown[], argnum: Argnum, tangents: unknown, where: string): [NDArray, NDArray] {
  const p = prepare(args, argnum, where);
  const tangentTree = typeof argnum === "number" ? [tangents] : (tangents as unknown[]);
  if (!Array.isArray(tangentTree) || tangentTree.length !== p.argnums.length) {
    throw new TypeError(`${where}: expected ${p.argnums.length} tangents (one per argnum), got ${describe(tangents)}`);
  }
  const leaves: NDArray[] = [];
  p.flats.forEach((flat, j) => {
    let tflat: Flat;
    try {
      tflat = flattenTree(tangentTree[j], where, "tangent");
    } catch (e) {
      throw new TypeError(`${where}: the tangent for argument ${p.argnums[j]} must have the argument's structure: ${(e as Error).message}`);
    }
    if (tflat.leaves.length !== flat.leaves.length || tflat.paths.join() !== flat.paths.join().replaceAll(`argument ${p.argnums[j]}`, "tangent")) {
      throw new TypeError(
        `${where}: the tangent's structure (${tflat.paths.join(", ") || "a single value"}) does not match ` +
          `argument ${p.argnums[j]}'s structure (${flat.paths.join(", ")})`,
      );
    }
    tflat.leaves.forEach((t, i) => {
      const x = leafArray(flat.leaves[i]);
      leaves.push(coerceLike(t, x, `${where}: the tangent at ${flat.paths[i]}`));
    });
  });
  const { out, trace } = traceForward((boxed) => p.call(f, boxed), p.inputs, leaves);
  const outArr = asOutput(out, where);
  const value = valueOn(outArr, trace);
  const t = tangentOn(outArr, trace);
  return [value, t ?? vspace().zerosLike(value)];
}

/** makeJvp(f)(x) → jvp, with jvp(v) → [value, J·v]. */
export function makeJvp<F extends Fn>(f: F, argnum: Argnum = 0): (...args: LiftArgs<Parameters<F>>) => (v: any) => [any, any] {
  const where = opWhere("makeJvp", f, argnum);
  return (...args) => (v) => jvpCore(f, args, argnum, v, where);
}

/** Forward-mode derivative: the output's tangent when every input element moves at unit speed. */
export function deriv<F extends Fn>(f: F, argnum: Argnum = 0): (...args: LiftArgs<Parameters<F>>) => any {
  const where = opWhere("deriv", f, argnum);
  return (...args) => {
    const p = prepare(args, argnum, where);
    const ones = p.flats.map((flat) => flat.rebuild(flat.leaves.map((l) => vspace().onesLike(leafArray(l)))));
    const [, t] = jvpCore(f, args, argnum, typeof argnum === "number" ? ones[0] : ones, where);
    const allNumbers = p.flats.every((fl) => fl.leaves.every((l) => typeof l === "number"));
    return allNumbers && t.ndim === 0 && !t._box && !isComplex(t.dtype) ? Number(t.data[0]) : t;
  };
}

// ---- Jacobians and Hessians --------------------------------------------------------------------------------------

export interface JacobianOptions {
  /** "rev": one VJP per output element; "fwd": one JVP per input element. Default: whichever is fewer. */
  mode?: "fwd" | "rev";
}

function unitVector(like: NDArray, i: number): NDArray {
  const z = vspace().zerosLike(like);
  const data = z.data.slice();
  data[isComplex(like.dtype) ? 2 * i : i] = 1;
  return new NDArray(data, like.shape.slice(), like.dtype);
}

/** Jacobian with shape out.shape + in.shape. */
export function jacobian<F extends Fn>(f: F, opts: JacobianOptions): (...args: LiftArgs<Parameters<F>>) => any;
export function jacobian<F extends Fn>(f: F, argnum?: number, opts?: JacobianOptions): (...args: LiftArgs<Parameters<F>>) => any;
export function jacobian<F extends Fn>(f: F, argnum: number | JacobianOptions = 0, opts0?: JacobianOptions): (...args: LiftArgs<Parameters<F>>) => any {
  // jacobian(f, { mode }) is unambiguous (argnum is never an object), so it is accepted as jacobian(f, 0, { mode })
  if (argnum !== null && typeof argnum === "object" && !Array.isArray(argnum) && opts0 === undefined) {
    opts0 = argnum;
    argnum = 0;
  }
  const where = opWhere("jacobian", f, argnum, true);
  if (argnum !== undefined && typeof argnum !== "number") throw new TypeError(`${where}: argnum must be a single integer, got ${describe(argnum)}`);
  const opts: JacobianOptions = opts0 ?? {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${where}: the third parameter is the options object { mode: "fwd" | "rev" }, got ${describe(opts)}`);
  }
  for (const k of Object.keys(opts)) {
    if (k !== "mode") throw new TypeError(`${where}: unknown option ${JSON.stringify(k)}; the only option is mode ("fwd" or "rev")`);
  }
  if (opts.mode !== undefined && opts.mode !== "fwd" && opts.mode !== "rev") {
    throw new ValueError(`${where}: mode must be "fwd" or "rev", got ${JSON.stringify(opts.mode)}`);
  }
  return (...args) => {
    checkArgnums(argnum, args.length, where);
    const x0 = args[argnum];
    if (!(x0 instanceof NDArray) && typeof x0 !== "number") {
      throw new TypeError(`${where}: the differentiated argument must be a number or an NDArray, got ${describe(x0)}`);
    }
    const x = leafArray(x0);
    const vs = vspace();
    const forwardColumns = (r: VjpResult) => {
      // one JVP per input element, each a forward pass over the graph recorded once (no primal recomputation)
      const out = r.value, xin = r.inputs[0];
      if (x.size === 0) return vs.zerosLike(new NDArray(new Float64Array(0), [...out.shape, ...x.shape], x.dtype));
      const cols: NDArray[] = [];
      for (let j = 0; j < x.size; j++) cols.push(r.jvp([unitVector(xin, j)]));
      // cols: in.size × out.shape → move the input axis to the end
      const moved = vs.transpose(vs.reshape(vs.stack(cols), [x.size, out.size]));
      return vs.reshape(moved, [...out.shape, ...x.shape]);
    };
    // forward mode records the graph checking for JVP rules; reverse (or undecided: the output's size, known
    // after the evaluation, decides) checks for VJP rules, and its graph serves either direction
    const r = vjpCore(f, args, argnum, where, undefined, false, opts.mode === "fwd" ? "lin" : "rev");
    if (opts.mode === "fwd") return forwardColumns(r);
    const out = r.value;
    if (opts.mode === undefined && out.size > x.size) {
      try {
        return forwardColumns(r);
      } catch (e) {
        // undecided mode: a primitive with a VJP but no JVP rule still gets its Jacobian, by rows
        if (!(e instanceof GradientError)) throw e;
      }
    }
    const rows: NDArray[] = [];
    for (let i = 0; i < out.size; i++) rows.push(leafArray(r.vjp(unitVector(out, i))[0]));
    const stacked = rows.length ? vs.stack(rows) : vs.zerosLike(new NDArray(new Float64Array(0), [0, ...x.shape], x.dtype));
    return vs.reshape(stacked, [...out.shape, ...x.shape]);
  };
}

/** Hessian (forward-over-reverse): shape in.shape + in.shape. */
export function hessian<F extends Fn>(f: F, argnum: number = 0): (...args: LiftArgs<Parameters<F>>) => any {
  opWhere("hessian", f, argnum, true);
  return jacobian(grad(f, argnum) as Fn, argnum, { mode: "fwd" }) as any;
}

function checkVectorLike(v: unknown, x: unknown, where: string): void {
  const xs = x instanceof NDArray ? x.shape : typeof x === "number" ? [] : null;
  const vs = v instanceof NDArray ? v.shape : typeof v === "number" ? [] : Array.isArray(v) ? null : undefined;
  if (xs && vs && !shapesEqual(xs, vs)) {
    throw new ShapeError(`${where}: the vector has shape ${fmtShape(vs)}, expected the input's shape ${fmtShape(xs)}`);
  }
}

/** H·v by forward-over-reverse: one gradient evaluation with tangents, about 2-3x the cost of a gradient. */
export function hessianVectorProduct<F extends Fn>(f: F, argnum: number = 0) {
  const where = opWhere("hessianVectorProduct", f, argnum, true);
  return (...argsAndV: any[]): any => {
    const v = argsAndV[argsAndV.length - 1];
    const args = argsAndV.slice(0, -1);
    checkArgnums(argnum, args.length, where);
    checkVectorLike(v, args[argnum], where);
    const g = grad(f as Fn, argnum);
    const [, hv] = jvpCore((...a: any[]) => leafify(g(...a)), args, argnum, v, where);
    return typeof args[argnum] === "number" && hv.ndim === 0 && !hv._box ? Number(hv.data[0]) : hv;
  };
}
export const hvp = hessianVectorProduct;

/** Numbers from grad become arrays again so they can carry tangents. */
const leafify = (x: unknown) => (typeof x === "number" ? leafArray(x) : x);

/** makeHvp(f)(x) → [hvp, gradValue]: one forward and backward pass reused for every v (reverse-over-reverse). */
export function makeHvp<F extends Fn>(f: F, argnum: number = 0) {
  const where = opWhere("makeHvp", f, argnum, true);
  return (...args: LiftArgs<Parameters<F>>): [(v: any) => any, any] => {
    const g = grad(f as Fn, argnum);
    const [vjp, gradValue] = makeVjp((...a: any[]) => leafify(g(...a)), argnum)(...args);
    const hvpFn = (v: any) => {
      checkVectorLike(v, args[argnum], where);
      return vjp(v);
    };
    const x = args[argnum];
    return [hvpFn, typeof x === "number" && !gradValue._box ? Number(gradValue.data[0]) : gradValue];
  };
}

/**
 * Generalized Gauss-Newton vector product: Jᵀ·H_g·J·v for f with Jacobian J and g's Hessian H_g
 * (g defaults to 0.5·sum(y²), giving JᵀJv).
 */
export function makeGgnvp<F extends Fn>(f: F, g?: (y: NDArray) => NDArray, argnum: number = 0) {
  const lossFn = g ?? ((y: NDArray) => vspace().multiply(vspace().vdot(y, y), scalar(0.5)));
  return (...args: LiftArgs<Parameters<F>>) => {
    const [fVjp, fx] = makeVjp(f, argnum)(...args);
    const [gHvp] = makeHvp(lossFn)(fx);
    return (v: any) => {
      const [, jv] = makeJvp(f, argnum)(...args)(v);
      return fVjp(gHvp(jv));
    };
  };
}

// ---- checkpointing -----------------------------------------------------------------------------------------------

/**
 * checkpoint(f): same values and gradients as f, but the reverse pass keeps no intermediates of f; they are
 * recomputed during the backward pass (trading compute for memory in deep or long computations).
 */
export function checkpoint<F extends (...args: NDArray[]) => NDArray>(f: F): F {
  let prim: Primitive;
  const rules = (n: number) => Array.from({ length: n }, (_, k) => k);
  const cache = new Map<number, Primitive>();
  const get = (n: number): Primitive => {
    let p = cache.get(n);
    if (!p) {
      p = definePrimitive(opName("checkpoint", f), {
        opaque: true, // its VJP reruns f (user code)
        impl: (...a: NDArray[]) => asOutput(f(...(a as any)), "checkpoint"),
        vjp: rules(n).map((k) => (g: NDArray, _ans: NDArray, ...a: NDArray[]) => makeVjp(f as Fn, k)(...a)[0](g)),
        jvp: rules(n).map((k) => (t: NDArray, _ans: NDArray, ...a: NDArray[]) => jvpCore(f as Fn, a, k, t, "checkpoint")[1]),
      });
      cache.set(n, p);
    }
    return p;
  };
  const wrapped = ((...args: any[]) => {
    const arrays = args.map((a) => (typeof a === "number" ? leafArray(a) : a));
    for (const a of arrays) {
      if (!(a instanceof NDArray)) throw new TypeError(`${opName("checkpoint", f)}: arguments must be arrays or numbers, got ${describe(a)}`);
    }
    prim = get(arrays.length);
    return prim(...arrays);
  }) as F;
  return wrapped;
}

export { GradientError };
