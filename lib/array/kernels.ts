// Raw compute kernels on typed storage: elementwise maps, broadcasting binary loops, axis reductions,
// transposition. No autodiff here; lib/numpy wraps these in primitives.
import { type DType, type TypedData, allocate, allocateUninit, isComplex, mayDeferViewOf } from "./dtype";
import { DEFER_MIN, deferTranspose, transposeSource } from "./deferred-transpose";
import { NDArray } from "./ndarray";
import { broadcastShapes, shapeSize, stridesOf } from "./shape";
import { type NativeAddon, nativeAddon } from "./native";

// ---- the native elementwise kernels (lib/array/native.ts), for float64 arrays of at least NATIVE_MIN elements ----
let nativeKernels: NativeAddon | null | undefined;
function native(): NativeAddon | null {
  if (nativeKernels === undefined) nativeKernels = nativeAddon();
  return nativeKernels;
}
/**
 * Below these sizes the JS loops win: a call into the addon costs ~0.3 µs here, a JS loop ~1 ns per element for
 * arithmetic and ~10 ns for exp/log/tanh/sin, measured with addon.unary/binary/reduce against the JS loops.
 */
export const NATIVE_MIN = 256;
export const NATIVE_MIN_TRANSCENDENTAL = 48;
const CHEAP_UNARY = new Set(["sqrt", "square", "negative", "abs", "reciprocal"]);

export type RealFn1 = (x: number) => number;
export type RealFn2 = (a: number, b: number) => number;
/** Complex kernels write their result at out[o], out[o + 1] (re, im). */
export type ComplexFn1 = (re: number, im: number, out: Float64Array, o: number) => void;
export type ComplexFn2 = (ar: number, ai: number, br: number, bi: number, out: Float64Array, o: number) => void;

/** Reads element i of an array as (re, im) regardless of dtype. */
function complexView(x: NDArray): Float64Array {
  if (isComplex(x.dtype)) return x.data as Float64Array;
  const out = allocate("complex128", x.size) as Float64Array;
  for (let i = 0; i < x.size; i++) out[2 * i] = x.data[i];
  return out;
}

/**
 * Elementwise f over x into a new array of `outDtype`. `nativeOp` names the addon's kernel for f (float64 only);
 * the JS loop runs when there is no addon, the array is small, or the addon does not implement the op.
 */
export function map1(x: NDArray, outDtype: DType, f: RealFn1, fc?: ComplexFn1, opName = "op", nativeOp?: string): NDArray {
  const n = x.size;
  if (nativeOp !== undefined && n >= NATIVE_MIN_TRANSCENDENTAL && outDtype === "float64" && x.dtype === "float64" &&
      (n >= NATIVE_MIN || !CHEAP_UNARY.has(nativeOp))) {
    const nk = native();
    if (nk !== null) {
      const out = allocateUninit("float64", n) as Float64Array;
      if (nk.unary(nativeOp, x.data as Float64Array, out, n)) return new NDArray(out, x.shape.slice(), "float64");
      loops1(f, 0)(x.data, out, n);
      return new NDArray(out, x.shape.slice(), "float64");
    }
  }
  if (isComplex(outDtype) || isComplex(x.dtype)) {
    if (!fc) throw new TypeError(`${opName}: not supported for complex input`);
    const src = complexView(x);
    const out = allocate("complex128", n) as Float64Array;
    for (let i = 0; i < n; i++) fc(src[2 * i], src[2 * i + 1], out, 2 * i);
    if (!isComplex(outDtype)) {
      const real = allocate(outDtype, n);
      for (let i = 0; i < n; i++) real[i] = out[2 * i];
      return new NDArray(real, x.shape.slice(), outDtype);
    }
    return new NDArray(out, x.shape.slice(), "complex128");
  }
  const out = allocateUninit(outDtype, n);
  const nk = nativeOp !== undefined && n >= NATIVE_MIN && outDtype === "bool" && x.dtype === "float64" ? native() : null;
  if (nk === null || !nk.predicate(nativeOp!, x.data as Float64Array, out as Uint8Array, n)) loops1(f, kindOf(x.data, out))(x.data, out, n);
  return new NDArray(out, x.shape.slice(), outDtype);
}

