// np.linalg on LAPACK (native) and on the JS kernels (wasm backend) gives the same answers: values, shapes, batches,
// sign conventions of eigen/singular vectors, and the same errors.
import { describe, expect, it } from "vitest";
import { LinAlgError, NDArray, checkGrads, np } from "../../lib/index";
import { LAPACK_MIN_N } from "../../lib/linalg/lapack";
import { randn, spd, symmetric, wellConditioned } from "../linalg/helpers";
import { closeRel, nat, onBoth } from "./helpers";

const la = np.linalg;
/** Every NDArray in a result (an array, a tuple, a record of arrays, a number). */
const parts = (r: unknown): NDArray[] =>
  r instanceof NDArray ? [r] : Array.isArray(r) ? r.flatMap(parts) : typeof r === "number" ? [np.array(r)]
    : r && typeof r === "object" ? Object.values(r).flatMap(parts) : [];

function agree(f: () => unknown, label: string, rtol = 1e-10): void {
  const [n, w] = onBoth(f);
  const pn = parts(n), pw = parts(w);
  expect(pn.length, label).toBe(pw.length);
  pn.forEach((x, i) => {
    expect(x.shape, `${label} part ${i}`).toEqual(pw[i].shape);
    expect(x.dtype, `${label} part ${i}`).toBe(pw[i].dtype);
    closeRel(Array.from(x.data as Float64Array), Array.from(pw[i].data as Float64Array), rtol, `${label} part ${i}`);
  });
}

const N = LAPACK_MIN_N + 8;

describe.skipIf(!nat)("np.linalg: LAPACK and the JS kernels agree", () => {
  it("det, slogdet, inv, solve (batched, several right-hand sides, a vector)", () => {
    const A = wellConditioned(1, 3, N, N), b = randn(2, 3, N, 4), v = randn(3, N);
    agree(() => la.det(A), "det");
    agree(() => la.slogdet(A), "slogdet");
    agree(() => la.inv(A), "inv");
    agree(() => la.solve(A, b), "solve");
    agree(() => la.solve(A.get(0), v), "solve vector");
    agree(() => la.matrix_power(A.get(1), -2), "matrix_power");
  });

  it("cholesky (lower and upper), eigh and eigvalsh (L and U), batched", () => {
    const S = spd(4, 2, N, N), H = symmetric(5, 2, N, N);
    agree(() => la.cholesky(S), "cholesky");
    agree(() => la.cholesky(S, { upper: true }), "cholesky upper");
    agree(() => la.eigh(H), "eigh");
    agree(() => la.eigh(H, "U"), "eigh U");
    agree(() => la.eigvalsh(H), "eigvalsh");
  });

  it("qr in every mode, tall and wide", () => {
    for (const [m, n] of [[N + 7, N], [N, N + 9], [N, N]]) {
      const A = randn(6, 2, m, n);
      for (const mode of ["reduced", "complete", "r"] as const) agree(() => la.qr(A, mode), `qr ${m}×${n} ${mode}`);
    }
  });

  it("svd (reduced: factors; full: values and reconstruction), pinv, lstsq, matrix_rank, norms, cond", () => {
    for (const [m, n] of [[N + 6, N], [N, N + 5]]) {
      const A = randn(7, 2, m, n);
      agree(() => la.svd(A, false), `svd ${m}×${n}`);
      agree(() => la.svdvals(A), `svdvals ${m}×${n}`);
      const [nat, js] = onBoth(() => la.svd(A, true));
      closeRel(Array.from(nat[1].data as Float64Array), Array.from(js[1].data as Float64Array), 1e-12, "full svd values");
      expect(nat[0].shape).toEqual([2, m, m]);
      expect(nat[2].shape).toEqual([2, n, n]);
      const k = Math.min(m, n);
      const rebuilt = np.matmul(np.multiply(nat[0].get(":", ":", `:${k}`), np.expand_dims(nat[1], -2)), nat[2].get(":", `:${k}`));
      closeRel(Array.from(rebuilt.data as Float64Array), Array.from(A.data as Float64Array), 1e-12, "U S Vh = A");
      const uu = np.matmul(np.swapaxes(nat[0], -1, -2), nat[0]);
      closeRel(Array.from(uu.data as Float64Array), Array.from(np.broadcast_to(np.eye(m), [2, m, m]).data as Float64Array), 1e-12, "U orthogonal");
      agree(() => la.pinv(A), "pinv");
      agree(() => la.norm(A.get(0), 2), "norm 2");
      agree(() => la.cond(A.get(0)), "cond");
      agree(() => la.matrix_rank(A), "matrix_rank");
    }
    agree(() => la.lstsq(randn(8, N + 10, N), randn(9, N + 10, 3)), "lstsq");
  });

  it("errors are the same LinAlgErrors naming the user's op", () => {
    const singular = np.ones([N, N]);
    const notPd = np.subtract(np.zeros([N, N]), np.eye(N));
    for (const [f, msg] of [
      [() => la.inv(singular), /np\.linalg\.inv: Singular matrix/],
      [() => la.solve(singular, np.ones([N])), /np\.linalg\.solve: Singular matrix/],
      [() => la.cholesky(notPd), /np\.linalg\.cholesky: Matrix is not positive definite/],
    ] as [() => unknown, RegExp][]) {
      const [en, ew] = onBoth(() => { try { f(); return null; } catch (e) { return e as Error; } });
      expect(en).toBeInstanceOf(LinAlgError);
      expect(en!.message).toMatch(msg);
      expect(en!.message).toBe(ew!.message);
    }
    agree(() => la.det(singular), "det of a singular matrix");
    // non-finite input goes to the JS kernels, so it behaves as before
    const bad = np.array(np.eye(N)); (bad.data as Float64Array)[5] = NaN;
    const [en, ew] = onBoth(() => { try { return la.svd(bad); } catch (e) { return (e as Error).message; } });
    expect(en).toEqual(ew);
  });

  it("gradients through the LAPACK path match finite differences", () => {
    const A = wellConditioned(11, N, N), S = spd(12, N, N), b = randn(13, N, 2);
    const opts = { modes: ["fwd", "rev"] as ("fwd" | "rev")[], order: 1 };
    checkGrads((a: NDArray) => la.solve(a, b), opts)(A);
    checkGrads((a: NDArray) => np.sum(la.cholesky(np.add(a, np.swapaxes(a, -1, -2)))), opts)(S);
    checkGrads((a: NDArray) => la.slogdet(a)[1], opts)(A);
  });
});
