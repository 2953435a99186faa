// Test helpers for np.linalg: a bridge to the real numpy (one python3 process per call, JSON in and out),
// random well-conditioned inputs, and closeness assertions.
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { NDArray, checkGrads, np } from "../../lib/index";

export const linalg = np.linalg;

// ---- numpy bridge --------------------------------------------------------------------------------------------------

const PY = process.env.GRADLAB_PYTHON ?? "python3";
const probe = spawnSync(PY, ["-c", "import numpy"], { encoding: "utf8" });
/** Whether numpy can be imported; numpy comparisons are skipped (with a printed reason) when it cannot. */
export const hasNumpy = probe.status === 0;
export const noNumpy = !hasNumpy;
if (!hasNumpy) {
  console.log(`np.linalg tests: skipping comparisons with numpy: \`${PY} -c "import numpy"\` failed: ${(probe.stderr || String(probe.error ?? "")).trim()}`);
}

const PRELUDE = `
import json, sys, math
import numpy as np
def _dec(v):
    if isinstance(v, dict) and "re" in v:
        return np.array(v["re"], dtype=float) + 1j * np.array(v["im"], dtype=float)
    return np.array(v, dtype=float)
inp = {k: _dec(v) for k, v in json.loads(sys.stdin.read()).items()}
out = {}
def _fin(v):
    if isinstance(v, list): return [_fin(e) for e in v]
    if isinstance(v, float) and not math.isfinite(v): return "nan" if v != v else ("inf" if v > 0 else "-inf")
    return v
def _enc(x):
    if isinstance(x, (list, tuple)): return {"list": [_enc(e) for e in x]}
    x = np.asarray(x)
    if np.iscomplexobj(x): return {"re": _fin(x.real.tolist()), "im": _fin(x.imag.tolist()), "shape": list(x.shape)}
    return {"v": _fin(x.astype(float).tolist()), "shape": list(x.shape)}
`;

const encode = (x: NDArray): unknown => {
  if (x.dtype === "complex128") return { re: np.real(x).tolist(), im: np.imag(x).tolist() };
  return x.tolist();
};
const fin = (v: any): any => (Array.isArray(v) ? v.map(fin) : v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v);
function decode(v: any): any {
  if (v.list) return v.list.map(decode);
  if ("re" in v) {
    const re = np.reshape(np.array(fin(v.re)), v.shape), im = np.reshape(np.array(fin(v.im)), v.shape);
    return np.complex(re, im);
  }
  return np.reshape(np.array(fin(v.v), "float64"), v.shape);
}

/**
 * Runs `script` in python with numpy as `np`, the inputs as numpy arrays in the dict `inp`; the script stores
 * results (arrays, numbers, or lists of them) in the dict `out`, which comes back as NDArrays.
 */
export function numpy(script: string, inputs: Record<string, NDArray>): Record<string, any> {
  const payload = JSON.stringify(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, encode(v)])));
  const code = `${PRELUDE}\n${script}\nprint(json.dumps({k: _enc(v) for k, v in out.items()}))`;
  const r = spawnSync(PY, ["-c", code], { input: payload, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`numpy reference script failed:\n${r.stderr}`);
  const raw = JSON.parse(r.stdout);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decode(v)]));
}

// ---- inputs ----------------------------------------------------------------------------------------------------------

/** Deterministic normal matrix of the given shape. */
export function randn(seed: number, ...shape: number[]): NDArray {
  np.random.seed(seed);
  return np.random.randn(...shape);
}

/** A well-conditioned square (stack): random + n·I. */
export function wellConditioned(seed: number, ...shape: number[]): NDArray {
  const n = shape[shape.length - 1];
  return np.add(randn(seed, ...shape), np.multiply(np.eye(n), n / 2 + 1));
}

/** A symmetric positive definite (stack): X Xᵀ + I. */
export function spd(seed: number, ...shape: number[]): NDArray {
  const X = randn(seed, ...shape);
  const n = shape[shape.length - 1];
  return np.add(np.matmul(X, np.swapaxes(X, -1, -2)), np.eye(n));
}

/** A symmetric (stack) with well separated eigenvalues. */
export function symmetric(seed: number, ...shape: number[]): NDArray {
  const X = randn(seed, ...shape);
  return np.multiply(np.add(X, np.swapaxes(X, -1, -2)), 0.5);
}

// ---- assertions --------------------------------------------------------------------------------------------------------

/** Same shape and allclose (complex handled); tolerances default to 1e-10. */
export function close(actual: any, expected: any, tol = 1e-10): void {
  const A = actual instanceof NDArray ? actual : np.array(actual);
  const B = expected instanceof NDArray ? expected : np.array(expected);
  expect(A.shape).toEqual(B.shape);
  if (A.size === 0) return;
  const d = (np.max(np.abs(np.subtract(A, B))) as any).item();
  const scale = Math.max(1, (np.max(np.abs(B)) as any).item());
  if (!(d <= tol * scale)) {
    throw new Error(`arrays differ by ${d} (tolerance ${tol * scale}):\nactual   ${A.toString()}\nexpected ${B.toString()}`);
  }
}

/** checkGrads in both modes to second order. */
export const check2 = (f: (...a: any[]) => any, ...args: any[]) => checkGrads(f, { modes: ["fwd", "rev"], order: 2 })(...args);
/** checkGrads in both modes, first order only (for the costlier cases). */
export const check1 = (f: (...a: any[]) => any, ...args: any[]) => checkGrads(f, { modes: ["fwd", "rev"], order: 1 })(...args);

/** Sorts complex eigenvalues by (real, imag) for comparisons. */
export function sortComplex(w: NDArray): NDArray {
  const re = np.real(w).tolist() as number[], im = np.imag(w).tolist() as number[];
  const idx = re.map((_, i) => i).sort((a, b) => re[a] - re[b] || im[a] - im[b]);
  return np.complex(np.array(idx.map((i) => re[i])), np.array(idx.map((i) => im[i])));
}
