// np.fft: discrete Fourier transforms with numpy's signatures (n/s, axis/axes, norm), differentiable in both modes.
//
// Four primitives along one axis, all linear (their JVP is the primitive applied to the tangent):
//   fft / ifft   complex-to-complex, length preserved, times a scale;
//   rfft         real input of length n → the n//2 + 1 non-negative-frequency bins;
//   irfft        n//2 + 1 bins → n reals (Hermitian extension);
// plus fft_resize (zero-pad / truncate along an axis). Every numpy function is a composition of these, one axis
// at a time, so gradients of fftn, rfft2, ... follow from the chain rule.
//
// VJPs under autograd's convention (the gradient of a real L at z = x + iy is ∂L/∂x − i∂L/∂y, and a linear map
// y = A z has VJP g ↦ Aᵀ g, with no conjugation):
//   - the DFT matrix is symmetric (F_jk = ω^{jk}), so the VJP of fft/ifft is the same transform of g, same scale
//     (then the real part when the input was real);
//   - resize: Aᵀ of zero-padding is truncation and vice versa;
//   - rfft = S·F (S keeps the first n//2 + 1 rows), so the VJP is Re(F·pad(g)) = real(fft(resize(g, n)));
//   - irfft: x = Re(B c), B_jk = s·w_k·e^{+2πi jk/n}, w_k = 1 for k = 0 and k = n/2, 2 for the other bins (the
//     doubled middle bins of the Hermitian packing). For a real cotangent g, Re(gᵀ B dc) = Re((Bᵀ g)ᵀ dc), so
//     the VJP is Bᵀ g = w · conj(rfft(g)) · s (real for the self-conjugate bins, whose imaginary parts are ignored).
import { isComplex } from "../array/dtype";
import { type ArrayLike, NDArray, describe } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { normalizeAxis } from "../array/shape";
import { definePrimitive } from "../core/tracer";
import { arr } from "../numpy/args";
import { multiply } from "../numpy/binary";
import { conj, matchComplex, real } from "../numpy/basis";
import { c2cAxis, c2rAxis, r2cAxis, resizeAxisKernel, rollKernel } from "./kernel";

export type FFTNorm = "backward" | "ortho" | "forward" | null | undefined;

// ---- primitives ---------------------------------------------------------------------------------------------

const resizePrim = definePrimitive("fft_resize", {
  impl: (x: NDArray, axis: number, m: number) => resizeAxisKernel(x, axis, m),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray, axis: number) => resizePrim(g, axis, x.shape[axis])],
});

function c2cPrimitive(name: string, inverse: boolean) {
  const prim = definePrimitive(name, {
    impl: (x: NDArray, axis: number, scale: number) => c2cAxis(x, axis, inverse, scale),
    linear: true,
    argNames: ["a"],
    // F is symmetric: Aᵀ g = s·F g
    vjp: [(g, _ans, x: NDArray, axis: number, scale: number) => matchComplex(x, prim(g, axis, scale))],
  });
  return prim;
}
const fftPrim = c2cPrimitive("fft", false);
const ifftPrim = c2cPrimitive("ifft", true);

const rfftPrim = definePrimitive("rfft", {
  impl: (x: NDArray, axis: number, scale: number) => r2cAxis(x, axis, scale),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray, axis: number, scale: number) => real(fftPrim(resizePrim(g, axis, x.shape[axis]), axis, scale))],
});

/** Hermitian weights along `axis` (1 for the zero and Nyquist bins, 2 elsewhere), shaped to broadcast. */
function hermitianWeights(ndim: number, axis: number, n: number): NDArray {
  const h = Math.floor(n / 2) + 1;
  const w = new Float64Array(h).fill(2);
  w[0] = 1;
  if (n % 2 === 0) w[h - 1] = 1;
  const shape = new Array<number>(ndim).fill(1);
  shape[axis] = h;
  return new NDArray(w, shape, "float64");
}

const irfftPrim = definePrimitive("irfft", {
  impl: (x: NDArray, axis: number, n: number, scale: number) => c2rAxis(x, axis, n, scale),
  linear: true,
  argNames: ["a"],
  vjp: [(g, _ans, x: NDArray, axis: number, n: number, scale: number) =>
    matchComplex(x, multiply(hermitianWeights(g.ndim, axis, n), conj(rfftPrim(g, axis, scale))))],
});

