// Argument handling shared by every np function: array conversion and numpy-style options objects.
import { type ArrayLike, NDArray, asNDArray, describe, fromNested } from "../array/ndarray";
import { normalizeAxes } from "../array/shape";
import { getValue } from "../core/tracer";
import { vspace } from "../core/vspace";

/** An array argument: NDArrays pass through (traced ones too), JS numbers stay numbers (numpy's weak scalars). */
export type Operand = NDArray | number;

export function operand(x: ArrayLike, where: string): Operand {
  if (x instanceof NDArray || typeof x === "number") return x;
  if (Array.isArray(x) && containsTraced(x)) return stackNested(x);
  if (typeof x === "boolean" || Array.isArray(x) || (typeof x === "object" && x !== null)) return asNDArray(x, where);
  throw new TypeError(`${where}: expected an array, a number or a nested array of numbers, got ${describe(x)}`);
}

export function arr(x: ArrayLike, where: string): NDArray {
  if (x instanceof NDArray) return x;
  if (Array.isArray(x) && containsTraced(x)) return stackNested(x); // stacked differentiably
  if (typeof x === "number" || typeof x === "boolean" || Array.isArray(x) || (typeof x === "object" && x !== null)) {
    return asNDArray(x, where);
  }
  throw new TypeError(`${where}: expected an array, a number or a nested array of numbers, got ${describe(x)}`);
}

/**
 * Validates a numpy-style options object: unknown keys throw, naming the function and the accepted keys.
 * A bare number (or array of numbers) is accepted as `axis` where numpy's second positional parameter is axis.
 */
export function options<K extends string>(
  where: string,
  given: unknown,
  allowed: readonly K[],
  axisShorthand = false,
): Partial<Record<K, any>> {
  if (given === undefined || given === null) return {};
  if (axisShorthand && (typeof given === "number" || Array.isArray(given))) return { axis: given } as any;
  if (typeof given !== "object" || Array.isArray(given) || given instanceof NDArray) {
    throw new TypeError(`${where}: expected an options object { ${allowed.join(", ")} }, got ${describe(given)}`);
  }
  for (const key of Object.keys(given)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new TypeError(
        `${where}: unknown option '${key}'; expected one of ${allowed.map((k) => `'${k}'`).join(", ")}`,
      );
    }
  }
  return given as Partial<Record<K, any>>;
}

export type Axis = number | number[] | null | undefined;

export function axesOf(axis: Axis, ndim: number, where: string): number[] {
  return normalizeAxes(axis, ndim, where);
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A complex scalar written as a plain object { re, im }. */
export const isComplexValue = (v: unknown): v is { re: number; im: number } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof NDArray) && "re" in v && "im" in v && Object.keys(v).length === 2;

/** A trailing numpy-keywords object (not an array, an NDArray, null or a complex value {re, im}). */
export const isOptionsObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof NDArray) && !isComplexValue(v);

/**
 * numpy parameters after the array: positional values in numpy's order, and/or a trailing options object
 * holding any of them by name (plus the keyword-only `extra` names). Unknown keys and duplicates throw.
 */
export function params(where: string, rest: readonly unknown[], names: readonly string[], extra: readonly string[] = []): Record<string, any> {
  const pos = rest.slice();
  while (pos.length && pos[pos.length - 1] === undefined) pos.pop();
  let opts: Record<string, unknown> = {};
  if (pos.length && isOptionsObject(pos[pos.length - 1])) opts = options(where, pos.pop(), [...names, ...extra]);
  if (pos.length > names.length) {
    throw new TypeError(
      `${where}: takes at most ${names.length} positional argument(s) after the array (${names.join(", ")}), got ${pos.length}`,
    );
  }
  const out: Record<string, unknown> = { ...opts };
  pos.forEach((v, i) => {
    if (v === undefined) return;
    if (opts[names[i]] !== undefined) throw new TypeError(`${where}: got multiple values for argument '${names[i]}'`);
    out[names[i]] = v;
  });
  return out;
}

/**
 * A nested JS list holding traced values (np.array([x[0], 2 * x[1]]) in differentiated code), stacked
 * differentiably, as autograd does, instead of being copied out of the trace.
 */
export function stackNested(x: readonly unknown[]): NDArray {
  const build = (v: unknown): NDArray =>
    Array.isArray(v) ? vspace().stack(v.map(build)) : v instanceof NDArray ? v : fromNested(v, undefined, "np.array");
  return build(x);
}

/** Whether a nested JS list holds traced values (they must be stacked, not copied). */
export function containsTraced(x: readonly unknown[]): boolean {
  return x.some((v) => (Array.isArray(v) ? containsTraced(v) : v instanceof NDArray && v._box !== undefined));
}

/** A list of integers from a number, JS array or NDArray (constants only). */
export function intList(v: unknown, where: string, what: string): number[] {
  const list = typeof v === "number" ? [v] : Array.from(getValue(arr(v as ArrayLike, where)).data as Iterable<number>);
  for (const k of list) {
    if (!Number.isInteger(k)) throw new TypeError(`${where}: ${what} must be integers, got ${k}`);
  }
  return list;
}

/** An optional integer argument (`dflt` when undefined or null). */
export function intArg(v: unknown, where: string, what: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`${where}: ${what} must be an integer, got ${describe(v)}`);
  return v;
}

/** Plain (unboxed) array of a constant argument. */
export const plain = (x: ArrayLike, where: string): NDArray => getValue(arr(x, where));