// ---- specialized loops -----------------------------------------------------------------------------------------
// A loop shared by every elementwise function calls its kernel through a megamorphic call site, which V8 can't
// inline (~3-5 ns per element). Compiling one small loop per kernel gives each its own call site, so the kernel
// is inlined and the loop runs at typed-array speed. Loops are cached per kernel function.
type Loop1 = (src: ArrayLike<number>, out: TypedData, n: number) => void;
type Loop2 = {
  same: (A: ArrayLike<number>, B: ArrayLike<number>, out: TypedData, n: number) => void;
  scalarB: (A: ArrayLike<number>, b: number, out: TypedData, n: number) => void;
  scalarA: (a: number, B: ArrayLike<number>, out: TypedData, n: number) => void;
  strided: (A: ArrayLike<number>, B: ArrayLike<number>, out: TypedData, ia: number, ib: number, da: number, db: number, len: number, o: number) => void;
  /** A 2-d block [n0, n1] of the output (contiguous from o), the operands at strides (a0, a1) and (b0, b1). */
  strided2: (A: ArrayLike<number>, B: ArrayLike<number>, out: TypedData, ia: number, ib: number, n0: number, n1: number,
    a0: number, a1: number, b0: number, b1: number, o: number) => void;
};
// Each compiled source carries a unique tag: V8 caches `new Function` by its source text, and loops compiled from one
// text share their optimized code, which then calls every kernel through one megamorphic site (measured: strided
// broadcasting loops 3-4x slower once a few different kernels had run through them).
let loopCount = 0;
const uniqueTag = () => `/* loop ${++loopCount} */`;
// Two copies of each loop: one only ever sees Float64Arrays, one the other typed arrays (int32, bool, float32), so
// that integer or mask inputs don't make the float64 loops polymorphic in their element kind.
const cache1 = [new WeakMap<RealFn1, Loop1>(), new WeakMap<RealFn1, Loop1>()];
const cache2 = [new WeakMap<RealFn2, Loop2>(), new WeakMap<RealFn2, Loop2>()];
const kindOf = (...arrays: ArrayLike<number>[]): 0 | 1 => (arrays.every((a) => a instanceof Float64Array) ? 0 : 1);

function loops1(f: RealFn1, kind: 0 | 1): Loop1 {
  const cache = cache1[kind];
  let loop = cache.get(f);
  if (!loop) {
    loop = new Function("f", `${uniqueTag()} return function loop1(src, out, n) { for (let i = 0; i < n; i++) out[i] = f(src[i]); };`)(f) as Loop1;
    cache.set(f, loop);
  }
  return loop;
}

function loops2(f: RealFn2, kind: 0 | 1): Loop2 {
  const cache = cache2[kind];
  let loops = cache.get(f);
  if (!loops) {
    loops = new Function(
      "f",
      `${uniqueTag()} return {
        same(A, B, out, n) { for (let i = 0; i < n; i++) out[i] = f(A[i], B[i]); },
        scalarB(A, b, out, n) { for (let i = 0; i < n; i++) out[i] = f(A[i], b); },
        scalarA(a, B, out, n) { for (let i = 0; i < n; i++) out[i] = f(a, B[i]); },
        strided(A, B, out, ia, ib, da, db, len, o) { for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = f(A[ia], B[ib]); },
        strided2(A, B, out, ia, ib, n0, n1, a0, a1, b0, b1, o) {
          if (n1 < 32) {
            // short rows ([N, 5] against [5] or [N, 1]): one flat loop, the row step taken every n1 elements
            const end = o + n0 * n1, ra = a0 - n1 * a1, rb = b0 - n1 * b1;
            for (let q = o, j = 0; q < end; q++) {
              out[q] = f(A[ia], B[ib]);
              ia += a1;
              ib += b1;
              if (++j === n1) { j = 0; ia += ra; ib += rb; }
            }
            return;
          }
          for (let i = 0; i < n0; i++, ia += a0, ib += b0) {
            let pa = ia, pb = ib;
            for (let j = 0; j < n1; j++, pa += a1, pb += b1) out[o++] = f(A[pa], B[pb]);
          }
        },
      };`,
    )(f) as Loop2;
    cache.set(f, loops);
  }
  return loops;
}

