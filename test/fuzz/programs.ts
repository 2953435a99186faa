// Random differentiable programs for the property-based gradient tests.
//
// fast-check generates a Spec: an input shape, a real/complex flag, and a list of steps, each a handful of small
// integers. build(spec) interprets the steps against the program's current value: each step picks an operation
// from the table (op mod table size) and uses the other integers for its parameters (axes, index kinds, partner
// shapes, ...), choosing only what is valid for the current shape and keeping away from kinks and singularities
// by looking at the current values (log only of values > 0.2, max only where the top entry leads by 0.05, linear
// algebra on SPD matrices built from the value, eigenvectors only with well-separated spectra, ...). An
// operation that does not apply is skipped for the next one in the table. Because the spec is plain integers,
// fast-check shrinks a failing program to a short one with small parameters, and the Program prints as text:
//   inputs x0: (2,3) float64, x1: (3,) float64
//   tanh(sum(x0 * x1, axis=1))
import * as fc from "fast-check";
import { type NDArray, np, scipy } from "../../lib/index";
import { mulberry32 } from "../../lib/util/prng";

export interface StepSpec { op: number; a: number; b: number; c: number }
export interface Spec { shape: number[]; complex: boolean; steps: StepSpec[]; final: number; seed: number }

interface Node {
  run: (leaves: NDArray[]) => NDArray;
  text: string;
  value: NDArray;
}

export class Program {
  constructor(
    readonly inputs: NDArray[],
    readonly names: string[],
    readonly out: Node,
    readonly opNames: string[],
  ) {}
  /** Set when the library threw on a valid input while the program was being generated. */
  buildError?: string;
  run = (...leaves: NDArray[]): NDArray => this.out.run(leaves);
  get text(): string {
    const ins = this.inputs.map((x, i) => `${this.names[i]}: (${x.shape.join(",")}${x.ndim === 1 ? "," : ""}) ${x.dtype}`).join(", ");
    return `inputs ${ins}\n  ${this.out.text}`;
  }
  /** The program with its input values, for reproducing a failure by hand. */
  get detail(): string {
    return `${this.text}\n  where ${this.inputs.map((x, i) => `${this.names[i]} = ${JSON.stringify(x.tolist())}`).join("; ")}`;
  }
  [fc.toStringMethod](): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

export const specArb: fc.Arbitrary<Spec> = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 }),
  complex: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  steps: fc.array(fc.record({ op: fc.nat(1000), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000) }), { minLength: 1, maxLength: 6 }),
  final: fc.nat(3),
  seed: fc.nat(1 << 30),
});

export const programArb: fc.Arbitrary<Program> = specArb.map(build);

// ---- helpers -----------------------------------------------------------------------------------------------------

