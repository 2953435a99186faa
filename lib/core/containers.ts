// Containers ("pytrees"): numbers and NDArrays nested in JS arrays and plain objects. Differential operators
// flatten an argument to its leaves, trace each leaf, and rebuild gradients with the argument's structure.
import { NDArray, describe, scalar } from "../array/ndarray";

export type Leaf = NDArray | number;

export interface Flat {
  leaves: Leaf[];
  /** Rebuilds the structure from new leaves (numbers come back as numbers when given NDArrays of size 1). */
  rebuild(values: unknown[]): any;
  /** Paths of the leaves, like `[0].w` — for error messages. */
  paths: string[];
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof NDArray) &&
  (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

/** Object keys in sorted order (so flattening is deterministic, as autograd's dict handling). */
export const sortedKeys = (o: object): string[] => Object.keys(o).sort();

export function flattenTree(value: unknown, where: string, path = ""): Flat {
  const leaves: Leaf[] = [];
  const paths: string[] = [];
  const walk = (v: unknown, p: string): ((next: () => unknown) => unknown) => {
    if (v instanceof NDArray || typeof v === "number") {
      leaves.push(v);
      paths.push(p);
      return (next) => next();
    }
    if (Array.isArray(v)) {
      const parts = v.map((e, i) => walk(e, `${p}[${i}]`));
      return (next) => parts.map((build) => build(next));
    }
    if (isPlainObject(v)) {
      const keys = sortedKeys(v);
      const parts = keys.map((k) => walk(v[k], `${p}.${k}`));
      return (next) => {
        const out: Record<string, unknown> = {};
        keys.forEach((k, i) => (out[k] = parts[i](next)));
        return out;
      };
    }
    throw new TypeError(
      `${where}: cannot differentiate with respect to ${describe(v)}${p ? ` at ${p}` : ""}; ` +
        `expected a number, an NDArray, or arrays/plain objects nesting them`,
    );
  };
  const build = walk(value, path);
  return {
    leaves,
    paths,
    rebuild(values) {
      let i = 0;
      return build(() => values[i++]);
    },
  };
}

/** A leaf as an NDArray (numbers become 0-d float64 arrays). */
export const leafArray = (x: Leaf): NDArray => (typeof x === "number" ? scalar(x) : x);

/** Converts a gradient back to the leaf's kind: a number for a number, the leaf's dtype for arrays. */
export function gradLike(leaf: Leaf, g: NDArray, castTo: (g: NDArray, dtype: string) => NDArray): NDArray | number {
  if (typeof leaf === "number") {
    if (g._box) return g; // still being traced by an outer operator: keep it differentiable
    return Number(g.data[0]);
  }
  return g.dtype === leaf.dtype ? g : castTo(g, leaf.dtype);
}
