// scipy.special: values against scipy (Debian's /usr/bin/python3 with python3-scipy, when present), known values,
// closed-form derivatives, gradients in both modes to second order, and errors.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GradientError, NDArray, checkGrads, elementwiseGrad, grad, makeJvp, np } from "../../lib/index";
import { scipy } from "../../lib/scipy/index";
import { type PyArray, pyEval, pythonHas, toPy } from "../fft/python";

const { special } = scipy;
const PY = "/usr/bin/python3";
const hasScipy = pythonHas(PY, ["scipy.special", "numpy"]);
if (!hasScipy) console.log(`test/scipy: skipping scipy comparisons: \`${PY} -c 'import scipy'\` failed (install python3-scipy)`);

const check2 = (f: (...a: any[]) => any, ...args: any[]) => checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args);
const lin = (a: number, b: number, n: number) => np.linspace(a, b, n);
const arrClose = (x: NDArray, ref: ArrayLike<number>, rtol: number, atol = 0) => {
  expect(x.size).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const a = x.data[i] as number, b = ref[i];
    if (Number.isNaN(b) || Number.isNaN(a)) {
      expect([i, a]).toEqual([i, b]);
      continue;
    }
    if (a === b) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) throw new Error(`element ${i}: ${a} vs ${b} (rtol ${rtol}, atol ${atol})`);
  }
};

