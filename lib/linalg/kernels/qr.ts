// Householder QR in LAPACK's reflector convention: qr (R's diagonal signs match numpy's).
import { lapackQR } from "../lapack";

/**
 * QR of the m×n matrix at a[off..] with Householder reflectors in LAPACK's convention (geqrf + orgqr:
 * H = I − τ·v·vᵀ, v₀ = 1, β = −sign(α)·‖x‖), so R's diagonal signs agree with numpy's.
 * Returns Q (m×qc) and R (rr×n), with qc = rr = min(m, n) (reduced) or m (complete).
 */
export function householderQR(a0: Float64Array, off: number, m: number, n: number, complete: boolean): { q: Float64Array; r: Float64Array; qc: number; rr: number } {
  const fast = lapackQR(a0, off, m, n, complete);
  if (fast) return fast;
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
