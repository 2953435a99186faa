// checkGrads: compares reverse- and forward-mode derivatives with central finite differences along random
// directions (autograd's check_grads), recursively to the requested order.
//
// Conventions (autograd's, which make complex inputs work unchanged): for a real loss L the gradient is
// G = ∂L/∂x − i ∂L/∂y, so the directional derivative along d is Re(Σ G·d), with no conjugation.
import { NDArray, scalar } from "../array/ndarray";
import { isComplex } from "../array/dtype";
import { GradientError } from "../array/errors";
import { flattenTree } from "./containers";
import { makeJvp, makeVjp } from "./operators";
import { type RevNode, getValue, setNodeListener } from "./tracer";
import { vspace } from "./vspace";
import { mulberry32 } from "../util/prng";

export interface CheckGradsOptions {
  modes?: ("fwd" | "rev")[];
  order?: number;
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  rtol?: number;
  atol?: number;
}

/** Directions in [-0.5, 0.5) from a fixed seed, so checks are reproducible and never disturb np.random. */
const rng = (seed: number) => {
  const next = mulberry32(seed);
  return () => next() - 0.5;
};


/** Flattened numeric view: real arrays as is, complex ones as [re, im] pairs. */
function values(x: NDArray | number): Float64Array {
  if (typeof x === "number") return new Float64Array([x]);
  return Float64Array.from(getValue(x).data as ArrayLike<number>);
}

function randomLike(x: NDArray | number, next: () => number): NDArray | number {
  if (typeof x === "number") return next();
  const data = new Float64Array(isComplex(x.dtype) ? 2 * x.size : x.size);
  for (let i = 0; i < data.length; i++) data[i] = next();
  const out = new NDArray(data, x.shape.slice(), isComplex(x.dtype) ? "complex128" : "float64");
  return x.dtype === "float32" ? new NDArray(Float32Array.from(data), x.shape.slice(), "float32") : out;
}

function axpy(a: number, d: NDArray | number, x: NDArray | number): NDArray | number {
  if (typeof x === "number") return x + a * (d as number);
  const xd = values(x), dd = values(d);
  const out = new Float64Array(xd.length);
  for (let i = 0; i < out.length; i++) out[i] = xd[i] + a * dd[i];
  return new NDArray(x.dtype === "float32" ? Float32Array.from(out) : out, x.shape.slice(), x.dtype);
}

const isCx = (x: NDArray | number) => typeof x !== "number" && isComplex(x.dtype);

/**
 * The pairing of cotangents with tangents: Re(Σ a·b), no conjugation, complex arrays as complex (interleaved
 * (re, im) pairs), real ones as real (a real array pairs with the real parts of a complex one). Also the fuzz
 * tests' pairing (test/fuzz/harness.ts).
 */
export function realPairing(a: NDArray | number, b: NDArray | number): number {
  const A = values(a), B = values(b);
  const aComplex = isCx(a), bComplex = isCx(b);
  let s = 0;
  if (aComplex && bComplex) for (let i = 0; i < A.length; i += 2) s += A[i] * B[i] - A[i + 1] * B[i + 1];
  else if (aComplex) for (let i = 0; i < B.length; i++) s += A[2 * i] * B[i];
  else if (bComplex) for (let i = 0; i < A.length; i++) s += A[i] * B[2 * i];
  else for (let i = 0; i < A.length; i++) s += A[i] * B[i];
  return s;
}

/** Primitives used by one evaluation of f, for the error message. */
function primitivesOf(f: (...a: any[]) => any, args: any[]): string[] {
  const names = new Set<string>();
  const prev = setNodeListener((n: RevNode) => n.prim && names.add(n.prim.primName));
  try {
    makeVjp(f, args.map((_, i) => i))(...args);
  } catch {
    /* reported by the check itself */
  } finally {
    setNodeListener(prev);
  }
  return [...names];
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args): throws a GradientError naming the primitives
 * involved when a derivative disagrees with central differences. Returns true when everything matches.
 */
