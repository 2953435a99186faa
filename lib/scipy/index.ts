// The `scipy` namespace: the differentiable subset of scipy.special and scipy.stats (see lib/scipy/special.ts,
// lib/scipy/stats.ts). Exported from lib/index.ts as `scipy`.
import * as specialModule from "./special";
import * as statsModule from "./stats";

const { tPdfStd: _tpdf, tcdf: _tcdf, ...specialPublic } = specialModule;

/** scipy.special: gammaln, digamma/psi, polygamma, gamma, beta, betaln, erf family, ndtr family, expit/logit,
 * logsumexp, softmax, log_softmax, xlogy, xlog1py, Bessel i0/i1/i0e/i1e/j0/j1, gammainc(c), betainc, multigammaln. */
export const special = specialPublic;
/** scipy.stats: norm, t, beta, gamma, poisson, multivariate_normal, dirichlet. */
export const stats = { ...statsModule };

export const scipy = { special, stats };
