// Releasing a grad call's intermediates (lib/core/release.ts): after the backward pass the storage of the
// forward pass's traced values goes back to the pool, so a steady-state training step allocates nothing new for
// them; a traced value the user's code kept is marked released (any use throws ReleasedArrayError) and never
// shows another array's numbers; what the call returns, untraced values and nested traces are left alone.
import { afterEach, describe, expect, it } from "vitest";
import {
  type NDArray, ReleasedArrayError, display, gradAndAux, grad, np, setReleaseIntermediates, traceGraph, valueAndGrad,
} from "../../lib/index";
import { allocatedBytes, clearPool } from "../../lib/array/dtype";
import { recordTrace } from "../../lib/core/graph";
import { resetTracing, tracingIdle } from "../../lib/core/tracer";
import { inAllocScope } from "../../lib/array/dtype";
import * as vm from "vm";

const randn = (seed: number, ...shape: number[]): NDArray => {
  np.random.seed(seed);
  return np.random.randn(...shape) as NDArray;
};
const values = (x: NDArray): number[] => Array.from(x.data as Float64Array);
/** Work that takes and returns plenty of pooled buffers of the tests' sizes. */
function churn(): void {
  const X = randn(50, 300, 20);
  const f = (w: NDArray) => np.sum(np.tanh(np.multiply(np.sin(np.dot(X, w)), np.exp(np.multiply(np.dot(X, w), 0.1)))));
  for (let i = 0; i < 5; i++) grad(f)(randn(60 + i, 20));
}
const logreg = (X: NDArray, y: NDArray) => (w: NDArray) => {
  const p = np.multiply(0.5, np.add(np.tanh(np.multiply(np.dot(X, w), 0.5)), 1));
  return np.negative(np.sum(np.add(np.multiply(y, np.log(p)), np.multiply(np.subtract(1, y), np.log(np.subtract(1, p))))));
};
/** Fresh bytes of array storage one call of `fn` allocates, after `warm` calls. */
function bytesPerCall(fn: () => unknown, warm = 3): number {
  for (let i = 0; i < warm; i++) fn();
  const b0 = allocatedBytes();
  fn();
  return allocatedBytes() - b0;
}

afterEach(() => {
  setReleaseIntermediates(true);
});