const la = np.linalg as any;
const sp = scipy.special as any;
const fft = np.fft as any;
const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length];
const fmtShape = (s: number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;
const isCx = (x: NDArray) => x.dtype === "complex128";
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
const MAX_SIZE = 48;

/** Real values (complex: interleaved) of a plain array. */
const data = (x: NDArray): number[] => Array.from(x.data as ArrayLike<number>);
const re = (x: NDArray) => (isCx(x) ? data(x).filter((_, i) => i % 2 === 0) : data(x));
const im = (x: NDArray) => (isCx(x) ? data(x).filter((_, i) => i % 2 === 1) : data(x).map(() => 0));
const mods = (x: NDArray) => { const r = re(x), i = im(x); return r.map((v, k) => Math.hypot(v, i[k])); };
const minOf = (v: number[]) => (v.length ? Math.min(...v) : Infinity);
const maxOf = (v: number[]) => (v.length ? Math.max(...v) : -Infinity);
const maxAbs = (x: NDArray) => maxOf(mods(x));

/** Eigenvalues/singular values sorted, and the smallest gap between neighbours. */
const minGap = (w: number[]) => { const s = [...w].sort((a, b) => a - b); let g = Infinity; for (let i = 1; i < s.length; i++) g = Math.min(g, s[i] - s[i - 1]); return g; };

interface Ctx {
  spec: Spec;
  leaves: NDArray[];
  names: string[];
  next: () => number;
  history: Node[];
}

type Kind = "any" | "pos" | "away0";

/** A new differentiated input of the given shape. */
function leaf(ctx: Ctx, shape: number[], kind: Kind = "any", complex = false): Node {
  const n = size(shape);
  const one = () => {
    const u = ctx.next();
    if (kind === "pos") return 0.5 + u;
    if (kind === "away0") return (0.5 + 0.5 * u) * (ctx.next() < 0.5 ? -1 : 1);
    return 2 * u - 1;
  };
  const reals = Array.from({ length: n }, one);
  let v: NDArray = np.reshape(np.array(reals), shape);
  if (complex) v = np.complex(v, np.reshape(np.array(Array.from({ length: n }, one)), shape));
  const i = ctx.leaves.length;
  ctx.leaves.push(v);
  const name = `x${i}`;
  ctx.names.push(name);
  return { run: (L) => L[i], text: name, value: v };
}

/** A partner shape broadcast-compatible with s (dims dropped from the front or set to 1, or one new leading dim). */
function partnerShape(s: number[], r: number): number[] {
  const mode = r % 4;
  if (mode === 0) return s.slice();
  if (mode === 1) return s.slice(Math.min(s.length, 1 + ((r >> 2) % Math.max(1, s.length))));
  if (mode === 2) return s.map((d, i) => (((r >> (2 + i)) & 1) ? 1 : d));
  return size(s) * 2 <= MAX_SIZE && s.length < 3 ? [2, ...s] : s.slice();
}

const broadcastShape = (a: number[], b: number[]): number[] | null => {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(Math.max(x, y));
  }
  return out;
};

/** A second operand: a new input (kind), an earlier intermediate of a compatible shape, or a JS number. */
function partner(ctx: Ctx, cur: Node, p: number, kind: Kind = "any", complex = false): Node {
  const choice = p % 5;
  if (choice === 3) {
    const earlier = ctx.history.filter((h) => h !== cur && isCx(h.value) === complex && broadcastShape(h.value.shape, cur.value.shape)
      && size(broadcastShape(h.value.shape, cur.value.shape)!) <= MAX_SIZE
      && (kind === "any" || (kind === "pos" ? minOf(re(h.value)) > 0.3 && !complex : minOf(mods(h.value)) > 0.3)));
    if (earlier.length) return pick(earlier, p >> 3);
  }
  if (choice === 4 && !complex) {
    const c = kind === "any" ? 0.75 : kind === "pos" ? 1.5 : -0.6;
    return { run: () => np.array(c), text: String(c), value: np.array(c) };
  }
  return leaf(ctx, partnerShape(cur.value.shape, p >> 3), kind, complex);
}

const call = (name: string, f: (...a: NDArray[]) => NDArray, args: Node[], extra = ""): Omit<Node, "value"> => ({
  run: (L) => f(...args.map((a) => a.run(L))),
  text: `${name}(${args.map((a) => a.text).join(", ")}${extra})`,
});
const infix = (op: string, f: (a: NDArray, b: NDArray) => NDArray, a: Node, b: Node): Omit<Node, "value"> => ({
  run: (L) => f(a.run(L), b.run(L)),
  text: `(${a.text} ${op} ${b.text})`,
});

/** Axis choices for a reduction: none, one (maybe negative), or two axes. */
function axisOf(nd: number, r: number): { axis?: number | number[]; text: string } {
  const k = r % 4;
  if (nd === 0 || k === 0) return { text: "" };
  if (k === 3 && nd >= 2) {
    const a = r % nd, b = (a + 1 + ((r >> 3) % (nd - 1))) % nd;
    return { axis: [a, b], text: `, axis=(${a}, ${b})` };
  }
  const ax = ((r >> 2) % nd) - (k === 2 ? nd : 0);
  return { axis: ax, text: `, axis=${ax}` };
}

