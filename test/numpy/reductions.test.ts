// Reductions: sum, mean, prod, var (ddof), std, amax/amin (ties split evenly), cumsum: one table row per
// function, every axis/keepdims variant on several shapes through checkGrads (fwd + rev, order 2), values
// against numpy, closed forms, float32 and complex128.
import { describe, expect, it } from "vitest";
import { NDArray, ValueError, checkGrads, deriv, grad, holomorphicGrad, makeJvp, np } from "../../lib/index";
import { close } from "../helpers";

type Mode = "fwd" | "rev";
const both = { modes: ["fwd", "rev"] as Mode[], order: 2 };
const f32Tol = { modes: ["fwd", "rev"] as Mode[], order: 2, eps: 1e-3, rtol: 3e-2, atol: 3e-2 };

/** Distinct, non-symmetric values (no ties, no zeros) of a shape. */
function sample(shape: number[], seed = 1, dtype = "float64"): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const vals = Array.from({ length: n }, (_, i) => {
    const v = Math.sin(1.7 * (i + 1) * seed + 0.3) * 2;
    return Math.abs(v) < 0.2 ? v + 0.5 : v;
  });
  return np.array(vals, dtype).reshape(shape);
}

type Opts = { axis?: number | number[] | null; keepdims?: boolean; ddof?: number };
interface Row {
  name: string;
  f: (x: NDArray, o?: Opts) => NDArray;
  /** Accepts keepdims. */
  keepdims: boolean;
  /** Accepts a list of axes. */
  multiAxis: boolean;
}
const rows: Row[] = [
  { name: "sum", f: (x, o) => np.sum(x, o), keepdims: true, multiAxis: true },
  { name: "mean", f: (x, o) => np.mean(x, o), keepdims: true, multiAxis: true },
  { name: "prod", f: (x, o) => np.prod(x, o), keepdims: true, multiAxis: true },
  { name: "var", f: (x, o) => np.var(x, o), keepdims: true, multiAxis: true },
  { name: "var ddof=1", f: (x, o) => np.var(x, { ...o, ddof: 1 }), keepdims: true, multiAxis: true },
  { name: "std", f: (x, o) => np.std(x, o), keepdims: true, multiAxis: true },
  { name: "std ddof=1", f: (x, o) => np.std(x, { ...o, ddof: 1 }), keepdims: true, multiAxis: true },
  { name: "amax", f: (x, o) => np.amax(x, o), keepdims: true, multiAxis: true },
  { name: "amin", f: (x, o) => np.amin(x, o), keepdims: true, multiAxis: true },
  { name: "max", f: (x, o) => np.max(x, o), keepdims: true, multiAxis: true },
  { name: "min", f: (x, o) => np.min(x, o), keepdims: true, multiAxis: true },
  { name: "cumsum", f: (x, o) => np.cumsum(x, o as any), keepdims: false, multiAxis: false },
];

/** Every axis option worth trying for an array of rank nd. */
function axisVariants(nd: number, row: Row): Opts[] {
  const out: Opts[] = [{}, { axis: null }];
  for (let a = -nd; a < nd; a++) out.push({ axis: a });
  if (row.multiAxis && nd >= 2) out.push({ axis: [0, nd - 1] }, { axis: [] });
  if (row.keepdims) out.push(...out.map((o) => ({ ...o, keepdims: true })));
  return out;
}

