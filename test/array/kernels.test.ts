// The compute kernels: broadcasting loops (coalesced dimensions, short-row and 2-d block paths), axis reductions
// ([outer, len, inner] and general), and the native elementwise path against the JS loops (same results).
import { describe, expect, it } from "vitest";
import { NDArray } from "../../lib/array/ndarray";
import { NATIVE_MIN, NATIVE_MIN_TRANSCENDENTAL, broadcastTo, coalesce, map1, map2, reduceAxes, stepSum, sumAxes } from "../../lib/array/kernels";
import { nativeAddon } from "../../lib/array/native";
import { broadcastShapes, reducedShape, shapeSize, stridesOf } from "../../lib/array/shape";
import { allocateUninit, recycle } from "../../lib/array/dtype";
import { mulberry32 } from "../../lib/util/prng";

const rng = mulberry32(7);
const rand = (shape: number[]) => new NDArray(Float64Array.from({ length: shapeSize(shape) }, () => rng() * 4 - 2), shape, "float64");

/** Element `flat` of the broadcast output read from x (naive index arithmetic). */
function naiveAt(x: NDArray, outShape: number[], flat: number): number {
  const off = outShape.length - x.shape.length;
  const xs = stridesOf(x.shape);
  let rem = flat, idx = 0;
  const os = stridesOf(outShape);
  for (let d = 0; d < outShape.length; d++) {
    const i = Math.floor(rem / os[d]);
    rem -= i * os[d];
    if (d >= off && x.shape[d - off] !== 1) idx += i * xs[d - off];
  }
  return x.data[idx];
}

const pairs: [number[], number[]][] = [
  [[7, 5], [5]], [[7, 1], [5]], [[7, 5], [7, 1]], [[1, 5], [7, 1]], [[3, 4, 5], [4, 1]], [[3, 1, 5], [1, 4, 5]],
  [[2, 3, 4, 40], [3, 1, 40]], [[40, 33], [33]], [[6, 1, 1, 3], [1, 5, 2, 1]], [[0, 5], [5]], [[4, 0], [4, 1]], [[], [3, 2]],
  [[300, 5], [5]], [[300, 1], [1, 5]],
];

describe("map2 broadcasting", () => {
  for (const [sa, sb] of pairs) {
    it(`${JSON.stringify(sa)} op ${JSON.stringify(sb)} matches naive indexing`, () => {
      const a = rand(sa), b = rand(sb);
      const out = broadcastShapes(sa, sb);
      for (const [f, name] of [[(x: number, y: number) => x - y, "subtract"], [(x: number, y: number) => x * y + 1, "fma"]] as const) {
        const r = map2(a, b, "float64", f, undefined, name);
        expect(r.shape).toEqual(out);
        for (let i = 0; i < r.size; i++) expect(r.data[i]).toBe(f(naiveAt(a, out, i), naiveAt(b, out, i)));
        const rev = map2(b, a, "float64", f, undefined, name);
        for (let i = 0; i < rev.size; i++) expect(rev.data[i]).toBe(f(naiveAt(b, out, i), naiveAt(a, out, i)));
      }
    });
  }

  it("broadcastTo materializes the same values", () => {
    for (const [sa, sb] of pairs) {
      const a = rand(sa), out = broadcastShapes(sa, sb);
      const r = broadcastTo(a, out);
      for (let i = 0; i < r.size; i++) expect(r.data[i]).toBe(naiveAt(a, out, i));
    }
  });

  it("coalesce merges contiguous dimensions and drops size-1 ones", () => {
    expect(coalesce([2, 3, 4], [12, 4, 1], [12, 4, 1])).toEqual({ shape: [24], sa: [1], sb: [1] });
    expect(coalesce([7, 1, 5], [1, 0, 0], [0, 0, 1])).toEqual({ shape: [7, 5], sa: [1, 0], sb: [0, 1] });
    expect(coalesce([3, 4, 5], [20, 5, 1], [0, 5, 1])).toEqual({ shape: [3, 20], sa: [20, 1], sb: [0, 1] });
  });
});

