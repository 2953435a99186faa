// The `np` namespace: numpy's functions (lib/numpy) with np.linalg and np.fft, which build on them.
import { numpy } from "./numpy/index";
import * as linalg from "./linalg/index";
import { fft } from "./fft/index";

const npNamespace = { ...numpy, linalg, fft };

type NumpyNamespace = typeof npNamespace;
/** numpy's namespace: np.array, np.sum, np.linalg, np.fft, np.random, ... (a named type reads better in errors). */
export interface Numpy extends NumpyNamespace {}
export const np: Numpy = npNamespace;
