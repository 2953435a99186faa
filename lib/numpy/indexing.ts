// Indexing: x.get(...idx), np.index(x, ...idx), x.at(...idx).set(v) / .add(v).
//
// Every index expression (integers, slice strings, integer arrays, boolean masks, null new axes, "...")
// is compiled to a flat list of source positions plus an output shape. Three primitives then serve all
// of indexing: gather (read), scatterAdd and scatterSet (functional updates). Repeated indices accumulate
// gradients because the VJP of gather is a scatter-add.
import { allocate, allocateUninit, isComplex } from "../array/dtype";
import { type ArrayLike, NDArray, asNDArray, castArray, describe } from "../array/ndarray";
import { broadcastTo, NATIVE_MIN } from "../array/kernels";
import { nativeAddon } from "../array/native";
import { IndexError } from "../array/errors";
import { broadcastMany, fmtShape, shapeSize, stridesOf } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr } from "./args";
import { broadcast_to, reshape, unbroadcast } from "./basis";
import { multiply } from "./binary";

export type Index = number | string | null | readonly number[] | readonly boolean[] | NDArray;

interface Compiled {
  positions: Int32Array;
  shape: number[];
}

type Component =
  | { kind: "slice"; dim: number; start: number; step: number; len: number }
  | { kind: "int"; dim: number; at: number }
  | { kind: "adv"; dim: number; idx: NDArray }
  | { kind: "new" };

function parseSlice(s: string, n: number, dim: number): { start: number; step: number; len: number } {
  const parts = s.split(":").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p !== "" && !/^[-+]?\d+$/.test(p))) {
    throw new IndexError(`index ${JSON.stringify(s)} for axis ${dim}: expected a slice like ":", "1:3", "::-1" or "2:"`);
  }
  const step = parts[2] ? Number(parts[2]) : 1;
  if (step === 0) throw new IndexError(`slice ${JSON.stringify(s)}: slice step cannot be zero`);
  const norm = (v: string, dflt: number, lo: number, hi: number) => {
    if (v === "") return dflt;
    let k = Number(v);
    if (k < 0) k += n;
    return Math.min(Math.max(k, lo), hi);
  };
  const start = step > 0 ? norm(parts[0], 0, 0, n) : norm(parts[0], n - 1, -1, n - 1);
  const stop = step > 0 ? norm(parts[1], n, 0, n) : norm(parts[1], -1, -1, n - 1);
  const len = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((stop - start) / step));
  return { start, step, len };
}

function checkInt(i: number, n: number, dim: number): number {
  if (!Number.isInteger(i)) throw new IndexError(`index ${i} for axis ${dim} is not an integer`);
  const k = i < 0 ? i + n : i;
  if (k < 0 || k >= n) throw new IndexError(`index ${i} is out of bounds for axis ${dim} with size ${n}`);
  return k;
}

/** Integer index arrays (normalized, bounds-checked) from JS arrays, int NDArrays or boolean masks. */
function advancedIndices(ix: unknown, shape: number[], dim: number): { arrays: NDArray[]; dims: number } {
  const a = getValue(ix instanceof NDArray ? ix : asNDArray(ix, "index"));
  if (a.dtype === "bool") {
    // a mask over a.ndim dimensions selects its true positions: one integer array per masked dimension
    const mshape = a.shape;
    for (let j = 0; j < mshape.length; j++) {
      if (shape[dim + j] !== mshape[j]) {
        throw new IndexError(
          `boolean index did not match indexed array along axis ${dim + j}; size of axis is ${shape[dim + j]} but size of boolean index is ${mshape[j]}`,
        );
      }
    }
    const strides = stridesOf(mshape);
    const hits: number[] = [];
    for (let i = 0; i < a.size; i++) if (a.data[i]) hits.push(i);
    const arrays = mshape.map((_, j) => {
      const out = new Int32Array(hits.length);
      hits.forEach((h, k) => (out[k] = Math.floor(h / strides[j]) % mshape[j]));
      return new NDArray(out, [hits.length], "int32");
    });
    return { arrays, dims: Math.max(mshape.length, 1) };
  }
  if (a.dtype !== "int32" && !(a.dtype === "float64" && Array.from(a.data).every(Number.isInteger))) {
    throw new IndexError(`index arrays must be integers or booleans, got dtype ${a.dtype} for axis ${dim}`);
  }
  const n = shape[dim];
  const out = new Int32Array(a.size);
  for (let i = 0; i < a.size; i++) out[i] = checkInt(Number(a.data[i]), n, dim);
  return { arrays: [new NDArray(out, a.shape.slice(), "int32")], dims: 1 };
}

