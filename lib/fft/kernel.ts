// FFT kernels on plain typed storage (no autodiff here; lib/fft/index.ts wraps them in primitives).
//
// One plan per length n, cached:
//   - n a power of two: iterative in-place radix-2 (bit reversal, then log2 n butterfly passes);
//   - otherwise: recursive mixed-radix decimation in time over the prime factors of n (4s first), with a
//     direct O(p²) butterfly for small radices and Bluestein's chirp-z algorithm (a power-of-two convolution)
//     for prime radices above BLUESTEIN_MIN, so every length costs O(n log n).
// Twiddles are computed directly (cos/sin of 2πk/n per k), not by recurrence, for accuracy. Plans compute the
// forward transform X_k = Σ_j x_j e^{-2πi jk/n}; the inverse (unnormalized) uses conj ∘ forward ∘ conj.
import { isComplex } from "../array/dtype";
import { NDArray } from "../array/ndarray";

const BLUESTEIN_MIN = 67;

interface Plan {
  readonly n: number;
  /** In-place forward DFT of the n complex values (re[i], im[i]). */
  forward(re: Float64Array, im: Float64Array): void;
}

const cache = new Map<number, Plan>();

export function planFor(n: number): Plan {
  let p = cache.get(n);
  if (!p) {
    p = (n & (n - 1)) === 0 ? new Radix2Plan(n) : new MixedPlan(n);
    if (cache.size > 64) cache.delete(cache.keys().next().value as number);
    cache.set(n, p);
  }
  return p;
}

class Radix2Plan implements Plan {
  private readonly rev: Int32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  constructor(readonly n: number) {
    const bits = Math.round(Math.log2(n));
    this.rev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      this.rev[i] = r;
    }
    [this.cos, this.sin] = unitRoots(n >> 1, n);
  }
  forward(re: Float64Array, im: Float64Array): void {
    const n = this.n, rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    const C = this.cos, S = this.sin;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1, step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0, t = 0; k < half; k++, t += step) {
          const a = start + k, b = a + half;
          const wr = C[t], wi = -S[t];
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr; im[b] = im[a] - xi;
          re[a] += xr; im[a] += xi;
        }
      }
    }
  }
}

/** cos and sin of 2πk/n, computed from an angle in [0, π/2] (symmetric entries come out exactly symmetric). */
function unitRoot(k: number, n: number): [number, number] {
  k %= n;
  if (2 * k > n) {
    const [c, s] = unitRoot(n - k, n);
    return [c, -s];
  }
  if (4 * k > n) {
    const a = (Math.PI * (n - 2 * k)) / n; // π − 2πk/n
    return [-Math.cos(a), Math.sin(a)];
  }
  const a = (2 * Math.PI * k) / n;
  return [Math.cos(a), Math.sin(a)];
}

/** The tables cos(2πk/n) and sin(2πk/n) for k = 0..count-1 (a plan's twiddle factors). */
function unitRoots(count: number, n: number): [Float64Array, Float64Array] {
  const cos = new Float64Array(count), sin = new Float64Array(count);
  for (let k = 0; k < count; k++) [cos[k], sin[k]] = unitRoot(k, n);
  return [cos, sin];
}

