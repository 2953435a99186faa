// Selection and inspection helpers: values against numpy's results, gradients where differentiable, errors.
import { describe, expect, it } from "vitest";
import { type NDArray, checkGrads, grad, np } from "../../lib/index";
import { check, close, list, randomArrays } from "../helpers";

const rnd = randomArrays(7);
const c = (re: number, im: number) => np.complex(re, im);

describe("predicates and properties", () => {
  it("isreal, iscomplex, iscomplexobj, isrealobj, isscalar", () => {
    const z = np.stack([c(1, 1), c(1, 0), c(4.5, 0), c(3, 0), c(2, 0), c(0, 2)]);
    expect(list(np.isreal(z))).toEqual([false, true, true, true, true, false]);
    expect(list(np.iscomplex(z))).toEqual([true, false, false, false, false, true]);
    expect(list(np.isreal([1, 2]))).toEqual([true, true]);
    expect(list(np.iscomplex([[1, 2]]))).toEqual([[false, false]]);
    expect(np.isreal(3).shape).toEqual([]);
    expect(np.iscomplexobj(1)).toBe(false);
    expect(np.iscomplexobj({ re: 1, im: 0 })).toBe(true);
    expect(np.iscomplexobj(c(1, 0))).toBe(true);
    expect(np.isrealobj([1, 2])).toBe(true);
    expect(np.isscalar(3.1)).toBe(true);
    expect(np.isscalar(np.array(3.1))).toBe(false);
    expect(np.isscalar([3.1])).toBe(false);
  });

  it("shape, ndim, size, result_type", () => {
    expect(np.shape([[1, 3]])).toEqual([1, 2]);
    expect(np.shape(0)).toEqual([]);
    expect(np.ndim([[1, 2, 3], [4, 5, 6]])).toBe(2);
    expect(np.ndim(1)).toBe(0);
    const a = [[1, 2, 3], [4, 5, 6]];
    expect(np.size(a)).toBe(6);
    expect(np.size(a, 1)).toBe(3);
    expect(np.size(a, { axis: -2 })).toBe(2);
    expect(() => np.size(a, 2)).toThrow(/np.size: axis 2 is out of bounds/);
    expect(np.result_type("int32", 1.5)).toBe("float64");
    expect(np.result_type(np.array([1], "int32"), "float32")).toBe("float64");
    expect(np.result_type(np.array([1], "float32"), 2)).toBe("float32");
    expect(np.result_type(np.array([true]), 3)).toBe("int32");
    expect(np.result_type(c(1, 1), np.array([1], "float32"))).toBe("complex128");
    expect(np.result_type(3, 4)).toBe("int32");
    expect(() => np.result_type("int8")).toThrow(/np.result_type: unknown dtype "int8"/);
  });

  it("isposinf, isneginf", () => {
    expect(list(np.isposinf([-Infinity, 0, Infinity, NaN]))).toEqual([false, false, true, false]);
    expect(list(np.isneginf([-Infinity, 0, Infinity, NaN]))).toEqual([true, false, false, false]);
  });
});

