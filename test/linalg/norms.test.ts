// np.linalg norms, rank, pseudo-inverse and least squares, and the array-API helpers.
import { describe, expect, it } from "vitest";
import { LinAlgError, NDArray, ShapeError, ValueError, grad, np } from "../../lib/index";
import { check1, check2, close, linalg, noNumpy, numpy, randn, wellConditioned } from "./helpers";

const mT = (x: NDArray) => np.swapaxes(x, -1, -2);
const v = randn(1, 5);
const M = randn(2, 3, 4);
const X3 = randn(3, 2, 3, 4);
const vc = np.complex(randn(4, 4), randn(5, 4));
const Asq = wellConditioned(6, 3, 3);
const tall = randn(7, 6, 3);
const wide = randn(8, 3, 5);
const rankDef = np.matmul(randn(9, 5, 2), randn(10, 2, 4)); // rank 2
const bT = randn(11, 6);
const BT = randn(12, 6, 2);
const bW = randn(13, 3);

const VEC_ORDS: (number | null)[] = [null, 2, 1, Infinity, -Infinity, 0, 3, 0.5, -1];
const MAT_ORDS: (number | string | null)[] = [null, "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity];
const pyOrd = (o: number | string | null) =>
  o === null ? "None" : o === Infinity ? "np.inf" : o === -Infinity ? "-np.inf" : typeof o === "string" ? `'${o}'` : String(o);

describe.skipIf(noNumpy)("values agree with numpy", () => {
  const ref = noNumpy ? {} : numpy(
    `
L = np.linalg
for i, o in enumerate([${VEC_ORDS.map(pyOrd).join(", ")}]):
    out["v%d" % i] = L.norm(inp["v"], o)
    out["vax%d" % i] = L.norm(inp["X3"], o, axis=1)
    out["vkd%d" % i] = L.norm(inp["X3"], o, axis=-1, keepdims=True)
for i, o in enumerate([${MAT_ORDS.map(pyOrd).join(", ")}]):
    out["m%d" % i] = L.norm(inp["M"], o)
    out["max%d" % i] = L.norm(inp["X3"], o, axis=(2, 0))
    out["mkd%d" % i] = L.norm(inp["X3"], o, axis=(-2, -1), keepdims=True)
out["n_all"] = L.norm(inp["X3"]); out["n_all_kd"] = L.norm(inp["X3"], keepdims=True)
out["n_c"] = L.norm(inp["vc"]); out["n_c1"] = L.norm(inp["vc"], 1); out["n_cinf"] = L.norm(inp["vc"], np.inf)
out["vn"] = L.vector_norm(inp["X3"], axis=(0, 2), ord=3); out["vn_all"] = L.vector_norm(inp["X3"], keepdims=True)
out["mn"] = L.matrix_norm(inp["X3"], ord="nuc"); out["mn_fro"] = L.matrix_norm(inp["X3"], keepdims=True)
out["cond"] = [L.cond(inp["Asq"], p) for p in [None, 1, -1, 2, -2, np.inf, 'fro', 'nuc']]
out["cond_tall"] = L.cond(inp["tall"])
out["rank"] = [L.matrix_rank(inp["rankDef"]), L.matrix_rank(inp["tall"]), L.matrix_rank(np.stack([inp["rankDef"], inp["rankDef"] * 0])), L.matrix_rank(inp["rankDef"], tol=1e-3)]
out["pinv"] = [L.pinv(inp["tall"]), L.pinv(inp["wide"]), L.pinv(inp["rankDef"]), L.pinv(np.stack([inp["tall"], 2 * inp["tall"]]))]
for name, a, b in [("over", "tall", "bT"), ("overm", "tall", "BT"), ("under", "wide", "bW"), ("def", "rankDef", "bR")]:
    x, r, k, s = L.lstsq(inp[a], inp[b], rcond=None)
    out["ls_" + name] = [x, r, k, s]
out["mt"] = L.matrix_transpose(inp["X3"]); out["diag"] = L.diagonal(inp["X3"], offset=1); out["tr"] = L.trace(inp["X3"], offset=-1)
out["vecdot"] = L.vecdot(inp["X3"], inp["X3"][0]); out["outer"] = L.outer(inp["v"], inp["bW"])
`,
    { v, M, X3, vc, Asq, tall, wide, rankDef, bT, BT, bW, bR: randn(14, 5) },
  );

  it("vector norms of every order, along an axis, with keepdims", () => {
    VEC_ORDS.forEach((o, i) => {
      close(linalg.norm(v, o), ref[`v${i}`]);
      close(linalg.norm(X3, o, { axis: 1 }), ref[`vax${i}`]);
      close(linalg.norm(X3, { ord: o, axis: -1, keepdims: true }), ref[`vkd${i}`]);
    });
    close(linalg.norm(X3), ref.n_all);
    close(linalg.norm(X3, { keepdims: true }), ref.n_all_kd);
    close(linalg.norm(vc), ref.n_c);
    close(linalg.norm(vc, 1), ref.n_c1);
    close(linalg.norm(vc, Infinity), ref.n_cinf);
  });

  it("matrix norms of every order, over any two axes, with keepdims", () => {
    MAT_ORDS.forEach((o, i) => {
      close(linalg.norm(M, o as any), ref[`m${i}`]);
      close(linalg.norm(X3, o as any, { axis: [2, 0] }), ref[`max${i}`]);
      close(linalg.norm(X3, o as any, { axis: [-2, -1], keepdims: true }), ref[`mkd${i}`]);
    });
    close(linalg.vector_norm(X3, { axis: [0, 2], ord: 3 }), ref.vn);
    close(linalg.vector_norm(X3, { keepdims: true }), ref.vn_all);
    close(linalg.matrix_norm(X3, { ord: "nuc" }), ref.mn);
    close(linalg.matrix_norm(X3, { keepdims: true }), ref.mn_fro);
  });

  it("cond and matrix_rank", () => {
    ([null, 1, -1, 2, -2, Infinity, "fro", "nuc"] as any[]).forEach((p, i) => close(linalg.cond(Asq, p), ref.cond[i], 1e-9));
    close(linalg.cond(tall), ref.cond_tall, 1e-9);
    expect(linalg.matrix_rank(rankDef)).toBe(ref.rank[0].item());
    expect(linalg.matrix_rank(tall)).toBe(ref.rank[1].item());
    expect(linalg.matrix_rank(np.stack([rankDef, np.multiply(rankDef, 0)])).tolist()).toEqual(ref.rank[2].tolist());
    expect(linalg.matrix_rank(rankDef, 1e-3)).toBe(ref.rank[3].item());
  });

  it("pinv and lstsq", () => {
    close(linalg.pinv(tall), ref.pinv[0]);
    close(linalg.pinv(wide), ref.pinv[1]);
    close(linalg.pinv(rankDef), ref.pinv[2], 1e-9);
    close(linalg.pinv(np.stack([tall, np.multiply(tall, 2)])), ref.pinv[3]);
    const cases: [string, NDArray, NDArray][] = [["over", tall, bT], ["overm", tall, BT], ["under", wide, bW], ["def", rankDef, randn(14, 5)]];
    for (const [name, a, b] of cases) {
      const [x, r, k, s] = linalg.lstsq(a, b);
      const e = ref[`ls_${name}`];
      close(x, e[0], 1e-9);
      close(r, e[1], 1e-9);
      expect(k).toBe(e[2].item());
      close(s, e[3]);
    }
  });

  it("matrix_transpose, diagonal, trace, vecdot, outer", () => {
    close(linalg.matrix_transpose(X3), ref.mt);
    close(linalg.diagonal(X3, { offset: 1 }), ref.diag);
    close(linalg.trace(X3, { offset: -1 }), ref.tr);
    close(linalg.vecdot(X3, np.index(X3, 0)), ref.vecdot);
    close(linalg.outer(v, bW), ref.outer);
  });
});

describe("closed forms and properties", () => {
  it("known norms", () => {
    close(linalg.norm([3, 4]), 5);
    close(linalg.norm([[1, -2], [3, 4]], 1), 6);
    close(linalg.norm([[1, -2], [3, 4]], Infinity), 7);
    close(linalg.norm([[2, 0], [0, -3]], "nuc"), 5);
    close(linalg.norm([[2, 0], [0, -3]], 2), 3);
    close(linalg.norm([[2, 0], [0, -3]], -2), 2);
    close(linalg.norm([1, 0, -2, 0], 0), 2);
    close(linalg.norm(np.zeros([3])), 0);
  });

  it("Penrose conditions for pinv; lstsq residuals", () => {
    for (const a of [tall, wide, rankDef]) {
      const P = linalg.pinv(a);
      close(np.matmul(np.matmul(a, P), a), a, 1e-10);
      close(np.matmul(np.matmul(P, a), P), P, 1e-10);
      close(mT(np.matmul(a, P)), np.matmul(a, P), 1e-10);
    }
    const [x, r, k] = linalg.lstsq(tall, bT);
    expect(k).toBe(3);
    close(r, [np.sum(np.square(np.subtract(bT, np.matmul(tall, x)))).item()], 1e-10);
    expect(linalg.lstsq(wide, bW)[1].shape).toEqual([0]);
  });

  it("gradients of norms match autograd's formulas", () => {
    // 2-norm: x/‖x‖; nuclear: U·Vᵀ; Frobenius: X/‖X‖
    close(grad((x: NDArray) => linalg.norm(x))(v), np.divide(v, linalg.norm(v)), 1e-12);
    const [U, , Vh] = linalg.svd(M, false);
    close(grad((x: NDArray) => linalg.norm(x, "nuc"))(M), np.matmul(U, Vh), 1e-10);
    close(grad((x: NDArray) => linalg.norm(x, "fro"))(M), np.divide(M, linalg.norm(M)), 1e-12);
    // p-norm: |x|^(p-1) sign(x) / ‖x‖^(p-1)
    const p = 3;
    const n3 = linalg.norm(v, p);
    close(grad((x: NDArray) => linalg.norm(x, p))(v), np.divide(np.multiply(np.power(np.abs(v), p - 1), np.sign(v)), np.power(n3, p - 1)), 1e-12);
    // order 0 counts nonzeros: no gradient
    close(grad((x: NDArray) => linalg.norm(x, 0))(v), np.zeros([5]));
  });
});

describe("gradients (checkGrads, fwd and rev, order 2)", () => {
  it("vector norms", () => {
    for (const o of [null, 2, 1, Infinity, -Infinity, 3, 0.5, -1]) {
      check2((x: NDArray) => linalg.norm(x, o), v);
      check2((x: NDArray) => linalg.norm(x, o, { axis: 1, keepdims: true }), X3);
    }
    check2((x: NDArray) => linalg.norm(x), vc);
    check2((x: NDArray) => linalg.vector_norm(x, { axis: [0, 2], ord: 3 }), X3);
  });

  it("matrix norms", () => {
    for (const o of [null, "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity] as any[]) {
      check2((x: NDArray) => linalg.norm(x, o), M);
    }
    check2((x: NDArray) => linalg.norm(x, "nuc", { axis: [2, 0] }), X3);
    check2((x: NDArray) => linalg.norm(x, 2, { axis: [-2, -1], keepdims: true }), X3);
    check2((x: NDArray) => linalg.cond(x), Asq);
    check2((x: NDArray) => linalg.cond(x, 1), Asq);
  });

  it("pinv and lstsq", () => {
    for (const a of [tall, wide, np.stack([tall, np.multiply(tall, 2)])]) check2((x: NDArray) => linalg.pinv(x), a);
    check2((a: NDArray, b: NDArray) => linalg.lstsq(a, b)[0], tall, BT);
    check2((a: NDArray, b: NDArray) => linalg.lstsq(a, b)[0], wide, bW);
    check2((a: NDArray, b: NDArray) => linalg.lstsq(a, b)[1], tall, bT);
    check1((a: NDArray) => linalg.lstsq(a, bT)[3], tall);
  });

  it("array-API helpers", () => {
    // linear and bilinear: first order says it all
    check1((x: NDArray) => linalg.trace(x, 1), X3);
    check1((x: NDArray, y: NDArray) => linalg.vecdot(x, y), X3, np.index(X3, 1));
    check1((x: NDArray) => linalg.diagonal(x), X3);
  });
});

describe("errors", () => {
  it("norm", () => {
    expect(() => linalg.norm(v, "fro")).toThrow(ValueError);
    expect(() => linalg.norm(M, 3)).toThrow("Invalid norm order 3 for matrices");
    expect(() => linalg.norm(M, "bogus" as any)).toThrow(ValueError);
    expect(() => linalg.norm(X3, 2)).toThrow("Improper number of dimensions to norm");
    expect(() => linalg.norm(M, null, { axis: [1, 1] })).toThrow("Duplicate axes given.");
    expect(() => linalg.norm(M, null, { axis: 2 })).toThrow(ValueError);
    expect(() => linalg.norm(M, { axes: 1 } as any)).toThrow(TypeError);
  });

  it("pinv, lstsq, cond, matrix_rank", () => {
    expect(() => linalg.pinv([1, 2])).toThrow(LinAlgError);
    expect(() => linalg.lstsq(tall, randn(3, 5))).toThrow(ShapeError);
    expect(() => linalg.lstsq(X3, bT)).toThrow(LinAlgError);
    expect(() => linalg.cond(np.zeros([0, 0]))).toThrow(LinAlgError);
    expect(linalg.cond([[1, 2], [2, 4]], 1).item()).toBe(Infinity);
    expect(linalg.matrix_rank([0, 0, 1])).toBe(1);
    expect(linalg.matrix_rank(np.zeros([3]))).toBe(0);
  });
});
