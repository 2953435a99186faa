// numpy's own names, assembled from the modules of this folder (lib/np.ts adds np.linalg and np.fft on top).
// To add functions: export them from a module here (public numpy names only) and spread it below.
import { registerVSpace } from "../core/vspace";
import { getValue } from "../core/tracer";
import * as basis from "./basis";
import * as binary from "./binary";
import * as complexParts from "./complexParts";
import * as contractions from "./contractions";
import * as creation from "./creation";
import * as elementwise from "./elementwise";
import * as einsumModule from "./einsum";
import * as indexing from "./indexing";
import * as join from "./join";
import * as nondiff from "./nondiff";
import * as random from "./random";
import * as reductions from "./reductions";
import * as shape from "./shape";
import * as building from "./building";
import * as cumulative from "./cumulative";
import * as rearrange from "./rearrange";
import * as sorting from "./sorting";
import * as take from "./take";
import * as tiling from "./tiling";
import * as whereModule from "./where";
import * as selection from "./selection";

const {
  keptShape: _ks, repeatToMatch: _rm, sumPrim: _sp, sumAxes: _sa, matchComplex: _mc, toComplex: _tc,
  asFloat: _af, keepFloat32: _kf, unbroadcast: _ub, ...basisPublic
} = basis;
const { defineUnary: _du, ...elementwisePublic } = elementwise;
const { binaryKernel: _bk, resultDType: _rd, provideUnaries: _pu, tanh_grad: _tg, ...binaryPublic } = binary;
const { variance, ...reductionsPublic } = reductions;
const { toInexact: _ti, ...contractionsPublic } = contractions;
const { wherePrim: _wp, ...wherePublic } = whereModule;

/** numpy's functions and constants (everything of `np` except np.linalg and np.fft). */
export const numpy = {
  ...basisPublic,
  ...elementwisePublic,
  ...binaryPublic,
  ...complexParts,
  ...reductionsPublic,
  var: variance,
  ...shape,
  ...contractionsPublic,
  ...einsumModule,
  ...creation,
  ...join,
  ...nondiff,
  ...wherePublic,
  ...sorting,
  ...rearrange,
  ...tiling,
  ...cumulative,
  ...take,
  ...building,
  ...selection,
  index: indexing.index,
  random,
  /** Constants */
  pi: Math.PI,
  e: Math.E,
  inf: Infinity,
  nan: NaN,
  newaxis: null,
};

registerVSpace({
  add: binary.add,
  zerosLike: (x) => creation.zeros_like(getValue(x)),
  onesLike: (x) => creation.ones_like(getValue(x)),
  stack: (xs) => join.stack(xs),
  reshape: (x, s) => basis.reshape(x, s),
  vdot: (a, b) => reductions.sum(binary.multiply(a, b)),
  multiply: binary.multiply,
  conj: basis.conj,
  astype: (x, d) => basis.astype(x, d),
  real: basis.real,
  concatenate: (xs) => join.concatenate(xs),
  slice: (x, start, stop) => indexing.slice1(x, 0, start, stop),
  transpose: (x) => basis.transpose(x),
});
