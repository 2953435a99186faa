// Elementwise unary functions: one table row per function (domain, closed-form derivative), checked with
// checkGrads in both modes to second order on several shapes, float32, values against numpy, and complex128
// (real losses, holomorphic derivatives) for the functions with complex kernels.
import { describe, expect, it } from "vitest";
import { NDArray, checkGrads, deriv, elementwiseGrad, grad, holomorphicGrad, makeVjp, np } from "../../lib/index";
import { both, close, draw, f32Tol } from "../helpers";

interface Row {
  name: string;
  /** Sampling domain: [lo, hi], optionally with random signs (to stay away from 0). */
  lo: number;
  hi: number;
  signed?: boolean;
  /** The derivative in closed form. */
  d: (x: number) => number;
  /** Has a complex kernel and is holomorphic: checked on complex128 too, with the complex derivative dz. */
  dz?: (z: NDArray) => NDArray;
}

const PI = Math.PI;
const rows: Row[] = [
  { name: "negative", lo: -2, hi: 2, d: () => -1, dz: (z) => np.multiply(np.ones_like(z), -1) },
  { name: "abs", lo: 0.2, hi: 2, signed: true, d: Math.sign },
  { name: "fabs", lo: 0.2, hi: 2, signed: true, d: Math.sign },
  { name: "reciprocal", lo: 0.5, hi: 2, signed: true, d: (x) => -1 / (x * x), dz: (z) => np.negative(np.reciprocal(np.square(z))) },
  { name: "exp", lo: -2, hi: 2, d: Math.exp, dz: (z) => np.exp(z) },
  { name: "exp2", lo: -2, hi: 2, d: (x) => Math.LN2 * 2 ** x, dz: (z) => np.multiply(np.exp2(z), Math.LN2) },
  { name: "expm1", lo: -2, hi: 2, d: Math.exp, dz: (z) => np.exp(z) },
  { name: "log", lo: 0.3, hi: 3, d: (x) => 1 / x, dz: (z) => np.reciprocal(z) },
  { name: "log2", lo: 0.3, hi: 3, d: (x) => 1 / (x * Math.LN2), dz: (z) => np.divide(1 / Math.LN2, z) },
  { name: "log10", lo: 0.3, hi: 3, d: (x) => 1 / (x * Math.LN10), dz: (z) => np.divide(1 / Math.LN10, z) },
  { name: "log1p", lo: -0.7, hi: 2, d: (x) => 1 / (1 + x), dz: (z) => np.reciprocal(np.add(z, 1)) },
  { name: "sin", lo: -3, hi: 3, d: Math.cos, dz: (z) => np.cos(z) },
  { name: "cos", lo: -3, hi: 3, d: (x) => -Math.sin(x), dz: (z) => np.negative(np.sin(z)) },
  { name: "tan", lo: -1.2, hi: 1.2, d: (x) => 1 / Math.cos(x) ** 2, dz: (z) => np.reciprocal(np.square(np.cos(z))) },
  { name: "arcsin", lo: -0.9, hi: 0.9, d: (x) => 1 / Math.sqrt(1 - x * x) },
  { name: "arccos", lo: -0.9, hi: 0.9, d: (x) => -1 / Math.sqrt(1 - x * x) },
  { name: "arctan", lo: -3, hi: 3, d: (x) => 1 / (1 + x * x) },
  { name: "sinh", lo: -2, hi: 2, d: Math.cosh, dz: (z) => np.cosh(z) },
  { name: "cosh", lo: -2, hi: 2, d: Math.sinh, dz: (z) => np.sinh(z) },
  { name: "tanh", lo: -2, hi: 2, d: (x) => 1 - Math.tanh(x) ** 2, dz: (z) => np.subtract(1, np.square(np.tanh(z))) },
  { name: "arcsinh", lo: -3, hi: 3, d: (x) => 1 / Math.sqrt(x * x + 1) },
  { name: "arccosh", lo: 1.2, hi: 3, d: (x) => 1 / Math.sqrt(x * x - 1) },
  { name: "arctanh", lo: -0.9, hi: 0.9, d: (x) => 1 / (1 - x * x) },
  { name: "rad2deg", lo: -3, hi: 3, d: () => 180 / PI },
  { name: "degrees", lo: -3, hi: 3, d: () => 180 / PI },
  { name: "deg2rad", lo: -90, hi: 90, d: () => PI / 180 },
  { name: "radians", lo: -90, hi: 90, d: () => PI / 180 },
  { name: "square", lo: -2, hi: 2, d: (x) => 2 * x, dz: (z) => np.multiply(z, 2) },
  { name: "sqrt", lo: 0.3, hi: 3, d: (x) => 0.5 / Math.sqrt(x), dz: (z) => np.divide(0.5, np.sqrt(z)) },
  { name: "cbrt", lo: 0.3, hi: 3, signed: true, d: (x) => 1 / (3 * Math.cbrt(x) ** 2) },
  { name: "sinc", lo: 0.1, hi: 2.3, signed: true, d: (x) => (Math.cos(PI * x) - Math.sin(PI * x) / (PI * x)) / x },
];

