// The addon's elementwise math against Math.* (≤ 4 ulp over wide ranges and at the edges: NaN, ±Inf, ±0,
// subnormals, huge sin/cos arguments, exp overflow/underflow), exact arithmetic ops, binary modes and reductions.
import { describe, expect, it } from "vitest";
import { type NDArray, grad, np } from "../../lib/index";
import { nat, onBoth, ulps } from "./helpers";
import { rng } from "../helpers";

const EDGES = [NaN, Infinity, -Infinity, 0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, -1e-310, 1e-300, -1e-20,
  1e-8, 0.5, -0.5, 1, -1, 2, Math.PI, -Math.PI / 2, 1.7976931348623157e308, -1.7976931348623157e308];

/** n values uniform in [lo, hi], plus log-uniform magnitudes over [tiny, huge] with both signs when asked. */
function sample(seed: number, n: number, lo: number, hi: number): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}
function logUniform(seed: number, n: number, lo: number, hi: number, signed: boolean): number[] {
  const next = rng(seed), a = Math.log(lo), b = Math.log(hi);
  return Array.from({ length: n }, () => Math.exp(a + (b - a) * next()) * (signed && next() < 0.5 ? -1 : 1));
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** op, reference, inputs (beyond EDGES), max ulps. */
const UNARY: [string, (x: number) => number, number[], number][] = [
  ["exp", Math.exp, [...sample(1, 4000, -746, 710), ...sample(2, 2000, -1, 1), 709.78, 709.79, -745.1, -745.2, -708.5, -740], 4],
  ["log", Math.log, [...logUniform(3, 4000, 1e-320, 1e308, false), ...sample(4, 2000, 0.5, 2), -1, -5e-324], 4],
  ["tanh", Math.tanh, [...sample(5, 4000, -20, 20), ...logUniform(6, 2000, 1e-300, 1e3, true)], 4],
  ["log1p", Math.log1p, [...logUniform(7, 4000, 1e-300, 1e300, false), ...sample(8, 2000, -0.9999, 1), -1, -2], 4],
  ["expm1", Math.expm1, [...sample(9, 4000, -40, 709.7), ...logUniform(10, 2000, 1e-300, 1, true), 710, -800], 4],
  ["sin", Math.sin, [...sample(11, 4000, -10, 10), ...logUniform(12, 2000, 1e-300, 1e22, true), 1e300, 2 ** 52], 4],
  ["cos", Math.cos, [...sample(13, 4000, -10, 10), ...logUniform(14, 2000, 1e-300, 1e22, true), 1e300, 2 ** 52], 4],
  ["sigmoid", sigmoid, [...sample(15, 4000, -750, 750), ...sample(16, 2000, -5, 5)], 4],
  ["sqrt", Math.sqrt, logUniform(17, 2000, 1e-320, 1e308, true), 0],
  ["square", (x) => x * x, logUniform(18, 2000, 1e-200, 1e200, true), 0],
  ["negative", (x) => -x, sample(19, 100, -10, 10), 0],
  ["abs", Math.abs, sample(20, 100, -10, 10), 0],
  ["reciprocal", (x) => 1 / x, logUniform(21, 2000, 1e-310, 1e308, true), 0],
];

describe.skipIf(!nat)("native elementwise math", () => {
  for (const [op, ref, inputs, maxUlps] of UNARY) {
    it(`${op}: within ${maxUlps} ulp of Math.* over wide ranges and the edges, odd lengths, in place`, () => {
      const x = Float64Array.from([...EDGES, ...inputs]);
      const out = new Float64Array(x.length);
      expect(nat!.unary(op, x, out, x.length)).toBe(true);
      let worst = 0, at = 0;
      for (let i = 0; i < x.length; i++) {
        const d = ulps(out[i], ref(x[i]));
        if (d > worst) [worst, at] = [d, x[i]];
      }
      expect(worst, `${op}(${at}) = ${nat!.unary(op, Float64Array.of(at), out, 1) && out[0]}, Math: ${ref(at)}`).toBeLessThanOrEqual(maxUlps);
      // ±0 keep their sign where Math's does; every length (SIMD tails) and out === x give the same values.
      for (const len of [1, 3, 7, 9, 17]) {
        const y = x.slice(0, len), want = y.map(ref);
        nat!.unary(op, y, y, len);
        for (let i = 0; i < len; i++) expect(ulps(y[i], want[i]), `${op} length ${len} at ${i}`).toBeLessThanOrEqual(maxUlps);
        for (let i = 0; i < len; i++) if (want[i] === 0) expect(Object.is(y[i], want[i]), `${op}(${x[i]}) sign of zero`).toBe(true);
      }
    });
  }

  it("reports an op it does not implement, and writes nothing then", () => {
    const out = new Float64Array(3).fill(9);
    expect(nat!.unary("cbrt", new Float64Array(3), out, 3)).toBe(false);
    expect(nat!.binary("hypot", new Float64Array(3), new Float64Array(3), out, 3, 0)).toBe(false);
    expect(nat!.reduce("prod", new Float64Array(3), 1, 3, 1, out)).toBe(false);
    expect(Array.from(out)).toEqual([9, 9, 9]);
  });

  const BINARY: [string, (a: number, b: number) => number, number][] = [
    ["add", (a, b) => a + b, 0], ["subtract", (a, b) => a - b, 0], ["multiply", (a, b) => a * b, 0],
    ["divide", (a, b) => a / b, 0], ["power", Math.pow, 4],
    ["maximum", (a, b) => (a >= b || Number.isNaN(a) ? a : b), 0], ["minimum", (a, b) => (a <= b || Number.isNaN(a) ? a : b), 0],
  ];
  for (const [op, ref, maxUlps] of BINARY) {
    it(`${op}: as lib/numpy's JS function in all three broadcast modes (edges included)`, () => {
      const vals = [...EDGES, 3, -3, 0.5, 2.5, -2.5, 1e-5, 100, -100, 0.1, 1e10];
      const a: number[] = [], b: number[] = [];
      for (const u of vals) for (const v of vals) { a.push(u); b.push(v); }
      const next = rng(99);
      for (let i = 0; i < 3000; i++) { a.push(50 * next()); b.push(20 * next() - 10); }
      const A = Float64Array.from(a), B = Float64Array.from(b), out = new Float64Array(a.length);
      const agree = (got: number, want: number, what: string) => {
        if (ulps(got, want) > maxUlps || (want === 0 && !Object.is(got, want))) expect.fail(`${op} ${what}: ${got} vs ${want}`);
      };
      expect(nat!.binary(op, A, B, out, a.length, 0)).toBe(true);
      for (let i = 0; i < a.length; i++) agree(out[i], ref(a[i], b[i]), `(${a[i]}, ${b[i]})`);
      for (const s of [2.5, -0, NaN, Infinity, 1]) {
        nat!.binary(op, A, Float64Array.of(s), out, 101, 1);
        for (let i = 0; i < 101; i++) agree(out[i], ref(a[i], s), `(${a[i]}, scalar ${s})`);
        nat!.binary(op, Float64Array.of(s), B, out, 101, 2);
        for (let i = 0; i < 101; i++) agree(out[i], ref(s, b[i]), `(scalar ${s}, ${b[i]})`);
      }
      // out may alias an operand
      const C = A.slice(0, 37);
      nat!.binary(op, C, B, C, 37, 0);
      for (let i = 0; i < 37; i++) agree(C[i], ref(a[i], b[i]), "in place");
    });
  }

  it("argreduce: argmax/argmin as the JS rule (first best, first NaN, ±0 tie) at every position of runs 1..200, strided, split over the cores", () => {
    const next = rng(31);
    const jsArg = (isMax: boolean, x: Float64Array, outer: number, len: number, inner: number) => {
      const out = new Int32Array(outer * inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        const at = (l: number) => x[(o * len + l) * inner + j];
        let best = at(0), bi = 0;
        for (let l = 1; l < len && best === best; l++) {
          const v = at(l);
          if (isMax ? v > best : v < best) { best = v; bi = l; } else if (v !== v) { best = v; bi = l; }
        }
        out[o * inner + j] = bi;
      }
      return out;
    };
    const check = (x: Float64Array, outer: number, len: number, inner: number, what: string) => {
      for (const op of ["argmax", "argmin"] as const) {
        const got = new Int32Array(outer * inner);
        expect(nat!.argreduce(op, x, outer, len, inner, got)).toBe(true);
        expect(Array.from(got), `${op} ${what} [${outer}, ${len}, ${inner}]`).toEqual(Array.from(jsArg(op === "argmax", x, outer, len, inner)));
      }
    };
    for (let len = 1; len <= 200; len += len < 70 ? 1 : 7) {
      const base = Float64Array.from({ length: len }, () => Math.round(next() * 6) - 3); // many ties
      check(base, 1, len, 1, "ties");
      for (const p of [0, len >> 1, len - 1]) {
        for (const v of [NaN, 99, -99, 0, -0]) { const x = base.slice(); x[p] = v; check(x, 1, len, 1, `${v} at ${p}`); }
        const z = new Float64Array(len).fill(-0); z[p] = 0; check(z, 1, len, 1, `+0 among -0 at ${p}`);
        const n = base.slice(); n[p] = NaN; n[len - 1 - p] = NaN; check(n, 1, len, 1, `two NaNs`);
      }
    }
    const big = Float64Array.from({ length: 600 * 1000 }, () => next());
    check(big, 600, 1000, 1, "rows over the cores");
    check(big, 1, 600000, 1, "one long run");
    check(big, 1, 600, 1000, "columns");
    big[123457] = NaN; big[5] = 2; big[400003] = -1;
    check(big, 600, 1000, 1, "rows with a NaN");
    check(big, 3, 200, 1000, "strided with a NaN");
    expect(nat!.argreduce("argsort" as "argmax", big, 1, 3, 1, new Int32Array(1))).toBe(false);
    expect(() => nat!.argreduce("argmax", big, 1, 0, 1, new Int32Array(1))).toThrow(/len must be/);
    expect(() => nat!.argreduce("argmax", big, 2, 600000, 1, new Int32Array(2))).toThrow(/needs 1200000 elements/);
    // np.argmax on both backends
    const m = np.array(Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.3)));
    const [a, b] = onBoth(() => [np.argmax(m), np.argmin(m), Array.from(np.argmax(np.reshape(m, [30, 10]), 1).data), Array.from(np.argmin(np.reshape(m, [30, 10]), 0).data)]);
    expect(a).toEqual(b);
  });

  it("argsort: stable, numpy's order (NaN last, -0 = +0, ±Infinity), short and long lines, strided, over the cores; gather", () => {
    const next = rng(53);
    const jsArgsort = (x: Float64Array, outer: number, len: number, inner: number) => {
      const out = new Int32Array(outer * len * inner);
      const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
        const at = (k: number) => x[(o * len + k) * inner + i];
        const order = Array.from({ length: len }, (_, k) => k).sort((a, b) => {
          const va = at(a), vb = at(b), na = Number.isNaN(va), nb = Number.isNaN(vb);
          if (na || nb) return na === nb ? a - b : na ? 1 : -1;
          return key(va) - key(vb) || a - b;
        });
        order.forEach((k, r) => (out[(o * len + r) * inner + i] = k));
      }
      return out;
    };
    const check = (x: Float64Array, outer: number, len: number, inner: number, what: string) => {
      const got = new Int32Array(outer * len * inner);
      nat!.argsort(x, outer, len, inner, got);
      expect(Array.from(got), `${what} [${outer}, ${len}, ${inner}]`).toEqual(Array.from(jsArgsort(x, outer, len, inner)));
    };
    const special = [NaN, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1];
    for (const len of [0, 1, 2, 5, 31, 32, 33, 100, 1000]) {
      const x = Float64Array.from({ length: len }, () => (next() < 0.3 ? special[Math.floor(next() * special.length)] : Math.round(next() * 20) - 10));
      check(x, 1, len, 1, "ties and specials");
      check(Float64Array.from({ length: len }, () => next() * 2 - 1), 1, len, 1, "random");
    }
    check(Float64Array.from({ length: 300000 }, () => next() - 0.5), 1, 300000, 1, "one long line");
    check(Float64Array.from({ length: 200 * 700 }, () => Math.round(next() * 50)), 200, 700, 1, "rows over the cores");
    check(Float64Array.from({ length: 6 * 50 * 7 }, () => (next() < 0.1 ? NaN : next())), 6, 50, 7, "strided");
    // gather
    const src = Float64Array.from({ length: 1000 }, (_, i) => i * 1.5), pos = Int32Array.from({ length: 500 }, () => Math.floor(next() * 1000));
    const out = new Float64Array(500);
    nat!.gather(src, pos, out, 500);
    expect(Array.from(out)).toEqual(Array.from(pos, (p) => src[p]));
    expect(() => nat!.gather(src, Int32Array.of(3, 1000), out, 2)).toThrow(/positions must be in \[0, 1000\)/);
    expect(() => nat!.gather(src, Int32Array.of(-1), out, 1)).toThrow(/positions/);
    // np.sort / argsort / take and sort's gradient on both backends
    const m = np.array(Array.from({ length: 600 }, () => (next() < 0.05 ? NaN : Math.round(next() * 30))));
    const w = np.array(Array.from({ length: 600 }, () => next()));
    const f = (v: NDArray) => np.sum(np.multiply(np.sort(np.reshape(v, [20, 30]), 0), np.reshape(w, [20, 30])));
    const at = np.array(Array.from({ length: 600 }, () => next()));
    const [a, b] = onBoth(() => [Array.from(np.sort(m).data), Array.from(np.argsort(np.reshape(m, [20, 30]), 1).data),
      Array.from(np.take(w, np.array([5, -1, 599, 0], "int32")).data), Array.from(np.take(np.reshape(w, [20, 30]), np.array([2, 0], "int32"), 1).data),
      Array.from(grad(f)(at).data)]);
    a.forEach((part, i) => expect(part, `part ${i}`).toEqual(b[i]));
  });

  it("clip in one pass: maximum-then-minimum's bits (NaN in x or a bound, ±0 ties, a bound missing), in place, over the cores", () => {
    const maxi = (a: number, b: number) => (a >= b || Number.isNaN(a) ? a : b), mini = (a: number, b: number) => (a <= b || Number.isNaN(a) ? a : b);
    const next = rng(41);
    const x = Float64Array.from({ length: 300000 }, () => next() * 4 - 2);
    x.set([NaN, 0, -0, Infinity, -Infinity, 0.5, -0.5, 1, -1], 0);
    for (const [lo, hi] of [[-0.5, 0.5], [0, 1], [-0, 0], [-Infinity, 0.25], [-1, Infinity], [NaN, 1], [-1, NaN], [1, -1]]) {
      const out = new Float64Array(x.length);
      nat!.clip(x, Float64Array.of(lo, hi), out, x.length);
      for (let i = 0; i < x.length; i++) {
        const want = mini(maxi(x[i], lo), hi);
        if (!Object.is(out[i], want)) expect.fail(`clip(${x[i]}, ${lo}, ${hi}) = ${out[i]}, want ${want}`);
      }
    }
    const y = x.slice(0, 1000);
    nat!.clip(y, Float64Array.of(-0.1, 0.1), y, y.length);
    y.forEach((v, i) => expect(Object.is(v, mini(maxi(x[i], -0.1), 0.1))).toBe(true));
    expect(() => nat!.clip(x, new Float64Array(1), x, 10)).toThrow(/bounds/);
    // np.clip and its gradient on both backends
    const m = np.array(Array.from(x.subarray(0, 4000)));
    const f = (v: NDArray) => np.sum(np.multiply(np.clip(v, -0.5, 1), v));
    const [a, b] = onBoth(() => [Array.from(np.clip(m, -0.5, 1).data), Array.from(np.clip(m, null, 0).data), Array.from(grad(f)(m).data)]);
    expect(a).toEqual(b);
  });

  it("power: within 2 ulp of Math.pow where y·log x is large, near 1, near overflow and underflow; negative bases; exact powers exact", () => {
    const next = rng(7);
    const cases: [string, () => [number, number]][] = [
      ["x in (0, 4), y in (-3, 3)", () => [4 * next(), 6 * next() - 3]],
      ["x over 1e-300..1e300", () => [Math.exp((next() - 0.5) * 1380), 2 * next() - 1]],
      ["x near 1, y huge", () => [1 + (next() - 0.5) * 1e-6, (next() - 0.5) * 1.4e9]],
      ["x within 1e-12 of 1", () => [1 + (next() - 0.5) * 1e-12, (next() - 0.5) * 1.4e15]],
      // |y log x| in 690..720: results near the largest and the smallest normal numbers, and past them (libm lanes)
      ["|y log x| near 708", () => { const x = Math.exp((next() - 0.5) * 20); return [x, ((690 + 30 * next()) / Math.log(x)) * (next() < 0.5 ? 1 : -1)]; }],
      ["negative x, integer y", () => [-4 * next(), Math.round((next() - 0.5) * 40)]],
      ["negative x, any y", () => [-4 * next(), (next() - 0.5) * 40]],
      ["subnormal x", () => [next() * 2.2e-308, next() * 0.9]],
    ];
    for (const [what, gen] of cases) {
      const a = new Float64Array(20000), b = new Float64Array(20000), out = new Float64Array(20000);
      for (let i = 0; i < a.length; i++) [a[i], b[i]] = gen();
      expect(nat!.binary("power", a, b, out, a.length, 0)).toBe(true);
      for (let i = 0; i < a.length; i++) {
        const want = Math.pow(a[i], b[i]);
        if (ulps(out[i], want) > 2) expect.fail(`${what}: power(${a[i]}, ${b[i]}) = ${out[i]}, Math.pow: ${want}`);
      }
    }
    // integer powers that a double holds exactly come out exact, in every broadcast mode
    const bases = Float64Array.from({ length: 31 }, (_, i) => i - 15), exps = Float64Array.from({ length: 23 }, (_, i) => i);
    const out = new Float64Array(bases.length);
    for (const e of exps) {
      nat!.binary("power", bases, Float64Array.of(e), out, bases.length, 1);
      bases.forEach((x, i) => { if (Math.abs(x ** e) < 2 ** 53 && out[i] !== x ** e) expect.fail(`${x} ** ${e} = ${out[i]}`); });
    }
    const tens = new Float64Array(exps.length);
    nat!.binary("power", Float64Array.of(10), exps, tens, exps.length, 2);
    exps.forEach((e, i) => expect(tens[i], `10 ** ${e}`).toBe(Number(`1e${e}`)));
  });

  it("binary2d: a row or a column broadcast against a matrix, the same bits as the JS loops, split over the cores", () => {
    const next = rng(5);
    const r = (n: number) => np.array(Array.from({ length: n }, () => 4 * next() - 2));
    // 600×1000 passes the 262k-element chunk size (rows split over the pool); 37×3 is a short-row block
    for (const [m, n] of [[600, 1000], [128, 256], [37, 3], [3, 700]]) {
      const x = r(m * n).reshape([m, n]), row = r(n), col = r(m).reshape([m, 1]), batch = r(2 * m * n).reshape([2, m, n]);
      const cases: [string, () => ReturnType<typeof np.add>][] = [
        ["x + row", () => np.add(x, row)], ["row - x", () => np.subtract(row, x)], ["x * col", () => np.multiply(x, col)],
        ["col / x", () => np.divide(col, x)], ["maximum(x, row)", () => np.maximum(x, row)], ["minimum(col, x)", () => np.minimum(col, x)],
        ["batch + row", () => np.add(batch, row)], ["batch * col", () => np.multiply(batch, col)], ["col + row", () => np.add(col, row)],
      ];
      for (const [name, f] of cases) {
        const [native, wasm] = onBoth(f);
        expect(native.shape, name).toEqual(wasm.shape);
        const got = native.data as Float64Array, want = wasm.data as Float64Array;
        const bad = want.findIndex((v, i) => !Object.is(v, got[i]));
        expect(bad, `${name} ${m}×${n}: element ${bad} is ${got[bad]}, the JS loop gives ${want[bad]}`).toBe(-1);
      }
    }
    // direct calls: strides it does not take, an op it lacks, a block past the end of an operand
    const A = new Float64Array(12), B = new Float64Array(4), O = new Float64Array(12);
    expect(nat!.binary2d("add", A, 0, 4, 2, B, 0, 0, 1, O, 0, 3, 2)).toBe(false);
    expect(nat!.binary2d("atan2", A, 0, 4, 1, B, 0, 0, 1, O, 0, 3, 4)).toBe(false);
    expect(nat!.binary2d("add", A, 0, 4, 1, B, 0, 0, 1, O, 0, 3, 4)).toBe(true);
    expect(() => nat!.binary2d("add", A, 0, 4, 1, B, 1, 0, 1, O, 0, 3, 4)).toThrow(/add: b: a 3×4 block at offset 1, strides \(0, 1\) reaches element 4, the array has 4/);
    expect(() => nat!.binary2d("add", A, 0, 5, 1, B, 0, 0, 1, O, 0, 3, 4)).toThrow(/add: a: .* reaches element 13, the array has 12/);
  });

  it("power by the constants 2, 1, -1 and 0.5 takes exact shortcuts: correctly rounded, Math.pow's edge values", () => {
    const xs = [...EDGES, 3.7, -3.7, 1e-160, 1e160, ...sample(30, 500, -50, 50)];
    const A = Float64Array.from(xs), out = new Float64Array(xs.length);
    // the correctly rounded x ** c (V8's Math.pow is not always: 36.144678364507854 ** 2 and 3.7 ** -1 are 1 ulp off)
    const exact: Record<number, (x: number) => number> = { 2: (x) => x * x, 1: (x) => x, [-1]: (x) => 1 / x, 0.5: Math.sqrt };
    for (const c of [2, 1, -1, 0.5]) {
      expect(nat!.binary("power", A, Float64Array.of(c), out, xs.length, 1)).toBe(true);
      xs.forEach((x, i) => {
        const pow = Math.pow(x, c), want = c === 0.5 && (x === 0 || x === -Infinity) ? pow : exact[c](x);
        if (!Object.is(out[i], want) || ulps(out[i], pow) > 1) expect.fail(`power(${x}, ${c}) = ${out[i]}: want ${want} (Math.pow: ${pow})`);
      });
    }
    expect(Object.is(out[xs.indexOf(-0)], 0)).toBe(true); // (-0) ** 0.5 is +0 (sqrt would give -0)
    expect(out[xs.indexOf(-Infinity)]).toBe(Infinity); // (-Infinity) ** 0.5 is +Infinity (sqrt: NaN)
  });

  it("np.power by those constants gives the same bits on both backends (the JS kernel takes the same shortcuts)", () => {
    const x = np.array([...EDGES, 3.7, 36.144678364507854, ...sample(31, 600, -50, 50)]);
    for (const c of [2, 1, -1, 0.5, 3, -2.5]) {
      const [native, wasm] = onBoth(() => np.power(x, c));
      expect(Array.from(native.data as Float64Array).map(String), `x ** ${c}`).toEqual(Array.from(wasm.data as Float64Array).map(String));
    }
  });

  it("reduce: sum, max and min along the middle axis of [outer, len, inner], NaN and ±0 as the JS reductions", () => {
    const next = rng(5);
    const jsReduce = (op: string, x: Float64Array, outer: number, len: number, inner: number) => {
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let acc = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
        for (let l = 0; l < len; l++) {
          const v = x[(o * len + l) * inner + j];
          acc = op === "sum" ? acc + v : op === "max" ? (v > acc || Number.isNaN(v) ? v : acc) : (v < acc || Number.isNaN(v) ? v : acc);
        }
        out[o * inner + j] = acc;
      }
      return out;
    };
    for (const [outer, len, inner] of [[1, 10000, 1], [3, 1001, 1], [4, 37, 5], [1, 0, 3], [2, 1, 1], [1, 9, 1], [7, 64, 33]]) {
      const x = Float64Array.from({ length: outer * len * inner }, () => next() * 2 - 1);
      for (const op of ["sum", "max", "min"]) {
        const out = new Float64Array(outer * inner);
        expect(nat!.reduce(op, x, outer, len, inner, out)).toBe(true);
        const want = jsReduce(op, x, outer, len, inner);
        for (let i = 0; i < out.length; i++) {
          const tol = op === "sum" ? 1e-13 * Math.max(1, len) : 0;
          if (!(Math.abs(out[i] - want[i]) <= tol) && !(out[i] === want[i])) expect.fail(`${op} [${outer},${len},${inner}] ${i}: ${out[i]} vs ${want[i]}`);
        }
      }
    }
    // NaN anywhere wins; among zeros the first one's sign (as the JS rule); Infinity survives
    const out = new Float64Array(1);
    for (const [xs, op, want] of [
      [[1, 2, NaN, 3, 4, 5, 6, 7, 8, 9], "max", NaN], [[1, 2, 3, 4, 5, 6, 7, 8, NaN], "min", NaN],
      [[-0, 0, -0, 0, -0, 0, -1, -2, -3, -4], "max", -0], [[0, -0, 0, -0, 0, -0, 1, 2, 3], "min", 0],
      [[-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, Infinity], "max", Infinity],
      [[1e308, 1e308, -1e308], "sum", 1e308 + 1e308 - 1e308],
    ] as [number[], string, number][]) {
      nat!.reduce(op, Float64Array.from(xs), 1, xs.length, 1, out);
      expect(Object.is(out[0], want), `${op}(${xs}) = ${out[0]}, want ${want}`).toBe(true);
    }
  });
});