const normAxes = (axis: number | number[] | undefined, nd: number): number[] =>
  axis === undefined ? Array.from({ length: nd }, (_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((a) => (a + nd) % nd);

/** True when along the reduced axes the extreme entry leads the runner-up by `gap` (no ties near the point). */
function uniqueExtreme(x: NDArray, axis: number | number[] | undefined, sign: 1 | -1, gap = 0.05): boolean {
  const m = sign > 0 ? np.max(x, { axis: axis as any, keepdims: true }) : np.min(x, { axis: axis as any, keepdims: true });
  const near = np.less(np.abs(np.subtract(x, m)), gap);
  const counts = np.sum(near, { axis: axis as any });
  return data(counts).every((c) => c === 1);
}

// ---- the operation table -------------------------------------------------------------------------------------------

type Op = { name: string; build: (ctx: Ctx, cur: Node, s: StepSpec) => Omit<Node, "value"> | null };

const real = (x: NDArray) => !isCx(x);

const unaryReal: [string, (x: NDArray) => NDArray, (v: number[]) => boolean][] = [
  ["tanh", np.tanh, () => true],
  ["sin", np.sin, () => true],
  ["cos", np.cos, () => true],
  ["arctan", np.arctan, () => true],
  ["expit", sp.expit, () => true],
  ["square", np.square, (v) => maxOf(v.map(Math.abs)) < 4],
  ["exp", np.exp, (v) => maxOf(v) < 2.5],
  ["sinh", np.sinh, (v) => maxOf(v.map(Math.abs)) < 2.5],
  ["cosh", np.cosh, (v) => maxOf(v.map(Math.abs)) < 2.5],
  ["log", np.log, (v) => minOf(v) > 0.2],
  ["sqrt", np.sqrt, (v) => minOf(v) > 0.2],
  ["reciprocal", np.reciprocal, (v) => minOf(v.map(Math.abs)) > 0.3],
  ["abs", np.abs, (v) => minOf(v.map(Math.abs)) > 0.05],
  ["arcsin", np.arcsin, (v) => maxOf(v.map(Math.abs)) < 0.8],
  ["log1p", np.log1p, (v) => minOf(v) > -0.7],
  ["cbrt", np.cbrt, (v) => minOf(v.map(Math.abs)) > 0.2],
  ["softplus", (x) => np.logaddexp(0, x), () => true],
];

const nearNegativeAxis = (x: NDArray) => re(x).some((r, k) => r < 0 && Math.abs(im(x)[k]) < 0.2);
const unaryComplex: [string, (x: NDArray) => NDArray, (x: NDArray) => boolean][] = [
  ["exp", np.exp, (x) => maxOf(re(x)) < 2.5],
  ["sin", np.sin, (x) => maxOf(im(x).map(Math.abs)) < 2.5],
  ["cos", np.cos, (x) => maxOf(im(x).map(Math.abs)) < 2.5],
  ["square", np.square, (x) => maxAbs(x) < 4],
  ["reciprocal", np.reciprocal, (x) => minOf(mods(x)) > 0.3],
  ["log", np.log, (x) => minOf(mods(x)) > 0.3 && !nearNegativeAxis(x)],
  ["sqrt", np.sqrt, (x) => minOf(mods(x)) > 0.3 && !nearNegativeAxis(x)],
  ["conj", np.conj, () => true],
  ["negative", np.negative, () => true],
  ["real", np.real, () => true],
  ["imag", np.imag, () => true],
  ["abs", np.abs, (x) => minOf(mods(x)) > 0.1],
  ["angle", np.angle, (x) => minOf(mods(x)) > 0.1 && !nearNegativeAxis(x)],
];

const OPS: Op[] = [
  {
    name: "unary",
    build: (_ctx, cur, s) => {
      if (real(cur.value)) {
        const v = re(cur.value);
        const ok = unaryReal.filter(([, , g]) => g(v));
        const [name, f] = pick(ok, s.a);
        return call(name, f, [cur]);
      }
      const ok = unaryComplex.filter(([, , g]) => g(cur.value));
      const [name, f] = pick(ok, s.a);
      return call(name, f, [cur]);
    },
  },
  {
    name: "binary",
    build: (ctx, cur, s) => {
      const cx = isCx(cur.value);
      const which = s.a % (cx ? 4 : 10);
      if (which <= 2) {
        const p = partner(ctx, cur, s.b, "any", cx && s.c % 2 === 0);
        const [op, f] = pick([["+", np.add], ["-", np.subtract], ["*", np.multiply]] as const, which);
        return infix(op, f, cur, p);
      }
      if (which === 3) return infix("/", np.divide, cur, partner(ctx, cur, s.b, "away0", cx && s.c % 2 === 0));
      if (which === 4 && minOf(re(cur.value)) > 0.2) return call("power", np.power, [cur, partner(ctx, cur, s.b, "any")]);
      if (which === 5) return call("power", (x) => np.power(x, 2 + (s.b % 2)), [cur], `, ${2 + (s.b % 2)}`);
      if (which === 6 || which === 7) {
        const p = partner(ctx, cur, s.b, "any");
        const d = np.abs(np.subtract(cur.value, p.value));
        if (minOf(data(d)) < 0.05) return null;
        return which === 6 ? call("maximum", np.maximum, [cur, p]) : call("minimum", np.minimum, [cur, p]);
      }
      if (which === 8) {
        const p = partner(ctx, cur, s.b, "any");
        const r = np.hypot(cur.value, p.value);
        if (minOf(data(r)) < 0.2) return null;
        return s.c % 2 ? call("hypot", np.hypot, [cur, p]) : call("arctan2", np.arctan2, [cur, p]);
      }
      return call("logaddexp", np.logaddexp, [cur, partner(ctx, cur, s.b, "any")]);
    },
  },
  {
    name: "reduce",
    build: (_ctx, cur, s) => {
      const x = cur.value;
      const ax = axisOf(x.ndim, s.b);
      const keepdims = s.c % 2 === 1;
      const kd = keepdims ? ", keepdims=True" : "";
      const o = { axis: ax.axis as any, keepdims };
      const names = isCx(x) ? ["sum", "mean", "prod"] : ["sum", "mean", "max", "min", "prod", "var", "std", "logsumexp"];
      const name = pick(names, s.a);
      const reducedSize = normAxes(ax.axis, x.ndim).reduce((p, a) => p * x.shape[a], 1);
      if (name === "max" || name === "min") { if (!uniqueExtreme(x, ax.axis, name === "max" ? 1 : -1)) return null; }
      if (name === "prod" && (minOf(mods(x)) < 0.3 || maxAbs(x) > 2 || reducedSize > 8)) return null;
      if (name === "std") { const v = np.var(x, o); if (minOf(data(v)) < 0.01 || reducedSize < 2) return null; }
      const f = name === "logsumexp" ? (a: NDArray) => sp.logsumexp(a, o) : (a: NDArray) => (np as any)[name](a, o);
      return { run: (L) => f(cur.run(L)), text: `${name}(${cur.text}${ax.text}${kd})` };
    },
  },
  {
    name: "cumulative",
    build: (_ctx, cur, s) => {
      const x = cur.value;
      if (x.ndim === 0) return null;
      const axis = s.b % x.ndim;
      const k = s.a % 3;
      if (k === 0) return { run: (L) => np.cumsum(cur.run(L), { axis }), text: `cumsum(${cur.text}, axis=${axis})` };
      if (k === 1) {
        if (minOf(mods(x)) < 0.3 || maxAbs(x) > 2) return null;
        return { run: (L) => np.cumprod(cur.run(L), { axis }), text: `cumprod(${cur.text}, axis=${axis})` };
      }
      if (x.shape[axis] < 2) return null;
      return { run: (L) => np.diff(cur.run(L), { axis } as any), text: `diff(${cur.text}, axis=${axis})` };
    },
  },
  {
    name: "shape",
    build: (ctx, cur, s) => {
      const x = cur.value, nd = x.ndim, sh = x.shape;
      const k = s.a % 12;
      const t = cur.text;
      const r = (f: (a: NDArray) => NDArray, text: string) => ({ run: (L: NDArray[]) => f(cur.run(L)), text });
      switch (k) {
        case 0: { // reshape to a random factorization
          const n = x.size;
          const divs = [1, 2, 3, 4, 6, 8, 12].filter((d) => n % d === 0);
          const d1 = pick(divs, s.b);
          const shape = s.c % 2 ? [d1, n / d1] : [n / d1, -1];
          return r((a) => np.reshape(a, shape), `reshape(${t}, ${fmtShape(shape)})`);
        }
        case 1: { // transpose with a permutation
          if (nd < 2) return null;
          const perm = Array.from({ length: nd }, (_, i) => i);
          for (let i = nd - 1; i > 0; i--) { const j = (s.b >> i) % (i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
          return r((a) => np.transpose(a, perm), `transpose(${t}, ${fmtShape(perm)})`);
        }
        case 2: { if (nd >= 3) return null; const ax = s.b % (nd + 1); return r((a) => np.expand_dims(a, ax), `expand_dims(${t}, ${ax})`); }
        case 3: { if (!sh.includes(1)) return null; return r((a) => np.squeeze(a), `squeeze(${t})`); }
        case 4: { if (nd < 2) return null; const a1 = s.b % nd, a2 = s.c % nd; return r((a) => np.moveaxis(a, a1, a2), `moveaxis(${t}, ${a1}, ${a2})`); }
        case 5: { if (nd < 1) return null; const ax = s.b % nd; return r((a) => np.flip(a, { axis: ax }), `flip(${t}, axis=${ax})`); }
        case 6: { if (nd < 1) return null; const ax = s.b % nd, sh1 = (s.c % 5) - 2; return r((a) => np.roll(a, sh1, { axis: ax }), `roll(${t}, ${sh1}, axis=${ax})`); }
        case 7: { if (size(sh) * 2 > MAX_SIZE || nd >= 3) return null; return r((a) => np.broadcast_to(a, [2, ...sh]), `broadcast_to(${t}, ${fmtShape([2, ...sh])})`); }
        case 8: { if (nd < 1 || size(sh) * 2 > MAX_SIZE) return null; const ax = s.b % nd; return r((a) => np.repeat(a, 2, { axis: ax }), `repeat(${t}, 2, axis=${ax})`); }
        case 9: { // concatenate or stack with a new input
          if (nd < 1 || size(sh) * 2 > MAX_SIZE) return null;
          const ax = s.b % nd;
          if (s.c % 2) {
            const other = sh.slice(); other[ax] = 1 + (s.c >> 1) % 2;
            const p = leaf(ctx, other, "any", isCx(x));
            return { run: (L) => np.concatenate([cur.run(L), p.run(L)], { axis: ax }), text: `concatenate([${t}, ${p.text}], axis=${ax})` };
          }
          const p = leaf(ctx, sh, "any", isCx(x));
          return { run: (L) => np.stack([cur.run(L), p.run(L)], { axis: ax } as any), text: `stack([${t}, ${p.text}], axis=${ax})` };
        }
        case 10: {
          if (nd < 2) return null;
          const kk = (s.b % 3) - 1;
          return s.c % 2 ? r((a) => np.tril(a, kk), `tril(${t}, ${kk})`) : r((a) => np.triu(a, kk), `triu(${t}, ${kk})`);
        }
        default: {
          if (nd < 2) return null;
          if (s.b % 2 && nd === 2) return r((a) => np.trace(a), `trace(${t})`);
          return r((a) => np.diagonal(a), `diagonal(${t})`);
        }
      }
    },
  },
  {
    name: "index",
    build: (ctx, cur, s) => {
      const x = cur.value;
      if (x.ndim === 0) return null;
      const k = s.a % 4;
      if (k === 3) { // boolean mask over the whole array, at least one entry true
        const bits = Array.from({ length: x.size }, (_, i) => ((s.b >> (i % 10)) & 1) === 1 || i === s.c % x.size);
        const mask = np.reshape(np.array(bits), x.shape);
        const txt = `[${JSON.stringify(mask.tolist()).replaceAll("true", "T").replaceAll("false", "F")}]`;
        return { run: (L) => cur.run(L).get(mask), text: `${cur.text}${txt}` };
      }
      // one index per leading dimension: int, slice, fancy (at most one), or a new axis
      const idx: any[] = [];
      const txt: string[] = [];
      let fancy = false;
      const dims = 1 + (s.b % x.ndim);
      for (let d = 0; d < dims; d++) {
        const n = x.shape[d];
        const kind = (s.c >> (2 * d)) % 4;
        if (kind === 0) { const i = ((s.b >> d) % n) - (d % 2 ? n : 0); idx.push(i); txt.push(String(i)); }
        else if (kind === 1) { const sl = pick(["1:", ":-1", "::-1", "::2", ":"], s.b >> d); idx.push(sl); txt.push(sl); }
        else if (kind === 2 && !fancy) {
          fancy = true;
          const f = Array.from({ length: 1 + ((s.b >> d) % 3) }, (_, j) => (j * 7 + (s.c >> d)) % n);
          if (f.length > 1) f[f.length - 1] = f[0]; // a repeated index: gradients must accumulate
          idx.push(f); txt.push(`[${f.join(", ")}]`);
        } else if (idx.length < 2 && x.ndim < 3) { idx.push(null); txt.push("None"); d--; }
        else { idx.push(":"); txt.push(":"); }
        if (idx.length > 4) break;
      }
      const view = x.get(...idx);
      if (view.size === 0) return null;
      if (k === 0 || k === 1) return { run: (L) => cur.run(L).get(...idx), text: `${cur.text}[${txt.join(", ")}]` };
      // functional update with a new input: x.at[idx].add(v) / .set(v) (set only without repeated indices)
      const v = leaf(ctx, view.shape, "any", isCx(x));
      if (fancy || s.c % 2) return { run: (L) => cur.run(L).at(...idx).add(v.run(L)), text: `${cur.text}.at[${txt.join(", ")}].add(${v.text})` };
      return { run: (L) => cur.run(L).at(...idx).set(v.run(L)), text: `${cur.text}.at[${txt.join(", ")}].set(${v.text})` };
    },
  },
  {
    name: "where",
    build: (ctx, cur, s) => {
      const x = cur.value;
      const mask = np.reshape(np.array(re(x).map((v, i) => (v > 0) !== ((s.b >> (i % 8)) & 1) > 0)), x.shape);
      const p = partner(ctx, cur, s.c, "any", isCx(x) && s.a % 2 === 0);
      const m = JSON.stringify(mask.tolist()).replaceAll("true", "T").replaceAll("false", "F");
      return { run: (L) => np.where(mask, cur.run(L), p.run(L)), text: `where(${m}, ${cur.text}, ${p.text})` };
    },
  },
  {
    name: "contract",
    build: (ctx, cur, s) => {
      const x = cur.value, sh = x.shape, nd = x.ndim;
      if (nd === 0) return null;
      const cx = isCx(x) && s.c % 2 === 0;
      const kcols = 1 + (s.b % 3);
      const k = s.a % 4;
      if (k === 0) { // dot
        const p = leaf(ctx, s.c % 3 === 0 ? [sh[nd - 1]] : [sh[nd - 1], kcols], "any", cx);
        return { run: (L) => np.dot(cur.run(L), p.run(L)), text: `dot(${cur.text}, ${p.text})` };
      }
      if (k === 1) { // matmul, maybe with batch broadcasting
        const batch = nd === 2 && s.c % 3 === 1 ? [2] : [];
        const p = leaf(ctx, [...batch, sh[nd - 1], kcols], "any", cx);
        return { run: (L) => np.matmul(cur.run(L), p.run(L)), text: `matmul(${cur.text}, ${p.text})` };
      }
      if (k === 2) { // einsum: shares the last axis (and maybe the first), keeps a random subset of labels
        const letters = "abcdef".slice(0, nd).split("");
        const pl = [letters[nd - 1], "z"];
        if (nd > 1 && s.c % 2) pl.unshift(letters[0]);
        const pshape = pl.map((l) => (l === "z" ? 2 : sh[letters.indexOf(l)]));
        const all = [...new Set([...letters, ...pl])];
        const outl = all.filter((_, i) => (s.b >> i) & 1);
        const spec = `${letters.join("")},${pl.join("")}->${outl.join("")}`;
        const p = leaf(ctx, pshape, "any", cx);
        return { run: (L) => np.einsum(spec, cur.run(L), p.run(L)), text: `einsum("${spec}", ${cur.text}, ${p.text})` };
      }
      const p = leaf(ctx, [sh[nd - 1], kcols], "any", cx);
      return { run: (L) => np.tensordot(cur.run(L), p.run(L), 1), text: `tensordot(${cur.text}, ${p.text}, axes=1)` };
    },
  },
  {
    name: "linalg",
    build: (ctx, cur0, s) => {
      if (isCx(cur0.value)) return null;
      let cur = cur0;
      if (cur0.value.ndim !== 2) {
        // a matrix from a small non-matrix value: outer(ravel(value), new input)
        if (cur0.value.size > 4) return null;
        const p = leaf(ctx, [1 + (s.c % 3)]);
        cur = { run: (L) => np.outer(cur0.run(L), p.run(L)), text: `outer(${cur0.text}, ${p.text})`, value: np.outer(cur0.value, p.value) };
      }
      const x = cur.value;
      if (x.shape[0] > 4 || x.shape[1] > 4) return null;
      const n = x.shape[1];
      // M = xᵀx + n·I: symmetric positive definite with eigenvalues >= n
      const spd = (a: NDArray) => np.add(np.matmul(np.transpose(a), a), np.multiply(n, np.eye(n)));
      const M = spd(x);
      const Mt = `spd(${cur.text})`;
      const k = s.a % 10;
      const sv = data(la.svd(x, { compute_uv: false }));
      const r = (f: (a: NDArray) => NDArray, text: string) => ({ run: (L: NDArray[]) => f(cur.run(L)), text });
      switch (k) {
        case 0: return r((a) => la.cholesky(spd(a)), `cholesky(${Mt})`);
        case 1: { // numpy reads the lower triangle only: an upper-triangle perturbation has no effect
          const p = leaf(ctx, [n, n]);
          return { run: (L) => la.cholesky(np.add(spd(cur.run(L)), np.triu(p.run(L), 1))), text: `cholesky(${Mt} + triu(${p.text}, 1))` };
        }
        case 2: return r((a) => np.multiply(la.inv(spd(a)), n), `inv(${Mt}) * ${n}`);
        case 3: {
          const p = leaf(ctx, s.b % 2 ? [n] : [n, 2]);
          return { run: (L) => la.solve(spd(cur.run(L)), p.run(L)), text: `solve(${Mt}, ${p.text})` };
        }
        case 4: return r((a) => la.slogdet(spd(a))[1], `slogdet(${Mt})[1]`);
        case 5: return r((a) => la.det(np.divide(spd(a), n)), `det(${Mt} / ${n})`);
        case 6: {
          const w = data(la.eigvalsh(M));
          if (minGap(w) < 0.05) return null;
          if (s.b % 2 && minGap(w) > 0.3) return r((a) => la.eigh(spd(a))[1], `eigh(${Mt})[1]`);
          return r((a) => la.eigvalsh(spd(a)), `eigvalsh(${Mt})`);
        }
        case 7: {
          if (minOf(sv) < 0.1 || minGap(sv) < 0.1 || x.shape[0] < 2 || n < 1) return null;
          const which = s.b % 3;
          return r((a) => la.svd(a, { full_matrices: false })[which], `svd(${cur.text})[${which}]`);
        }
        case 8: {
          if (x.shape[0] < n || minOf(sv) < 0.2) return null;
          const which = s.b % 2;
          return r((a) => la.qr(a)[which], `qr(${cur.text})[${which}]`);
        }
        default: {
          if (s.b % 2) { if (minOf(sv) < 0.3) return null; return r((a) => la.pinv(a), `pinv(${cur.text})`); }
          if (maxOf(sv) < 0.1) return null;
          return r((a) => la.norm(a), `norm(${cur.text})`);
        }
      }
    },
  },
  {
    name: "fft",
    build: (_ctx, cur, s) => {
      const x = cur.value;
      if (x.ndim === 0) return null;
      const k = s.a % 4;
      const r = (f: (a: NDArray) => NDArray, text: string) => ({ run: (L: NDArray[]) => f(cur.run(L)), text });
      if (k === 0) return r((a) => fft.fft(a), `fft(${cur.text})`);
      if (k === 1) return r((a) => fft.ifft(a), `ifft(${cur.text})`);
      if (k === 2 && !isCx(x)) return r((a) => fft.rfft(a), `rfft(${cur.text})`);
      if (x.ndim >= 2) return r((a) => fft.fft2(a), `fft2(${cur.text})`);
      return null;
    },
  },
  {
    name: "complex",
    build: (ctx, cur, s) => {
      if (isCx(cur.value) || !ctx.spec.complex) return null;
      const p = partner(ctx, cur, s.b, "any");
      return call("complex", (a, b) => np.complex(a, b), [cur, p]);
    },
  },
];

export const OP_NAMES = OPS.map((o) => o.name);

/** Interprets a spec as a program (deterministic: the same spec always gives the same program and inputs). */
export function build(spec: Spec): Program {
  const ctx: Ctx = { spec, leaves: [], names: [], next: mulberry32(spec.seed), history: [] };
  let cur = leaf(ctx, spec.shape.slice(0, 3), "any", spec.complex);
  ctx.history.push(cur);
  const used: string[] = [];
  for (const st of spec.steps) {
    for (let t = 0; t < OPS.length; t++) {
      const op = OPS[(st.op + t) % OPS.length];
      const nLeaves = ctx.leaves.length;
      let made: Omit<Node, "value"> | null = null;
      let value: NDArray;
      try {
        made = op.build(ctx, cur, st);
        if (made) value = made.run(ctx.leaves);
      } catch (e) {
        // the library failed on a valid input while the program was generated: a defect, reported by the
        // property (so it is shrunk and printed like any other failure)
        const err = e as Error;
        const partial = new Program(ctx.leaves.slice(), ctx.names.slice(), cur, used);
        return Object.assign(partial, {
          buildError: `${err.name}: ${err.message}\n  while applying ${op.name} (step ${JSON.stringify(st)}) to ${cur.text} = ${JSON.stringify(cur.value.tolist())}`,
        });
      }
      if (made) {
        // keep values moderate and finite; an op that blows up is replaced by the next one
        if (value!.size > 0 && value!.size <= MAX_SIZE && Number.isFinite(maxAbs(value!)) && maxAbs(value!) < 30) {
          cur = { ...made, value: value! };
          ctx.history.push(cur);
          used.push(op.name);
          break;
        }
      }
      // roll back inputs created by a rejected op
      ctx.leaves.length = nLeaves;
      ctx.names.length = nLeaves;
    }
  }
  // the final output: as is, the sum, or a weighted sum (a scalar loss)
  if (spec.final === 1) {
    const c = cur;
    cur = { run: (L) => np.sum(c.run(L)), text: `sum(${c.text})`, value: np.sum(c.value) };
  } else if (spec.final === 2) {
    const c = cur;
    const w = leaf(ctx, c.value.shape, "any", false);
    cur = { run: (L) => np.sum(np.multiply(c.run(L), w.run(L))), text: `sum(${c.text} * ${w.text})`, value: np.sum(np.multiply(c.value, w.value)) };
  }
  return new Program(ctx.leaves.slice(), ctx.names.slice(), cur, used);
}
