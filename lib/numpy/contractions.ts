// Contractions: matmul (batched, the one primitive), and dot, tensordot, inner, outer, vdot built on it.
import { type DType, allocate, allocateUninit, isComplex, promote, toInexact } from "../array/dtype";
import { transposeSource } from "../array/deferred-transpose";
import { gemmBatch, sgemmBatch } from "../array/gemm";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis, shapeSize } from "../array/shape";
import { definePrimitive } from "../core/tracer";
import { arr, range } from "./args";
import { conj, real, reshape, transpose, unbroadcast } from "./basis";
import { add, multiply, subtract } from "./binary";
import { imag, complex } from "./complexParts";
import { sum } from "./reductions";

/**
 * Real batched matmul of contiguous storage: op(a) @ op(b), where op transposes the last two axes when its
 * flag is set. Gradients use the flags instead of materializing transposes (a copy of X in X.T @ g would
 * cost as much as the product itself).
 */
function matmulReal(a: NDArray, b: NDArray, transA: boolean, transB: boolean, outDtype: DType): NDArray {
  // a pending X.T (lib/array/deferred-transpose.ts): multiply X itself, transposed by the flag
  const sa = transposeSource(a), sb = transposeSource(b);
  if (sa !== undefined) (a = sa), (transA = !transA);
  if (sb !== undefined) (b = sb), (transB = !transB);
  const [ra, ca] = a.shape.slice(-2), [rb, cb] = b.shape.slice(-2);
  const m = transA ? ca : ra, k = transA ? ra : ca, n = transB ? rb : cb;
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, "np.matmul");
  const nb = shapeSize(batch);
  const offA = batchOffsets(batchA, batch, ra * ca), offB = batchOffsets(batchB, batch, rb * cb);
  if (outDtype === "float32" && a.dtype === "float32" && b.dtype === "float32") {
    // float32 arithmetic on the native backend (as numpy); otherwise computed in float64 below and rounded
    const C32 = new Float32Array(nb * m * n);
    if (sgemmBatch(transA, transB, m, n, k, a.data as Float32Array, offA, ca, b.data as Float32Array, offB, cb, C32)) {
      return new NDArray(C32, [...batch, m, n], "float32");
    }
  }
  const A = a.dtype === "float64" ? (a.data as Float64Array) : Float64Array.from(a.data);
  const B = b.dtype === "float64" ? (b.data as Float64Array) : Float64Array.from(b.data);
  const C = allocateUninit("float64", nb * m * n) as Float64Array; // gemm overwrites every slot
  gemmBatch(transA, transB, m, n, k, A, offA, ca, B, offB, cb, C);
  const out = new NDArray(C, [...batch, m, n], "float64");
  return outDtype === "float64" ? out : castArray(out, outDtype);
}

/** Offsets of each broadcast batch entry into an operand with batch shape `own`. */
function batchOffsets(own: number[], batch: number[], matrixSize: number): number[] {
  const nb = shapeSize(batch);
  const out = new Array<number>(nb);
  const lead = batch.length - own.length;
  const idx = new Array<number>(batch.length).fill(0);
  for (let t = 0; t < nb; t++) {
    let off = 0;
    for (let d = 0; d < own.length; d++) off = off * own[d] + (own[d] === 1 ? 0 : idx[d + lead]);
    out[t] = off * matrixSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function matmulImpl(a: NDArray, b: NDArray, transA = false, transB = false): NDArray {
  const k = transA ? a.shape[a.ndim - 2] : a.shape[a.ndim - 1];
  const kb = transB ? b.shape[b.ndim - 1] : b.shape[b.ndim - 2];
  if (kb !== k) {
    throw new ShapeError(
      `np.matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} not aligned: ` +
        `dimension ${a.ndim - 1} of the first (${k}) != dimension ${b.ndim - 2} of the second (${kb})`,
    );
  }
  const outDtype = promote(a.dtype, b.dtype);
  if (!isComplex(outDtype)) return matmulReal(a, b, transA, transB, outDtype === "bool" ? "int32" : outDtype);
  // (ar + i ai)(br + i bi) with four real products
  const ar = real(a), ai = imag(a), br = real(b), bi = imag(b);
  const mm = (x: NDArray, y: NDArray) => matmulReal(x, y, transA, transB, "float64");
  return complex(subtract(mm(ar, br), mm(ai, bi)), add(mm(ar, bi), mm(ai, br)));
}

// C = op(A)·op(B). ∂/∂op(A) = g·op(B)ᵀ and ∂/∂op(B) = op(A)ᵀ·g; transposed operands take the transpose of those.
const matmulPrim = definePrimitive("matmul", {
  impl: matmulImpl,
  argNames: ["x1", "x2"],
  vjp: [
    (g, _ans, a: NDArray, b: NDArray, tA = false, tB = false) =>
      unbroadcast(tA ? matmulPrim(b, g, tB, true) : matmulPrim(g, b, false, !tB), a),
    (g, _ans, a: NDArray, b: NDArray, tA = false, tB = false) =>
      unbroadcast(tB ? matmulPrim(g, a, true, tA) : matmulPrim(a, g, !tA, false), b),
  ],
  jvp: [
    (t, _ans, _a, b: NDArray, tA = false, tB = false) => matmulPrim(t, b, tA, tB),
    (t, _ans, a: NDArray, _b, tA = false, tB = false) => matmulPrim(a, t, tA, tB),
  ],
});

/** np.matmul: batched matrix product with numpy's rules for 1-d operands. */
export function matmul(x1: ArrayLike, x2: ArrayLike): NDArray {
  let a = arr(x1, "np.matmul"), b = arr(x2, "np.matmul");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ValueError("np.matmul: input operand does not have enough dimensions (scalars are not allowed; use np.multiply)");
  }
  const vecA = a.ndim === 1, vecB = b.ndim === 1;
  if (vecA) a = reshape(a, [1, a.shape[0]]);
  if (vecB) b = reshape(b, [b.shape[0], 1]);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
    throw new ShapeError(
      `np.matmul: shapes ${fmtShape(arr(x1, "").shape)} and ${fmtShape(arr(x2, "").shape)} not aligned: ` +
        `${a.shape[a.ndim - 1]} (last dim of x1) != ${b.shape[b.ndim - 2]} (${vecB ? "length" : "second-to-last dim"} of x2)`,
    );
  }
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const n = Math.max(batchA.length, batchB.length);
  for (let i = 0; i < n; i++) {
    const da = batchA[batchA.length - n + i] ?? 1, db = batchB[batchB.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `np.matmul: shapes ${fmtShape(arr(x1, "").shape)} and ${fmtShape(arr(x2, "").shape)} have batch dimensions ` +
          `${fmtShape(batchA)} and ${fmtShape(batchB)} that cannot be broadcast together (${da} vs ${db}); ` +
          `expected equal batch dimensions or 1s (the last two axes are the matrices)`,
      );
    }
  }
  let out = matmulPrim(a, b);
  if (vecA || vecB) {
    const shape = out.shape.slice();
    if (vecB) shape.splice(shape.length - 1, 1);
    if (vecA) shape.splice(shape.length - (vecB ? 1 : 2), 1);
    out = reshape(out, shape);
  }
  return out;
}