describe("scipy.special values against scipy", () => {
  it.skipIf(!hasScipy)("every function on a grid (broadcasting arguments)", () => {
    // [name, python expression, arguments, rtol, atol]
    const cases: [string, string, NDArray[], number, number?][] = [
      ["gammaln", "s.gammaln(x)", [lin(-9.7, 30, 101)], 1e-14],
      ["gamma", "s.gamma(x)", [lin(-5.3, 20, 101)], 1e-14],
      ["digamma", "s.digamma(x)", [lin(-5.3, 40, 101)], 1e-14],
      ["psi", "s.psi(x)", [lin(0.01, 4, 11)], 1e-14],
      ["polygamma", "s.polygamma(x, y)", [np.array([0, 1, 2, 3, 4]).reshape(5, 1), lin(0.1, 20, 23)], 1e-14],
      ["beta", "s.beta(x, y)", [lin(0.1, 10, 13).reshape(13, 1), lin(0.2, 7, 11)], 1e-14],
      ["betaln", "s.betaln(x, y)", [lin(0.1, 30, 13).reshape(13, 1), lin(0.2, 70, 11)], 1e-13],
      ["erf", "s.erf(x)", [lin(-6, 6, 101)], 1e-14],
      ["erfc", "s.erfc(x)", [lin(-6, 27, 101)], 5e-14, 1e-300],
      ["erfinv", "s.erfinv(x)", [lin(-0.999, 0.999, 101)], 1e-14],
      ["erfcinv", "s.erfcinv(x)", [lin(1e-10, 1.999, 101)], 1e-14],
      ["ndtr", "s.ndtr(x)", [lin(-38, 9, 101)], 1e-13, 1e-300],
      ["log_ndtr", "s.log_ndtr(x)", [lin(-100, 40, 301)], 1e-13],
      ["ndtri", "s.ndtri(x)", [lin(1e-12, 1 - 1e-12, 101)], 1e-14],
      ["expit", "s.expit(x)", [lin(-800, 800, 101)], 1e-14, 1e-300],
      ["logit", "s.logit(x)", [lin(1e-6, 1 - 1e-6, 101)], 1e-14],
      ["log_expit", "s.log_expit(x)", [lin(-800, 800, 101)], 1e-14],
      ["xlogy", "s.xlogy(x, y)", [np.array([0, 1, 2.5]).reshape(3, 1), lin(0, 5, 11)], 1e-14],
      ["xlog1py", "s.xlog1py(x, y)", [np.array([0, 1, 2.5]).reshape(3, 1), lin(-0.9, 5, 11)], 1e-14],
      ["i0", "s.i0(x)", [lin(-50, 50, 1001)], 3e-15],
      ["i1", "s.i1(x)", [lin(-50, 50, 1001)], 3e-15],
      ["i0e", "s.i0e(x)", [lin(-50, 50, 1001)], 3e-15],
      ["i1e", "s.i1e(x)", [lin(-50, 50, 1001)], 3e-15],
      ["j0", "s.j0(x)", [lin(-50, 50, 101)], 1e-13, 1e-15],
      ["j1", "s.j1(x)", [lin(-50, 50, 101)], 1e-13, 1e-15],
      ["gammainc", "s.gammainc(x, y)", [np.array([0.1, 0.5, 1, 2.5, 10, 50]).reshape(6, 1), lin(0, 60, 31)], 1e-13],
      ["gammaincc", "s.gammaincc(x, y)", [np.array([0.1, 0.5, 1, 2.5, 10, 50]).reshape(6, 1), lin(0, 60, 31)], 1e-13],
      ["betainc", "s.betainc(x, y, z)", [np.array([0.5, 1, 2.5, 10]).reshape(4, 1, 1), np.array([0.3, 1, 4]).reshape(3, 1), lin(0, 1, 11)], 1e-13],
    ];
    const vars = ["x", "y", "z"];
    const refs = pyEval(PY, cases.map(([, e, xs]) => [e, Object.fromEntries(xs.map((x, i) => [vars[i], toPy(x)]))]), "import scipy.special as s");
    cases.forEach(([name, , xs, rtol, atol], i) => {
      const r = refs[i];
      if ("error" in r) throw new Error(`${name}: scipy raised ${r.error}`);
      try {
        arrClose((special as any)[name](...xs), (r as PyArray).re, rtol, atol ?? 0);
      } catch (e) {
        throw new Error(`scipy.special.${name}: ${(e as Error).message}`);
      }
    });
  });

  it.skipIf(!hasScipy)("logsumexp, softmax, log_softmax, multigammaln", () => {
    const a = np.array([[1, 2, -Infinity], [-Infinity, -Infinity, -Infinity], [1000, 1000.5, -3]]);
    const b = np.array([1, -2, 0.5]);
    const list: [NDArray | NDArray[], string][] = [
      [special.logsumexp(a), "s.logsumexp(a)"],
      [special.logsumexp(a, 1), "s.logsumexp(a, 1)"],
      [special.logsumexp(a, { axis: 0, keepdims: true }), "s.logsumexp(a, 0, keepdims=True)"],
      [special.logsumexp(a, { axis: 1, b, return_sign: true }), "s.logsumexp(a, 1, b=b, return_sign=True)"],
      [special.logsumexp(np.array([1, 2]), { b: np.array([[1, 1], [2, -1]]), axis: -1, return_sign: true }), "s.logsumexp(np.array([1., 2.]), -1, b=np.array([[1., 1.], [2., -1.]]), return_sign=True)"],
      [special.softmax(a, 1), "s.softmax(a, 1)"],
      [special.softmax(np.array([[1, 2], [3, 4]])), "s.softmax(np.array([[1., 2.], [3., 4.]]))"],
      [special.log_softmax(np.array([[1, 2], [3, 4]]), { axis: 0 }), "s.log_softmax(np.array([[1., 2.], [3., 4.]]), axis=0)"],
      [special.multigammaln(lin(1.1, 20, 11), 3), "s.multigammaln(np.linspace(1.1, 20, 11), 3)"],
    ];
    const refs = pyEval(PY, list.map(([, e]) => [e, { a: toPy(a), b: toPy(b) }]), "import scipy.special as s");
    refs.forEach((r, i) => {
      if ("error" in r) throw new Error(`${list[i][1]}: scipy raised ${r.error}`);
      const ours = list[i][0];
      const pairs: [NDArray, PyArray][] = Array.isArray(ours) ? ours.map((o, k) => [o, (r as any)[k]]) : [[ours, r as PyArray]];
      for (const [o, ref] of pairs) {
        expect(o.shape).toEqual(ref.shape);
        arrClose(o, ref.re, 1e-14);
      }
    });
  });
});

describe("scipy.special known values (no scipy needed)", () => {
  it("closed forms", () => {
    expect(special.gammaln(5).item()).toBeCloseTo(Math.log(24), 14);
    expect(special.digamma(1).item()).toBeCloseTo(-0.5772156649015329, 15);
    expect(special.psi(1).item()).toBe(special.digamma(1).item());
    expect(special.polygamma(1, 1).item()).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(special.gamma(5.5).item()).toBeCloseTo(52.34277778455352, 12);
    expect(special.beta(2, 3).item()).toBeCloseTo(1 / 12, 15);
    expect(special.erf(0).item()).toBe(0);
    expect(special.erfinv(special.erf(0.3)).item()).toBeCloseTo(0.3, 15);
    expect(special.expit(0).item()).toBe(0.5);
    expect(special.logit(0.5).item()).toBe(0);
    expect(special.ndtr(0).item()).toBe(0.5);
    expect(special.ndtri(0.975).item()).toBeCloseTo(1.959963984540054, 14);
    expect(special.log_ndtr(-40).item()).toBeCloseTo(-804.6084420137538, 10);
    expect(special.i0(0).item()).toBe(1);
    expect(special.i1(1).item()).toBeCloseTo(0.5651591039924851, 15);
    expect(special.i0(1).item()).toBeCloseTo(1.2660658777520084, 15);
    expect(special.i0(30).item() / 781672297823.9775).toBeCloseTo(1, 14);
    expect(special.j0(0).item()).toBe(1);
    expect(special.xlogy(0, 0).item()).toBe(0);
    expect(special.gammainc(1, 2).item()).toBeCloseTo(1 - Math.exp(-2), 15);
    expect(special.gammaincc(1, 2).item()).toBeCloseTo(Math.exp(-2), 15);
    expect(special.logsumexp([0, 0]).item()).toBeCloseTo(Math.LN2, 15);
    expect(special.logsumexp([-Infinity, -Infinity]).item()).toBe(-Infinity);
    expect(special.logsumexp([1e4, 1e4]).item()).toBeCloseTo(1e4 + Math.LN2, 10);
    expect(Number.isNaN(special.logsumexp([0, 0], { b: [1, -2] }).item())).toBe(true);
    const [v, s] = special.logsumexp([0, 0], { b: [1, -2], return_sign: true });
    expect([v.item(), s.item()]).toEqual([0, -1]);
  });
});

