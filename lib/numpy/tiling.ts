// Repeating and padding: repeat, tile, pad (gathers of the input; repeated positions accumulate gradients).
import { broadcastTo } from "../array/kernels";
import { type ArrayLike, castArray, NDArray, scalar } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { broadcastShapes, fmtShape, normalizeAxis, shapesEqual } from "../array/shape";
import { getValue } from "../core/tracer";
import { arr, intList, type Operand, options, params, plain, range } from "./args";
import { astype, broadcast_to, reshape } from "./basis";
import { index } from "./indexing";
import { concatenate } from "./join";
import { ravel } from "./shape";
import { mod, takeAxis } from "./gather";

// ---- repetition: repeat, tile ----------------------------------------------------------------------------------

/** np.repeat(a, repeats, axis?): each element repeated `repeats` times (an int, or one count per element). */
export function repeat(a: ArrayLike, repeats: ArrayLike, axis?: number | null | { axis?: number | null }): NDArray {
  let x = arr(a, "np.repeat");
  const o = options("np.repeat", axis, ["axis"], true);
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis, x.ndim, "np.repeat");
  const n = x.shape[ax];
  const r = typeof repeats === "number" ? null : plain(repeats, "np.repeat");
  if (r && r.ndim > 1) throw new ValueError(`np.repeat: repeats must be an integer or a 1-d array, got shape ${fmtShape(r.shape)}`);
  let counts = intList(repeats, "np.repeat", "repeats");
  if (counts.length === 1) counts = new Array<number>(n).fill(counts[0]);
  else if (counts.length !== n) {
    throw new ValueError(`np.repeat: repeats of length ${counts.length} cannot be broadcast to axis ${ax} of length ${n}`);
  }
  if (counts.some((c) => c < 0)) throw new ValueError(`np.repeat: repeats may not contain negative values, got ${JSON.stringify(counts)}`);
  const idx: number[] = [];
  counts.forEach((c, i) => {
    for (let j = 0; j < c; j++) idx.push(i);
  });
  return takeAxis(x, idx, ax);
}

/** np.tile(A, reps): A repeated reps[i] times along each axis (reps padded with ones on the left, as numpy). */
export function tile(A: ArrayLike, reps: number | readonly number[]): NDArray {
  const x = arr(A, "np.tile");
  let r = intList(reps, "np.tile", "reps");
  if (r.some((k) => k < 0)) throw new ValueError(`np.tile: reps must be non-negative, got ${JSON.stringify(r)}`);
  let shape = x.shape.slice();
  if (shape.length < r.length) shape = [...new Array<number>(r.length - shape.length).fill(1), ...shape];
  if (r.length < shape.length) r = [...new Array<number>(shape.length - r.length).fill(1), ...r];
  if (r.every((k) => k === 1)) return reshape(x, shape);
  // interleave size-1 axes, broadcast them to the repetition counts, then merge each pair
  const spread = shape.flatMap((d) => [1, d]);
  const target = shape.flatMap((d, i) => [r[i], d]);
  return reshape(broadcast_to(reshape(x, spread), target), shape.map((d, i) => d * r[i]));
}

// ---- pad ---------------------------------------------------------------------------------------------------------

type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap" | "empty";
const PAD_MODES: readonly PadMode[] = ["constant", "edge", "reflect", "symmetric", "wrap", "empty"];

/** numpy's per-axis (before, after) pairs: a scalar, (k,), (before, after), ((b, a),) or one pair per axis. */
function padPairs(where: string, what: string, v: unknown, ndim: number): number[][] {
  const a = plain(v as ArrayLike, where);
  let ok = a.ndim <= 2;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes(a.shape, [ndim, 2]), [ndim, 2]);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new ValueError(
      `${where}: ${what} of shape ${fmtShape(a.shape)} cannot be broadcast to (${ndim}, 2), one (before, after) pair per axis`,
    );
  }
  const b = broadcastTo(castArray(a, "float64"), [ndim, 2]);
  return range(ndim).map((i) => [Number(b.data[2 * i]), Number(b.data[2 * i + 1])]);
}

