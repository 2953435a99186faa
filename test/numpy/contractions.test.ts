// Contractions: dot, matmul, inner, outer, vdot, tensordot, einsum and friends (kron, cross, trace, diag,
// diagonal, diagflat, vander, polyval): values against numpy and a naive einsum, gradients in both modes.
import { describe, expect, it } from "vitest";
import { NDArray, ShapeError, ValueError, checkGrads, grad, holomorphicGrad, np } from "../../lib/index";
import { close } from "../helpers";

const both = { modes: ["fwd", "rev"] as ("fwd" | "rev")[], order: 2 };
const check = (f: (...a: any[]) => any, ...args: any[]) => expect(checkGrads(f, both)(...args)).toBe(true);

/** Deterministic, non-symmetric test values of a given shape. */
function sample(shape: number[], seed = 1, dtype: "float64" | "float32" | "complex128" = "float64"): NDArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const vals = Array.from({ length: n }, (_, i) => Math.sin(1.3 * (i + 1) * seed + 0.7 * seed) + 0.1 * seed);
  if (dtype === "complex128") {
    const im = Array.from({ length: n }, (_, i) => Math.cos(0.9 * (i + 2) * seed));
    return np.complex(np.array(vals).reshape(shape), np.array(im).reshape(shape));
  }
  return np.array(vals, dtype).reshape(shape);
}

/** A slow, obviously correct einsum for letters-only explicit subscripts: loops over every label assignment. */
function naiveEinsum(subscripts: string, ...ops: NDArray[]): NDArray {
  const [lhs, rhs] = subscripts.split("->");
  const terms = lhs.split(",");
  const sizes = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((c, a) => sizes.set(c, Math.max(sizes.get(c) ?? 1, ops[i].shape[a]))));
  const labels = [...sizes.keys()];
  const outShape = [...rhs].map((c) => sizes.get(c)!);
  const out = new Float64Array(outShape.reduce((p, d) => p * d, 1));
  const flat = ops.map((o) => o.tolist());
  const at = (nested: any, idx: number[]) => idx.reduce((v, i) => v[i], nested);
  const assign = new Map<string, number>();
  const loop = (k: number) => {
    if (k === labels.length) {
      let prod = 1;
      terms.forEach((t, i) => (prod *= at(flat[i], [...t].map((c, a) => (ops[i].shape[a] === 1 ? 0 : assign.get(c)!)))));
      let o = 0;
      for (const c of rhs) o = o * sizes.get(c)! + assign.get(c)!;
      out[o] += prod;
      return;
    }
    for (let v = 0; v < sizes.get(labels[k])!; v++) {
      assign.set(labels[k], v);
      loop(k + 1);
    }
  };
  loop(0);
  return new NDArray(out, outShape, "float64");
}