describe("releasing a grad call's intermediates", () => {
  const X = randn(1, 2000, 30);
  const y = np.array(Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? 1 : 0)));

  it("a steady-state logistic-regression step allocates only the constant the loss computes (1 - y)", () => {
    clearPool();
    const w = np.multiply(randn(2, 30), 0.1);
    const gf = grad(logreg(X, y));
    const released = bytesPerCall(() => gf(w));
    setReleaseIntermediates(false);
    const kept = bytesPerCall(() => gf(w));
    // the untraced constant np.subtract(1, y) is fresh each call (it may be kept by the user); nothing else
    expect(released).toBeLessThanOrEqual(8 * 2000 + 1024);
    // eleven 2000-element intermediates per step without release
    expect(kept).toBeGreaterThanOrEqual(10 * 8 * 2000);
  });

  it("gradients are the same with and without release, step after step, and match the closed form", () => {
    const gf = grad(logreg(X, y));
    const ws = [0, 1, 2, 3, 4].map((k) => np.multiply(randn(10 + k, 30), 0.1));
    const released = ws.map((w) => values(gf(w)));
    setReleaseIntermediates(false);
    const kept = ws.map((w) => values(gf(w)));
    expect(released).toEqual(kept);
    // d/dw of the logistic loss = Xᵀ (sigmoid(Xw) - y)
    const closed = (w: NDArray) => values(np.dot(np.transpose(X), np.subtract(np.divide(1, np.add(1, np.exp(np.negative(np.dot(X, w))))), y)));
    ws.forEach((w, k) => closed(w).forEach((v, i) => expect(released[k][i]).toBeCloseTo(v, 9)));
  });

  it("a traced value kept by the user's code is released: using it throws and says how to keep values", () => {
    const kept: NDArray[] = [];
    const f = (w: NDArray) => {
      const h = np.tanh(np.dot(X, w));
      kept.push(h, np.reshape(h, [40, 50]), np.exp(np.multiply(h, 0.1))); // the last does not reach the output
      return np.sum(np.square(h));
    };
    const g = grad(f)(randn(3, 30));
    expect(g.shape).toEqual([30]);
    const [h, view, unused] = kept;
    for (const use of [
      () => np.add(h, 1), () => h.tolist(), () => h.get(0), () => h.toString(), () => view.sum(),
      () => unused.item(), () => np.sum(unused), () => display(h), () => +np.sum(h), () => grad((w: NDArray) => np.sum(np.multiply(h, w)))(h),
    ]) {
      expect(use).toThrow(ReleasedArrayError);
    }
    expect(() => h.tolist()).toThrow(/gradAndAux\(f\).*aux.*setReleaseIntermediates\(false\)/s);
    expect(() => np.add(h, 1)).toThrow(/^add: this array is an intermediate value/);
    // shape and dtype stay readable
    expect(view.shape).toEqual([40, 50]);
    expect(h.dtype).toBe("float64");
  });

  it("a released value's storage reads as NaN, never as another array's numbers", () => {
    const kept: NDArray[] = [];
    const f = (w: NDArray) => {
      const h = np.sin(np.dot(X, w));
      kept.push(h);
      return np.sum(h);
    };
    grad(f)(randn(4, 30));
    const before = values(kept[0]);
    churn();
    expect(values(kept[0])).toEqual(before);
    expect(before.every(Number.isNaN)).toBe(true);
  });

  it("what the call returns survives: value, aux (nested, views of intermediates), gradients", () => {
    const w = randn(5, 30);
    const f = (v: NDArray) => {
      const z = np.dot(X, v);
      const h = np.tanh(z);
      return [np.sum(np.square(h)), { h, rows: [np.reshape(h, [2000, 1]), np.multiply(z, 2)], T: np.transpose(np.reshape(z, [40, 50])) }];
    };
    const [g, aux] = gradAndAux(f)(w) as [NDArray, { h: NDArray; rows: NDArray[]; T: NDArray }];
    const [v, g2] = valueAndGrad((u: NDArray) => np.sum(np.sin(np.dot(X, u))))(w) as [NDArray, NDArray];
    const copies = [g, aux.h, aux.rows[0], aux.rows[1], aux.T, v, g2].map(values);
    churn();
    expect([g, aux.h, aux.rows[0], aux.rows[1], aux.T, v, g2].map(values)).toEqual(copies);
    const z = np.dot(X, w);
    expect(values(aux.h)).toEqual(values(np.tanh(z)));
    expect(values(aux.T)).toEqual(values(np.transpose(np.reshape(z, [40, 50]))));
    expect(np.add(aux.h, 1).shape).toEqual([2000]); // usable in later computations
    expect(v.item()).toBeCloseTo(np.sum(np.sin(z)).item(), 9);
  });

  it("untraced values the function computes (and may cache between calls) are never released", () => {
    let cache: NDArray | undefined;
    const constants: NDArray[] = [];
    const f = (w: NDArray) => {
      cache ??= np.subtract(1, np.multiply(y, 0.5)); // computed on the first call only
      const c = np.cos(np.arange(2000)); // computed every call, kept by the test
      constants.push(c);
      return np.sum(np.multiply(np.multiply(np.tanh(np.dot(X, w)), cache), c));
    };
    const gf = grad(f);
    for (let i = 0; i < 4; i++) gf(randn(20 + i, 30));
    churn();
    expect(values(cache!)).toEqual(values(np.subtract(1, np.multiply(y, 0.5))));
    const want = values(np.cos(np.arange(2000)));
    constants.forEach((c) => expect(values(c)).toEqual(want));
  });

  it("the inputs and arrays they share storage with are left alone", () => {
    const w = randn(6, 30);
    const copy = values(w);
    const kept: NDArray[] = [];
    grad((v: NDArray) => {
      const r = np.reshape(v, [5, 6]);
      kept.push(r);
      return np.sum(np.square(np.dot(X, np.reshape(r, [30]))));
    })(w);
    churn();
    expect(values(w)).toEqual(copy);
    expect(np.add(w, 1).shape).toEqual([30]);
    expect(() => kept[0].tolist()).toThrow(ReleasedArrayError); // the traced view is released, its storage is w's
    expect(values(kept[0])).toEqual(copy);
  });

  it("nested traces release nothing: values kept inside grad of grad and inner grads stay valid", () => {
    const kept: NDArray[] = [];
    const inner = (v: NDArray) => {
      const h = np.sin(np.dot(X, v));
      kept.push(h);
      return np.sum(np.square(h));
    };
    const outer = (v: NDArray) => np.sum(np.square(grad(inner)(v)));
    const w = randn(7, 30);
    const g = grad(outer)(w);
    const copies = kept.map(values);
    churn();
    expect(kept.map(values)).toEqual(copies);
    expect(values(kept[0])).toEqual(values(np.sin(np.dot(X, w))));
    expect(g.shape).toEqual([30]);
    expect(np.sum(kept[0]).item()).toBeCloseTo(np.sum(np.sin(np.dot(X, w))).item(), 9);
  });

  it("a graph recording (traceGraph) keeps every node's value, also of grad calls inside the function", () => {
    const inner = (v: NDArray) => np.sum(np.tanh(np.dot(X, v)));
    const f = (v: NDArray) => np.sum(np.square(grad(inner)(v)));
    const w = randn(8, 30);
    const rec = recordTrace(f, [w]);
    const tanhNode = rec.nodes.find((n) => n.op === "tanh")!;
    const copy = values(tanhNode.value);
    churn();
    expect(values(tanhNode.value)).toEqual(copy);
    expect(copy).toEqual(values(np.tanh(np.dot(X, w))));
    expect(traceGraph(f)(w).record.nodes.length).toBe(rec.nodes.length);
  });

  it("an error inside the function releases nothing, and the next call is right", () => {
    const w = randn(9, 30);
    const kept: NDArray[] = [];
    const bad = (v: NDArray) => {
      const h = np.tanh(np.dot(X, v));
      kept.push(h);
      return np.add(h, np.ones(7)); // shapes do not broadcast
    };
    expect(() => grad(bad)(w)).toThrow(/broadcast/);
    const g = grad((v: NDArray) => np.sum(np.tanh(np.dot(X, v))))(w);
    churn();
    expect(values(kept[0])).toEqual(values(np.tanh(np.dot(X, w))));
    const t = np.tanh(np.dot(X, w));
    expect(values(g)).toEqual(values(np.dot(np.subtract(1, np.square(t)), X)));
  });

  it("setReleaseIntermediates(false) keeps every intermediate valid; it returns the previous setting", () => {
    expect(setReleaseIntermediates(false)).toBe(true);
    const kept: NDArray[] = [];
    const w = randn(10, 30);
    grad((v: NDArray) => {
      const h = np.tanh(np.dot(X, v));
      kept.push(h);
      return np.sum(h);
    })(w);
    churn();
    expect(values(kept[0])).toEqual(values(np.tanh(np.dot(X, w))));
    expect(np.add(kept[0], 1).shape).toEqual([2000]);
    expect(setReleaseIntermediates(true)).toBe(false);
    expect(() => setReleaseIntermediates("no" as unknown as boolean)).toThrow(/expected true or false/);
  });

  it("after a computation stopped without its finally blocks (an interrupt, a vm timeout), resetTracing makes release work again", () => {
    const f = (v: NDArray) => np.sum(np.tanh(np.dot(X, v)));
    const stuck = (v: NDArray) => {
      np.tanh(np.dot(X, v));
      for (;;); // stopped here, inside the forward pass
    };
    const g = globalThis as unknown as { __releaseTest?: { grad: typeof grad; stuck: typeof stuck; w: NDArray } };
    g.__releaseTest = { grad, stuck, w: randn(11, 30) };
    // V8 terminates the script the way a notebook interrupt does: mid-grad, skipping every finally block
    expect(() => vm.runInThisContext("__releaseTest.grad(__releaseTest.stuck)(__releaseTest.w);", { timeout: 50 })).toThrow(/timed out/);
    delete g.__releaseTest;
    expect(inAllocScope()).toBe(true); // left looking as if a grad call were still running
    expect(tracingIdle()).toBe(false);
    resetTracing();
    expect(inAllocScope()).toBe(false);
    expect(tracingIdle()).toBe(true);
    const kept: NDArray[] = [];
    const w = randn(12, 30);
    const gw = grad((v: NDArray) => {
      const h = np.tanh(np.dot(X, v));
      kept.push(h);
      return np.sum(h);
    })(w);
    expect(() => kept[0].tolist()).toThrow(ReleasedArrayError);
    expect(values(gw)).toEqual(values(grad(f)(w)));
  });
});
