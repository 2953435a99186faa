// Structure functions: values against numpy's results, gradients in both modes to second order, errors.
import { describe, expect, it } from "vitest";
import { type NDArray, checkGrads, grad, jacobian, makeJvp, np } from "../../lib/index";
import { check, close, list, randomArrays } from "../helpers";

const rnd = randomArrays(1);
const ar = (n: number, shape?: number[]) => (shape ? np.reshape(np.arange(n), shape) : np.arange(n));

describe("where", () => {
  it("3-argument form: values, broadcasting, dtype", () => {
    expect(list(np.where([true, false, true], [1, 2, 3], [10, 20, 30]))).toEqual([1, 20, 3]);
    const a = ar(10);
    expect(list(np.where(np.less(a, 5), a, np.multiply(10, a)))).toEqual([0, 1, 2, 3, 4, 50, 60, 70, 80, 90]);
    const x = ar(3, [3, 1]), y = ar(3, [1, 3]);
    expect(list(np.where(np.less(x, y), x, np.add(10, y)))).toEqual([[10, 0, 0], [10, 11, 1], [10, 11, 12]]);
    expect(np.where([true, false], ar(2), 0.5).dtype).toBe("float64");
    expect(np.where([true, false], ar(2), 7).dtype).toBe("int32");
    expect(list(np.where([[1, 0], [0, 2]], 1, -1))).toEqual([[1, -1], [-1, 1]]);
    const z = np.where([true, false, true], np.complex(1, 2), [5, 6, 7]);
    expect(z.tolist()).toEqual([{ re: 1, im: 2 }, { re: 6, im: 0 }, { re: 1, im: 2 }]);
  });

  it("1-argument form is nonzero; nonzero, argwhere, flatnonzero", () => {
    const x = [[3, 0, 0], [0, 4, 0], [5, 6, 0]];
    expect(list(np.where(x))).toEqual([[0, 1, 2, 2], [0, 1, 0, 1]]);
    expect(list(np.nonzero(x))).toEqual([[0, 1, 2, 2], [0, 1, 0, 1]]);
    expect(np.nonzero(x)[0].dtype).toBe("int32");
    expect(list(np.argwhere(x))).toEqual([[0, 0], [1, 1], [2, 0], [2, 1]]);
    expect(list(np.flatnonzero(x))).toEqual([0, 4, 6, 7]);
    expect(() => np.nonzero(3)).toThrow(/np.nonzero: calling nonzero on 0d arrays/);
    expect(() => (np.where as any)([true], 1)).toThrow(/np.where: either both or neither of x and y/);
    expect(() => np.where([true, false, true], [1, 2], 0)).toThrow(/np.where: operands could not be broadcast/);
  });

  it("gradients in x and y, with broadcasting", () => {
    const c = [[true, false, true], [false, false, true]];
    check((x: NDArray, y: NDArray) => np.sin(np.multiply(np.where(c, x, y), np.where(c, y, x))), rnd(2, 3), rnd(2, 3));
    check((x: NDArray, y: NDArray) => np.square(np.where(c, x, y)), rnd(3), rnd(2, 1));
    check((x: NDArray) => np.where(c, x, 2), rnd(1, 3));
    const zc = np.add(rnd(2, 3), np.multiply(np.complex(0, 1), rnd(2, 3)));
    check((x: NDArray, z: NDArray) => np.abs(np.multiply(np.where(c, z, x), z)), rnd(3), zc);
    const g = grad((x: NDArray) => np.sum(np.where([true, false, true], x, np.square(x))))(np.array([1, 2, 3]));
    expect(list(g)).toEqual([1, 4, 1]);
  });
});

