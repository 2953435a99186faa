// The linalg kernels on the native backend's LAPACK (OpenBLAS): same contracts as the JS kernels in ./kernels/,
// which call these first. Each returns null (or false) when the JS kernel should run instead: no native backend, a
// matrix too small for the call to pay off, or a non-finite entry (the JS kernels define what happens then, e.g.
// svd's NoConvergence, and LAPACK's pivoting and iterations treat NaN differently).
import { nativeAddon, type NativeAddon } from "../array/native";
import { fixColumnSigns, NoConvergence } from "./kernels/shared";

/** Below this order the JS kernels are faster than a call plus LAPACK's setup (measured: LU and Cholesky break even
 *  around n = 8-12; the iterative eigh/svd sooner). */
export const LAPACK_MIN_N = 12;

function allFinite(a: Float64Array, off: number, len: number): boolean {
  for (let i = off; i < off + len; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** The addon when this n×… matrix should go to LAPACK. */
function lapackFor(a: Float64Array, off: number, size: number, order: number): NativeAddon | null {
  const nat = nativeAddon();
  return nat && order >= LAPACK_MIN_N && allFinite(a, off, size) ? nat : null;
}

export function lapackLuFactor(a: Float64Array, off: number, n: number, piv: Int32Array): { sign: number; singular: boolean } | null {
  const nat = lapackFor(a, off, n * n, n);
  if (!nat) return null;
  const info = nat.dgetrf(n, a, off, piv);
  let sign = 1;
  for (let i = 0; i < n; i++) if (piv[i] !== i) sign = -sign;
  return { sign, singular: info > 0 };
}

export function lapackLuSolve(lu: Float64Array, off: number, n: number, piv: Int32Array, b: Float64Array, boff: number, k: number): boolean {
  const nat = nativeAddon();
  if (!nat || n < LAPACK_MIN_N) return false;
  nat.dgetrs(n, lu, off, piv, b, boff, k);
  return true;
}

export function lapackTriSolve(t: Float64Array, toff: number, n: number, lower: boolean, b: Float64Array, boff: number, k: number, unit: boolean): boolean {
  const nat = nativeAddon();
  if (!nat || n < LAPACK_MIN_N) return false;
  nat.dtrsm(lower, unit, n, k, t, toff, b, boff);
  return true;
}

/** true / false: positive definite or not; null: use the JS kernel. */
export function lapackCholesky(a: Float64Array, off: number, n: number, l: Float64Array, loff: number): boolean | null {
  const nat = lapackFor(a, off, n * n, n);
  return nat ? nat.dpotrf(n, a, off, l, loff) === 0 : null;
}

export function lapackSymEig(a: Float64Array, off: number, n: number): { w: Float64Array; v: Float64Array } | null {
  const nat = lapackFor(a, off, n * n, n);
  if (!nat) return null;
  const w = new Float64Array(n), v = new Float64Array(n * n);
  if (nat.dsyevd(n, a, off, w, v) !== 0) throw new NoConvergence("Eigenvalues did not converge");
  return { w, v };
}

export function lapackSvd(a: Float64Array, off: number, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array; ku: number; kv: number } | null {
  const k = Math.min(m, n);
  const nat = lapackFor(a, off, m * n, k);
  if (!nat) return null;
  const ku = full ? m : k, kv = full ? n : k;
  const u = new Float64Array(m * ku), s = new Float64Array(k), v = new Float64Array(n * kv);
  if (nat.dgesdd(m, n, a, off, full, u, s, v) !== 0) throw new NoConvergence("SVD did not converge");
  fixColumnSigns(u, m, ku, k, v, n, kv); // the JS kernel's convention: u_j's largest entry is positive
  return { u, s, v, ku, kv };
}

export function lapackQR(a: Float64Array, off: number, m: number, n: number, complete: boolean): { q: Float64Array; r: Float64Array; qc: number; rr: number } | null {
  const nat = lapackFor(a, off, m * n, Math.min(m, n));
  if (!nat) return null;
  const qc = complete ? m : Math.min(m, n);
  const q = new Float64Array(m * qc), r = new Float64Array(qc * n);
  if (nat.dgeqrf(m, n, a, off, complete, q, r) !== 0) return null; // cannot happen for finite input; JS then
  return { q, r, qc, rr: qc };
}