/** Source position along an axis of length n for padded coordinate j (j < 0 before the data, j >= n after it). */
function padSource(mode: PadMode, j: number, n: number): number {
  if (j >= 0 && j < n) return j;
  switch (mode) {
    case "edge":
      return j < 0 ? 0 : n - 1;
    case "wrap":
      return mod(j, n);
    case "symmetric": {
      const m = mod(j, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    default: {
      // reflect (without repeating the edge), periodic with period 2(n - 1)
      if (n === 1) return 0;
      const m = mod(j, 2 * (n - 1));
      return m < n ? m : 2 * (n - 1) - m;
    }
  }
}

/**
 * np.pad(array, pad_width, mode = "constant", { constant_values }): modes "constant" (differentiable in the
 * constant values too), "edge", "reflect", "symmetric", "wrap" (and "empty", filled with zeros).
 */
export function pad(
  array: ArrayLike,
  pad_width: number | readonly number[] | readonly (readonly number[])[] | NDArray,
  ...rest: (PadMode | { mode?: PadMode; constant_values?: ArrayLike; reflect_type?: "even" } | undefined)[]
): NDArray {
  const where = "np.pad";
  const x = arr(array, where);
  const o = params(where, rest, ["mode"], ["constant_values", "reflect_type"]);
  const mode = (o.mode ?? "constant") as PadMode;
  if (!PAD_MODES.includes(mode)) {
    throw new ValueError(`${where}: mode ${JSON.stringify(mode)} is not supported; expected one of ${PAD_MODES.map((m) => `"${m}"`).join(", ")}`);
  }
  if (o.reflect_type !== undefined && o.reflect_type !== "even") {
    throw new ValueError(`${where}: reflect_type ${JSON.stringify(o.reflect_type)} is not supported; only "even" is`);
  }
  if (o.constant_values !== undefined && mode !== "constant") {
    throw new ValueError(`${where}: unsupported keyword argument 'constant_values' for mode ${JSON.stringify(mode)}`);
  }
  const widths = padPairs(where, "pad_width", pad_width, x.ndim);
  for (const w of widths.flat()) {
    if (!Number.isInteger(w) || w < 0) throw new ValueError(`${where}: pad_width must contain non-negative integers, got ${w}`);
  }
  let y = x;
  if (mode === "constant" || mode === "empty") {
    const cv = o.constant_values ?? 0;
    const cvArr = typeof cv === "number" ? null : arr(cv as ArrayLike, where);
    const scalarCv = cvArr === null || cvArr.ndim === 0;
    if (!scalarCv) padPairs(where, "constant_values", getValue(cvArr!), x.ndim); // validates the shape
    for (let ax = 0; ax < x.ndim; ax++) {
      const [before, after] = widths[ax];
      if (before === 0 && after === 0) continue;
      const value = (side: 0 | 1): Operand => {
        if (scalarCv) return cvArr ?? (cv as number);
        // the value for (axis, side) from a broadcastable (ndim, 2) array, kept differentiable
        const c2 = cvArr!.ndim === 2 ? cvArr! : reshape(cvArr!, [1, cvArr!.size]);
        return index(c2, c2.shape[0] === 1 ? 0 : ax, c2.shape[1] === 1 ? 0 : side);
      };
      const block = (width: number, side: 0 | 1) => {
        const shape = y.shape.slice();
        shape[ax] = width;
        // a block of the constant, in the result dtype of x (numpy keeps x's dtype)
        const v = value(side);
        return broadcast_to(typeof v === "number" ? scalar(v, x.dtype) : astype(v, x.dtype), shape);
      };
      const parts: NDArray[] = [];
      if (before > 0) parts.push(block(before, 0));
      parts.push(y);
      if (after > 0) parts.push(block(after, 1));
      y = concatenate(parts, { axis: ax });
    }
    return y;
  }
  for (let ax = 0; ax < x.ndim; ax++) {
    const [before, after] = widths[ax];
    if (before === 0 && after === 0) continue;
    const n = x.shape[ax];
    if (n === 0) {
      throw new ValueError(`${where}: can't extend empty axis ${ax} using modes other than "constant" or "empty"`);
    }
    y = takeAxis(y, range(before + n + after).map((i) => padSource(mode, i - before, n)), ax);
  }
  return y;
}
