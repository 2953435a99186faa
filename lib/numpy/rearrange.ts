// Rearranging elements: roll, flip, flipud, fliplr, rot90 (gathers along axes, so gradients route back).
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { normalizeAxis } from "../array/shape";
import { arr, axesOf, type Axis, intArg, intList, options, params, range } from "./args";
import { index } from "./indexing";
import { reshape, transpose } from "./basis";
import { ravel } from "./shape";
import { mod, takeAxis } from "./gather";

// ---- reordering: roll, flip, rot90 -----------------------------------------------------------------------------

/** np.roll(a, shift, axis?): elements shifted cyclically; without axis the flattened array is rolled. */
export function roll(a: ArrayLike, shift: number | readonly number[], axis?: Axis | { axis?: Axis }): NDArray {
  const x = arr(a, "np.roll");
  const o = options("np.roll", axis, ["axis"], true);
  if (o.axis === undefined || o.axis === null) return reshape(roll(ravel(x), shift, 0), x.shape);
  const shifts = intList(shift, "np.roll", "shift");
  const axes = (typeof o.axis === "number" ? [o.axis] : Array.from(o.axis as number[])).map((ax) =>
    normalizeAxis(ax, x.ndim, "np.roll"),
  );
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ValueError(
      `np.roll: 'shift' and 'axis' should be scalars or 1D sequences of the same length, got ${shifts.length} shifts and ${axes.length} axes`,
    );
  }
  const total = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < Math.max(shifts.length, axes.length); k++) {
    total[axes[axes.length === 1 ? 0 : k]] += shifts[shifts.length === 1 ? 0 : k];
  }
  let y = x;
  total.forEach((s, ax) => {
    const n = x.shape[ax];
    if (n === 0 || mod(s, n) === 0) return;
    y = takeAxis(y, range(n).map((i) => mod(i - s, n)), ax);
  });
  return y;
}

/** np.flip(m, axis?): reverses the order of elements along the given axes (all axes by default). */
export function flip(m: ArrayLike, axis?: Axis | { axis?: Axis }): NDArray {
  const x = arr(m, "np.flip");
  const o = options("np.flip", axis, ["axis"], true);
  const axes = axesOf(o.axis, x.ndim, "np.flip");
  if (axes.length === 0) return x;
  return index(x, ...x.shape.map((_, i) => (axes.includes(i) ? "::-1" : ":")));
}

/** np.flipud(m): flip along axis 0. */
export function flipud(m: ArrayLike): NDArray {
  const x = arr(m, "np.flipud");
  if (x.ndim < 1) throw new ValueError(`np.flipud: input must be >= 1-d, got an array of dimension ${x.ndim}`);
  return flip(x, 0);
}

/** np.fliplr(m): flip along axis 1. */
export function fliplr(m: ArrayLike): NDArray {
  const x = arr(m, "np.fliplr");
  if (x.ndim < 2) throw new ValueError(`np.fliplr: input must be >= 2-d, got an array of dimension ${x.ndim}`);
  return flip(x, 1);
}

/** np.rot90(m, k = 1, axes = [0, 1]): rotation by 90 degrees k times, from the first axis towards the second. */
export function rot90(m: ArrayLike, ...rest: (number | readonly number[] | { k?: number; axes?: readonly number[] } | undefined)[]): NDArray {
  const x = arr(m, "np.rot90");
  const o = params("np.rot90", rest, ["k", "axes"]);
  const k0 = intArg(o.k, "np.rot90", "k", 1);
  const axes = (o.axes ?? [0, 1]) as number[];
  if (!Array.isArray(axes) || axes.length !== 2) {
    throw new ValueError(`np.rot90: len(axes) must be 2, got axes ${JSON.stringify(axes)}`);
  }
  if (axes[0] === axes[1] || Math.abs(axes[0] - axes[1]) === x.ndim) {
    throw new ValueError(`np.rot90: axes must be different, got axes ${JSON.stringify(axes)} for an array of dimension ${x.ndim}`);
  }
  if (axes.some((a) => !Number.isInteger(a) || a >= x.ndim || a < -x.ndim)) {
    throw new ValueError(`np.rot90: axes=${JSON.stringify(axes)} out of range for array of ndim=${x.ndim}`);
  }
  const [a0, a1] = axes.map((a) => normalizeAxis(a, x.ndim, "np.rot90"));
  const k = mod(k0, 4);
  if (k === 0) return x;
  if (k === 2) return flip(flip(x, a0), a1);
  const perm = range(x.ndim);
  [perm[a0], perm[a1]] = [perm[a1], perm[a0]];
  return k === 1 ? transpose(flip(x, a1), perm) : flip(transpose(x, perm), a1);
}