/** Chirp-z: a length-n DFT as a circular convolution of power-of-two length m ≥ 2n − 1. */
class BluesteinPlan implements Plan {
  private readonly m: number;
  private readonly sub: Plan;
  private readonly wr: Float64Array; // chirp e^{-iπ j²/n}
  private readonly wi: Float64Array;
  private readonly br: Float64Array; // FFT of the conjugate chirp, pre-scaled by 1/m
  private readonly bi: Float64Array;
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;
  constructor(readonly n: number) {
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    this.m = m;
    this.sub = planFor(m);
    this.wr = new Float64Array(n);
    this.wi = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // j² mod 2n keeps the angle small (exact in doubles for n < 2^26)
      const q = (j * j) % (2 * n);
      const [c, s] = unitRoot(q, 2 * n);
      this.wr[j] = c;
      this.wi[j] = -s;
    }
    this.br = new Float64Array(m);
    this.bi = new Float64Array(m);
    this.br[0] = this.wr[0];
    this.bi[0] = -this.wi[0];
    for (let j = 1; j < n; j++) {
      this.br[j] = this.br[m - j] = this.wr[j];
      this.bi[j] = this.bi[m - j] = -this.wi[j];
    }
    this.sub.forward(this.br, this.bi);
    for (let k = 0; k < m; k++) {
      this.br[k] /= m;
      this.bi[k] /= m;
    }
    this.ar = new Float64Array(m);
    this.ai = new Float64Array(m);
  }
  forward(re: Float64Array, im: Float64Array): void {
    const { n, m, wr, wi, br, bi, ar, ai } = this;
    ar.fill(0);
    ai.fill(0);
    for (let j = 0; j < n; j++) {
      ar[j] = re[j] * wr[j] - im[j] * wi[j];
      ai[j] = re[j] * wi[j] + im[j] * wr[j];
    }
    this.sub.forward(ar, ai);
    // pointwise product, then inverse FFT via conj ∘ forward ∘ conj (the 1/m is folded into b)
    for (let k = 0; k < m; k++) {
      const r = ar[k] * br[k] - ai[k] * bi[k];
      const i = ar[k] * bi[k] + ai[k] * br[k];
      ar[k] = r;
      ai[k] = -i;
    }
    this.sub.forward(ar, ai);
    for (let k = 0; k < n; k++) {
      const r = ar[k], i = -ai[k];
      re[k] = r * wr[k] - i * wi[k];
      im[k] = r * wi[k] + i * wr[k];
    }
  }
}

function factorize(n: number): number[] {
  const f: number[] = [];
  while (n % 4 === 0) { f.push(4); n /= 4; }
  while (n % 2 === 0) { f.push(2); n /= 2; }
  for (let p = 3; p * p <= n; p += 2) while (n % p === 0) { f.push(p); n /= p; }
  if (n > 1) f.push(n);
  return f;
}

/** Recursive mixed-radix decimation in time (out of place into a scratch buffer, then copied back). */
class MixedPlan implements Plan {
  private readonly factors: number[];
  private readonly cos: Float64Array; // e^{-2πi k/n} = cos - i sin, k = 0..n-1
  private readonly sin: Float64Array;
  private readonly subs = new Map<number, Plan>();
  private readonly or: Float64Array;
  private readonly oi: Float64Array;
  private readonly tr: Float64Array;
  private readonly ti: Float64Array;
  private inR!: Float64Array;
  private inI!: Float64Array;
  constructor(readonly n: number) {
    this.factors = factorize(n);
    [this.cos, this.sin] = unitRoots(n, n);
    for (const p of this.factors) if (p >= BLUESTEIN_MIN && !this.subs.has(p)) this.subs.set(p, p === n ? new BluesteinPlan(p) : planFor(p));
    const pmax = Math.max(...this.factors);
    this.or = new Float64Array(n);
    this.oi = new Float64Array(n);
    this.tr = new Float64Array(pmax);
    this.ti = new Float64Array(pmax);
  }
  forward(re: Float64Array, im: Float64Array): void {
    if (this.n === 1) return;
    const big = this.subs.get(this.n);
    if (big && this.factors.length === 1) {
      big.forward(re, im);
      return;
    }
    this.inR = re;
    this.inI = im;
    this.rec(this.n, 0, 1, 0, 0);
    re.set(this.or);
    im.set(this.oi);
  }
  private rec(n: number, inOff: number, stride: number, outOff: number, level: number): void {
    const or = this.or, oi = this.oi;
    if (n === 1) {
      or[outOff] = this.inR[inOff];
      oi[outOff] = this.inI[inOff];
      return;
    }
    const p = this.factors[level];
    const m = n / p;
    for (let r = 0; r < p; r++) this.rec(m, inOff + r * stride, stride * p, outOff + r * m, level + 1);
    const N = this.n, C = this.cos, S = this.sin, tr = this.tr, ti = this.ti;
    const tw = N / n; // W_n^j = W_N^{j·tw}
    const sub = this.subs.get(p);
    for (let k = 0; k < m; k++) {
      // twiddle: t_r = Y_r[k] · W_n^{rk}
      for (let r = 0; r < p; r++) {
        const idx = outOff + r * m + k;
        const e = (r * k * tw) % N;
        const wr = C[e], wi = -S[e];
        tr[r] = or[idx] * wr - oi[idx] * wi;
        ti[r] = or[idx] * wi + oi[idx] * wr;
      }
      if (p === 2) {
        const a = outOff + k, b = a + m;
        or[a] = tr[0] + tr[1]; oi[a] = ti[0] + ti[1];
        or[b] = tr[0] - tr[1]; oi[b] = ti[0] - ti[1];
      } else if (p === 4) {
        const a0r = tr[0] + tr[2], a0i = ti[0] + ti[2];
        const a1r = tr[0] - tr[2], a1i = ti[0] - ti[2];
        const a2r = tr[1] + tr[3], a2i = ti[1] + ti[3];
        // -i (t1 - t3)
        const a3r = ti[1] - ti[3], a3i = -(tr[1] - tr[3]);
        const b = outOff + k;
        or[b] = a0r + a2r; oi[b] = a0i + a2i;
        or[b + m] = a1r + a3r; oi[b + m] = a1i + a3i;
        or[b + 2 * m] = a0r - a2r; oi[b + 2 * m] = a0i - a2i;
        or[b + 3 * m] = a1r - a3r; oi[b + 3 * m] = a1i - a3i;
      } else if (sub) {
        const xr = tr.subarray(0, p), xi = ti.subarray(0, p);
        sub.forward(xr, xi);
        for (let q = 0; q < p; q++) { or[outOff + k + q * m] = xr[q]; oi[outOff + k + q * m] = xi[q]; }
      } else {
        const step = N / p; // W_p^{rq} = W_N^{(rq mod p)·step}
        for (let q = 0; q < p; q++) {
          let sr = 0, si = 0;
          for (let r = 0; r < p; r++) {
            const e = ((r * q) % p) * step;
            const wr = C[e], wi = -S[e];
            sr += tr[r] * wr - ti[r] * wi;
            si += tr[r] * wi + ti[r] * wr;
          }
          or[outOff + k + q * m] = sr;
          oi[outOff + k + q * m] = si;
        }
      }
    }
  }
}