export function compileIndex(shape: number[], idx: readonly unknown[]): Compiled {
  const consumed = idx.filter((i) => i !== null && i !== "...").reduce<number>((p, i) => {
    // a boolean mask consumes one dimension per mask dimension (NDArray or nested JS booleans)
    if (i instanceof NDArray && i.dtype === "bool") return p + Math.max(i.ndim, 1);
    let depth = 0, leaf: unknown = i;
    while (Array.isArray(leaf) && leaf.length > 0) {
      depth++;
      leaf = leaf[0];
    }
    if (typeof leaf === "boolean") return p + depth;
    return p + 1;
  }, 0);
  if (idx.filter((i) => i === "...").length > 1) throw new IndexError(`an index can only have a single ellipsis ("...")`);
  if (consumed > shape.length) {
    throw new IndexError(`too many indices for array: array is ${shape.length}-dimensional, but ${consumed} were indexed`);
  }
  const comps: Component[] = [];
  let dim = 0;
  for (const i of idx) {
    if (i === null) comps.push({ kind: "new" });
    else if (i === "...") {
      const fill = shape.length - consumed;
      for (let k = 0; k < fill; k++, dim++) comps.push({ kind: "slice", dim, start: 0, step: 1, len: shape[dim] });
    } else if (typeof i === "number") {
      comps.push({ kind: "int", dim, at: checkInt(i, shape[dim], dim) });
      dim++;
    } else if (typeof i === "string") {
      comps.push({ kind: "slice", dim, ...parseSlice(i, shape[dim], dim) });
      dim++;
    } else if (Array.isArray(i) || i instanceof NDArray) {
      const { arrays, dims } = advancedIndices(i, shape, dim);
      arrays.forEach((a, k) => comps.push({ kind: "adv", dim: dim + k, idx: a }));
      dim += dims;
    } else {
      throw new IndexError(
        `invalid index ${describe(i)}: expected an integer, a slice string like "1:3", an integer array, a boolean mask, null or "..."`,
      );
    }
  }
  for (; dim < shape.length; dim++) comps.push({ kind: "slice", dim, start: 0, step: 1, len: shape[dim] });

  const strides = stridesOf(shape);
  const adv = comps.filter((c): c is Extract<Component, { kind: "adv" }> => c.kind === "adv");
  // With index arrays present, integers join them as 0-d index arrays (numpy's rule).
  const advLike = comps.map((c) => c.kind === "adv" || (adv.length > 0 && c.kind === "int"));
  // Each "virtual dimension" of the output adds one table of source offsets.
  const tables: Float64Array[] = [];
  const outShape: number[] = [];
  let base = 0;
  const pushDim = (len: number, offset: (k: number) => number, dims: number[]) => {
    const t = new Float64Array(len);
    for (let k = 0; k < len; k++) t[k] = offset(k);
    tables.push(t);
    outShape.push(...dims);
  };
  let advBlock: (() => void) | null = null;
  if (adv.length > 0) {
    const parts = comps.filter((_, k) => advLike[k]) as ({ kind: "adv"; dim: number; idx: NDArray } | { kind: "int"; dim: number; at: number })[];
    const bshape = broadcastMany(parts.map((p) => (p.kind === "adv" ? p.idx.shape : [])), "index arrays");
    const bsize = shapeSize(bshape);
    const off = new Float64Array(bsize);
    for (const p of parts) {
      if (p.kind === "int") {
        for (let b = 0; b < bsize; b++) off[b] += p.at * strides[p.dim];
      } else {
        const full = p.idx.shape.join() === bshape.join() ? p.idx : broadcastPlain(p.idx, bshape);
        for (let b = 0; b < bsize; b++) off[b] += full.data[b] * strides[p.dim];
      }
    }
    advBlock = () => {
      tables.push(off);
      outShape.push(...bshape);
    };
  }
  const advPositions = comps.map((_, k) => k).filter((k) => advLike[k]);
  const contiguous = advPositions.length > 0 && advPositions[advPositions.length - 1] - advPositions[0] === advPositions.length - 1;
  if (advBlock && !contiguous) advBlock();
  comps.forEach((c, k) => {
    if (advLike[k]) {
      if (advBlock && contiguous && k === advPositions[0]) advBlock();
      return;
    }
    if (c.kind === "new") pushDim(1, () => 0, [1]);
    else if (c.kind === "int") base += c.at * strides[c.dim];
    else if (c.kind === "slice") pushDim(c.len, (k2) => (c.start + k2 * c.step) * strides[c.dim], [c.len]);
  });
  return { positions: cartesianSum(base, tables), shape: outShape };
}