const fn = (name: string) => (np as any)[name] as (x: any) => NDArray;

describe("every differentiable unary function", () => {
  it("the table covers the elementwise module", () => {
    for (const r of rows) expect(typeof fn(r.name), r.name).toBe("function");
  });

  for (const r of rows) {
    describe(r.name, () => {
      it("checkGrads (fwd + rev, order 2) on a number, (4,) and (2, 3)", () => {
        for (const [k, shape] of ([null, [4], [2, 3]] as (number[] | null)[]).entries()) {
          const x = draw(shape, [r.lo, r.hi, r.signed], 11 + k);
          expect(checkGrads(fn(r.name), both)(x)).toBe(true);
          // composed with another function, so the second order sees a non-trivial outer derivative
          expect(checkGrads((v: NDArray) => np.sum(np.square(fn(r.name)(v))), both)(x)).toBe(true);
        }
      });

      it("closed-form derivative (reverse and forward mode)", () => {
        const x = draw([5], [r.lo, r.hi, r.signed], 5);
        const want = np.array(x.tolist().map(r.d));
        close(elementwiseGrad(fn(r.name))(x), want, 1e-9);
        close(deriv(fn(r.name))(x), want, 1e-9);
        const x0 = draw(null, [r.lo, r.hi, r.signed], 6);
        expect(grad(fn(r.name))(x0)).toBeCloseTo(r.d(x0), 10);
      });

      it("float32: dtype kept, gradients within float32 tolerance", () => {
        const x = draw([3], [r.lo, r.hi, r.signed], 7, "float32");
        expect(fn(r.name)(x).dtype).toBe("float32");
        expect(elementwiseGrad(fn(r.name))(x).dtype).toBe("float32");
        expect(deriv(fn(r.name))(x).dtype).toBe("float32");
        expect(makeVjp(fn(r.name))(x)[0](np.ones([3], "float32")).dtype).toBe("float32");
        expect(checkGrads(fn(r.name), f32Tol)(x)).toBe(true);
      });

      it("broadcast through a binary op: (3, 1) against (1, 4)", () => {
        const a = draw([3, 1], [r.lo, r.hi, r.signed], 8), b = draw([1, 4], [0.5, 1.5], 9);
        expect(checkGrads((x: NDArray, y: NDArray) => np.multiply(fn(r.name)(x), y), both)(a, b)).toBe(true);
      });
    });
  }
});

