// SVD by one-sided Jacobi rotations (Hestenes): svd, pinv, matrix_rank.
import { lapackSvd } from "../lapack";
import { completeColumns, EPS, fixColumnSigns, NoConvergence } from "./shared";

/**
 * SVD of the m×n matrix at a[off..] by one-sided Jacobi rotations (Hestenes), which orthogonalizes the columns
 * to working precision. Returns U (m×ku), s (descending, length k = min(m, n)) and V (n×kv), row-major, with
 * ku = kv = k (reduced) or ku = m, kv = n (full: orthonormal completions). Each pair (u_j, v_j) is signed so
 * that u_j's entry of largest magnitude is positive.
 */
export function svdJacobi(a: Float64Array, off: number, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array; ku: number; kv: number } {
  const fast = lapackSvd(a, off, m, n, full);
  if (fast) return fast;
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
