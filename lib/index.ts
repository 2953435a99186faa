// gradlab: the public API (see ../shared/API.md). Everything a notebook cell sees as a global is exported here.
import { installMethods } from "./methods";
import { kernelHooks as displayKernelHooks } from "./display/index";
import { resetTracing } from "./core/tracer";

export { np } from "./np";
export type { Numpy } from "./np";
export { scipy } from "./scipy/index";
export { NDArray } from "./array/ndarray";
export type { ArrayLike, Complex, NestedArray, Index, ReduceOpts } from "./array/ndarray";
export type { DType } from "./array/dtype";
export { ShapeError, ValueError, IndexError, GradientError, LinAlgError, MemoryError, ReleasedArrayError } from "./array/errors";
export { setAllocationLimit, allocationLimit } from "./array/limits";
export { backendName as backend } from "./array/native";
export {
  grad,
  valueAndGrad,
  gradAndAux,
  elementwiseGrad,
  holomorphicGrad,
  makeVjp,
  makeJvp,
  deriv,
  jacobian,
  hessian,
  hessianVectorProduct,
  hvp,
  makeHvp,
  makeGgnvp,
  tensorJacobianProduct,
  vectorJacobianProduct,
  checkpoint,
} from "./core/operators";
export type { JacobianOptions } from "./core/operators";
export { setReleaseIntermediates } from "./core/release";
export { primitive, defvjp, defjvp, defvjpArgnum, defjvpArgnum } from "./core/extend";
export { checkGrads } from "./core/checkGrads";
export type { CheckGradsOptions } from "./core/checkGrads";
export { flatten, flattenFunc } from "./core/flatten";
export { optim } from "./optim/index";
export { traceGraph, recordGraph } from "./graph/trace";
export { GraphFigure } from "./graph/figure";
export type { GraphRecord, GraphNodeRecord } from "./graph/types";
export { plot, Figure } from "./plot/index";
export { display, html, markdown } from "./display/index";
export type { DisplayHandle, MimeBundle } from "./display/index";

/** What a kernel calls into (kernel/main.ts): display plumbing, and the tracer's reset after an interrupt. */
export const kernelHooks = { ...displayKernelHooks, resetTracing };

// the NDArray methods (x.add(y), x.sum(), x.T, ...), from the typed table in lib/methods.ts
installMethods();
