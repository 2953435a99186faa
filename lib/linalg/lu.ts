// LU-based functions: det, slogdet, inv, solve (primitives, real and complex, batched), and tensorsolve,
// tensorinv, matrix_power, multi_dot (composites). Partial-pivoting LU throughout; nothing forms an explicit
// inverse where a solve will do.
//
// Rules (autograd's, which are also right for complex input under its convention: holomorphic functions get
// g·f'(z) without conjugation):
//   det:      VJP g·det·A⁻ᵀ              JVP det·tr(A⁻¹ dA)
//   slogdet:  VJP g·A⁻ᵀ (logabsdet)      JVP Re tr(A⁻¹ dA)      (the sign is a constant)
//   inv:      VJP −A⁻ᵀ G A⁻ᵀ             JVP −A⁻¹ dA A⁻¹
//   solve:    VJP gB = A⁻ᵀ G, gA = −gB Xᵀ    JVP A⁻¹(dB − dA X)
import { isComplex } from "../array/dtype";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { LinAlgError, ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, shapeSize } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr } from "../numpy/args";
import { broadcast_to, real, reshape, transpose, unbroadcast } from "../numpy/basis";
import { multiply } from "../numpy/binary";
import { matmul } from "../numpy/contractions";
import { negative } from "../numpy/elementwise";
import { cluFactor, cluSolve, luFactor, luSolve } from "./kernels/lu";
import { batchIndex, batchOf, complexData, copyData, expand2, eyeN, mT, matrixArg, restore, trace2, toWorking } from "./util";

// ---- kernels over batches -------------------------------------------------------------------------------------------

function detImpl(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const piv = new Int32Array(n);
  const shape = x.shape.slice(0, -2);
  if (isComplex(x.dtype)) {
    const a = complexData(x);
    const out = new Float64Array(2 * nb);
    for (let t = 0; t < nb; t++) {
      const { sign } = cluFactor(a, t * n * n, n, piv);
      let re = sign, im = 0;
      for (let i = 0; i < n; i++) {
        const k = 2 * (t * n * n + i * n + i);
        const dr = a[k], di = a[k + 1];
        [re, im] = [re * dr - im * di, re * di + im * dr];
      }
      out[2 * t] = re;
      out[2 * t + 1] = im;
    }
    return new NDArray(out, shape, "complex128");
  }
  const a = copyData(x);
  const out = new Float64Array(nb);
  for (let t = 0; t < nb; t++) {
    const { sign } = luFactor(a, t * n * n, n, piv);
    let d = sign;
    for (let i = 0; i < n; i++) d *= a[t * n * n + i * n + i];
    out[t] = d;
  }
  return new NDArray(out, shape, "float64");
}

/** sign and log|det| of every matrix (sign is complex for complex input; 0 and -inf when singular). */
function slogdetValues(x: NDArray): { sign: NDArray; logabs: NDArray } {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const piv = new Int32Array(n);
  const shape = x.shape.slice(0, -2);
  const logabs = new Float64Array(nb);
  if (isComplex(x.dtype)) {
    const a = complexData(x);
    const sign = new Float64Array(2 * nb);
    for (let t = 0; t < nb; t++) {
      const f = cluFactor(a, t * n * n, n, piv);
      let re = f.sign, im = 0, la = 0;
      for (let i = 0; i < n; i++) {
        const k = 2 * (t * n * n + i * n + i);
        const mag = Math.hypot(a[k], a[k + 1]);
        la += Math.log(mag);
        if (mag === 0) continue;
        const dr = a[k] / mag, di = a[k + 1] / mag;
        [re, im] = [re * dr - im * di, re * di + im * dr];
      }
      if (f.singular) [re, im, la] = [0, 0, -Infinity];
      sign[2 * t] = re;
      sign[2 * t + 1] = im;
      logabs[t] = la;
    }
    return { sign: new NDArray(sign, shape, "complex128"), logabs: new NDArray(logabs, shape.slice(), "float64") };
  }
  const a = copyData(x);
  const sign = new Float64Array(nb);
  for (let t = 0; t < nb; t++) {
    const f = luFactor(a, t * n * n, n, piv);
    let s = f.sign, la = 0;
    for (let i = 0; i < n; i++) {
      const d = a[t * n * n + i * n + i];
      if (d < 0) s = -s;
      la += Math.log(Math.abs(d));
    }
    if (f.singular) [s, la] = [0, -Infinity];
    sign[t] = s;
    logabs[t] = la;
  }
  return { sign: new NDArray(sign, shape, "float64"), logabs: new NDArray(logabs, shape.slice(), "float64") };
}

