// np.linalg LU family: det, slogdet, inv, solve, tensorsolve, tensorinv, matrix_power, multi_dot.
import { describe, expect, it } from "vitest";
import { LinAlgError, NDArray, ShapeError, grad, hessianVectorProduct, np } from "../../lib/index";
import { check1, check2, close, linalg, noNumpy, numpy, randn, wellConditioned } from "./helpers";

const A4 = randn(1, 4, 4);
const B3 = wellConditioned(2, 2, 3, 3);
const b32 = randn(3, 3, 2);
const b3 = randn(4, 3);
const Bb = randn(5, 2, 3, 2);
const Ac = np.complex(randn(6, 3, 3), randn(7, 3, 3));
const bc = np.complex(randn(8, 3, 2), randn(9, 3, 2));
const T = randn(10, 2, 3, 6);
const Tb = randn(11, 2, 3);
const Ti = randn(12, 4, 6, 8, 3);
const chain = [randn(13, 3), randn(14, 3, 5), randn(15, 5, 2), randn(16, 2, 4), randn(17, 4)];

describe.skipIf(noNumpy)("values agree with numpy", () => {
  const ref = noNumpy ? {} : numpy(
    `
L = np.linalg
out["det"] = L.det(inp["A4"]); out["detb"] = L.det(inp["B3"]); out["detc"] = L.det(inp["Ac"])
s, l = L.slogdet(inp["A4"]); out["sl"] = [s, l]
s, l = L.slogdet(inp["Ac"]); out["slc"] = [s, l]
out["inv"] = L.inv(inp["A4"]); out["invb"] = L.inv(inp["B3"]); out["invc"] = L.inv(inp["Ac"])
out["solve_m"] = L.solve(inp["B3"][0], inp["b32"])
out["solve_v"] = L.solve(inp["B3"][0], inp["b3"])
out["solve_bb"] = L.solve(inp["B3"], inp["b32"])
out["solve_bc"] = L.solve(inp["B3"][0], inp["Bb"])
out["solve_c"] = L.solve(inp["Ac"], inp["bc"])
out["tsolve"] = L.tensorsolve(inp["T"].reshape(6, 2, 3), inp["Tb"].reshape(6))
out["tsolve_axes"] = L.tensorsolve(inp["T"], inp["Tb"].reshape(6), axes=(0, 1))
out["tinv"] = L.tensorinv(inp["Ti"], ind=2)
out["mp5"] = L.matrix_power(inp["A4"], 5); out["mpm3"] = L.matrix_power(inp["A4"], -3); out["mp0"] = L.matrix_power(inp["B3"], 0)
out["md"] = L.multi_dot([inp["c0"], inp["c1"], inp["c2"], inp["c3"], inp["c4"]])
out["md2"] = L.multi_dot([inp["c1"], inp["c2"], inp["c3"]])
`,
    { A4, B3, b32, b3, Bb, Ac, bc, T, Tb, Ti, c0: chain[0], c1: chain[1], c2: chain[2], c3: chain[3], c4: chain[4] },
  );

  it("det and slogdet, real, batched and complex", () => {
    close(linalg.det(A4), ref.det);
    close(linalg.det(B3), ref.detb);
    close(linalg.det(Ac), ref.detc);
    const [s, l] = linalg.slogdet(A4);
    close(s, ref.sl[0]);
    close(l, ref.sl[1]);
    const [sc, lc] = linalg.slogdet(Ac);
    close(sc, ref.slc[0]);
    close(lc, ref.slc[1]);
  });

  it("inv, real, batched and complex", () => {
    close(linalg.inv(A4), ref.inv);
    close(linalg.inv(B3), ref.invb);
    close(linalg.inv(Ac), ref.invc);
  });

  it("solve: matrix and vector right-hand sides, broadcast batches, complex", () => {
    close(linalg.solve(np.index(B3, 0), b32), ref.solve_m);
    close(linalg.solve(np.index(B3, 0), b3), ref.solve_v);
    close(linalg.solve(B3, b32), ref.solve_bb);
    close(linalg.solve(np.index(B3, 0), Bb), ref.solve_bc);
    close(linalg.solve(Ac, bc), ref.solve_c);
  });

  it("tensorsolve, tensorinv", () => {
    close(linalg.tensorsolve(np.reshape(T, [6, 2, 3]), np.reshape(Tb, [6])), ref.tsolve);
    close(linalg.tensorsolve(T, np.reshape(Tb, [6]), [0, 1]), ref.tsolve_axes);
    close(linalg.tensorinv(Ti, 2), ref.tinv);
  });

  it("matrix_power and multi_dot", () => {
    close(linalg.matrix_power(A4, 5), ref.mp5, 1e-9);
    close(linalg.matrix_power(A4, -3), ref.mpm3, 1e-9);
    close(linalg.matrix_power(B3, 0), ref.mp0);
    close(linalg.multi_dot(chain), ref.md);
    close(linalg.multi_dot(chain.slice(1, 4)), ref.md2);
  });
});

