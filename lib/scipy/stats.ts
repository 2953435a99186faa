// scipy.stats: a differentiable subset of the distributions. Almost everything is a composite of differentiable
// np / scipy.special functions (no rules of its own); values outside the support and invalid parameters are
// selected with constant conditions (lib/scipy/util.ts `select`), evaluating the formula at a safe point there so
// that no nan leaks into gradients.
//
// Continuous distributions take (x, ...shape parameters, loc = 0, scale = 1), positionally or in a trailing
// options object, and broadcast like scipy: logpdf(x) = logpdf_std((x − loc)/scale) − log(scale).
import { ValueError, GradientError } from "../array/errors";
import { type ArrayLike, NDArray, castArray } from "../array/ndarray";
import { fmtShape } from "../array/shape";
import { getValue } from "../core/tracer";
import { arr } from "../numpy/args";
import {
  add, divide, equal, greater, greater_equal, less, less_equal, logical_and, multiply, subtract,
} from "../numpy/binary";
import { concatenate } from "../numpy/join";
import { exp, floor, log, log1p, negative, square } from "../numpy/elementwise";
import { sum } from "../numpy/reductions";
import { reshape, transpose } from "../numpy/basis";
import { cholesky, diagOf, eyeConst, solveTriangular } from "./linalg";
import {
  betainc, betaln, digamma, gammainc, gammaincc, gammaln, log_ndtr, ndtr, ndtri, tcdf, xlog1py, xlogy,
} from "./special";
import { distArgs, select } from "./util";

const LOG_2PI = Math.log(2 * Math.PI);
type A = NDArray;

// ---- a generic location-scale continuous distribution ------------------------------------------------------------------

interface ContinuousDef {
  name: string;
  shapes: string[];
  /** Valid shape parameters (constant boolean), default all valid. */
  argOk?: (...s: A[]) => A;
  /** Inside the support, for a standardized y (constant boolean) and a point inside it to evaluate elsewhere. */
  support?: (y: A, ...s: A[]) => A;
  safeY?: number;
  logpdf: (y: A, ...s: A[]) => A;
  /** CDF and survival function at a standardized y inside the support; `below`/`above` the support give 0/1. */
  cdf?: (y: A, ...s: A[]) => A;
  sf?: (y: A, ...s: A[]) => A;
  logcdf?: (y: A, ...s: A[]) => A;
  logsf?: (y: A, ...s: A[]) => A;
  below?: (y: A) => A;
  above?: (y: A) => A;
}

