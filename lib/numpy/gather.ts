// The gathers numpy's structural functions are built from (takeAxis, gatherFlat), and their small helpers.
// A gather's cotangent scatter-adds, so repeated positions (repeat, tile, take, pad) accumulate gradients.
import { NDArray } from "../array/ndarray";
import { type Index, gatherPositions, index } from "./indexing";

/** A constant int32 array of positions. */
export const int32 = (list: readonly number[], shape: number[] = [list.length]): NDArray =>
  new NDArray(Int32Array.from(list), shape, "int32");

/** x at integer positions `idx` along `axis`: one gather (repeated positions accumulate gradients). */
export function takeAxis(x: NDArray, idx: readonly number[], axis: number): NDArray {
  if (idx.length === x.shape[axis] && idx.every((k, i) => k === i)) return x;
  const ix: Index[] = x.shape.map(() => ":");
  ix[axis] = int32(idx);
  return index(x, ...ix);
}

/** Gather by flat positions into `shape` (positions index the C-order storage of x, each in [0, x.size)). */
export function gatherFlat(x: NDArray, positions: Int32Array, shape: number[]): NDArray {
  return gatherPositions(x, positions, shape);
}

/** a mod n in [0, n): wraps a (negative) position onto an axis of length n. */
export const mod = (a: number, n: number): number => ((a % n) + n) % n;