describe("scipy.special derivatives", () => {
  beforeAll(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));
  afterAll(() => vi.restoreAllMocks());
  const eg = (f: (x: NDArray) => NDArray, x: NDArray) => elementwiseGrad(f)(x) as NDArray;
  const same = (a: NDArray, b: NDArray, tol = 1e-12) => arrClose(a, b.data as Float64Array, tol, tol);

  it("closed-form first derivatives", () => {
    const x = lin(0.3, 5, 9);
    same(eg(special.gammaln, x), special.digamma(x));
    same(eg(special.digamma, x), special.polygamma(1, x));
    same(eg(special.gamma, x), np.multiply(special.gamma(x), special.digamma(x)));
    same(eg((z) => special.polygamma(2, z), x), special.polygamma(3, x));
    same(eg(special.erf, x), np.multiply(2 / Math.sqrt(Math.PI), np.exp(np.negative(np.square(x)))));
    const p = lin(-0.9, 0.9, 7);
    same(eg(special.erfinv, p), np.multiply(Math.sqrt(Math.PI) / 2, np.exp(np.square(special.erfinv(p)))));
    same(eg(special.i0, x), special.i1(x));
    same(eg(special.j0, x), np.negative(special.j1(x)));
    // i1' = i0 − i1/x, j1' = (j0 − j2)/2 with j2 = 2 j1/x − j0, both 1/2 at 0
    same(eg(special.i1, x), np.subtract(special.i0(x), np.divide(special.i1(x), x)));
    const j2 = np.subtract(np.divide(np.multiply(2, special.j1(x)), x), special.j0(x));
    same(eg(special.j1, x), np.multiply(0.5, np.subtract(special.j0(x), j2)));
    const i1f = (z: NDArray) => special.i1(z), j1f = (z: NDArray) => special.j1(z);
    expect(grad(i1f)(0)).toBe(0.5);
    expect(grad(j1f)(0)).toBe(0.5);
    expect(grad(grad(i1f))(0)).toBe(0);
    same(eg(special.ndtr, x), np.divide(np.exp(np.multiply(-0.5, np.square(x))), Math.sqrt(2 * Math.PI)));
    // log_ndtr' = φ/Φ, finite far in the left tail (≈ −x)
    expect(grad((z: NDArray) => special.log_ndtr(z))(-50) / 50).toBeCloseTo(1, 3);
    same(eg(special.expit, x), np.multiply(special.expit(x), np.subtract(1, special.expit(x))));
    // gammainc' in x: x^{a−1} e^{−x} / Γ(a)
    expect(grad((z: NDArray) => special.gammainc(2.5, z))(1.3)).toBeCloseTo(Math.pow(1.3, 1.5) * Math.exp(-1.3) / special.gamma(2.5).item(), 14);
  });

  it("gradient of logsumexp is softmax (times b); -inf entries get 0", () => {
    const a = np.array([[0.5, -1, 2], [3, 0, -Infinity]]);
    const g = grad((z: NDArray) => np.sum(special.logsumexp(z, 1)))(a);
    same(g, special.softmax(a, 1));
    expect(g.tolist()[1][2]).toBe(0);
    const b = np.array([1, 2, 0.5]);
    const gb = grad((z: NDArray) => np.sum(special.logsumexp(z, { axis: 1, b })))(a);
    same(gb, np.divide(np.multiply(b, np.exp(a)), np.sum(np.multiply(b, np.exp(a)), { axis: 1, keepdims: true })));
    // an all -inf slice: value -inf, gradient 0 (not nan)
    const g2 = grad((z: NDArray) => special.logsumexp(z))(np.array([-Infinity, -Infinity]));
    expect(g2.tolist()).toEqual([0, 0]);
    const [, jv] = makeJvp((z: NDArray) => special.logsumexp(z))(np.array([1, 2]))(np.array([1, 1]));
    expect(jv.item()).toBeCloseTo(1, 15);
  });

  it("checkGrads, both modes, second order: unary functions", () => {
    const pos = lin(0.4, 4, 5), unit = lin(-0.8, 0.8, 5), any = lin(-3, 3, 6), prob = lin(0.1, 0.9, 5);
    const rows: [(x: NDArray) => NDArray, NDArray][] = [
      [special.gammaln, pos], [special.gamma, pos], [special.digamma, pos], [special.psi, pos],
      [special.erf, any], [special.erfc, any], [special.erfinv, unit], [special.erfcinv, np.add(unit, 1)],
      [special.expit, any], [special.logit, prob], [special.log_expit, any],
      [special.ndtr, any], [special.log_ndtr, lin(-30, 5, 6)], [special.ndtri, prob],
      [special.i0, any], [special.i1, any], [special.i0e, any], [special.i1e, any], [special.j0, any], [special.j1, any],
      [special.i1, np.array([0, 25, -30])], [special.j1, np.array([0])],
      [(x) => special.multigammaln(x, 3), np.add(pos, 1)],
    ];
    for (const [f, x] of rows) check2(f, x);
  });

  it("checkGrads: binary functions with broadcasting, x-only functions, logsumexp family", () => {
    const col = np.array([[0.7], [2.1]]), row = np.array([0.5, 1.5, 3]);
    check2(special.beta, col, row);
    check2(special.betaln, row, col);
    check2(special.xlogy, col, row);
    check2(special.xlog1py, row, np.array([[-0.5], [2]]));
    check2((x: NDArray) => special.polygamma(np.array([[0], [1], [3]]), x), row);
    check2((x: NDArray) => special.gammainc(col, x), row);
    check2((x: NDArray) => special.gammaincc(row, x), col);
    check2((x: NDArray) => special.betainc(col, row, x), np.array([0.2, 0.5, 0.9]));
    const a = np.array([[0.5, -1, 2], [3, 0, 1.5]]);
    check2((z: NDArray) => special.logsumexp(z), a);
    check2((z: NDArray) => special.logsumexp(z, { axis: 0, keepdims: true }), a);
    check2((z: NDArray, b: NDArray) => special.logsumexp(z, { axis: 1, b }), a, np.array([1, 0.5, 2]));
    check2((z: NDArray, b: NDArray) => special.logsumexp(z, { axis: -1, b, return_sign: true })[0], np.array([0.3, 1]), np.array([[1, 2], [-2, 0.5]]));
    check2((z: NDArray) => special.softmax(z, 1), a);
    check2((z: NDArray) => special.log_softmax(z, { axis: 0 }), a);
  });
});

