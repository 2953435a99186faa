// NDArray methods: thin calls into the differentiable np functions (so traced values have them too), as one
// table typed against the NDArrayMethods interface (lib/array/ndarray.ts): a method missing from the table, or
// one whose parameters or result disagree with the interface, is a compile error. lib/index.ts installs it.
import { type NDArrayMethods, NDArray } from "./array/ndarray";
import { formatArray } from "./array/format";
import { ndarrayMimeBundle } from "./display/ndarray";
import { getValue } from "./core/tracer";
import { IndexUpdate } from "./numpy/indexing";
import { numpy as np } from "./numpy/index";

type Getters = "T" | "real" | "imag";
type MethodTable = {
  [K in Exclude<keyof NDArrayMethods, Getters>]: (this: NDArray, ...args: Parameters<NDArrayMethods[K]>) => ReturnType<NDArrayMethods[K]>;
};
type GetterTable = { [K in Getters]: (this: NDArray) => NDArrayMethods[K] };

export const methods = {
  add(other) { return np.add(this, other); },
  sub(other) { return np.subtract(this, other); },
  mul(other) { return np.multiply(this, other); },
  div(other) { return np.divide(this, other); },
  pow(other) { return np.power(this, other); },
  neg() { return np.negative(this); },
  matmul(other) { return np.matmul(this, other); },
  dot(other) { return np.dot(this, other); },
  reshape(...shape) { return np.reshape(this, ...shape); },
  transpose(...axes) {
    const list = axes.length === 1 && Array.isArray(axes[0]) ? axes[0] : axes.length ? axes : undefined;
    return np.transpose(this, list);
  },
  sum(opts) { return np.sum(this, opts); },
  mean(opts) { return np.mean(this, opts); },
  max(opts) { return np.amax(this, opts); },
  min(opts) { return np.amin(this, opts); },
  prod(opts) { return np.prod(this, opts); },
  std(opts) { return np.std(this, opts); },
  var(opts) { return np.var(this, opts); },
  cumsum(opts) { return np.cumsum(this, opts); },
  argmax(opts) { return np.argmax(this, opts); },
  argmin(opts) { return np.argmin(this, opts); },
  get(...idx) { return np.index(this, ...idx); },
  at(...idx) { return new IndexUpdate(this, idx); },
  astype(dtype) { return np.astype(this, dtype); },
  flatten() { return np.ravel(this); },
  ravel() { return np.ravel(this); },
  squeeze(axis) { return np.squeeze(this, axis); },
  clip(min, max) { return np.clip(this, min, max); },
  abs() { return np.abs(this); },
  exp() { return np.exp(this); },
  log() { return np.log(this); },
  tanh() { return np.tanh(this); },
  sqrt() { return np.sqrt(this); },
  square() { return np.square(this); },
  conj() { return np.conj(this); },
  round(decimals) { return np.round(this, decimals); },
  sort(opts) { return np.sort(this, opts); },
  argsort(opts) { return np.argsort(this, opts); },
  repeat(repeats, axis) { return np.repeat(this, repeats, axis); },
  trace(offset) { return np.trace(this, offset); },
  diagonal(offset) { return np.diagonal(this, offset); },
  cumprod(opts) { return np.cumprod(this, opts); },
  take(indices, axis) { return np.take(this, indices, axis); },
  swapaxes(axis1, axis2) { return np.swapaxes(this, axis1, axis2); },
  any(opts) { return np.any(this, opts); },
  all(opts) { return np.all(this, opts); },
  nonzero() { return np.nonzero(this); },
  toString() { return formatArray(getValue(this)); },
  toStdlib() {
    const x = getValue(this);
    const dtype = x.dtype === "bool" ? "uint8" : x.dtype;
    const strides = x.shape.map((_, k) => x.shape.slice(k + 1).reduce((p, d) => p * d, 1));
    const ndarrayCtor = require("@stdlib/ndarray-ctor");
    return new ndarrayCtor(dtype, x.data, x.shape.slice(), strides, 0, "row-major");
  },
} satisfies MethodTable;

export const getters = {
  T() { return np.transpose(this); },
  real() { return np.real(this); },
  imag() { return np.imag(this); },
} satisfies GetterTable;

/** Puts the methods, the getters and the display hooks on NDArray.prototype (once, from lib/index.ts). */
export function installMethods(): void {
  const proto = NDArray.prototype as unknown as Record<PropertyKey, unknown>;
  for (const [name, fn] of Object.entries(methods)) proto[name] = fn;
  for (const [name, get] of Object.entries(getters)) Object.defineProperty(proto, name, { get, configurable: true });
  // Rich display in the notebook: an HTML table and numpy-like text
  proto[Symbol.for("Jupyter.display")] = function (this: NDArray) {
    return ndarrayMimeBundle(getValue(this) as any);
  };
  // Node's console.log / util.inspect shows the numpy-like text
  proto[Symbol.for("nodejs.util.inspect.custom")] = function (this: NDArray) {
    return this.toString();
  };
}