describe("closed forms", () => {
  it("known systems", () => {
    close(linalg.solve([[3, 1], [1, 2]], [9, 8]), [2, 3]);
    close(linalg.inv([[4, 7], [2, 6]]), [[0.6, -0.7], [-0.2, 0.4]]);
    close(linalg.det([[1, 2], [3, 4]]), -2);
    close(linalg.det([[2, 0, 0], [5, 3, 0], [1, 1, 4]]), 24);
    close(linalg.det(np.zeros([0, 0])), 1);
    const [s, l] = linalg.slogdet([[1, 2], [2, 4]]);
    expect(s.item()).toBe(0);
    expect(l.item()).toBe(-Infinity);
    expect(Math.abs(linalg.det([[1, 2], [2, 4]]).item())).toBe(0);
    const [s2, l2] = linalg.slogdet(np.multiply(np.eye(3), -1e-200));
    expect(s2.item()).toBe(-1);
    close(l2, 3 * Math.log(1e-200));
  });

  it("d det(M)/dM = det(M)·M⁻ᵀ and d logabsdet/dM = M⁻ᵀ", () => {
    const M = A4;
    close(grad((m: NDArray) => linalg.det(m))(M), np.multiply(linalg.det(M), np.transpose(linalg.inv(M))), 1e-10);
    close(grad((m: NDArray) => linalg.slogdet(m)[1])(M), np.transpose(linalg.inv(M)), 1e-10);
    // batched: each matrix gets its own gradient
    const g = grad((m: NDArray) => np.sum(linalg.det(m)))(B3);
    close(g, np.multiply(np.reshape(linalg.det(B3), [2, 1, 1]), np.swapaxes(linalg.inv(B3), -1, -2)), 1e-10);
  });

  it("second derivatives: the Hessian of logdet maps V to −A⁻ᵀ Vᵀ A⁻ᵀ", () => {
    const V = randn(32, 4, 4);
    const Ainv = linalg.inv(A4);
    const hv = hessianVectorProduct((a: NDArray) => linalg.slogdet(a)[1])(A4, V);
    close(hv, np.negative(np.matmul(np.matmul(np.transpose(Ainv), np.transpose(V)), np.transpose(Ainv))), 1e-9);
  });

  it("d inv(M) in direction D is −M⁻¹ D M⁻¹; solve's gradients", () => {
    const D = randn(30, 4, 4);
    const Minv = linalg.inv(A4);
    const dir = grad((t: NDArray) => np.sum(np.multiply(linalg.inv(np.add(A4, np.multiply(t, D))), D)))(0);
    close(dir, np.sum(np.multiply(np.negative(np.matmul(np.matmul(Minv, D), Minv)), D)), 1e-9);
    // L = sum(x) with x = A⁻¹b: dL/db = A⁻ᵀ 1, dL/dA = −(A⁻ᵀ 1) xᵀ
    const A = np.index(B3, 0);
    const [gA, gb] = grad((a: NDArray, b: NDArray) => np.sum(linalg.solve(a, b)), [0, 1])(A, b3);
    const gbExp = linalg.solve(np.transpose(A), np.ones([3]));
    close(gb, gbExp, 1e-10);
    close(gA, np.negative(np.outer(gbExp, linalg.solve(A, b3))), 1e-10);
  });

  it("matrix_power and multi_dot edge cases", () => {
    close(linalg.matrix_power(A4, 1), A4);
    close(linalg.matrix_power(A4, 2), np.matmul(A4, A4));
    close(linalg.matrix_power(A4, -1), linalg.inv(A4));
    const v = linalg.multi_dot([chain[0], chain[1], chain[2], chain[3], chain[4]]);
    expect(v.shape).toEqual([]);
    close(v, np.matmul(np.matmul(np.matmul(np.matmul(chain[0], chain[1]), chain[2]), chain[3]), chain[4]), 1e-10);
    expect(linalg.multi_dot([chain[1], chain[2], chain[3], chain[4]]).shape).toEqual([3]);
  });

  it("float32 in, float32 out; ints become float64", () => {
    const f = np.astype(A4, "float32");
    expect(linalg.inv(f).dtype).toBe("float32");
    expect(linalg.det(f).dtype).toBe("float32");
    expect(linalg.det([[1, 2], [3, 4]]).dtype).toBe("float64");
    expect(linalg.inv(np.array([[2, 0], [0, 4]], "int32")).tolist()).toEqual([[0.5, 0], [0, 0.25]]);
  });
});

