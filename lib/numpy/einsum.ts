// einsum and friends: einsum (one primitive, reduced pairwise through matmul), and kron, cross, trace, diag,
// diagonal, diagflat, vander, polyval written with differentiable functions.
//
// einsum's VJP for operand k is itself an einsum: the output cotangent contracted with the other operands into
// operand k's subscripts. Two details make that exact: labels that occur only in operand k (summed out in the
// forward pass) are broadcast back, and repeated labels of operand k (a trace or diagonal) put the cotangent on
// that diagonal, zeros elsewhere. The JVP is einsum with operand k replaced by its tangent (einsum is
// multilinear).
import { isComplex, promote } from "../array/dtype";
import { type ArrayLike, NDArray, describe } from "../array/ndarray";
import { ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr, options, range } from "./args";
import { add, multiply, subtract } from "./binary";
import { negative } from "./elementwise";
import { broadcast_to, real, reshape, sumAxes, transpose } from "./basis";
import { matmul } from "./contractions";
import { ones, zeros } from "./creation";
import { IndexUpdate, index } from "./indexing";
import { stack } from "./join";
import { moveaxis, ravel } from "./shape";

// ---- subscripts ----------------------------------------------------------------------------------------------

/**
 * Parsed subscripts: one label list per operand and the output labels. Letters are their character codes (so
 * sorting labels sorts like numpy: uppercase first); the dimensions covered by "..." are labels ELL + j, j
 * counting from the left of the broadcast ellipsis.
 */
interface EinsumSpec {
  ins: number[][];
  out: number[];
}
const ELL = 1000;

const labelName = (l: number) => (l >= ELL ? "..." : String.fromCharCode(l));
const isLetter = (c: string) => /^[A-Za-z]$/.test(c);

/** Splits one operand's subscripts into letters and an optional ellipsis position. */
function termLabels(term: string, where: string): { letters: number[]; ellipsisAt: number } {
  const letters: number[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; ) {
    if (term.startsWith("...", i)) {
      if (ellipsisAt >= 0) throw new ValueError(`${where}: each operand may contain at most one ellipsis "...", got "${term}"`);
      ellipsisAt = letters.length;
      i += 3;
    } else if (isLetter(term[i])) {
      letters.push(term.charCodeAt(i));
      i++;
    } else {
      throw new ValueError(
        `${where}: invalid subscript ${JSON.stringify(term[i])} in "${term}"; subscripts are letters a-z, A-Z and "..."`,
      );
    }
  }
  return { letters, ellipsisAt };
}

/** Parses numpy's subscripts string against the operands' ranks. */
function parseSubscripts(subscripts: string, ndims: number[], where = "np.einsum"): EinsumSpec {
  const s = subscripts.replace(/\s+/g, "");
  const arrow = s.indexOf("->");
  if (arrow !== s.lastIndexOf("->")) throw new ValueError(`${where}: subscripts may contain at most one "->", got "${subscripts}"`);
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s;
  const terms = lhs.split(",");
  if (terms.length !== ndims.length) {
    throw new ValueError(
      `${where}: the subscripts "${subscripts}" name ${terms.length} operand${terms.length === 1 ? "" : "s"}, but ${ndims.length} ${ndims.length === 1 ? "was" : "were"} given`,
    );
  }
  const parsed = terms.map((t) => termLabels(t, where));
  // ellipsis widths
  const ellWidth = parsed.map((p, i) => {
    const w = ndims[i] - p.letters.length;
    if (p.ellipsisAt < 0 && w !== 0) {
      throw new ValueError(
        `${where}: operand ${i} has ${ndims[i]} dimension${ndims[i] === 1 ? "" : "s"} but its subscripts "${terms[i]}" name ${p.letters.length}` +
          (w > 0 ? ` (use "..." for the remaining dimensions)` : ""),
      );
    }
    if (w < 0) {
      throw new ValueError(`${where}: operand ${i} has ${ndims[i]} dimensions but its subscripts "${terms[i]}" name ${p.letters.length}`);
    }
    return p.ellipsisAt < 0 ? 0 : w;
  });
  const E = Math.max(0, ...ellWidth);
  const anyEllipsis = parsed.some((p) => p.ellipsisAt >= 0);
  const ins = parsed.map((p, i) => {
    const ell = range(ellWidth[i]).map((j) => ELL + E - ellWidth[i] + j);
    return p.ellipsisAt < 0 ? p.letters : [...p.letters.slice(0, p.ellipsisAt), ...ell, ...p.letters.slice(p.ellipsisAt)];
  });
  let out: number[];
  if (arrow < 0) {
    // implicit output: the broadcast ellipsis dimensions, then the letters that occur once, sorted
    const counts = new Map<number, number>();
    for (const l of ins.flat()) if (l < ELL) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort((a, b) => a - b);
    out = [...(anyEllipsis ? range(E).map((j) => ELL + j) : []), ...once];
  } else {
    const rhs = termLabels(s.slice(arrow + 2), where);
    const seen = new Set<number>();
    for (const l of rhs.letters) {
      if (seen.has(l)) throw new ValueError(`${where}: output subscript '${labelName(l)}' appears more than once in "${subscripts}"`);
      seen.add(l);
      if (!ins.some((t) => t.includes(l))) {
        throw new ValueError(`${where}: output subscript '${labelName(l)}' in "${subscripts}" never appears in an input`);
      }
    }
    if (rhs.ellipsisAt < 0 && E > 0) {
      throw new ValueError(
        `${where}: the inputs of "${subscripts}" have "..." dimensions but the output has no "..." to broadcast them into`,
      );
    }
    const ell = range(E).map((j) => ELL + j);
    out = rhs.ellipsisAt < 0 ? rhs.letters : [...rhs.letters.slice(0, rhs.ellipsisAt), ...ell, ...rhs.letters.slice(rhs.ellipsisAt)];
  }
  return { ins, out };
}