describe("values against numpy", () => {
  // [x, np.f(x)] from numpy 2.4
  const ref: Record<string, [number[], number[]]> = {
  negative: [[0.3, -0.45, 0.8], [-0.3, 0.45, -0.8]],
  abs: [[0.3, -0.45, 0.8], [0.3, 0.45, 0.8]],
  fabs: [[0.3, -0.45, 0.8], [0.3, 0.45, 0.8]],
  reciprocal: [[0.3, -0.45, 0.8], [3.3333333333333335, -2.2222222222222223, 1.25]],
  exp: [[0.3, -0.45, 0.8], [1.3498588075760032, 0.6376281516217733, 2.225540928492468]],
  exp2: [[0.3, -0.45, 0.8], [1.2311444133449163, 0.7320428479728127, 1.7411011265922482]],
  expm1: [[0.3, -0.45, 0.8], [0.3498588075760031, -0.3623718483782267, 1.2255409284924677]],
  log: [[0.3, 0.45, 0.8], [-1.2039728043259361, -0.7985076962177716, -0.2231435513142097]],
  log2: [[0.3, 0.45, 0.8], [-1.7369655941662063, -1.15200309344505, -0.3219280948873623]],
  log10: [[0.3, 0.45, 0.8], [-0.5228787452803376, -0.3467874862246563, -0.09691001300805639]],
  log1p: [[0.3, -0.45, 0.8], [0.26236426446749106, -0.5978370007556204, 0.5877866649021191]],
  sin: [[0.3, -0.45, 0.8], [0.29552020666133955, -0.43496553411123023, 0.7173560908995228]],
  cos: [[0.3, -0.45, 0.8], [0.955336489125606, 0.9004471023526769, 0.6967067093471654]],
  tan: [[0.3, -0.45, 0.8], [0.30933624960962325, -0.4830550656165784, 1.0296385570503641]],
  arcsin: [[0.3, -0.45, 0.8], [0.3046926540153975, -0.4667653390472964, 0.9272952180016123]],
  arccos: [[0.3, -0.45, 0.8], [1.2661036727794992, 2.037561665842193, 0.6435011087932843]],
  arctan: [[0.3, -0.45, 0.8], [0.2914567944778671, -0.4228539261329407, 0.6747409422235527]],
  sinh: [[0.3, -0.45, 0.8], [0.3045202934471426, -0.46534201693419774, 0.888105982187623]],
  cosh: [[0.3, -0.45, 0.8], [1.0453385141288605, 1.102970168555971, 1.3374349463048447]],
  tanh: [[0.3, -0.45, 0.8], [0.2913126124515909, -0.4218990052500079, 0.664036770267849]],
  arcsinh: [[0.3, -0.45, 0.8], [0.29567304756342244, -0.43604966885174057, 0.732668256045411]],
  arccosh: [[1.8, 1.05, 2.3], [1.1929107309930491, 0.314924756603848, 1.4750447812414251]],
  arctanh: [[0.3, -0.45, 0.8], [0.30951960420311175, -0.48470027859405174, 1.0986122886681098]],
  rad2deg: [[0.3, -0.45, 0.8], [17.188733853924695, -25.783100780887047, 45.836623610465864]],
  degrees: [[0.3, -0.45, 0.8], [17.188733853924695, -25.783100780887047, 45.836623610465864]],
  deg2rad: [[0.3, -0.45, 0.8], [0.005235987755982988, -0.007853981633974483, 0.013962634015954637]],
  radians: [[0.3, -0.45, 0.8], [0.005235987755982988, -0.007853981633974483, 0.013962634015954637]],
  square: [[0.3, -0.45, 0.8], [0.09, 0.2025, 0.6400000000000001]],
  sqrt: [[0.3, 0.45, 0.8], [0.5477225575051661, 0.6708203932499369, 0.8944271909999159]],
  cbrt: [[0.3, -0.45, 0.8], [0.6694329500821694, -0.766309432393553, 0.9283177667225557]],
  sinc: [[0.3, -0.45, 0.8], [0.8583936913341398, 0.6986465850664342, 0.23387232094715982]],
  };
  for (const [name, [x, want]] of Object.entries(ref)) {
    it(name, () => close(fn(name)(x), want, 1e-14));
  }
  it("integer and bool inputs give float64 (inexact functions) or keep their dtype", () => {
    expect(np.exp(np.array([0, 1], "int32")).dtype).toBe("float64");
    expect(np.sqrt(np.array([true, false])).dtype).toBe("float64");
    expect(np.square(np.array([2, 3], "int32")).dtype).toBe("int32");
    expect(np.negative(np.array([2, 3], "int32")).tolist()).toEqual([-2, -3]);
    expect(np.abs(np.array([-2, 3], "int32")).dtype).toBe("int32");
  });
  it("special values", () => {
    expect(np.sinc(0).item()).toBe(1);
    expect(np.log(0).item()).toBe(-Infinity);
    expect(Number.isNaN(np.sqrt(-1).item())).toBe(true);
    expect(np.arctanh(1).item()).toBe(Infinity);
  });
});