describe("scipy.special errors", () => {
  it("x-only functions name the primitive and the argument", () => {
    const viaA = () => grad((a: NDArray) => special.gammainc(a, 2))(1.5);
    expect(viaA).toThrow(GradientError);
    expect(viaA).toThrow(/scipy\.special\.gammainc: not differentiable with respect to argument 0 \(a\) of primitive 'gammainc'; it is differentiable in x only/);
    expect(() => makeJvp((a: NDArray) => special.gammaincc(a, 2))(1.5)(1)).toThrow(/argument 0 \(a\) of primitive 'gammaincc'/);
    expect(() => grad((n: NDArray) => special.polygamma(n, 2))(1)).toThrow(/argument 0 \(n\) of primitive 'polygamma'; it is differentiable in x only/);
    expect(() => grad((b: NDArray) => special.betainc(1, b, 0.5))(2)).toThrow(/argument 1 \(b\) of primitive 'betainc'/);
  });

  it("bad options and inputs", () => {
    expect(() => special.logsumexp([1, 2], { axes: 0 } as any)).toThrow(/scipy\.special\.logsumexp: unknown option 'axes'/);
    expect(() => special.logsumexp([1, 2], 1)).toThrow(/axis 1 is out of bounds/);
    expect(() => special.gammaln([{ re: 1, im: 1 }])).toThrow(/scipy\.special\.gammaln: not supported for complex input/);
    expect(() => special.softmax([1, 2], { axis: 0, x: 1 } as any)).toThrow(/unknown option 'x'/);
    expect(() => special.multigammaln(3, 0)).toThrow(/d should be a positive integer/);
    expect(() => (special.xlogy as any)(1)).toThrow(/scipy\.special\.xlogy: expected 2 arguments \(x, y\), got 1/);
  });
});
