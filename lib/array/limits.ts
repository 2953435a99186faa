// The allocation limit: every typed-array allocation of an array is checked against it BEFORE allocating, so an
// accidental np.ones([2**31]) or np.zeros([1e6, 1e6]) fails at once with numpy's message
//   np.zeros: unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) and dtype float64
// instead of hanging the machine while the OS swaps, or throwing V8's bare "Invalid typed array length".
//
// The limit defaults to a quarter of the machine's memory (os.totalmem() / 4; 4 GiB where that is unknown), and
// can be set with the environment variable GRADLAB_MAX_ARRAY_BYTES (bytes, or with a unit: "512MiB", "8GB",
// "2e9") or at run time with setAllocationLimit(bytes) (Infinity turns the check off; null restores the default).
//
// Cost on the hot path: one multiplication and one comparison per allocation (checkAllocation); the message is
// only built when the check fails. allocate() in dtype.ts calls checkAllocation with the element count; creation
// functions (np.zeros, np.ones, np.full, np.eye, np.arange, ...) call it first with their name and shape, so
// their errors name both.
import { totalmem } from "node:os";
import { MemoryError, ValueError } from "./errors";

// dtype names spelled here, not imported: dtype.ts calls this module (no import cycle)
const BYTES = { float64: 8, float32: 4, int32: 4, bool: 1, complex128: 16 } as const;
type DType = keyof typeof BYTES;

function machineDefault(): number {
  try {
    const total = totalmem();
    if (Number.isFinite(total) && total > 0) return Math.floor(total / 4);
  } catch {
    /* not Node: fall through */
  }
  return 4 * 2 ** 30;
}

const UNITS: Record<string, number> = {
  "": 1, b: 1, k: 1e3, kb: 1e3, kib: 2 ** 10, m: 1e6, mb: 1e6, mib: 2 ** 20, g: 1e9, gb: 1e9, gib: 2 ** 30, t: 1e12, tb: 1e12, tib: 2 ** 40,
};

/** Parses "1073741824", "2e9", "512MiB", "8 GB", "inf" (no limit). Throws a ValueError naming the variable otherwise. */
export function parseBytes(text: string, where = "GRADLAB_MAX_ARRAY_BYTES"): number {
  const t = text.trim().toLowerCase();
  if (t === "inf" || t === "infinity" || t === "none") return Infinity;
  const m = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)$/.exec(t);
  if (!m || !(m[2] in UNITS)) {
    throw new ValueError(`${where}: expected a number of bytes such as 4294967296, "512MiB" or "8GB", got ${JSON.stringify(text)}`);
  }
  return Number(m[1]) * UNITS[m[2]];
}

function initialLimit(): number {
  const env = typeof process !== "undefined" ? process.env?.GRADLAB_MAX_ARRAY_BYTES : undefined;
  return env ? parseBytes(env) : machineDefault();
}

let limit = initialLimit();

/** The current limit in bytes for one array. */
export const allocationLimit = (): number => limit;

/**
 * Sets the largest array (in bytes) gradlab will allocate; returns the previous limit. `Infinity` disables the
 * check; `null` restores the default (GRADLAB_MAX_ARRAY_BYTES, else a quarter of the machine's memory).
 */
export function setAllocationLimit(bytes: number | null): number {
  const prev = limit;
  if (bytes === null) limit = initialLimit();
  else if (typeof bytes !== "number" || Number.isNaN(bytes) || bytes < 0) {
    throw new ValueError(`setAllocationLimit: bytes must be a non-negative number (or Infinity, or null for the default), got ${String(bytes)}`);
  } else limit = bytes;
  return prev;
}

/** numpy's size formatting: "7.28 TiB", "16.0 GiB", "800 bytes". */
export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  if (n < 1024) return `${Math.round(n)} bytes`;
  let i = Math.min(units.length - 1, Math.floor(Math.log2(n) / 10));
  let v = n / 2 ** (10 * i);
  if (Math.round(v) >= 1024 && i < units.length - 1) { i++; v /= 1024; }
  return `${Math.round(v) < 1000 ? v.toPrecision(3) : v.toFixed(0)} ${units[i]}`;
}

const fmtShape = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/**
 * Throws a MemoryError when `size` elements of `dtype` exceed the limit (or when size is not a valid length).
 * `where` and `shape` are only used in the message.
 */
export function checkAllocation(size: number, dtype: DType, where?: string, shape?: readonly number[]): void {
  if (size * BYTES[dtype] <= limit && size >= 0) return;
  fail(size, dtype, where, shape);
}

function fail(size: number, dtype: DType, where?: string, shape?: readonly number[]): never {
  const prefix = where ? `${where}: ` : "";
  const what = shape ? `shape ${fmtShape(shape)}` : `${size} elements`;
  if (!(size >= 0) || !Number.isFinite(size)) {
    throw new ValueError(`${prefix}invalid array size ${size} for an array with ${what}; expected a non-negative integer number of elements`);
  }
  const bytes = size * (BYTES[dtype] ?? 8);
  throw new MemoryError(
    `${prefix}unable to allocate ${formatBytes(bytes)} for an array with ${what} and dtype ${dtype} ` +
      `(the limit for one array is ${formatBytes(limit)}; change it with setAllocationLimit(bytes) or the ` +
      `GRADLAB_MAX_ARRAY_BYTES environment variable)`,
  );
}
