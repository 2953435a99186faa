// Dense linear-algebra kernels on row-major Float64Array storage: no NDArrays, no autodiff, no batching.
//
// Each kernel works on one matrix given as (data, offset) and writes into fresh or caller-owned buffers.
// Complex matrices are interleaved (re, im) pairs, as in complex128 NDArrays.
//
//   LU with partial pivoting (real and complex)      det, slogdet, inv, solve
//   Cholesky (lower), triangular solves              cholesky and the rules of cholesky and qr
//   Householder QR, LAPACK's reflector convention    qr (R's diagonal signs match numpy's)
//   Householder tridiagonalization + implicit QL     eigh (EISPACK tred2/tql2)
//   One-sided Jacobi (Hestenes)                      svd, pinv, matrix_rank
//   Balancing + Hessenberg + Francis double-shift QR eig (EISPACK balanc/orthes/hqr2)
//
// Convergence failures throw `NoConvergence`; the np.linalg layer turns them into LinAlgErrors.
import { gemm } from "../array/gemm";

export const EPS = 2.220446049250313e-16;

export class NoConvergence extends Error {}

// ---- LU --------------------------------------------------------------------------------------------------------

/**
 * In-place LU factorization with partial pivoting of the n×n matrix at a[off..]: P·A = L·U, L unit lower
 * (stored below the diagonal), U upper. piv[k] is the row exchanged with row k at step k (LAPACK's ipiv).
 * Returns the sign of the permutation and whether a pivot was exactly zero (the factorization then
 * continues, as LAPACK's getrf does, so that det is 0).
 */
