// Broadcasting binary functions: one table row per function (domains of both arguments, closed-form partial
// derivatives), checked with checkGrads in both modes to second order on broadcasting pairs, float32, values
// against numpy, ties of maximum/minimum, and complex128 for the functions with complex kernels.
import { describe, expect, it } from "vitest";
import { NDArray, ShapeError, checkGrads, deriv, elementwiseGrad, grad, holomorphicGrad, np } from "../../lib/index";
import { type Domain, both, close, draw, f32Tol } from "../helpers";

interface Row {
  name: string;
  a: Domain;
  b: Domain;
  /** Closed-form partial derivatives ∂f/∂a and ∂f/∂b. */
  da: (a: number, b: number) => number;
  db: (a: number, b: number) => number;
  /** Holomorphic with complex kernels: the complex partials. */
  dza?: (a: NDArray, b: NDArray) => NDArray;
  dzb?: (a: NDArray, b: NDArray) => NDArray;
}

const any: Domain = [-2, 2];
const away: Domain = [0.5, 2, true];
const pos: Domain = [0.5, 2];
const LN2 = Math.LN2;
const rows: Row[] = [
  { name: "add", a: any, b: any, da: () => 1, db: () => 1, dza: (a) => np.ones_like(a), dzb: (a) => np.ones_like(a) },
  { name: "subtract", a: any, b: any, da: () => 1, db: () => -1, dza: (a) => np.ones_like(a), dzb: (a) => np.negative(np.ones_like(a)) },
  { name: "multiply", a: any, b: any, da: (_a, b) => b, db: (a) => a, dza: (_a, b) => b, dzb: (a) => a },
  { name: "divide", a: any, b: away, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b),
    dza: (_a, b) => np.reciprocal(b), dzb: (a, b) => np.negative(np.divide(a, np.square(b))) },
  { name: "power", a: pos, b: any, da: (a, b) => b * a ** (b - 1), db: (a, b) => a ** b * Math.log(a),
    dza: (a, b) => np.multiply(b, np.power(a, np.subtract(b, 1))), dzb: (a, b) => np.multiply(np.power(a, b), np.log(a)) },
  { name: "maximum", a: any, b: any, da: (a, b) => (a > b ? 1 : 0), db: (a, b) => (b > a ? 1 : 0) },
  { name: "minimum", a: any, b: any, da: (a, b) => (a < b ? 1 : 0), db: (a, b) => (b < a ? 1 : 0) },
  { name: "fmax", a: any, b: any, da: (a, b) => (a > b ? 1 : 0), db: (a, b) => (b > a ? 1 : 0) },
  { name: "fmin", a: any, b: any, da: (a, b) => (a < b ? 1 : 0), db: (a, b) => (b < a ? 1 : 0) },
  { name: "logaddexp", a: any, b: any, da: (a, b) => Math.exp(a) / (Math.exp(a) + Math.exp(b)), db: (a, b) => Math.exp(b) / (Math.exp(a) + Math.exp(b)) },
  { name: "logaddexp2", a: any, b: any, da: (a, b) => 2 ** a / (2 ** a + 2 ** b), db: (a, b) => 2 ** b / (2 ** a + 2 ** b) },
  { name: "mod", a: [2.1, 2.4, true], b: [1.3, 1.6, true], da: () => 1, db: (a, b) => -Math.floor(a / b) },
  { name: "fmod", a: [2.1, 2.4, true], b: [1.3, 1.6, true], da: () => 1, db: (a, b) => -Math.trunc(a / b) },
  { name: "arctan2", a: away, b: away, da: (a, b) => b / (a * a + b * b), db: (a, b) => -a / (a * a + b * b) },
  { name: "hypot", a: away, b: away, da: (a, b) => a / Math.hypot(a, b), db: (a, b) => b / Math.hypot(a, b) },
  { name: "copysign", a: away, b: away, da: (a, b) => Math.sign(a) * Math.sign(b), db: () => 0 },
  { name: "ldexp", a: any, b: any, da: (_a, b) => 2 ** b, db: (a, b) => a * 2 ** b * LN2 },
];

const fn = (name: string) => (np as any)[name] as (a: any, b: any) => NDArray;

/** Shape pairs: equal, (3,1) with (1,4), (2,3) with (3,), number with array, array with number, 0-d with 1-d. */
const pairs: [number[] | null, number[] | null][] = [[[3], [3]], [[3, 1], [1, 4]], [[2, 3], [3]], [null, [2, 3]], [[2, 3], null], [[], [2]], [null, null]];