describe.skipIf(!nat)("native reductions, comparisons and where on big arrays", () => {
  const jsPick = (isMax: boolean, xs: ArrayLike<number>) => {
    let acc = isMax ? -Infinity : Infinity;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      acc = (isMax ? v > acc : v < acc) || Number.isNaN(v) ? v : acc;
    }
    return acc;
  };
  it("max/min through the vector lanes: NaN, ±Inf and ±0 at every position of runs of 16 to 40, as the in-order rule", () => {
    const out = new Float64Array(1);
    for (let len = 16; len <= 40; len++) for (let at = 0; at < len; at++) for (const special of [NaN, Infinity, -Infinity, -0, 0]) {
      // zeros around a special value exercise the -0/+0 rule; a negative background the infinities
      for (const background of [-0, 0, -1.5]) {
        const xs = new Float64Array(len).fill(background);
        xs[at] = special;
        for (const [op, isMax] of [["max", true], ["min", false]] as const) {
          nat!.reduce(op, xs, 1, len, 1, out);
          const want = jsPick(isMax, xs);
          if (!Object.is(out[0], want)) expect.fail(`${op} of ${len} × ${background} with ${special} at ${at}: ${out[0]}, want ${want}`);
        }
      }
    }
  });
  it("long max/min runs split in pieces, many rows split over the cores: the one-thread results, bit for bit", () => {
    const next = rng(8);
    const big = Float64Array.from({ length: 700001 }, () => next() * 2 - 1);
    const out = new Float64Array(1000);
    for (const [op, isMax] of [["max", true], ["min", false]] as const) {
      nat!.reduce(op, big, 1, big.length, 1, out);
      expect(out[0]).toBe(jsPick(isMax, big));
      const withNaN = big.slice(); withNaN[654321] = NaN;
      nat!.reduce(op, withNaN, 1, big.length, 1, out);
      expect(out[0]).toBeNaN();
      const zeros = new Float64Array(600000); zeros[300000] = -0; zeros[0] = isMax ? -0 : 0; // first zero's sign wins
      nat!.reduce(op, zeros, 1, zeros.length, 1, out);
      expect(Object.is(out[0], isMax ? -0 : 0)).toBe(true);
    }
    // 1000 rows of 700 (split by rows): each row's max, min and sum as the row alone
    const rows = big.subarray(0, 700000);
    for (const op of ["max", "min", "sum"]) {
      nat!.reduce(op, rows, 1000, 700, 1, out);
      const one = new Float64Array(1);
      for (const r of [0, 1, 499, 998, 999]) {
        nat!.reduce(op, rows.subarray(700 * r, 700 * (r + 1)), 1, 700, 1, one);
        expect(out[r], `${op} row ${r}`).toBe(one[0]);
      }
    }
  });
  it("np.max / np.min / np.sum along axes give the same values on both backends (big and small)", () => {
    const next = rng(9);
    for (const shape of [[1000, 700], [3, 100000], [50, 40, 30], [20]]) {
      const x = np.array(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => next() * 10 - 5)).reshape(shape);
      for (const axis of [undefined, 0, shape.length - 1]) {
        for (const f of [np.max, np.min] as const) {
          const [a, b] = onBoth(() => f(x, axis === undefined ? undefined : { axis }));
          expect(np.asarray(a).tolist()).toEqual(np.asarray(b).tolist());
        }
        const [s1, s2] = onBoth(() => np.sum(x, axis === undefined ? undefined : { axis }));
        expect(np.allclose(s1, s2, { rtol: 1e-12 })).toBe(true);
      }
    }
  });
  it("comparisons and predicates: the JS kernels' answers in all modes, at the edges, past the chunk size", () => {
    const vals = [...EDGES, 3, -3, 0.5];
    const a: number[] = [], b: number[] = [];
    for (const u of vals) for (const v of vals) { a.push(u); b.push(v); }
    const next = rng(10);
    while (a.length < 600000) { a.push(Math.round(4 * next() - 2)); b.push(Math.round(4 * next() - 2)); } // many ties
    const A = np.array(a), B = np.array(b);
    const compares = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_xor"] as const;
    for (const name of compares) {
      const f = np[name] as (x: unknown, y: unknown) => ReturnType<typeof np.equal>;
      for (const [label, call] of [["arrays", () => f(A, B)], ["array, scalar", () => f(A, 0.5)], ["scalar, array", () => f(-0, B)], ["NaN", () => f(A, NaN)]] as const) {
        const [native, wasm] = onBoth(call);
        expect(native.dtype).toBe("bool");
        const bad = (wasm.data as Uint8Array).findIndex((v, i) => v !== native.data[i]);
        expect(bad, `${name} ${label}: element ${bad}`).toBe(-1);
      }
    }
    for (const name of ["isnan", "isinf", "isfinite", "signbit", "logical_not"] as const) {
      const [native, wasm] = onBoth(() => np[name](A));
      const bad = (wasm.data as Uint8Array).findIndex((v, i) => v !== native.data[i]);
      expect(bad, `${name}: element ${bad}`).toBe(-1);
    }
    // direct calls: an op it lacks, a wrong output type, a short output
    const X = new Float64Array(4), O = new Uint8Array(4);
    expect(nat!.compare("atan2", X, X, O, 4, 0)).toBe(false);
    expect(nat!.predicate("isprime", X, O, 4)).toBe(false);
    expect(() => nat!.compare("less", X, X, new Float64Array(4) as any, 4, 0)).toThrow(/compare: out \(argument 4\) must be a Uint8Array, got Float64Array/);
    expect(() => nat!.predicate("isnan", X, new Uint8Array(3), 4)).toThrow(/isnan: out \(4×1, leading dimension 1, offset 0\) needs 4 elements, the array has 3/);
  });
  it("where (the select loop): arrays and scalars on either side, the JS loop's bits, gradients still routed", () => {
    const next = rng(11);
    const x = np.array(Array.from({ length: 300001 }, () => next() * 2 - 1));
    const y = np.multiply(x, -3);
    const c = np.greater(x, 0.2);
    for (const [label, call] of [
      ["x, y", () => np.where(c, x, y)], ["x, 0", () => np.where(c, x, 0)], ["-1, y", () => np.where(c, -1, y)],
      ["2, NaN", () => np.where(c, 2, NaN)], ["small", () => np.where(np.less([1, 5, 2], 3), [10, 20, 30], -0)],
    ] as const) {
      const [native, wasm] = onBoth(call);
      const bad = (wasm.data as Float64Array).findIndex((v, i) => !Object.is(v, native.data[i]));
      expect(bad, `where(${label}): element ${bad}`).toBe(-1);
    }
    // the gradient of where on the native path: the cotangent routed to the chosen side only
    const g = grad((v: NDArray) => np.sum(np.where(c, np.square(v), 0)))(x);
    const want = np.where(c, np.multiply(x, 2), 0);
    expect(np.array_equal(g, want)).toBe(true);
    expect(() => nat!.select(new Uint8Array(4), new Float64Array(1), new Float64Array(4), new Float64Array(4), 4, 0))
      .toThrow(/select: x/);
  });
});