const rollPrim = definePrimitive("fftshift", {
  impl: (x: NDArray, shifts: number[], axes: number[]) => rollKernel(x, shifts, axes),
  linear: true,
  argNames: ["x"],
  vjp: [(g, _ans, _x, shifts: number[], axes: number[]) => rollPrim(g, shifts.map((s) => -s), axes)],
});

// ---- argument handling ---------------------------------------------------------------------------------------

const NORMS = ["backward", "ortho", "forward"];

function checkNorm(norm: unknown, where: string): "backward" | "ortho" | "forward" {
  if (norm === undefined || norm === null) return "backward";
  if (typeof norm !== "string" || !NORMS.includes(norm)) {
    throw new ValueError(`${where}: Invalid norm value ${JSON.stringify(norm)}; should be "backward", "ortho" or "forward"`);
  }
  return norm as "backward" | "ortho" | "forward";
}

/** The factor applied by a transform of length n: forward (fft, rfft) or inverse (ifft, irfft). */
function scaleOf(norm: "backward" | "ortho" | "forward", n: number, inverse: boolean): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  if (norm === "backward") return inverse ? 1 / n : 1;
  return inverse ? 1 : 1 / n;
}

/** numpy's hfft/ihfft use the opposite normalization direction. */
function swapDirection(norm: FFTNorm): FFTNorm {
  if (norm === undefined || norm === null || norm === "backward") return "forward";
  if (norm === "forward") return "backward";
  return norm;
}

function checkN(n: unknown, where: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new ValueError(`${where}: Invalid number of FFT data points (${typeof n === "number" ? n : describe(n)}) specified; expected a positive integer`);
  }
  return n;
}

const isOptionsObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof NDArray);

function checkKeys(where: string, o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new TypeError(`${where}: unknown option '${k}'; expected one of ${allowed.map((a) => `'${a}'`).join(", ")}`);
  }
}

export interface FFTOptions {
  n?: number | null;
  axis?: number;
  norm?: FFTNorm;
}
export interface FFTNOptions {
  s?: (number | null)[] | null;
  axes?: number | number[] | null;
  norm?: FFTNorm;
}

/** (a, n?, axis?, norm?) or (a, { n, axis, norm }). */
function args1(where: string, nOrOpts: unknown, axis: unknown, norm: unknown): { n: number | null; axis: number; norm: "backward" | "ortho" | "forward" } {
  if (isOptionsObject(nOrOpts)) {
    checkKeys(where, nOrOpts, ["n", "axis", "norm"]);
    return { n: (nOrOpts.n as number | null) ?? null, axis: (nOrOpts.axis as number) ?? -1, norm: checkNorm(nOrOpts.norm, where) };
  }
  if (nOrOpts !== undefined && nOrOpts !== null && typeof nOrOpts !== "number") {
    throw new TypeError(`${where}: n must be a positive integer or null, got ${describe(nOrOpts)}`);
  }
  if (axis !== undefined && axis !== null && typeof axis !== "number") {
    throw new TypeError(`${where}: axis must be an integer, got ${describe(axis)}`);
  }
  return { n: (nOrOpts as number | null | undefined) ?? null, axis: (axis as number | undefined) ?? -1, norm: checkNorm(norm, where) };
}

/** (a, s?, axes?, norm?) or (a, { s, axes, norm }). */
function argsN(where: string, sOrOpts: unknown, axes: unknown, norm: unknown, defaultAxes: number[] | null) {
  let s: unknown = sOrOpts, ax: unknown = axes, nm: unknown = norm;
  if (isOptionsObject(sOrOpts)) {
    checkKeys(where, sOrOpts, ["s", "axes", "norm"]);
    s = sOrOpts.s;
    ax = sOrOpts.axes;
    nm = sOrOpts.norm;
  }
  if (ax === undefined || ax === null) ax = defaultAxes;
  if (typeof ax === "number") ax = [ax];
  if (ax !== null && !(Array.isArray(ax) && ax.every((v) => typeof v === "number"))) {
    throw new TypeError(`${where}: axes must be a list of integers, got ${describe(ax)}`);
  }
  if (typeof s === "number") s = [s];
  if (s !== undefined && s !== null && !Array.isArray(s)) throw new TypeError(`${where}: s must be a list of integers, got ${describe(s)}`);
  return { s: (s ?? null) as (number | null)[] | null, axes: ax as number[] | null, norm: checkNorm(nm, where) };
}

