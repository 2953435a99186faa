// scipy.stats: values against scipy (when /usr/bin/python3 has scipy), closed forms, gradients in both modes to
// second order in every differentiable argument, and errors.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GradientError, LinAlgError, NDArray, ValueError, checkGrads, grad, np } from "../../lib/index";
import { scipy } from "../../lib/scipy/index";
import { type PyArray, pyEval, pythonHas, toPy } from "../fft/python";

const { stats } = scipy;
const PY = "/usr/bin/python3";
const hasScipy = pythonHas(PY, ["scipy.stats", "numpy"]);
if (!hasScipy) console.log(`test/scipy: skipping scipy.stats comparisons: \`${PY} -c 'import scipy'\` failed (install python3-scipy)`);

const check2 = (f: (...a: any[]) => any, ...args: any[]) => checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args);

function arrClose(x: NDArray, ref: PyArray, rtol: number, where: string) {
  expect(x.shape, where).toEqual(ref.shape);
  for (let i = 0; i < ref.re.length; i++) {
    const a = x.data[i] as number, b = ref.re[i];
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (a === b) continue;
    if (!(Math.abs(a - b) <= 1e-15 + rtol * Math.abs(b))) throw new Error(`${where}: element ${i}: ${a} vs ${b}`);
  }
}

describe("scipy.stats values against scipy", () => {
  it.skipIf(!hasScipy)("univariate distributions, every method, broadcasting parameters and out-of-support points", () => {
    const x = np.array([-1.5, -0.2, 0, 0.3, 0.5, 1, 2.7]);
    const xc = np.reshape(x, [7, 1]);
    const k = np.array([-1, 0, 1, 2.5, 3, 7]);
    const env = { x: toPy(x), xc: toPy(xc), k: toPy(k) };
    const S = stats as any;
    const list: [NDArray, string][] = [];
    const add = (ours: NDArray, py: string) => list.push([ours, py]);
    for (const m of ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"]) {
      add(S.norm[m](x), `st.norm.${m}(x)`);
      add(S.norm[m](xc, [0, 1], [1, 2, 0.5].slice(0, 2)), `st.norm.${m}(xc, [0, 1], [1, 2])`);
      add(S.norm[m](x, { loc: 0.5, scale: 3 }), `st.norm.${m}(x, loc=0.5, scale=3)`);
      add(S.t[m](xc, [1, 2.5, 30]), `st.t.${m}(xc, [1, 2.5, 30])`);
      add(S.t[m](x, 4, 0.5, 2), `st.t.${m}(x, 4, 0.5, 2)`);
      add(S.beta[m](x, 2, 3), `st.beta.${m}(x, 2, 3)`);
      add(S.beta[m](xc, [0.5, 1, 2.5], [1, 4, 0.7], { scale: 2, loc: -1 }), `st.beta.${m}(xc, [0.5, 1, 2.5], [1, 4, 0.7], scale=2, loc=-1)`);
      add(S.gamma[m](x, 2.5), `st.gamma.${m}(x, 2.5)`);
      add(S.gamma[m](xc, [0.5, 1, 3], 0.1, 2), `st.gamma.${m}(xc, [0.5, 1, 3], 0.1, 2)`);
    }
    add(stats.norm.ppf([0.01, 0.5, 0.9], 1, 2), "st.norm.ppf([0.01, 0.5, 0.9], 1, 2)");
    add(stats.norm.isf([0.01, 0.5, 0.9], 1, 2), "st.norm.isf([0.01, 0.5, 0.9], 1, 2)");
    add(stats.norm.entropy(0, [1, 2]), "st.norm.entropy(0, [1, 2])");
    // invalid parameters give nan
    add(stats.norm.logpdf(x, 0, -1), "st.norm.logpdf(x, 0, -1)");
    add(stats.t.logpdf(x, -1), "st.t.logpdf(x, -1)");
    add(stats.beta.pdf(x, 0, 1), "st.beta.pdf(x, 0, 1)");
    for (const m of ["pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"]) {
      add((stats.poisson as any)[m](k, 2.5), `st.poisson.${m}(k, 2.5)`);
      add((stats.poisson as any)[m](np.reshape(k, [6, 1]), [0, 0.5, 4], 1), `st.poisson.${m}(k.reshape(6, 1), [0, 0.5, 4], 1)`);
    }
    const refs = pyEval(PY, list.map(([, e]) => [e, env]), "import scipy.stats as st");
    refs.forEach((r, i) => {
      if ("error" in r) throw new Error(`${list[i][1]}: scipy raised ${r.error}`);
      arrClose(list[i][0], r as PyArray, 1e-12, list[i][1]);
    });
  });

  it.skipIf(!hasScipy)("multivariate_normal and dirichlet", () => {
    const cov = np.array([[2, 0.5, 0.1], [0.5, 1, -0.2], [0.1, -0.2, 0.7]]);
    const mean = np.array([0.1, -0.3, 1]);
    const X = np.array([[[0, 0, 0], [1, 2, 3]], [[-1, 0.5, 0.2], [0.3, 0.3, 0.3]]]);
    const alpha = np.array([1.5, 2, 0.7]);
    const xd = np.array([[0.2, 0.1], [0.3, 0.6], [0.5, 0.3]]);
    const env = { cov: toPy(cov), mean: toPy(mean), X: toPy(X), alpha: toPy(alpha), xd: toPy(xd) };
    const mvn = stats.multivariate_normal, dir = stats.dirichlet;
    const list: [NDArray, string][] = [
      [mvn.logpdf(X, mean, cov), "st.multivariate_normal.logpdf(X, mean, cov)"],
      [mvn.pdf(np.array([1, 2, 3]), { mean, cov }), "st.multivariate_normal.pdf([1, 2, 3], mean=mean, cov=cov)"],
      [mvn.logpdf([1, 2], [0, 1], [2, 3]), "st.multivariate_normal.logpdf([1, 2], [0, 1], [2, 3])"],
      [mvn.logpdf(0.5, 1, 2), "st.multivariate_normal.logpdf(0.5, 1, 2)"],
      [mvn.logpdf([0.5, 0.3], 1, 2), "st.multivariate_normal.logpdf([0.5, 0.3], 1, 2)"],
      [mvn.logpdf([[1, 2]], { cov: [[2, 0.5], [0.5, 1]] }), "st.multivariate_normal.logpdf([[1, 2]], cov=[[2, 0.5], [0.5, 1]])"],
      [mvn.entropy(mean, cov), "st.multivariate_normal.entropy(mean, cov)"],
      [dir.logpdf(np.array([0.2, 0.3, 0.5]), alpha), "st.dirichlet.logpdf([0.2, 0.3, 0.5], alpha)"],
      [dir.pdf(np.array([0.2, 0.3]), alpha), "st.dirichlet.pdf([0.2, 0.3], alpha)"],
      [dir.logpdf(xd, alpha), "st.dirichlet.logpdf(xd, alpha)"],
      [dir.logpdf(np.array([[0.2, 0.1], [0.3, 0.6]]), alpha), "st.dirichlet.logpdf(np.array([[0.2, 0.1], [0.3, 0.6]]), alpha)"],
      [dir.mean(alpha), "st.dirichlet.mean(alpha)"],
      [dir.var(alpha), "st.dirichlet.var(alpha)"],
      [dir.entropy(alpha), "st.dirichlet.entropy(alpha)"],
    ];
    const refs = pyEval(PY, list.map(([, e]) => [e, env]), "import scipy.stats as st");
    refs.forEach((r, i) => {
      if ("error" in r) throw new Error(`${list[i][1]}: scipy raised ${r.error}`);
      arrClose(list[i][0], r as PyArray, 1e-12, list[i][1]);
    });
  });
});

