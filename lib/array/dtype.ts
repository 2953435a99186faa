// Data types: names, storage classes and numpy's promotion rules (the subset gradlab supports).
import { checkAllocation } from "./limits";

export type DType = "float64" | "float32" | "int32" | "bool" | "complex128";
export type TypedData = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64", "complex128"];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3, complex128: 4 };

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && x in RANK;
}

export function assertDType(x: unknown, where: string): DType {
  if (x === "float" || x === "double") return "float64";
  if (x === "int" || x === "int64") return "int32";
  if (x === "complex" || x === "complex64") return "complex128";
  if (!isDType(x)) {
    throw new TypeError(`${where}: unknown dtype ${JSON.stringify(x)}; expected one of ${DTYPES.join(", ")}`);
  }
  return x;
}

export const isComplex = (d: DType): boolean => d === "complex128";
export const isFloat = (d: DType): boolean => d === "float64" || d === "float32";
export const isInexact = (d: DType): boolean => d === "float64" || d === "float32" || d === "complex128";
export const isIntegral = (d: DType): boolean => d === "int32" || d === "bool";

/** Number of storage slots per element (complex values are stored as interleaved re, im). */
export const slotsPerElement = (d: DType): number => (d === "complex128" ? 2 : 1);

export function allocate(dtype: DType, size: number): TypedData {
  checkAllocation(size, dtype); // the allocation limit (lib/array/limits.ts): a comparison, before allocating
  switch (dtype) {
    case "float64": return new Float64Array(size);
    case "float32": return new Float32Array(size);
    case "int32": return new Int32Array(size);
    case "bool": return new Uint8Array(size);
    case "complex128": return new Float64Array(2 * size);
  }
}

/** numpy's result type for two array dtypes (int32 with float32 gives float64, as numpy does). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "complex128" || b === "complex128") return "complex128";
  if ((a === "float32" && b === "int32") || (a === "int32" && b === "float32")) return "float64";
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Result type when one operand is a JS number (a "weak" scalar, numpy's NEP 50): the array's dtype wins
 * unless the number does not fit in it (a fraction with an integer array, anything but 0/1 with bool).
 */
export function promoteWithScalar(arrayDtype: DType, value: number): DType {
  if (arrayDtype === "bool") return Number.isInteger(value) ? "int32" : "float64";
  if (arrayDtype === "int32") return Number.isInteger(value) ? "int32" : "float64";
  return arrayDtype;
}

/** dtype of results that must be inexact (true division, exp, sqrt, ...). */
export function toInexact(d: DType): DType {
  return d === "bool" || d === "int32" ? "float64" : d;
}