/** np.tensordot(a, b, axes): axes is an integer N (last N of a with first N of b) or [axesA, axesB]. */
export function tensordot(x1: ArrayLike, x2: ArrayLike, axes: number | [number | number[], number | number[]] = 2): NDArray {
  const a = arr(x1, "np.tensordot"), b = arr(x2, "np.tensordot");
  let axA: number[], axB: number[];
  if (typeof axes === "number") {
    axA = range(axes).map((i) => a.ndim - axes + i);
    axB = range(axes);
  } else {
    axA = (typeof axes[0] === "number" ? [axes[0]] : axes[0]).map((i) => normalizeAxis(i, a.ndim, "np.tensordot"));
    axB = (typeof axes[1] === "number" ? [axes[1]] : axes[1]).map((i) => normalizeAxis(i, b.ndim, "np.tensordot"));
  }
  if (axA.length !== axB.length) throw new ValueError("np.tensordot: the two axes lists must have the same length");
  for (let i = 0; i < axA.length; i++) {
    if (a.shape[axA[i]] !== b.shape[axB[i]]) {
      throw new ShapeError(
        `np.tensordot: shape mismatch for sum: axis ${axA[i]} of a ${fmtShape(a.shape)} has length ${a.shape[axA[i]]}, ` +
          `axis ${axB[i]} of b ${fmtShape(b.shape)} has length ${b.shape[axB[i]]}`,
      );
    }
  }
  const freeA = range(a.ndim).filter((i) => !axA.includes(i));
  const freeB = range(b.ndim).filter((i) => !axB.includes(i));
  const kSize = axA.reduce((p, i) => p * a.shape[i], 1);
  const A2 = reshape(transpose(a, [...freeA, ...axA]), [shapeSize(freeA.map((i) => a.shape[i])), kSize]);
  const B2 = reshape(transpose(b, [...axB, ...freeB]), [kSize, shapeSize(freeB.map((i) => b.shape[i]))]);
  return reshape(matmulPrim(A2, B2), [...freeA.map((i) => a.shape[i]), ...freeB.map((i) => b.shape[i])]);
}

/** np.dot: products of scalars, inner products of vectors, matrix products, and numpy's N-d rule. */
export function dot(x1: ArrayLike, x2: ArrayLike): NDArray {
  const a = arr(x1, "np.dot"), b = arr(x2, "np.dot");
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  if (b.ndim <= 2 && a.ndim <= 2) {
    const ka = a.shape[a.ndim - 1], kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
    if (ka !== kb) {
      throw new ShapeError(
        `np.dot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} not aligned: ${ka} (dim ${a.ndim - 1}) != ${kb} (dim ${b.ndim === 1 ? 0 : b.ndim - 2})`,
      );
    }
    return matmul(a, b);
  }
  return tensordot(a, b, [[a.ndim - 1], [b.ndim === 1 ? 0 : b.ndim - 2]]);
}

/** np.inner: sum product over the last axes. */
export function inner(x1: ArrayLike, x2: ArrayLike): NDArray {
  const a = arr(x1, "np.inner"), b = arr(x2, "np.inner");
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  return tensordot(a, b, [[a.ndim - 1], [b.ndim - 1]]);
}

/** np.outer: flattens both inputs. */
export function outer(x1: ArrayLike, x2: ArrayLike): NDArray {
  const a = arr(x1, "np.outer"), b = arr(x2, "np.outer");
  return multiply(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
}

/** np.vdot: flattened dot product, conjugating the first argument. */
export function vdot(x1: ArrayLike, x2: ArrayLike): NDArray {
  const a = arr(x1, "np.vdot"), b = arr(x2, "np.vdot");
  if (a.size !== b.size) throw new ShapeError(`np.vdot: arrays of sizes ${a.size} and ${b.size} must have the same size`);
  const ac = isComplex(a.dtype) ? conj(a) : a;
  return sum(multiply(reshape(ac, [a.size]), reshape(b, [b.size])));
}

export { toInexact };