describe("scipy.stats closed forms", () => {
  it("norm", () => {
    expect(grad((x: NDArray) => stats.norm.logpdf(x, 1, 2))(0)).toBeCloseTo(0.25, 15);
    expect(stats.norm.logpdf(0).item()).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 15);
    expect(stats.norm.cdf(0, { loc: 0 }).item()).toBe(0.5);
    expect(stats.norm.ppf(stats.norm.cdf(0.7, 1, 2), 1, 2).item()).toBeCloseTo(0.7, 14);
    // d/dscale logpdf(x; 0, s) = (x² − s²)/s³
    expect(grad((s: NDArray) => stats.norm.logpdf(1.5, 0, s))(2)).toBeCloseTo((2.25 - 4) / 8, 15);
    // d/dx cdf = pdf
    expect(grad((x: NDArray) => stats.norm.cdf(x, 0.3, 1.7))(0.9)).toBeCloseTo(stats.norm.pdf(0.9, 0.3, 1.7).item(), 15);
  });

  it("other distributions", () => {
    expect(stats.gamma.logpdf(1, 1).item()).toBeCloseTo(-1, 15);
    expect(stats.beta.pdf(0.5, 1, 1).item()).toBe(1);
    expect(stats.beta.logpdf(1.2, 2, 2).item()).toBe(-Infinity);
    expect(stats.poisson.pmf(0, 2).item()).toBeCloseTo(Math.exp(-2), 15);
    expect(stats.poisson.logpmf(1.5, 2).item()).toBe(-Infinity);
    // d/dmu logpmf = k/mu − 1
    expect(grad((mu: NDArray) => stats.poisson.logpmf(3, mu))(2)).toBeCloseTo(0.5, 15);
    // d/dmu cdf(k; mu) = −pmf(k; mu)
    expect(grad((mu: NDArray) => stats.poisson.cdf(3, mu))(2)).toBeCloseTo(-stats.poisson.pmf(3, 2).item(), 15);
    expect(stats.t.cdf(0, 3).item()).toBe(0.5);
    // t with df = 1 is Cauchy
    expect(stats.t.pdf(1, 1).item()).toBeCloseTo(1 / (2 * Math.PI), 15);
    // independent normals: the multivariate density factorizes
    const v = stats.multivariate_normal.logpdf([0.3, -1], [0, 1], [[4, 0], [0, 0.25]]).item();
    expect(v).toBeCloseTo(stats.norm.logpdf(0.3, 0, 2).item() + stats.norm.logpdf(-1, 1, 0.5).item(), 14);
    // a flat Dirichlet on the 2-simplex has density Γ(3) = 2
    expect(stats.dirichlet.pdf([0.2, 0.3, 0.5], [1, 1, 1]).item()).toBeCloseTo(2, 14);
    // gradient of the mvn log density in x: −Σ⁻¹(x − μ)
    const g = grad((x: NDArray) => stats.multivariate_normal.logpdf(x, [0, 1], [[2, 0], [0, 4]]))(np.array([1, 3]));
    expect(g.get(0).item()).toBeCloseTo(-0.5, 15);
    expect(g.get(1).item()).toBeCloseTo(-0.5, 15);
  });
});