/** Inverse of every matrix: LU, then n solves against the identity. */
function invImpl(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const piv = new Int32Array(n);
  const complex = isComplex(x.dtype);
  const a = complex ? complexData(x) : copyData(x);
  const out = new Float64Array(a.length);
  for (let t = 0; t < nb; t++) {
    const off = t * n * n;
    const f = complex ? cluFactor(a, off, n, piv) : luFactor(a, off, n, piv);
    if (f.singular) throw new LinAlgError("np.linalg.inv: Singular matrix");
    for (let i = 0; i < n; i++) out[(complex ? 2 : 1) * (off + i * n + i)] = 1;
    if (complex) cluSolve(a, off, n, piv, out, off, n);
    else luSolve(a, off, n, piv, out, off, n);
  }
  return new NDArray(out, x.shape.slice(), complex ? "complex128" : "float64");
}

/** X = A⁻¹B for a (..., n, n) and b (..., n, k) with broadcast batch dimensions. */
function solveImpl(a: NDArray, b: NDArray): NDArray {
  const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, "np.linalg.solve");
  const ia = batchIndex(batchA, batch), ib = batchIndex(batchB, batch);
  const complex = isComplex(a.dtype) || isComplex(b.dtype);
  const A = complex ? complexData(a) : copyData(a);
  const B = complex ? complexData(b) : copyData(b);
  const nb = shapeSize(batch);
  const s = complex ? 2 : 1;
  const out = new Float64Array(s * nb * n * k);
  const piv = new Int32Array(n);
  const factored = new Map<number, Int32Array>(); // each distinct A is factored once
  for (let t = 0; t < nb; t++) {
    const offA = ia[t] * n * n;
    let p = factored.get(offA);
    if (!p) {
      const f = complex ? cluFactor(A, offA, n, piv) : luFactor(A, offA, n, piv);
      if (f.singular) throw new LinAlgError("np.linalg.solve: Singular matrix");
      p = piv.slice();
      factored.set(offA, p);
    }
    out.set(B.subarray(s * ib[t] * n * k, s * (ib[t] + 1) * n * k), s * t * n * k);
    if (complex) cluSolve(A, offA, n, p, out, t * n * k, k);
    else luSolve(A, offA, n, p, out, t * n * k, k);
  }
  return new NDArray(out, [...batch, n, k], complex ? "complex128" : "float64");
}

// ---- primitives ---------------------------------------------------------------------------------------------------

/**
 * Runs a derivative rule that needs a's inverse; at a singular matrix the error names the user's function (not the
 * np.linalg.inv / solve the rule calls internally) and says which derivative does not exist.
 */
function atSingular<T>(op: string, why: string, rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    if (e instanceof LinAlgError && /Singular matrix/.test(e.message)) {
      throw new LinAlgError(`${op}: cannot differentiate at a singular matrix: ${why}`);
    }
    throw e;
  }
}
const DET_WHY = "the derivative rule d det(a) = det(a)·tr(a⁻¹ da) needs a⁻¹, which does not exist here (as in autograd)";
const SLOGDET_WHY = "logabsdet is -inf there and its gradient a⁻ᵀ does not exist";

const detPrim = definePrimitive("det", {
  impl: detImpl,
  argNames: ["a"],
  vjp: [(g, ans, x: NDArray) => atSingular("np.linalg.det", DET_WHY, () => multiply(expand2(multiply(g, ans)), mT(invPrim(x))))],
  jvp: [(t, ans, x: NDArray) => atSingular("np.linalg.det", DET_WHY, () => multiply(ans, trace2(solvePrim(x, t))))],
});

const logabsdetPrim = definePrimitive("slogdet", {
  impl: (x: NDArray) => slogdetValues(x).logabs,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray) => atSingular("np.linalg.slogdet", SLOGDET_WHY, () => multiply(expand2(g), mT(invPrim(x))))],
  jvp: [(t, _ans, x: NDArray) => atSingular("np.linalg.slogdet", SLOGDET_WHY, () => {
    const tr = trace2(solvePrim(x, t));
    return isComplex(tr.dtype) ? real(tr) : tr;
  })],
});

const invPrim = definePrimitive("inv", {
  impl: invImpl,
  argNames: ["a"],
  vjp: [(g, ans) => negative(matmul(matmul(mT(ans), g), mT(ans)))],
  jvp: [(t, ans) => negative(matmul(matmul(ans, t), ans))],
});

/**
 * solve(aᵀ, g) for the VJP rules of one solve: the backward pass calls both with the same a and g, one after the
 * other, so the second takes the first's answer (one factorization of aᵀ instead of two). Keyed on g, which dies
 * with the pass; the answer is never accumulated into in place (the pass adds only into sums it made itself).
 */
const solvedTransposed = new WeakMap<NDArray, { a: NDArray; x: NDArray }>();
function solveTransposed(a: NDArray, g: NDArray): NDArray {
  const hit = solvedTransposed.get(g);
  if (hit !== undefined && hit.a === a) return hit.x;
  const x = solvePrim(mT(a), g);
  solvedTransposed.set(g, { a, x });
  return x;
}