/** numpy's _cook_nd_args: the transform length and axis of every pass. */
function cook(where: string, x: NDArray, s0: (number | null)[] | null, axes0: number[] | null, invreal: boolean) {
  let s: number[];
  let axes: number[];
  if (s0 === null) {
    axes = (axes0 ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, x.ndim, where));
    s = axes.map((a) => x.shape[a]);
    if (invreal && axes.length > 0) s[s.length - 1] = (x.shape[axes[axes.length - 1]] - 1) * 2;
  } else {
    axes = (axes0 ?? s0.map((_, i) => i - s0.length)).map((a) => normalizeAxis(a, x.ndim, where));
    if (s0.length !== axes.length) {
      throw new ValueError(`${where}: Shape and axes have different lengths: s has ${s0.length} entries, axes ${axes.length}`);
    }
    s = s0.map((v, i) => (v === null || v === -1 ? x.shape[axes[i]] : v));
  }
  s.forEach((v) => checkN(v, where));
  return { s, axes };
}

// ---- one-axis building blocks ------------------------------------------------------------------------------------

function resizeTo(x: NDArray, axis: number, m: number): NDArray {
  return x.shape[axis] === m ? x : resizePrim(x, axis, m);
}

function c2c(x: NDArray, n: number, axis: number, norm: "backward" | "ortho" | "forward", inverse: boolean): NDArray {
  const y = resizeTo(x, axis, n);
  return (inverse ? ifftPrim : fftPrim)(y, axis, scaleOf(norm, n, inverse));
}

function r2c(x: NDArray, n: number, axis: number, norm: "backward" | "ortho" | "forward", where: string): NDArray {
  if (isComplex(x.dtype)) {
    throw new TypeError(`${where}: the input must be real, got a complex128 array; use np.fft.fft for complex input`);
  }
  return rfftPrim(resizeTo(x, axis, n), axis, scaleOf(norm, n, false));
}

function c2r(x: NDArray, n: number, axis: number, norm: "backward" | "ortho" | "forward"): NDArray {
  const h = Math.floor(n / 2) + 1;
  return irfftPrim(resizeTo(x, axis, h), axis, n, scaleOf(norm, n, true));
}

function input(a: ArrayLike, where: string): NDArray {
  const x = arr(a, where);
  if (x.ndim === 0) throw new ValueError(`${where}: expected an array with at least one dimension, got a 0-d array`);
  return x;
}

// ---- public functions: one axis ------------------------------------------------------------------------------------

type OneAxisFn = (a: ArrayLike, n?: number | null | FFTOptions, axis?: number, norm?: FFTNorm) => NDArray;

/**
 * A one-axis transform with numpy's parameters `(a, n?, axis = -1, norm?)` or `(a, { n, axis, norm })`:
 * `defaultN` gives n from the input's length along the axis, `run` does the transform.
 */
function oneAxis(
  name: string,
  defaultN: (len: number) => number,
  run: (x: NDArray, n: number, axis: number, norm: "backward" | "ortho" | "forward", where: string) => NDArray,
): OneAxisFn {
  return (a, n, axis, norm) => {
    const where = `np.fft.${name}`;
    const o = args1(where, n, axis, norm);
    const x = input(a, where);
    const ax = normalizeAxis(o.axis, x.ndim, where);
    return run(x, checkN(o.n ?? defaultN(x.shape[ax]), where), ax, o.norm, where);
  };
}
const same = (len: number) => len;
const fromHalf = (len: number) => 2 * (len - 1);