/** Strides of `shape` when broadcast against `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  const off = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/**
 * Drops size-1 dimensions and merges neighbouring dimensions that both operands step through as one (the same
 * iteration with fewer, longer loops): a [N, 1] operand against a [N, K] one stays 2-d, equal shapes become 1-d.
 */
export function coalesce(shape: readonly number[], sa: readonly number[], sb: readonly number[]): { shape: number[]; sa: number[]; sb: number[] } {
  const out: number[] = [], oa: number[] = [], ob: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const k = out.length - 1;
    if (k >= 0 && oa[k] === sa[i] * d && ob[k] === sb[i] * d) {
      out[k] *= d;
      oa[k] = sa[i];
      ob[k] = sb[i];
    } else {
      out.push(d);
      oa.push(sa[i]);
      ob.push(sb[i]);
    }
  }
  return { shape: out, sa: oa, sb: ob };
}

/**
 * Calls `block(ia, ib, n0, n1, a0, a1, b0, b1, o)` for each 2-d block of the last two (coalesced) dimensions, in
 * row-major order of the output; `o` is the output offset of the block (blocks are contiguous in the output).
 */
function forEachBlock(
  outShape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
  block: (ia: number, ib: number, n0: number, n1: number, a0: number, a1: number, b0: number, b1: number, o: number) => void,
): void {
  const c = coalesce(outShape, sa, sb);
  const nd = c.shape.length;
  if (nd === 0) return block(0, 0, 1, 1, 0, 0, 0, 0, 0);
  if (nd === 1) return block(0, 0, 1, c.shape[0], 0, c.sa[0], 0, c.sb[0], 0);
  const n0 = c.shape[nd - 2], n1 = c.shape[nd - 1];
  const a0 = c.sa[nd - 2], a1 = c.sa[nd - 1], b0 = c.sb[nd - 2], b1 = c.sb[nd - 1];
  const blocks = shapeSize(c.shape) / (n0 * n1 || 1);
  if (n0 * n1 === 0) return;
  const idx = new Array<number>(nd - 2).fill(0);
  let ia = 0, ib = 0;
  for (let t = 0, o = 0; t < blocks; t++, o += n0 * n1) {
    block(ia, ib, n0, n1, a0, a1, b0, b1, o);
    for (let d = nd - 3; d >= 0; d--) {
      idx[d]++;
      ia += c.sa[d];
      ib += c.sb[d];
      if (idx[d] < c.shape[d]) break;
      ia -= c.sa[d] * c.shape[d];
      ib -= c.sb[d] * c.shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * Visits every element of `outShape` in row-major order, calling `inner(offA, offB, stepA, stepB, len, o)`
 * once per innermost row with the starting offsets into two broadcast operands.
 */
function forEachRow(
  outShape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
  inner: (offA: number, offB: number, stepA: number, stepB: number, len: number, o: number) => void,
): void {
  const nd = outShape.length;
  if (nd === 0) {
    inner(0, 0, 0, 0, 1, 0);
    return;
  }
  const len = outShape[nd - 1];
  const rows = shapeSize(outShape) / (len || 1);
  if (len === 0 || rows === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let offA = 0;
  let offB = 0;
  for (let r = 0, o = 0; r < rows; r++, o += len) {
    inner(offA, offB, sa[nd - 1], sb[nd - 1], len, o);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      offA += sa[d];
      offB += sb[d];
      if (idx[d] < outShape[d]) break;
      offA -= sa[d] * outShape[d];
      offB -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** acc += x elementwise, in place (same length): the backward pass's cotangent accumulation. */
export function addInPlace(acc: Float64Array, x: Float64Array): void {
  const n = acc.length;
  if (n >= NATIVE_MIN) {
    const nk = native();
    if (nk !== null && nk.binary("add", acc, x, acc, n, 0)) return;
  }
  for (let i = 0; i < n; i++) acc[i] += x[i];
}

/**
 * Broadcasting binary f(a, b) into a new array of `outDtype`. `nativeOp` names the addon's kernel for f (float64
 * operands and result, same shapes or one scalar operand); otherwise, or for small arrays, the JS loops run.
 */
export function map2(
  a: NDArray,
  b: NDArray,
  outDtype: DType,
  f: RealFn2,
  fc?: ComplexFn2,
  opName = "op",
  nativeOp?: string,
): NDArray {
  const outShape = broadcastShapes(a.shape, b.shape, opName);
  const n = shapeSize(outShape);
  if (nativeOp !== undefined && n >= (nativeOp === "power" ? NATIVE_MIN_TRANSCENDENTAL : NATIVE_MIN) &&
      (outDtype === "float64" || outDtype === "bool") && a.dtype === "float64" && b.dtype === "float64") {
    const mode = a.size === n ? (b.size === n ? 0 : b.size === 1 ? 1 : -1) : a.size === 1 && b.size === n ? 2 : -1;
    const nk = mode >= 0 ? native() : null;
    if (nk !== null) {
      const out = allocateUninit(outDtype, n);
      const A = a.data as Float64Array, B = b.data as Float64Array, m = mode as 0 | 1 | 2;
      if (outDtype === "bool" ? nk.compare(nativeOp, A, B, out as Uint8Array, n, m) : nk.binary(nativeOp, A, B, out as Float64Array, n, m)) {
        return new NDArray(out, outShape, outDtype);
      }
    }
  }
  if (isComplex(outDtype) || isComplex(a.dtype) || isComplex(b.dtype)) {
    if (!fc) throw new TypeError(`${opName}: not supported for complex input`);
    const A = complexView(a);
    const B = complexView(b);
    const out = allocate("complex128", n) as Float64Array;
    forEachRow(outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape), (ia, ib, da, db, len, o) => {
      for (let j = 0; j < len; j++, ia += da, ib += db) fc(A[2 * ia], A[2 * ia + 1], B[2 * ib], B[2 * ib + 1], out, 2 * (o + j));
    });
    if (!isComplex(outDtype)) {
      const real = allocate(outDtype, n);
      for (let i = 0; i < n; i++) real[i] = out[2 * i];
      return new NDArray(real, outShape, outDtype);
    }
    return new NDArray(out, outShape, "complex128");
  }
  const A = a.data;
  const B = b.data;
  const out = allocateUninit(outDtype, n);
  const loops = loops2(f, kindOf(A, B, out));
  if (a.size === n && b.size === n) loops.same(A, B, out, n);
  else if (b.size === 1 && a.size === n) loops.scalarB(A, B[0], out, n);
  else if (a.size === 1 && b.size === n) loops.scalarA(A[0], B, out, n);
  else {
    // a row or a column broadcast against a matrix (`x + bias`): the addon runs each block's rows as SIMD loops
    const nk = nativeOp !== undefined && n >= NATIVE_MIN && out instanceof Float64Array && A instanceof Float64Array &&
      B instanceof Float64Array ? native() : null;
    forEachBlock(outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape), (ia, ib, n0, n1, a0, a1, b0, b1, o) => {
      if (nk === null || !nk.binary2d(nativeOp!, A as Float64Array, ia, a0, a1, B as Float64Array, ib, b0, b1, out as Float64Array, o, n0, n1)) {
        loops.strided2(A, B, out, ia, ib, n0, n1, a0, a1, b0, b1, o);
      }
    });
  }
  return new NDArray(out, outShape, outDtype);
}

/** Materializes `x` broadcast to `shape` (a copy). */
export function broadcastTo(x: NDArray, shape: number[]): NDArray {
  const slots = isComplex(x.dtype) ? 2 : 1;
  const out = allocateUninit(x.dtype, shapeSize(shape));
  const src = x.data;
  if (slots === 1) {
    const zeros = new Array<number>(shape.length).fill(0);
    forEachBlock(shape, broadcastStrides(x.shape, shape), zeros, (ia, _ib, n0, n1, a0, a1, _b0, _b1, o) => {
      for (let i = 0; i < n0; i++, ia += a0) {
        if (a1 === 0) out.fill(src[ia], o, o + n1);
        else for (let j = 0, p = ia; j < n1; j++, p += a1) out[o + j] = src[p];
        o += n1;
      }
    });
    return new NDArray(out, shape.slice(), x.dtype);
  }
  forEachRow(shape, broadcastStrides(x.shape, shape), broadcastStrides([], shape), (ia, _ib, da, _db, len, o) => {
    for (let j = 0; j < len; j++, ia += da) {
      out[2 * (o + j)] = src[2 * ia];
      out[2 * (o + j) + 1] = src[2 * ia + 1];
    }
  });
  return new NDArray(out, shape.slice(), x.dtype);
}

type ReduceLoop = (src: ArrayLike<number>, acc: Float64Array, outer: number, len: number, inner: number) => void;
const reduceCache = new WeakMap<RealFn2, ReduceLoop>();

/** The [outer, len, inner] reduction loop for one step function (compiled per function, as the elementwise loops). */
function reduceLoop(step: RealFn2): ReduceLoop {
  let loop = reduceCache.get(step);
  if (!loop) {
    loop = new Function(
      "step",
      `${uniqueTag()} return function reduce(src, acc, outer, len, inner) {
        if (inner === 1) {
          for (let o = 0, p = 0; o < outer; o++) {
            let a = acc[o];
            for (let l = 0; l < len; l++) a = step(a, src[p++]);
            acc[o] = a;
          }
          return;
        }
        for (let o = 0, p = 0; o < outer; o++) {
          const base = o * inner;
          for (let l = 0; l < len; l++) for (let i = 0; i < inner; i++) acc[base + i] = step(acc[base + i], src[p++]);
        }
      };`,
    )(step) as ReduceLoop;
    reduceCache.set(step, loop);
  }
  return loop;
}

/** x's shape as [outer, len, inner] with the reduced axes in the middle, or null when they are not one block. */
export function asThreeAxes(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  let outer = 1, len = 1, inner = 1;
  let phase: number = 0; // 0: before the reduced block, 1: inside it, 2: after it
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const reduced = axes.includes(i);
    if (reduced) {
      if (phase === 2) return null;
      phase = 1;
      len *= d;
    } else if (phase === 0) outer *= d;
    else {
      phase = 2;
      inner *= d;
    }
  }
  return [outer, len, inner];
}

export const stepSum: RealFn2 = (a, v) => a + v;

/**
 * Reduces `x` over sorted `axes` into an array of `outShape` (reduced dims kept as 1 or dropped, same order).
 * `init` seeds each output, `step(acc, v)` folds one element in. Real dtypes only; complex sums use sumAxes.
 * `nativeOp` ("sum", "max", "min") names the addon's reduction for step, used on float64 input.
 */
export function reduceAxes(
  x: NDArray,
  axes: readonly number[],
  outShape: number[],
  outDtype: DType,
  init: number,
  step: RealFn2,
  nativeOp?: "sum" | "max" | "min",
): NDArray {
  const nOut = shapeSize(outShape);
  const three = asThreeAxes(x.shape, axes);
  if (three !== null && nativeOp !== undefined && x.dtype === "float64" && outDtype === "float64" && x.size >= NATIVE_MIN && three[1] > 0) {
    const nk = native();
    if (nk !== null) {
      const out = allocateUninit("float64", nOut) as Float64Array;
      if (nk.reduce(nativeOp, x.data as Float64Array, three[0], three[1], three[2], out)) return new NDArray(out, outShape, "float64");
    }
  }
  const acc = (outDtype === "float64" ? allocateUninit("float64", nOut) : new Float64Array(nOut)) as Float64Array;
  acc.fill(init);
  const src = x.data;
  if (three !== null) reduceLoop(step)(src, acc, three[0], three[1], three[2]);
  else {
    const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const ostr = broadcastStrides(keptShape, x.shape);
    forEachRow(x.shape, stridesOf(x.shape), ostr, (ix, io, dx, dio, len) => {
      if (dio === 0) {
        let a = acc[io];
        for (let j = 0; j < len; j++, ix += dx) a = step(a, src[ix]);
        acc[io] = a;
      } else for (let j = 0; j < len; j++, ix += dx, io += dio) acc[io] = step(acc[io], src[ix]);
    });
  }
  if (outDtype === "float64") return new NDArray(acc, outShape, "float64");
  const out = allocateUninit(outDtype, nOut);
  for (let i = 0; i < nOut; i++) out[i] = acc[i];
  return new NDArray(out, outShape, outDtype);
}

/** Sum over axes for any dtype (complex sums real and imaginary parts separately). */
export function sumAxes(x: NDArray, axes: readonly number[], outShape: number[], outDtype: DType): NDArray {
  if (!isComplex(x.dtype)) return reduceAxes(x, axes, outShape, outDtype, 0, stepSum, "sum");
  const re = new NDArray(allocate("float64", x.size), x.shape, "float64");
  const im = new NDArray(allocate("float64", x.size), x.shape, "float64");
  for (let i = 0; i < x.size; i++) {
    (re.data as Float64Array)[i] = x.data[2 * i];
    (im.data as Float64Array)[i] = x.data[2 * i + 1];
  }
  const r = reduceAxes(re, axes, outShape, "float64", 0, stepSum);
  const m = reduceAxes(im, axes, outShape, "float64", 0, stepSum);
  const out = allocate("complex128", r.size) as Float64Array;
  for (let i = 0; i < r.size; i++) {
    out[2 * i] = r.data[i];
    out[2 * i + 1] = m.data[i];
  }
  return new NDArray(out, outShape, "complex128");
}

/** out (R×C) = srcᵀ, src stored C×R; 16×16 tiles so that both sides stay in cache. */
function transposeBlocked(src: TypedData, out: TypedData, R: number, C: number): void {
  const B = 16;
  for (let i0 = 0; i0 < R; i0 += B) {
    const i1 = i0 + B < R ? i0 + B : R;
    for (let j0 = 0; j0 < C; j0 += B) {
      const j1 = j0 + B < C ? j0 + B : C;
      for (let i = i0; i < i1; i++) {
        const o = i * C;
        for (let j = j0; j < j1; j++) out[o + j] = src[j * R + i];
      }
    }
  }
}

/** Permutes axes (a copy in the new order; big 2-d float64 transposes deferred). */
export function transposeData(x: NDArray, perm: readonly number[]): NDArray {
  const shape = perm.map((p) => x.shape[p]);
  const source = shape.length === 2 && perm[0] === 1 ? transposeSource(x) : undefined;
  if (source !== undefined) return source; // (Xᵀ)ᵀ of a pending transpose: X itself (arrays are immutable)
  const inStrides = stridesOf(x.shape);
  const srcStrides = perm.map((p) => inStrides[p]);
  const slots = isComplex(x.dtype) ? 2 : 1;
  const src = x.data;
  // 2-d fast path: natively (cache-blocked, on all cores) for float64, else blocked in JS; big float64 ones are
  // deferred (lib/array/deferred-transpose.ts) so that X.T @ v never copies X
  if (shape.length === 2 && slots === 1 && perm[0] === 1) {
    const [R, C] = shape;
    const copy = (out: TypedData): TypedData => {
      const nk = x.dtype === "float64" && x.size >= NATIVE_MIN ? native() : null;
      if (nk !== null) nk.transpose(src as Float64Array, C, R, out as Float64Array);
      else transposeBlocked(src, out, R, C);
      return out;
    };
    if (x.dtype === "float64" && x.size >= DEFER_MIN && x._box === undefined && mayDeferViewOf(src)) {
      return deferTranspose(x, () => copy(allocateUninit("float64", x.size)));
    }
    return new NDArray(copy(allocateUninit(x.dtype, x.size)), shape, x.dtype);
  }
  const out = allocateUninit(x.dtype, x.size);
  forEachRow(shape, srcStrides, stridesOf(shape), (is, _io, ds, _d, len, o) => {
    if (slots === 1) for (let j = 0; j < len; j++, is += ds) out[o + j] = src[is];
    else for (let j = 0; j < len; j++, is += ds) {
      out[2 * (o + j)] = src[2 * is];
      out[2 * (o + j) + 1] = src[2 * is + 1];
    }
  });
  return new NDArray(out, shape, x.dtype);
}

export { forEachRow };
