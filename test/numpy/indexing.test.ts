// Indexing (get, at().set/add), shape functions, joins and differentiable creation (linspace, astype):
// values against numpy for each index expression, then checkGrads (fwd + rev, order 2) on every one.
import { describe, expect, it } from "vitest";
import { IndexError, NDArray, ShapeError, ValueError, checkGrads, deriv, grad, np } from "../../lib/index";
import { close } from "../helpers";

type Mode = "fwd" | "rev";
const both = { modes: ["fwd", "rev"] as Mode[], order: 2 };
const check = (f: (...a: any[]) => any, ...args: any[]) => expect(checkGrads(f, both)(...args)).toBe(true);

function sample(shape: number[], seed = 1, dtype = "float64"): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  return np.array(Array.from({ length: n }, (_, i) => Math.sin(1.7 * (i + 1) * seed + 0.3) * 2), dtype).reshape(shape);
}
const T = true, F = false;
const mask2 = np.array([[T, F, T], [F, T, T]]);
// [numpy expression, our index, numpy's shape and values for np.arange(24).reshape(2, 3, 4)]
const cases: [string, any[], number[], any][] = [
  ["x[1]", [1], [3, 4], [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]],
  ["x[-1, 2]", [-1, 2], [4], [20, 21, 22, 23]],
  ["x[:, 1:3]", [":", "1:3"], [2, 2, 4], [[[4, 5, 6, 7], [8, 9, 10, 11]], [[16, 17, 18, 19], [20, 21, 22, 23]]]],
  ["x[::-1]", ["::-1"], [2, 3, 4], [[[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]], [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]]],
  ["x[..., -1]", ["...", -1], [2, 3], [[3, 7, 11], [15, 19, 23]]],
  ["x[None, 0]", [null, 0], [1, 3, 4], [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]]],
  ["x[0, None, :, None]", [0, null, ":", null], [1, 3, 1, 4], [[[[0, 1, 2, 3]], [[4, 5, 6, 7]], [[8, 9, 10, 11]]]]],
  ["x[[0, 0, 1]]", [[0, 0, 1]], [3, 3, 4], [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]]],
  ["x[:, [2, 0], [1, 3]]", [":", [2, 0], [1, 3]], [2, 2], [[9, 3], [21, 15]]],
  ["x[[1, 0], :, [3, 0]]", [[1, 0], ":", [3, 0]], [2, 3], [[15, 19, 23], [0, 4, 8]]],
  ["x[1, :, [0, 2]]", [1, ":", [0, 2]], [2, 3], [[12, 16, 20], [14, 18, 22]]],
  ["x[mask]", [mask2], [4, 4], [[0, 1, 2, 3], [8, 9, 10, 11], [16, 17, 18, 19], [20, 21, 22, 23]]],
  ["x[mask] (nested JS booleans)", [[[T, F, T], [F, T, T]]], [4, 4], [[0, 1, 2, 3], [8, 9, 10, 11], [16, 17, 18, 19], [20, 21, 22, 23]]],
  ["x[mask, ..., 1] (nested JS booleans)", [[[T, F, T], [F, T, T]], "...", 1], [4], [1, 9, 17, 21]],
  ["x[mask, ...] (NDArray mask)", [mask2, "..."], [4, 4], [[0, 1, 2, 3], [8, 9, 10, 11], [16, 17, 18, 19], [20, 21, 22, 23]]],
  ["x[:, [True, False, True]]", [":", [T, F, T]], [2, 2, 4], [[[0, 1, 2, 3], [8, 9, 10, 11]], [[12, 13, 14, 15], [20, 21, 22, 23]]]],
  ["x[1:, ::2, -3:-1]", ["1:", "::2", "-3:-1"], [1, 2, 2], [[[13, 14], [21, 22]]]],
  ["x[[[0, 1], [1, 0]], 0]", [[[0, 1], [1, 0]], 0], [2, 2, 4], [[[0, 1, 2, 3], [12, 13, 14, 15]], [[12, 13, 14, 15], [0, 1, 2, 3]]]],
  ["x[..., None]", ["...", null], [2, 3, 4, 1], [[[[0], [1], [2], [3]], [[4], [5], [6], [7]], [[8], [9], [10], [11]]], [[[12], [13], [14], [15]], [[16], [17], [18], [19]], [[20], [21], [22], [23]]]]],
  ["x[0, 1, 2]", [0, 1, 2], [], 6],
  ["x[5:]", ["5:"], [0, 3, 4], []],
  ["x[:, -10:10:2]", [":", "-10:10:2"], [2, 2, 4], [[[0, 1, 2, 3], [8, 9, 10, 11]], [[12, 13, 14, 15], [20, 21, 22, 23]]]],
  ["x[::-2, 1, ::-1]", ["::-2", 1, "::-1"], [1, 4], [[19, 18, 17, 16]]],
  ["x[[0, 1], [1, 2], [2, 3]]", [[0, 1], [1, 2], [2, 3]], [2], [6, 23]],
  ["x[0, [True, False, True]]", [0, [T, F, T]], [2, 4], [[0, 1, 2, 3], [8, 9, 10, 11]]],
  ["x[..., [1, 0], None]", ["...", [1, 0], null], [2, 3, 2, 1], [[[[1], [0]], [[5], [4]], [[9], [8]]], [[[13], [12]], [[17], [16]], [[21], [20]]]]],
  ["x[0, [[1], [2]], [0, 3]]", [0, [[1], [2]], [0, 3]], [2, 2], [[4, 7], [8, 11]]],
  ["x[None, [0, 1], None, [2, 1]]", [null, [0, 1], null, [2, 1]], [2, 1, 1, 4], [[[[8, 9, 10, 11]]], [[[16, 17, 18, 19]]]]],
  ["x[np.array([1, 0])] (int32 index array)", [np.array([1, 0], "int32")], [2, 3, 4], null],
];