/** Internal differentiable solve of stacked matrices (b is (..., n, k), batch dims broadcast). */
export const solvePrim = definePrimitive("solve", {
  impl: solveImpl,
  argNames: ["a", "b"],
  vjp: [
    (g, ans, a: NDArray) => unbroadcast(negative(matmul(solveTransposed(a, g), mT(ans))), a),
    (g, _ans, a: NDArray, b: NDArray) => unbroadcast(solveTransposed(a, g), b),
  ],
  jvp: [
    (t, ans, a: NDArray) => negative(solvePrim(a, matmul(t, ans))),
    (t, _ans, a: NDArray) => solvePrim(a, t),
  ],
});

/** Internal differentiable inverse (no argument checks). */
export const invD = (x: NDArray): NDArray => invPrim(x);

// ---- public functions ---------------------------------------------------------------------------------------------

/** np.linalg.det: determinant of each (..., M, M) matrix. */
export function det(a: ArrayLike): NDArray {
  const { x, dtype } = matrixArg(a, "np.linalg.det", { square: true });
  return restore(detPrim(x), dtype);
}

/**
 * np.linalg.slogdet: [sign, logabsdet] with det = sign·exp(logabsdet), robust to over- and underflow. The sign is
 * ±1 (a unit complex number for complex input), or 0 with logabsdet = -inf for singular matrices; only logabsdet
 * carries derivatives.
 */
export function slogdet(a: ArrayLike): [NDArray, NDArray] {
  const { x, dtype } = matrixArg(a, "np.linalg.slogdet", { square: true });
  const { sign } = slogdetValues(getValue(x));
  return [restore(sign, dtype), restore(logabsdetPrim(x), dtype)];
}

/** np.linalg.inv: inverse of each (..., M, M) matrix; LinAlgError "Singular matrix" for exactly singular input. */
export function inv(a: ArrayLike): NDArray {
  const { x, dtype } = matrixArg(a, "np.linalg.inv", { square: true });
  return restore(invPrim(x), dtype);
}

/**
 * np.linalg.solve(a, b): x with a·x = b. a is (..., M, M); b is a vector (M,) only when it is 1-d, otherwise a
 * stack of (M, K) matrices (numpy 2's rule); batch dimensions broadcast.
 */
export function solve(a: ArrayLike, b: ArrayLike): NDArray {
  const A = matrixArg(a, "np.linalg.solve", { square: true });
  const b0 = arr(b, "np.linalg.solve");
  const B = toWorking(b0);
  const n = A.n;
  if (B.ndim === 0) throw new ValueError(`np.linalg.solve: b must be at least one-dimensional, got a 0-d array`);
  const vec = B.ndim === 1;
  const rowsB = vec ? B.shape[0] : B.shape[B.ndim - 2];
  if (rowsB !== n) {
    throw new ShapeError(
      `np.linalg.solve: a of shape ${fmtShape(A.x.shape)} and b of shape ${fmtShape(B.shape)} are not aligned: ` +
        `b needs ${n} ${vec ? "entries" : "rows"}, got ${rowsB}`,
    );
  }
  broadcastShapes(A.x.shape.slice(0, -2), vec ? [] : B.shape.slice(0, -2), "np.linalg.solve");
  const out = solvePrim(A.x, vec ? reshape(B, [n, 1]) : B);
  const res = vec ? reshape(out, out.shape.slice(0, -1)) : out;
  return restore(res, A.dtype === "float32" && b0.dtype === "float32" ? "float32" : "float64");
}

/** np.linalg.tensorsolve(a, b, axes?): x with tensordot(a, x, x.ndim) = b. */
export function tensorsolve(a: ArrayLike, b: ArrayLike, axes?: number[] | { axes?: number[] | null } | null): NDArray {
  const where = "np.linalg.tensorsolve";
  let A = arr(a, where);
  const B = arr(b, where);
  const ax = Array.isArray(axes) ? axes : axes && typeof axes === "object" ? axes.axes ?? null : null;
  const an = A.ndim;
  if (ax) {
    const all = Array.from({ length: an }, (_, i) => i);
    for (const k0 of ax) {
      const k = k0 < 0 ? k0 + an : k0;
      all.splice(all.indexOf(k), 1);
      all.push(k);
    }
    A = transpose(A, all);
  }
  const oldshape = A.shape.slice(B.ndim);
  const prod = shapeSize(oldshape);
  if (A.size !== prod * prod) {
    throw new LinAlgError(
      `${where}: Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim]), ` +
        `got a of shape ${fmtShape(A.shape)} and b of shape ${fmtShape(B.shape)}`,
    );
  }
  const x = solve(reshape(A, [prod, prod]), reshape(B, [B.size]));
  return reshape(x, oldshape);
}

