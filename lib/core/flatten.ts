// flatten(value) → [flat vector, unflatten]: containers of arrays as one float vector and back (differentiable).
// Object keys are visited in sorted order, so the layout is deterministic.
import { NDArray } from "../array/ndarray";
import { flattenTree, leafArray } from "./containers";
import { vspace } from "./vspace";

export type Unflatten<T> = (flat: NDArray) => T;

/** All numeric leaves of `value`, raveled and concatenated into one 1-d array; `unflatten` inverts it. */
export function flatten<T>(value: T): [NDArray, Unflatten<T>] {
  const tree = flattenTree(value, "flatten", "value");
  const arrays = tree.leaves.map(leafArray);
  const sizes = arrays.map((a) => a.size);
  const vs = vspace();
  const parts = arrays.map((a) => vs.reshape(a, [a.size]));
  const flat =
    parts.length === 0 ? new NDArray(new Float64Array(0), [0], "float64")
      : parts.length === 1 ? parts[0]
      : vs.concatenate(parts);
  const total = sizes.reduce((p, n) => p + n, 0);
  const unflatten = (v: NDArray): T => {
    if (!(v instanceof NDArray) || v.ndim !== 1 || v.size !== total) {
      throw new TypeError(
        `unflatten: expected a 1-d array of length ${total}, got ${v instanceof NDArray ? `shape [${v.shape.join(", ")}]` : typeof v}`,
      );
    }
    let offset = 0;
    const leaves = tree.leaves.map((leaf, i) => {
      const piece = vs.reshape(vs.slice(v, offset, offset + sizes[i]), arrays[i].shape);
      offset += sizes[i];
      if (typeof leaf === "number" && piece._box === undefined) return Number(piece.data[0]);
      return piece;
    });
    return tree.rebuild(leaves);
  };
  return [flat, unflatten];
}

/**
 * flattenFunc(f, example) → [flatF, unflatten, flatExample]: f over a container turned into a function of one
 * flat vector (for optimizers and numerical tools that want vectors).
 */
export function flattenFunc<T, R>(f: (x: T, ...rest: any[]) => R, example: T): [(flat: NDArray, ...rest: any[]) => R, Unflatten<T>, NDArray] {
  const [flatExample, unflatten] = flatten(example);
  return [(flat, ...rest) => f(unflatten(flat), ...rest), unflatten, flatExample];
}