// ---- transforms along one axis of an NDArray ---------------------------------------------------------------

/** Iterates the 1-d lines of `shape` along `axis`: calls fn(base, stride) for each. */
function lines(shape: readonly number[], axis: number, fn: (outer: number, inner: number) => void): void {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) fn(o, i);
}

function readLine(x: NDArray, axis: number, o: number, i: number, re: Float64Array, im: Float64Array): void {
  const n = x.shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < x.ndim; d++) inner *= x.shape[d];
  const base = o * n * inner + i;
  const src = x.data;
  if (isComplex(x.dtype)) {
    for (let j = 0; j < n; j++) { const k = 2 * (base + j * inner); re[j] = src[k]; im[j] = src[k + 1]; }
  } else {
    for (let j = 0; j < n; j++) { re[j] = src[base + j * inner]; im[j] = 0; }
  }
}

/**
 * Complex-to-complex DFT of every line along `axis` (length preserved), times `scale`; `inverse` uses the
 * e^{+2πi jk/n} kernel. Real inputs are read as complex. Returns complex128.
 */
export function c2cAxis(x: NDArray, axis: number, inverse: boolean, scale: number): NDArray {
  const n = x.shape[axis];
  const out = new Float64Array(2 * x.size);
  const plan = planFor(n);
  const re = new Float64Array(n), im = new Float64Array(n);
  let inner = 1;
  for (let d = axis + 1; d < x.ndim; d++) inner *= x.shape[d];
  const sgn = inverse ? -1 : 1;
  lines(x.shape, axis, (o, i) => {
    readLine(x, axis, o, i, re, im);
    if (inverse) for (let j = 0; j < n; j++) im[j] = -im[j];
    plan.forward(re, im);
    const base = o * n * inner + i;
    for (let j = 0; j < n; j++) {
      const k = 2 * (base + j * inner);
      out[k] = scale * re[j];
      out[k + 1] = sgn * scale * im[j];
    }
  });
  return new NDArray(out, x.shape.slice(), "complex128");
}

