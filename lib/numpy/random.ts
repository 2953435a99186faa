// np.random: seeded sampling on @stdlib's Mersenne Twister (MT19937) and normal sampler.
// The streams differ from numpy's (different algorithms), but a seed always gives the same numbers.
import { allocate } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { ValueError } from "../array/errors";
import { checkShape, shapeSize } from "../array/shape";
import { arr } from "./args";
import { index } from "./indexing";

interface Generator {
  uniform01(): number;
  normal(): number;
  uint32(): number;
}

function makeGenerator(seed?: number): Generator {
  // stdlib's MT19937 takes seeds in 1..2^32-1; numpy's seed 0 is valid, so seeds are shifted by one.
  const mt19937 = require("@stdlib/random-base-mt19937");
  const normalFactory = require("@stdlib/random-base-normal");
  const prng: any = seed === undefined ? mt19937.factory() : mt19937.factory({ seed: (seed >>> 0) + 1 });
  const normal = normalFactory.factory({ prng: prng.normalized });
  return { uniform01: () => prng.normalized(), normal: () => normal(0, 1), uint32: () => prng() };
}

// created on first use (loading the generator costs start-up time)
let current: Generator | null = null;
const gen: Generator = {
  uniform01: () => (current ??= makeGenerator()).uniform01(),
  normal: () => (current ??= makeGenerator()).normal(),
  uint32: () => (current ??= makeGenerator()).uint32(),
};

/** np.random.seed(n): makes every later draw reproducible. */
export function seed(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new ValueError(`np.random.seed: seed must be an integer between 0 and 2**32 - 1, got ${n}`);
  }
  current = makeGenerator(n);
}

function sizeShape(size: number | number[] | undefined | null, where: string): number[] | null {
  if (size === undefined || size === null) return null;
  return checkShape(size, where);
}

function fill(shape: number[] | null, draw: () => number, dtype: "float64" | "int32" = "float64"): NDArray | number {
  if (shape === null) return draw();
  const data = allocate(dtype, shapeSize(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new NDArray(data, shape, dtype);
}

/** Standard normal samples with the given dimensions: np.random.randn(2, 3). No arguments: one number. */
export function randn(...dims: number[]): any {
  return fill(dims.length ? checkShape(dims, "np.random.randn") : null, gen.normal);
}
/** Uniform samples in [0, 1): np.random.rand(2, 3). */
export function rand(...dims: number[]): any {
  return fill(dims.length ? checkShape(dims, "np.random.rand") : null, gen.uniform01);
}
export function random(size?: number | number[]): any {
  return fill(sizeShape(size, "np.random.random"), gen.uniform01);
}
export const random_sample = random;

export function normal(loc = 0, scale = 1, size?: number | number[]): any {
  if (scale < 0) throw new ValueError(`np.random.normal: scale must be non-negative, got ${scale}`);
  return fill(sizeShape(size, "np.random.normal"), () => loc + scale * gen.normal());
}
export function uniform(low = 0, high = 1, size?: number | number[]): any {
  return fill(sizeShape(size, "np.random.uniform"), () => low + (high - low) * gen.uniform01());
}
export const standard_normal = (size?: number | number[]) => normal(0, 1, size);

/** Integers in [low, high) (or [0, low) when high is omitted), int32. */
export function randint(low: number, high?: number | null, size?: number | number[]): any {
  if (high === undefined || high === null) {
    high = low;
    low = 0;
  }
  if (high <= low) throw new ValueError(`np.random.randint: low >= high (${low} >= ${high})`);
  const span = high - low;
  return fill(sizeShape(size, "np.random.randint"), () => low + Math.floor(gen.uniform01() * span), "int32");
}

/** A random permutation of arange(n), or of the rows of an array. */
export function permutation(x: number | ArrayLike): NDArray {
  const n = typeof x === "number" ? x : arr(x, "np.random.permutation").shape[0];
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(gen.uniform01() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  const perm = new NDArray(p, [n], "int32");
  return typeof x === "number" ? perm : index(arr(x, "np.random.permutation"), perm);
}

export function shuffle(): never {
  throw new TypeError("np.random.shuffle: arrays are immutable in gradlab; use x = np.random.permutation(x)");
}

/** Samples from a 1-d array (or arange(a)), with or without replacement, optionally weighted by p. */
export function choice(
  a: number | ArrayLike,
  size?: number | number[] | null,
  opts?: { replace?: boolean; p?: ArrayLike },
): any {
  const pool = typeof a === "number" ? null : arr(a, "np.random.choice");
  const n = typeof a === "number" ? a : pool!.size;
  const replace = opts?.replace ?? true;
  const shape = sizeShape(size, "np.random.choice");
  const count = shape ? shapeSize(shape) : 1;
  let cdf: Float64Array | null = null;
  if (opts?.p !== undefined) {
    const p = arr(opts.p, "np.random.choice");
    if (p.size !== n) throw new ValueError(`np.random.choice: p has ${p.size} entries, expected ${n} (one per candidate)`);
    cdf = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cdf[i] = acc += Number(p.data[i]);
    if (Math.abs(acc - 1) > 1e-8) throw new ValueError(`np.random.choice: probabilities do not sum to 1 (sum ${acc})`);
  }
  if (!replace && count > n) throw new ValueError(`np.random.choice: cannot take a larger sample (${count}) than the population (${n}) when replace is false`);
  const picks = new Int32Array(count);
  const taken = new Set<number>();
  for (let i = 0; i < count; i++) {
    let k: number;
    do {
      if (cdf) {
        const u = gen.uniform01() * cdf[n - 1];
        k = cdf.findIndex((c) => u < c);
        if (k < 0) k = n - 1;
      } else k = Math.floor(gen.uniform01() * n);
    } while (!replace && taken.has(k));
    taken.add(k);
    picks[i] = k;
  }
  const idx = new NDArray(picks, shape ?? [], "int32");
  if (pool === null) return shape ? idx : picks[0];
  const out = index(pool, idx);
  return shape ? out : out.item();
}
