import { describe, expect, it } from "vitest";
import { np } from "../../lib/index";

describe("@stdlib/ndarray interop", () => {
  it("toStdlib shares storage and reads back through np.fromStdlib", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    const nd = x.toStdlib();
    expect(nd.shape).toEqual([2, 3]);
    expect(nd.dtype).toBe("float64");
    expect(nd.get(1, 2)).toBe(6);
    expect(nd.data).toBe(x.data);
    expect(np.fromStdlib(nd).tolist()).toEqual(x.tolist());
  });
  it("fromStdlib honours strides and offset (a transposed view)", () => {
    const ctor = require("@stdlib/ndarray-ctor");
    const view = new ctor("float64", new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2], [1, 3], 0, "row-major");
    expect(np.fromStdlib(view).tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });
  it("rejects what is not an ndarray", () => {
    expect(() => np.fromStdlib({})).toThrow(/expected a @stdlib\/ndarray/);
  });
});