describe("scipy.stats gradients (checkGrads, both modes, second order)", () => {
  beforeAll(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));
  afterAll(() => vi.restoreAllMocks());
  const x = np.array([-0.7, 0.2, 1.4]), xcol = np.array([[-0.3], [0.8]]);
  const u = np.array([0.15, 0.4, 0.85]);

  it("norm in x, loc, scale", () => {
    for (const m of ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"] as const) {
      check2((a: NDArray, loc: NDArray, s: NDArray) => stats.norm[m](a, loc, s), x, np.array([0.1, -0.2, 0.3]), 1.3);
      check2((a: NDArray, loc: NDArray, s: NDArray) => stats.norm[m](a, { loc, scale: s }), xcol, 0.4, np.array([0.8, 1.5]));
    }
    check2((q: NDArray, loc: NDArray, s: NDArray) => stats.norm.ppf(q, loc, s), u, 0.5, 2);
    check2((q: NDArray, loc: NDArray, s: NDArray) => stats.norm.isf(q, loc, s), u, 0.5, 2);
    check2((s: NDArray) => stats.norm.entropy(0, s), np.array([0.5, 2]));
  });

  it("t in x, df (pdf/logpdf), loc, scale", () => {
    for (const m of ["pdf", "logpdf"] as const) check2((a: NDArray, df: NDArray, loc: NDArray, s: NDArray) => stats.t[m](a, df, loc, s), xcol, np.array([1.5, 4, 30]), 0.2, 1.4);
    for (const m of ["cdf", "sf", "logcdf", "logsf"] as const) check2((a: NDArray, loc: NDArray, s: NDArray) => stats.t[m](a, 3.5, loc, s), x, 0.2, 1.4);
  });

  it("beta and gamma in x and shape parameters, loc, scale", () => {
    for (const m of ["pdf", "logpdf"] as const) {
      check2((a: NDArray, p: NDArray, q: NDArray) => stats.beta[m](a, p, q), u, np.array([[0.7], [2.5]]), 1.8);
      check2((a: NDArray, loc: NDArray, s: NDArray) => stats.beta[m](a, 2, 3, loc, s), u, -0.1, 1.5);
      check2((a: NDArray, sh: NDArray, s: NDArray) => stats.gamma[m](a, sh, { scale: s }), np.array([0.3, 1.1, 4]), np.array([[0.8], [3]]), 1.7);
      check2((a: NDArray, loc: NDArray) => stats.gamma[m](a, 2.5, loc), np.array([0.3, 1.1, 4]), -0.2);
    }
    for (const m of ["cdf", "sf", "logcdf", "logsf"] as const) {
      check2((a: NDArray, loc: NDArray, s: NDArray) => stats.beta[m](a, 1.5, 2.5, loc, s), u, 0.05, 1.2);
      check2((a: NDArray, s: NDArray) => stats.gamma[m](a, 1.7, 0, s), np.array([0.3, 1.1, 4]), 1.3);
    }
    // out-of-support points contribute exactly zero gradient (no nan)
    const g = grad((p: NDArray) => np.sum(stats.beta.logpdf(np.array([0.5, 1.5]), p, 2)))(2);
    expect(Number.isFinite(g)).toBe(true);
  });

  it("poisson in mu", () => {
    const k = np.array([0, 1, 4, 7]);
    for (const m of ["pmf", "logpmf", "cdf", "sf", "logcdf", "logsf"] as const) {
      check2((mu: NDArray) => stats.poisson[m](k, mu), np.array([[0.7], [3.2]]));
    }
  });

  it("multivariate_normal in x, mean, cov (cov symmetric by construction: a non-symmetric direction is symmetrized)", () => {
    const cov = np.array([[2, 0.5, 0.1], [0.5, 1, -0.2], [0.1, -0.2, 0.7]]);
    const mean = np.array([0.1, -0.3, 1]);
    const X = np.array([[0, 0, 0], [1, 2, 3]]);
    check2((a: NDArray, m: NDArray, c: NDArray) => stats.multivariate_normal.logpdf(a, m, c), X, mean, cov);
    check2((a: NDArray, m: NDArray, c: NDArray) => stats.multivariate_normal.pdf(a, { mean: m, cov: c }), np.array([0.5, -0.2, 0.9]), mean, cov);
    check2((m: NDArray, c: NDArray) => stats.multivariate_normal.logpdf([1, 2], m, c), np.array([0, 1]), np.array([2, 3]));
    check2((c: NDArray) => stats.multivariate_normal.entropy(null, c), cov);
  });

  it("dirichlet in x (K−1 free entries) and alpha", () => {
    const alpha = np.array([1.5, 2, 0.7]);
    check2((a: NDArray, al: NDArray) => stats.dirichlet.logpdf(a, al), np.array([0.2, 0.3]), alpha);
    check2((a: NDArray, al: NDArray) => stats.dirichlet.pdf(a, al), np.array([[0.2, 0.1], [0.3, 0.6]]), alpha);
    check2((al: NDArray) => stats.dirichlet.logpdf([0.2, 0.3, 0.5], al), alpha);
    check2((al: NDArray) => stats.dirichlet.entropy(al), alpha);
    check2((al: NDArray) => stats.dirichlet.var(al), alpha);
  });
});