export function luFactor(a: Float64Array, off: number, n: number, piv: Int32Array): { sign: number; singular: boolean } {
  let sign = 1;
  let singular = false;
  // Right-looking blocked LU: factor a panel of LU_BLOCK columns, solve for the block row of U, and update the
  // trailing matrix with one matrix product (the fast gemm), where almost all of the work is.
  for (let k0 = 0; k0 < n; k0 += LU_BLOCK) {
    const nb = Math.min(LU_BLOCK, n - k0);
    const panelEnd = n - k0 <= 2 * LU_BLOCK ? n : k0 + nb; // small trailing matrices: finish unblocked
    for (let k = k0; k < panelEnd; k++) {
      let p = k;
      let max = Math.abs(a[off + k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(a[off + i * n + k]);
        if (v > max) {
          max = v;
          p = i;
        }
      }
      piv[k] = p;
      if (p !== k) {
        sign = -sign;
        const rk = off + k * n, rp = off + p * n;
        for (let j = 0; j < n; j++) {
          const t = a[rk + j];
          a[rk + j] = a[rp + j];
          a[rp + j] = t;
        }
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

/** Solves A·X = B in place in b (n×k row-major at b[boff..]) from luFactor's output. */
export function luSolve(lu: Float64Array, off: number, n: number, piv: Int32Array, b: Float64Array, boff: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i];
    if (p !== i) {
      for (let c = 0; c < k; c++) {
        const t = b[boff + i * k + c];
        b[boff + i * k + c] = b[boff + p * k + c];
        b[boff + p * k + c] = t;
      }
    }
  }
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
    let p = k;
    let max = cabs1(a[at(k, k)], a[at(k, k) + 1]);
    for (let i = k + 1; i < n; i++) {
      const v = cabs1(a[at(i, k)], a[at(i, k) + 1]);
      if (v > max) {
        max = v;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < 2 * n; j++) {
        const x = 2 * (off + k * n) + j, y = 2 * (off + p * n) + j;
        const t = a[x];
        a[x] = a[y];
        a[y] = t;
      }
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
  for (let i = 0; i < n; i++) {
    const p = piv[i];
    if (p !== i) {
      for (let c = 0; c < k; c++) {
        for (let s = 0; s < 2; s++) {
          const t = b[B(i, c) + s];
          b[B(i, c) + s] = b[B(p, c) + s];
          b[B(p, c) + s] = t;
        }
      }
    }
  }
  for (let i = 1; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const lr = lu[L(i, r)], li = lu[L(i, r) + 1];
      if (lr === 0 && li === 0) continue;
      for (let c = 0; c < k; c++) {
        const xr = b[B(r, c)], xi = b[B(r, c) + 1];
        b[B(i, c)] -= lr * xr - li * xi;
        b[B(i, c) + 1] -= lr * xi + li * xr;
      }
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const ur = lu[L(i, r)], ui = lu[L(i, r) + 1];
      if (ur === 0 && ui === 0) continue;
      for (let c = 0; c < k; c++) {
        const xr = b[B(r, c)], xi = b[B(r, c) + 1];
        b[B(i, c)] -= ur * xr - ui * xi;
        b[B(i, c) + 1] -= ur * xi + ui * xr;
      }
    }
    const dr = lu[L(i, i)], di = lu[L(i, i) + 1];
    const den = dr * dr + di * di;
    for (let c = 0; c < k; c++) {
      const xr = b[B(i, c)], xi = b[B(i, c) + 1];
      b[B(i, c)] = (xr * dr + xi * di) / den;
      b[B(i, c) + 1] = (xi * dr - xr * di) / den;
    }
  }
}

// ---- Cholesky and triangular solves ----------------------------------------------------------------------------

/**
 * Lower Cholesky factor of the symmetric part (A + Aᵀ)/2 of the n×n matrix at a[off..], written to l[loff..]
 * (upper triangle zeroed). Returns false when the matrix is not positive definite.
 */
export function choleskyLower(a: Float64Array, off: number, n: number, l: Float64Array, loff: number): boolean {
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

/**
 * Solves T·X = B in place in b (n×k at b[boff..]) for the n×n triangular T at t[toff..]; only the lower (or
 * upper) triangle of T is read, and its diagonal only when it is not a unit diagonal.
 */
export function triSolve(
  t: Float64Array, toff: number, n: number, lower: boolean, b: Float64Array, boff: number, k: number, unitDiagonal = false,
): void {
  triSolveBlock(t, toff, n, 0, n, lower, b, boff, k, unitDiagonal);
}

const TRI_BLOCK = 48;

/**
 * Solves the diagonal block T[r0:r0+m, r0:r0+m] against rows r0..r0+m of B (row stride of T is ld). Large
 * blocks split in two: solve one half, subtract its contribution from the other half's right-hand sides with
 * one matrix product (the fast gemm), then solve the other half. Most of the work then runs in gemm.
 */
function triSolveBlock(
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

// ---- Householder QR ----------------------------------------------------------------------------------------------

/**
 * QR of the m×n matrix at a[off..] with Householder reflectors in LAPACK's convention (geqrf + orgqr:
 * H = I − τ·v·vᵀ, v₀ = 1, β = −sign(α)·‖x‖), so R's diagonal signs agree with numpy's.
 * Returns Q (m×qc) and R (rr×n), with qc = rr = min(m, n) (reduced) or m (complete).
 */
export function householderQR(a0: Float64Array, off: number, m: number, n: number, complete: boolean): { q: Float64Array; r: Float64Array; qc: number; rr: number } {
  const a = a0.slice(off, off + m * n);
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = a[j * n + j];
    let scale = 0;
    for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(a[i * n + j]));
    if (scale === 0) {
      tau[j] = 0;
      continue;
    }
    let ss = 0;
    for (let i = j + 1; i < m; i++) {
      const v = a[i * n + j] / scale;
      ss += v * v;
    }
    const xnorm = scale * Math.sqrt(ss);
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[i * n + j] *= inv;
    a[j * n + j] = beta;
    const t = tau[j];
    for (let c = j + 1; c < n; c++) {
      let w = a[j * n + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * a[i * n + c];
      w *= t;
      a[j * n + c] -= w;
      for (let i = j + 1; i < m; i++) a[i * n + c] -= w * a[i * n + j];
    }
  }
  const qc = complete ? m : k;
  const rr = complete ? m : k;
  const q = new Float64Array(m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) q[i * qc + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const t = tau[j];
    if (t === 0) continue;
    for (let c = 0; c < qc; c++) {
      let w = q[j * qc + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * q[i * qc + c];
      w *= t;
      q[j * qc + c] -= w;
      for (let i = j + 1; i < m; i++) q[i * qc + c] -= w * a[i * n + j];
    }
  }
  const r = new Float64Array(rr * n);
  for (let i = 0; i < Math.min(rr, k); i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c];
  return { q, r, qc, rr };
}

// ---- symmetric eigenproblem ------------------------------------------------------------------------------------

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns of v, n×n row-major) of the symmetric matrix
 * whose lower triangle is at a[off..] (the upper triangle is ignored, as numpy's eigh with UPLO='L').
 * Householder tridiagonalization and the implicit QL algorithm (EISPACK tred2/tql2, via JAMA).
 */
export function symEig(a: Float64Array, off: number, n: number): { w: Float64Array; v: Float64Array } {
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = i >= j ? a[off + i * n + j] : a[off + j * n + i];
  const d = new Float64Array(n), e = new Float64Array(n);
  if (n === 0) return { w: d, v: V };
  tred2(n, V, d, e);
  tql2(n, V, d, e);
  return { w: d, v: V };
}

function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new NoConvergence("Eigenvalues did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = c, c3 = c;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1];
            V[k * n + i + 1] = s * V[k * n + i] + c * h;
            V[k * n + i] = c * V[k * n + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // selection sort, ascending, moving eigenvector columns along
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
}

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

// ---- SVD -----------------------------------------------------------------------------------------------------------

/**
 * SVD of the m×n matrix at a[off..] by one-sided Jacobi rotations (Hestenes), which orthogonalizes the columns
 * to working precision. Returns U (m×ku), s (descending, length k = min(m, n)) and V (n×kv), row-major, with
 * ku = kv = k (reduced) or ku = m, kv = n (full: orthonormal completions). Each pair (u_j, v_j) is signed so
 * that u_j's entry of largest magnitude is positive.
 */
export function svdJacobi(a: Float64Array, off: number, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array; ku: number; kv: number } {
  if (m < n) {
    // A = (Aᵀ)ᵀ: the SVD of Aᵀ = U' S V'ᵀ gives A = V' S U'ᵀ
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[off + i * n + j];
    const r = svdJacobi(at, 0, n, m, full);
    const k = m;
    // sign convention on u (now r.v): re-fix so that the largest entry of each u_j is positive
    fixColumnSigns(r.v, m, r.kv, m, r.u, n, r.ku);
    return { u: r.v, s: r.s, v: r.u, ku: full ? m : k, kv: full ? n : k };
  }
  const k = n;
  // column-major working copies, scaled to avoid overflow/underflow in the column norms
  let amax = 0;
  for (let i = 0; i < m * n; i++) {
    const x = a[off + i];
    if (!Number.isFinite(x)) throw new NoConvergence("SVD did not converge");
    amax = Math.max(amax, Math.abs(x));
  }
  const scale = amax === 0 ? 1 : Math.pow(2, -Math.round(Math.log2(amax)));
  const W = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W[j * m + i] = a[off + i * n + j] * scale;
  const Vc = new Float64Array(n * n);
  for (let j = 0; j < n; j++) Vc[j * n + j] = 1;
  const tol = EPS * Math.max(m, 1);
  // a column whose squared norm is below (eps·‖A‖)² is numerical zero (rank-deficient input): rotating against it
  // never meets the relative test above, so such pairs count as converged
  let frob2 = 0;
  for (let i = 0; i < m * n; i++) frob2 += W[i] * W[i];
  const negligible = EPS * EPS * frob2;
  let converged = false;
  for (let sweep = 0; sweep < 80 && !converged; sweep++) {
    converged = true;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const op = p * m, oq = q * m;
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = W[op + i], y = W[oq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta) || alpha <= negligible || beta <= negligible) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = W[op + i], y = W[oq + i];
          W[op + i] = c * x - s * y;
          W[oq + i] = s * x + c * y;
        }
        const vp = p * n, vq = q * n;
        for (let i = 0; i < n; i++) {
          const x = Vc[vp + i], y = Vc[vq + i];
          Vc[vp + i] = c * x - s * y;
          Vc[vq + i] = s * x + c * y;
        }
      }
    }
  }
  if (!converged) throw new NoConvergence("SVD did not converge");
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < m; i++) ss += W[j * m + i] * W[j * m + i];
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const ku = full ? m : k;
  const kv = n;
  const u = new Float64Array(m * ku);
  const v = new Float64Array(n * kv);
  const s = new Float64Array(k);
  const done: number[] = []; // columns of u filled so far
  const tiny = 1e-290;
  for (let jj = 0; jj < k; jj++) {
    const j = order[jj];
    s[jj] = norms[j] / scale;
    for (let i = 0; i < n; i++) v[i * kv + jj] = Vc[j * n + i];
    // columns at the level of rounding errors (numerically zero singular values) carry no direction: completed below
    if (norms[j] > tiny && norms[j] * norms[j] > negligible) {
      for (let i = 0; i < m; i++) u[i * ku + jj] = W[j * m + i] / norms[j];
      done.push(jj);
    }
  }
  // zero singular values (and the full case) need orthonormal completions of U
  const missing: number[] = [];
  for (let jj = 0; jj < ku; jj++) if (!done.includes(jj)) missing.push(jj);
  if (missing.length) completeColumns(u, m, ku, done, missing);
  fixColumnSigns(u, m, ku, k, v, n, kv);
  return { u, s, v, ku, kv };
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

// ---- general (nonsymmetric) eigenproblem ---------------------------------------------------------------------------

/**
 * Eigenvalues wr + i·wi and eigenvectors of the real n×n matrix at a[off..]: balancing, reduction to Hessenberg
 * form and the Francis double-shift QR algorithm (EISPACK balanc/orthes/hqr2, via JAMA). Complex conjugate pairs
 * come consecutively, the one with positive imaginary part first (as LAPACK's), and eigenvalues are sorted by real
 * part (LAPACK leaves them in the QR algorithm's order, which can jump under small perturbations; a canonical
 * order makes each eigenvalue a smooth function of A where it is simple). Eigenvectors are returned as
 * complex columns (re, im: n×n row-major), each of unit 2-norm with its entry of largest magnitude real and
 * positive.
 */
export function realEig(a: Float64Array, off: number, n: number): { wr: Float64Array; wi: Float64Array; vr: Float64Array; vi: Float64Array } {
  const H = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const x = a[off + i];
    if (!Number.isFinite(x)) throw new NoConvergence("Array must not contain infs or NaNs");
    H[i] = x;
  }
  const D = balance(H, n);
  const V = new Float64Array(n * n);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  if (n > 0) {
    orthes(n, H, V);
    hqr2(n, H, V, wr, wi);
  }
  // undo balancing, then build normalized complex eigenvectors
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] *= D[i];
  const vr = new Float64Array(n * n), vi = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (wi[j] === 0) {
      let nn = 0;
      for (let i = 0; i < n; i++) nn = Math.hypot(nn, V[i * n + j]);
      let best = 0, bi = 0;
      for (let i = 0; i < n; i++) if (Math.abs(V[i * n + j]) > best) { best = Math.abs(V[i * n + j]); bi = i; }
      const f = (V[bi * n + j] < 0 ? -1 : 1) / (nn || 1);
      for (let i = 0; i < n; i++) vr[i * n + j] = V[i * n + j] * f;
    } else if (wi[j] > 0 && j + 1 < n) {
      // x + i·y with x = column j, y = column j+1; its conjugate belongs to eigenvalue j+1
      let nn = 0;
      let best = -1, bi = 0;
      for (let i = 0; i < n; i++) {
        const mag = Math.hypot(V[i * n + j], V[i * n + j + 1]);
        nn = Math.hypot(nn, mag);
        if (mag > best) { best = mag; bi = i; }
      }
      // multiply by conj(z_p)/|z_p| / ‖z‖ so that component p becomes real and positive
      const pr = V[bi * n + j] / best, pi = -V[bi * n + j + 1] / best;
      for (let i = 0; i < n; i++) {
        const xr = V[i * n + j], xi = V[i * n + j + 1];
        const re = (xr * pr - xi * pi) / nn, im = (xr * pi + xi * pr) / nn;
        vr[i * n + j] = re;
        vi[i * n + j] = im;
        vr[i * n + j + 1] = re;
        vi[i * n + j + 1] = -im;
      }
      vi[bi * n + j] = 0;
      vi[bi * n + j + 1] = 0;
      j++;
    }
  }
  // canonical order: ascending real part, then descending imaginary part (conjugate pairs stay adjacent, the
  // one with positive imaginary part first), so that each output index follows one eigenvalue as A moves
  const order = Array.from({ length: n }, (_, j) => j).sort((p, q) => wr[p] - wr[q] || wi[q] - wi[p] || p - q);
  if (order.some((p, j) => p !== j)) {
    const wr2 = wr.slice(), wi2 = wi.slice(), vr2 = vr.slice(), vi2 = vi.slice();
    order.forEach((p, j) => {
      wr[j] = wr2[p];
      wi[j] = wi2[p];
      for (let i = 0; i < n; i++) {
        vr[i * n + j] = vr2[i * n + p];
        vi[i * n + j] = vi2[i * n + p];
      }
    });
  }
  return { wr, wi, vr, vi };
}

