// Small private linear algebra for scipy.stats.multivariate_normal: a differentiable Cholesky factorization and
// a differentiable triangular solve, both on single 2-d matrices. (np.linalg lives in lib/linalg; this file does
// not depend on it.)
//
//   cholesky(A) = L, A = L Lᵀ, reading the lower triangle of A (callers pass a symmetrized matrix).
//     JVP (Murray 2016): dL = L Φ(L⁻¹ dA L⁻ᵀ), Φ = lower triangle with the diagonal halved.
//     VJP: Ā = sym(L⁻ᵀ Φ(Lᵀ tril(L̄)) L⁻¹), sym(S) = (S + Sᵀ)/2: exact for symmetric perturbations, which is what
//     callers feed it (they differentiate through (A + Aᵀ)/2).
//   solve_triangular(L, B, trans): X = L⁻¹ B (or L⁻ᵀ B), L lower triangular.
//     VJP: B̄ = L⁻ᵀ X̄ (resp. L⁻¹ X̄); L̄ = −tril(B̄ Xᵀ) (resp. −tril(X B̄ᵀ)).
//     JVP: dX = L⁻¹(dB − tril(dL) X) (resp. L⁻ᵀ(dB − tril(dL)ᵀ X)).
import { LinAlgError } from "../array/errors";
import { NDArray, castArray } from "../array/ndarray";
import { definePrimitive } from "../core/tracer";
import { add, multiply } from "../numpy/binary";
import { matmul } from "../numpy/contractions";
import { negative } from "../numpy/elementwise";
import { transpose } from "../numpy/basis";

/** Constant masks: strictly-lower + diagonal·diag. */
function triMask(d: number, diag: number): NDArray {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) m[i * d + j] = 1;
    m[i * d + i] = diag;
  }
  return new NDArray(m, [d, d], "float64");
}
const tril = (x: NDArray) => multiply(x, triMask(x.shape[0], 1));
const phi = (x: NDArray) => multiply(x, triMask(x.shape[0], 0.5));
const T = (x: NDArray) => transpose(x);

function choleskyKernel(a: NDArray, where: string): NDArray {
  const d = a.shape[0];
  const A = castArray(a, "float64").data;
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
    if (!(s > 0)) {
      throw new LinAlgError(
        `${where}: the covariance matrix cov is not positive definite (the leading minor of order ${j + 1} is not positive)`,
      );
    }
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / ljj;
    }
  }
  return new NDArray(L, [d, d], "float64");
}

function solveKernel(l: NDArray, b: NDArray, trans: boolean): NDArray {
  const d = l.shape[0], k = b.shape[1];
  const L = castArray(l, "float64").data, B = castArray(b, "float64").data;
  const X = new Float64Array(d * k);
  for (let c = 0; c < k; c++) {
    if (!trans) {
      for (let i = 0; i < d; i++) {
        let s = B[i * k + c];
        for (let j = 0; j < i; j++) s -= L[i * d + j] * X[j * k + c];
        X[i * k + c] = s / L[i * d + i];
      }
    } else {
      for (let i = d - 1; i >= 0; i--) {
        let s = B[i * k + c];
        for (let j = i + 1; j < d; j++) s -= L[j * d + i] * X[j * k + c];
        X[i * k + c] = s / L[i * d + i];
      }
    }
  }
  return new NDArray(X, [d, k], "float64");
}

const solvePrim = definePrimitive("solve_triangular", {
  impl: (l: NDArray, b: NDArray, trans: boolean) => solveKernel(l, b, trans),
  argNames: ["a", "b"],
  vjp: [
    (g, x, l: NDArray, _b, trans: boolean) => {
      const bbar = solvePrim(l, g, !trans);
      return negative(tril(trans ? matmul(x, T(bbar)) : matmul(bbar, T(x))));
    },
    (g, _x, l: NDArray, _b, trans: boolean) => solvePrim(l, g, !trans),
  ],
  jvp: [
    (t, x, l: NDArray, _b, trans: boolean) => negative(solvePrim(l, matmul(trans ? T(tril(t)) : tril(t), x), trans)),
    (t, _x, l: NDArray, _b, trans: boolean) => solvePrim(l, t, trans),
  ],
});

/** X = L⁻¹ B (trans: L⁻ᵀ B) for lower-triangular L (d×d) and B (d×k). */
export const solveTriangular = (l: NDArray, b: NDArray, trans = false): NDArray => solvePrim(l, b, trans);

const cholPrim = definePrimitive("cholesky", {
  impl: (a: NDArray, where: string) => choleskyKernel(a, where),
  argNames: ["a"],
  vjp: [
    (g, l) => {
      const p = phi(matmul(T(l), tril(g)));
      const s = T(solvePrim(l, T(solvePrim(l, p, true)), true)); // L⁻ᵀ P L⁻¹
      return multiply(add(s, T(s)), 0.5);
    },
  ],
  jvp: [
    (t0, l) => {
      // the symmetric part of the tangent, matching the VJP's sym(·): both are derivatives of A ↦ chol((A + Aᵀ)/2)
      const t = multiply(add(t0, T(t0)), 0.5);
      const y = solvePrim(l, t, false); // L⁻¹ dA
      const z = T(solvePrim(l, T(y), false)); // L⁻¹ dA L⁻ᵀ
      return matmul(l, phi(z));
    },
  ],
});

/** Cholesky factor of the symmetric part of `a` (differentiable; `where` names the caller in errors). */
export function cholesky(a: NDArray, where: string): NDArray {
  const sym = multiply(add(a, T(a)), 0.5);
  return cholPrim(sym, where);
}

/** Constant identity matrix. */
export function eyeConst(d: number): NDArray {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return new NDArray(m, [d, d], "float64");
}

/** The diagonal of a square matrix as a vector (differentiable: a masked row sum). */
export function diagOf(a: NDArray): NDArray {
  const d = a.shape[0];
  const e = eyeConst(d);
  return matmul(multiply(a, e), new NDArray(new Float64Array(d).fill(1), [d], "float64"));
}