describe("scipy.stats errors", () => {
  it("non-differentiable arguments", () => {
    expect(() => grad((df: NDArray) => stats.t.cdf(0.5, df))(3)).toThrow(GradientError);
    expect(() => grad((df: NDArray) => stats.t.cdf(0.5, df))(3)).toThrow(/scipy\.stats\.t\.cdf: not differentiable with respect to argument 1 \(df\) of primitive 'stdtr'; it is differentiable in x only/);
    expect(() => grad((a: NDArray) => stats.gamma.cdf(0.5, a))(3)).toThrow(/argument 0 \(a\) of primitive 'gammainc'/);
    expect(() => grad((k: NDArray) => stats.poisson.logpmf(k, 2))(3)).toThrow(/scipy\.stats\.poisson\.logpmf: not differentiable with respect to k/);
  });

  it("bad arguments", () => {
    expect(() => stats.norm.pdf(0, { loc: 1, shape: 2 } as any)).toThrow(/scipy\.stats\.norm\.pdf: unknown option 'shape'/);
    expect(() => stats.norm.pdf(0, 1, { loc: 2 } as any)).toThrow(/got multiple values for argument 'loc'/);
    expect(() => (stats.t.pdf as any)(0)).toThrow(/scipy\.stats\.t\.pdf: missing required argument 'df'/);
    expect(() => stats.multivariate_normal.logpdf([1, 2], [0, 0], [[1, 2], [2, 1]])).toThrow(LinAlgError);
    expect(() => stats.multivariate_normal.logpdf([1, 2], [0, 0], [[1, 2], [2, 1]])).toThrow(/multivariate_normal\.logpdf: the covariance matrix cov is not positive definite/);
    expect(() => stats.multivariate_normal.logpdf([1, 2], [0, 0, 0])).toThrow(/x has shape \(1, 2\), but its last axis must have the dimension of the distribution, 3/);
    expect(() => stats.multivariate_normal.logpdf([1, 2], [0, 0], [[1, 0, 0]])).toThrow(ValueError);
    expect(() => stats.dirichlet.logpdf([0.2, 0.3, 0.6], [1, 1, 1])).toThrow(/must lie within the normal simplex/);
    expect(() => stats.dirichlet.logpdf([0.2], [1, 1, 1])).toThrow(/one entry fewer than/);
    expect(() => stats.dirichlet.logpdf([0.2, 0.8], [1, -1])).toThrow(/All parameters must be greater than 0/);
    expect(() => stats.dirichlet.logpdf([0, 1], [0.5, 1])).toThrow(/must be greater than zero if its alpha is less than one/);
  });
});
