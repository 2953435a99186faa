// The storage pool: the backward pass recycles the buffers it allocated, accumulates cotangents in place, and small
// arrays come from slabs. Every test holds on to arrays a user could see, runs more computations (which take
// storage from the pool), and checks that what it holds did not change: recycled memory that a live array can see
// would show up here as changed values.
import { describe, expect, it } from "vitest";
import {
  type NDArray, checkpoint, defvjp, elementwiseGrad, grad, gradAndAux, hessian, jacobian, makeVjp, np, primitive,
  setReleaseIntermediates, traceGraph, valueAndGrad,
} from "../../lib/index";
import { allocatedBytes, clearPool, recycle, scratchFloat64 } from "../../lib/array/dtype";

const N = 500; // above the pool's minimum size (64 slots); slab-carved when fresh
const data = (seed: number, n = N): NDArray => {
  np.random.seed(seed);
  return np.random.randn(n) as NDArray;
};
const snapshot = (x: NDArray): number[] => Array.from(x.data as Float64Array);
/** Work that allocates and recycles plenty of N-element buffers. */
function churn(): void {
  const f = (x: NDArray) => np.sum(np.tanh(np.multiply(np.sin(x), np.exp(np.multiply(x, 0.1)))));
  for (let i = 0; i < 5; i++) grad(f)(data(100 + i));
}
const closeTo = (a: NDArray, b: NDArray | number[]) => {
  const A = Array.from(a.data as Float64Array), B = Array.isArray(b) ? b : Array.from(b.data as Float64Array);
  expect(A.length).toBe(B.length);
  for (let i = 0; i < A.length; i++) expect(A[i]).toBeCloseTo(B[i], 10);
};

