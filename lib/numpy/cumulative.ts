// Differences and cumulative products: diff, cumprod (cumsum is with the sums, in reductions.ts).
import { type DType } from "../array/dtype";
import { type ArrayLike, castArray, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { normalizeAxis } from "../array/shape";
import { getValue } from "../core/tracer";
import { arr, intArg, options, params } from "./args";
import { multiply, not_equal, subtract } from "./binary";
import { astype, broadcast_to } from "./basis";
import { slice1 } from "./indexing";
import { concatenate } from "./join";
import { ravel } from "./shape";

// ---- differences ---------------------------------------------------------------------------------------------------

/** np.diff(a, n = 1, axis = -1, { prepend, append }): n-th discrete difference along an axis. */
export function diff(
  a: ArrayLike,
  ...rest: (number | { n?: number; axis?: number; prepend?: ArrayLike; append?: ArrayLike } | undefined)[]
): NDArray {
  const where = "np.diff";
  let x = arr(a, where);
  const o = params(where, rest, ["n", "axis"], ["prepend", "append"]);
  const n = intArg(o.n, where, "n", 1);
  if (n < 0) throw new ValueError(`${where}: order must be non-negative but got ${n}`);
  if (x.ndim === 0) throw new ValueError(`${where}: diff requires input that is at least one dimensional`);
  const ax = normalizeAxis(intArg(o.axis, where, "axis", -1), x.ndim, where);
  if (n === 0) return x;
  const edge = (v: unknown) => {
    const e = arr(v as ArrayLike, where);
    if (e.ndim > 0) return e;
    const shape = x.shape.slice();
    shape[ax] = 1;
    return broadcast_to(e, shape);
  };
  if (o.prepend !== undefined || o.append !== undefined) {
    x = concatenate([...(o.prepend !== undefined ? [edge(o.prepend)] : []), x, ...(o.append !== undefined ? [edge(o.append)] : [])], { axis: ax });
  }
  for (let k = 0; k < n; k++) {
    const len = x.shape[ax];
    if (len === 0) break;
    const hi = slice1(x, ax, 1, len), lo = slice1(x, ax, 0, len - 1);
    x = x.dtype === "bool" ? not_equal(hi, lo) : subtract(hi, lo);
  }
  return x;
}

// ---- cumprod --------------------------------------------------------------------------------------------------------

/**
 * np.cumprod(a, axis?): cumulative product (of the flattened array without axis). Computed as a log-depth
 * scan of multiplications (Hillis–Steele), so its gradient is exact even where the input has zeros.
 */
export function cumprod(a: ArrayLike, axis?: number | null | { axis?: number | null; dtype?: DType }): NDArray {
  const where = "np.cumprod";
  let x = arr(a, where);
  const o = options(where, axis, ["axis", "dtype"], true);
  if (o.dtype !== undefined && o.dtype !== null) x = astype(x, o.dtype);
  if (x.dtype === "bool") x = castArray(getValue(x), "int32");
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = ravel(x);
    ax = 0;
  } else ax = normalizeAxis(o.axis as number, x.ndim, where);
  const n = x.shape[ax];
  let y = x;
  for (let d = 1; d < n; d *= 2) {
    y = concatenate([slice1(y, ax, 0, d), multiply(slice1(y, ax, d, n), slice1(y, ax, 0, n - d))], { axis: ax });
  }
  return y;
}
