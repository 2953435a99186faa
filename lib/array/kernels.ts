// Raw compute kernels on typed storage: elementwise maps, broadcasting binary loops, axis reductions,
// transposition. No autodiff here; lib/numpy wraps these in primitives.
import { type DType, type TypedData, allocate, isComplex } from "./dtype";
import { NDArray } from "./ndarray";
import { broadcastShapes, shapeSize, stridesOf } from "./shape";

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

export function map1(x: NDArray, outDtype: DType, f: RealFn1, fc?: ComplexFn1, opName = "op"): NDArray {
  const n = x.size;
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
  const out = allocate(outDtype, n);
  loops1(f)(x.data, out, n);
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
};
const cache1 = new WeakMap<RealFn1, Loop1>();
const cache2 = new WeakMap<RealFn2, Loop2>();

function loops1(f: RealFn1): Loop1 {
  let loop = cache1.get(f);
  if (!loop) {
    loop = new Function("f", "return function loop1(src, out, n) { for (let i = 0; i < n; i++) out[i] = f(src[i]); };")(f) as Loop1;
    cache1.set(f, loop);
  }
  return loop;
}

function loops2(f: RealFn2): Loop2 {
  let loops = cache2.get(f);
  if (!loops) {
    loops = new Function(
      "f",
      `return {
        same(A, B, out, n) { for (let i = 0; i < n; i++) out[i] = f(A[i], B[i]); },
        scalarB(A, b, out, n) { for (let i = 0; i < n; i++) out[i] = f(A[i], b); },
        scalarA(a, B, out, n) { for (let i = 0; i < n; i++) out[i] = f(a, B[i]); },
        strided(A, B, out, ia, ib, da, db, len, o) { for (let j = 0; j < len; j++, ia += da, ib += db) out[o + j] = f(A[ia], B[ib]); },
      };`,
    )(f) as Loop2;
    cache2.set(f, loops);
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

export function map2(
  a: NDArray,
  b: NDArray,
  outDtype: DType,
  f: RealFn2,
  fc?: ComplexFn2,
  opName = "op",
): NDArray {
  const outShape = broadcastShapes(a.shape, b.shape, opName);
  const n = shapeSize(outShape);
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
  const out = allocate(outDtype, n);
  const loops = loops2(f);
  if (a.size === n && b.size === n) loops.same(A, B, out, n);
  else if (b.size === 1 && a.size === n) loops.scalarB(A, B[0], out, n);
  else if (a.size === 1 && b.size === n) loops.scalarA(A[0], B, out, n);
  else {
    forEachRow(outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape), (ia, ib, da, db, len, o) =>
      loops.strided(A, B, out, ia, ib, da, db, len, o),
    );
  }
  return new NDArray(out, outShape, outDtype);
}

/** Materializes `x` broadcast to `shape` (a copy). */
export function broadcastTo(x: NDArray, shape: number[]): NDArray {
  const slots = isComplex(x.dtype) ? 2 : 1;
  const out = allocate(x.dtype, shapeSize(shape));
  const src = x.data;
  forEachRow(shape, broadcastStrides(x.shape, shape), broadcastStrides([], shape), (ia, _ib, da, _db, len, o) => {
    if (slots === 1) for (let j = 0; j < len; j++, ia += da) out[o + j] = src[ia];
    else for (let j = 0; j < len; j++, ia += da) {
      out[2 * (o + j)] = src[2 * ia];
      out[2 * (o + j) + 1] = src[2 * ia + 1];
    }
  });
  return new NDArray(out, shape.slice(), x.dtype);
}

/**
 * Reduces `x` over sorted `axes` into an array of `outShape` (reduced dims kept as 1 or dropped, same order).
 * `init` seeds each output, `step(acc, v)` folds one element in. Real dtypes only; complex sums use sumAxes.
 */
export function reduceAxes(
  x: NDArray,
  axes: readonly number[],
  outShape: number[],
  outDtype: DType,
  init: number,
  step: RealFn2,
): NDArray {
  const nOut = shapeSize(outShape);
  const acc = (allocate("float64", nOut) as Float64Array).fill(init);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const ostr = broadcastStrides(keptShape, x.shape);
  const src = x.data;
  forEachRow(x.shape, stridesOf(x.shape), ostr, (ix, io, dx, dio, len) => {
    if (dio === 0) {
      let a = acc[io];
      for (let j = 0; j < len; j++, ix += dx) a = step(a, src[ix]);
      acc[io] = a;
    } else for (let j = 0; j < len; j++, ix += dx, io += dio) acc[io] = step(acc[io], src[ix]);
  });
  if (outDtype === "float64") return new NDArray(acc, outShape, "float64");
  const out = allocate(outDtype, nOut);
  for (let i = 0; i < nOut; i++) out[i] = acc[i];
  return new NDArray(out, outShape, outDtype);
}

/** Sum over axes for any dtype (complex sums real and imaginary parts separately). */
export function sumAxes(x: NDArray, axes: readonly number[], outShape: number[], outDtype: DType): NDArray {
  if (!isComplex(x.dtype)) return reduceAxes(x, axes, outShape, outDtype, 0, (a, v) => a + v);
  const re = new NDArray(allocate("float64", x.size), x.shape, "float64");
  const im = new NDArray(allocate("float64", x.size), x.shape, "float64");
  for (let i = 0; i < x.size; i++) {
    (re.data as Float64Array)[i] = x.data[2 * i];
    (im.data as Float64Array)[i] = x.data[2 * i + 1];
  }
  const r = reduceAxes(re, axes, outShape, "float64", 0, (a, v) => a + v);
  const m = reduceAxes(im, axes, outShape, "float64", 0, (a, v) => a + v);
  const out = allocate("complex128", r.size) as Float64Array;
  for (let i = 0; i < r.size; i++) {
    out[2 * i] = r.data[i];
    out[2 * i + 1] = m.data[i];
  }
  return new NDArray(out, outShape, "complex128");
}

/** Permutes axes (a copy in the new order). */
export function transposeData(x: NDArray, perm: readonly number[]): NDArray {
  const shape = perm.map((p) => x.shape[p]);
  const inStrides = stridesOf(x.shape);
  const srcStrides = perm.map((p) => inStrides[p]);
  const slots = isComplex(x.dtype) ? 2 : 1;
  const out = allocate(x.dtype, x.size);
  const src = x.data;
  // 2-d fast path, blocked for cache friendliness
  if (shape.length === 2 && slots === 1 && perm[0] === 1) {
    const [R, C] = shape;
    const B = 32;
    for (let i0 = 0; i0 < R; i0 += B)
      for (let j0 = 0; j0 < C; j0 += B)
        for (let i = i0; i < Math.min(i0 + B, R); i++)
          for (let j = j0; j < Math.min(j0 + B, C); j++) out[i * C + j] = src[j * R + i];
    return new NDArray(out, shape, x.dtype);
  }
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