/** np.fft.fft(a, n?, axis = -1, norm?) or fft(a, { n, axis, norm }): the 1-d DFT, Σ_j a_j e^{-2πi jk/n}. */
const fft_ = oneAxis("fft", same, (x, n, ax, norm) => c2c(x, n, ax, norm, false));
/** np.fft.ifft(a, n?, axis = -1, norm?): the inverse DFT (1/n Σ_k a_k e^{+2πi jk/n} with the default norm). */
const ifft = oneAxis("ifft", same, (x, n, ax, norm) => c2c(x, n, ax, norm, true));
/** np.fft.rfft(a, n?, axis = -1, norm?): DFT of real input, the n//2 + 1 non-negative frequencies. */
const rfft = oneAxis("rfft", same, (x, n, ax, norm, where) => r2c(x, n, ax, norm, where));
/** np.fft.irfft(a, n?, axis = -1, norm?): inverse of rfft; n defaults to 2·(m − 1) for m input bins. */
const irfft = oneAxis("irfft", fromHalf, (x, n, ax, norm) => c2r(x, n, ax, norm));
/** np.fft.hfft(a, n?, axis, norm?): FFT of a Hermitian-symmetric signal given by its first half (real output). */
const hfft = oneAxis("hfft", fromHalf, (x, n, ax, norm, where) => c2r(conj(x), n, ax, checkNorm(swapDirection(norm), where)));
/** np.fft.ihfft(a, n?, axis, norm?): inverse of hfft (real input, n//2 + 1 complex outputs). */
const ihfft = oneAxis("ihfft", same, (x, n, ax, norm, where) => conj(r2c(x, n, ax, checkNorm(swapDirection(norm), where), where)));

// ---- public functions: several axes ---------------------------------------------------------------------------------

type SArg = (number | null)[] | number | null | FFTNOptions;

function c2cN(where: string, a: ArrayLike, s: SArg | undefined, axes: number | number[] | null | undefined, norm: FFTNorm, inverse: boolean, defaultAxes: number[] | null): NDArray {
  const o = argsN(where, s, axes, norm, defaultAxes);
  let x = arr(a, where);
  const c = cook(where, x, o.s, o.axes, false);
  for (let i = c.axes.length - 1; i >= 0; i--) x = c2c(x, c.s[i], c.axes[i], o.norm, inverse);
  return x;
}

/** np.fft.fftn(a, s?, axes?, norm?) or fftn(a, { s, axes, norm }): DFT over several axes (all by default). */
const fftn = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => c2cN("np.fft.fftn", a, s, axes, norm, false, null);
const ifftn = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => c2cN("np.fft.ifftn", a, s, axes, norm, true, null);
/** np.fft.fft2(a, s?, axes = [-2, -1], norm?). */
const fft2 = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => c2cN("np.fft.fft2", a, s, axes, norm, false, [-2, -1]);
const ifft2 = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => c2cN("np.fft.ifft2", a, s, axes, norm, true, [-2, -1]);

type AxesArg = number | number[] | null | undefined;

/** The arguments of an n-dimensional real transform: the array, its sizes and axes (at least one; the real one last). */
function realArgsN(where: string, a: ArrayLike, s: SArg | undefined, axes: AxesArg, norm: FFTNorm, defaultAxes: number[] | null, inverse: boolean) {
  const o = argsN(where, s, axes, norm, defaultAxes);
  const x = arr(a, where);
  const c = cook(where, x, o.s, o.axes, inverse);
  const k = c.axes.length - 1;
  if (k < 0) throw new ValueError(`${where}: at least one axis must be transformed`);
  return { x, s: c.s, axes: c.axes, k, norm: o.norm };
}

function rfftN(where: string, a: ArrayLike, s: SArg | undefined, axes: AxesArg, norm: FFTNorm, defaultAxes: number[] | null): NDArray {
  const r = realArgsN(where, a, s, axes, norm, defaultAxes, false);
  let x = r2c(r.x, r.s[r.k], r.axes[r.k], r.norm, where);
  for (let i = 0; i < r.k; i++) x = c2c(x, r.s[i], r.axes[i], r.norm, false);
  return x;
}

function irfftN(where: string, a: ArrayLike, s: SArg | undefined, axes: AxesArg, norm: FFTNorm, defaultAxes: number[] | null): NDArray {
  const r = realArgsN(where, a, s, axes, norm, defaultAxes, true);
  let x = r.x;
  for (let i = 0; i < r.k; i++) x = c2c(x, r.s[i], r.axes[i], r.norm, true);
  return c2r(x, r.s[r.k], r.axes[r.k], r.norm);
}

