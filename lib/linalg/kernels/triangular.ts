// Triangular solves (blocked, the off-diagonal updates by gemm): LU solves, cholesky's and qr's rules.
import { gemm } from "../../array/gemm";
import { lapackTriSolve } from "../lapack";

/**
 * Solves T·X = B in place in b (n×k at b[boff..]) for the n×n triangular T at t[toff..]; only the lower (or
 * upper) triangle of T is read, and its diagonal only when it is not a unit diagonal.
 */
export function triSolve(
  t: Float64Array, toff: number, n: number, lower: boolean, b: Float64Array, boff: number, k: number, unitDiagonal = false,
): void {
  if (lapackTriSolve(t, toff, n, lower, b, boff, k, unitDiagonal)) return;
  triSolveBlock(t, toff, n, 0, n, lower, b, boff, k, unitDiagonal);
}

const TRI_BLOCK = 48;

/**
 * Solves the diagonal block T[r0:r0+m, r0:r0+m] against rows r0..r0+m of B (row stride of T is ld). Large
 * blocks split in two: solve one half, subtract its contribution from the other half's right-hand sides with
 * one matrix product (the fast gemm), then solve the other half. Most of the work then runs in gemm.
 */
export function triSolveBlock(
  t: Float64Array, toff: number, ld: number, r0: number, m: number, lower: boolean,
  b: Float64Array, boff: number, k: number, unit: boolean,
): void {
  if (m > TRI_BLOCK && k >= 8) {
    const h = m >> 1;
    const [first, firstLen, second, secondLen] = lower ? [r0, h, r0 + h, m - h] : [r0 + h, m - h, r0, h];
    triSolveBlock(t, toff, ld, first, firstLen, lower, b, boff, k, unit);
    // B[second] -= T[second, first] · X[first]
    const prod = new Float64Array(secondLen * k);
    gemm(false, false, secondLen, k, firstLen, t, toff + second * ld + first, ld, b, boff + first * k, k, prod, 0, k);
    const base = boff + second * k;
    for (let i = 0; i < prod.length; i++) b[base + i] -= prod[i];
    triSolveBlock(t, toff, ld, second, secondLen, lower, b, boff, k, unit);
    return;
  }
  // rows in dependency order: top-down for lower, bottom-up for upper triangles
  for (let step = 0; step < m; step++) {
    const i = lower ? r0 + step : r0 + m - 1 - step;
    const bi = boff + i * k;
    const from = lower ? r0 : i + 1, to = lower ? i : r0 + m;
    for (let r = from; r < to; r++) {
      const v = t[toff + i * ld + r];
      if (v === 0) continue;
      const br = boff + r * k;
      for (let c = 0; c < k; c++) b[bi + c] -= v * b[br + c];
    }
    if (!unit) {
      const d = t[toff + i * ld + i];
      for (let c = 0; c < k; c++) b[bi + c] /= d;
    }
  }
}
