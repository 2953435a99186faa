// Pseudo-inverse and least squares: pinv (a primitive with autograd's closed-form rules, which stay finite at
// repeated singular values, unlike differentiating through the SVD) and lstsq (a composite on pinv).
import { type ArrayLike, NDArray } from "../array/ndarray";
import { LinAlgError, ShapeError } from "../array/errors";
import { fmtShape } from "../array/shape";
import { definePrimitive, getValue } from "../core/tracer";
import { arr, options } from "../numpy/args";
import { add, subtract } from "../numpy/binary";
import { real, reshape } from "../numpy/basis";
import { imag } from "../numpy/complexParts";
import { matmul } from "../numpy/contractions";
import { zeros } from "../numpy/creation";
import { negative, square } from "../numpy/elementwise";
import { sum } from "../numpy/reductions";
import { EPS } from "./kernels/shared";
import { svdJacobi } from "./kernels/svd";
import { singularValues } from "./decompositions";
import { batchOf, guard, mT, matrixArg, realData, restore, toWorking } from "./util";

const mm = matmul;

function pinvImpl(x: NDArray, rcond: number): NDArray {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const k = Math.min(m, n);
  const nb = batchOf(x.shape);
  const a = realData(x);
  const out = new Float64Array(nb * n * m);
  guard("np.linalg.pinv", () => {
    for (let t = 0; t < nb; t++) {
      const { u, s, v, ku, kv } = svdJacobi(a, t * m * n, m, n, false);
      const cutoff = rcond * (k ? s[0] : 0);
      const o = t * n * m;
      for (let j = 0; j < k; j++) {
        if (!(s[j] > cutoff)) continue;
        const inv = 1 / s[j];
        // P += v_j · inv · u_jᵀ
        for (let i = 0; i < n; i++) {
          const vij = v[i * kv + j] * inv;
          if (vij === 0) continue;
          for (let c = 0; c < m; c++) out[o + i * m + c] += vij * u[c * ku + j];
        }
      }
    }
  });
  return new NDArray(out, [...x.shape.slice(0, -2), n, m], "float64");
}

// P = A⁺. dP = −P dA P + P Pᵀ dAᵀ (I − A P) + (I − P A) dAᵀ Pᵀ P (Golub & Pereyra; valid at constant rank).
const pinvPrim = definePrimitive("pinv", {
  impl: pinvImpl,
  argNames: ["a"],
  // autograd's grad_pinv: Ā = (−P Gᵀ P + P Pᵀ G (I − A P) + (I − P A) G Pᵀ P)ᵀ
  vjp: [(g, P, A: NDArray) => {
    const t1 = negative(mm(mm(P, mT(g)), P));
    const t2 = mm(mm(P, mT(P)), subtract(g, mm(mm(g, A), P)));
    const t3 = mm(subtract(g, mm(P, mm(A, g))), mm(mT(P), P));
    return mT(add(add(t1, t2), t3));
  }],
  jvp: [(t, P, A: NDArray) => {
    const tt = mT(t);
    const t1 = negative(mm(mm(P, t), P));
    const t2 = mm(mm(P, mT(P)), subtract(tt, mm(mm(tt, A), P)));
    const t3 = mm(subtract(tt, mm(P, mm(A, tt))), mm(mT(P), P));
    return add(add(t1, t2), t3);
  }],
});

/**
 * np.linalg.pinv(a, rcond = 1e-15, hermitian = false, { rtol? }): Moore-Penrose pseudo-inverse of each (..., M, N)
 * matrix from its SVD, singular values <= rcond·s_max treated as zero. Options may be an object
 * { rcond, hermitian, rtol } (rtol: null means max(M, N)·eps, the array API default).
 */
export function pinv(a: ArrayLike, rcond?: number | null | { rcond?: number | null; hermitian?: boolean; rtol?: number | null }, hermitian = false): NDArray {
  const where = "np.linalg.pinv";
  let rc: number | null | undefined;
  let rtol: number | null | undefined;
  let rtolGiven = false;
  if (rcond !== null && typeof rcond === "object") {
    const o = options(where, rcond, ["rcond", "hermitian", "rtol"]);
    rc = o.rcond;
    rtolGiven = "rtol" in o;
    rtol = o.rtol;
  } else rc = rcond;
  void hermitian;
  const { x, dtype, m, n } = matrixArg(a, where, { real: true });
  if (rtolGiven && rc !== undefined && rc !== null) throw new TypeError(`${where}: give only one of rcond and rtol`);
  const cut = rtolGiven ? (rtol ?? Math.max(m, n) * EPS) : rc ?? 1e-15;
  return restore(pinvPrim(x, cut), dtype);
}

/**
 * np.linalg.lstsq(a, b, rcond?): [x, residuals, rank, s], x minimizing ‖b − a·x‖₂ (minimum norm when a is rank
 * deficient) via the SVD, singular values <= rcond·s_max treated as zero (rcond defaults to eps·max(M, N); -1
 * means eps). residuals are the squared residual norms per column of b when rank = N < M, else an empty array;
 * rank is a number; s the singular values of a. x, residuals and s are differentiable.
 */
export function lstsq(a: ArrayLike, b: ArrayLike, rcond?: number | null | { rcond?: number | null }): [NDArray, NDArray, number, NDArray] {
  const where = "np.linalg.lstsq";
  const rc0 = rcond !== null && typeof rcond === "object" ? options(where, rcond, ["rcond"]).rcond : rcond;
  const A = matrixArg(a, where, { real: true });
  if (A.x.ndim !== 2) throw new LinAlgError(`${where}: ${A.x.ndim}-dimensional array given. Array must be two-dimensional`);
  const b0 = arr(b, where);
  const B = toWorking(b0);
  if (B.ndim !== 1 && B.ndim !== 2) throw new LinAlgError(`${where}: ${B.ndim}-dimensional array given for b. Array must be one or two-dimensional`);
  const { m, n } = A;
  if (B.shape[0] !== m) {
    throw new ShapeError(`${where}: Incompatible dimensions: a has shape ${fmtShape(A.x.shape)} (${m} rows) but b has shape ${fmtShape(B.shape)} (${B.shape[0]} rows)`);
  }
  const rc = rc0 === null || rc0 === undefined ? EPS * Math.max(m, n) : rc0 < 0 ? EPS : rc0;
  const x = mm(pinvPrim(A.x, rc), B);
  const s = singularValues(A.x);
  const sv = getValue(s).data;
  let rank = 0;
  for (let i = 0; i < sv.length; i++) if (sv[i] > rc * sv[0]) rank++;
  let resid: NDArray;
  if (rank === n && m > n) {
    const r = subtract(B, mm(A.x, x));
    const r2 = B.dtype === "complex128" ? add(square(real(r)), square(imag(r))) : square(r);
    resid = B.ndim === 1 ? reshape(sum(r2), [1]) : sum(r2, 0);
  } else resid = zeros([0]);
  const single = A.dtype === "float32" && b0.dtype === "float32" ? "float32" : "float64";
  return [restore(x, single), restore(resid, single), rank, restore(s, A.dtype)];
}