/** Real-to-half-complex DFT along `axis` (input length n real → n//2 + 1 complex bins), times `scale`. */
export function r2cAxis(x: NDArray, axis: number, scale: number): NDArray {
  const n = x.shape[axis];
  const h = Math.floor(n / 2) + 1;
  const shape = x.shape.slice();
  shape[axis] = h;
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Float64Array(2 * size);
  const plan = planFor(n);
  const re = new Float64Array(n), im = new Float64Array(n);
  let inner = 1;
  for (let d = axis + 1; d < x.ndim; d++) inner *= x.shape[d];
  lines(x.shape, axis, (o, i) => {
    readLine(x, axis, o, i, re, im);
    plan.forward(re, im);
    const base = o * h * inner + i;
    for (let j = 0; j < h; j++) {
      const k = 2 * (base + j * inner);
      out[k] = scale * re[j];
      out[k + 1] = scale * im[j];
    }
  });
  return new NDArray(out, shape, "complex128");
}

/**
 * Half-complex-to-real inverse DFT along `axis`: input has exactly n//2 + 1 bins (already resized), output n
 * reals x_j = scale · Re Σ_k w_k c_k e^{+2πi jk/n}, w = 1 for the zero (and Nyquist) bin and 2 otherwise
 * (the Hermitian extension; imaginary parts of the self-conjugate bins are ignored, as numpy does).
 */
export function c2rAxis(x: NDArray, axis: number, n: number, scale: number): NDArray {
  const h = x.shape[axis];
  const shape = x.shape.slice();
  shape[axis] = n;
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Float64Array(size);
  const plan = planFor(n);
  const re = new Float64Array(n), im = new Float64Array(n);
  const cr = new Float64Array(h), ci = new Float64Array(h);
  let inner = 1;
  for (let d = axis + 1; d < x.ndim; d++) inner *= x.shape[d];
  lines(x.shape, axis, (o, i) => {
    readLine(x, axis, o, i, cr, ci);
    // Hermitian extension, conjugated for the inverse-by-forward trick: z = conj(full spectrum)
    re.fill(0);
    im.fill(0);
    re[0] = cr[0];
    for (let k = 1; k < h && k < n; k++) {
      if (2 * k === n) { re[k] = cr[k]; continue; }
      re[k] = cr[k]; im[k] = -ci[k];
      re[n - k] = cr[k]; im[n - k] = ci[k];
    }
    plan.forward(re, im);
    const base = o * n * inner + i;
    for (let j = 0; j < n; j++) out[base + j * inner] = scale * re[j];
  });
  return new NDArray(out, shape, "float64");
}

/** Zero-pads or truncates along `axis` to length m (keeping the first entries). */
export function resizeAxisKernel(x: NDArray, axis: number, m: number): NDArray {
  const n = x.shape[axis];
  const shape = x.shape.slice();
  shape[axis] = m;
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const slots = isComplex(x.dtype) ? 2 : 1;
  const out = new (x.data.constructor as Float64ArrayConstructor)(outer * m * inner * slots);
  const keep = Math.min(n, m) * inner * slots;
  const src = x.data as Float64Array;
  for (let o = 0; o < outer; o++) out.set(src.subarray(o * n * inner * slots, o * n * inner * slots + keep), o * m * inner * slots);
  return new NDArray(out, shape, x.dtype);
}

/** Circular shift along several axes (np.roll semantics: out[(i + shift) mod n] = x[i]). */
export function rollKernel(x: NDArray, shifts: readonly number[], axes: readonly number[]): NDArray {
  const slots = isComplex(x.dtype) ? 2 : 1;
  const shape = x.shape;
  const nd = shape.length;
  const strides = new Array<number>(nd);
  for (let i = nd - 1, s = 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  const shift = new Array<number>(nd).fill(0);
  axes.forEach((a, k) => {
    const n = shape[a];
    if (n > 0) shift[a] = (((shift[a] + shifts[k]) % n) + n) % n;
  });
  const out = new (x.data.constructor as Float64ArrayConstructor)(x.data.length);
  const src = x.data;
  const idx = new Array<number>(nd).fill(0);
  for (let flat = 0; flat < x.size; flat++) {
    let dst = 0;
    for (let d = 0; d < nd; d++) dst += ((idx[d] + shift[d]) % shape[d]) * strides[d];
    for (let s = 0; s < slots; s++) out[dst * slots + s] = src[flat * slots + s];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return new NDArray(out, shape.slice(), x.dtype);
}