/** numpy's interleaved form einsum(op0, sublist0, op1, sublist1, ..., [sublistout]): integers 0-51 and "...". */
function sublistToString(list: unknown, where: string): string {
  if (!Array.isArray(list)) throw new TypeError(`${where}: expected a subscript list of integers, got ${describe(list)}`);
  return list
    .map((v) => {
      if (v === "..." || v === null) return "...";
      if (!Number.isInteger(v) || v < 0 || v >= 52) {
        throw new ValueError(`${where}: subscript list entries must be integers in [0, 52) or "...", got ${String(v)}`);
      }
      return v < 26 ? String.fromCharCode(65 + v) : String.fromCharCode(97 + v - 26);
    })
    .join("");
}

// ---- the contraction (plain values) ------------------------------------------------------------------------------

function uniqueLabels(labels: readonly number[]): number[] {
  return labels.filter((l, i) => labels.indexOf(l) === i);
}

/** Index arrays that pick the diagonal of repeated labels: x[idx] has one axis per distinct label, in order. */
function diagonalIndex(shape: readonly number[], labels: readonly number[]): NDArray[] {
  const u = uniqueLabels(labels);
  return labels.map((l, a) => {
    const n = shape[a];
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) data[i] = i;
    return new NDArray(data, u.map((v) => (v === l ? n : 1)), "int32");
  });
}

interface Term {
  x: NDArray;
  labels: number[];
}