describe("einsum values", () => {
  // subscripts, operand shapes (explicit output, so the naive oracle applies)
  const cases: [string, number[][]][] = [
    ["ij,jk->ik", [[2, 3], [3, 4]]],
    ["ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]]],
    ["ij,jk,k->i", [[3, 4], [4, 5], [5]]],
    ["i,i->", [[4], [4]]],
    ["i,j->ij", [[3], [2]]],
    ["ii->i", [[3, 3]]],
    ["ii->", [[3, 3]]],
    ["iij->ji", [[3, 3, 2]]],
    ["ij->ji", [[2, 3]]],
    ["ij->", [[2, 3]]],
    ["ij->j", [[2, 3]]],
    ["bij,bjk->bik", [[2, 2, 3], [2, 3, 2]]],
    ["bi,bi->b", [[3, 4], [3, 4]]],
    ["ij,ij->ij", [[2, 3], [2, 3]]],
    ["ij,ij->", [[2, 3], [2, 3]]],
    ["ijk,jl->ikl", [[2, 3, 2], [3, 2]]],
    ["ij,kl->ijkl", [[2, 2], [1, 3]]],
    ["ab,bc,cd,da->", [[2, 3], [3, 2], [2, 2], [2, 2]]],
    ["ij,ij->ij", [[1, 3], [2, 3]]],
    ["iji,j->i", [[2, 3, 2], [3]]],
    ["i,i,i->i", [[3], [3], [3]]],
    ["ij,k->", [[2, 2], [3]]],
  ];
  for (const [subs, shapes] of cases) {
    it(`${subs} on ${JSON.stringify(shapes)} matches the naive sum`, () => {
      const ops = shapes.map((s, i) => sample(s, i + 1));
      close(np.einsum(subs, ...ops), naiveEinsum(subs, ...ops), 1e-10);
    });
  }

  it("implicit output: letters that occur once, sorted (uppercase first), after the ellipsis", () => {
    const a = sample([2, 3]), b = sample([3, 4], 2);
    close(np.einsum("ij,jk", a, b), np.matmul(a, b), 1e-10);
    close(np.einsum("ji", a), a.T, 1e-10); // 'i' sorts before 'j'
    close(np.einsum("ii", sample([3, 3])), np.trace(sample([3, 3])), 1e-10);
    close(np.einsum("Ba,aB", sample([2, 3]), sample([3, 2], 2)), naiveEinsum("Ba,aB->", sample([2, 3]), sample([3, 2], 2)), 1e-10);
    expect(np.einsum("bA", sample([2, 3])).shape).toEqual([3, 2]);
    expect(np.einsum("...ij,jk", sample([5, 2, 3]), sample([3, 4])).shape).toEqual([5, 2, 4]);
    expect(np.einsum("ij...,jk...", sample([2, 3, 5]), sample([3, 4, 5])).shape).toEqual([5, 2, 4]);
  });

  it("ellipsis broadcasting", () => {
    const a = sample([2, 2, 3]), b = sample([2, 3, 2], 2);
    close(np.einsum("...ij,...jk->...ik", a, b), np.matmul(a, b), 1e-10);
    const c = sample([1, 3, 2], 3);
    close(np.einsum("...ij,...jk->...ik", a, c), np.matmul(a, c), 1e-10);
    close(np.einsum("...ij,jk->...ik", a, sample([3, 4])), np.matmul(a, sample([3, 4])), 1e-10);
    close(np.einsum("i...->...", sample([2, 3, 4])), np.sum(sample([2, 3, 4]), 0), 1e-10);
    close(np.einsum("...ii->...i", sample([2, 3, 3])), np.diagonal(sample([2, 3, 3]), 0, 1, 2), 1e-10);
  });

  it("scalars and empty subscripts", () => {
    close(np.einsum(",i", 2, np.array([0, 1, 2])), [0, 2, 4], 1e-10);
    close(np.einsum(",->", 2, 3), 6, 1e-10);
    close(np.einsum("i->", [1, 2, 3]), 6, 1e-10);
  });

  it("interleaved form: (op, sublist, ..., [out])", () => {
    close(np.einsum(np.ones([2, 3]), [0, 1], np.ones([3]), [1], [0]), [3, 3], 1e-10);
    const a = sample([2, 3]), b = sample([3, 4], 2);
    close(np.einsum(a, [0, 1], b, [1, 2]), np.matmul(a, b), 1e-10);
    close(np.einsum(sample([2, 3, 3]), ["...", 1, 1], ["...", 1]), np.diagonal(sample([2, 3, 3]), 0, 1, 2), 1e-10);
  });

  it("numpy reference values", () => {
    // np.einsum('iij->ji', np.arange(18.).reshape(3,3,2))
    close(np.einsum("iij->ji", np.arange(18).reshape(3, 3, 2)), [[0, 8, 16], [1, 9, 17]], 1e-10);
    close(np.einsum("ii", np.arange(9).reshape(3, 3)), 12, 1e-10);
    // np.einsum('i,i', np.arange(3), np.arange(3)) is an integer
    const ii = np.einsum("i,i", np.arange(3), np.arange(3));
    expect(ii.dtype).toBe("int32");
    expect(ii.item()).toBe(5);
    expect(np.einsum("ij,jk", sample([2, 2], 1, "float32"), sample([2, 2], 2, "float32")).dtype).toBe("float32");
  });

  it("complex operands", () => {
    const a = sample([2, 3], 1, "complex128"), b = sample([3, 2], 2, "complex128");
    close(np.einsum("ij,jk->ik", a, b), np.matmul(a, b), 1e-10);
    close(np.einsum("ij,jk->ik", a, sample([3, 2])), np.matmul(a, sample([3, 2])), 1e-10);
  });

  it("options object and errors", () => {
    const a = sample([2, 3]);
    close(np.einsum("ij->j", a, { optimize: true }), np.sum(a, 0), 1e-10);
    expect(() => np.einsum("ij,jk", a, sample([2, 2]))).toThrow(ShapeError);
    expect(() => np.einsum("ij,jk", a, sample([2, 2]))).toThrow(/subscript 'j' has size 3/);
    expect(() => np.einsum("ij,jk->ii", a, sample([3, 2]))).toThrow(/output subscript 'i' appears more than once/);
    expect(() => np.einsum("ij->k", a)).toThrow(/'k'.*never appears in an input/);
    expect(() => np.einsum("ijk", a)).toThrow(ValueError);
    expect(() => np.einsum("i", a)).toThrow(/operand 0 has 2 dimensions/);
    expect(() => np.einsum("ij,jk", a)).toThrow(/name 2 operands, but 1 was given/);
    expect(() => np.einsum("i1", a)).toThrow(/invalid subscript "1"/);
    expect(() => np.einsum("...i->", sample([2, 3]))).toThrow(/no "\.\.\." to broadcast/);
    expect(() => np.einsum("ij", a, { bogus: 1 })).toThrow(/unknown option 'bogus'/);
    expect(() => np.einsum("ii->i", np.ones([1, 3]))).toThrow(/repeats subscript 'i' on dimensions of sizes 1 and 3/);
    expect(() => np.einsum("ij...,jk...->ik...", ...[[2, 3, 2], [3, 4, 3]].map((s) => np.ones(s)))).toThrow(ShapeError);
  });
});

describe("einsum gradients", () => {
  const cases: [string, number[][]][] = [
    ["ij,jk->ik", [[2, 3], [3, 2]]],
    ["ij,jk,k->i", [[2, 3], [3, 2], [2]]],
    ["i,i->", [[3], [3]]],
    ["i,j->ij", [[3], [2]]],
    ["ii->i", [[3, 3]]],
    ["ii->", [[3, 3]]],
    ["ii", [[3, 3]]],
    ["iij->ji", [[2, 2, 3]]],
    ["ij->", [[2, 3]]],
    ["ij->j", [[2, 3]]],
    ["ijk->ik", [[2, 3, 2]]],
    ["ij,k->ik", [[2, 3], [2]]],
    ["bij,bjk->bik", [[2, 2, 3], [2, 3, 2]]],
    ["...ij,...jk->...ik", [[2, 2, 3], [1, 3, 2]]],
    ["...ij,jk->...ik", [[2, 2, 3], [3, 2]]],
    ["ij,ij->ij", [[1, 3], [2, 3]]],
    ["iji,j->i", [[2, 3, 2], [3]]],
    ["ab,bc,ca->", [[2, 3], [3, 2], [2, 2]]],
    ["i,i,i->i", [[3], [3], [3]]],
  ];
  for (const [subs, shapes] of cases) {
    it(`checkGrads ${subs} on ${JSON.stringify(shapes)}`, () => {
      const ops = shapes.map((s, i) => sample(s, i + 1));
      check((...xs: NDArray[]) => np.einsum(subs, ...xs), ...ops);
    });
  }

  it("trace gradient is the identity; diagonal gradient is on the diagonal", () => {
    close(grad((x: NDArray) => np.einsum("ii", x))(sample([3, 3])), np.eye(3), 1e-10);
    const w = np.array([1, 2, 3]);
    close(grad((x: NDArray) => np.sum(np.multiply(np.einsum("ii->i", x), w)))(sample([3, 3])), np.diag(w), 1e-10);
    // summed-out label broadcasts back
    close(grad((x: NDArray) => np.einsum("ij->", x))(sample([2, 3])), np.ones([2, 3]), 1e-10);
  });

  it("float32 operands (looser tolerance)", () => {
    const a = sample([2, 3], 1, "float32"), b = sample([3, 2], 2, "float32");
    expect(checkGrads((x: NDArray, y: NDArray) => np.einsum("ij,jk->ik", x, y), { ...both, eps: 1e-3, rtol: 2e-2, atol: 2e-2 })(a, b)).toBe(true);
  });

  it("complex operands with a real loss, and holomorphic", () => {
    const a = sample([2, 3], 1, "complex128"), b = sample([3, 2], 2, "complex128");
    check((x: NDArray, y: NDArray) => np.sum(np.abs(np.einsum("ij,jk->ik", x, y))), a, b);
    check((x: NDArray) => np.real(np.einsum("ii", x)), sample([2, 2], 3, "complex128"));
    // holomorphic: d/dz sum_i (z_i w_i) = w
    const w = sample([3], 4, "complex128");
    close(holomorphicGrad((z: NDArray) => np.einsum("i,i->", z, w))(sample([3], 5, "complex128")), w, 1e-10);
  });
});

describe("matmul, dot, inner, outer, vdot, tensordot", () => {
  const pairs: [string, (a: NDArray, b: NDArray) => NDArray, number[], number[]][] = [
    ["matmul 2-d", np.matmul, [2, 3], [3, 2]],
    ["matmul batched", np.matmul, [2, 2, 3], [2, 3, 2]],
    ["matmul batch broadcast", np.matmul, [2, 1, 2, 3], [3, 3, 2]],
    ["matmul batch size-1", np.matmul, [1, 2, 3], [2, 3, 2]],
    ["matmul 1-d @ 2-d", np.matmul, [3], [3, 2]],
    ["matmul 2-d @ 1-d", np.matmul, [2, 3], [3]],
    ["matmul 1-d @ 1-d", np.matmul, [3], [3]],
    ["matmul 1-d @ 3-d", np.matmul, [3], [2, 3, 2]],
    ["matmul 3-d @ 1-d", np.matmul, [2, 2, 3], [3]],
    ["dot 2-d", np.dot, [2, 3], [3, 2]],
    ["dot 1-d", np.dot, [3], [3]],
    ["dot scalar", np.dot, [], [2, 3]],
    ["dot 3-d with 2-d", np.dot, [2, 2, 3], [3, 2]],
    ["dot 3-d with 3-d", np.dot, [2, 2, 3], [2, 3, 2]],
    ["inner 1-d", np.inner, [3], [3]],
    ["inner 2-d", np.inner, [2, 3], [2, 3]],
    ["inner scalar", np.inner, [], [3]],
    ["outer", np.outer, [3], [2]],
    ["outer flattens", np.outer, [2, 2], [3]],
    ["vdot", np.vdot, [2, 3], [3, 2]],
    ["tensordot default", (a, b) => np.tensordot(a, b), [2, 2, 3], [2, 3, 2]],
    ["tensordot axes=1", (a, b) => np.tensordot(a, b, 1), [2, 3], [3, 2]],
    ["tensordot axes=0", (a, b) => np.tensordot(a, b, 0), [2], [3]],
    ["tensordot axes lists", (a, b) => np.tensordot(a, b, [[0, 2], [1, 0]]), [2, 3, 2], [2, 2, 3]],
  ];
  for (const [name, f, sa, sb] of pairs) {
    it(`${name}: ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, () => {
      check(f, sample(sa, 1), sample(sb, 2));
    });
  }

  it("values against einsum", () => {
    const a = sample([2, 2, 3]), b = sample([2, 3, 2], 2);
    close(np.dot(a, b), np.einsum("ijk,lkm->ijlm", a, b), 1e-10);
    close(np.tensordot(a, b, [[0, 2], [0, 1]]), np.einsum("ijk,ikm->jm", a, b), 1e-10);
    close(np.inner(sample([2, 3]), sample([4, 3])), np.einsum("ik,jk->ij", sample([2, 3]), sample([4, 3])), 1e-10);
    close(np.matmul(sample([3]), sample([2, 3, 2])), np.einsum("j,bjk->bk", sample([3]), sample([2, 3, 2])), 1e-10);
  });

  it("float32 and complex", () => {
    const loose = { ...both, eps: 1e-3, rtol: 2e-2, atol: 2e-2 };
    expect(checkGrads(np.matmul, loose)(sample([2, 3], 1, "float32"), sample([3, 2], 2, "float32"))).toBe(true);
    expect(np.matmul(sample([2, 3], 1, "float32"), sample([3, 2], 2, "float32")).dtype).toBe("float32");
    const za = sample([2, 3], 1, "complex128"), zb = sample([3, 2], 2, "complex128");
    check((a: NDArray, b: NDArray) => np.sum(np.abs(np.matmul(a, b))), za, zb);
    check((a: NDArray, b: NDArray) => np.real(np.vdot(a, b)), za, sample([3, 2], 3, "complex128"));
    check((a: NDArray, b: NDArray) => np.imag(np.sum(np.matmul(a, b))), za, sample([3, 2]));
    // holomorphic: d/dz (z·w summed) = w summed over the other factor
    const w = sample([3], 4, "complex128");
    close(holomorphicGrad((z: NDArray) => np.sum(np.matmul(z, w)))(sample([2, 3], 5, "complex128")), np.stack([w, w]), 1e-10);
  });

  it("errors", () => {
    expect(() => np.matmul(sample([2, 3]), sample([2, 3]))).toThrow(ShapeError);
    expect(() => np.matmul(2, sample([2]))).toThrow(ValueError);
    expect(() => np.dot(sample([2, 3]), sample([2]))).toThrow(/not aligned/);
    expect(() => np.vdot(sample([2]), sample([3]))).toThrow(/same size/);
    expect(() => np.tensordot(sample([2, 3]), sample([2, 3]), 1)).toThrow(/shape mismatch/);
  });
});

describe("trace, diagonal, diag, diagflat", () => {
  const a = np.arange(24).reshape(2, 3, 4);
  it("values as numpy", () => {
    const m = np.arange(12).reshape(3, 4);
    expect(np.diagonal(m).tolist()).toEqual([0, 5, 10]);
    expect(np.diagonal(m, 1).tolist()).toEqual([1, 6, 11]);
    expect(np.diagonal(m, -1).tolist()).toEqual([4, 9]);
    expect(np.diagonal(m, 5).tolist()).toEqual([]);
    // np.diagonal(np.arange(24).reshape(2,3,4), 0, 1, 2) and (0, 2)
    expect(np.diagonal(a, 0, 1, 2).tolist()).toEqual([[0, 5, 10], [12, 17, 22]]);
    expect(np.diagonal(a, { offset: 1, axis1: 0, axis2: 2 }).tolist()).toEqual([[1, 14], [5, 18], [9, 22]]);
    expect(np.diagonal(a, 0, 2, 0).tolist()).toEqual([[0, 13], [4, 17], [8, 21]]);
    expect(np.trace(m)).toBeDefined();
    expect(np.trace(m).item()).toBe(15);
    expect(np.trace(m, 1).item()).toBe(18);
    expect(np.trace(a, 0, 1, 2).tolist()).toEqual([15, 51]);
    expect(np.trace(a).tolist()).toEqual([16, 18, 20, 22]);
    expect(np.diag([1, 2]).tolist()).toEqual([[1, 0], [0, 2]]);
    expect(np.diag([1, 2], 1).tolist()).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
    expect(np.diag([1, 2], { k: -1 }).tolist()).toEqual([[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
    expect(np.diag(m, 1).tolist()).toEqual([1, 6, 11]);
    expect(np.diagflat([[1, 2], [3, 4]]).tolist()).toEqual([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [0, 0, 0, 4]]);
    expect(np.diagflat([1, 2], -1).shape).toEqual([3, 3]);
    expect(np.diag(np.array([1, 2], "float32")).dtype).toBe("float32");
  });

  it("gradients", () => {
    check((x: NDArray) => np.trace(x), sample([3, 3]));
    check((x: NDArray) => np.trace(x, 1), sample([3, 4]));
    check((x: NDArray) => np.trace(x, -1, 1, 2), sample([2, 3, 3]));
    check((x: NDArray) => np.diagonal(x, 0, 0, 2), sample([2, 3, 3]));
    check((x: NDArray) => np.diag(x, 1), sample([3]));
    check((x: NDArray) => np.diag(x, -1), sample([3, 3]));
    check((x: NDArray) => np.diagflat(x), sample([2, 2]));
    check((x: NDArray) => np.square(np.trace(x)), sample([3, 3]));
    close(grad((x: NDArray) => np.trace(x))(sample([3, 3])), np.eye(3), 1e-10);
    check((x: NDArray) => np.real(np.trace(np.matmul(x, x))), sample([2, 2], 1, "complex128"));
  });

  it("errors", () => {
    expect(() => np.diagonal([1, 2])).toThrow(/at least two dimensions/);
    expect(() => np.diagonal(np.eye(2), 0, 1, 1)).toThrow(/cannot be the same/);
    expect(() => np.diagonal(np.eye(2), 0, 0, 2)).toThrow(/out of bounds/);
    expect(() => np.diag(np.ones([2, 2, 2]))).toThrow(/1-d or 2-d/);
    expect(() => np.diagonal(np.eye(2), { bogus: 1 } as any)).toThrow(/unknown option/);
  });
});

describe("kron, cross, vander, polyval", () => {
  it("kron values as numpy", () => {
    expect(np.kron([1, 10, 100], [5, 6, 7]).tolist()).toEqual([5, 6, 7, 50, 60, 70, 500, 600, 700]);
    expect(np.kron(np.eye(2), np.ones([2, 2])).tolist()).toEqual([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]);
    // np.kron([[1, 2], [3, 4]], [1, -1])
    expect(np.kron([[1, 2], [3, 4]], [1, -1]).tolist()).toEqual([[1, -1, 2, -2], [3, -3, 4, -4]]);
    expect(np.kron(np.ones([2, 5, 6]), np.ones([5, 6])).shape).toEqual([2, 25, 36]);
    check((a: NDArray, b: NDArray) => np.kron(a, b), sample([2, 2]), sample([2, 3], 2));
    check((a: NDArray, b: NDArray) => np.kron(a, b), sample([3]), sample([2, 2], 2));
  });

  it("cross values as numpy", () => {
    expect(np.cross([1, 2, 3], [4, 5, 6]).tolist()).toEqual([-3, 6, -3]);
    expect(np.cross([1, 2], [4, 5]).tolist()).toEqual(-3);
    expect(np.cross([1, 2, 0], [4, 5, 6]).tolist()).toEqual(np.cross([1, 2], [4, 5, 6]).tolist());
    expect(np.cross([1, 2, 3], [4, 5]).tolist()).toEqual([-15, 12, -3]);
    // np.cross(x, y, axisa=0, axisb=0, axisc=0) with x, y of shape (3, 2)
    const x = np.array([[1, 4], [2, 5], [3, 6]]), y = np.array([[4, 1], [5, 2], [6, 3]]);
    expect(np.cross(x, y, { axisa: 0, axisb: 0, axisc: 0 }).tolist()).toEqual([[-3, 3], [6, -6], [-3, 3]]);
    expect(np.cross(x, y, { axis: 0 }).tolist()).toEqual([[-3, 3], [6, -6], [-3, 3]]);
    expect(np.cross(x, y, 0, 0).tolist()).toEqual([[-3, 6, -3], [3, -6, 3]]);
    // broadcasting: (2, 3) with (3,)
    expect(np.cross([[1, 0, 0], [0, 1, 0]], [0, 0, 1]).tolist()).toEqual([[0, -1, 0], [1, 0, 0]]);
    check((a: NDArray, b: NDArray) => np.cross(a, b), sample([2, 3]), sample([3], 2));
    check((a: NDArray, b: NDArray) => np.cross(a, b, { axis: 0 }), sample([3, 2]), sample([3, 2], 2));
    check((a: NDArray, b: NDArray) => np.cross(a, b), sample([2]), sample([2, 2], 2));
    check((a: NDArray, b: NDArray) => np.cross(a, b), sample([2, 2]), sample([3], 2));
    expect(() => np.cross([1, 2, 3, 4], [1, 2, 3])).toThrow(/dimension must be 2 or 3/);
  });

  it("vander and polyval as numpy", () => {
    expect(np.vander([1, 2, 3]).tolist()).toEqual([[1, 1, 1], [4, 2, 1], [9, 3, 1]]);
    expect(np.vander([1, 2, 3], 2, true).tolist()).toEqual([[1, 1], [1, 2], [1, 3]]);
    expect(np.vander([1, 2], { N: 4, increasing: true }).tolist()).toEqual([[1, 1, 1, 1], [1, 2, 4, 8]]);
    expect(np.vander([1, 2], 0).shape).toEqual([2, 0]);
    check((x: NDArray) => np.vander(x, 4), sample([3]));
    check((x: NDArray) => np.vander(x), np.array([0, 1, 2]));
    // np.polyval([3, 0, 1], 5) == 76
    expect(np.polyval([3, 0, 1], 5).item()).toBe(76);
    expect(np.polyval([3, 0, 1], [1, 2]).tolist()).toEqual([4, 13]);
    expect(np.polyval([2], [1, 2]).tolist()).toEqual([2, 2]);
    check((p: NDArray, x: NDArray) => np.polyval(p, x), sample([4]), sample([3], 2));
    // d/dx polyval(p, x) = polyval(polyder(p), x): p = [1, 2, 3] → 2x + 2
    close(grad((x: NDArray) => np.polyval([1, 2, 3], x))(1.5), 5, 1e-10);
    expect(() => np.polyval([[1]], 2)).toThrow(/1-d/);
    expect(() => np.vander([[1]])).toThrow(/one-dimensional/);
  });
});
