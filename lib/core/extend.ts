// User-defined primitives with their own derivative rules (autograd's primitive/defvjp/defjvp).
//
//   const logsumexp = primitive((x: NDArray) => ..., "logsumexp");
//   defvjp(logsumexp, (ans, x) => (g) => np.multiply(g, np.exp(np.subtract(x, ans))));
//   defjvp(logsumexp, (t, ans, x) => np.sum(np.multiply(t, np.exp(np.subtract(x, ans)))));
import { NDArray, describe, scalar } from "../array/ndarray";
import { type JvpRule, type Primitive, type VjpRule, definePrimitive } from "./tracer";

/** maker(ans, ...args) returns the VJP (g) => gradient for one argument. */
export type VjpMaker = (ans: NDArray, ...args: any[]) => (g: NDArray) => NDArray | number | null;
/** rule(t, ans, ...args) returns one argument's contribution to the output tangent. */
export type JvpMaker = (t: NDArray, ans: NDArray, ...args: any[]) => NDArray | number | null;

const asArray = (v: NDArray | number | null, where: string): NDArray | null => {
  if (v === null || v instanceof NDArray) return v;
  if (typeof v === "number") return scalar(v);
  throw new TypeError(`${where}: a derivative rule must return an NDArray, a number or null, got ${describe(v)}`);
};

/**
 * Wraps `fn` as a primitive: it is called on plain values and never traced inside; its derivatives come
 * from the rules registered with defvjp / defjvp.
 */
export function primitive<F extends (...args: any[]) => NDArray | number>(fn: F, name?: string): F & Primitive {
  const label = name ?? (fn.name || "primitive");
  return definePrimitive(label, {
    opaque: true,
    impl: (...args: any[]) => {
      const out = fn(...args);
      if (typeof out === "number") return scalar(out);
      if (!(out instanceof NDArray)) throw new TypeError(`${label}: a primitive must return an NDArray or a number, got ${describe(out)}`);
      return out;
    },
  }) as F & Primitive;
}

function checkPrim(prim: unknown, where: string): Primitive {
  if (typeof prim !== "function" || !(prim as Primitive).def) {
    throw new TypeError(`${where}: the first argument must be a primitive created with primitive(fn), got ${describe(prim)}`);
  }
  return prim as Primitive;
}

/** Registers VJP makers for arguments 0, 1, ... (null: that argument gets a zero gradient). */
export function defvjp(prim: Primitive, ...makers: (VjpMaker | null)[]): void {
  const p = checkPrim(prim, "defvjp");
  p.def.opaque = true; // user rules: the backward pass must not recycle what they see
  const rules = (Array.isArray(p.def.vjp) ? p.def.vjp : []) as (VjpRule | undefined)[];
  makers.forEach((maker, i) => {
    rules[i] = maker === null ? () => null : (g, ans, ...args) => asArray(maker(ans, ...args)(g), `${p.primName} VJP`);
  });
  p.def.vjp = rules;
}

/** Registers one VJP maker for every argument: maker(argnum, ans, args) => (g) => gradient. */
export function defvjpArgnum(prim: Primitive, maker: (argnum: number, ans: NDArray, args: any[]) => (g: NDArray) => NDArray | number | null): void {
  const p = checkPrim(prim, "defvjpArgnum");
  p.def.opaque = true;
  p.def.vjp = (argnum: number) => (g, ans, ...args) => asArray(maker(argnum, ans, args)(g), `${p.primName} VJP`);
}

/** Registers JVP rules for arguments 0, 1, ... (null: that argument contributes nothing). */
export function defjvp(prim: Primitive, ...rules: (JvpMaker | null)[]): void {
  const p = checkPrim(prim, "defjvp");
  const list = (Array.isArray(p.def.jvp) ? p.def.jvp : []) as (JvpRule | undefined)[];
  p.def.jvp = list;
  rules.forEach((rule, i) => {
    list[i] = rule === null ? () => null : (t, ans, ...args) => asArray(rule(t, ans, ...args), `${p.primName} JVP`);
  });
}

/** Registers one JVP rule for every argument: rule(argnum, t, ans, args). */
export function defjvpArgnum(prim: Primitive, rule: (argnum: number, t: NDArray, ans: NDArray, args: any[]) => NDArray | number | null): void {
  const p = checkPrim(prim, "defjvpArgnum");
  p.def.jvp = (argnum: number) => (t, ans, ...args) => asArray(rule(argnum, t, ans, args), `${p.primName} JVP`);
}