function continuous(def: ContinuousDef) {
  const names = [...def.shapes, "loc", "scale"];
  const base = `scipy.stats.${def.name}`;
  const parse = (method: string, x: ArrayLike, rest: unknown[]) => {
    const where = `${base}.${method}`;
    const o = distArgs(where, rest, names, { loc: 0, scale: 1 });
    const xs = arr(x, where);
    const shapes = def.shapes.map((n) => arr(o[n], where));
    const loc = arr(o.loc, where), scale = arr(o.scale, where);
    const valid = def.argOk ? logical_and(greater(scale, 0), def.argOk(...shapes)) : greater(scale, 0);
    const y = divide(subtract(xs, loc), safeScale(scale));
    return { y, shapes, scale, valid };
  };
  /** Evaluates `f` at y where `inside`, giving `outside` elsewhere, and nan for invalid parameters. */
  const guarded = (y: A, shapes: A[], valid: A, inside: A | null, f: (ys: A) => A, outside: number | ((y: A) => A)): A => {
    let v: A;
    if (inside === null) v = f(y);
    else {
      const ys = select(inside, y, def.safeY ?? 0.5);
      const out = typeof outside === "number" ? outside : outside(y);
      v = select(inside, f(ys), out);
    }
    return select(valid, v, NaN);
  };
  const supportOf = (y: A, shapes: A[]) => (def.support ? def.support(y, ...shapes) : null);

  const logpdf = (x: ArrayLike, ...rest: unknown[]): NDArray => logpdfNamed("logpdf", x, rest);
  const pdf = (x: ArrayLike, ...rest: unknown[]): NDArray => exp(logpdfNamed("pdf", x, rest));
  const logpdfNamed = (method: string, x: ArrayLike, rest: unknown[]) => {
    const { y, shapes, scale, valid } = parse(method, x, rest);
    return guarded(y, shapes, valid, supportOf(y, shapes), (ys) => subtract(def.logpdf(ys, ...shapes), log(safeScale(scale))), -Infinity);
  };
  // CDF-type methods: inside the support use the formula; below it 0 (cdf) / 1 (sf), above it 1 / 0
  const tail = (method: string, f: (y: A, ...s: A[]) => A, belowV: number, aboveV: number) => (x: ArrayLike, ...rest: unknown[]): NDArray => {
    const { y, shapes, valid } = parse(method, x, rest);
    const inside = supportOf(y, shapes);
    const outside = (yy: A) => select(def.below!(yy), belowV, aboveV);
    return guarded(y, shapes, valid, inside, (ys) => f(ys, ...shapes), outside);
  };
  const out: Record<string, (x: ArrayLike, ...rest: any[]) => NDArray> = { logpdf, pdf };
  if (def.cdf) {
    const cdf = def.cdf, sf = def.sf ?? ((y: A, ...s: A[]) => subtract(1, cdf(y, ...s)));
    out.cdf = tail("cdf", cdf, 0, 1);
    out.sf = tail("sf", sf, 1, 0);
    out.logcdf = tail("logcdf", def.logcdf ?? ((y, ...s) => log(cdf(y, ...s))), -Infinity, 0);
    out.logsf = tail("logsf", def.logsf ?? ((y, ...s) => log(sf(y, ...s))), 0, -Infinity);
  }
  return out;
}

/** Scale with non-positive entries replaced by 1 (their results are nan anyway; keeps gradients finite). */
const safeScale = (scale: A) => select(greater(scale, 0), scale, 1);

// ---- norm -----------------------------------------------------------------------------------------------------------

const normBase = continuous({
  name: "norm",
  shapes: [],
  logpdf: (y) => subtract(multiply(-0.5, square(y)), 0.5 * LOG_2PI),
  cdf: (y) => ndtr(y),
  sf: (y) => ndtr(negative(y)),
  logcdf: (y) => log_ndtr(y),
  logsf: (y) => log_ndtr(negative(y)),
});

function normQuantile(method: "ppf" | "isf") {
  return (q: ArrayLike, ...rest: unknown[]): NDArray => {
    const where = `scipy.stats.norm.${method}`;
    const o = distArgs(where, rest, ["loc", "scale"], { loc: 0, scale: 1 });
    const p = arr(q, where), loc = arr(o.loc, where), scale = arr(o.scale, where);
    const z = method === "ppf" ? ndtri(p) : negative(ndtri(p));
    return select(greater(scale, 0), add(loc, multiply(safeScale(scale), z)), NaN);
  };
}