export function checkGrads(f: (...args: any[]) => any, opts: CheckGradsOptions = {}) {
  const modes = opts.modes ?? ["fwd", "rev"];
  const order = opts.order ?? 2;
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  return (...args: any[]): true => {
    const next = rng(0x5eed + order);
    // flatten every argument into leaves; differentiate with respect to all float/complex leaves
    const flats = args.map((a, i) => flattenTree(a, "checkGrads", `argument ${i}`));
    const leaves = flats.flatMap((fl) => fl.leaves);
    const diffIdx = leaves
      .map((l, i) => (typeof l === "number" || l.dtype === "float64" || l.dtype === "float32" || l.dtype === "complex128" ? i : -1))
      .filter((i) => i >= 0);
    const call = (...vals: any[]) => {
      const all = leaves.slice();
      diffIdx.forEach((k, j) => (all[k] = vals[j]));
      let o = 0;
      return f(...flats.map((fl) => fl.rebuild(all.slice(o, (o += fl.leaves.length)))));
    };
    const x0 = diffIdx.map((k) => leaves[k]);
    check(call, x0, order);
    return true;

    function check(fn: (...v: any[]) => any, x: (NDArray | number)[], ord: number): void {
      const argnums = x.map((_, i) => i);
      const d = x.map((xi) => randomLike(xi, next));
      const evalAt = (a: number) => fn(...x.map((xi, i) => axpy(a, d[i], xi)));
      const y0 = fn(...x);
      const yArr = y0 instanceof NDArray ? y0 : scalar(Number(y0));
      // numeric directional derivative of y along d
      const yp = evalAt(eps), ym = evalAt(-eps);
      const numeric = values(yp).map((v, i) => (v - values(ym)[i]) / (2 * eps));
      const fail = (mode: string, exact: string, num: string) => {
        const prims = primitivesOf(fn, x);
        throw new GradientError(
          `checkGrads: ${mode} derivative does not match central differences (order ${order - ord + 1}): ` +
            `exact ${exact} vs numeric ${num}. Primitives involved: ${prims.join(", ") || "(none)"}`,
        );
      };
      if (modes.includes("fwd")) {
        const [, jv] = makeJvp(fn, argnums)(...x)(d);
        const exact = values(jv);
        for (let i = 0; i < exact.length; i++) {
          if (!close(exact[i], numeric[i], rtol, atol)) fail("forward-mode (JVP)", String(exact[i]), String(numeric[i]));
        }
      }
      if (modes.includes("rev")) {
        const w = randomLike(yArr, next) as NDArray;
        const [vjp] = makeVjp(fn, argnums)(...x);
        const g = vjp(w) as (NDArray | number)[];
        const exact = g.reduce<number>((s, gi, i) => s + realPairing(gi, d[i]), 0);
        const num = realPairing(w, new NDArray(Float64Array.from(numeric), yArr.shape, yArr.dtype));
        if (!close(exact, num, rtol, atol)) fail("reverse-mode (VJP)", String(exact), String(num));
      }
      if (ord > 1) {
        if (modes.includes("rev")) {
          const w = randomLike(yArr, next) as NDArray;
          check((...xs: any[]) => sumLeaves(makeVjp(fn, argnums)(...xs)[0](w), d), x, ord - 1);
        }
        if (modes.includes("fwd")) {
          check((...xs: any[]) => makeJvp(fn, argnums)(...xs)(d)[1], x, ord - 1);
        }
      }
    }
  };
}

/** Re(Σ_i g_i·d_i) as a differentiable scalar: turns a VJP into a scalar function for the next order. */
function sumLeaves(gs: (NDArray | number)[], d: (NDArray | number)[]): NDArray {
  const vs = vspace();
  let total: NDArray | null = null;
  gs.forEach((g, i) => {
    const gi = typeof g === "number" ? scalar(g) : g;
    const di = typeof d[i] === "number" ? scalar(d[i] as number) : (d[i] as NDArray);
    const term = vs.real(vs.vdot(gi, di));
    total = total === null ? term : vs.add(total, term);
  });
  return total!;
}
