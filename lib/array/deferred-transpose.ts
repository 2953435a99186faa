// Deferred 2-d transposes. Arrays are contiguous, so `X.T` is a copy, and for a 10000×100 X that copy costs ten
// times the product `X.T @ v` it usually feeds (numpy's X.T is a free view). A big float64 transpose therefore
// returns an array whose storage is made on first read of `.data`, and matmul asks `transposeSource` first:
// given a pending transpose it multiplies the source with the transposed flag, so the copy is never made.
import type { TypedData } from "./dtype";
import { NDArray } from "./ndarray";

/** Below this many elements the copy is cheap: transpose eagerly. */
export const DEFER_MIN = 1 << 14;

const sources = new WeakMap<NDArray, NDArray>();
const NO_DATA = new Float64Array(0);

/**
 * xᵀ for a contiguous 2-d float64 x, its storage made by `materialize` when something reads `.data` (at most once).
 * Only for arrays outside a backward pass (whose pooled storage could be recycled under a pending transpose).
 */
export function deferTranspose(x: NDArray, materialize: () => TypedData): NDArray {
  const out = new NDArray(NO_DATA, [x.shape[1], x.shape[0]], x.dtype);
  let data: TypedData | null = null;
  Object.defineProperty(out, "data", { get: () => (data ??= materialize()), enumerable: true, configurable: false });
  sources.set(out, x);
  return out;
}

/** The array `a` is the 2-d transpose of, when it was made by deferTranspose; else undefined. */
export function transposeSource(a: NDArray): NDArray | undefined {
  return sources.get(a);
}
