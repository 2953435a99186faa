// The `np` namespace: numpy's names, assembled from the modules of this folder, plus the array methods.
// To add functions: export them from a module here (public numpy names only) and spread it below.
import { NDArray, complexScalar } from "../array/ndarray";
import { registerVSpace } from "../core/vspace";
import { getValue } from "../core/tracer";
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
import * as linalg from "../linalg/index";
import * as reductions from "./reductions";
import * as shape from "./shape";
import * as structure from "./structure";
import * as selection from "./selection";
import { installMethods } from "./methods";
import { fft } from "../fft/index";

const { defineUnary: _du, asFloat: _af, ...elementwisePublic } = elementwise;
const { unbroadcast: _ub, binaryKernel: _bk, resultDType: _rd, ...binaryPublic } = binary;
const { matchComplex: _mc, toComplex: _tc, ...complexPublic } = complexParts;
const { repeatToMatch: _rm, sumAxes: _sa, variance, ...reductionsPublic } = reductions;
const { toInexact: _ti, ...contractionsPublic } = contractions;

const npNamespace = {
  ...elementwisePublic,
  ...binaryPublic,
  ...complexPublic,
  ...reductionsPublic,
  var: variance,
  ...shape,
  ...contractionsPublic,
  ...einsumModule,
  ...creation,
  ...join,
  ...nondiff,
  ...structure,
  ...selection,
  index: indexing.index,
  random,
  linalg,
  fft,
  /** Constants */
  pi: Math.PI,
  e: Math.E,
  inf: Infinity,
  nan: NaN,
  newaxis: null,
};

type NumpyNamespace = typeof npNamespace;
/** numpy's namespace: np.array, np.sum, np.linalg, np.fft, np.random, ... (a named type reads better in errors). */
export interface Numpy extends NumpyNamespace {}
export const np: Numpy = npNamespace;

registerVSpace({
  add: binary.add,
  zerosLike: (x) => creation.zeros_like(getValue(x)),
  onesLike: (x) => creation.ones_like(getValue(x)),
  stack: (xs) => join.stack(xs),
  reshape: (x, s) => shape.reshape(x, s),
  vdot: (a, b) => reductions.sum(binary.multiply(a, b)),
  multiply: binary.multiply,
  conj: complexParts.conj,
  astype: (x, d) => creation.astype(x, d),
  real: complexParts.real,
  concatenate: (xs) => join.concatenate(xs),
  slice: (x, start, stop) => indexing.slice1(x, 0, start, stop),
  transpose: (x) => shape.transpose(x),
});

installMethods();

export { NDArray, complexScalar };