/** scipy.stats.norm: pdf, logpdf, cdf, logcdf, sf, logsf, ppf, isf, entropy; differentiable in x, loc and scale. */
export const norm = {
  pdf: normBase.pdf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  logpdf: normBase.logpdf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  cdf: normBase.cdf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  logcdf: normBase.logcdf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  sf: normBase.sf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  logsf: normBase.logsf as (x: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  ppf: normQuantile("ppf") as (q: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  isf: normQuantile("isf") as (q: ArrayLike, loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions) => NDArray,
  entropy(loc?: ArrayLike | NormOptions, scale?: ArrayLike | NormOptions): NDArray {
    const where = "scipy.stats.norm.entropy";
    const o = distArgs(where, [loc, scale].filter((v) => v !== undefined), ["loc", "scale"], { loc: 0, scale: 1 });
    const s = arr(o.scale, where);
    return select(greater(s, 0), add(multiply(arr(o.loc, where), 0), add(0.5 * (1 + LOG_2PI), log(safeScale(s)))), NaN);
  },
};
export interface NormOptions {
  loc?: ArrayLike;
  scale?: ArrayLike;
}

// ---- t --------------------------------------------------------------------------------------------------------------

const tBase = continuous({
  name: "t",
  shapes: ["df"],
  argOk: (df) => greater(df, 0),
  logpdf: (y, df0) => {
    const df = select(greater(df0, 0), df0, 1);
    const half = multiply(add(df, 1), 0.5);
    const c = subtract(subtract(gammaln(half), gammaln(multiply(df, 0.5))), multiply(0.5, log(multiply(df, Math.PI))));
    return subtract(c, multiply(half, log1p(divide(square(y), df))));
  },
  cdf: (y, df) => tcdf(y, select(greater(df, 0), df, 1)),
  sf: (y, df) => tcdf(negative(y), select(greater(df, 0), df, 1)),
});
type DistFn = (x: ArrayLike, ...params: (ArrayLike | Record<string, ArrayLike>)[]) => NDArray;

/** scipy.stats.t(df): pdf and logpdf differentiable in x, df, loc, scale; cdf/sf in x, loc, scale (not df). */
export const t = { pdf: tBase.pdf as DistFn, logpdf: tBase.logpdf as DistFn, cdf: tBase.cdf as DistFn, sf: tBase.sf as DistFn, logcdf: tBase.logcdf as DistFn, logsf: tBase.logsf as DistFn };

// ---- beta -----------------------------------------------------------------------------------------------------------

const betaBase = continuous({
  name: "beta",
  shapes: ["a", "b"],
  argOk: (a, b) => logical_and(greater(a, 0), greater(b, 0)),
  support: (y) => logical_and(greater_equal(y, 0), less_equal(y, 1)),
  safeY: 0.5,
  logpdf: (y, a0, b0) => {
    const a = select(greater(a0, 0), a0, 1), b = select(greater(b0, 0), b0, 1);
    return subtract(add(xlogy(subtract(a, 1), y), xlog1py(subtract(b, 1), negative(y))), betaln(a, b));
  },
  cdf: (y, a, b) => betainc(select(greater(a, 0), a, 1), select(greater(b, 0), b, 1), y),
  sf: (y, a, b) => betainc(select(greater(b, 0), b, 1), select(greater(a, 0), a, 1), subtract(1, y)),
  below: (y) => less(y, 0),
});
/** scipy.stats.beta(a, b): pdf and logpdf differentiable in x, a, b, loc, scale; cdf/sf in x, loc, scale. */
export const beta = { pdf: betaBase.pdf as DistFn, logpdf: betaBase.logpdf as DistFn, cdf: betaBase.cdf as DistFn, sf: betaBase.sf as DistFn, logcdf: betaBase.logcdf as DistFn, logsf: betaBase.logsf as DistFn };

// ---- gamma -----------------------------------------------------------------------------------------------------------

const gammaBase = continuous({
  name: "gamma",
  shapes: ["a"],
  argOk: (a) => greater(a, 0),
  support: (y) => greater_equal(y, 0),
  safeY: 1,
  logpdf: (y, a0) => {
    const a = select(greater(a0, 0), a0, 1);
    return subtract(subtract(xlogy(subtract(a, 1), y), y), gammaln(a));
  },
  cdf: (y, a) => gammainc(select(greater(a, 0), a, 1), y),
  sf: (y, a) => gammaincc(select(greater(a, 0), a, 1), y),
  below: (y) => less(y, 0),
});
/** scipy.stats.gamma(a): pdf and logpdf differentiable in x, a, loc, scale; cdf/sf in x, loc, scale. */
export const gamma = { pdf: gammaBase.pdf as DistFn, logpdf: gammaBase.logpdf as DistFn, cdf: gammaBase.cdf as DistFn, sf: gammaBase.sf as DistFn, logcdf: gammaBase.logcdf as DistFn, logsf: gammaBase.logsf as DistFn };

// ---- poisson ---------------------------------------------------------------------------------------------------------

function constantArg(x: ArrayLike, where: string, name: string): NDArray {
  const a = arr(x, where);
  if (a._box !== undefined) {
    throw new GradientError(`${where}: not differentiable with respect to ${name} (integer-valued); pass ${name} as a constant (differentiable in mu only)`);
  }
  return a;
}

function poissonParse(method: string, k: ArrayLike, rest: unknown[]) {
  const where = `scipy.stats.poisson.${method}`;
  const o = distArgs(where, rest, ["mu", "loc"], { loc: 0 });
  const kk = subtract(constantArg(k, where, "k"), constantArg(o.loc, where, "loc"));
  const mu = arr(o.mu, where);
  return { kk, mu, valid: greater_equal(mu, 0) };
}

function poissonLogpmf(method: string, k: ArrayLike, rest: unknown[]): NDArray {
  const { kk, mu, valid } = poissonParse(method, k, rest);
  const inside = logical_and(greater_equal(kk, 0), equal(floor(kk), kk));
  const ks = select(inside, kk, 0);
  const mus = select(valid, mu, 1);
  const v = subtract(subtract(xlogy(ks, mus), gammaln(add(ks, 1))), mus);
  return select(valid, select(inside, v, -Infinity), NaN);
}

function poissonTail(method: string, upper: boolean) {
  return (k: ArrayLike, ...rest: unknown[]): NDArray => {
    const { kk, mu, valid } = poissonParse(method, k, rest);
    const inside = greater_equal(kk, 0);
    const a = add(floor(select(inside, kk, 0)), 1);
    const mus = select(valid, mu, 1);
    const v = upper ? gammainc(a, mus) : gammaincc(a, mus);
    return select(valid, select(inside, v, upper ? 1 : 0), NaN);
  };
}

/** scipy.stats.poisson(mu): pmf, logpmf, cdf, sf, logcdf, logsf; differentiable in mu (k is an integer constant). */
export const poisson = {
  logpmf: (k: ArrayLike, ...rest: (ArrayLike | Record<string, ArrayLike>)[]): NDArray => poissonLogpmf("logpmf", k, rest),
  pmf: (k: ArrayLike, ...rest: (ArrayLike | Record<string, ArrayLike>)[]): NDArray => exp(poissonLogpmf("pmf", k, rest)),
  cdf: poissonTail("cdf", false) as DistFn,
  sf: poissonTail("sf", true) as DistFn,
  logcdf: ((k: ArrayLike, ...rest: unknown[]) => log(poissonTail("logcdf", false)(k, ...rest))) as DistFn,
  logsf: ((k: ArrayLike, ...rest: unknown[]) => log(poissonTail("logsf", true)(k, ...rest))) as DistFn,
};

// ---- multivariate_normal ------------------------------------------------------------------------------------------------

export interface MvnOptions {
  mean?: ArrayLike | null;
  cov?: ArrayLike;
  allow_singular?: boolean;
}

/** scipy's parameter processing: dimension from mean or cov; scalar / 1-d cov to a matrix. */
function mvnParams(where: string, rest: unknown[]): { mean: NDArray; cov: NDArray; dim: number } {
  const o = distArgs(where, rest, ["mean", "cov", "allow_singular"], { mean: null, cov: 1, allow_singular: false });
  if (o.allow_singular) throw new ValueError(`${where}: allow_singular=true is not supported (singular covariances have no Cholesky factor)`);
  let mean = o.mean === null ? null : arr(o.mean, where);
  let cov = arr(o.cov, where);
  const dim = mean !== null ? mean.size : cov.ndim < 2 ? 1 : cov.shape[0];
  if (mean === null) mean = new NDArray(new Float64Array(dim), [dim], "float64");
  if (dim === 1) {
    mean = reshape(mean, [1]);
    if (cov.size !== 1) throw new ValueError(`${where}: Dimension mismatch: array 'cov' is of shape ${fmtShape(cov.shape)}, but 'mean' is a vector of length 1.`);
    cov = reshape(cov, [1, 1]);
  }
  if (mean.ndim !== 1 || mean.shape[0] !== dim) throw new ValueError(`${where}: Array 'mean' must be a vector of length ${dim}.`);
  if (cov.ndim === 0) cov = multiply(cov, eyeConst(dim));
  else if (cov.ndim === 1) {
    if (cov.shape[0] !== dim) throw new ValueError(`${where}: Dimension mismatch: array 'cov' is of shape ${fmtShape(cov.shape)}, but 'mean' is a vector of length ${dim}.`);
    cov = multiply(eyeConst(dim), reshape(cov, [1, dim]));
  } else if (cov.ndim === 2 && (cov.shape[0] !== dim || cov.shape[1] !== dim)) {
    if (cov.shape[0] !== cov.shape[1]) throw new ValueError(`${where}: Array 'cov' must be square if it is two dimensional, but cov.shape = ${fmtShape(cov.shape)}.`);
    throw new ValueError(`${where}: Dimension mismatch: array 'cov' is of shape ${fmtShape(cov.shape)}, but 'mean' is a vector of length ${dim}.`);
  } else if (cov.ndim > 2) throw new ValueError(`${where}: Array 'cov' must be at most two-dimensional, but cov.ndim = ${cov.ndim}`);
  return { mean, cov, dim };
}

/** Removes size-1 dims (a 0-d result for one point), as scipy's _squeeze_output. */
function squeezeAll(x: NDArray): NDArray {
  const shape = x.shape.filter((d) => d !== 1);
  return shape.length === x.ndim ? x : reshape(x, shape);
}

function mvnLogpdf(method: string, x: ArrayLike, rest: unknown[]): NDArray {
  const where = `scipy.stats.multivariate_normal.${method}`;
  const { mean, cov, dim } = mvnParams(where, rest);
  let xs = arr(x, where);
  if (xs.ndim === 0) xs = reshape(xs, [1]);
  if (xs.ndim === 1) xs = dim === 1 ? reshape(xs, [xs.shape[0], 1]) : reshape(xs, [1, xs.shape[0]]);
  if (xs.shape[xs.ndim - 1] !== dim) {
    throw new ValueError(`${where}: x has shape ${fmtShape(xs.shape)}, but its last axis must have the dimension of the distribution, ${dim}`);
  }
  const lead = xs.shape.slice(0, -1);
  const n = lead.reduce((p, d) => p * d, 1);
  const L = cholesky(cov, where);
  const dev = reshape(subtract(xs, mean), [n, dim]);
  const z = solveTriangular(L, transpose(dev)); // (dim, n)
  const maha = sum(square(z), { axis: 0 });
  const logdet = multiply(2, sum(log(diagOf(L))));
  const out = multiply(-0.5, add(add(maha, logdet), dim * LOG_2PI));
  return squeezeAll(reshape(out, lead));
}

/** scipy.stats.multivariate_normal: logpdf, pdf (x, mean, cov) and entropy (mean, cov); differentiable in all. */
export const multivariate_normal = {
  logpdf: (x: ArrayLike, mean?: ArrayLike | null | MvnOptions, cov?: ArrayLike | MvnOptions, opts?: MvnOptions): NDArray =>
    mvnLogpdf("logpdf", x, [mean, cov, opts].filter((v) => v !== undefined)),
  pdf: (x: ArrayLike, mean?: ArrayLike | null | MvnOptions, cov?: ArrayLike | MvnOptions, opts?: MvnOptions): NDArray =>
    exp(mvnLogpdf("pdf", x, [mean, cov, opts].filter((v) => v !== undefined))),
  entropy(mean?: ArrayLike | null | MvnOptions, cov?: ArrayLike | MvnOptions): NDArray {
    const where = "scipy.stats.multivariate_normal.entropy";
    const { cov: c, dim } = mvnParams(where, [mean, cov].filter((v) => v !== undefined));
    const L = cholesky(c, where);
    return add(sum(log(diagOf(L))), 0.5 * dim * (1 + LOG_2PI));
  },
};

// ---- dirichlet ------------------------------------------------------------------------------------------------------------

function dirichletAlpha(alpha: ArrayLike, where: string): NDArray {
  const a = arr(alpha, where);
  if (a.ndim !== 1) throw new ValueError(`${where}: Parameter vector 'a' must be one dimensional, but a.shape = ${fmtShape(a.shape)}.`);
  const v = castArray(getValue(a), "float64").data;
  if (!v.every((t) => t > 0)) throw new ValueError(`${where}: All parameters must be greater than 0`);
  return a;
}

/** log B(α) = Σ log Γ(α_i) − log Γ(Σ α_i). */
const lnB = (alpha: NDArray) => subtract(sum(gammaln(alpha)), gammaln(sum(alpha)));

function dirichletLogpdf(method: string, x: ArrayLike, alpha: ArrayLike): NDArray {
  const where = `scipy.stats.dirichlet.${method}`;
  const a = dirichletAlpha(alpha, where);
  let xs = arr(x, where);
  const K = a.shape[0];
  if (xs.ndim === 0 || (xs.shape[0] !== K && xs.shape[0] + 1 !== K)) {
    throw new ValueError(
      `${where}: Vector 'x' must have either the same number of entries as, or one entry fewer than, parameter vector 'a', ` +
        `but alpha.shape = ${fmtShape(a.shape)} and x.shape = ${fmtShape(xs.shape)}.`,
    );
  }
  if (xs.shape[0] !== K) {
    const last = subtract(1, sum(xs, { axis: 0, keepdims: true }));
    xs = concatenate([xs, last], { axis: 0 });
  }
  const xv = castArray(getValue(xs), "float64").data;
  if (xv.some((t) => t < 0)) throw new ValueError(`${where}: Each entry in 'x' must be greater than or equal to zero.`);
  if (xv.some((t) => t > 1)) throw new ValueError(`${where}: Each entry in 'x' must be smaller or equal one.`);
  const aK = reshape(a, [K, ...xs.shape.slice(1).map(() => 1)]);
  const zeroBad = logical_and(equal(xs, 0), less(aK, 1));
  if (castArray(getValue(zeroBad), "float64").data.some((t) => t !== 0)) {
    throw new ValueError(`${where}: Each entry in 'x' must be greater than zero if its alpha is less than one.`);
  }
  const s = castArray(getValue(sum(xs, { axis: 0 })), "float64").data;
  if (s.some((t) => Math.abs(t - 1) > 1e-9)) {
    throw new ValueError(`${where}: The input vector 'x' must lie within the normal simplex, but np.sum(x, 0) = ${Array.from(s).join(", ")}.`);
  }
  const out = subtract(sum(xlogy(subtract(aK, 1), xs), { axis: 0 }), lnB(a));
  return squeezeAll(out);
}

/** scipy.stats.dirichlet(alpha): logpdf, pdf (x over axis 0, K or K−1 entries), mean, var, entropy; differentiable. */
export const dirichlet = {
  logpdf: (x: ArrayLike, alpha: ArrayLike): NDArray => dirichletLogpdf("logpdf", x, alpha),
  pdf: (x: ArrayLike, alpha: ArrayLike): NDArray => exp(dirichletLogpdf("pdf", x, alpha)),
  mean(alpha: ArrayLike): NDArray {
    const a = dirichletAlpha(alpha, "scipy.stats.dirichlet.mean");
    return divide(a, sum(a));
  },
  var(alpha: ArrayLike): NDArray {
    const a = dirichletAlpha(alpha, "scipy.stats.dirichlet.var");
    const a0 = sum(a);
    return divide(multiply(a, subtract(a0, a)), multiply(square(a0), add(a0, 1)));
  },
  entropy(alpha: ArrayLike): NDArray {
    const a = dirichletAlpha(alpha, "scipy.stats.dirichlet.entropy");
    const K = a.shape[0];
    const a0 = sum(a);
    return subtract(add(lnB(a), multiply(subtract(a0, K), digamma(a0))), sum(multiply(subtract(a, 1), digamma(a))));
  },
};