describe("closed forms and special points", () => {
  it("d/dx tanh = 1 - tanh²", () => {
    const x = np.linspace(-3, 3, 7);
    close(elementwiseGrad(np.tanh)(x), np.subtract(1, np.square(np.tanh(x))), 1e-14);
  });
  it("second derivatives: tanh'' = -2 tanh (1 - tanh²), sin'' = -sin, exp'' = exp, log'' = -1/x²", () => {
    const x = 0.7, t = Math.tanh(x);
    expect(grad(grad(np.tanh))(x)).toBeCloseTo(-2 * t * (1 - t * t), 13);
    expect(grad(grad(np.sin))(x)).toBeCloseTo(-Math.sin(x), 13);
    expect(deriv(grad(np.exp))(x)).toBeCloseTo(Math.exp(x), 13);
    expect(deriv(deriv(np.log))(x)).toBeCloseTo(-1 / (x * x), 13);
    expect(grad(deriv(np.sqrt))(x)).toBeCloseTo(-0.25 * x ** -1.5, 13);
  });
  it("tanh to third order through its one-pass VJP (tanh_grad's own rules): tanh''' = -2 (1 - t²)(1 - 3t²)", () => {
    const x = 0.7, t = Math.tanh(x);
    const third = -2 * (1 - t * t) * (1 - 3 * t * t);
    expect(grad(grad(grad(np.tanh)))(x)).toBeCloseTo(third, 12);
    expect(deriv(deriv(deriv(np.tanh)))(x)).toBeCloseTo(third, 12);
    expect(grad(deriv(grad(np.tanh)))(x)).toBeCloseTo(third, 12);
    const gradOfSum = (v: NDArray) => grad((w: NDArray) => np.sum(np.tanh(w)))(v);
    expect(checkGrads(gradOfSum, { modes: ["fwd", "rev"], order: 2 })(np.array([-1.2, 0.3, 0.9]))).toBe(true);
  });
  it("sinc at and near 0: sinc'(0) = 0, sinc''(0) = -π²/3, smooth near 0", () => {
    expect(grad(np.sinc)(0) === 0).toBe(true);
    expect(grad(grad(np.sinc))(0)).toBeCloseTo(-(PI ** 2) / 3, 10);
    expect(deriv(deriv(np.sinc))(0)).toBeCloseTo(-(PI ** 2) / 3, 10);
    for (const x of [1e-9, 1e-5, 3e-4, -2e-3]) {
      expect(grad(np.sinc)(x)).toBeCloseTo(-(PI ** 2) / 3 * x + (PI ** 4 / 30) * x ** 3, 12);
    }
    expect(checkGrads(np.sinc, both)(np.array([0, 1e-4, 0.5]))).toBe(true);
  });
  it("predicates at the edges (±0, ±Inf, NaN, subnormals) match numpy, on short and long (native-sized) arrays", () => {
    const edge = [0, -0, 1, -1, Infinity, -Infinity, NaN, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
    // numpy 2.4: np.signbit / isinf / isfinite / isnan / logical_not of the values above
    const want: Record<string, number[]> = {
      signbit: [0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1],
      isinf: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
      isfinite: [1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1],
      isnan: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      logical_not: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    };
    const long = Array.from({ length: 100 }, () => edge).flat();
    for (const [name, w] of Object.entries(want)) {
      const f = (np as any)[name] as (x: NDArray) => NDArray;
      expect([name, f(np.array(edge)).dtype, Array.from(f(np.array(edge)).data as ArrayLike<number>)]).toEqual([name, "bool", w]);
      expect([name, Array.from(f(np.array(long)).data as ArrayLike<number>)]).toEqual([name, long.map((_, i) => w[i % edge.length])]);
    }
  });
  it("abs at 0 has gradient 0", () => {
    expect(grad(np.abs)(0)).toBe(0);
    close(elementwiseGrad(np.abs)(np.array([-2, 0, 3])), [-1, 0, 1], 1e-12);
  });
});

describe("complex128", () => {
  // np.f(z) for z = [0.5+0.3j, -1.2+0.7j, 0.3-2.1j, -2+0j] from numpy 2.4, as [re, im]
  const zs = np.array([{ re: 0.5, im: 0.3 }, { re: -1.2, im: 0.7 }, { re: 0.3, im: -2.1 }, { re: -2, im: 0 }]);
  const ref: Record<string, number[][]> = {
  exp: [[1.5750835902973683, 0.48723045064424825], [0.23036603983635642, 0.19403463860745787], [-0.6814709607645539, -1.1652107663530855], [0.1353352832366127, 0.0]],
  exp2: [[1.3837477380325764, 0.29196266454758796], [0.3850359297664858, 0.20300715160470958], [0.14149874805498996, -1.222985965090879], [0.25, 0.0]],
  expm1: [[0.5750835902973683, 0.48723045064424825], [-0.7696339601636437, 0.19403463860745787], [-1.6814709607645542, -1.1652107663530855], [-0.8646647167633873, 0.0]],
  log: [[-0.5394048306859651, 0.5404195002705842], [0.32876000145839707, 2.613518205163434], [0.7520386983881372, -1.4288992721907328], [0.6931471805599453, 3.141592653589793]],
  log2: [[-0.7781966742621929, 0.7796605330400636], [0.4743004237466778, 3.7705097538623105], [1.0849625007211563, -2.061465893919419], [1.0, 4.532360141827193]],
  log10: [[-0.23426054147887249, 0.23470120688042762], [0.14277865450388685, 1.1350365348561702], [0.3266062568876719, -0.6205630691080078], [0.3010299956639812, 1.3643763538418412]],
  log1p: [[0.425075464684805, 0.19739555984988075], [-0.3174391362179849, 1.849095985800008], [0.9041443855896327, -1.0164888305933455], [0.0, 3.141592653589793]],
  sin: [[0.5011619801599462, 0.2672416992709515], [-1.1698665727426565, 0.27487868678117583], [1.224728284588968, -3.8422264998187354], [-0.9092974268256817, -0.0]],
  cos: [[0.917370851271881, -0.14599480570180629], [0.4548202223691478, 0.7070296600921536], [3.9592135940568007, 1.1885399356046373], [-0.4161468365471424, 0.0]],
  tan: [[0.4875923164921388, 0.36891039682556387], [-0.4778641038326366, 1.3472197399061192], [0.016521608473077, -0.9754116567710511], [2.185039863261519, 0.0]],
  sinh: [[0.4978213596502317, 0.3332362582744821], [-1.1544997246948547, 1.166456341965758], [-0.15373588391839546, -0.9023459967148484], [-3.626860407847019, 0.0]],
  cosh: [[1.0772622306471364, 0.15399419236976608], [1.3848657645312112, -0.9724217033583001], [-0.5277350768461584, -0.26286476963823713], [3.7621956910836314, -0.0]],
  tanh: [[0.49619706577350764, 0.2384050833381232], [-0.9544807059989404, 0.17207341976303492], [0.9157789924599439, 1.2536971519427713], [-0.9640275800758168, 0.0]],
  sqrt: [[0.7358991743046496, 0.2038322711011802], [0.3076072162230435, 1.1378146595436753], [1.1003000371625102, -0.9542851627159574], [0.0, 1.4142135623730951]],
  square: [[0.16, 0.3], [0.95, -1.68], [-4.32, -1.26], [4.0, -0.0]],
  reciprocal: [[1.4705882352941178, -0.8823529411764707], [-0.6217616580310881, -0.3626943005181347], [0.06666666666666667, 0.4666666666666667], [-0.5, -0.0]],
  negative: [[-0.5, -0.3], [1.2, -0.7], [-0.3, 2.1], [2.0, -0.0]],
  };
  for (const [name, want] of Object.entries(ref)) {
    it(`${name} values (principal branches)`, () => {
      const got = fn(name)(zs);
      expect(got.dtype).toBe("complex128");
      close(np.real(got), want.map((c) => c[0]), 1e-13);
      close(np.imag(got), want.map((c) => c[1]), 1e-13);
    });
  }

  const holo = rows.filter((r) => r.dz);
  const z0 = np.array([{ re: 0.7, im: 0.4 }, { re: 1.1, im: -0.6 }, { re: 0.4, im: 0.9 }]);
  for (const r of holo) {
    it(`${r.name}: real losses via checkGrads, holomorphicGrad vs the known derivative`, () => {
      expect(checkGrads((z: NDArray) => np.sum(np.abs(fn(r.name)(z))), both)(z0)).toBe(true);
      expect(checkGrads((z: NDArray) => np.real(np.sum(fn(r.name)(z))), both)(z0)).toBe(true);
      expect(checkGrads((z: NDArray) => np.imag(np.sum(np.multiply(fn(r.name)(z), z))), both)(z0)).toBe(true);
      expect(checkGrads((z: NDArray) => fn(r.name)(z), both)(z0)).toBe(true);
      for (let i = 0; i < 3; i++) {
        const zi = z0.get(i);
        const g = holomorphicGrad(fn(r.name))(zi);
        expect(g.dtype).toBe("complex128");
        close(g, r.dz!(zi), 1e-12);
      }
      // the real-loss convention: grad of Re f = conj-free f'(z) for holomorphic f (autograd's), i.e. ∂u/∂x − i ∂u/∂y
      close(grad((z: NDArray) => np.real(fn(r.name)(z)))(z0.get(0)), r.dz!(z0.get(0)), 1e-12);
    });
  }

  it("abs, real, imag, conj, angle: real losses and their closed forms", () => {
    const loss = (f: (z: NDArray) => NDArray) => (z: NDArray) => np.sum(np.multiply(f(z), np.array([1, 2, 3])));
    for (const f of [np.abs, np.real, np.imag, np.angle]) expect(checkGrads(loss(f), both)(z0)).toBe(true);
    expect(checkGrads((z: NDArray) => np.real(np.sum(np.multiply(np.conj(z), z))), both)(z0)).toBe(true);
    expect(checkGrads((z: NDArray) => np.imag(np.sum(np.multiply(np.conj(z), np.array([1, 2, 3])))), both)(z0)).toBe(true);
    expect(checkGrads((z: NDArray) => np.abs(np.conj(z)), both)(z0)).toBe(true);
    const z = np.complex(3, 4);
    // |z| = sqrt(x² + y²): ∂/∂x − i ∂/∂y = (x − iy)/|z|
    close(grad(np.abs)(z), np.complex(0.6, -0.8), 1e-12);
    close(grad(np.real)(z), np.complex(1, 0), 1e-12);
    close(grad(np.imag)(z), np.complex(0, -1), 1e-12);
    // angle = atan2(y, x): ∂/∂x = -y/|z|², ∂/∂y = x/|z|²
    close(grad(np.angle)(z), np.complex(-4 / 25, -3 / 25), 1e-12);
    // |z|² via conj: 2x − 2iy
    close(grad((v: NDArray) => np.real(np.multiply(np.conj(v), v)))(z), np.complex(6, -8), 1e-12);
    // real inputs: abs, real, angle are real functions
    expect(grad((v: NDArray) => np.sum(np.real(v)))(np.array([1, 2])).tolist()).toEqual([1, 1]);
    expect(grad((v: NDArray) => np.sum(np.imag(v)))(np.array([1, 2])).tolist()).toEqual([0, 0]);
    expect(grad((v: NDArray) => np.sum(np.angle(v)))(np.array([1, -2])).tolist()).toEqual([0, 0]);
    expect(np.angle([1, -2]).tolist()).toEqual([0, PI]);
    // dtypes as numpy: parts of real arrays keep the real dtype
    const f = np.array([1, -2], "float32");
    expect([np.real(f).dtype, np.imag(f).dtype, np.angle(f).dtype, np.abs(f).dtype]).toEqual(["float32", "float32", "float32", "float32"]);
    expect(np.imag(np.array([1, 2], "int32")).dtype).toBe("int32");
    expect([np.real(z0).dtype, np.imag(z0).dtype, np.angle(z0).dtype, np.abs(z0).dtype, np.conj(z0).dtype]).toEqual(["float64", "float64", "float64", "float64", "complex128"]);
  });
});
