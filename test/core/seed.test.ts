// The seed's two worked examples, with their published values.
import { describe, expect, it } from "vitest";
import { grad, np, type NDArray } from "../../lib/index";

function taylorSine(x: NDArray): NDArray {
  let ans = x;
  let term = x;
  let i = 0;
  while (np.abs(term).item() > 1e-3) {
    term = term.neg().mul(x.pow(2)).div((2 * i + 3) * (2 * i + 2));
    ans = ans.add(term);
    i++;
  }
  return ans;
}

describe("seed examples", () => {
  it("Taylor-series sine: gradient at pi is -0.9998995297042174", () => {
    const g = grad(taylorSine)(Math.PI);
    expect(typeof g).toBe("number");
    expect(g).toBeCloseTo(-0.9998995297042174, 14);
  });

  it("logistic regression: loss 2.772588722239781 -> 1.0672706757870163 in 100 steps", () => {
    const sigmoid = (x: NDArray) => np.multiply(0.5, np.add(np.tanh(np.divide(x, 2)), 1));
    const inputs = np.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.3], [0.74, -2.49, 1.39]]);
    const targets = np.array([true, true, false, true]);
    const loss = (w: NDArray) => {
      const preds = sigmoid(np.dot(inputs, w));
      const probs = np.add(np.multiply(preds, targets), np.multiply(np.subtract(1, preds), np.subtract(1, targets)));
      return np.negative(np.sum(np.log(probs)));
    };
    const g = grad(loss);
    let w = np.array([0, 0, 0]);
    expect(loss(w).item()).toBeCloseTo(2.772588722239781, 14);
    for (let i = 0; i < 100; i++) w = w.sub(g(w).mul(0.01));
    expect(loss(w).item()).toBeCloseTo(1.0672706757870163, 12);
  });
});