describe("storage pool", () => {
  it("intermediate values the user kept survive later gradients (with release of intermediates off)", () => {
    // with release on (the default) they are marked released instead: test/core/release.test.ts
    const prev = setReleaseIntermediates(false);
    const held: NDArray[] = [];
    const f = (x: NDArray) => {
      const h = np.tanh(np.multiply(x, 2));
      held.push(h);
      const u = np.multiply(h, h);
      held.push(u);
      return np.sum(np.multiply(u, x));
    };
    const x = data(1);
    const g = grad(f)(x);
    const plainH = np.tanh(np.multiply(x, 2));
    const copies = held.map(snapshot);
    const gCopy = snapshot(g);
    churn();
    held.forEach((h, i) => expect(snapshot(h)).toEqual(copies[i]));
    expect(snapshot(g)).toEqual(gCopy);
    // d/dx sum(tanh(2x)^2 x) = tanh(2x)^2 + x * 2 tanh(2x) * (1 - tanh(2x)^2) * 2
    const h = plainH.data as Float64Array, xs = x.data as Float64Array;
    closeTo(g, Array.from(h, (t, i) => t * t + xs[i] * 4 * t * (1 - t * t)));
    closeTo(held[0], plainH);
    setReleaseIntermediates(prev);
  });

  it("aux outputs of gradAndAux and values of valueAndGrad survive", () => {
    const f = (x: NDArray) => {
      const h = np.exp(np.multiply(x, 0.5));
      return [np.sum(np.square(h)), { h, doubled: np.multiply(h, 2) }];
    };
    const x = data(2);
    const [g, aux] = gradAndAux(f)(x) as [NDArray, { h: NDArray; doubled: NDArray }];
    const [v, g2] = valueAndGrad((y: NDArray) => np.sum(np.sin(y)))(x) as [NDArray, NDArray];
    const copies = [snapshot(g), snapshot(aux.h), snapshot(aux.doubled), snapshot(v), snapshot(g2)];
    churn();
    expect([snapshot(g), snapshot(aux.h), snapshot(aux.doubled), snapshot(v), snapshot(g2)]).toEqual(copies);
    closeTo(g, Array.from(x.data as Float64Array, (t) => Math.exp(t))); // d/dx sum(e^x) = e^x
    closeTo(g2, Array.from(x.data as Float64Array, Math.cos));
  });

  it("gradients from earlier calls stay intact while the same function is differentiated again", () => {
    const f = (x: NDArray) => np.sum(np.multiply(np.sin(x), np.cos(x)));
    const gf = grad(f);
    const xs = [data(3), data(4), data(5)];
    const gs = xs.map((x) => gf(x));
    const copies = gs.map(snapshot);
    for (let i = 0; i < 10; i++) gf(data(10 + i));
    gs.forEach((g, i) => expect(snapshot(g)).toEqual(copies[i]));
    gs.forEach((g, i) => closeTo(g, Array.from(xs[i].data as Float64Array, (t) => Math.cos(2 * t))));
  });

  it("gradients that share storage with a cotangent (identity and reshape VJPs) are not recycled", () => {
    // add's VJP hands g through unchanged and reshape's shares storage: the gradient is the seed's storage itself
    const f = (x: NDArray) => np.sum(np.reshape(np.add(np.reshape(x, [25, 20]), 1), [N]));
    const x = data(6);
    const g = grad(f)(x);
    const h = grad((y: NDArray) => np.sum(np.reshape(np.multiply(np.reshape(y, [20, 25]), 3), [N])))(x);
    const copies = [snapshot(g), snapshot(h)];
    churn();
    expect([snapshot(g), snapshot(h)]).toEqual(copies);
    closeTo(g, new Array(N).fill(1));
    closeTo(h, new Array(N).fill(3));
  });

  it("cotangents accumulated from several uses of one value are right (in-place accumulation)", () => {
    // x is used five times; y = x*x is used three times
    const f = (x: NDArray) => {
      const y = np.multiply(x, x);
      return np.sum(np.add(np.add(np.multiply(y, x), np.sin(y)), np.add(np.multiply(y, 2), x)));
    };
    const x = data(7);
    const g = grad(f)(x);
    churn();
    // d/dx [x^3 + sin(x^2) + 2x^2 + x] = 3x^2 + 2x cos(x^2) + 4x + 1
    closeTo(g, Array.from(x.data as Float64Array, (t) => 3 * t * t + 2 * t * Math.cos(t * t) + 4 * t + 1));
    // the same cotangent object reaching one node twice: add(y, y)
    const g2 = grad((x2: NDArray) => np.sum(np.multiply(np.add(np.exp(x2), np.exp(x2)), x2)))(x);
    closeTo(g2, Array.from(x.data as Float64Array, (t) => 2 * Math.exp(t) * (1 + t)));
  });

  it("second derivatives (grad of grad, hessian, jacobian of grad) are right and leave held values alone", () => {
    const f = (x: NDArray) => np.sum(np.multiply(np.sin(x), np.exp(np.multiply(x, 0.3))));
    const x = data(8);
    const d1 = elementwiseGrad(f)(x);
    const d2 = elementwiseGrad((y: NDArray) => np.sum(elementwiseGrad(f)(y)))(x);
    const copies = [snapshot(d1), snapshot(d2)];
    churn();
    expect([snapshot(d1), snapshot(d2)]).toEqual(copies);
    const xs = x.data as Float64Array;
    // f_i = sin(x) e^{0.3x}: f' = e^{0.3x}(cos x + 0.3 sin x), f'' = e^{0.3x}(0.6 cos x + (0.09 - 1) sin x)
    closeTo(d1, Array.from(xs, (t) => Math.exp(0.3 * t) * (Math.cos(t) + 0.3 * Math.sin(t))));
    closeTo(d2, Array.from(xs, (t) => Math.exp(0.3 * t) * (0.6 * Math.cos(t) - 0.91 * Math.sin(t))));
    // a dense Hessian of a small problem (forward over reverse) and a reverse-over-reverse Jacobian of the gradient
    const small = data(9, 12);
    const H = hessian(f)(small) as NDArray;
    const J = jacobian(grad(f), 0, { mode: "rev" })(small) as NDArray;
    churn();
    const hd = H.data as Float64Array, jd = J.data as Float64Array, sd = small.data as Float64Array;
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        const want = i === j ? Math.exp(0.3 * sd[i]) * (0.6 * Math.cos(sd[i]) - 0.91 * Math.sin(sd[i])) : 0;
        expect(hd[i * 12 + j]).toBeCloseTo(want, 10);
        expect(jd[i * 12 + j]).toBeCloseTo(want, 10);
      }
    }
  });

  it("a user VJP rule that keeps the cotangent it was given keeps valid data", () => {
    const seen: NDArray[] = [];
    const cube = primitive((x: NDArray) => np.multiply(np.multiply(x, x), x), "cube");
    defvjp(cube, (_ans, x) => (g) => {
      seen.push(g);
      return np.multiply(g, np.multiply(np.square(x), 3));
    });
    const x = data(10);
    const g = grad((y: NDArray) => np.sum(np.multiply(cube(np.sin(y)), 2)))(x);
    const copies = seen.map(snapshot);
    const gCopy = snapshot(g);
    churn();
    seen.forEach((s, i) => expect(snapshot(s)).toEqual(copies[i]));
    expect(snapshot(g)).toEqual(gCopy);
    closeTo(g, Array.from(x.data as Float64Array, (t) => 6 * Math.sin(t) ** 2 * Math.cos(t)));
  });

  it("checkpoint: values the recomputed function keeps survive", () => {
    const kept: NDArray[] = [];
    const block = checkpoint((x: NDArray) => {
      const h = np.tanh(x);
      kept.push(h);
      return np.multiply(h, h);
    });
    const x = data(11);
    const g = grad((y: NDArray) => np.sum(block(np.multiply(y, 2))))(x);
    const copies = kept.map(snapshot);
    churn();
    kept.forEach((k, i) => expect(snapshot(k)).toEqual(copies[i]));
    // d/dx tanh(2x)^2 = 4 tanh(2x) (1 - tanh(2x)^2)
    closeTo(g, Array.from(x.data as Float64Array, (t) => 4 * Math.tanh(2 * t) * (1 - Math.tanh(2 * t) ** 2)));
  });

  it("makeVjp called repeatedly with held cotangents and results", () => {
    const x = data(12);
    const [vjp, value] = makeVjp((y: NDArray) => np.multiply(np.sin(y), np.exp(y)))(x) as [(g: NDArray) => NDArray, NDArray];
    const valueCopy = snapshot(value);
    const seeds = [data(13), data(14)];
    const outs = seeds.map((s) => vjp(s));
    const copies = outs.map(snapshot);
    churn();
    outs.forEach((o, i) => expect(snapshot(o)).toEqual(copies[i]));
    expect(snapshot(value)).toEqual(valueCopy);
    const xs = x.data as Float64Array;
    outs.forEach((o, k) => closeTo(o, Array.from(xs, (t, i) => (seeds[k].data as Float64Array)[i] * Math.exp(t) * (Math.sin(t) + Math.cos(t)))));
  });

  it("traceGraph with cotangents records the right gradient and leaves later gradients right", () => {
    const f = (x: NDArray) => np.sum(np.square(np.sin(x)));
    const x = data(15);
    const fig = traceGraph(f)(x);
    const input = fig.record.nodes[0];
    expect(input.grad).toBeDefined();
    const g = grad(f)(x);
    churn();
    closeTo(g, Array.from(x.data as Float64Array, (t) => Math.sin(2 * t)));
  });

  it("a gradient step reuses storage: later calls allocate fewer fresh bytes than the first", () => {
    clearPool();
    const X = np.random.randn(3000, 50) as NDArray; // 3000-element intermediates: pooled, not slab-carved (above 2048)
    const f = (w: NDArray) => np.sum(np.tanh(np.dot(X, w)));
    const gf = grad(f);
    const w = data(16, 50);
    let b0 = allocatedBytes();
    const first = gf(w);
    const firstBytes = allocatedBytes() - b0;
    gf(w);
    b0 = allocatedBytes();
    const third = gf(w);
    const laterBytes = allocatedBytes() - b0;
    expect(laterBytes).toBeLessThan(firstBytes);
    expect(snapshot(third)).toEqual(snapshot(first));
  });

  it("values made outside a grad call get fresh storage, never a pooled buffer; scratch takes from the pool", () => {
    // A pooled buffer is an old-generation object: handed to a short-lived value it would be freed only by a full
    // GC. So the pool serves grad calls (which hand their buffers back) and scratch buffers handed back at once.
    clearPool();
    const x = data(17, 3000);
    const gf = grad((y: NDArray) => np.sum(np.sin(np.multiply(y, 2))));
    const b = allocatedBytes();
    gf(x); // fills the pool with the pass's 3000-slot buffers
    const firstBytes = allocatedBytes() - b;
    const b0 = allocatedBytes();
    const forward = np.multiply(x, 3);
    expect(allocatedBytes() - b0).toBeGreaterThanOrEqual(8 * 3000); // fresh, although the pool has buffers of that length
    closeTo(forward, Array.from(x.data as Float64Array, (t) => 3 * t));
    const b1 = allocatedBytes();
    const scratch = scratchFloat64(3000);
    expect(allocatedBytes()).toBe(b1); // from the pool
    expect(scratch).not.toBe(forward.data);
    recycle(scratch);
    // and the next backward pass still reuses what the first one left
    const b2 = allocatedBytes();
    const g = gf(x);
    // fresh: at most the returned gradient; the forward values and the pass's own buffers come from the pool
    expect(allocatedBytes() - b2).toBeLessThan(8 * 3000 * 4);
    expect(allocatedBytes() - b2).toBeLessThan(firstBytes);
    closeTo(g, Array.from(x.data as Float64Array, (t) => 2 * Math.cos(2 * t)));
  });

  it("a full pool makes room for the lengths in use, dropping those recycled longest ago", () => {
    clearPool();
    const big: Float64Array[] = Array.from({ length: 8 }, () => new Float64Array(1 << 20)); // 8 MB each: the pool's 64 MB
    expect(big.map((b) => recycle(b))).toEqual(new Array(8).fill(true));
    expect(recycle(big[0])).toBe(false); // already there
    const small = new Float64Array(1000);
    expect(recycle(small)).toBe(true); // one big buffer made room
    expect(scratchFloat64(1000)).toBe(small);
    const bigBack = [0, 1, 2, 3, 4, 5, 6, 7].map(() => scratchFloat64(1 << 20));
    expect(bigBack.filter((b) => big.includes(b))).toHaveLength(7);
    // a length that alone fills the pool: one more of it is left to the garbage collector
    clearPool();
    big.forEach((b) => recycle(b));
    expect(recycle(new Float64Array(1 << 20))).toBe(false);
    clearPool();
  });
});
