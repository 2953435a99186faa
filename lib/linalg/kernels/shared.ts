// Dense linear-algebra kernels on row-major Float64Array storage: no NDArrays, no autodiff, no batching.
// One file per factorization; this one holds what they share.
//
// Each kernel works on one matrix given as (data, offset) and writes into fresh or caller-owned buffers.
// Complex matrices are interleaved (re, im) pairs, as in complex128 NDArrays.
//
//   lu.ts          LU with partial pivoting (real and complex)      det, slogdet, inv, solve
//   cholesky.ts    Cholesky (lower)                                 cholesky
//   triangular.ts  triangular solves                                solve, the rules of cholesky and qr
//   qr.ts          Householder QR, LAPACK's reflector convention    qr (R's diagonal signs match numpy's)
//   eigh.ts        Householder tridiagonalization + implicit QL     eigh (EISPACK tred2/tql2)
//   svd.ts         One-sided Jacobi (Hestenes)                      svd, pinv, matrix_rank
//   eig.ts         Balancing + Hessenberg + Francis double-shift QR eig (EISPACK balanc/orthes/hqr2)
//
// Convergence failures throw `NoConvergence`; the np.linalg layer turns them into LinAlgErrors.

export const EPS = 2.220446049250313e-16;

export class NoConvergence extends Error {}

/**
 * Flips the first `count` columns of v (rows×stride, row-major) so that each one's entry of largest magnitude is
 * positive; flips the matching columns of `other` (otherRows×otherStride) along, when given.
 */
export function fixColumnSigns(
  v: Float64Array, rows: number, stride: number, count: number,
  other?: Float64Array, otherRows = 0, otherStride = 0,
): void {
  for (let j = 0; j < count; j++) {
    let best = 0, bi = 0;
    for (let i = 0; i < rows; i++) {
      const x = Math.abs(v[i * stride + j]);
      if (x > best) {
        best = x;
        bi = i;
      }
    }
    if (v[bi * stride + j] < 0) {
      for (let i = 0; i < rows; i++) v[i * stride + j] = -v[i * stride + j];
      if (other) for (let i = 0; i < otherRows; i++) other[i * otherStride + j] = -other[i * otherStride + j];
    }
  }
}

/**
 * Fills the columns `missing` of the r×c matrix q (row-major) with unit vectors orthogonal to the columns `have`
 * (assumed orthonormal) and to each other: Gram-Schmidt (twice) on the standard basis vector with the largest
 * remaining component.
 */
export function completeColumns(q: Float64Array, r: number, c: number, have: number[], missing: number[]): void {
  const basis = have.slice();
  for (const col of missing) {
    let bestVec: Float64Array | null = null;
    let bestNorm = -1;
    for (let e = 0; e < r; e++) {
      const x = new Float64Array(r);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const b of basis) {
          let d = 0;
          for (let i = 0; i < r; i++) d += q[i * c + b] * x[i];
          for (let i = 0; i < r; i++) x[i] -= d * q[i * c + b];
        }
      }
      let nn = 0;
      for (let i = 0; i < r; i++) nn += x[i] * x[i];
      nn = Math.sqrt(nn);
      if (nn > bestNorm) {
        bestNorm = nn;
        bestVec = x;
      }
      if (nn > 0.7) break;
    }
    for (let i = 0; i < r; i++) q[i * c + col] = bestVec![i] / bestNorm;
    basis.push(col);
  }
}
