// NDArray methods: thin calls into the differentiable np functions (so traced values have them too).
import { NDArray } from "../array/ndarray";
import { formatArray } from "../array/format";
import { ndarrayMimeBundle } from "../display/ndarray";
import { getValue } from "../core/tracer";
import { IndexUpdate, type Index } from "./indexing";
import { np as npNamespace } from "./index";

export function installMethods(): void {
  // late-bound: np is assembled after this module loads
  const np = () => npNamespace as any;
  const proto = NDArray.prototype as any;
  const call = (name: string) =>
    function (this: NDArray, ...args: unknown[]) {
      return np()[name](this, ...args);
    };
  const methods: Record<string, string> = {
    add: "add", sub: "subtract", mul: "multiply", div: "divide", pow: "power", neg: "negative",
    matmul: "matmul", dot: "dot", sum: "sum", mean: "mean", max: "amax", min: "amin", prod: "prod",
    std: "std", var: "var", cumsum: "cumsum", argmax: "argmax", argmin: "argmin", astype: "astype",
    ravel: "ravel", flatten: "ravel", squeeze: "squeeze", clip: "clip", abs: "abs", exp: "exp", log: "log",
    tanh: "tanh", sqrt: "sqrt", square: "square", conj: "conj", round: "round",
    sort: "sort", argsort: "argsort", repeat: "repeat", trace: "trace", diagonal: "diagonal", cumprod: "cumprod",
    take: "take", swapaxes: "swapaxes", any: "any", all: "all", nonzero: "nonzero",
  };
  for (const [method, fn] of Object.entries(methods)) proto[method] = call(fn);
  proto.reshape = function (this: NDArray, ...shape: (number | number[])[]) {
    return np().reshape(this, ...shape);
  };
  proto.transpose = function (this: NDArray, ...axes: (number | number[])[]) {
    const list = axes.length === 1 && Array.isArray(axes[0]) ? axes[0] : axes.length ? axes : undefined;
    return np().transpose(this, list);
  };
  proto.get = function (this: NDArray, ...idx: Index[]) {
    return np().index(this, ...idx);
  };
  proto.at = function (this: NDArray, ...idx: Index[]) {
    return new IndexUpdate(this, idx);
  };
  Object.defineProperty(proto, "T", { get(this: NDArray) { return np().transpose(this); }, configurable: true });
  Object.defineProperty(proto, "real", { get(this: NDArray) { return np().real(this); }, configurable: true });
  Object.defineProperty(proto, "imag", { get(this: NDArray) { return np().imag(this); }, configurable: true });
  proto.toString = function (this: NDArray) {
    return formatArray(getValue(this));
  };
  proto.toStdlib = function (this: NDArray) {
    const x = getValue(this);
    const dtype = x.dtype === "bool" ? "uint8" : x.dtype;
    const strides = x.shape.map((_, k) => x.shape.slice(k + 1).reduce((p, d) => p * d, 1));
    const ndarrayCtor = require("@stdlib/ndarray-ctor");
    return new ndarrayCtor(dtype, x.data, x.shape.slice(), strides, 0, "row-major");
  };
  // Rich display in the notebook: an HTML table and numpy-like text
  proto[Symbol.for("Jupyter.display")] = function (this: NDArray) {
    return ndarrayMimeBundle(getValue(this) as any);
  };
  // Node's console.log / util.inspect shows the numpy-like text
  proto[Symbol.for("nodejs.util.inspect.custom")] = function (this: NDArray) {
    return this.toString();
  };
}
