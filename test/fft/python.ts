// Test helper: evaluates Python expressions in a subprocess (numpy / scipy reference values), batched in one call.
// Arrays travel as { shape, re, im? } (complex arrays carry `im`); scalars as numbers; tuples/lists as arrays.
import { spawnSync } from "node:child_process";
import { NDArray } from "../../lib/index";

export interface PyArray {
  shape: number[];
  re: ArrayLike<number>;
  im?: ArrayLike<number>;
}

// float64 data travels as base64 of little-endian bytes (JSON float formatting is far slower)
const b64 = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const unb64 = (s: string): Float64Array => {
  const b = Buffer.from(s, "base64");
  const out = new Float64Array(b.length / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
};

/** True when `exe` runs and can import every module. */
export function pythonHas(exe: string, modules: string[]): boolean {
  const r = spawnSync(exe, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
  return r.status === 0;
}

/** Encodes an NDArray (or number) for Python (also usable as a PyArray on the JS side). */
export function toPy(x: NDArray | number): PyArray | number {
  if (typeof x === "number") return x;
  const d = Float64Array.from(x.data as ArrayLike<number>);
  if (x.dtype === "complex128") {
    const re = d.filter((_, i) => i % 2 === 0), im = d.filter((_, i) => i % 2 === 1);
    return { shape: x.shape, re, im, re64: b64(re), im64: b64(im) } as PyArray;
  }
  return { shape: x.shape, re: d, re64: b64(d) } as PyArray;
}

const PRELUDE = `
import json, sys, math, base64
import numpy as np
def fromb(s): return np.frombuffer(base64.b64decode(s), dtype='<f8')
def tob(a): return base64.b64encode(np.ascontiguousarray(a, dtype='<f8').tobytes()).decode()
def dec(v):
    if isinstance(v, dict) and 'shape' in v:
        a = fromb(v['re64'])
        if v.get('im64') is not None: a = a + 1j * fromb(v['im64'])
        return a.reshape(v['shape'])
    if isinstance(v, list): return [dec(u) for u in v]
    return v
def enc(v):
    if isinstance(v, (tuple, list)): return [enc(u) for u in v]
    a = np.asarray(v)
    if np.iscomplexobj(a):
        return {'shape': list(a.shape), 're64': tob(a.real.ravel()), 'im64': tob(a.imag.ravel())}
    return {'shape': list(a.shape), 're64': tob(a.astype(float).ravel())}
cases = json.loads(sys.stdin.read())
out = []
for expr, env in cases:
    scope = {k: dec(v) for k, v in env.items()}
    scope['np'] = np
    exec(PRE, scope)
    try:
        out.append(enc(eval(expr, scope)))
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
`;

/** Evaluates [expr, env] cases in one Python process; `pre` is run in each scope first (imports). */
export function pyEval(exe: string, cases: [string, Record<string, unknown>][], pre = ""): (PyArray | { error: string })[] {
  const code = `PRE = ${JSON.stringify(pre)}\n${PRELUDE}`;
  const r = spawnSync(exe, ["-c", code], { input: JSON.stringify(cases, (k, v) => (k === "re" || k === "im" ? undefined : v)), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  const fix = (v: any): any => {
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === "object" && "re64" in v) return { shape: v.shape, re: unb64(v.re64), im: v.im64 ? unb64(v.im64) : undefined };
    return v;
  };
  return fix(JSON.parse(r.stdout));
}

/** Max abs difference between an NDArray and a Python result, relative to max(1, |ref|∞). */
export function relErr(x: NDArray, ref: PyArray): number {
  if (x.shape.join() !== ref.shape.join()) throw new Error(`shape mismatch: got (${x.shape}) expected (${ref.shape})`);
  const cx = x.dtype === "complex128";
  let err = 0, scale = 1;
  for (let i = 0; i < ref.re.length; i++) {
    const re = cx ? (x.data[2 * i] as number) : (x.data[i] as number);
    const im = cx ? (x.data[2 * i + 1] as number) : 0;
    const rr = ref.re[i], ri = ref.im ? ref.im[i] : 0;
    scale = Math.max(scale, Math.hypot(rr, ri));
    if (Number.isNaN(rr) || Number.isNaN(re)) {
      if (!(Number.isNaN(rr) && Number.isNaN(re))) err = Infinity;
      continue;
    }
    if (!Number.isFinite(rr) || !Number.isFinite(re)) {
      if (rr !== re) err = Infinity;
      continue;
    }
    err = Math.max(err, Math.hypot(re - rr, im - ri));
  }
  return err / scale;
}