describe("roll, flip, rot90", () => {
  it("roll values", () => {
    expect(list(np.roll(ar(10), 2))).toEqual([8, 9, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(list(np.roll(ar(10), -2))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const x2 = ar(10, [2, 5]);
    expect(list(np.roll(x2, 1))).toEqual([[9, 0, 1, 2, 3], [4, 5, 6, 7, 8]]);
    expect(list(np.roll(x2, 1, 0))).toEqual([[5, 6, 7, 8, 9], [0, 1, 2, 3, 4]]);
    expect(list(np.roll(x2, -1, { axis: 1 }))).toEqual([[1, 2, 3, 4, 0], [6, 7, 8, 9, 5]]);
    expect(list(np.roll(x2, [1, 1], [1, 0]))).toEqual([[9, 5, 6, 7, 8], [4, 0, 1, 2, 3]]);
    expect(list(np.roll(x2, [2, 1], [1, 1]))).toEqual([[2, 3, 4, 0, 1], [7, 8, 9, 5, 6]]);
    expect(list(np.roll(x2, 12, 1))).toEqual([[3, 4, 0, 1, 2], [8, 9, 5, 6, 7]]);
    expect(() => np.roll(x2, [1, 2, 3], [0, 1])).toThrow(/np.roll: 'shift' and 'axis'/);
    expect(() => np.roll(x2, 1, 2)).toThrow(/np.roll: axis 2 is out of bounds/);
  });

  it("flip values", () => {
    const A = ar(8, [2, 2, 2]);
    expect(list(np.flip(A, 0))).toEqual([[[4, 5], [6, 7]], [[0, 1], [2, 3]]]);
    expect(list(np.flip(A, 1))).toEqual([[[2, 3], [0, 1]], [[6, 7], [4, 5]]]);
    expect(list(np.flip(A))).toEqual([[[7, 6], [5, 4]], [[3, 2], [1, 0]]]);
    expect(list(np.flip(A, [0, 2]))).toEqual([[[5, 4], [7, 6]], [[1, 0], [3, 2]]]);
    const m = [[1, 2], [3, 4]];
    expect(list(np.flipud(m))).toEqual([[3, 4], [1, 2]]);
    expect(list(np.fliplr(m))).toEqual([[2, 1], [4, 3]]);
    expect(() => np.fliplr([1, 2])).toThrow(/np.fliplr: input must be >= 2-d/);
    expect(() => np.flip(A, 3)).toThrow(/np.flip: axis 3 is out of bounds/);
  });

  it("rot90 values", () => {
    const m = [[1, 2], [3, 4]];
    expect(list(np.rot90(m))).toEqual([[2, 4], [1, 3]]);
    expect(list(np.rot90(m, 2))).toEqual([[4, 3], [2, 1]]);
    expect(list(np.rot90(m, -1))).toEqual([[3, 1], [4, 2]]);
    expect(list(np.rot90(m, 4))).toEqual(m);
    expect(list(np.rot90(m, 1, [1, 0]))).toEqual([[3, 1], [4, 2]]);
    expect(list(np.rot90(ar(8, [2, 2, 2]), 1, [1, 2]))).toEqual([[[1, 3], [0, 2]], [[5, 7], [4, 6]]]);
    expect(list(np.rot90(ar(6, [2, 3]), { k: 3 }))).toEqual([[3, 0], [4, 1], [5, 2]]);
    expect(() => np.rot90(m, 1, [0, 0])).toThrow(/np.rot90: axes must be different/);
    expect(() => np.rot90(m, 1, [0, 2])).toThrow(/np.rot90: axes must be different/);
    expect(() => np.rot90(m, 1, [0, 3])).toThrow(/np.rot90: axes=\[0,3\] out of range for array of ndim=2/);
    expect(() => np.rot90(m, 1, [0])).toThrow(/np.rot90: len\(axes\) must be 2/);
  });

  it("gradients", () => {
    check((x: NDArray) => np.sin(np.roll(x, 2)), rnd(5));
    check((x: NDArray) => np.multiply(np.roll(x, [1, -1], [0, 1]), x), rnd(3, 4));
    check((x: NDArray) => np.multiply(np.flip(x, [0, 2]), x), rnd(2, 3, 2));
    check((x: NDArray) => np.multiply(np.rot90(x), np.rot90(x, 3)), rnd(3, 3));
    check((x: NDArray) => np.square(np.rot90(x, 1, [1, 2])), rnd(2, 3, 4));
  });
});

describe("atleast_nd", () => {
  it("shapes", () => {
    expect(np.atleast_1d(1).shape).toEqual([1]);
    expect(np.atleast_1d([[1]]).shape).toEqual([1, 1]);
    expect(np.atleast_1d(1, [2, 3]).map((a) => a.shape)).toEqual([[1], [2]]);
    expect(np.atleast_2d(3).shape).toEqual([1, 1]);
    expect(np.atleast_2d([1, 2]).shape).toEqual([1, 2]);
    expect(np.atleast_3d(3).shape).toEqual([1, 1, 1]);
    expect(np.atleast_3d([1, 2]).shape).toEqual([1, 2, 1]);
    expect(np.atleast_3d(np.ones([2, 3])).shape).toEqual([2, 3, 1]);
    expect(np.atleast_3d(np.ones([2, 3, 4, 5])).shape).toEqual([2, 3, 4, 5]);
  });
  it("gradients", () => {
    check((x: NDArray) => np.square(np.atleast_3d(x)), rnd(2, 3));
    check((x: NDArray) => np.square(np.atleast_2d(x)), rnd(3));
  });
});

describe("repeat, tile", () => {
  it("repeat values", () => {
    expect(list(np.repeat(3, 4))).toEqual([3, 3, 3, 3]);
    const x = [[1, 2], [3, 4]];
    expect(list(np.repeat(x, 2))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(list(np.repeat(x, 3, 1))).toEqual([[1, 1, 1, 2, 2, 2], [3, 3, 3, 4, 4, 4]]);
    expect(list(np.repeat(x, [1, 2], { axis: 0 }))).toEqual([[1, 2], [3, 4], [3, 4]]);
    expect(list(np.repeat(x, [0, 2], 1))).toEqual([[2, 2], [4, 4]]);
    expect(() => np.repeat(x, [1, 2, 3], 0)).toThrow(/np.repeat: repeats of length 3 cannot be broadcast to axis 0 of length 2/);
    expect(() => np.repeat(x, -1)).toThrow(/np.repeat: repeats may not contain negative values/);
  });

  it("tile values", () => {
    const a = [0, 1, 2];
    expect(list(np.tile(a, 2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(list(np.tile(a, [2, 2]))).toEqual([[0, 1, 2, 0, 1, 2], [0, 1, 2, 0, 1, 2]]);
    expect(list(np.tile(a, [2, 1, 2]))).toEqual([[[0, 1, 2, 0, 1, 2]], [[0, 1, 2, 0, 1, 2]]]);
    const b = [[1, 2], [3, 4]];
    expect(list(np.tile(b, 2))).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(list(np.tile(b, [2, 1]))).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(np.tile(b, [0, 2]).shape).toEqual([0, 4]);
    expect(() => np.tile(b, -1)).toThrow(/np.tile: reps must be non-negative/);
  });

  it("gradients accumulate over copies", () => {
    expect(list(grad((x: NDArray) => np.sum(np.repeat(x, [1, 0, 3])))(np.array([1, 2, 3])))).toEqual([1, 0, 3]);
    expect(list(grad((x: NDArray) => np.sum(np.tile(x, [2, 3])))(np.array([1, 2])))).toEqual([6, 6]);
    check((x: NDArray) => np.sin(np.repeat(x, 2)), rnd(3));
    check((x: NDArray) => np.square(np.repeat(x, [2, 1, 0], 1)), rnd(2, 3));
    check((x: NDArray) => np.square(np.tile(x, [2, 1, 2])), rnd(2, 3));
    check((x: NDArray) => np.sin(np.tile(x, 2)), rnd(2, 1, 2));
  });
});

describe("split family", () => {
  it("values", () => {
    expect(list(np.split(np.arange(9.0), 3))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(list(np.split(np.arange(8.0), [3, 5, 6, 10]))).toEqual([[0, 1, 2], [3, 4], [5], [6, 7], []]);
    expect(list(np.split(np.arange(8.0), [-3]))).toEqual([[0, 1, 2, 3, 4], [5, 6, 7]]);
    expect(list(np.array_split(np.arange(8.0), 3))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(list(np.array_split(ar(9), 4))).toEqual([[0, 1, 2], [3, 4], [5, 6], [7, 8]]);
    const x = np.arange(16.0).reshape(4, 4);
    expect(list(np.hsplit(x, 2))).toEqual([
      [[0, 1], [4, 5], [8, 9], [12, 13]],
      [[2, 3], [6, 7], [10, 11], [14, 15]],
    ]);
    expect(list(np.vsplit(x, 2))).toEqual([[[0, 1, 2, 3], [4, 5, 6, 7]], [[8, 9, 10, 11], [12, 13, 14, 15]]]);
    expect(list(np.split(x, [1], { axis: 1 }))).toEqual([[[0], [4], [8], [12]], [[1, 2, 3], [5, 6, 7], [9, 10, 11], [13, 14, 15]]]);
    expect(list(np.dsplit(ar(16, [2, 2, 4]), 2))).toEqual([
      [[[0, 1], [4, 5]], [[8, 9], [12, 13]]],
      [[[2, 3], [6, 7]], [[10, 11], [14, 15]]],
    ]);
    expect(list(np.hsplit([1, 2, 3, 4], 2))).toEqual([[1, 2], [3, 4]]);
  });

  it("errors", () => {
    expect(() => np.split(ar(7), 3)).toThrow(
      "np.split: array split does not result in an equal division: axis 0 of length 7 into 3 sections",
    );
    expect(() => np.array_split(ar(7), 0)).toThrow(/np.array_split: number of sections must be a positive integer, got 0/);
    expect(() => np.vsplit([1, 2], 2)).toThrow(/np.vsplit: vsplit only works on arrays of 2 or more dimensions/);
    expect(() => np.dsplit(np.ones([2, 2]), 2)).toThrow(/np.dsplit: dsplit only works on arrays of 3 or more dimensions/);
    expect(() => np.hsplit(1, 2)).toThrow(/np.hsplit: hsplit only works on arrays of 1 or more dimensions/);
  });

  it("gradients", () => {
    const w = (xs: NDArray[]) => xs.reduce((acc: NDArray, p, i) => np.add(acc, np.sum(np.sin(np.multiply(p, i + 1)))), np.array(0));
    check((x: NDArray) => w(np.array_split(x, 3)), rnd(7));
    check((x: NDArray) => w(np.split(x, [1, 3], 1)), rnd(2, 4));
    check((x: NDArray) => w(np.dsplit(x, 2)), rnd(2, 1, 4));
  });
});

describe("triu, tril", () => {
  const m = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]];
  it("values", () => {
    expect(list(np.triu(m, -1))).toEqual([[1, 2, 3], [4, 5, 6], [0, 8, 9], [0, 0, 12]]);
    expect(list(np.tril(m, -1))).toEqual([[0, 0, 0], [4, 0, 0], [7, 8, 0], [10, 11, 12]]);
    expect(list(np.triu(m))).toEqual([[1, 2, 3], [0, 5, 6], [0, 0, 9], [0, 0, 0]]);
    expect(list(np.tril(m, { k: 1 }))).toEqual([[1, 2, 0], [4, 5, 6], [7, 8, 9], [10, 11, 12]]);
    expect(list(np.tril([1, 2, 3]))).toEqual([[1, 0, 0], [1, 2, 0], [1, 2, 3]]);
    expect(list(np.triu(ar(8, [2, 2, 2])))).toEqual([[[0, 1], [0, 3]], [[4, 5], [0, 7]]]);
    expect(np.tril(np.array(m, "int32")).dtype).toBe("int32");
    expect(() => np.tril(5)).toThrow(/np.tril: input must be at least 1-d/);
  });
  it("gradients", () => {
    check((x: NDArray) => np.sin(np.triu(x, 1)), rnd(3, 4));
    check((x: NDArray) => np.square(np.tril(x)), rnd(2, 3, 3));
    check((x: NDArray) => np.square(np.tril(x)), rnd(3));
  });
});

describe("pad", () => {
  const a = [1, 2, 3, 4, 5];
  it("1-d modes", () => {
    expect(list(np.pad(a, [2, 3], "constant", { constant_values: [4, 6] }))).toEqual([4, 4, 1, 2, 3, 4, 5, 6, 6, 6]);
    expect(list(np.pad(a, [2, 3]))).toEqual([0, 0, 1, 2, 3, 4, 5, 0, 0, 0]);
    expect(list(np.pad(a, [2, 3], "edge"))).toEqual([1, 1, 1, 2, 3, 4, 5, 5, 5, 5]);
    expect(list(np.pad(a, [2, 3], "reflect"))).toEqual([3, 2, 1, 2, 3, 4, 5, 4, 3, 2]);
    expect(list(np.pad(a, [2, 3], "symmetric"))).toEqual([2, 1, 1, 2, 3, 4, 5, 5, 4, 3]);
    expect(list(np.pad(a, [2, 3], { mode: "wrap" }))).toEqual([4, 5, 1, 2, 3, 4, 5, 1, 2, 3]);
    // widths larger than the array: periodic reflections
    expect(list(np.pad([6, 7, 8], [5, 7], "reflect"))).toEqual([7, 6, 7, 8, 7, 6, 7, 8, 7, 6, 7, 8, 7, 6, 7]);
    expect(list(np.pad([1, 2, 3], 4, "symmetric"))).toEqual([3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1]);
    expect(list(np.pad([1, 2, 3], 4, "wrap"))).toEqual([3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1]);
    expect(list(np.pad([5], 2, "reflect"))).toEqual([5, 5, 5, 5, 5]);
    expect(np.pad(np.array([1, 2], "int32"), 1, "constant", { constant_values: 0.5 }).dtype).toBe("int32");
  });

  it("2-d forms of pad_width and constant_values", () => {
    const b = [[1, 2], [3, 4]];
    expect(list(np.pad(b, 1))).toEqual([[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]);
    expect(list(np.pad(b, [[1, 0], [0, 1]], "constant", { constant_values: [[5, 6], [7, 8]] }))).toEqual([
      [5, 5, 8], [1, 2, 8], [3, 4, 8],
    ]);
    expect(list(np.pad(b, [[0, 1]], "constant", { constant_values: 9 }))).toEqual([[1, 2, 9], [3, 4, 9], [9, 9, 9]]);
    expect(list(np.pad(b, 1, "edge"))).toEqual([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]);
    expect(list(np.pad(b, [[1, 1], [0, 0]], "reflect"))).toEqual([[3, 4], [1, 2], [3, 4], [1, 2]]);
    expect(list(np.pad(b, [1, 0], "wrap"))).toEqual([[4, 3, 4], [2, 1, 2], [4, 3, 4]]);
  });

  it("errors", () => {
    expect(() => np.pad(a, -1)).toThrow(/np.pad: pad_width must contain non-negative integers, got -1/);
    expect(() => np.pad(a, [1, 2, 3])).toThrow(/np.pad: pad_width of shape \(3,\) cannot be broadcast to \(1, 2\)/);
    expect(() => np.pad(a, 1, "mean" as any)).toThrow(/np.pad: mode "mean" is not supported/);
    expect(() => np.pad(np.zeros([0]), 1, "edge")).toThrow(/np.pad: can't extend empty axis 0/);
    expect(() => np.pad(a, 1, "edge", { constant_values: 1 })).toThrow(/np.pad: unsupported keyword argument 'constant_values'/);
    expect(() => np.pad(a, 1, { bogus: 1 } as any)).toThrow(/np.pad: unknown option 'bogus'/);
  });

  it("gradients (also in the constant values)", () => {
    check((x: NDArray) => np.sin(np.pad(x, [1, 2], "reflect")), rnd(4));
    check((x: NDArray) => np.square(np.pad(x, [[1, 0], [2, 1]], "edge")), rnd(2, 3));
    check((x: NDArray) => np.square(np.pad(x, 2, "symmetric")), rnd(2, 2, 2));
    check((x: NDArray) => np.square(np.pad(x, [3, 1], "wrap")), rnd(2, 3));
    check((x: NDArray, c: NDArray) => np.sin(np.pad(x, [[1, 1], [0, 2]], "constant", { constant_values: c })), rnd(2, 2), rnd(2, 2));
    check((x: NDArray, c: NDArray) => np.square(np.pad(x, 1, "constant", { constant_values: c })), rnd(3), rnd());
    // edge copies accumulate: the first element appears 3 times
    expect(list(grad((x: NDArray) => np.sum(np.pad(x, 2, "edge")))(np.array([1, 2, 3])))).toEqual([3, 1, 3]);
  });
});

describe("diff", () => {
  it("values", () => {
    const x = [1, 2, 4, 7, 0];
    expect(list(np.diff(x))).toEqual([1, 2, 3, -7]);
    expect(list(np.diff(x, 2))).toEqual([1, 1, -10]);
    expect(list(np.diff(x, 0))).toEqual(x);
    const x2 = [[1, 3, 6, 10], [0, 5, 6, 8]];
    expect(list(np.diff(x2))).toEqual([[2, 3, 4], [5, 1, 2]]);
    expect(list(np.diff(x2, 1, 0))).toEqual([[-1, 2, 0, -2]]);
    expect(list(np.diff(x2, { axis: 0 }))).toEqual([[-1, 2, 0, -2]]);
    expect(list(np.diff([1, 2, 4], { prepend: 0 }))).toEqual([1, 1, 2]);
    expect(list(np.diff([1, 2, 4], { append: [10] }))).toEqual([1, 2, 6]);
    expect(list(np.diff(x2, { prepend: 0, axis: 1 }))).toEqual([[1, 2, 3, 4], [0, 5, 1, 2]]);
    expect(list(np.diff([true, false, false, true]))).toEqual([true, false, true]);
    expect(np.diff([1, 2], 5).shape).toEqual([0]);
  });
  it("errors", () => {
    expect(() => np.diff([1, 2], -1)).toThrow(/np.diff: order must be non-negative but got -1/);
    expect(() => np.diff(3)).toThrow(/np.diff: diff requires input that is at least one dimensional/);
    expect(() => np.diff([1, 2], 1, 1)).toThrow(/np.diff: axis 1 is out of bounds/);
  });
  it("gradients", () => {
    check((x: NDArray) => np.sin(np.diff(x, 2)), rnd(5));
    check((x: NDArray) => np.square(np.diff(x, 1, 0)), rnd(3, 2));
    check((x: NDArray, p: NDArray) => np.square(np.diff(x, { prepend: p, axis: 1 })), rnd(2, 3, 2), rnd());
  });
});

describe("take, take_along_axis", () => {
  const a = [4, 3, 5, 7, 6, 8];
  it("take values", () => {
    expect(list(np.take(a, [0, 1, 4]))).toEqual([4, 3, 6]);
    expect(list(np.take(a, [[0, 1], [2, 3]]))).toEqual([[4, 3], [5, 7]]);
    const b = [[1, 2, 3], [4, 5, 6]];
    expect(list(np.take(b, [0, 2], 1))).toEqual([[1, 3], [4, 6]]);
    expect(list(np.take(b, 1, 0))).toEqual([4, 5, 6]);
    expect(list(np.take(b, [5, -1]))).toEqual([6, 6]);
    expect(list(np.take(b, [[1], [0]], { axis: 1 }))).toEqual([[[2], [1]], [[5], [4]]]);
    expect(list(np.take(a, [6, -7], { mode: "wrap" }))).toEqual([4, 8]);
    expect(list(np.take(a, [10, -3], null, { mode: "clip" }))).toEqual([8, 4]);
    expect(np.take(a, 2).tolist()).toBe(5);
  });

  it("take errors", () => {
    expect(() => np.take(a, [6])).toThrow(/np.take: index 6 is out of bounds for axis 0 with size 6/);
    expect(() => np.take(a, [1.5])).toThrow(/np.take: indices must be integers, got 1.5/);
    expect(() => np.take([[1, 2]], [0], 2)).toThrow(/np.take: axis 2 is out of bounds/);
    expect(() => np.take(a, [0], { mode: "bad" } as any)).toThrow(/np.take: mode must be "raise", "wrap" or "clip"/);
  });

  it("take: repeated indices accumulate gradients", () => {
    expect(list(grad((x: NDArray) => np.sum(np.take(x, [0, 0, 2, 0])))(np.array([1, 2, 3])))).toEqual([3, 0, 1]);
    const g = grad((x: NDArray) => np.sum(np.multiply(np.take(x, [1, 1], 1), [[1, 2], [3, 4]])))(np.ones([2, 2]));
    expect(list(g)).toEqual([[0, 3], [0, 7]]);
    check((x: NDArray) => np.sin(np.take(x, [0, 0, 2, 1])), rnd(3));
    check((x: NDArray) => np.square(np.take(x, [[1, 1], [0, 2]], 1)), rnd(2, 3));
    check((x: NDArray) => np.square(np.take(x, [3, 3, 0])), rnd(2, 2, 2));
  });

  it("take_along_axis values", () => {
    const m = [[10, 30, 20], [60, 40, 50]];
    const ai = np.argsort(m, 1);
    expect(list(ai)).toEqual([[0, 2, 1], [1, 2, 0]]);
    expect(list(np.take_along_axis(m, ai, 1))).toEqual([[10, 20, 30], [40, 50, 60]]);
    const am = np.expand_dims(np.argmax(m, 1), 1);
    expect(list(np.take_along_axis(m, am, 1))).toEqual([[30], [60]]);
    expect(list(np.take_along_axis(m, [[0]], 0))).toEqual([[10, 30, 20]]);
    expect(list(np.take_along_axis(m, [[1, 0, 1]], { axis: 0 }))).toEqual([[60, 30, 50]]);
    expect(list(np.take_along_axis(m, [5, 0], null))).toEqual([50, 10]);
    expect(list(np.take_along_axis(m, [[-1, 0], [0, 0]], -1))).toEqual([[20, 10], [60, 60]]);
  });

  it("take_along_axis errors and gradients", () => {
    expect(() => np.take_along_axis([[1, 2]], [0], 1)).toThrow(/np.take_along_axis: `indices` and `arr` must have the same number of dimensions, got 1 and 2/);
    expect(() => np.take_along_axis([[1, 2]], [[2]], 1)).toThrow(/np.take_along_axis: index 2 is out of bounds for axis 1 with size 2/);
    expect(() => np.take_along_axis(np.ones([2, 3]), np.zeros([3, 1], "int32"), 1)).toThrow(/np.take_along_axis: shape mismatch/);
    const idx = np.array([[0, 0, 2], [1, 0, 1]], "int32");
    check((x: NDArray) => np.sin(np.take_along_axis(x, idx, 1)), rnd(2, 3));
    check((x: NDArray) => np.square(np.take_along_axis(x, np.array([[[1], [0], [1]]], "int32"), 0)), rnd(2, 3, 1));
    const g = grad((x: NDArray) => np.sum(np.take_along_axis(x, idx, 1)))(np.ones([2, 3]));
    expect(list(g)).toEqual([[2, 0, 1], [1, 2, 0]]);
  });
});

describe("cumprod", () => {
  it("values", () => {
    expect(list(np.cumprod([1, 2, 3, 4]))).toEqual([1, 2, 6, 24]);
    const b = [[1, 2, 3], [4, 5, 6]];
    expect(list(np.cumprod(b))).toEqual([1, 2, 6, 24, 120, 720]);
    expect(list(np.cumprod(b, 0))).toEqual([[1, 2, 3], [4, 10, 18]]);
    expect(list(np.cumprod(b, { axis: 1 }))).toEqual([[1, 2, 6], [4, 20, 120]]);
    expect(list(np.cumprod(np.array([2, 3], "int32")))).toEqual([2, 6]);
    expect(np.cumprod(np.array([2, 3], "int32")).dtype).toBe("int32");
    expect(list(np.cumprod([true, true, false]))).toEqual([1, 1, 0]);
    expect(np.cumprod(np.array([1, 2], "int32"), { dtype: "float64" }).dtype).toBe("float64");
    close(np.cumprod(np.arange(1, 21, 1, "float64")), np.array(Array.from({ length: 20 }, (_, i) => [...Array(i + 1)].reduce((p, _v, k) => p * (k + 1), 1))), 1e-14);
    expect(np.cumprod(np.zeros([0])).shape).toEqual([0]);
  });
  it("gradients, including at zeros", () => {
    // y = [x0, x0 x1, x0 x1 x2]; at x = [2, 0, 3]: d sum(y) = [1 + x1 + x1 x2, x0 + x0 x2, x0 x1] = [1, 8, 0]
    expect(list(grad((x: NDArray) => np.sum(np.cumprod(x)))(np.array([2, 0, 3])))).toEqual([1, 8, 0]);
    expect(list(grad((x: NDArray) => np.sum(np.cumprod(x)))(np.array([0, 0, 3])))).toEqual([1, 0, 0]);
    const [, jv] = makeJvp((x: NDArray) => np.cumprod(x))(np.array([2, 0, 3]))(np.array([1, 1, 1]));
    expect(list(jv)).toEqual([1, 2, 6]);
    check((x: NDArray) => np.cumprod(x), rnd(7));
    check((x: NDArray) => np.cumprod(x, 1), rnd(2, 5));
    check((x: NDArray) => np.cumprod(x, 0), rnd(3, 2, 2));
    check((x: NDArray) => np.cumprod(x), np.array([1.5, 0, -2, 0.5]));
  });
});

describe("sort, argsort", () => {
  it("values", () => {
    const a = [[1, 4], [3, 1]];
    expect(list(np.sort(a))).toEqual([[1, 4], [1, 3]]);
    expect(list(np.sort(a, null))).toEqual([1, 1, 3, 4]);
    expect(list(np.sort(a, 0))).toEqual([[1, 1], [3, 4]]);
    expect(list(np.sort([3, NaN, 1, -Infinity]))).toEqual([-Infinity, 1, 3, NaN]);
    expect(list(np.argsort([3, 1, 2]))).toEqual([1, 2, 0]);
    expect(np.argsort([3, 1, 2]).dtype).toBe("int32");
    const x = [[0, 3], [2, 2]];
    expect(list(np.argsort(x, 0))).toEqual([[0, 1], [1, 0]]);
    expect(list(np.argsort(x, { axis: 1 }))).toEqual([[0, 1], [0, 1]]);
    expect(list(np.argsort(x, null))).toEqual([0, 2, 3, 1]);
    expect(list(np.argsort([2, 1, 2, 1, NaN, 0]))).toEqual([5, 1, 3, 0, 2, 4]);
    expect(list(np.sort([np.complex(1, 2), np.complex(1, -1), np.complex(0, 5)].map((c) => c.item()) as any))).toEqual([
      { re: 0, im: 5 }, { re: 1, im: -1 }, { re: 1, im: 2 },
    ]);
    expect(() => np.sort(a, 2)).toThrow(/np.sort: axis 2 is out of bounds/);
  });
  it("gradients route through the permutation", () => {
    const g = grad((x: NDArray) => np.sum(np.multiply(np.sort(x), [1, 2, 3])))(np.array([3, 1, 2]));
    expect(list(g)).toEqual([3, 1, 2]);
    check((x: NDArray) => np.sin(np.sort(x)), rnd(5));
    const w = rnd(3, 4);
    check((x: NDArray) => np.multiply(np.sort(x, 0), w), rnd(3, 4));
    check((x: NDArray) => np.square(np.sort(x, null)), rnd(2, 2, 3));
  });
});

describe("clip, nan_to_num", () => {
  it("clip values", () => {
    const a = ar(10);
    expect(list(np.clip(a, 1, 8))).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(list(np.clip(a, 8, 1))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(list(np.clip(a, [3, 4, 1, 1, 1, 4, 4, 4, 4, 4], 8))).toEqual([3, 4, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(list(np.clip(a, null, 5))).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 5, 5]);
    expect(list(np.clip([-1, 5], 0, null))).toEqual([0, 5]);
    expect(np.clip(a, 1, 8).dtype).toBe("int32");
    expect(list(np.clip([[1, 5]], [[0], [2]], 4))).toEqual([[1, 4], [2, 4]]);
    expect(list(np.clip([NaN, 2], 0, 1))).toEqual([NaN, 1]);
    expect(list(np.array([-2, 0.5, 3]).clip(0, 1))).toEqual([0, 0.5, 1]);
  });
  it("clip gradients (autograd's rule: zero at the bounds)", () => {
    const g = grad((x: NDArray) => np.sum(np.clip(x, 0, 1)))(np.array([-1, 0.5, 2, 0, 1]));
    expect(list(g)).toEqual([0, 1, 0, 0, 0]);
    const [gl, gh] = grad((lo: NDArray, hi: NDArray) => np.sum(np.clip([-1, 0.5, 2], lo, hi)), [0, 1])(np.array(0), np.array(1));
    expect([gl.item(), gh.item()]).toEqual([1, 1]);
    check((x: NDArray) => np.sin(np.clip(x, -0.5, 0.7)), rnd(6));
    check((x: NDArray, lo: NDArray) => np.square(np.clip(x, lo, 1.1)), rnd(2, 3), np.array([-0.31, 0.2, -3]));
  });
  it("clip by number bounds (one primitive) agrees with the general form, in both modes, to second order, float32", () => {
    const x = np.multiply(rnd(40, 30), 2);
    // a 0-d array bound takes the general where/equal form: the same values and gradients
    const general = (v: NDArray) => np.clip(v, np.array(-0.5), np.array(0.75));
    const fast = (v: NDArray) => np.clip(v, -0.5, 0.75);
    expect(np.array_equal(fast(x), general(x))).toBe(true);
    const loss = (f: (v: NDArray) => NDArray) => (v: NDArray) => np.sum(np.multiply(np.sin(f(v)), f(v)));
    close(grad(loss(fast))(x), grad(loss(general))(x), 1e-15);
    const [, tangent] = makeJvp(fast)(x)(np.ones_like(x));
    close(tangent, np.where(np.logical_and(np.greater(x, -0.5), np.less(x, 0.75)), 1, 0), 0);
    check((v: NDArray) => np.tanh(np.clip(v, -0.3, null)), rnd(7));
    check((v: NDArray) => np.square(np.clip(v, null, 0.2)), rnd(2, 4));
    // exactly at a bound: zero gradient (autograd's rule); NaN passes through with its gradient
    expect(list(grad((v: NDArray) => np.sum(np.clip(v, -1, 1)))(np.array([-1, 1, 0.5, NaN, 3])))).toEqual([0, 0, 1, 1, 0]);
    // float32 holds the bound rounded to float32: elements clipped to 0.1 still get zero gradient
    const x32 = np.array([0.05, 0.1, 0.3, 0.7, 0.9], "float32");
    const g32 = grad((v: NDArray) => np.sum(np.clip(v, 0.1, 0.7)))(x32);
    expect([g32.dtype, list(g32)]).toEqual(["float32", [0, 0, 1, 0, 0]]);
    expect(np.clip(x32, 0.1, 0.7).dtype).toBe("float32");
    expect(grad(grad((v: NDArray) => np.sum(np.square(np.clip(v, -1, 1)))))(0.5)).toBe(2);
  });
  it("argmax / argmin: first index of the best, NaN counts as best, along any axis, keepdims, ints and bools", () => {
    const m = np.array([[1, 7, 7, -2], [3, NaN, 9, NaN], [-0, 0, -5, -5]]);
    expect(np.argmax(np.array([3, 9, 2, 9]))).toBe(1);
    expect(np.argmin(np.array([3, -9, 2, -9]))).toBe(1);
    expect(np.argmax(m)).toBe(5);
    expect(np.argmin(np.array([NaN, -1]))).toBe(0);
    expect(list(np.argmax(m, 1))).toEqual([1, 1, 0]);
    expect(list(np.argmin(m, 1))).toEqual([3, 1, 2]);
    expect(list(np.argmax(m, 0))).toEqual([1, 1, 1, 1]);
    expect(list(np.argmin(m, { axis: 0 }))).toEqual([2, 1, 2, 1]);
    expect(np.argmax(m, { axis: -1, keepdims: true }).shape).toEqual([3, 1]);
    expect(np.argmax(m, 1).dtype).toBe("int32");
    expect(np.argmax(np.array([1, 5, 5], "int32"))).toBe(1);
    expect(np.argmax(np.array([false, true, true]))).toBe(1);
    const t = np.reshape(np.arange(24), [2, 3, 4]);
    expect(list(np.argmax(t, 1))).toEqual([[2, 2, 2, 2], [2, 2, 2, 2]]);
    expect(list(np.argmin(np.negative(t), 2))).toEqual([[3, 3, 3], [3, 3, 3]]);
    expect(() => np.argmax(np.array([]))).toThrow(/np.argmax: attempt to get argmax of an empty sequence/);
    expect(() => np.argmax(m, 2)).toThrow(/axis 2 is out of bounds/);
  });
  it("nan_to_num", () => {
    const x = [Infinity, -Infinity, NaN, -128, 128];
    expect(list(np.nan_to_num(x))).toEqual([1.7976931348623157e308, -1.7976931348623157e308, 0, -128, 128]);
    expect(list(np.nan_to_num(x, { nan: -9999, posinf: 33333333, neginf: 33333333 }))).toEqual([33333333, 33333333, -9999, -128, 128]);
    expect(np.nan_to_num(np.array([Infinity], "float32")).tolist()[0]).toBeCloseTo(3.4028234663852886e38, -30);
    const c = np.nan_to_num(np.add(np.array([NaN, 1]), np.multiply(np.complex(0, 1), np.array([Infinity, 2]))));
    expect(c.tolist()).toEqual([{ re: 0, im: 1.7976931348623157e308 }, { re: 1, im: 2 }]);
    expect(list(np.nan_to_num(np.array([1, 2], "int32")))).toEqual([1, 2]);
    expect(() => np.nan_to_num(x, { bogus: 1 } as any)).toThrow(/np.nan_to_num: unknown option 'bogus'/);
    const g = grad((v: NDArray) => np.sum(np.multiply(np.nan_to_num(v), [1, 2, 3, 4])))(np.array([1, Infinity, NaN, -Infinity]));
    expect(list(g)).toEqual([1, 0, 0, 0]);
    check((v: NDArray) => np.sin(np.nan_to_num(v)), rnd(2, 3));
  });
});

describe("meshgrid", () => {
  it("values", () => {
    const [xv, yv] = np.meshgrid([0, 0.5, 1], [0, 1]);
    expect(list(xv)).toEqual([[0, 0.5, 1], [0, 0.5, 1]]);
    expect(list(yv)).toEqual([[0, 0, 0], [1, 1, 1]]);
    const [xi, yi] = np.meshgrid([0, 0.5, 1], [0, 1], { indexing: "ij" });
    expect(list(xi)).toEqual([[0, 0], [0.5, 0.5], [1, 1]]);
    expect(list(yi)).toEqual([[0, 1], [0, 1], [0, 1]]);
    const sp = np.meshgrid([0, 0.5, 1], [0, 1], { sparse: true });
    expect(sp.map((a) => a.shape)).toEqual([[1, 3], [2, 1]]);
    expect(np.meshgrid([1, 2], [3, 4, 5], [6]).map((a) => a.shape)).toEqual([[3, 2, 1], [3, 2, 1], [3, 2, 1]]);
    expect(np.meshgrid([1, 2]).map((a) => a.tolist())).toEqual([[1, 2]]);
    expect(() => np.meshgrid([1], { indexing: "yx" as any })).toThrow(/np.meshgrid: valid values for `indexing` are 'xy' and 'ij'/);
  });
  it("gradients", () => {
    check((x: NDArray, y: NDArray) => {
      const [X, Y] = np.meshgrid(x, y);
      return np.sin(np.multiply(X, np.square(Y)));
    }, rnd(3), rnd(2));
    check((x: NDArray, y: NDArray) => {
      const [X, Y] = np.meshgrid(x, y, { indexing: "ij" });
      return np.add(np.square(X), np.multiply(X, Y));
    }, rnd(2), rnd(4));
    const J = jacobian((x: NDArray) => np.meshgrid(x, [1, 2])[0])(np.array([1, 2, 3]));
    expect(J.shape).toEqual([2, 3, 3]);
  });
});

describe("parameter handling", () => {
  it("positional and options forms agree; unknown options and duplicates throw", () => {
    const x = rnd(3, 4);
    close(np.diff(x, 1, 0), np.diff(x, { n: 1, axis: 0 }), 1e-12);
    close(np.take(x, [0, 2], 1), np.take(x, [0, 2], { axis: 1 }), 1e-12);
    expect(() => np.diff(x, 1, { n: 2 } as any)).toThrow(/np.diff: got multiple values for argument 'n'/);
    expect(() => np.diff(x, { m: 1 } as any)).toThrow(/np.diff: unknown option 'm'; expected one of 'n', 'axis', 'prepend', 'append'/);
    expect(() => (np.take as any)(x, [0], 1, 2)).toThrow(/np.take: takes at most 1 positional argument/);
    expect(() => np.roll(x, 1, { axes: 1 } as any)).toThrow(/np.roll: unknown option 'axes'/);
  });
});