describe("gradients (checkGrads, fwd and rev, order 2)", () => {
  it("det, slogdet, inv on a matrix and a batch", () => {
    check2((a: NDArray) => linalg.det(a), A4);
    check2((a: NDArray) => linalg.det(a), B3);
    check2((a: NDArray) => linalg.slogdet(a)[1], A4);
    check2((a: NDArray) => linalg.slogdet(a)[1], B3);
    check2((a: NDArray) => linalg.inv(a), A4);
    check2((a: NDArray) => linalg.inv(a), B3);
  });

  it("solve in both arguments, with vector, matrix and broadcast right-hand sides", () => {
    const A = np.index(B3, 0);
    check2((a: NDArray, b: NDArray) => linalg.solve(a, b), A, b3);
    check2((a: NDArray, b: NDArray) => linalg.solve(a, b), A, b32);
    check2((a: NDArray, b: NDArray) => linalg.solve(a, b), B3, b32);
    check2((a: NDArray, b: NDArray) => linalg.solve(a, b), A, Bb);
    // the two VJP rules share one solve(aᵀ, g): an a that is also b, one a in two solves, a GP-style loss
    check2((a: NDArray) => linalg.solve(a, a), A);
    check2((a: NDArray, b: NDArray) => np.add(linalg.solve(a, b), np.multiply(linalg.solve(a, np.multiply(b, 2)), linalg.solve(a, b))), A, b3);
    check2((a: NDArray, b: NDArray) => np.dot(b, linalg.solve(np.add(np.matmul(a, a.T), np.eye(3)), b)), A, b3);
  });

  it("complex inputs (holomorphic rules)", () => {
    check1((a: NDArray) => linalg.det(a), Ac);
    check1((a: NDArray) => linalg.inv(a), Ac);
    check1((a: NDArray, b: NDArray) => linalg.solve(a, b), Ac, bc);
    check1((a: NDArray) => linalg.slogdet(a)[1], Ac);
  });

  it("composites: matrix_power, multi_dot, tensorsolve, tensorinv", () => {
    check2((a: NDArray) => linalg.matrix_power(a, 3), np.multiply(A4, 0.5));
    check2((a: NDArray) => linalg.matrix_power(a, -2), B3);
    check2((a: NDArray, b: NDArray, c: NDArray) => linalg.multi_dot([a, b, c]), chain[1], chain[2], chain[3]);
    check2((a: NDArray, b: NDArray) => linalg.tensorsolve(a, b), np.add(np.reshape(np.eye(6), [6, 2, 3]), np.multiply(np.reshape(T, [6, 2, 3]), 0.2)), np.reshape(Tb, [6]));
    check1((a: NDArray) => linalg.tensorinv(a, 1), wellConditioned(31, 4, 4));
  });
});

describe("errors", () => {
  it("singular matrices", () => {
    const S = [[1, 2], [2, 4]];
    expect(() => linalg.inv(S)).toThrow(LinAlgError);
    expect(() => linalg.inv(S)).toThrow("np.linalg.inv: Singular matrix");
    expect(() => linalg.solve(S, [1, 2])).toThrow("np.linalg.solve: Singular matrix");
    expect(() => linalg.inv(np.zeros([2, 3, 3]))).toThrow(LinAlgError);
  });

  it("shapes", () => {
    expect(() => linalg.det([[1, 2, 3], [4, 5, 6]])).toThrow(LinAlgError);
    expect(() => linalg.det([[1, 2, 3], [4, 5, 6]])).toThrow("np.linalg.det: Last 2 dimensions of the array must be square, got shape (2, 3)");
    expect(() => linalg.inv([1, 2])).toThrow("np.linalg.inv: 1-dimensional array given. Array must be at least two-dimensional");
    expect(() => linalg.solve(np.eye(3), [1, 2])).toThrow(ShapeError);
    expect(() => linalg.solve(np.zeros([2, 3, 3]), np.zeros([3, 3, 1]))).toThrow(ShapeError);
    expect(() => linalg.matrix_power(np.zeros([2, 3]), 2)).toThrow(LinAlgError);
    expect(() => linalg.matrix_power(np.eye(2), 1.5)).toThrow(TypeError);
    expect(() => linalg.multi_dot([np.eye(2)])).toThrow("Expecting at least two arrays");
    expect(() => linalg.multi_dot([np.eye(2), np.eye(3), np.eye(3)])).toThrow(ShapeError);
    expect(() => linalg.tensorsolve(np.zeros([2, 3]), np.zeros([2]))).toThrow(LinAlgError);
  });
});