/** Sums the labels of `t` that are not in `keep`. */
function sumOut(t: Term, keep: (l: number) => boolean): Term {
  const axes = t.labels.map((l, i) => (keep(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return t;
  return { x: sumAxes(t.x, axes, false), labels: t.labels.filter((l) => keep(l)) };
}

function permute(t: Term, order: number[]): NDArray {
  return transpose(t.x, order.map((l) => t.labels.indexOf(l)));
}

/** Contracts two terms, keeping the labels in `keep`: a batched matmul over [batch, free, contracted]. */
function contractPair(a: Term, b: Term, keep: (l: number) => boolean): Term {
  const inB = (l: number) => b.labels.includes(l);
  const batch = a.labels.filter((l) => inB(l) && keep(l));
  const summed = a.labels.filter((l) => inB(l) && !keep(l));
  const freeA = a.labels.filter((l) => !inB(l));
  const freeB = b.labels.filter((l) => !a.labels.includes(l));
  const size = (t: Term, ls: number[]) => ls.reduce((p, l) => p * t.x.shape[t.labels.indexOf(l)], 1);
  const nb = size(a, batch), m = size(a, freeA), k = size(a, summed), n = size(b, freeB);
  const A = reshape(permute(a, [...batch, ...freeA, ...summed]), [nb, m, k]);
  const B = reshape(permute(b, [...batch, ...summed, ...freeB]), [nb, k, n]);
  let C: NDArray;
  if (summed.length === 0) C = multiply(A, reshape(B, [nb, 1, n])); // outer product per batch entry (k = 1)
  else if (m === 1 && n === 1) C = sumAxes(multiply(reshape(A, [nb, k]), reshape(B, [nb, k])), [1], false);
  else C = matmul(A, B);
  const labels = [...batch, ...freeA, ...freeB];
  const shape = [...batch.map((l) => a.x.shape[a.labels.indexOf(l)]), ...freeA.map((l) => a.x.shape[a.labels.indexOf(l)]),
    ...freeB.map((l) => b.x.shape[b.labels.indexOf(l)])];
  return { x: reshape(C, shape), labels };
}

/** Evaluates the einsum on plain arrays whose label sizes agree (no broadcasting left). */
function einsumImpl(spec: EinsumSpec, ...ops: NDArray[]): NDArray {
  const out = spec.out;
  let terms: Term[] = ops.map((x, i) => {
    const labels = spec.ins[i];
    const u = uniqueLabels(labels);
    return u.length === labels.length ? { x, labels } : { x: index(x, ...diagonalIndex(x.shape, labels)), labels: u };
  });
  // labels needed outside term j: in the output or in another term
  const neededBeyond = (j: number[]) => (l: number) =>
    out.includes(l) || terms.some((t, i) => !j.includes(i) && t.labels.includes(l));
  terms = terms.map((t, i) => sumOut(t, neededBeyond([i])));
  while (terms.length > 1) {
    // greedy: contract the pair with the smallest result
    let best: [number, number] = [0, 1];
    let bestSize = Infinity;
    for (let i = 0; i < terms.length; i++)
      for (let j = i + 1; j < terms.length; j++) {
        const keep = neededBeyond([i, j]);
        const ls = uniqueLabels([...terms[i].labels, ...terms[j].labels]).filter(keep);
        const sz = ls.reduce((p, l) => {
          const t = terms[i].labels.includes(l) ? terms[i] : terms[j];
          return p * t.x.shape[t.labels.indexOf(l)];
        }, 1);
        if (sz < bestSize) [best, bestSize] = [[i, j], sz];
      }
    const [i, j] = best;
    const merged = contractPair(terms[i], terms[j], neededBeyond([i, j]));
    terms = [...terms.slice(0, i), merged, ...terms.slice(i + 1, j), ...terms.slice(j + 1)];
  }
  const last = sumOut(terms[0], (l) => out.includes(l));
  return permute(last, out);
}

// ---- the primitive -----------------------------------------------------------------------------------------------

const einsumPrim = definePrimitive("einsum", {
  impl: einsumImpl,
  vjp: (argnum: number) => (g: NDArray, _ans: NDArray, spec: EinsumSpec, ...ops: NDArray[]) => {
    const k = argnum - 1;
    const x = ops[k], labels = spec.ins[k];
    const u = uniqueLabels(labels);
    const otherIns = spec.ins.filter((_, i) => i !== k);
    const others = ops.filter((_, i) => i !== k);
    const available = new Set([...spec.out, ...otherIns.flat()]);
    const reachable = u.filter((l) => available.has(l));
    let G = einsumPrim({ ins: [spec.out, ...otherIns], out: reachable }, g, ...others);
    const sizeOf = (l: number) => x.shape[labels.indexOf(l)];
    if (reachable.length < u.length) {
      // labels summed out of operand k alone: their cotangent is constant along them
      G = broadcast_to(reshape(G, u.map((l) => (available.has(l) ? sizeOf(l) : 1))), u.map(sizeOf));
    }
    if (u.length < labels.length) {
      // repeated labels (a diagonal or trace): the cotangent lives on the diagonal
      G = new IndexUpdate(zeros(x.shape, G.dtype), diagonalIndex(x.shape, labels)).set(G);
    }
    return !isComplex(x.dtype) && isComplex(G.dtype) ? real(G) : G;
  },
  jvp: (argnum: number) => (t: NDArray, _ans: NDArray, spec: EinsumSpec, ...ops: NDArray[]) => {
    const args = ops.slice();
    args[argnum - 1] = t;
    return einsumPrim(spec, ...args);
  },
});

/**
 * np.einsum(subscripts, ...operands): Einstein summation. Explicit ("ij,jk->ik") and implicit ("ij,jk") output,
 * repeated subscripts for traces and diagonals ("ii", "ii->i"), "..." for broadcast dimensions, any number of
 * operands, and numpy's interleaved form np.einsum(a, [0, 1], b, [1, 2], [0, 2]). Size-1 dimensions broadcast.
 * A trailing options object { optimize } is accepted (the contraction order is always chosen greedily).
 */
export function einsum(subscripts: string | ArrayLike, ...rest: unknown[]): NDArray {
  const where = "np.einsum";
  let args: unknown[] = [subscripts, ...rest];
  const last = args[args.length - 1];
  if (
    args.length > 1 && typeof last === "object" && last !== null && !Array.isArray(last) && !(last instanceof NDArray) &&
    !("re" in last)
  ) {
    options(where, last, ["optimize", "dtype", "casting", "order"]);
    args = args.slice(0, -1);
  }
  let str: string;
  let operands: unknown[];
  if (typeof args[0] === "string") {
    str = args[0];
    operands = args.slice(1);
  } else {
    // interleaved: op, sublist, op, sublist, ..., [output sublist]
    operands = [];
    const terms: string[] = [];
    let i = 0;
    for (; i + 1 < args.length; i += 2) {
      operands.push(args[i]);
      terms.push(sublistToString(args[i + 1], where));
    }
    str = terms.join(",") + (i < args.length ? "->" + sublistToString(args[i], where) : "");
  }
  if (operands.length === 0) throw new ValueError(`${where}: at least one operand is required`);
  let xs = operands.map((o) => arr(o as ArrayLike, where));
  const spec = parseSubscripts(str, xs.map((x) => x.ndim), where);
  // a label repeated within one operand (a diagonal) needs equal sizes there
  xs.forEach((x, i) =>
    spec.ins[i].forEach((l, a) => {
      const first = spec.ins[i].indexOf(l);
      if (first < a && x.shape[first] !== x.shape[a]) {
        throw new ShapeError(
          `${where}: operand ${i} (shape ${fmtShape(x.shape)}) repeats subscript '${labelName(l)}' on dimensions of sizes ` +
            `${x.shape[first]} and ${x.shape[a]}; a diagonal needs equal sizes`,
        );
      }
    }),
  );
  // sizes per label, with numpy's broadcasting of size-1 dimensions
  const sizes = new Map<number, number>();
  xs.forEach((x, i) =>
    spec.ins[i].forEach((l, a) => {
      const n = x.shape[a], prev = sizes.get(l);
      if (prev === undefined || prev === 1) sizes.set(l, n);
      else if (n !== prev && n !== 1) {
        throw new ShapeError(
          `${where}: subscript '${labelName(l)}' has size ${prev} in one operand but size ${n} in operand ${i} ` +
            `(shape ${fmtShape(x.shape)}) for "${str}"; sizes must match or be 1`,
        );
      }
    }),
  );
  // squeeze broadcast dimensions (size 1 where the label is longer elsewhere): the VJP then sums over them
  const ins = spec.ins.map((labels, i) => {
    const keep = labels.map((l, a) => !(xs[i].shape[a] === 1 && sizes.get(l)! > 1));
    if (keep.every(Boolean)) return labels;
    xs[i] = reshape(xs[i], xs[i].shape.filter((_, a) => keep[a]));
    return labels.filter((_, a) => keep[a]);
  });
  return einsumPrim({ ins, out: spec.out }, ...xs);
}

// ---- friends -----------------------------------------------------------------------------------------------------

const intRange = (start: number, n: number): NDArray => {
  const d = new Int32Array(Math.max(n, 0));
  for (let i = 0; i < n; i++) d[i] = start + i;
  return new NDArray(d, [d.length], "int32");
};

function intArg(v: unknown, name: string, where: string): number {
  if (!Number.isInteger(v)) throw new TypeError(`${where}: ${name} must be an integer, got ${describe(v)}`);
  return v as number;
}

type DiagonalOptions = { offset?: number; axis1?: number; axis2?: number };

function diagonalArgs(where: string, offset: number | DiagonalOptions | undefined, axis1?: number, axis2?: number) {
  if (typeof offset === "object" && offset !== null) {
    const o = options(where, offset, ["offset", "axis1", "axis2", "dtype"]);
    return { offset: o.offset ?? 0, axis1: o.axis1 ?? 0, axis2: o.axis2 ?? 1 };
  }
  return { offset: offset ?? 0, axis1: axis1 ?? 0, axis2: axis2 ?? 1 };
}

/**
 * np.diagonal(a, offset = 0, axis1 = 0, axis2 = 1): the diagonal of the (axis1, axis2) planes, as the last axis.
 * The parameters may also be given as an options object { offset, axis1, axis2 }.
 */
export function diagonal(a: ArrayLike, offset?: number | DiagonalOptions, axis1?: number, axis2?: number): NDArray {
  const where = "np.diagonal";
  const x = arr(a, where);
  const o = diagonalArgs(where, offset, axis1, axis2);
  const k = intArg(o.offset, "offset", where);
  if (x.ndim < 2) throw new ValueError(`${where}: diag requires an array of at least two dimensions, got shape ${fmtShape(x.shape)}`);
  const ax1 = normalizeAxis(o.axis1, x.ndim, where), ax2 = normalizeAxis(o.axis2, x.ndim, where);
  if (ax1 === ax2) throw new ValueError(`${where}: axis1 and axis2 cannot be the same (both are ${ax1})`);
  const y = moveaxis(x, [ax1, ax2], [-2, -1]);
  const n1 = y.shape[y.ndim - 2], n2 = y.shape[y.ndim - 1];
  const s1 = k >= 0 ? 0 : -k, s2 = k >= 0 ? k : 0;
  const len = Math.max(0, Math.min(n1 - s1, n2 - s2));
  return index(y, "...", intRange(s1, len), intRange(s2, len));
}

/** np.trace(a, offset = 0, axis1 = 0, axis2 = 1): sum along diagonals (options object { offset, axis1, axis2 } too). */
export function trace(a: ArrayLike, offset?: number | DiagonalOptions, axis1?: number, axis2?: number): NDArray {
  const d = diagonal(arr(a, "np.trace"), offset, axis1, axis2);
  return sumAxes(d, [d.ndim - 1], false);
}

/** np.diag(v, k = 0): a 1-d v becomes a 2-d array with v on the k-th diagonal; a 2-d v gives its k-th diagonal. */
export function diag(v: ArrayLike, k: number | { k?: number } = 0): NDArray {
  const where = "np.diag";
  const x = arr(v, where);
  const kk = intArg(typeof k === "number" ? k : options(where, k, ["k"]).k ?? 0, "k", where);
  if (x.ndim === 2) return diagonal(x, kk);
  if (x.ndim !== 1) throw new ValueError(`${where}: input must be 1-d or 2-d, got shape ${fmtShape(x.shape)}`);
  const n = x.shape[0] + Math.abs(kk);
  const rows = intRange(Math.max(0, -kk), x.shape[0]), cols = intRange(Math.max(0, kk), x.shape[0]);
  return new IndexUpdate(zeros([n, n], getValue(x).dtype), [rows, cols]).set(x);
}

/** np.diagflat(v, k = 0): the flattened input on the k-th diagonal of a square 2-d array. */
export function diagflat(v: ArrayLike, k: number | { k?: number } = 0): NDArray {
  return diag(ravel(arr(v, "np.diagflat")), k);
}

/** np.kron(a, b): Kronecker product (the lower-rank input gets leading size-1 dimensions). */
export function kron(a: ArrayLike, b: ArrayLike): NDArray {
  let x = arr(a, "np.kron"), y = arr(b, "np.kron");
  const nd = Math.max(x.ndim, y.ndim);
  const pad = (t: NDArray) => (t.ndim < nd ? reshape(t, [...Array(nd - t.ndim).fill(1), ...t.shape]) : t);
  x = pad(x);
  y = pad(y);
  // x as (a0, 1, a1, 1, ...) times y as (1, b0, 1, b1, ...), then merge each pair of axes
  const xs = x.shape.flatMap((d) => [d, 1]), ys = y.shape.flatMap((d) => [1, d]);
  const prod = multiply(reshape(x, xs), reshape(y, ys));
  return reshape(prod, x.shape.map((d, i) => d * y.shape[i]));
}

type CrossOptions = { axisa?: number; axisb?: number; axisc?: number; axis?: number | null };

/**
 * np.cross(a, b, axisa = -1, axisb = -1, axisc = -1, axis = null): cross products of 3-vectors (and of
 * 2-vectors, as numpy: two 2-vectors give the z component only; a 2-vector with a 3-vector has z = 0).
 * The axes may be given positionally or as an options object.
 */
export function cross(a: ArrayLike, b: ArrayLike, axisa?: number | CrossOptions, axisb?: number, axisc?: number, axis?: number | null): NDArray {
  const where = "np.cross";
  let o: CrossOptions;
  if (typeof axisa === "object" && axisa !== null) o = options(where, axisa, ["axisa", "axisb", "axisc", "axis"]);
  else o = { axisa, axisb, axisc, axis };
  let ax = o.axisa ?? -1, bx = o.axisb ?? -1, cx = o.axisc ?? -1;
  if (o.axis !== undefined && o.axis !== null) ax = bx = cx = o.axis;
  let x = arr(a, where), y = arr(b, where);
  if (x.ndim === 0 || y.ndim === 0) throw new ValueError(`${where}: inputs must be arrays of vectors, got a 0-d array`);
  x = moveaxis(x, normalizeAxis(ax, x.ndim, `${where} (axisa)`), -1);
  y = moveaxis(y, normalizeAxis(bx, y.ndim, `${where} (axisb)`), -1);
  const na = x.shape[x.ndim - 1], nb = y.shape[y.ndim - 1];
  if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3)) {
    throw new ValueError(
      `${where}: incompatible dimensions for cross product: vector lengths ${na} and ${nb} (dimension must be 2 or 3)`,
    );
  }
  const batch = broadcastShapes(x.shape.slice(0, -1), y.shape.slice(0, -1), where);
  const c = (t: NDArray, i: number) => index(t, "...", i);
  const [a0, a1] = [c(x, 0), c(x, 1)], [b0, b1] = [c(y, 0), c(y, 1)];
  const z = subtract(multiply(a0, b1), multiply(a1, b0));
  if (na === 2 && nb === 2) return broadcast_to(z, batch);
  let cp: NDArray[];
  if (na === 3 && nb === 3) {
    const a2 = c(x, 2), b2 = c(y, 2);
    cp = [subtract(multiply(a1, b2), multiply(a2, b1)), subtract(multiply(a2, b0), multiply(a0, b2)), z];
  } else if (na === 2) {
    const b2 = c(y, 2);
    cp = [multiply(a1, b2), negative(multiply(a0, b2)), z];
  } else {
    const a2 = c(x, 2);
    cp = [negative(multiply(a2, b1)), multiply(a2, b0), z];
  }
  const out = stack(cp.map((t) => broadcast_to(t, batch)), -1);
  return moveaxis(out, -1, normalizeAxis(cx, out.ndim, `${where} (axisc)`));
}

/** np.vander(x, N = len(x), increasing = false): columns are powers of x (options { N, increasing } too). */
export function vander(x: ArrayLike, N?: number | null | { N?: number | null; increasing?: boolean }, increasing = false): NDArray {
  const where = "np.vander";
  const v = arr(x, where);
  let n: number | null | undefined = N as number | null | undefined;
  if (typeof N === "object" && N !== null) {
    const o = options(where, N, ["N", "increasing"]);
    n = o.N;
    increasing = o.increasing ?? false;
  }
  if (v.ndim !== 1) throw new ValueError(`${where}: x must be a one-dimensional array, got shape ${fmtShape(v.shape)}`);
  const cols = n ?? v.shape[0];
  if (!Number.isInteger(cols) || cols < 0) throw new ValueError(`${where}: N must be a non-negative integer, got ${String(cols)}`);
  if (cols === 0) return zeros([v.shape[0], 0], getValue(v).dtype);
  const powers: NDArray[] = [ones(v.shape, getValue(v).dtype)];
  for (let p = 1; p < cols; p++) powers.push(multiply(powers[p - 1], v));
  if (!increasing) powers.reverse();
  return stack(powers, 1);
}

/** np.polyval(p, x): p[0]·x^(n-1) + ... + p[n-1], by Horner's rule; differentiable in p and x. */
export function polyval(p: ArrayLike, x: ArrayLike): NDArray {
  const where = "np.polyval";
  const c = arr(p, where), v = arr(x, where);
  if (c.ndim !== 1) throw new ValueError(`${where}: p must be a 1-d array of coefficients (highest power first), got shape ${fmtShape(c.shape)}`);
  let y: NDArray = zeros(v.shape, promote(c.dtype === "bool" ? "int32" : c.dtype, v.dtype === "bool" ? "int32" : v.dtype));
  for (let i = 0; i < c.shape[0]; i++) y = add(multiply(y, v), index(c, i));
  return y;
}
