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
  // containers on the path from the root to the current value, with their paths: a container met again while it
  // is still open contains itself (a cycle), which would recurse forever
  const open = new Map<object, string>();
  const enter = (v: object, p: string) => {
    const at = open.get(v);
    if (at !== undefined) {
      throw new TypeError(
        `${where}: the argument contains a cycle at ${p || "the top level"}: this is the same container as ${at || "the argument itself"}, ` +
          `which contains it; expected a tree of numbers and NDArrays in arrays and plain objects`,
      );
    }
    open.set(v, p);
  };
  const walk = (v: unknown, p: string): ((next: () => unknown) => unknown) => {
    if (v instanceof NDArray || typeof v === "number") {
      leaves.push(v);
      paths.push(p);
      return (next) => next();
    }
    if (Array.isArray(v)) {
      enter(v, p);
      const parts = v.map((e, i) => walk(e, `${p}[${i}]`));
      open.delete(v);
      return (next) => parts.map((build) => build(next));
    }
    if (isPlainObject(v)) {
      enter(v, p);
      const keys = sortedKeys(v);
      const parts = keys.map((k) => walk(v[k], `${p}.${k}`));
      open.delete(v);
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
  // integer and boolean leaves were differentiated as float64: their gradients stay float64 (autograd's rule)
  if (leaf.dtype === "int32" || leaf.dtype === "bool") return g.dtype === "float64" || g.dtype === "complex128" ? g : castTo(g, "float64");
  return g.dtype === leaf.dtype ? g : castTo(g, leaf.dtype);
}