describe("get: values as numpy", () => {
  const x = np.arange(24).reshape(2, 3, 4);
  for (const [expr, idx, shape, want] of cases) {
    it(expr, () => {
      const got = x.get(...idx);
      expect(got.shape).toEqual(shape);
      if (want !== null) expect(got.tolist()).toEqual(want);
      expect(np.index(x, ...idx).tolist()).toEqual(got.tolist());
    });
  }
  it("index errors", () => {
    expect(() => x.get(2)).toThrow(IndexError);
    expect(() => x.get(2)).toThrow(/index 2 is out of bounds for axis 0 with size 2/);
    expect(() => x.get(0, -4)).toThrow(/index -4 is out of bounds for axis 1 with size 3/);
    expect(() => x.get(0, 0, 0, 0)).toThrow(/too many indices/);
    expect(() => x.get([0, 2])).toThrow(/out of bounds/);
    expect(() => x.get("::0")).toThrow(/step cannot be zero/);
    expect(() => x.get("a:b")).toThrow(/expected a slice/);
    expect(() => x.get([T, F, T])).toThrow(/boolean index did not match/);
    expect(() => x.get("...", 0, "...")).toThrow(/single ellipsis/);
    expect(() => x.get(0.5)).toThrow(/not an integer/);
    expect(() => x.get([0.5])).toThrow(IndexError);
  });
});

describe("get: gradients", () => {
  const x = sample([2, 3, 4]);
  for (const [expr, idx] of cases) {
    it(expr, () => check((v: NDArray) => v.get(...idx), x));
  }
  it("repeated indices accumulate", () => {
    expect(grad((v: NDArray) => np.sum(v.get([0, 0, 2, 0])))(np.zeros(3)).tolist()).toEqual([3, 0, 1]);
    close(grad((v: NDArray) => np.sum(v.get([1, 1], [0, 0])))(np.zeros([2, 2])), [[0, 0], [2, 0]], 1e-12);
    expect(deriv((v: NDArray) => v.get([0, 0, 2]))(np.array([1, 2, 3])).tolist()).toEqual([1, 1, 1]);
  });
  it("complex and float32", () => {
    const z = np.complex(sample([2, 3]), sample([2, 3], 2));
    check((v: NDArray) => np.abs(v.get(":", [2, 0, 2])), z);
    const f = sample([2, 3], 1, "float32");
    expect(f.get(0).dtype).toBe("float32");
    expect(grad((v: NDArray) => np.sum(v.get([0, 0])))(f).dtype).toBe("float32");
  });
});

