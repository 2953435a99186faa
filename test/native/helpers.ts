// Helpers for the native-backend tests: run a computation on both backends, compare, measure ulps.
import { expect } from "vitest";
import * as fs from "fs";
import { disableNative, nativeAddon } from "../../lib/array/native";
import { rng } from "../helpers";

export const nat = nativeAddon();

/** True where `npm run setup` must have built the addon: Linux with OpenBLAS's library and a C compiler, and the
 *  tests not forced onto the wasm backend. */
export function nativeExpected(): boolean {
  if (process.env.GRADLAB_BACKEND === "wasm" || process.platform !== "linux") return false;
  const blas = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
    .some((d) => fs.existsSync(`${d}/libopenblas.so`));
  const cc = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/local/bin/cc"].some((f) => fs.existsSync(f));
  return blas && cc;
}

/** f() on the native backend, then on the wasm backend (the addon disabled). */
export function onBoth<T>(f: () => T): [native: T, wasm: T] {
  const a = f();
  disableNative(true);
  try {
    return [a, f()];
  } finally {
    disableNative(false);
  }
}

/** Uniform values in [-1, 1) from a seeded generator. */
export function uniform(seed: number, n: number): Float64Array {
  const next = rng(seed);
  return Float64Array.from({ length: n }, () => 2 * next() - 1);
}

/** |a - b| ≤ rtol·max|b| for every element (relative to the result's scale, so cancellation cannot fail it). */
export function closeRel(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-12, label = ""): void {
  expect(a.length, label).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    const ok = Number.isNaN(b[i]) ? Number.isNaN(a[i]) : Math.abs(a[i] - b[i]) <= rtol * scale || a[i] === b[i];
    if (!ok) expect.fail(`${label}[${i}]: ${a[i]} vs ${b[i]} (tolerance ${rtol * scale})`);
  }
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
/** Position of x on the line of doubles (monotone; -0 and +0 coincide), so ulps(a, b) = |ord(a) - ord(b)|. */
function ord(x: number): bigint {
  f64[0] = x;
  const v = i64[0];
  return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
}

/** Distance in units in the last place; 0 when both are NaN or equal, Infinity when only one is NaN. */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const d = ord(a) - ord(b);
  return Number(d < 0n ? -d : d);
}