describe("every differentiable binary function", () => {
  for (const r of rows) {
    describe(r.name, () => {
      it("checkGrads (fwd + rev, order 2) on broadcasting pairs", () => {
        pairs.forEach(([sa, sb], k) => {
          const a = draw(sa, r.a, 3 + k), b = draw(sb, r.b, 40 + k);
          expect(checkGrads(fn(r.name), both)(a, b)).toBe(true);
          // and inside a loss, so that second derivatives of both arguments mix
          expect(checkGrads((x: NDArray, y: NDArray) => np.sum(np.square(fn(r.name)(x, y))), both)(a, b)).toBe(true);
        });
      });

      it("closed-form partial derivatives, reverse and forward mode", () => {
        const a = draw([5], r.a, 7), b = draw([5], r.b, 8);
        const av: number[] = a.tolist(), bv: number[] = b.tolist();
        const wantA = av.map((x, i) => r.da(x, bv[i])), wantB = av.map((x, i) => r.db(x, bv[i]));
        close(elementwiseGrad(fn(r.name), 0)(a, b), wantA, 1e-9);
        close(elementwiseGrad(fn(r.name), 1)(a, b), wantB, 1e-9);
        close(deriv(fn(r.name), 0)(a, b), wantA, 1e-9);
        close(deriv(fn(r.name), 1)(a, b), wantB, 1e-9);
      });

      it("gradients of broadcast arguments are summed back to their shapes", () => {
        const a = draw([3, 1], r.a, 9), b = draw([1, 4], r.b, 10);
        const [ga, gb] = grad((x: NDArray, y: NDArray) => np.sum(fn(r.name)(x, y)), [0, 1])(a, b);
        expect(ga.shape).toEqual([3, 1]);
        expect(gb.shape).toEqual([1, 4]);
        const av: number[] = a.tolist().flat(), bv: number[] = b.tolist().flat();
        close(ga, av.map((x) => [bv.reduce((s, y) => s + r.da(x, y), 0)]), 1e-9);
        close(gb, [bv.map((y) => av.reduce((s, x) => s + r.db(x, y), 0))], 1e-9);
        // a number argument gets a number gradient
        const g = grad((x: number) => np.sum(fn(r.name)(x, b)))(draw(null, r.a, 11));
        expect(typeof g).toBe("number");
      });

      it("float32: dtype kept (with float32 and with JS numbers), gradients within float32 tolerance", () => {
        const a = draw([3], r.a, 12, "float32"), b = draw([3], r.b, 13, "float32");
        expect(fn(r.name)(a, b).dtype).toBe("float32");
        expect(fn(r.name)(a, draw(null, r.b, 14)).dtype).toBe("float32");
        const [ga, gb] = grad((x: NDArray, y: NDArray) => np.sum(fn(r.name)(x, y)), [0, 1])(a, b);
        expect([ga.dtype, gb.dtype]).toEqual(["float32", "float32"]);
        expect(deriv(fn(r.name))(a, b).dtype).toBe("float32");
        expect(checkGrads(fn(r.name), f32Tol)(a, b)).toBe(true);
      });
    });
  }
});

