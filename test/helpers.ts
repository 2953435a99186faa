// Shared test helpers: deterministic inputs, tolerant comparisons, and the standard gradient check.
import { expect } from "vitest";
import { type CheckGradsOptions, type NDArray, checkGrads, np } from "../lib/index";
import { mulberry32 } from "../lib/util/prng";

export { mulberry32 as rng };

/** A sampling domain: values in [lo, hi], with a random sign when `signed` (to stay away from 0). */
export type Domain = [lo: number, hi: number, signed?: boolean];

/** Deterministic values in the domain: a number for shape null, else an array of that shape and dtype. */
export function draw(shape: number[] | null, [lo, hi, signed]: Domain, seed: number, dtype = "float64"): any {
  const next = mulberry32(seed);
  const one = () => (lo + (hi - lo) * next()) * (signed && next() < 0.5 ? -1 : 1);
  if (shape === null) return one();
  const n = shape.reduce((p, d) => p * d, 1);
  return np.array(Array.from({ length: n }, one), dtype).reshape(shape);
}

/**
 * Arrays (or values) equal within `tol` (both absolute and relative, as np.allclose), NaNs matching NaNs; on
 * failure the lists are shown. The tolerance is explicit: each test states how close it needs.
 */
export function close(a: any, b: any, tol: number): void {
  const A = np.array(a), B = np.array(b);
  expect(A.shape).toEqual(B.shape);
  if (!np.allclose(A, B, { atol: tol, rtol: tol, equal_nan: true })) expect(A.tolist()).toEqual(B.tolist());
}

export const list = (x: NDArray | NDArray[]) => (Array.isArray(x) ? x.map((a) => a.tolist()) : x.tolist());

/** checkGrads options: both modes to second order; and the looser tolerances float32 inputs need. */
export const both: CheckGradsOptions = { modes: ["fwd", "rev"], order: 2 };
export const f32Tol: CheckGradsOptions = { ...both, eps: 1e-3, rtol: 3e-2, atol: 3e-2 };

/** checkGrads in both modes to second order. */
export const check = (f: (...a: any[]) => any, ...args: any[]) =>
  expect(checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args)).toBe(true);

/** A stream of deterministic arrays in [-2, 2) without ties (a small increasing offset separates equal draws). */
export function randomArrays(seed: number) {
  const next = mulberry32(seed);
  return (...shape: number[]): NDArray => {
    const n = shape.reduce((p, d) => p * d, 1);
    const data = Array.from({ length: n }, (_, i) => next() * 4 - 2 + i * 1e-3);
    return np.reshape(np.array(data), shape);
  };
}