describe("counting", () => {
  it("count_nonzero", () => {
    expect(np.count_nonzero(np.eye(4))).toBe(4);
    const a = [[0, 1, 7, 0], [3, 0, 2, 19]];
    expect(np.count_nonzero(a)).toBe(5);
    expect(list(np.count_nonzero(a, 0))).toEqual([1, 1, 2, 1]);
    expect(list(np.count_nonzero(a, { axis: 1 }))).toEqual([2, 3]);
    expect(list(np.count_nonzero(a, 1, { keepdims: true }))).toEqual([[2], [3]]);
    expect(list(np.count_nonzero(a, { axis: [0, 1], keepdims: true }))).toEqual([[5]]);
    expect(np.count_nonzero(np.stack([c(0, 1), c(0, 0)]))).toBe(1);
    expect(np.count_nonzero([true, false, true])).toBe(2);
  });

  it("bincount", () => {
    expect(list(np.bincount([0, 1, 1, 3, 2, 1, 7]))).toEqual([1, 3, 1, 1, 0, 0, 0, 1]);
    expect(np.bincount([0, 1]).dtype).toBe("int32");
    expect(list(np.bincount([0, 1], { minlength: 4 }))).toEqual([1, 1, 0, 0]);
    expect(list(np.bincount(np.zeros([0], "int32")))).toEqual([]);
    const w = [0.3, 0.5, 0.2, 0.7, 1, -0.6];
    close(np.bincount([0, 1, 1, 2, 2, 2], w), [0.3, 0.7, 1.1], 1e-12);
    close(np.bincount([0, 1, 1, 2, 2, 2], { weights: w, minlength: 5 }), [0.3, 0.7, 1.1, 0, 0], 1e-12);
    expect(() => np.bincount([0, -1])).toThrow(/np.bincount: x must have no negative elements, got -1/);
    expect(() => np.bincount([[0]])).toThrow(/np.bincount: x must be a 1-d array of non-negative integers, got shape \(1, 1\)/);
    expect(() => np.bincount([0.5])).toThrow(/np.bincount: x must contain integers, got 0.5/);
    expect(() => np.bincount([0, 1], [1])).toThrow(/np.bincount: the weights and x arrays must have the same length/);
    expect(() => np.bincount([0], null, -1)).toThrow(/np.bincount: minlength must be a non-negative integer/);
  });

  it("bincount is differentiable in the weights", () => {
    const idx = [2, 0, 2, 2, 1];
    expect(list(grad((v: NDArray) => np.sum(np.multiply(np.bincount(idx, v), [1, 10, 100])))(rnd(5)))).toEqual([100, 1, 100, 100, 10]);
    check((v: NDArray) => np.sin(np.bincount(idx, v)), rnd(5));
  });

  it("histogram", () => {
    const [h, e] = np.histogram([1, 2, 1], [0, 1, 2, 3]);
    expect(list(h)).toEqual([0, 2, 1]);
    expect(list(e)).toEqual([0, 1, 2, 3]);
    expect(list(np.histogram([[1, 2, 1], [1, 0, 1]], { bins: [0, 1, 2, 3] })[0])).toEqual([1, 4, 1]);
    const [d] = np.histogram(np.arange(4), np.arange(5), { density: true });
    close(d, [0.25, 0.25, 0.25, 0.25], 1e-12);
    const [h5, e5] = np.histogram([1, 2, 3, 4, 5], 4);
    expect(list(h5)).toEqual([1, 1, 1, 2]);
    expect(list(e5)).toEqual([1, 2, 3, 4, 5]);
    expect(h5.dtype).toBe("int32");
    const [h10, e10] = np.histogram([0.5, 1.5, 9.99, -1, 20], 10, [0, 10]);
    expect(list(h10)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(list(e10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [hc, ec] = np.histogram([3, 3, 3], 2);
    expect(list(hc)).toEqual([0, 3]);
    expect(list(ec)).toEqual([2.5, 3, 3.5]);
    close(np.histogram([0, 0.5, 1, 3], [0, 1, 3], { weights: [1, 2, 3, 4] })[0], [3, 7], 1e-12);
    close(np.histogram([0, 0.5, 1, 2], [0, 1, 3], { density: true })[0], [0.5, 0.25], 1e-12);
    close(np.histogram_bin_edges([0, 1, 2, 3], 3), [0, 1, 2, 3], 1e-12);
    expect(() => np.histogram([1, 2], 0)).toThrow(/np.histogram: bins must be a positive integer, got 0/);
    expect(() => np.histogram([1, 2], [0, 2, 1])).toThrow(/np.histogram: bins must increase monotonically/);
    expect(() => np.histogram([1, 2], 2, [3, 1])).toThrow(/np.histogram: max must be larger than min in range parameter/);
    expect(() => np.histogram([1, NaN], 2)).toThrow(/np.histogram: autodetected range of \[NaN, NaN\] is not finite/);
    expect(() => np.histogram([1, 2], "auto")).toThrow(/np.histogram: bins="auto" estimators are not supported/);
  });

  it("histogram is differentiable in the weights", () => {
    const a = [0.1, 0.7, 2.5, 1.2, 9];
    check((w: NDArray) => np.square(np.histogram(a, [0, 1, 2, 3], { weights: w })[0]), rnd(5));
    check((w: NDArray) => np.sin(np.histogram(a, 3, { weights: w, density: true })[0]), np.add(rnd(5), 3));
  });
});

describe("searchsorted, digitize, unique", () => {
  it("searchsorted", () => {
    expect(np.searchsorted([1, 2, 3, 4, 5], 3)).toBe(2);
    expect(np.searchsorted([1, 2, 3, 4, 5], 3, "right")).toBe(3);
    expect(np.searchsorted([1, 2, 3, 4, 5], 3, { side: "right" })).toBe(3);
    expect(list(np.searchsorted([1, 2, 3, 4, 5], [-10, 10, 2, 3]))).toEqual([0, 5, 1, 2]);
    expect(list(np.searchsorted([1, 2, 2, 3], [[2], [NaN]], "right"))).toEqual([[3], [4]]);
    expect(list(np.searchsorted([1, 2, NaN], [NaN, 5]))).toEqual([2, 2]);
    expect(np.searchsorted([3, 1, 2], 2.5, { sorter: [1, 2, 0] })).toBe(2);
    expect(np.searchsorted([1, 2], [1]).dtype).toBe("int32");
    expect(() => np.searchsorted([[1]], 1)).toThrow(/np.searchsorted: a must be 1-d, got shape \(1, 1\)/);
    expect(() => np.searchsorted([1], 1, "middle" as any)).toThrow(/np.searchsorted: side must be "left" or "right", got "middle"/);
  });

  it("digitize", () => {
    expect(list(np.digitize([0.2, 6.4, 3.0, 1.6], [0.0, 1.0, 2.5, 4.0, 10.0]))).toEqual([1, 4, 3, 2]);
    const x = [1.2, 10.0, 12.4, 15.5, 20.0];
    expect(list(np.digitize(x, [0, 5, 10, 15, 20], true))).toEqual([1, 2, 3, 4, 4]);
    expect(list(np.digitize(x, [0, 5, 10, 15, 20]))).toEqual([1, 3, 3, 4, 5]);
    expect(list(np.digitize(x, [20, 15, 10, 5, 0]))).toEqual([4, 2, 2, 1, 0]);
    expect(np.digitize(3, [1, 2, 4])).toBe(2);
    expect(() => np.digitize(x, [1, 3, 2])).toThrow(/np.digitize: bins must be monotonically increasing or decreasing/);
  });

  it("unique", () => {
    expect(list(np.unique([1, 1, 2, 2, 3, 3]))).toEqual([1, 2, 3]);
    expect(list(np.unique([[1, 1], [2, 3]]))).toEqual([1, 2, 3]);
    const a = [1, 2, 6, 4, 2, 3, 2];
    const [u, idx, inv, cnt] = np.unique(a, { return_index: true, return_inverse: true, return_counts: true });
    expect(list(u)).toEqual([1, 2, 3, 4, 6]);
    expect(list(idx)).toEqual([0, 1, 5, 3, 2]);
    expect(list(inv)).toEqual([0, 1, 4, 3, 1, 2, 1]);
    expect(list(cnt)).toEqual([1, 3, 1, 1, 1]);
    expect(list(np.take(u, inv))).toEqual(a);
    const [, inv2] = np.unique([[3, 1], [1, 3]], { return_inverse: true });
    expect(list(inv2)).toEqual([[1, 0], [0, 1]]);
    expect(list(np.unique([NaN, 1, NaN]))).toEqual([1, NaN]);
    expect(list(np.unique([NaN, 1, NaN], { equal_nan: false }))).toEqual([1, NaN, NaN]);
    expect(np.unique(np.array([2, 1, 2], "int32")).dtype).toBe("int32");
    expect(list(np.unique([true, false, true]))).toEqual([false, true]);
    expect(() => np.unique(a, { axis: 0 })).toThrow(/np.unique: the axis option is not supported yet/);
  });
});

describe("percentile, quantile, median", () => {
  const a = [[10, 7, 4], [3, 2, 1]];
  it("values", () => {
    expect(np.percentile(a, 50).tolist()).toBe(3.5);
    expect(list(np.percentile(a, 50, 0))).toEqual([6.5, 4.5, 2.5]);
    expect(list(np.percentile(a, 50, { axis: 1 }))).toEqual([7, 2]);
    expect(list(np.percentile(a, 50, 1, { keepdims: true }))).toEqual([[7], [2]]);
    expect(list(np.percentile(a, [25, 75], 1))).toEqual([[5.5, 1.5], [8.5, 2.5]]);
    expect(np.quantile(a, 0.5).tolist()).toBe(3.5);
    expect(list(np.quantile([1, 2, 3, 4], [0.25, 0.5]))).toEqual([1.75, 2.5]);
    expect(list(np.quantile([[1, 2, 3, 4]], [[0, 1]], -1))).toEqual([[[1], [4]]]);
    const q = (method: any) => np.quantile([1, 2, 3, 4], 0.4, { method }).tolist();
    expect(q("linear")).toBeCloseTo(2.2, 14);
    expect(q("lower")).toBe(2);
    expect(q("higher")).toBe(3);
    expect(q("nearest")).toBe(2);
    expect(q("midpoint")).toBe(2.5);
    expect(np.quantile([1, 2, 3], 0.25, { method: "nearest" }).tolist()).toBe(1); // h = 0.5 rounds to even
    expect(np.percentile([1, NaN, 3], 50).tolist()).toBeNaN();
    expect(list(np.percentile(np.ones([2, 3, 4]), 10, [0, 2]))).toEqual([1, 1, 1]);
    expect(np.percentile(np.ones([2, 3, 4]), 10, [0, 2], { keepdims: true }).shape).toEqual([1, 3, 1]);
  });

  it("median values", () => {
    expect(np.median(a).tolist()).toBe(3.5);
    expect(list(np.median(a, 0))).toEqual([6.5, 4.5, 2.5]);
    expect(list(np.median(a, { axis: 1 }))).toEqual([7, 2]);
    expect(list(np.median(a, 1, { keepdims: true }))).toEqual([[7], [2]]);
    expect(np.median([3, 1, 2]).tolist()).toBe(2);
    expect(np.median([1, NaN, 3]).tolist()).toBeNaN();
    expect(list(np.median([[1, NaN], [1, 2]], 1))).toEqual([NaN, 1.5]);
    expect(np.median(np.array([1, 2], "int32")).dtype).toBe("float64");
  });

  it("errors", () => {
    expect(() => np.percentile(a, 101)).toThrow(/np.percentile: percentiles must be in the range \[0, 100\], got 101/);
    expect(() => np.quantile(a, -0.1)).toThrow(/np.quantile: quantiles must be in the range \[0, 1\], got -0.1/);
    expect(() => np.quantile(a, 0.5, { method: "weibull" as any })).toThrow(/np.quantile: method "weibull" is not supported/);
    expect(() => np.median(np.zeros([0]))).toThrow(/np.median: cannot take a quantile of an empty slice/);
    expect(() => np.median(a, 2)).toThrow(/np.median: axis 2 is out of bounds/);
  });

  it("gradients flow to the order statistics", () => {
    expect(list(grad((x: NDArray) => np.median(x))(np.array([3, 1, 2])))).toEqual([0, 0, 1]);
    expect(list(grad((x: NDArray) => np.median(x))(np.array([4, 1, 3, 2])))).toEqual([0, 0, 0.5, 0.5]);
    const g = grad((x: NDArray) => np.quantile(x, 0.4))(np.array([4, 1, 3, 2])); // 0.8·x(2) + 0.2·x(3)
    close(g, [0, 0, 0.2, 0.8], 1e-14);
    check((x: NDArray) => np.median(x), rnd(5));
    check((x: NDArray) => np.square(np.median(x, 1)), rnd(3, 4));
    check((x: NDArray) => np.sin(np.percentile(x, [10, 50, 95], 0)), rnd(4, 3));
    check((x: NDArray) => np.quantile(x, 0.3, [0, 2], { keepdims: true }), rnd(2, 2, 3));
  });
});
