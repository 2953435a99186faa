// Cholesky factorization (lower), for cholesky.
import { lapackCholesky } from "../lapack";

/**
 * Lower Cholesky factor of the symmetric part (A + Aᵀ)/2 of the n×n matrix at a[off..], written to l[loff..]
 * (upper triangle zeroed). Returns false when the matrix is not positive definite.
 */
export function choleskyLower(a: Float64Array, off: number, n: number, l: Float64Array, loff: number): boolean {
  const fast = lapackCholesky(a, off, n, l, loff);
  if (fast !== null) return fast;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = i === j ? a[off + i * n + i] : 0.5 * (a[off + i * n + j] + a[off + j * n + i]);
      for (let k = 0; k < j; k++) s -= l[loff + i * n + k] * l[loff + j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[loff + j * n + j] = Math.sqrt(s);
      } else {
        l[loff + i * n + j] = s / l[loff + j * n + j];
      }
    }
    for (let i = 0; i < j; i++) l[loff + i * n + j] = 0;
  }
  return true;
}
