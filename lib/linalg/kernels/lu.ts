// LU with partial pivoting (real and complex): det, slogdet, inv, solve.
import { gemm } from "../../array/gemm";
import { lapackLuFactor, lapackLuSolve } from "../lapack";
import { triSolve, triSolveBlock } from "./triangular";

/**
 * In-place LU factorization with partial pivoting of the n×n matrix at a[off..]: P·A = L·U, L unit lower
 * (stored below the diagonal), U upper. piv[k] is the row exchanged with row k at step k (LAPACK's ipiv).
 * Returns the sign of the permutation and whether a pivot was exactly zero (the factorization then
 * continues, as LAPACK's getrf does, so that det is 0).
 */
export function luFactor(a: Float64Array, off: number, n: number, piv: Int32Array): { sign: number; singular: boolean } {
  const fast = lapackLuFactor(a, off, n, piv);
  if (fast) return fast;
  let sign = 1;
  let singular = false;
  // Right-looking blocked LU: factor a panel of LU_BLOCK columns, solve for the block row of U, and update the
  // trailing matrix with one matrix product (the fast gemm), where almost all of the work is.
  for (let k0 = 0; k0 < n; k0 += LU_BLOCK) {
    const nb = Math.min(LU_BLOCK, n - k0);
    const panelEnd = n - k0 <= 2 * LU_BLOCK ? n : k0 + nb; // small trailing matrices: finish unblocked
    for (let k = k0; k < panelEnd; k++) {
      const p = pivotRow(k, n, (i) => Math.abs(a[off + i * n + k]));
      piv[k] = p;
      if (p !== k) {
        sign = -sign;
        swapRuns(a, off + k * n, off + p * n, n);
      }
      const akk = a[off + k * n + k];
      if (akk === 0) {
        singular = true;
        continue;
      }
      const rk = off + k * n;
      for (let i = k + 1; i < n; i++) {
        const ri = off + i * n;
        const l = a[ri + k] / akk;
        a[ri + k] = l;
        if (l !== 0) for (let j = k + 1; j < panelEnd; j++) a[ri + j] -= l * a[rk + j];
      }
    }
    if (panelEnd === n) break;
    const c0 = k0 + nb, rest = n - c0;
    // U12 = L11⁻¹ A12 (L11 unit lower), through a contiguous copy of the block row
    const u12 = new Float64Array(nb * rest);
    for (let i = 0; i < nb; i++) u12.set(a.subarray(off + (k0 + i) * n + c0, off + (k0 + i) * n + n), i * rest);
    triSolveBlock(a, off + k0 * n + k0, n, 0, nb, true, u12, 0, rest, true);
    for (let i = 0; i < nb; i++) a.set(u12.subarray(i * rest, (i + 1) * rest), off + (k0 + i) * n + c0);
    // A22 -= L21 · U12
    const prod = new Float64Array(rest * rest);
    gemm(false, false, rest, rest, nb, a, off + c0 * n + k0, n, u12, 0, rest, prod, 0, rest);
    for (let i = 0; i < rest; i++) {
      const row = off + (c0 + i) * n + c0;
      for (let j = 0; j < rest; j++) a[row + j] -= prod[i * rest + j];
    }
  }
  return { sign, singular };
}

const LU_BLOCK = 32;

/** The partial pivot of column k: the row p ≥ k of largest `mag(p)` (the first of equals). */
function pivotRow(k: number, n: number, mag: (i: number) => number): number {
  let p = k;
  let max = mag(k);
  for (let i = k + 1; i < n; i++) {
    const v = mag(i);
    if (v > max) {
      max = v;
      p = i;
    }
  }
  return p;
}

/** Swaps a[x, x + len) with a[y, y + len). */
function swapRuns(a: Float64Array, x: number, y: number, len: number): void {
  for (let j = 0; j < len; j++) {
    const t = a[x + j];
    a[x + j] = a[y + j];
    a[y + j] = t;
  }
}

