// take and take_along_axis: gathers along an axis (a gather's cotangent scatter-adds, so repeated positions
// accumulate gradients).
import { isComplex } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { IndexError, ShapeError, ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis, shapeSize, stridesOf } from "../array/shape";
import { arr, options, params, plain } from "./args";
import { index, type Index } from "./indexing";
import { ravel } from "./shape";
import { gatherFlat, mod } from "./gather";

// ---- take, take_along_axis -----------------------------------------------------------------------------------------

type TakeMode = "raise" | "wrap" | "clip";

/** Integer positions along an axis of length n, normalized per numpy's take modes. */
function normalizeIndices(where: string, idx: NDArray, n: number, axis: number, mode: TakeMode): Int32Array {
  const out = new Int32Array(idx.size);
  if (idx.dtype === "bool" || isComplex(idx.dtype)) {
    throw new IndexError(`${where}: indices must be integers, got dtype ${idx.dtype}`);
  }
  if (idx.dtype === "int32" && mode === "raise") { // the usual case, in one monomorphic loop
    const d = idx.data as Int32Array;
    for (let i = 0; i < idx.size; i++) {
      const k = d[i];
      if (k < -n || k >= n) throw new IndexError(`${where}: index ${k} is out of bounds for axis ${axis} with size ${n}`);
      out[i] = k < 0 ? k + n : k;
    }
    return out;
  }
  for (let i = 0; i < idx.size; i++) {
    const k = Number(idx.data[i]);
    if (!Number.isInteger(k)) throw new IndexError(`${where}: indices must be integers, got ${k}`);
    if (mode === "wrap") {
      if (n === 0) throw new IndexError(`${where}: cannot do a non-empty take from an empty axis ${axis}`);
      out[i] = mod(k, n);
    } else if (mode === "clip") {
      if (n === 0) throw new IndexError(`${where}: cannot do a non-empty take from an empty axis ${axis}`);
      out[i] = Math.min(Math.max(k, 0), n - 1);
    } else {
      if (k < -n || k >= n) throw new IndexError(`${where}: index ${k} is out of bounds for axis ${axis} with size ${n}`);
      out[i] = k < 0 ? k + n : k;
    }
  }
  return out;
}

/**
 * np.take(a, indices, axis?, { mode }): elements at `indices` along an axis (of the flattened array without
 * axis). The result has shape a.shape[:axis] + indices.shape + a.shape[axis+1:]; repeated indices accumulate
 * gradients.
 */
export function take(
  a: ArrayLike,
  indices: ArrayLike,
  ...rest: (number | null | { axis?: number | null; mode?: TakeMode } | undefined)[]
): NDArray {
  const where = "np.take";
  let x = arr(a, where);
  const o = params(where, rest, ["axis"], ["mode"]);
  const mode = (o.mode ?? "raise") as TakeMode;
  if (!["raise", "wrap", "clip"].includes(mode)) {
    throw new ValueError(`${where}: mode must be "raise", "wrap" or "clip", got ${JSON.stringify(mode)}`);
  }
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis as number, x.ndim, where);
  const idx = plain(indices, where);
  const pos = normalizeIndices(where, idx, x.shape[ax], ax, mode);
  // one gather at flat positions: out[o, j, i] = x[o, pos[j], i] (the positions are checked above)
  const n = x.shape[ax], inner = shapeSize(x.shape.slice(ax + 1)), outer = shapeSize(x.shape.slice(0, ax));
  const m = pos.length, positions = outer === 1 && inner === 1 ? pos : new Int32Array(outer * m * inner);
  if (positions !== pos) for (let o = 0, k = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const src = (o * n + pos[j]) * inner;
      for (let i = 0; i < inner; i++, k++) positions[k] = src + i;
    }
  return gatherFlat(x, positions, [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)]);
}

/**
 * np.take_along_axis(arr, indices, axis = -1): out[..., j, ...] = arr[..., indices[..., j, ...], ...], with
 * indices and arr broadcast against each other on the other axes (axis null: flattened arr, 1-d indices).
 * Pairs with argsort/argmax(keepdims) results.
 */
export function take_along_axis(arr_: ArrayLike, indices: ArrayLike, axis?: number | null | { axis?: number | null }): NDArray {
  const where = "np.take_along_axis";
  let x = arr(arr_, where);
  const o = axis === null ? { axis: null } : options(where, axis, ["axis"], true);
  const idx = plain(indices, where);
  let ax: number;
  if (o.axis === null) {
    if (idx.ndim !== 1) throw new ValueError(`${where}: when axis=None, \`indices\` must have a single dimension, got shape ${fmtShape(idx.shape)}`);
    x = ravel(x);
    ax = 0;
  } else {
    if (idx.ndim !== x.ndim) {
      throw new ValueError(
        `${where}: \`indices\` and \`arr\` must have the same number of dimensions, got ${idx.ndim} and ${x.ndim}`,
      );
    }
    ax = normalizeAxis((o.axis as number | undefined) ?? -1, x.ndim, where);
  }
  const n = x.shape[ax];
  const pos = normalizeIndices(where, idx, n, ax, "raise");
  // output shape: indices' length along the axis, broadcast with arr elsewhere
  const others = x.shape.map((d, i) => (i === ax ? 1 : d));
  const idxOthers = idx.shape.map((d, i) => (i === ax ? 1 : d));
  let bshape: number[];
  try {
    bshape = broadcastShapes(others, idxOthers);
  } catch {
    throw new ShapeError(`${where}: shape mismatch: indices of shape ${fmtShape(idx.shape)} cannot be broadcast against arr of shape ${fmtShape(x.shape)} (outside axis ${ax})`);
  }
  const outShape = bshape.map((d, i) => (i === ax ? idx.shape[ax] : d));
  const nd = outShape.length;
  const xs = stridesOf(x.shape), is = stridesOf(idx.shape);
  const total = shapeSize(outShape);
  const positions = new Int32Array(total);
  const ctr = new Array<number>(nd).fill(0);
  for (let k = 0; k < total; k++) {
    let src = 0, ip = 0;
    for (let d = 0; d < nd; d++) {
      const c = ctr[d];
      ip += (idx.shape[d] === 1 ? 0 : c) * is[d];
      if (d !== ax) src += (x.shape[d] === 1 ? 0 : c) * xs[d];
    }
    positions[k] = src + pos[ip] * xs[ax];
    for (let d = nd - 1; d >= 0; d--) {
      if (++ctr[d] < outShape[d]) break;
      ctr[d] = 0;
    }
  }
  return gatherFlat(x, positions, outShape);
}