describe("values against numpy", () => {
  const a = [2.3, -2.2, 2.15, -2.35], b = [1.4, 1.5, -1.35, -1.55];
  // np.f(a, b) from numpy 2.4
  const ref: Record<string, number[]> = {
    add: [3.6999999999999997, -0.7000000000000002, 0.7999999999999998, -3.9000000000000004],
    subtract: [0.8999999999999999, -3.7, 3.5, -0.8],
    multiply: [3.2199999999999998, -3.3000000000000003, -2.9025, 3.6425],
    divide: [1.6428571428571428, -1.4666666666666668, -1.5925925925925923, 1.5161290322580645],
    maximum: [2.3, 1.5, 2.15, -1.55],
    minimum: [1.4, -2.2, -1.35, -2.35],
    fmax: [2.3, 1.5, 2.15, -1.55],
    fmin: [1.4, -2.2, -1.35, -2.35],
    logaddexp: [2.6411538747320877, 1.5244228459337792, 2.1797504182726204, -1.1788993340522222],
    logaddexp2: [2.919071823960595, 1.6069466168001365, 2.272193416202274, -0.8952444459545611],
    mod: [0.8999999999999999, 0.7999999999999998, -0.5500000000000003, -0.8],
    fmod: [0.8999999999999999, -0.7000000000000002, 0.7999999999999998, -0.8],
    arctan2: [1.0240074859056492, -0.9723774333163594, 2.1314833217777025, -2.1538728618140413],
    hypot: [2.692582403567252, 2.6627053911388696, 2.5387004549572207, 2.8151376520518494],
    copysign: [2.3, 2.2, -2.15, -2.35],
  };
  for (const [name, want] of Object.entries(ref)) it(name, () => close(fn(name)(a, b), want, 1e-14));
  it("power and ldexp", () => {
    close(np.power(np.abs(a), b), [3.2093639532679714, 3.263127334322092, 0.3558017494237936, 0.2659774472306904], 1e-14);
    close(np.ldexp(a, np.array([1, -2, 3, 0], "int32")), [4.6, -0.55, 17.2, -2.35], 1e-14);
  });
  it("NaN handling: maximum propagates, fmax ignores", () => {
    expect(np.maximum([NaN, 1], [1, NaN]).tolist().map(Number.isNaN)).toEqual([true, true]);
    expect(np.fmax([NaN, 1], [1, NaN]).tolist()).toEqual([1, 1]);
    expect(np.fmin([NaN, 1], [1, NaN]).tolist()).toEqual([1, 1]);
    expect(np.mod(-1, 3).item()).toBe(2);
    expect(np.fmod(-1, 3).item()).toBe(-1);
    expect(Number.isNaN(np.mod(5, 0).item())).toBe(true);
  });
  it("dtypes follow numpy (weak JS scalars)", () => {
    const i = np.array([1, 2], "int32");
    expect(np.add(i, 1).dtype).toBe("int32");
    expect(np.add(i, 1.5).dtype).toBe("float64");
    expect(np.divide(i, 2).dtype).toBe("float64");
    expect(np.add(i, np.array([1, 2], "float32")).dtype).toBe("float64");
    expect(np.add(np.array([true]), np.array([true])).dtype).toBe("bool");
    expect(np.multiply(np.array([1], "float32"), 2.5).dtype).toBe("float32");
    expect(np.power(i, 2).tolist()).toEqual([1, 4]);
    expect(() => np.power(i, -1)).toThrow(/integers to negative integer powers/);
    expect(() => np.power(i, np.array([1, -2], "int32"))).toThrow(/integers to negative integer powers/);
    expect(np.power(i, -1.5).dtype).toBe("float64");
    expect(() => np.power(2, np.array([-1], "int32"))).toThrow(/negative integer powers/); // as numpy: 2 is a weak int
    expect(np.power(0.5, np.array([-1], "int32")).tolist()).toEqual([2]);
  });
  it("shape errors name the operation and both shapes", () => {
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(ShapeError);
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(/np\.add.*\(2, 3\).*\(4,\)/);
  });
});

describe("closed forms at special points", () => {
  it("d/da logaddexp(a, b) = sigmoid(a - b)", () => {
    const a = np.array([-3, 0, 2.5]), b = np.array([1, 0, -1]);
    const sig = np.reciprocal(np.add(1, np.exp(np.subtract(b, a))));
    close(elementwiseGrad(np.logaddexp)(a, b), sig, 1e-14);
    // stable for large arguments
    close(elementwiseGrad(np.logaddexp)(np.array([1000, -1000]), np.array([0, 0])), [1, 0], 1e-14);
    expect(np.logaddexp(1000, 1000).item()).toBeCloseTo(1000 + Math.LN2, 10);
  });

  it("maximum/minimum/fmax/fmin ties split the gradient 0.5/0.5", () => {
    for (const f of [np.maximum, np.minimum, np.fmax, np.fmin]) {
      const x = np.array([1, 2, 3]);
      const [ga, gb] = grad((a: NDArray, b: NDArray) => np.sum(f(a, b)), [0, 1])(x, x);
      expect(ga.tolist()).toEqual([0.5, 0.5, 0.5]);
      expect(gb.tolist()).toEqual([0.5, 0.5, 0.5]);
      // forward mode agrees
      expect(deriv((a: NDArray) => f(a, x))(x).tolist()).toEqual([0.5, 0.5, 0.5]);
    }
    expect(elementwiseGrad((a: NDArray) => np.maximum(a, 1))(np.array([1, 2, 0])).tolist()).toEqual([0.5, 1, 0]);
    expect(grad((a: number) => np.maximum(a, a))(2)).toBe(1);
  });

  it("power at 0: d/dx x^0 = 0, d/dx x^1 = 1, d²/dx² x^2 = 2, d/db 0^b = 0", () => {
    expect(grad((x: NDArray) => np.power(x, 0))(0)).toBe(0);
    expect(grad((x: NDArray) => np.power(x, 1))(0)).toBe(1);
    expect(grad(grad((x: NDArray) => np.power(x, 2)))(0)).toBe(2);
    expect(elementwiseGrad((x: NDArray) => np.power(x, np.array([0, 1, 2])))(np.zeros(3)).tolist()).toEqual([0, 1, 0]);
    expect(deriv((x: NDArray) => np.power(x, np.array([0, 1, 2])))(np.zeros(3)).tolist()).toEqual([0, 1, 0]);
    expect(grad((b: number) => np.power(0, b))(2)).toBe(0);
    // integer powers of negative numbers
    expect(checkGrads((x: NDArray) => np.power(x, 3), both)(np.array([-1.5, 0.5, 2]))).toBe(true);
    expect(checkGrads((x: NDArray) => np.power(2, x), both)(np.array([-1.5, 0.5, 2]))).toBe(true);
  });

  it("ldexp with an integer exponent array (not differentiated)", () => {
    const e = np.array([1, -2, 3], "int32");
    expect(checkGrads((x: NDArray) => np.ldexp(x, e), both)(np.array([0.3, -1.2, 2]))).toBe(true);
    close(elementwiseGrad((x: NDArray) => np.ldexp(x, e))(np.array([0.3, -1.2, 2])), [2, 0.25, 8], 1e-12);
  });
});

