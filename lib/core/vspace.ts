// The few array operations the core needs (accumulating cotangents, zero and one seeds, stacking Jacobian rows).
// The core knows no numpy: lib/numpy registers these at load time, and the core calls them through here.
import type { NDArray } from "../array/ndarray";

export interface VSpaceOps {
  /** Differentiable elementwise sum of two arrays of the same shape. */
  add(a: NDArray, b: NDArray): NDArray;
  /** A constant array of zeros with the shape and dtype of `x` (which may be boxed). */
  zerosLike(x: NDArray): NDArray;
  /** A constant array of ones with the shape and dtype of `x` (which may be boxed). */
  onesLike(x: NDArray): NDArray;
  /** Differentiable stack along a new leading axis. */
  stack(xs: NDArray[]): NDArray;
  /** Differentiable reshape. */
  reshape(x: NDArray, shape: number[]): NDArray;
  /** Differentiable sum of elementwise products (real part of the inner product, no conjugation). */
  vdot(a: NDArray, b: NDArray): NDArray;
  /** Differentiable elementwise product. */
  multiply(a: NDArray, b: NDArray): NDArray;
  /** Differentiable complex conjugate (identity on real arrays). */
  conj(x: NDArray): NDArray;
  /** Differentiable concatenation along axis 0. */
  concatenate(xs: NDArray[]): NDArray;
  /** Differentiable slice [start, stop) of a 1-d array. */
  slice(x: NDArray, start: number, stop: number): NDArray;
  /** Differentiable real part. */
  real(x: NDArray): NDArray;
  /** Differentiable transpose (reversed axes). */
  transpose(x: NDArray): NDArray;
  /** Differentiable cast. */
  astype(x: NDArray, dtype: string): NDArray;
}

let ops: VSpaceOps | null = null;

export function registerVSpace(o: VSpaceOps): void {
  ops = o;
}

export function vspace(): VSpaceOps {
  if (ops === null) throw new Error("gradlab internal error: numpy layer not loaded (import from lib/index.ts)");
  return ops;
}
