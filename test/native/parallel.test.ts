// The addon's own thread pool (native/parallel.c): big gemv products, elementwise ops and transposes are split
// into chunks by shape alone, so results must equal plain loops (and each other, bit for bit, run after run and
// whatever the thread count).
import { execFileSync } from "child_process";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { np } from "../../lib/index";
import { closeRel, nat, onBoth, uniform } from "./helpers";

const root = path.join(__dirname, "..", "..");

describe.skipIf(!nat)("native work split over the cores", () => {
  it("dgemv in both orientations, shapes that split by rows, by columns and not at all, agrees with a loop", () => {
    const shapes: [number, number][] = [[10000, 100], [100, 10000], [70000, 7], [7, 70000], [513, 1029], [300, 300], [3, 5], [1, 1]];
    for (const [m, n] of shapes) {
      const A = uniform(m + n, m * n), xn = uniform(1, n), xt = uniform(2, m);
      const y = new Float64Array(m).fill(NaN), yt = new Float64Array(n).fill(NaN);
      nat!.dgemv(false, m, n, A, 0, n, xn, 0, 1, y, 0, 1);
      nat!.dgemv(true, m, n, A, 0, n, xt, 0, 1, yt, 0, 1);
      const want = Array.from({ length: m }, (_, i) => { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * xn[j]; return s; });
      const wantT = Array.from({ length: n }, (_, j) => { let s = 0; for (let i = 0; i < m; i++) s += A[i * n + j] * xt[i]; return s; });
      closeRel(y, want, 1e-13, `A·x ${m}×${n}`);
      closeRel(yt, wantT, 1e-13, `Aᵀ·x ${m}×${n}`);
      const again = new Float64Array(n);
      nat!.dgemv(true, m, n, A, 0, n, xt, 0, 1, again, 0, 1);
      expect(Array.from(again), `repeatable ${m}×${n}`).toEqual(Array.from(yt));
    }
  });

  it("elementwise ops over many chunks (transcendental and arithmetic, every broadcast mode) match the JS loops", () => {
    const n = 300_001; // not a multiple of any chunk size
    const x = np.array(Array.from(uniform(5, n))), y = np.array(Array.from(uniform(6, n)));
    const cases: [string, () => ReturnType<typeof np.add>][] = [
      ["tanh", () => np.tanh(x)], ["exp", () => np.exp(x)], ["multiply", () => np.multiply(x, y)],
      ["add scalar", () => np.add(x, 2)], ["scalar minus", () => np.subtract(1, x)], ["power", () => np.power(np.abs(x), y)],
    ];
    for (const [name, f] of cases) {
      const [native, wasm] = onBoth(f);
      closeRel(native.data as Float64Array, wasm.data as Float64Array, 1e-14, name);
    }
  });

  it("transpose: native (blocked, split over output bands) equals the JS transpose, odd and big shapes", () => {
    for (const [r, c] of [[10000, 100], [100, 10000], [333, 777], [1, 500], [500, 1], [17, 19]]) {
      const a = np.array(Array.from(uniform(r * 7 + c, r * c))).reshape([r, c]);
      const [tn, tw] = onBoth(() => np.transpose(a));
      expect(tn.shape).toEqual([c, r]);
      expect(Array.from(tn.data as Float64Array), `${r}×${c}`).toEqual(Array.from(tw.data as Float64Array));
      if (c > 1) expect(tn.data[1 * r + 0]).toBe(a.data[1]); // element (1, 0) of the transpose is (0, 1) of a
    }
  });

  it("GRADLAB_THREADS=1 (no workers) gives the same bits as the default", () => {
    const script = `
      const { nativeAddon } = require(${JSON.stringify(path.join(root, "dist", "lib", "array", "native"))});
      const nat = nativeAddon();
      let s = 1; const next = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
      const m = 20000, n = 60, A = Float64Array.from({ length: m * n }, next), x = Float64Array.from({ length: m }, next);
      const y = new Float64Array(n); nat.dgemv(true, m, n, A, 0, n, x, 0, 1, y, 0, 1);
      const t = new Float64Array(m * n); nat.unary("tanh", A, t, m * n);
      let h = 0; for (let i = 0; i < t.length; i += 997) h += t[i];
      process.stdout.write(JSON.stringify([Array.from(y), h]));`;
    const run = (threads: string) => execFileSync(process.execPath, ["-e", script], { env: { ...process.env, GRADLAB_THREADS: threads }, encoding: "utf8" });
    expect(run("1")).toBe(run("2"));
  });
});
