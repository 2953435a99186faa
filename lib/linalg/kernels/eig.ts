// General (nonsymmetric) eigenproblem: balancing + Hessenberg + Francis double-shift QR (EISPACK
// balanc/orthes/hqr2), for eig.
import { EPS, NoConvergence } from "./shared";

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

/**
 * Rows i0..i1 of the n×n matrix M, columns j and j + 1 rotated by (p, q) (hqr2's two-roots step):
 * (c_j, c_j+1) ← (q c_j + p c_j+1, q c_j+1 − p c_j).
 */
function rotateColumns(M: Float64Array, n: number, j: number, i0: number, i1: number, p: number, q: number): void {
  for (let i = i0; i <= i1; i++) {
    const a = i * n + j;
    const z = M[a];
    M[a] = q * z + p * M[a + 1];
    M[a + 1] = q * M[a + 1] - p * z;
  }
}

/**
 * Rows i0..i1 of the n×n matrix M, columns k, k + 1 (and k + 2 when `notlast`) times hqr2's double-shift
 * reflector (x, y, z; q, r) from the right.
 */
function reflectColumns(
  M: Float64Array, n: number, k: number, i0: number, i1: number, notlast: boolean,
  x: number, y: number, z: number, q: number, r: number,
): void {
  for (let i = i0; i <= i1; i++) {
    const a = i * n + k;
    let p = x * M[a] + y * M[a + 1];
    if (notlast) {
      p += z * M[a + 2];
      M[a + 2] -= p * r;
    }
    M[a] -= p;
    M[a + 1] -= p * q;
  }
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
        rotateColumns(H, N, n - 1, 0, n, p, q);
        rotateColumns(V, N, n - 1, low, high, p, q);
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
          reflectColumns(H, N, k, 0, Math.min(n, k + 3), notlast, x, y, z, q, r);
          reflectColumns(V, N, k, low, high, notlast, x, y, z, q, r);
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