describe("every reduction, every axis variant", () => {
  for (const r of rows) {
    it(`${r.name}: checkGrads on (4,), (2, 3), (2, 3, 2) for each axis/keepdims`, () => {
      for (const [k, shape] of [[4], [2, 3], [2, 3, 2]].entries()) {
        const x = sample(shape, k + 1);
        for (const o of axisVariants(shape.length, r)) {
          // reducing over no axes: std is |x - x| = 0 (not differentiable), ddof=1 divides by 0
          if ((r.name.startsWith("std") || r.name.includes("ddof")) && Array.isArray(o.axis) && o.axis.length === 0) continue;
          try {
            expect(checkGrads((v: NDArray) => r.f(v, o), both)(x)).toBe(true);
          } catch (e) {
            throw new Error(`${r.name} on ${JSON.stringify(shape)} with ${JSON.stringify(o)}: ${(e as Error).message}`);
          }
        }
      }
    });
  }

  it("0-d inputs and JS numbers", () => {
    for (const r of rows.filter((x) => !x.name.startsWith("std") && !x.name.includes("ddof"))) {
      expect(checkGrads((v: NDArray) => r.f(np.multiply(v, 1)), both)(0.7), r.name).toBe(true);
    }
    expect(grad((v: number) => np.sum(v))(3)).toBe(1);
    expect(grad((v: number) => np.amax(v))(3)).toBe(1);
  });

  it("float32: dtype kept, gradients within float32 tolerance", () => {
    const x = sample([2, 3], 3, "float32");
    for (const r of rows) {
      expect(r.f(x).dtype, r.name).toBe("float32");
      expect(r.f(x, { axis: 1 }).dtype, r.name).toBe("float32");
      expect(grad((v: NDArray) => np.sum(r.f(v, { axis: 0 })))(x).dtype, r.name).toBe("float32");
      expect(deriv((v: NDArray) => r.f(v, { axis: 0 }))(x).dtype, r.name).toBe("float32");
      expect(checkGrads((v: NDArray) => r.f(v, { axis: 0 }), f32Tol)(x), r.name).toBe(true);
    }
  });
});