/** base + t₀[i₀] + t₁[i₁] + … for every (i₀, i₁, …) in row-major order: the last table in a tight loop. */
function cartesianSum(base: number, tables: Float64Array[]): Int32Array {
  const total = tables.reduce((p, t) => p * t.length, 1);
  const positions = new Int32Array(total);
  if (total === 0) return positions;
  if (tables.length === 0) {
    positions[0] = base;
    return positions;
  }
  const outer = tables.length - 1, last = tables[outer], len = last.length;
  const ctr = new Array<number>(outer).fill(0);
  const partial = new Float64Array(outer + 1);
  partial[0] = base;
  for (let d = 0; d < outer; d++) partial[d + 1] = partial[d] + tables[d][0];
  for (let i = 0; i < total; i += len) {
    const p = partial[outer];
    for (let k = 0; k < len; k++) positions[i + k] = p + last[k];
    let d = outer - 1;
    while (d >= 0) {
      if (++ctr[d] < tables[d].length) break;
      ctr[d] = 0;
      d--;
    }
    if (d < 0) break;
    for (let e = d; e < outer; e++) partial[e + 1] = partial[e] + tables[e][ctr[e]];
  }
  return positions;
}

function broadcastPlain(a: NDArray, shape: number[]): NDArray {
  return broadcastTo(a, shape);
}

// ---- the three primitives ----------------------------------------------------------------------------------------

function gatherImpl(x: NDArray, positions: Int32Array, shape: number[]): NDArray {
  const complex = isComplex(x.dtype);
  const out = allocateUninit(x.dtype, positions.length); // every slot is written
  const src = x.data;
  const nk = x.dtype === "float64" && positions.length >= NATIVE_MIN ? nativeAddon() : null;
  if (nk !== null) { // one C loop (the JS loop here sees every dtype, and its element accesses stay generic)
    nk.gather(src as Float64Array, positions, out as Float64Array, positions.length);
    return new NDArray(out, shape, x.dtype);
  }
  if (complex) {
    for (let i = 0; i < positions.length; i++) {
      out[2 * i] = src[2 * positions[i]];
      out[2 * i + 1] = src[2 * positions[i] + 1];
    }
  } else for (let i = 0; i < positions.length; i++) out[i] = src[positions[i]];
  return new NDArray(out, shape, x.dtype);
}

function scatterImpl(x: NDArray, v: NDArray, positions: Int32Array, shape: number[], accumulate: boolean): NDArray {
  const dtype = x.dtype;
  const vb = v.shape.join() === shape.join() ? v : broadcastPlain(v, shape);
  const vals = vb.dtype === dtype ? vb : castArray(vb, dtype);
  const out = x.data.slice();
  const src = vals.data;
  if (isComplex(dtype)) {
    for (let i = 0; i < positions.length; i++) {
      const p = 2 * positions[i];
      if (accumulate) {
        out[p] += src[2 * i];
        out[p + 1] += src[2 * i + 1];
      } else {
        out[p] = src[2 * i];
        out[p + 1] = src[2 * i + 1];
      }
    }
  } else if (accumulate) for (let i = 0; i < positions.length; i++) out[positions[i]] += src[i];
  else for (let i = 0; i < positions.length; i++) out[positions[i]] = src[i];
  return new NDArray(out, x.shape.slice(), dtype);
}

const gather = definePrimitive("getitem", {
  impl: gatherImpl,
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, x: NDArray, positions: Int32Array, shape: number[]) => scatterAdd(zerosOf(x, g), g, positions, shape)],
});

const zerosOf = (x: NDArray, g: NDArray) => {
  const dtype = isComplex(g.dtype) || isComplex(x.dtype) ? "complex128" : g.dtype;
  return new NDArray(allocate(dtype, x.size), x.shape.slice(), dtype);
};