describe("complex128", () => {
  const z = np.array([{ re: 0.5, im: 0.3 }, { re: -1.2, im: 0.7 }]), w = np.array([{ re: 0.8, im: -0.4 }, { re: 1.1, im: 0.2 }]);
  // np.f(z, w) from numpy 2.4, as [re, im]
  const ref: Record<string, number[][]> = {
    add: [[1.3, -0.10000000000000003], [-0.09999999999999987, 0.8999999999999999]],
    subtract: [[-0.30000000000000004, 0.7], [-2.3, 0.49999999999999994]],
    multiply: [[0.52, 0.03999999999999998], [-1.46, 0.53]],
    divide: [[0.35, 0.55], [-0.944, 0.8079999999999998]],
    power: [[0.6427731109177743, 0.4867121749011831], [-0.8341019357939369, 0.16992386919661454]],
  };
  for (const [name, want] of Object.entries(ref)) {
    it(`${name}: values, real losses (complex/complex, complex/real, real/complex), holomorphic partials`, () => {
      const got = fn(name)(z, w);
      close(np.real(got), want.map((c) => c[0]), 1e-13);
      close(np.imag(got), want.map((c) => c[1]), 1e-13);
      const r = rows.find((x) => x.name === name)!;
      const zc = np.array([{ re: 0.7, im: 0.4 }, { re: 1.1, im: -0.6 }, { re: 0.4, im: 0.9 }]);
      const wc = np.array([{ re: 0.9, im: -0.3 }, { re: 0.6, im: 0.5 }, { re: 1.3, im: 0.1 }]);
      const wr = np.array([0.9, 1.6, 1.3]);
      const loss = (x: NDArray, y: NDArray) => np.sum(np.abs(fn(name)(x, y)));
      const lossRe = (x: NDArray, y: NDArray) => np.real(np.sum(np.multiply(fn(name)(x, y), np.array([1, 2, 3]))));
      for (const [x, y] of [[zc, wc], [zc, wr], [wr, zc]] as [NDArray, NDArray][]) {
        expect(checkGrads(loss, both)(x, y)).toBe(true);
        expect(checkGrads(lossRe, both)(x, y)).toBe(true);
      }
      // broadcasting a complex scalar against an array
      expect(checkGrads(loss, both)(np.complex(0.6, 0.2), wc)).toBe(true);
      // a real input gets a real gradient
      const gReal = grad(loss, 1)(zc, wr);
      expect(gReal.dtype).toBe("float64");
      for (let i = 0; i < 3; i++) {
        const zi = zc.get(i), wi = wc.get(i);
        close(holomorphicGrad((x: NDArray) => fn(name)(x, wi))(zi), r.dza!(zi, wi), 1e-12);
        close(holomorphicGrad((y: NDArray) => fn(name)(zi, y))(wi), r.dzb!(zi, wi), 1e-12);
      }
    });
  }
});