/** Applies luFactor's row exchanges to the n rows of `width` numbers at b[boff..] (row i at boff + i·width). */
function exchangeRows(piv: Int32Array, n: number, b: Float64Array, boff: number, width: number): void {
  for (let i = 0; i < n; i++) if (piv[i] !== i) swapRuns(b, boff + i * width, boff + piv[i] * width, width);
}

/** Solves A·X = B in place in b (n×k row-major at b[boff..]) from luFactor's output. */
export function luSolve(lu: Float64Array, off: number, n: number, piv: Int32Array, b: Float64Array, boff: number, k: number): void {
  if (lapackLuSolve(lu, off, n, piv, b, boff, k)) return;
  exchangeRows(piv, n, b, boff, k);
  triSolve(lu, off, n, true, b, boff, k, true); // L has a unit diagonal
  triSolve(lu, off, n, false, b, boff, k);
}

// complex helpers on interleaved storage
const cabs1 = (re: number, im: number) => Math.abs(re) + Math.abs(im);

/** Complex version of luFactor (interleaved storage, offsets in complex elements). Pivots by |re| + |im|. */
export function cluFactor(a: Float64Array, off: number, n: number, piv: Int32Array): { sign: number; singular: boolean } {
  let sign = 1;
  let singular = false;
  const at = (i: number, j: number) => 2 * (off + i * n + j);
  for (let k = 0; k < n; k++) {
    const p = pivotRow(k, n, (i) => cabs1(a[at(i, k)], a[at(i, k) + 1]));
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      swapRuns(a, 2 * (off + k * n), 2 * (off + p * n), 2 * n);
    }
    const pr = a[at(k, k)], pi = a[at(k, k) + 1];
    if (pr === 0 && pi === 0) {
      singular = true;
      continue;
    }
    const den = pr * pr + pi * pi;
    for (let i = k + 1; i < n; i++) {
      const xr = a[at(i, k)], xi = a[at(i, k) + 1];
      // l = x / pivot
      const lr = (xr * pr + xi * pi) / den, li = (xi * pr - xr * pi) / den;
      a[at(i, k)] = lr;
      a[at(i, k) + 1] = li;
      if (lr === 0 && li === 0) continue;
      for (let j = k + 1; j < n; j++) {
        const ur = a[at(k, j)], ui = a[at(k, j) + 1];
        a[at(i, j)] -= lr * ur - li * ui;
        a[at(i, j) + 1] -= lr * ui + li * ur;
      }
    }
  }
  return { sign, singular };
}

/** Complex version of luSolve (b is n×k complex, interleaved). */
export function cluSolve(lu: Float64Array, off: number, n: number, piv: Int32Array, b: Float64Array, boff: number, k: number): void {
  const B = (i: number, c: number) => 2 * (boff + i * k + c);
  const L = (i: number, j: number) => 2 * (off + i * n + j);
  exchangeRows(piv, n, b, 2 * boff, 2 * k); // complex rows: 2k numbers each
  // row i of b minus lu[i, r] times row r (complex rows of k entries)
  const eliminate = (i: number, r: number) => {
    const lr = lu[L(i, r)], li = lu[L(i, r) + 1];
    if (lr === 0 && li === 0) return;
    for (let c = 0; c < k; c++) {
      const xr = b[B(r, c)], xi = b[B(r, c) + 1];
      b[B(i, c)] -= lr * xr - li * xi;
      b[B(i, c) + 1] -= lr * xi + li * xr;
    }
  };
  for (let i = 1; i < n; i++) for (let r = 0; r < i; r++) eliminate(i, r); // L (unit diagonal)
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) eliminate(i, r); // U
    const dr = lu[L(i, i)], di = lu[L(i, i) + 1];
    const den = dr * dr + di * di;
    for (let c = 0; c < k; c++) {
      const xr = b[B(i, c)], xi = b[B(i, c) + 1];
      b[B(i, c)] = (xr * dr + xi * di) / den;
      b[B(i, c) + 1] = (xi * dr - xr * di) / den;
    }
  }
}
