// Shared machinery of the fuzz tests: recording the primitive applications of one evaluation, and checking each
// application's VJP against its JVP (transposition: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for random u, v).
//
// Pairing convention (autograd's, as checkGrads): ⟨a, b⟩ = Re Σ a·b with no conjugation; complex arrays are
// stored as interleaved (re, im) pairs.
import { NDArray, makeVjp } from "../../lib/index";
import { isComplex } from "../../lib/array/dtype";
import { type Primitive, type RevNode, getValue, jvpRule, registeredPrimitives, setNodeListener, vjpRule } from "../../lib/core/tracer";
import { realPairing } from "../../lib/core/checkGrads";
import { vspace } from "../../lib/core/vspace";
import { mulberry32 } from "../../lib/util/prng";

/** Every primitive of the library (the registry snapshot taken when this module loads, after lib/index). */
export const libraryPrimitives: readonly Primitive[] = registeredPrimitives();

/** The primitive applications of one reverse-mode evaluation of f (differentiating every argument). */
export function recordNodes(f: (...a: any[]) => any, args: any[]): RevNode[] {
  const nodes: RevNode[] = [];
  const prev = setNodeListener((n) => {
    nodes.push(n);
  });
  try {
    // (cases that compute a derivative inside f record the nodes of the rules applied to traced values too)
    makeVjp(f, args.map((_, i) => i))(...args);
  } finally {
    setNodeListener(prev);
  }
  return nodes;
}

/** Removes every box (deeply, through JS arrays) so rules run on plain values. */
export function strip(a: unknown): unknown {
  if (a instanceof NDArray) return getValue(a);
  if (Array.isArray(a)) return a.map(strip);
  return a;
}

/** A random array like x (real or complex), entries in [-1, 1). */
export function randomLike(x: NDArray, next: () => number): NDArray {
  const cx = isComplex(x.dtype);
  const data = new Float64Array((cx ? 2 : 1) * x.size);
  for (let i = 0; i < data.length; i++) data[i] = 2 * next() - 1;
  return new NDArray(data, x.shape.slice(), cx ? "complex128" : "float64");
}

/** Re Σ a·b, complex-aware (a real array pairs with the real parts of a complex one): checkGrads' pairing. */
export const pair: (a: NDArray, b: NDArray) => number = realPairing;

export interface TransposeResult {
  prim: string;
  argnum: number;
  lhs: number; // ⟨u, J v⟩
  rhs: number; // ⟨Jᵀ u, v⟩
  ok: boolean;
  /** Shape errors: a tangent not shaped like the output, or a cotangent not shaped like the argument. */
  shapeError?: string;
}

/**
 * ⟨u, J_k v⟩ vs ⟨J_kᵀ u, v⟩ for every differentiated argument k of one recorded application. J_k v comes from
 * the JVP rule (for linear primitives, the primitive applied to the tangent with zeros for the other operands,
 * exactly as the forward-mode tracer does), J_kᵀ u from the VJP rule.
 */
export function transposeCheck(node: RevNode, seed: number, tol = 1e-7): TransposeResult[] {
  const prim = node.prim!;
  const def = prim.def;
  const args = node.args.map(strip);
  const ans = getValue(node.ans);
  const next = mulberry32(seed);
  const out: TransposeResult[] = [];
  for (const k of node.argnums) {
    const xk = args[k] as NDArray;
    const v = randomLike(xk, next);
    const u = randomLike(ans, next);
    let jv: NDArray | null;
    if (def.linear) {
      const nOperands = def.argNames?.length ?? 0;
      const lin = args.map((a, j) =>
        j === k ? v : a instanceof NDArray ? vspace().zerosLike(a) : typeof a === "number" && j < nOperands ? 0 : a,
      );
      jv = def.impl(...lin);
    } else {
      jv = jvpRule(def, k)!(v, ans, ...args);
    }
    const g = vjpRule(def, k)!(u, ans, ...args);
    const shapeError =
      jv !== null && jv.shape.join() !== ans.shape.join() ? `JVP gives shape (${jv.shape}) but the output has shape (${ans.shape})`
        : g !== null && g.shape.join() !== xk.shape.join() ? `VJP gives shape (${g.shape}) but the argument has shape (${xk.shape})`
        : undefined;
    const lhs = jv === null ? 0 : pair(u, jv);
    const rhs = g === null ? 0 : pair(g, v);
    const scale = Math.max(1, Math.abs(lhs), Math.abs(rhs));
    out.push({ prim: prim.primName, argnum: k, lhs, rhs, ok: !shapeError && Math.abs(lhs - rhs) <= tol * scale, shapeError });
  }
  return out;
}
