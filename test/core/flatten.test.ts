import { describe, expect, it } from "vitest";
import { NDArray, flatten, flattenFunc, grad, np } from "../../lib/index";

describe("flatten", () => {
  it("sorts object keys and round-trips structure, numbers and shapes", () => {
    const value = { b: [1, np.array([2, 3])], a: np.array([[4, 5]]) };
    const [flat, unflatten] = flatten(value);
    expect(flat.tolist()).toEqual([4, 5, 1, 2, 3]);
    const back = unflatten(np.array([9, 8, 7, 6, 5]));
    expect(back.a.tolist()).toEqual([[9, 8]]);
    expect(back.b[0]).toBe(7);
    expect((back.b[1] as NDArray).tolist()).toEqual([6, 5]);
  });
  it("is differentiable", () => {
    const f = (p: { w: NDArray; b: NDArray }) => np.sum(np.square(flatten(p)[0]));
    const g = grad(f)({ w: np.array([1, 2]), b: np.array([3]) });
    expect(g.w.tolist()).toEqual([2, 4]);
    expect(g.b.tolist()).toEqual([6]);
  });
  it("unflatten rejects a vector of the wrong length", () => {
    const [, unflatten] = flatten([np.zeros(3)]);
    expect(() => unflatten(np.zeros(4))).toThrow(/expected a 1-d array of length 3/);
  });
  it("flattenFunc", () => {
    const [ff, , x0] = flattenFunc((p: { x: NDArray; y: NDArray }) => np.sum(np.multiply(p.x, p.y)), { x: np.array([1, 2]), y: np.array([3, 4]) });
    expect(x0.tolist()).toEqual([1, 2, 3, 4]);
    expect(ff(x0).item()).toBe(11);
    expect(grad(ff)(x0).tolist()).toEqual([3, 4, 1, 2]);
  });
});