/** np.linalg.tensorinv(a, ind = 2): the inverse with respect to tensordot over the first `ind` axes. */
export function tensorinv(a: ArrayLike, ind: number | { ind?: number } = 2): NDArray {
  const where = "np.linalg.tensorinv";
  const A = arr(a, where);
  const k = typeof ind === "number" ? ind : ind.ind ?? 2;
  if (!Number.isInteger(k) || k <= 0) throw new ValueError(`${where}: Invalid ind argument ${k}; expected a positive integer`);
  const invshape = [...A.shape.slice(k), ...A.shape.slice(0, k)];
  const prod = shapeSize(A.shape.slice(k));
  if (A.size !== prod * prod) {
    throw new LinAlgError(`${where}: cannot invert an array of shape ${fmtShape(A.shape)} with ind=${k}: prod(a.shape[ind:]) must equal prod(a.shape[:ind])`);
  }
  return reshape(inv(reshape(A, [prod, A.size / prod])), invshape);
}

/** np.linalg.matrix_power(a, n): repeated squaring; n = 0 gives identities, n < 0 powers of the inverse. */
export function matrix_power(a: ArrayLike, n: number): NDArray {
  const where = "np.linalg.matrix_power";
  const A0 = arr(a, where);
  if (!Number.isInteger(n)) throw new TypeError(`${where}: exponent must be an integer, got ${n}`);
  if (A0.ndim < 2) throw new LinAlgError(`${where}: ${A0.ndim}-dimensional array given. Array must be at least two-dimensional`);
  const m = A0.shape[A0.ndim - 1];
  if (A0.shape[A0.ndim - 2] !== m) {
    throw new LinAlgError(`${where}: Last 2 dimensions of the array must be square, got shape ${fmtShape(A0.shape)}`);
  }
  if (n === 0) {
    let e = broadcast_to(eyeN(m), A0.shape);
    if (A0.dtype !== "float64") e = castArray(e, A0.dtype);
    return e;
  }
  let A = n < 0 ? inv(A0) : A0;
  let k = Math.abs(n);
  if (k === 1) return A;
  if (k === 2) return matmul(A, A);
  if (k === 3) return matmul(matmul(A, A), A);
  let result: NDArray | null = null;
  for (;;) {
    if (k & 1) result = result === null ? A : matmul(result, A);
    k >>= 1;
    if (k === 0) break;
    A = matmul(A, A);
  }
  return result!;
}

/**
 * np.linalg.multi_dot(arrays): the chain product in the cheapest order (dynamic programming over the chain,
 * numpy's algorithm). The first array may be 1-d (a row vector), the last 1-d (a column vector); the rest are 2-d.
 */
export function multi_dot(arrays: readonly ArrayLike[]): NDArray {
  const where = "np.linalg.multi_dot";
  if (!Array.isArray(arrays) || arrays.length < 2) throw new ValueError(`${where}: Expecting at least two arrays.`);
  const xs = arrays.map((x) => arr(x, where));
  if (xs.length === 2) return matmul(xs[0], xs[1]);
  const first = xs[0], last = xs[xs.length - 1];
  const firstVec = first.ndim === 1, lastVec = last.ndim === 1;
  const ms = xs.slice();
  if (firstVec) ms[0] = reshape(first, [1, first.shape[0]]);
  if (lastVec) ms[ms.length - 1] = reshape(last, [last.shape[0], 1]);
  ms.forEach((x, i) => {
    if (x.ndim !== 2) throw new LinAlgError(`${where}: ${x.ndim}-dimensional array given (argument ${i}). Array must be two-dimensional`);
  });
  for (let i = 0; i + 1 < ms.length; i++) {
    if (ms[i].shape[1] !== ms[i + 1].shape[0]) {
      throw new ShapeError(`${where}: shapes ${fmtShape(xs[i].shape)} (argument ${i}) and ${fmtShape(xs[i + 1].shape)} (argument ${i + 1}) not aligned`);
    }
  }
  const n = ms.length;
  const p = [...ms.map((x) => x.shape[0]), ms[n - 1].shape[1]];
  // m[i][j]: cheapest cost of the product i..j; s[i][j]: where to split it
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let len = 1; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i][j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1];
        if (c < cost[i][j]) {
          cost[i][j] = c;
          split[i][j] = k;
        }
      }
    }
  }
  const chain = (i: number, j: number): NDArray => (i === j ? ms[i] : matmul(chain(i, split[i][j]), chain(split[i][j] + 1, j)));
  let out = chain(0, n - 1);
  if (firstVec && lastVec) out = reshape(out, []);
  else if (firstVec) out = reshape(out, [out.shape[1]]);
  else if (lastVec) out = reshape(out, [out.shape[0]]);
  return out;
}
