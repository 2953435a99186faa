// Optimizers with autograd's signatures and defaults: optimizer(gradFn, x0, opts) → x.
// gradFn(x, i) returns the gradient at iteration i; opts.callback(x, i, g) sees every step.
// Parameters may be containers (arrays/objects of arrays): they are flattened for the update and
// unflattened for gradFn and the callback, as autograd's unflatten_optimizer does.
import { NDArray } from "../array/ndarray";
import { flatten } from "../core/flatten";
import { numpy as np } from "../numpy/index";

export interface OptimizerOptions<T> {
  callback?: (x: T, i: number, g: T) => void;
  numIters?: number;
  stepSize?: number;
  /** snake_case aliases, as in autograd */
  num_iters?: number;
  step_size?: number;
}
export interface SgdOptions<T> extends OptimizerOptions<T> { mass?: number }
export interface RmspropOptions<T> extends OptimizerOptions<T> { gamma?: number; eps?: number }
export interface AdamOptions<T> extends OptimizerOptions<T> { b1?: number; b2?: number; eps?: number }

type Step = (g: NDArray, x: NDArray, i: number) => NDArray;

function runFlat<T>(
  name: string,
  gradFn: (x: T, i: number) => T,
  x0: T,
  opts: OptimizerOptions<T>,
  defaults: { numIters: number; stepSize: number },
  makeStep: (n: number, stepSize: number) => Step,
): T {
  if (typeof gradFn !== "function") throw new TypeError(`optim.${name}: gradFn must be a function (x, i) => gradient`);
  const [flat0, unflatten] = flatten(x0);
  const numIters = opts.numIters ?? opts.num_iters ?? defaults.numIters;
  const stepSize = opts.stepSize ?? opts.step_size ?? defaults.stepSize;
  const step = makeStep(flat0.size, stepSize);
  let x = flat0;
  for (let i = 0; i < numIters; i++) {
    const xs = unflatten(x);
    const gTree = gradFn(xs, i);
    let g: NDArray;
    try {
      g = flatten(gTree)[0];
    } catch (e) {
      throw new TypeError(`optim.${name}: gradFn must return a gradient shaped like x: ${(e as Error).message}`);
    }
    if (g.size !== x.size) {
      throw new TypeError(`optim.${name}: gradFn returned ${g.size} values, expected ${x.size} (the size of x)`);
    }
    opts.callback?.(xs, i, unflatten(g));
    x = step(g, x, i);
  }
  return unflatten(x);
}

/** Stochastic gradient descent with momentum (autograd: num_iters=200, step_size=0.1, mass=0.9). */
export function sgd<T>(gradFn: (x: T, i: number) => T, x0: T, opts: SgdOptions<T> = {}): T {
  const mass = opts.mass ?? 0.9;
  return runFlat("sgd", gradFn, x0, opts, { numIters: 200, stepSize: 0.1 }, (n, lr) => {
    let velocity: NDArray = np.zeros(n);
    return (g, x) => {
      velocity = np.subtract(np.multiply(mass, velocity), np.multiply(1 - mass, g));
      return np.add(x, np.multiply(lr, velocity));
    };
  });
}

/** RMSProp (autograd: num_iters=100, step_size=0.1, gamma=0.9, eps=1e-8). */
export function rmsprop<T>(gradFn: (x: T, i: number) => T, x0: T, opts: RmspropOptions<T> = {}): T {
  const gamma = opts.gamma ?? 0.9, eps = opts.eps ?? 1e-8;
  return runFlat("rmsprop", gradFn, x0, opts, { numIters: 100, stepSize: 0.1 }, (n, lr) => {
    let avgSq: NDArray = np.ones(n);
    return (g, x) => {
      avgSq = np.add(np.multiply(avgSq, gamma), np.multiply(np.square(g), 1 - gamma));
      return np.subtract(x, np.divide(np.multiply(lr, g), np.add(np.sqrt(avgSq), eps)));
    };
  });
}

/** Adam (autograd: num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=1e-8). */
export function adam<T>(gradFn: (x: T, i: number) => T, x0: T, opts: AdamOptions<T> = {}): T {
  const b1 = opts.b1 ?? 0.9, b2 = opts.b2 ?? 0.999, eps = opts.eps ?? 1e-8;
  return runFlat("adam", gradFn, x0, opts, { numIters: 100, stepSize: 0.001 }, (n, lr) => {
    let m: NDArray = np.zeros(n);
    let v: NDArray = np.zeros(n);
    return (g, x, i) => {
      m = np.add(np.multiply(1 - b1, g), np.multiply(b1, m));
      v = np.add(np.multiply(1 - b2, np.square(g)), np.multiply(b2, v));
      const mhat = np.divide(m, 1 - Math.pow(b1, i + 1));
      const vhat = np.divide(v, 1 - Math.pow(b2, i + 1));
      return np.subtract(x, np.divide(np.multiply(lr, mhat), np.add(np.sqrt(vhat), eps)));
    };
  });
}

export const optim = { sgd, rmsprop, adam };
