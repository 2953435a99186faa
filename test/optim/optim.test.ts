import { describe, expect, it } from "vitest";
import { NDArray, grad, np, optim } from "../../lib/index";

const target = np.array([1, -2, 3]);
const loss = (p: { w: NDArray; b: number }) => np.add(np.sum(np.square(np.subtract(p.w, target))), np.square(np.subtract(p.b, 5)));
const g = grad(loss);

describe("optimizers", () => {
  it("adam converges on nested parameters and calls back with structured x and g", () => {
    const seen: number[] = [];
    const out = optim.adam((x, _i) => g(x), { w: np.zeros(3), b: 0 }, {
      stepSize: 0.1, numIters: 500, callback: (x, i, gr) => { if (i === 0) { expect(x.w.shape).toEqual([3]); expect(typeof gr.b).toBe("number"); } seen.push(i); },
    });
    expect(seen.length).toBe(500);
    expect(np.allclose(out.w, target, { atol: 1e-3 })).toBe(true);
    expect(out.b).toBeCloseTo(5, 3);
  });
  it("adam's first step has size step_size (bias correction)", () => {
    const out = optim.adam((_x: NDArray) => np.array([3, -0.5]), np.array([0, 0]), { numIters: 1, stepSize: 0.01 });
    expect(out.tolist()[0]).toBeCloseTo(-0.01, 8);
    expect(out.tolist()[1]).toBeCloseTo(0.01, 8);
  });
  it("sgd with momentum matches the hand-computed update", () => {
    // v1 = -(1-0.9)*g = -0.2 ; x1 = 0 + 0.1 * -0.2 = -0.02 ; v2 = 0.9*-0.2 - 0.1*2 = -0.38 ; x2 = -0.02 - 0.038
    const out = optim.sgd((_x: NDArray) => np.array([2]), np.array([0]), { numIters: 2 });
    expect(out.tolist()[0]).toBeCloseTo(-0.058, 12);
  });
  it("rmsprop converges", () => {
    const out = optim.rmsprop((x: { w: NDArray; b: number }) => g(x), { w: np.zeros(3), b: 0 }, { stepSize: 0.01, numIters: 2000 });
    expect(np.allclose(out.w, target, { atol: 2e-2 })).toBe(true);
  });
  it("a gradient of the wrong size is a clear error", () => {
    expect(() => optim.sgd((_x: NDArray) => np.zeros(2), np.zeros(3), { numIters: 1 })).toThrow(/returned 2 values, expected 3/);
  });
});