describe("reduceAxes", () => {
  const cases: [number[], number[]][] = [
    [[6, 5], [0]], [[6, 5], [1]], [[6, 5], [0, 1]], [[3, 4, 5], [1]], [[3, 4, 5], [0, 2]], [[3, 4, 5], [0, 1]],
    [[3, 1, 5], [1]], [[2, 3, 4, 5], [1, 3]], [[400, 3], [0]], [[3, 400], [1]], [[0, 4], [0]], [[4, 0], [1]],
  ];
  for (const [shape, axes] of cases) {
    it(`sum/max over ${JSON.stringify(axes)} of ${JSON.stringify(shape)} matches a naive loop`, () => {
      const x = rand(shape);
      const outShape = reducedShape(shape, axes, true);
      const want = new Float64Array(shapeSize(outShape));
      const wantMax = new Float64Array(want.length).fill(-Infinity);
      const xs = stridesOf(shape), os = stridesOf(outShape);
      for (let i = 0; i < x.size; i++) {
        let rem = i, o = 0;
        for (let d = 0; d < shape.length; d++) {
          const k = Math.floor(rem / xs[d]);
          rem -= k * xs[d];
          if (!axes.includes(d)) o += k * os[d];
        }
        want[o] += x.data[i];
        wantMax[o] = Math.max(wantMax[o], x.data[i]);
      }
      const s = sumAxes(x, axes, outShape, "float64");
      for (let i = 0; i < want.length; i++) expect(s.data[i]).toBeCloseTo(want[i], 12);
      const m = reduceAxes(x, axes, outShape, "float64", -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a), "max");
      expect(Array.from(m.data)).toEqual(Array.from(wantMax));
      const js = reduceAxes(x, axes, outShape, "float64", 0, stepSum); // no native op: the JS loop
      for (let i = 0; i < want.length; i++) expect(js.data[i]).toBeCloseTo(want[i], 12);
    });
  }

  it("max propagates NaN on both paths", () => {
    const x = rand([2, 600]);
    (x.data as Float64Array)[700] = NaN;
    const m = reduceAxes(x, [1], [2], "float64", -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a), "max");
    expect(Number.isNaN(m.data[0])).toBe(false);
    expect(Number.isNaN(m.data[1])).toBe(true);
  });
});

const native = nativeAddon();
describe.skipIf(native === null)("native elementwise path (float64 above the size thresholds)", () => {
  const unary: [string, (x: number) => number][] = [
    ["exp", Math.exp], ["log", Math.log], ["tanh", Math.tanh], ["sin", Math.sin], ["cos", Math.cos],
    ["log1p", Math.log1p], ["expm1", Math.expm1], ["sqrt", Math.sqrt], ["square", (x) => x * x], ["negative", (x) => -x],
  ];
  for (const n of [NATIVE_MIN_TRANSCENDENTAL - 1, NATIVE_MIN_TRANSCENDENTAL, NATIVE_MIN, 1000]) {
    it(`unary ops at n=${n} agree with Math.* to 1e-12 relative (special values included)`, () => {
      const x = rand([n]);
      const d = x.data as Float64Array;
      d[0] = 0; d[1] = -0; d[2] = Infinity; d[3] = -Infinity; d[4] = NaN; d[5] = 5e-324; d[6] = 700; d[7] = -745;
      for (const [op, f] of unary) {
        const r = map1(x, "float64", f, undefined, op, op);
        for (let i = 0; i < n; i++) {
          const want = f(d[i]), got = r.data[i];
          if (Number.isNaN(want)) expect(Number.isNaN(got)).toBe(true);
          else if (!Number.isFinite(want) || want === 0) expect(got).toBe(want);
          else expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-12);
        }
      }
    });
  }

  it("binary ops in the three modes agree with the JS loops", () => {
    const n = 1000;
    const a = rand([n]), b = rand([n]), s = rand([]);
    const ops: [string, (x: number, y: number) => number][] = [
      ["add", (x, y) => x + y], ["subtract", (x, y) => x - y], ["multiply", (x, y) => x * y], ["divide", (x, y) => x / y],
      ["maximum", (x, y) => (x >= y || Number.isNaN(x) ? x : y)], ["power", Math.pow],
    ];
    for (const [op, f] of ops) {
      for (const [x, y] of [[a, b], [a, s], [s, b]]) {
        const r = map2(x, y, "float64", f, undefined, op, op);
        const js = map2(x, y, "float64", f, undefined, op);
        for (let i = 0; i < n; i++) {
          const w = js.data[i], g = r.data[i];
          if (Number.isNaN(w)) expect(Number.isNaN(g)).toBe(true);
          else expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-12 * Math.abs(w));
        }
      }
    }
  });

  it("recycled (uninitialized) output storage is fully overwritten", () => {
    const junk = allocateUninit("float64", 1000) as Float64Array;
    junk.fill(123456);
    recycle(junk);
    const x = rand([1000]);
    const r = map1(x, "float64", Math.exp, undefined, "exp", "exp");
    for (let i = 0; i < 1000; i++) expect(r.data[i]).toBeCloseTo(Math.exp(x.data[i]), 10);
  });
});