describe("at().set / at().add", () => {
  const y = np.arange(12).reshape(3, 4).astype("float64");
  it("values as numpy", () => {
    // numpy: a[0] = [-1, -2, -3, -4]; np.add.at(a, (slice(None), [0, 0, 2]), 1); a[y > 6] = 0; ...
    expect(y.at(0).set([-1, -2, -3, -4]).tolist()).toEqual([[-1, -2, -3, -4], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(y.at(":", [0, 0, 2]).add(1).tolist()).toEqual([[2, 1, 3, 3], [6, 5, 7, 7], [10, 9, 11, 11]]);
    expect(y.at(np.greater(y, 6)).set(0).tolist()).toEqual([[0, 1, 2, 3], [4, 5, 6, 0], [0, 0, 0, 0]]);
    expect(y.at("...", -1).add([10, 20, 30]).tolist()).toEqual([[0, 1, 2, 13], [4, 5, 6, 27], [8, 9, 10, 41]]);
    expect(y.at([0, 0], 1).set([5, 6]).tolist()).toEqual([[0, 6, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(y.at("::-1", "1:3").set([[1, 2], [3, 4], [5, 6]]).tolist()).toEqual([[0, 5, 6, 3], [4, 3, 4, 7], [8, 1, 2, 11]]);
    expect(y.at(-1).set(7).tolist()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [7, 7, 7, 7]]);
    expect(y.at(0, 0).get().item()).toBe(0);
    expect(y.at(1).multiply(2).get(1).tolist()).toEqual([8, 10, 12, 14]);
    // the original is never mutated
    expect(y.get(0).tolist()).toEqual([0, 1, 2, 3]);
  });
  const x = sample([3, 4]);
  const updates: [string, any[], number[]][] = [
    ["row", [0], [4]],
    ["negative row, broadcast value", [-1], [1]],
    ["column slice, reversed rows", ["::-1", "1:3"], [3, 2]],
    ["fancy with repeats", [":", [0, 0, 2]], [3, 3]],
    ["fancy with repeats, broadcast value", [[2, 0, 2]], [1, 4]],
    ["mask", [np.array([[T, F, T, F], [F, F, T, T], [T, T, F, F]])], [6]],
    ["ellipsis", ["...", -1], [3]],
    ["new axis", [null, 1], [1, 4]],
    ["scalar element", [1, 2], []],
  ];
  for (const [name, idx, vshape] of updates) {
    it(`gradients in x and v: ${name}`, () => {
      const v = sample(vshape, 3);
      check((a: NDArray, b: NDArray) => a.at(...idx).set(b), x, v);
      check((a: NDArray, b: NDArray) => a.at(...idx).add(b), x, v);
      check((a: NDArray, b: NDArray) => np.sum(np.square(a.at(...idx).set(np.multiply(b, a.get(...idx))))), x, v);
    });
  }
  it("set overwrites: no gradient to the overwritten entries; with repeats only the last write counts", () => {
    close(grad((a: NDArray) => np.sum(a.at(0).set(5)))(x), [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]], 1e-12);
    // numpy's last-write-wins: y[[0, 0], 1] = [5, 6] stores 6
    const g = grad((v: NDArray) => np.sum(np.multiply(np.zeros([3, 4]).at([0, 0], 1).set(v), 2)))(np.array([5, 6]));
    expect(g.tolist()).toEqual([0, 2]);
    const gb = grad((v: NDArray) => np.sum(np.zeros([3, 4]).at([0, 0, 1]).set(v)))(np.ones([3, 4]));
    expect(gb.tolist()).toEqual([[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]]);
    expect(deriv((v: NDArray) => np.zeros([3]).at([0, 0]).set(v))(np.array([5, 6])).tolist()).toEqual([1, 0, 0]);
    expect(checkGrads((v: NDArray) => np.zeros([3]).at([0, 0, 2, 2]).set(np.square(v)), both)(np.array([1.5, 2, 3, 4]))).toBe(true);
    // add accumulates every repeat
    expect(grad((v: NDArray) => np.sum(np.zeros([3]).at([0, 0]).add(v)))(np.array([5, 6])).tolist()).toEqual([1, 1]);
  });
  it("errors", () => {
    expect(() => x.at(0).set([1, 2])).toThrow(/cannot be broadcast to the indexed shape \(4,\)/);
    expect(() => x.at(5).set(1)).toThrow(IndexError);
  });
});

describe("shape functions", () => {
  const x = sample([2, 3, 4]);
  const fs: [string, (v: NDArray) => NDArray, number[]][] = [
    ["reshape", (v) => np.reshape(v, [4, 6]), [4, 6]],
    ["reshape -1", (v) => v.reshape(-1, 2), [12, 2]],
    ["reshape varargs", (v) => v.reshape(3, 8), [3, 8]],
    ["transpose", (v) => np.transpose(v), [4, 3, 2]],
    ["transpose axes", (v) => np.transpose(v, [1, 0, 2]), [3, 2, 4]],
    ["transpose method", (v) => v.transpose(2, 0, 1), [4, 2, 3]],
    ["T", (v) => v.T, [4, 3, 2]],
    ["swapaxes", (v) => np.swapaxes(v, 0, -1), [4, 3, 2]],
    ["moveaxis", (v) => np.moveaxis(v, 0, -1), [3, 4, 2]],
    ["moveaxis lists", (v) => np.moveaxis(v, [0, 1], [-1, 0]), [3, 4, 2]],
    ["expand_dims", (v) => np.expand_dims(v, 1), [2, 1, 3, 4]],
    ["expand_dims list", (v) => np.expand_dims(v, [0, -1]), [1, 2, 3, 4, 1]],
    ["squeeze", (v) => np.squeeze(np.expand_dims(v, [0, 2])), [2, 3, 4]],
    ["squeeze axis", (v) => np.squeeze(np.expand_dims(v, [0, 2]), 2), [1, 2, 3, 4]],
    ["broadcast_to", (v) => np.broadcast_to(v.get(0, null), [5, 3, 4]), [5, 3, 4]],
    ["broadcast_to size-1", (v) => np.broadcast_to(v.get(":", "0:1"), [2, 3, 2, 3, 4].slice(-3)), [2, 3, 4]],
    ["ravel", (v) => np.ravel(v), [24]],
    ["flatten", (v) => v.flatten(), [24]],
  ];
  for (const [name, f, shape] of fs) {
    it(name, () => {
      expect(f(x).shape).toEqual(shape);
      check(f, x);
    });
  }
  it("values as numpy", () => {
    const a = np.arange(6).reshape(2, 3);
    expect(np.transpose(a).tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(np.moveaxis(np.arange(24).reshape(2, 3, 4), 0, -1).get(1, 2).tolist()).toEqual([6, 18]);
    expect(np.broadcast_to([1, 2], [2, 2]).tolist()).toEqual([[1, 2], [1, 2]]);
    expect(np.swapaxes(a, 0, 1).tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });
  it("gradients of broadcast_to sum back", () => {
    close(grad((v: NDArray) => np.sum(np.broadcast_to(v, [4, 3])))(np.zeros([1, 3])), [[4, 4, 4]], 1e-12);
  });
  it("errors", () => {
    expect(() => np.reshape(x, [5, 5])).toThrow(ShapeError);
    expect(() => np.reshape(x, [-1, -1])).toThrow(/only specify one unknown/);
    expect(() => np.transpose(x, [0, 1])).toThrow(ValueError);
    expect(() => np.squeeze(x, 0)).toThrow(/size not equal to one/);
    expect(() => np.broadcast_to(x, [3, 4])).toThrow(ShapeError);
    expect(() => np.swapaxes(x, 0, 3)).toThrow(/out of bounds/);
  });
});

describe("joins", () => {
  const a = sample([2, 3], 1), b = sample([2, 3], 2), c = sample([3], 3);
  const fs: [string, (...v: NDArray[]) => NDArray, NDArray[], number[]][] = [
    ["concatenate axis 0", (p, q) => np.concatenate([p, q]), [a, b], [4, 3]],
    ["concatenate axis 1", (p, q) => np.concatenate([p, q], { axis: 1 }), [a, b], [2, 6]],
    ["concatenate axis -1 bare", (p, q) => np.concatenate([p, q], -1), [a, sample([2, 1])], [2, 4]],
    ["concatenate axis null", (p, q) => np.concatenate([p, q], { axis: null }), [a, c], [9]],
    ["concatenate three", (p, q, r) => np.concatenate([p, q, r]), [a, b, sample([1, 3])], [5, 3]],
    ["stack", (p, q) => np.stack([p, q]), [a, b], [2, 2, 3]],
    ["stack axis -1", (p, q) => np.stack([p, q], { axis: -1 }), [a, b], [2, 3, 2]],
    ["vstack", (p, q) => np.vstack([p, q]), [a, c], [3, 3]],
    ["hstack 1-d", (p, q) => np.hstack([p, q]), [c, c], [6]],
    ["hstack 2-d", (p, q) => np.hstack([p, q]), [a, b], [2, 6]],
    ["column_stack", (p, q) => np.column_stack([p, q]), [c, sample([3], 4)], [3, 2]],
    ["column_stack 2-d", (p, q) => np.column_stack([p, q]), [a, sample([2], 4)], [2, 4]],
    ["append flat", (p, q) => np.append(p, q), [a, c], [9]],
    ["append axis 0", (p, q) => np.append(p, q, { axis: 0 }), [a, b], [4, 3]],
    ["dstack", (p, q) => np.dstack([p, q]), [a, b], [2, 3, 2]],
  ];
  for (const [name, f, args, shape] of fs) {
    it(name, () => {
      expect(f(...args).shape).toEqual(shape);
      check(f, ...args);
    });
  }
  it("values as numpy and dtype promotion", () => {
    expect(np.concatenate([[1, 2], [3]]).tolist()).toEqual([1, 2, 3]);
    expect(np.stack([[1, 2], [3, 4]], 1).tolist()).toEqual([[1, 3], [2, 4]]);
    expect(np.column_stack([[1, 2], [3, 4]]).tolist()).toEqual([[1, 3], [2, 4]]);
    expect(np.concatenate([np.array([1], "int32"), np.array([0.5])]).dtype).toBe("float64");
    expect(np.concatenate([np.array([1], "float32"), np.array([2], "float32")]).dtype).toBe("float32");
    const z = np.concatenate([np.complex(1, 2), np.array([3])].map((t) => np.reshape(t, [1])));
    expect(z.dtype).toBe("complex128");
    check((p: NDArray, q: NDArray) => np.abs(np.concatenate([p, q])), np.complex(sample([2]), sample([2], 2)), sample([3]));
  });
  it("errors", () => {
    expect(() => np.concatenate([a, c])).toThrow(ShapeError);
    expect(() => np.concatenate([])).toThrow(ValueError);
    expect(() => np.stack([a, c])).toThrow(/same shape/);
  });
});

describe("creation from JS typed arrays", () => {
  it("np.array / np.asarray copy a typed array in its element type; rows may be typed arrays; dtype= casts", () => {
    const f = Float64Array.of(1.5, -2, 3);
    const a = np.array(f);
    expect([a.dtype, a.shape, a.tolist()]).toEqual(["float64", [3], [1.5, -2, 3]]);
    f[0] = 99; // a copy, not a view
    expect(a.tolist()[0]).toBe(1.5);
    expect(np.array(Float32Array.of(0.1)).dtype).toBe("float32");
    expect([np.array(Int16Array.of(-3, 4)).dtype, np.array(Uint8Array.of(255)).tolist()]).toEqual(["int32", [255]]);
    expect(np.array(Uint32Array.of(4294967295)).tolist()).toEqual([4294967295]); // float64 holds every uint32
    expect(np.array(Int32Array.of(0, 2), "bool").tolist()).toEqual([false, true]);
    expect(np.array(Float64Array.of(1, 2), "complex128").tolist()).toEqual([{ re: 1, im: 0 }, { re: 2, im: 0 }]);
    const m = np.array([Float64Array.of(1, 2), Float64Array.of(3, 4)]);
    expect([m.shape, m.tolist()]).toEqual([[2, 2], [[1, 2], [3, 4]]]);
    // every function taking arrays takes them (they go through the same conversion), gradients included
    expect(np.add(Float64Array.of(1, 2), 1).tolist()).toEqual([2, 3]);
    expect(grad((w: NDArray) => np.sum(np.multiply(w, Float64Array.of(3, 4))))(np.array([1, 1])).tolist()).toEqual([3, 4]);
    expect(() => np.array(BigInt64Array.of(1n) as any)).toThrow(/np.array: BigInt64Array is not supported: pass a Float64Array/);
    expect(() => np.array([Float64Array.of(1, 2), Float64Array.of(3)])).toThrow(/ragged nested array: expected a list of length 2 at depth 1, got a Float64Array/);
  });
  it("an unsupported object is named by its first keys, not all of them", () => {
    const big = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    let message = "";
    try { np.array(big as any); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/got an object with keys \{k0, k1, k2, k3, k4, k5, k6, k7, … \(5000 keys\)\}/);
    expect(message.length).toBeLessThan(300);
  });
});

describe("creation: linspace and astype", () => {
  it("linspace values bit-for-bit as numpy", () => {
    expect(np.linspace(0, 1, 7).tolist()).toEqual([0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333333, 1.0]);
    expect(np.linspace(0.1, 0.7, 11).tolist()).toEqual([0.1, 0.16, 0.22, 0.28, 0.33999999999999997, 0.4, 0.45999999999999996, 0.52, 0.58, 0.64, 0.7]);
    expect(np.linspace(-1.5, 2.25, 5, { endpoint: false }).tolist()).toEqual([-1.5, -0.75, 0.0, 0.75, 1.5]);
    expect(np.linspace(2, 3, 1).tolist()).toEqual([2]);
    expect(np.linspace(0, 1, 0).shape).toEqual([0]);
    expect(np.linspace([0, 1], [1, 3], 3).tolist()).toEqual([[0.0, 1.0], [0.5, 2.0], [1.0, 3.0]]);
    expect(np.linspace(0, [[1], [2]], 3).shape).toEqual([3, 2, 1]);
    expect(np.linspace(0, 1, 3, { dtype: "float32" }).dtype).toBe("float32");
  });
  it("linspace is differentiable in start and stop (scalars and arrays)", () => {
    check((s: NDArray, e: NDArray) => np.linspace(s, e, 5), 0.3, 2.1);
    check((s: NDArray, e: NDArray) => np.linspace(s, e, 4, { endpoint: false }), 0.3, 2.1);
    check((s: NDArray, e: NDArray) => np.linspace(s, e, 3), sample([2]), sample([2], 2));
    check((s: NDArray) => np.sum(np.sin(np.linspace(s, 3, 6))), 0.5);
    // d/ds of the i-th point is 1 - i/(n-1)
    expect(grad((s: number) => np.sum(np.linspace(s, 1, 5)))(0)).toBeCloseTo(2.5, 14);
    expect(grad((e: number) => np.linspace(0, e, 5).get(-1))(2)).toBe(1);
    // traced and plain values agree
    const traced = grad((s: NDArray) => {
      const y = np.linspace(s, 1, 7);
      expect(y.tolist()).toEqual(np.linspace(0, 1, 7).tolist());
      return np.sum(y);
    });
    traced(0);
  });
  it("astype float32 <-> float64 is differentiable; to int is a constant", () => {
    const x = sample([2, 3]);
    // through a float32 round trip central differences need a float32-sized step
    expect(checkGrads((v: NDArray) => np.astype(np.astype(v, "float32"), "float64"), { ...both, eps: 1e-3, rtol: 1e-2, atol: 1e-2 })(x)).toBe(true);
    expect(grad((v: NDArray) => np.sum(v.astype("float32")))(x).dtype).toBe("float64");
    expect(grad((v: NDArray) => np.sum(v.astype("float64")))(sample([2], 1, "float32")).dtype).toBe("float32");
    expect(checkGrads((v: NDArray) => np.square(v.astype("float64")), { ...both, eps: 1e-3, rtol: 1e-2, atol: 1e-2 })(sample([3], 1, "float32"))).toBe(true);
    const z = grad((v: NDArray) => np.abs(v.astype("complex128")))(2);
    expect(z).toBe(1);
    expect(np.astype(x, "int32").dtype).toBe("int32");
    expect(grad((v: NDArray) => np.sum(np.multiply(v, np.astype(v, "int32"))))(np.array([1.5, 2.5])).tolist()).toEqual([1, 2]);
    expect(np.astype([1.7, -1.7], "int32").tolist()).toEqual([1, -1]);
  });
});

describe("more array methods", () => {
  it("sort, argsort, trace, diagonal, cumprod, take, swapaxes, any, all, nonzero", () => {
    const x = np.array([[3, 1], [2, 5]]);
    expect(x.sort().tolist()).toEqual([[1, 3], [2, 5]]);
    expect(x.argsort().tolist()).toEqual([[1, 0], [0, 1]]);
    expect(x.trace().item()).toBe(8);
    expect(x.diagonal().tolist()).toEqual([3, 5]);
    expect(x.cumprod(0).tolist()).toEqual([[3, 1], [6, 5]]);
    expect(x.take([1, 0], 1).tolist()).toEqual([[1, 3], [5, 2]]);
    expect(x.swapaxes(0, 1).tolist()).toEqual([[3, 2], [1, 5]]);
    expect(x.any()).toBe(true);
    expect(np.array([1, 0]).all()).toBe(false);
    expect(x.nonzero().length).toBe(2);
  });
});