/** Diagonal similarity scaling by powers of 2 (EISPACK balanc without permutations): H ← D⁻¹ H D; returns D. */
function balance(H: Float64Array, n: number): Float64Array {
  const D = new Float64Array(n).fill(1);
  const radix = 2, sqrdx = 4;
  let noconv = true;
  for (let pass = 0; noconv && pass < 100; pass++) {
    noconv = false;
    for (let i = 0; i < n; i++) {
      let c = 0, r = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(H[j * n + i]);
        r += Math.abs(H[i * n + j]);
      }
      if (c === 0 || r === 0) continue;
      let g = r / radix;
      let f = 1;
      const s = c + r;
      while (c < g) {
        f *= radix;
        c *= sqrdx;
      }
      g = r * radix;
      while (c > g) {
        f /= radix;
        c /= sqrdx;
      }
      if ((c + r) / f < 0.95 * s) {
        noconv = true;
        D[i] *= f;
        const invf = 1 / f;
        for (let j = 0; j < n; j++) H[i * n + j] *= invf;
        for (let j = 0; j < n; j++) H[j * n + i] *= f;
      }
    }
  }
  return D;
}

function orthes(n: number, H: Float64Array, V: Float64Array): void {
  const low = 0, high = n - 1;
  const ort = new Float64Array(n);
  for (let m = low + 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(H[i * n + m - 1]);
    if (scale !== 0) {
      let h = 0;
      for (let i = high; i >= m; i--) {
        ort[i] = H[i * n + m - 1] / scale;
        h += ort[i] * ort[i];
      }
      let g = Math.sqrt(h);
      if (ort[m] > 0) g = -g;
      h -= ort[m] * g;
      ort[m] -= g;
      for (let j = m; j < n; j++) {
        let f = 0;
        for (let i = high; i >= m; i--) f += ort[i] * H[i * n + j];
        f /= h;
        for (let i = m; i <= high; i++) H[i * n + j] -= f * ort[i];
      }
      for (let i = 0; i <= high; i++) {
        let f = 0;
        for (let j = high; j >= m; j--) f += ort[j] * H[i * n + j];
        f /= h;
        for (let j = m; j <= high; j++) H[i * n + j] -= f * ort[j];
      }
      ort[m] = scale * ort[m];
      H[m * n + m - 1] = scale * g;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = i === j ? 1 : 0;
  for (let m = high - 1; m >= low + 1; m--) {
    if (H[m * n + m - 1] !== 0) {
      for (let i = m + 1; i <= high; i++) ort[i] = H[i * n + m - 1];
      for (let j = m; j <= high; j++) {
        let g = 0;
        for (let i = m; i <= high; i++) g += ort[i] * V[i * n + j];
        g = g / ort[m] / H[m * n + m - 1];
        for (let i = m; i <= high; i++) V[i * n + j] += g * ort[i];
      }
    }
  }
}

function cdiv(xr: number, xi: number, yr: number, yi: number): [number, number] {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr, d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  }
  const r = yr / yi, d = yi + r * yr;
  return [(r * xr + xi) / d, (r * xi - xr) / d];
}

function hqr2(nn: number, H: Float64Array, V: Float64Array, d: Float64Array, e: Float64Array): void {
  const N = nn;
  const at = (i: number, j: number) => i * N + j;
  let n = nn - 1;
  const low = 0, high = nn - 1;
  let exshift = 0;
  let norm = 0;
  let p = 0, q = 0, r = 0, s = 0, z = 0;
  let w: number, x: number, y: number, t: number;
  let iter = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H[at(i, j)]);

  while (n >= low) {
    let l = n;
    while (l > low) {
      s = Math.abs(H[at(l - 1, l - 1)]) + Math.abs(H[at(l, l)]);
      if (s === 0) s = norm;
      if (Math.abs(H[at(l, l - 1)]) < EPS * s) break;
      l--;
    }
    if (l === n) {
      // one root found
      H[at(n, n)] += exshift;
      d[n] = H[at(n, n)];
      e[n] = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      // two roots found
      w = H[at(n, n - 1)] * H[at(n - 1, n)];
      p = (H[at(n - 1, n - 1)] - H[at(n, n)]) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H[at(n, n)] += exshift;
      H[at(n - 1, n - 1)] += exshift;
      x = H[at(n, n)];
      if (q >= 0) {
        // real pair
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = d[n - 1];
        if (z !== 0) d[n] = x - w / z;
        e[n - 1] = 0;
        e[n] = 0;
        x = H[at(n, n - 1)];
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = n - 1; j < nn; j++) {
          z = H[at(n - 1, j)];
          H[at(n - 1, j)] = q * z + p * H[at(n, j)];
          H[at(n, j)] = q * H[at(n, j)] - p * z;
        }
        for (let i = 0; i <= n; i++) {
          z = H[at(i, n - 1)];
          H[at(i, n - 1)] = q * z + p * H[at(i, n)];
          H[at(i, n)] = q * H[at(i, n)] - p * z;
        }
        for (let i = low; i <= high; i++) {
          z = V[at(i, n - 1)];
          V[at(i, n - 1)] = q * z + p * V[at(i, n)];
          V[at(i, n)] = q * V[at(i, n)] - p * z;
        }
      } else {
        // complex pair
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iter = 0;
    } else {
      // no convergence yet: form shift
      x = H[at(n, n)];
      y = 0;
      w = 0;
      if (l < n) {
        y = H[at(n - 1, n - 1)];
        w = H[at(n, n - 1)] * H[at(n - 1, n)];
      }
      // Wilkinson's original ad hoc shift
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= n; i++) H[at(i, i)] -= x;
        s = Math.abs(H[at(n, n - 1)]) + Math.abs(H[at(n - 1, n - 2)]);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      // MATLAB's new ad hoc shift
      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= n; i++) H[at(i, i)] -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      if (iter > 100) throw new NoConvergence("Eigenvalues did not converge");
      // look for two consecutive small sub-diagonal elements
      let m = n - 2;
      while (m >= l) {
        z = H[at(m, m)];
        r = x - z;
        s = y - z;
        p = (r * s - w) / H[at(m + 1, m)] + H[at(m, m + 1)];
        q = H[at(m + 1, m + 1)] - z - r - s;
        r = H[at(m + 2, m + 1)];
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(H[at(m, m - 1)]) * (Math.abs(q) + Math.abs(r)) <
          EPS * (Math.abs(p) * (Math.abs(H[at(m - 1, m - 1)]) + Math.abs(z) + Math.abs(H[at(m + 1, m + 1)])))
        ) break;
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        H[at(i, i - 2)] = 0;
        if (i > m + 2) H[at(i, i - 3)] = 0;
      }
      // double QR step involving rows l:n and columns m:n
      for (let k = m; k <= n - 1; k++) {
        const notlast = k !== n - 1;
        if (k !== m) {
          p = H[at(k, k - 1)];
          q = H[at(k + 1, k - 1)];
          r = notlast ? H[at(k + 2, k - 1)] : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x !== 0) {
            p /= x;
            q /= x;
            r /= x;
          }
        }
        if (x === 0) break;
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[at(k, k - 1)] = -s * x;
          else if (l !== m) H[at(k, k - 1)] = -H[at(k, k - 1)];
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = H[at(k, j)] + q * H[at(k + 1, j)];
            if (notlast) {
              p += r * H[at(k + 2, j)];
              H[at(k + 2, j)] -= p * z;
            }
            H[at(k, j)] -= p * x;
            H[at(k + 1, j)] -= p * y;
          }
          for (let i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * H[at(i, k)] + y * H[at(i, k + 1)];
            if (notlast) {
              p += z * H[at(i, k + 2)];
              H[at(i, k + 2)] -= p * r;
            }
            H[at(i, k)] -= p;
            H[at(i, k + 1)] -= p * q;
          }
          for (let i = low; i <= high; i++) {
            p = x * V[at(i, k)] + y * V[at(i, k + 1)];
            if (notlast) {
              p += z * V[at(i, k + 2)];
              V[at(i, k + 2)] -= p * r;
            }
            V[at(i, k)] -= p;
            V[at(i, k + 1)] -= p * q;
          }
        }
      }
    }
  }

  // back-substitute to find vectors of the upper triangular form
  if (norm === 0) return;
  for (n = nn - 1; n >= 0; n--) {
    p = d[n];
    q = e[n];
    if (q === 0) {
      // real vector
      let l = n;
      H[at(n, n)] = 1;
      for (let i = n - 1; i >= 0; i--) {
        w = H[at(i, i)] - p;
        r = 0;
        for (let j = l; j <= n; j++) r += H[at(i, j)] * H[at(j, n)];
        if (e[i] < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i] === 0) {
            H[at(i, n)] = w !== 0 ? -r / w : -r / (EPS * norm);
          } else {
            // solve real equations
            x = H[at(i, i + 1)];
            y = H[at(i + 1, i)];
            q = (d[i] - p) * (d[i] - p) + e[i] * e[i];
            t = (x * s - z * r) / q;
            H[at(i, n)] = t;
            H[at(i + 1, n)] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          // overflow control
          t = Math.abs(H[at(i, n)]);
          if (EPS * t * t > 1) for (let j = i; j <= n; j++) H[at(j, n)] /= t;
        }
      }
    } else if (q < 0) {
      // complex vector
      let l = n - 1;
      if (Math.abs(H[at(n, n - 1)]) > Math.abs(H[at(n - 1, n)])) {
        H[at(n - 1, n - 1)] = q / H[at(n, n - 1)];
        H[at(n - 1, n)] = -(H[at(n, n)] - p) / H[at(n, n - 1)];
      } else {
        const c = cdiv(0, -H[at(n - 1, n)], H[at(n - 1, n - 1)] - p, q);
        H[at(n - 1, n - 1)] = c[0];
        H[at(n - 1, n)] = c[1];
      }
      H[at(n, n - 1)] = 0;
      H[at(n, n)] = 1;
      for (let i = n - 2; i >= 0; i--) {
        let ra = 0, sa = 0;
        for (let j = l; j <= n; j++) {
          ra += H[at(i, j)] * H[at(j, n - 1)];
          sa += H[at(i, j)] * H[at(j, n)];
        }
        w = H[at(i, i)] - p;
        if (e[i] < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i] === 0) {
            const c = cdiv(-ra, -sa, w, q);
            H[at(i, n - 1)] = c[0];
            H[at(i, n)] = c[1];
          } else {
            // solve complex equations
            x = H[at(i, i + 1)];
            y = H[at(i + 1, i)];
            let vr = (d[i] - p) * (d[i] - p) + e[i] * e[i] - q * q;
            const vi = (d[i] - p) * 2 * q;
            if (vr === 0 && vi === 0) vr = EPS * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            const c = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            H[at(i, n - 1)] = c[0];
            H[at(i, n)] = c[1];
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              H[at(i + 1, n - 1)] = (-ra - w * H[at(i, n - 1)] + q * H[at(i, n)]) / x;
              H[at(i + 1, n)] = (-sa - w * H[at(i, n)] - q * H[at(i, n - 1)]) / x;
            } else {
              const c2 = cdiv(-r - y * H[at(i, n - 1)], -s - y * H[at(i, n)], z, q);
              H[at(i + 1, n - 1)] = c2[0];
              H[at(i + 1, n)] = c2[1];
            }
          }
          // overflow control
          t = Math.max(Math.abs(H[at(i, n - 1)]), Math.abs(H[at(i, n)]));
          if (EPS * t * t > 1) {
            for (let j = i; j <= n; j++) {
              H[at(j, n - 1)] /= t;
              H[at(j, n)] /= t;
            }
          }
        }
      }
    }
  }
  // back transformation to get eigenvectors of the original matrix
  for (let j = nn - 1; j >= low; j--) {
    for (let i = low; i <= high; i++) {
      z = 0;
      for (let k = low; k <= Math.min(j, high); k++) z += V[at(i, k)] * H[at(k, j)];
      V[at(i, j)] = z;
    }
  }
}