/** np.fft.rfftn(a, s?, axes?, norm?): rfft over the last axis, then fft over the others. */
const rfftn = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => rfftN("np.fft.rfftn", a, s, axes, norm, null);
/** np.fft.irfftn(a, s?, axes?, norm?): inverse of rfftn; the last axis' length defaults to 2·(m − 1). */
const irfftn = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => irfftN("np.fft.irfftn", a, s, axes, norm, null);
const rfft2 = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => rfftN("np.fft.rfft2", a, s, axes, norm, [-2, -1]);
const irfft2 = (a: ArrayLike, s?: SArg, axes?: number | number[] | null, norm?: FFTNorm) => irfftN("np.fft.irfft2", a, s, axes, norm, [-2, -1]);

// ---- helpers ----------------------------------------------------------------------------------------------------

function shiftBy(where: string, x0: ArrayLike, axes: number | number[] | null | undefined | { axes?: number | number[] | null }, sign: 1 | -1): NDArray {
  const x = arr(x0, where);
  let ax: unknown = axes;
  if (isOptionsObject(axes)) {
    checkKeys(where, axes, ["axes"]);
    ax = axes.axes;
  }
  const list = ax === undefined || ax === null ? x.shape.map((_, i) => i) : typeof ax === "number" ? [ax] : (ax as number[]);
  const norm = list.map((a) => normalizeAxis(a, x.ndim, where));
  if (norm.length === 0 || x.size === 0) return x;
  return rollPrim(x, norm.map((a) => sign * Math.floor(x.shape[a] / 2)), norm);
}

/** np.fft.fftshift(x, axes?): moves the zero-frequency term to the centre. */
const fftshift = (x: ArrayLike, axes?: number | number[] | null | { axes?: number | number[] | null }) => shiftBy("np.fft.fftshift", x, axes, 1);
/** np.fft.ifftshift(x, axes?): inverse of fftshift. */
const ifftshift = (x: ArrayLike, axes?: number | number[] | null | { axes?: number | number[] | null }) => shiftBy("np.fft.ifftshift", x, axes, -1);

function checkFreqArgs(where: string, n: unknown, d: unknown): [number, number] {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ValueError(`${where}: n should be a non-negative integer, got ${describe(n)}`);
  const dv = isOptionsObject(d) ? (checkKeys(where, d, ["d"]), d.d ?? 1) : d ?? 1;
  if (typeof dv !== "number") throw new TypeError(`${where}: d should be a number, got ${describe(dv)}`);
  return [n, dv];
}

/** np.fft.fftfreq(n, d = 1): sample frequencies [0, 1, ..., ⌈n/2⌉−1, −⌊n/2⌋, ..., −1] / (d·n). */
function fftfreq(n: number, d: number | { d?: number } = 1): NDArray {
  const [N, D] = checkFreqArgs("np.fft.fftfreq", n, d);
  const out = new Float64Array(N);
  const pos = Math.floor((N - 1) / 2) + 1;
  for (let i = 0; i < pos; i++) out[i] = i / (D * N);
  for (let i = pos; i < N; i++) out[i] = (i - N) / (D * N);
  return new NDArray(out, [N], "float64");
}

/** np.fft.rfftfreq(n, d = 1): [0, 1, ..., ⌊n/2⌋] / (d·n). */
function rfftfreq(n: number, d: number | { d?: number } = 1): NDArray {
  const [N, D] = checkFreqArgs("np.fft.rfftfreq", n, d);
  const h = Math.floor(N / 2) + 1;
  const out = new Float64Array(h);
  for (let i = 0; i < h; i++) out[i] = i / (D * N);
  return new NDArray(out, [h], "float64");
}

Object.defineProperty(fft_, "name", { value: "fft" });

/** The `np.fft` namespace. */
export const fft = {
  fft: fft_,
  ifft,
  fft2,
  ifft2,
  fftn,
  ifftn,
  rfft,
  irfft,
  rfft2,
  irfft2,
  rfftn,
  irfftn,
  hfft,
  ihfft,
  fftshift,
  ifftshift,
  fftfreq,
  rfftfreq,
};