const scatterAdd = definePrimitive("scatter_add", {
  impl: (x: NDArray, v: NDArray, positions: Int32Array, shape: number[]) => scatterImpl(x, v, positions, shape, true),
  linear: true,
  argNames: ["x", "values"],
  vjp: [
    (g) => g,
    (g, _ans, _x, v: NDArray, positions: Int32Array, shape: number[]) => unbroadcast(gather(g, positions, shape), v),
  ],
});

const scatterSet = definePrimitive("scatter_set", {
  impl: (x: NDArray, v: NDArray, positions: Int32Array, shape: number[]) => scatterImpl(x, v, positions, shape, false),
  linear: true,
  argNames: ["x", "values"],
  vjp: [
    // overwritten entries get no gradient
    (g, _ans, _x, _v, positions: Int32Array, shape: number[]) =>
      scatterSet(g, new NDArray(allocate(g.dtype, 1), [], g.dtype), positions, shape),
    // with repeated indices only the last write survives (numpy's order), so only it gets the cotangent
    (g, _ans, _x, v: NDArray, positions: Int32Array, shape: number[]) => {
      const gv = gather(g, positions, shape);
      const keep = lastWrites(positions, shape, g.dtype);
      return unbroadcast(keep ? multiply(gv, keep) : gv, v);
    },
  ],
});

/** 1 at the slots whose write survives (the last write to each position), 0 at earlier repeats; null without repeats. */
function lastWrites(positions: Int32Array, shape: number[], dtype: string): NDArray | null {
  const seen = new Set<number>();
  const mask = dtype === "float32" ? new Float32Array(positions.length) : new Float64Array(positions.length);
  let repeats = false;
  for (let i = positions.length - 1; i >= 0; i--) {
    if (seen.has(positions[i])) repeats = true;
    else {
      seen.add(positions[i]);
      mask[i] = 1;
    }
  }
  return repeats ? new NDArray(mask, shape, dtype === "float32" ? "float32" : "float64") : null;
}

/** x[idx] with numpy semantics. */
export function index(x: ArrayLike, ...idx: Index[]): NDArray {
  const a = arr(x, "index");
  const { positions, shape } = compileIndex(a.shape, idx);
  if (a.ndim === 0 && idx.length === 0) return a;
  return gather(a, positions, shape);
}

/** x's storage (C order) at `positions` (each in [0, x.size)), shaped `shape`: one differentiable gather, without
 *  compiling an index (sort, take_along_axis). */
export function gatherPositions(x: ArrayLike, positions: Int32Array, shape: number[]): NDArray {
  return gather(arr(x, "gather"), positions, shape);
}

/** Slices [start, stop) along one axis (used by VJPs of joins and splits). */
export function slice1(x: NDArray, axis: number, start: number, stop: number): NDArray {
  const idx: Index[] = x.shape.map(() => ":");
  idx[axis] = `${start}:${stop}`;
  return index(x, ...idx);
}

/** The functional update helper behind x.at(...idx). */
export class IndexUpdate {
  constructor(private readonly x: NDArray, private readonly idx: Index[]) {}
  private compile(v: ArrayLike, op: string): [NDArray, Compiled] {
    const c = compileIndex(this.x.shape, this.idx);
    const val = arr(v, `at().${op}`);
    try {
      broadcastMany([val.shape, c.shape]);
    } catch {
      throw new IndexError(`at().${op}: values of shape ${fmtShape(val.shape)} cannot be broadcast to the indexed shape ${fmtShape(c.shape)}`);
    }
    if (val.ndim > c.shape.length || broadcastMany([val.shape, c.shape]).join() !== c.shape.join()) {
      throw new IndexError(`at().${op}: values of shape ${fmtShape(val.shape)} cannot be broadcast to the indexed shape ${fmtShape(c.shape)}`);
    }
    return [val, c];
  }
  /** A copy of x with x[idx] = v. */
  set(v: ArrayLike): NDArray {
    const [val, c] = this.compile(v, "set");
    return scatterSet(this.x, val, c.positions, c.shape);
  }
  /** A copy of x with v added at idx (repeated indices accumulate). */
  add(v: ArrayLike): NDArray {
    const [val, c] = this.compile(v, "add");
    return scatterAdd(this.x, val, c.positions, c.shape);
  }
  /** A copy of x with x[idx] multiplied by v. */
  multiply(v: ArrayLike): NDArray {
    const cur = index(this.x, ...this.idx);
    return this.set(multiply(cur, v));
  }
  /** x[idx], as with get. */
  get(): NDArray {
    return index(this.x, ...this.idx);
  }
}

export { reshape, broadcast_to };