describe("values against numpy", () => {
  const x = np.array([[[0.3, -1.2], [2.0, 0.5], [-0.7, 1.1]], [[1.4, 0.2], [-0.3, 0.9], [0.6, -1.5]]]);
  // from numpy 2.4
  const ref: [Opts["axis"], Record<string, any>][] = [
    [null, { sum: 3.3, mean: 0.27499999999999997, prod: 0.018860688, var1: 1.098409090909091, std: 1.003431612019474, amax: 2.0, amin: -1.5 }],
    [0, { sum: [[1.7, -1.0], [1.7, 1.4], [-0.1, -0.4]], mean: [[0.85, -0.5], [0.85, 0.7], [-0.05, -0.2]],
      prod: [[0.42, -0.24], [-0.6, 0.45], [-0.42, -1.65]], var1: [[0.605, 0.98], [2.645, 0.08], [0.845, 3.38]],
      std: [[0.55, 0.7], [1.15, 0.2], [0.65, 1.3]], amax: [[1.4, 0.2], [2.0, 0.9], [0.6, 1.1]], amin: [[0.3, -1.2], [-0.3, 0.5], [-0.7, -1.5]] }],
    [1, { sum: [[1.6, 0.4], [1.7, -0.4]], mean: [[0.5333333333333333, 0.1333333333333334], [0.5666666666666665, -0.1333333333333333]],
      prod: [[-0.42, -0.66], [-0.252, -0.27]], var1: [[1.8633333333333337, 1.4233333333333333], [0.7233333333333332, 1.5233333333333332]],
      std: [[1.114550233153366, 0.9741092797468305], [0.6944222218666553, 1.0077477638553982]], amax: [[2.0, 1.1], [1.4, 0.9]], amin: [[-0.7, -1.2], [-0.3, -1.5]] }],
    [[0, 2], { sum: [0.7, 3.1, -0.5], mean: [0.175, 0.775, -0.125], prod: [-0.1008, -0.27, 0.693],
      var1: [1.1358333333333333, 0.9158333333333335, 1.4158333333333335], std: [0.9229707470987366, 0.8287792227125389, 1.0304731922762476],
      amax: [1.4, 2.0, 1.1], amin: [-1.2, -0.3, -1.5] }],
  ];
  for (const [axis, want] of ref) {
    it(`axis ${JSON.stringify(axis)}`, () => {
      close(np.sum(x, { axis }), want.sum, 1e-12);
      close(np.mean(x, { axis }), want.mean, 1e-12);
      close(np.prod(x, { axis }), want.prod, 1e-12);
      close(np.var(x, { axis, ddof: 1 }), want.var1, 1e-12);
      close(np.std(x, { axis }), want.std, 1e-12);
      close(np.amax(x, { axis }), want.amax, 1e-12);
      close(np.amin(x, { axis }), want.amin, 1e-12);
    });
  }
  it("cumsum, keepdims shapes, bare-number axis, methods", () => {
    close(np.cumsum(x), [0.3, -0.9, 1.1, 1.6, 0.9, 2.0, 3.4, 3.6, 3.3, 4.2, 4.8, 3.3], 1e-12);
    close(np.cumsum(x, 1), [[[0.3, -1.2], [2.3, -0.7], [1.6, 0.4]], [[1.4, 0.2], [1.1, 1.1], [1.7, -0.4]]], 1e-12);
    close(np.cumsum(x, { axis: -2 }), np.cumsum(x, 1), 1e-12);
    expect(np.sum(x, { axis: 1, keepdims: true }).shape).toEqual([2, 1, 2]);
    expect(np.amax(x, { axis: [0, 2], keepdims: true }).shape).toEqual([1, 3, 1]);
    expect(np.mean(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
    close(np.sum(x, 1), np.sum(x, { axis: 1 }), 1e-12);
    close(x.sum(1), np.sum(x, 1), 1e-12);
    close(x.max({ axis: 0 }), np.amax(x, 0), 1e-12);
    close(x.var({ ddof: 1 }), np.var(x, { ddof: 1 }), 1e-12);
    close(x.cumsum(2), np.cumsum(x, 2), 1e-12);
  });
  it("dtypes and empty inputs as numpy", () => {
    expect(np.sum(np.array([1, 2], "int32")).dtype).toBe("int32");
    expect(np.sum(np.array([true, true, false])).item()).toBe(2);
    expect(np.mean(np.array([1, 2], "int32")).dtype).toBe("float64");
    expect(np.cumsum(np.array([true, true, false])).tolist()).toEqual([1, 2, 2]);
    expect(np.cumsum(np.array([true, true, false])).dtype).toBe("int32");
    expect(np.prod(np.array([true, true])).dtype).toBe("int32");
    expect(np.sum(np.zeros([0])).item()).toBe(0);
    expect(np.prod(np.zeros([0])).item()).toBe(1);
    expect(np.sum(np.zeros([2, 0]), 1).tolist()).toEqual([0, 0]);
    expect(() => np.amax(np.zeros([0]))).toThrow(ValueError);
    expect(np.amax(np.zeros([0]), { initial: -5 }).item()).toBe(-5);
    expect(np.amax([1, 7], { initial: 5 }).item()).toBe(7);
    expect(np.amin([[1, 7], [6, 9]], { axis: 1, initial: 5 }).tolist()).toEqual([1, 5]);
    expect(grad((v: NDArray) => np.sum(np.amax(v, { initial: 2 })))(np.array([1, 3])).tolist()).toEqual([0, 1]);
    expect(np.sum([1.5, 2.5], { dtype: "float32" }).dtype).toBe("float32");
    expect(np.mean(np.array([1, 2], "int32"), { dtype: "float32" }).dtype).toBe("float32");
  });
  it("errors name the function", () => {
    expect(() => np.sum(x, 3)).toThrow(/np\.sum: axis 3 is out of bounds/);
    expect(() => np.mean(x, { axis: [0, 0] })).toThrow(/repeated axis/);
    expect(() => np.var(x, { bogus: 1 } as any)).toThrow(/np\.var: unknown option 'bogus'/);
    expect(() => np.std(x, { bogus: 1 } as any)).toThrow(/np\.std: unknown option 'bogus'/);
    expect(() => np.cumsum(x, { axis: [0, 1] } as any)).toThrow(/np\.cumsum/);
    expect(() => np.amax(np.complex(1, 2))).toThrow(/np\.amax: complex input is not supported/);
  });
});

describe("closed forms", () => {
  it("mean: gradient 1/n, over all or one axis", () => {
    expect(grad((v: NDArray) => np.mean(v))(sample([2, 3])).tolist()).toEqual([[1 / 6, 1 / 6, 1 / 6], [1 / 6, 1 / 6, 1 / 6]]);
    close(grad((v: NDArray) => np.sum(np.mean(v, 1)))(sample([2, 4])), np.full([2, 4], 0.25), 1e-12);
    close(deriv((v: NDArray) => np.mean(v))(sample([5])), 1, 1e-12);
  });

  it("amax/amin: the gradient goes to the extremum, ties split evenly", () => {
    expect(grad((v: NDArray) => np.amax(v))(np.array([1, 3, 2])).tolist()).toEqual([0, 1, 0]);
    expect(grad((v: NDArray) => np.amax(v))(np.array([3, 1, 3])).tolist()).toEqual([0.5, 0, 0.5]);
    expect(grad((v: NDArray) => np.amin(v))(np.array([1, 1, 1, 2])).tolist()).toEqual([1 / 3, 1 / 3, 1 / 3, 0]);
    const m = np.array([[1, 5, 5], [4, 4, 4]]);
    close(grad((v: NDArray) => np.sum(np.amax(v, 1)))(m), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], 1e-12);
    close(grad((v: NDArray) => np.sum(np.amax(v, { axis: 0, keepdims: true })))(m), [[0, 1, 1], [1, 0, 0]], 1e-12);
    // forward mode agrees: the tangent is the mean of the tangents of the tied entries
    expect(deriv((v: NDArray) => np.amax(v))(np.array([3, 1, 3])).item()).toBe(1);
    expect(np.amax(np.multiply(deriv((v: NDArray) => np.amax(v, 1))(m), 1)).item()).toBe(1);
    const t = np.array([1, 10, 100]);
    expect(makeJvp((v: NDArray) => np.amax(v))(np.array([3, 1, 3]))(t)[1].item()).toBe(50.5);
  });

  it("var and std: 2(x - mean)/(n - ddof), and std' = var'/(2 std)", () => {
    const x = sample([5]);
    const xs: number[] = x.tolist();
    const mu = xs.reduce((a, b) => a + b) / 5;
    close(grad((v: NDArray) => np.var(v))(x), xs.map((v) => (2 * (v - mu)) / 5), 1e-12);
    close(grad((v: NDArray) => np.var(v, { ddof: 1 }))(x), xs.map((v) => (2 * (v - mu)) / 4), 1e-12);
    const sd = np.std(x, { ddof: 1 }).item();
    close(grad((v: NDArray) => np.std(v, { ddof: 1 }))(x), xs.map((v) => (v - mu) / 4 / sd), 1e-12);
  });

  it("prod: d/dx_i = product of the others", () => {
    const x = np.array([2, 3, 4]);
    expect(grad((v: NDArray) => np.prod(v))(x).tolist()).toEqual([12, 8, 6]);
    close(grad((v: NDArray) => np.sum(np.prod(v, 0)))(np.array([[2, 3], [5, 7]])), [[5, 7], [2, 3]], 1e-12);
  });

  it("prod with zeros: the gradient is still the product of the others", () => {
    expect(grad((v: NDArray) => np.prod(v))(np.array([2, 0, 4])).tolist()).toEqual([0, 8, 0]);
    expect(grad((v: NDArray) => np.prod(v))(np.array([0, 0, 4])).tolist()).toEqual([0, 0, 0]);
    close(grad((v: NDArray) => np.sum(np.prod(v, 1)))(np.array([[0, 3], [5, 7]])), [[3, 0], [7, 5]], 1e-12);
    expect(deriv((v: NDArray) => np.prod(v))(np.array([2, 0, 4])).item()).toBe(8);
    expect(checkGrads((v: NDArray) => np.prod(v, 1), both)(np.array([[0, 3, 2], [5, 0.5, 7]]))).toBe(true);
    // second derivative: d²/dx0 dx1 of x0 x1 x2 = x2
    close(grad((v: NDArray) => grad((w: NDArray) => np.prod(w))(v).get(0))(np.array([0, 0, 4])), [0, 4, 0], 1e-12);
  });

  it("prod with zeros in large groups (the O(n) rule)", () => {
    const n = 3000;
    const vals = Array.from({ length: n }, (_, i) => 1 + 0.0001 * Math.sin(i));
    vals[7] = 0;
    const x = np.array(vals);
    const others = vals.reduce((p, v, i) => (i === 7 ? p : p * v), 1);
    const g = grad((v: NDArray) => np.prod(v))(x);
    expect(g.get(7).item()).toBeCloseTo(others, 12);
    expect(np.amax(np.abs(np.concatenate([g.get(":7"), g.get("8:")]))).item()).toBe(0);
    expect(checkGrads((v: NDArray) => np.prod(v), both)(x)).toBe(true);
    vals[9] = 0;
    expect(np.amax(np.abs(grad((v: NDArray) => np.prod(v))(np.array(vals)))).item()).toBe(0);
  });

  it("cumsum: the gradient of sum(cumsum(x)) is n, n-1, ..., 1", () => {
    expect(grad((v: NDArray) => np.sum(np.cumsum(v)))(np.zeros(4)).tolist()).toEqual([4, 3, 2, 1]);
    close(grad((v: NDArray) => np.sum(np.cumsum(v, 0)))(np.zeros([2, 2])), [[2, 2], [1, 1]], 1e-12);
  });
});

describe("complex128", () => {
  const z = np.complex(sample([2, 3], 1), sample([2, 3], 2));
  it("sum and mean are holomorphic (linear)", () => {
    close(holomorphicGrad((v: NDArray) => np.sum(v))(np.complex(1, 2)), np.complex(1, 0), 1e-12);
    close(holomorphicGrad((v: NDArray) => np.mean(np.multiply(v, np.complex(0, 2))))(np.complex(1, 2)), np.complex(0, 2), 1e-12);
    expect(np.sum(z).dtype).toBe("complex128");
    close(np.real(np.sum(z, 1)), np.sum(np.real(z), 1), 1e-12);
    close(np.imag(np.mean(z, 0)), np.mean(np.imag(z), 0), 1e-12);
  });
  it("real losses through sum, mean, var, std, cumsum", () => {
    expect(checkGrads((v: NDArray) => np.sum(np.abs(np.sum(v, 1))), both)(z)).toBe(true);
    expect(checkGrads((v: NDArray) => np.real(np.mean(np.multiply(v, v))), both)(z)).toBe(true);
    expect(checkGrads((v: NDArray) => np.var(v, 0), both)(z)).toBe(true);
    expect(checkGrads((v: NDArray) => np.std(v), both)(z)).toBe(true);
    expect(checkGrads((v: NDArray) => np.imag(np.cumsum(v, 1)), both)(z)).toBe(true);
    // var of complex is real: mean |x - mean|²
    expect(np.var(z).dtype).toBe("float64");
    close(np.var(z), np.add(np.var(np.real(z)), np.var(np.imag(z))), 1e-12);
  });
});

describe("complex prod", () => {
  it("values, holomorphic derivative and real-loss gradients in both modes", () => {
    const z = np.array([{ re: 1, im: 2 }, { re: -0.5, im: 1 }, { re: 2, im: -1 }]);
    const p = np.prod(z).item();
    // (1+2i)(-0.5+i) = -2.5 + 0i ; × (2 - i) = -5 + 2.5i
    expect(p.re).toBeCloseTo(-5, 12);
    expect(p.im).toBeCloseTo(2.5, 12);
    expect(np.prod(np.reshape(z, [1, 3]), { axis: 1 }).shape).toEqual([1]);
    expect(checkGrads((w: NDArray) => np.abs(np.prod(w)), { modes: ["fwd", "rev"], order: 2 })(z)).toBe(true);
    expect(checkGrads((w: NDArray) => np.real(np.sum(np.prod(w, { axis: 0 }))), { modes: ["fwd", "rev"], order: 2 })(np.reshape(np.concatenate([z, z]), [2, 3]))).toBe(true);
  });
});
