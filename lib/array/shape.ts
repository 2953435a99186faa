// Shapes, strides, axes and broadcasting: pure functions on number[].
import { ShapeError, ValueError } from "./errors";

export type Shape = number[];

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** C-order (row-major) strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const fmtShape = (s: readonly number[]): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/** numpy broadcasting of two shapes; throws a ShapeError naming the operation and both shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = "broadcast"): number[] {
  if (shapesEqual(a, b)) return a.slice();
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `${op}: operands could not be broadcast together with shapes ${fmtShape(a)} and ${fmtShape(b)}`,
      );
    }
  }
  return out;
}

export function broadcastMany(shapes: readonly (readonly number[])[], op = "broadcast"): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastShapes(out, s, op);
  return out;
}

/** Normalizes a possibly negative axis against ndim, with a numpy-like error. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: axis must be an integer, got ${String(axis)}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) {
    throw new ValueError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return a;
}

/** axis option (undefined | null | number | number[]) to a sorted list of distinct axes. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number, op: string): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : Array.from(axis);
  const out = list.map((a) => normalizeAxis(a, ndim, op));
  const seen = new Set(out);
  if (seen.size !== out.length) throw new ValueError(`${op}: repeated axis in ${JSON.stringify(axis)}`);
  return out.sort((x, y) => x - y);
}

/** Shape after reducing `axes` (kept as size 1 when keepdims). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

export function checkShape(shape: unknown, op: string): number[] {
  const list = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${op}: shape must be a non-negative integer or an array of them, got ${JSON.stringify(shape)}`);
  }
  return list.slice();
}
