// np.linalg decompositions: cholesky, qr, eigh/eigvalsh, svd/svdvals, eig/eigvals.
import { describe, expect, it } from "vitest";
import { GradientError, LinAlgError, NDArray, ValueError, grad, np } from "../../lib/index";
import { check1, check2, close, linalg, noNumpy, numpy, randn, sortComplex, spd, symmetric } from "./helpers";

const mT = (x: NDArray) => np.swapaxes(x, -1, -2);
const S4 = spd(1, 4, 4);
const Sb = spd(2, 2, 3, 3);
const tall = randn(3, 5, 3);
const wide = randn(4, 3, 5);
const sq = randn(5, 4, 4);
const batchTall = randn(6, 2, 4, 3);
const H4 = symmetric(7, 4, 4);
const Hb = symmetric(8, 2, 3, 3);
const N4 = randn(9, 4, 4); // not symmetric: eigh reads its lower triangle
const G4 = randn(10, 4, 4); // complex spectrum
/** Lower (k = 0 incl. diagonal; k = -1 strict) or upper triangle masks, built here to keep the tests self-contained. */
const triMask = (n: number, keep: (i: number, j: number) => boolean) =>
  np.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (keep(i, j) ? 1 : 0))));
const R3 = np.add(np.multiply(randn(11, 3, 3), triMask(3, (i, j) => j > i)), np.multiply(np.eye(3), np.array([1, 2, 3.5]))); // real spectrum
const Gb = randn(12, 2, 3, 3);

/** Orthonormal columns: QᵀQ = I. */
const orthonormal = (Q: NDArray, tol = 1e-12) => {
  const k = Q.shape[Q.ndim - 1];
  close(np.matmul(mT(Q), Q), np.broadcast_to(np.eye(k), [...Q.shape.slice(0, -2), k, k]), tol);
};

describe.skipIf(noNumpy)("values agree with numpy", () => {
  const ref = noNumpy ? {} : numpy(
    `
L = np.linalg
out["chol"] = L.cholesky(inp["S4"]); out["cholb"] = L.cholesky(inp["Sb"]); out["cholu"] = L.cholesky(inp["S4"], upper=True)
out["qr_tall"] = list(L.qr(inp["tall"])); out["qr_wide"] = list(L.qr(inp["wide"])); out["qr_sq"] = list(L.qr(inp["sq"]))
out["qr_complete"] = list(L.qr(inp["tall"], mode="complete")); out["qr_r"] = L.qr(inp["tall"], mode="r")
out["qr_batch"] = list(L.qr(inp["batchTall"]))
w, v = L.eigh(inp["H4"]); out["eigh"] = [w, v]
w, v = L.eigh(inp["Hb"]); out["eighb"] = [w, v]
w, v = L.eigh(inp["N4"]); out["eigh_lower"] = [w, v]
w, v = L.eigh(inp["N4"], UPLO="U"); out["eigh_upper"] = [w, v]
for name in ["tall", "wide", "sq"]:
    u, s, vh = L.svd(inp[name], full_matrices=False); out["svd_" + name] = [u, s, vh]
u, s, vh = L.svd(inp["batchTall"], full_matrices=False); out["svd_b"] = [u, s, vh]
out["svdvals"] = L.svd(inp["tall"], compute_uv=False)
w, v = L.eig(inp["G4"]); out["eig"] = [w, v]
w, v = L.eig(inp["R3"]); out["eig_real"] = [w, v]
w, v = L.eig(inp["Gb"]); out["eig_b"] = [w, v]
`,
    { S4, Sb, tall, wide, sq, batchTall, H4, Hb, N4, G4, R3, Gb },
  );

  it("cholesky", () => {
    close(linalg.cholesky(S4), ref.chol);
    close(linalg.cholesky(Sb), ref.cholb);
    close(linalg.cholesky(S4, { upper: true }), ref.cholu);
  });

  it("qr: reduced (tall, wide, square, batched), complete, r — same signs as LAPACK", () => {
    for (const [x, r] of [[tall, ref.qr_tall], [wide, ref.qr_wide], [sq, ref.qr_sq], [batchTall, ref.qr_batch]] as [NDArray, NDArray[]][]) {
      const [Q, R] = linalg.qr(x);
      close(Q, r[0]);
      close(R, r[1]);
    }
    const [Qc, Rc] = linalg.qr(tall, "complete");
    expect(Qc.shape).toEqual([5, 5]);
    close(Rc, ref.qr_complete[1]);
    close(np.abs(Qc), np.abs(ref.qr_complete[0])); // the completion's signs may differ
    orthonormal(Qc);
    close(linalg.qr(tall, { mode: "r" }), ref.qr_r);
  });

  it("eigh: eigenvalues equal, eigenvectors equal up to sign; lower/upper triangle semantics", () => {
    for (const [x, r] of [[H4, ref.eigh], [Hb, ref.eighb], [N4, ref.eigh_lower]] as [NDArray, NDArray[]][]) {
      const [w, V] = linalg.eigh(x);
      close(w, r[0]);
      close(np.abs(V), np.abs(r[1]));
    }
    const [wu, Vu] = linalg.eigh(N4, "U");
    close(wu, ref.eigh_upper[0]);
    close(np.abs(Vu), np.abs(ref.eigh_upper[1]));
    close(linalg.eigvalsh(N4, { UPLO: "U" }), ref.eigh_upper[0]);
  });

  it("svd: singular values equal, singular vectors equal up to sign pairs", () => {
    for (const [x, r] of [[tall, ref.svd_tall], [wide, ref.svd_wide], [sq, ref.svd_sq], [batchTall, ref.svd_b]] as [NDArray, NDArray[]][]) {
      const [U, s, Vh] = linalg.svd(x, false);
      close(s, r[1]);
      close(np.abs(U), np.abs(r[0]));
      close(np.abs(Vh), np.abs(r[2]));
      // u_i v_iᵀ is sign-free: compare U diag(s) Vh term by term through U·Vh
      close(np.matmul(U, Vh), np.matmul(r[0], r[2]));
    }
    close(linalg.svd(tall, { compute_uv: false }), ref.svdvals);
    close(linalg.svdvals(tall), ref.svdvals);
  });

  it("eig: eigenvalues equal as sets, eigenvectors equal up to phase", () => {
    for (const [x, r] of [[G4, ref.eig], [R3, ref.eig_real]] as [NDArray, NDArray[]][]) {
      const [w, V] = linalg.eig(x);
      expect(w.dtype).toBe(r[0].dtype === "complex128" ? "complex128" : "float64");
      close(sortComplex(np.astype(w, "complex128")), sortComplex(np.astype(r[0], "complex128")));
      // match each eigenvalue to numpy's and compare |v| (phase-free)
      const wl = np.astype(w, "complex128").tolist(), rl = np.astype(r[0], "complex128").tolist();
      wl.forEach((z: any, j: number) => {
        const k = rl.findIndex((q: any) => Math.hypot(q.re - z.re, q.im - z.im) < 1e-9);
        close(np.abs(np.index(V, ":", j)), np.abs(np.index(r[1], ":", k)), 1e-9);
      });
    }
    const [wb] = linalg.eig(Gb);
    for (let b = 0; b < 2; b++) close(sortComplex(np.index(np.astype(wb, "complex128"), b)), sortComplex(np.index(np.astype(ref.eig_b[0], "complex128"), b)));
  });
});

describe("properties", () => {
  it("cholesky: L·Lᵀ = A, lower triangular, batched", () => {
    const L = linalg.cholesky(Sb);
    close(np.matmul(L, mT(L)), Sb, 1e-12);
    close(np.multiply(np.index(L, 0), triMask(3, (i, j) => j > i)), np.zeros([3, 3]));
  });

  it("qr: Q·R = A with orthonormal Q for every mode and shape", () => {
    for (const x of [tall, wide, sq, batchTall]) {
      const [Q, R] = linalg.qr(x);
      close(np.matmul(Q, R), x, 1e-12);
      orthonormal(Q);
    }
    const [Qc, Rc] = linalg.qr(tall, "complete");
    close(np.matmul(Qc, Rc), tall, 1e-12);
    expect(Rc.shape).toEqual([5, 3]);
  });

  it("eigh: V·diag(w)·Vᵀ = A, ascending, orthonormal", () => {
    const [w, V] = linalg.eigh(Hb);
    close(np.matmul(np.multiply(V, np.expand_dims(w, -2)), mT(V)), Hb, 1e-12);
    orthonormal(V);
    const wl = np.index(w, 0).tolist() as number[];
    expect(wl.slice().sort((a, b) => a - b)).toEqual(wl);
  });

  it("svd: full matrices, reconstruction, descending values", () => {
    for (const x of [tall, wide]) {
      const [U, s, Vh] = linalg.svd(x);
      const [m, n] = x.shape;
      expect(U.shape).toEqual([m, m]);
      expect(Vh.shape).toEqual([n, n]);
      orthonormal(U);
      orthonormal(mT(Vh));
      const k = Math.min(m, n);
      close(np.matmul(np.multiply(np.index(U, ":", `0:${k}`), s), np.index(Vh, `0:${k}`)), x, 1e-12);
    }
    // rank deficient: zero singular values, still orthonormal U
    const r1 = np.outer([1, 2, 3, 4], [1, -1, 2]);
    const [U, s] = linalg.svd(r1, false);
    orthonormal(U);
    expect((s.tolist() as number[])[1]).toBeLessThan(1e-14);
    close(linalg.svdvals(np.zeros([3, 2])), [0, 0]);
  });

  it("eig: A·V = V·diag(w), unit eigenvectors, real dtype for real spectra", () => {
    for (const x of [G4, R3, Gb]) {
      const [w, V] = linalg.eig(x);
      close(np.matmul(np.astype(x, V.dtype), V), np.multiply(V, np.expand_dims(w, -2)), 1e-12);
      close(np.sum(np.square(np.abs(V)), -2), np.ones(w.shape), 1e-12);
    }
    expect(linalg.eig(R3)[0].dtype).toBe("float64");
    expect(linalg.eig(G4)[0].dtype).toBe("complex128");
    expect(linalg.eigvals(G4).dtype).toBe("complex128");
    // rotation: ±i
    close(sortComplex(linalg.eigvals([[0, -1], [1, 0]])), np.complex(np.array([0, 0]), np.array([-1, 1])), 1e-14);
  });
});

describe("gradients (checkGrads, fwd and rev, order 2)", () => {
  it("cholesky: directly on SPD input (derivatives of numpy's lower-triangle function), batched, and through X·Xᵀ", () => {
    check2((a: NDArray) => linalg.cholesky(a), S4);
    check2((a: NDArray) => linalg.cholesky(a), Sb);
    check2((x: NDArray) => linalg.cholesky(np.add(np.matmul(x, mT(x)), np.eye(3))), randn(20, 3, 3));
    check2((a: NDArray) => linalg.cholesky(a, { upper: true }), S4);
  });

  it("qr: Q and R for tall, square, wide and batched input", () => {
    for (const x of [tall, np.add(sq, np.multiply(np.eye(4), 3)), wide, batchTall]) {
      check2((a: NDArray) => linalg.qr(a)[0], x);
      check2((a: NDArray) => linalg.qr(a)[1], x);
    }
  });

  it("eigh: eigenvalues and eigenvectors (signs are fixed, so V itself is smooth), UPLO, batches", () => {
    check2((a: NDArray) => linalg.eigh(a)[0], H4);
    check2((a: NDArray) => linalg.eigh(a)[1], H4);
    check2((a: NDArray) => linalg.eigh(a)[1], Hb);
    check2((a: NDArray) => linalg.eigh(a, "U")[1], H4);
    check2((a: NDArray) => linalg.eigh(a)[1], N4); // non-symmetric input: its lower triangle
    // a sign-invariant function of the eigenvectors
    check2((a: NDArray) => {
      const [w, V] = linalg.eigh(a);
      return np.matmul(np.multiply(V, np.expand_dims(np.exp(w), -2)), mT(V));
    }, H4);
    check2((a: NDArray) => linalg.eigvalsh(a), Hb);
  });

  it("svd: U, s, Vh of tall, wide, square and batched input; square full_matrices", () => {
    for (const x of [tall, wide, sq, batchTall]) {
      for (let i = 0; i < 3; i++) check2((a: NDArray) => linalg.svd(a, false)[i], x);
    }
    check2((a: NDArray) => linalg.svd(a)[0], sq);
    check2((a: NDArray) => linalg.svdvals(a), wide);
    // sum of u_i v_iᵀ products (sign-invariant)
    check2((a: NDArray) => {
      const [U, , Vh] = linalg.svd(a, false);
      return np.matmul(U, Vh);
    }, tall);
  });

  it("eig: eigenvalues and eigenvectors, real and complex spectra, batched", () => {
    for (const x of [G4, R3]) {
      check2((a: NDArray) => np.real(linalg.eig(a)[0]), x);
      check2((a: NDArray) => np.imag(linalg.eig(a)[0]), x);
      check2((a: NDArray) => np.real(linalg.eig(a)[1]), x);
      check2((a: NDArray) => np.imag(linalg.eig(a)[1]), x);
    }
    check1((a: NDArray) => np.abs(linalg.eig(a)[1]), Gb);
    check1((a: NDArray) => np.real(linalg.eigvals(a)), Gb);
  });
});

describe("closed forms", () => {
  it("d logdet via cholesky = A⁻¹ folded onto the lower triangle (cholesky reads only the lower triangle, as numpy)", () => {
    const f = (a: NDArray) => np.multiply(2, np.sum(np.log(linalg.diagonal(linalg.cholesky(a)))));
    const Ainv = linalg.inv(S4);
    close(grad(f)(S4), np.add(np.multiply(Ainv, np.eye(4)), np.multiply(np.multiply(Ainv, triMask(4, (i, j) => j < i)), 2)), 1e-10);
  });

  it("eigh: d sum(w) = I; d w_max = v vᵀ folded onto the lower triangle; finite at repeated eigenvalues", () => {
    close(grad((a: NDArray) => np.sum(linalg.eigvalsh(a)))(H4), np.eye(4), 1e-12);
    close(grad((a: NDArray) => np.sum(linalg.eigvalsh(a)))(np.eye(3)), np.eye(3), 1e-12);
    const [, V] = linalg.eigh(H4);
    const v = np.index(V, ":", 3);
    const G = np.outer(v, v);
    close(grad((a: NDArray) => np.index(linalg.eigvalsh(a), 3))(H4), np.add(np.multiply(G, np.eye(4)), np.multiply(np.multiply(G, triMask(4, (i, j) => j < i)), 2)), 1e-10);
  });

  it("svd: d sum(s) = U·Vᵀ (nuclear norm), d s_max = u₁ v₁ᵀ", () => {
    const [U, , Vh] = linalg.svd(tall, false);
    close(grad((a: NDArray) => np.sum(linalg.svdvals(a)))(tall), np.matmul(U, Vh), 1e-10);
    close(grad((a: NDArray) => np.index(linalg.svdvals(a), 0))(tall), np.outer(np.index(U, ":", 0), np.index(Vh, 0)), 1e-10);
  });

  it("eig: d Re λ_k = Re(u_k v_kᵀ) with u_k the k-th row of V⁻¹; d sum(w) = I", () => {
    const [w, V] = linalg.eig(G4);
    const Vinv = linalg.inv(V);
    for (let k = 0; k < 4; k++) {
      const g = grad((a: NDArray) => np.real(np.index(linalg.eigvals(a), k)))(G4);
      close(g, np.real(np.outer(np.index(Vinv, k), np.index(V, ":", k))), 1e-9);
    }
    close(grad((a: NDArray) => np.real(np.sum(linalg.eigvals(a))))(G4), np.eye(4), 1e-10);
    // eigenvalue-only use stays finite at repeated eigenvalues
    close(grad((a: NDArray) => np.sum(linalg.eigvals(a)))(np.eye(3)), np.eye(3), 1e-12);
    expect(w.shape).toEqual([4]);
  });
});

describe("errors", () => {
  it("cholesky", () => {
    expect(() => linalg.cholesky([[1, 2], [2, 1]])).toThrow(LinAlgError);
    expect(() => linalg.cholesky([[1, 2], [2, 1]])).toThrow("np.linalg.cholesky: Matrix is not positive definite");
    expect(() => linalg.cholesky([[1, 2, 3]])).toThrow("np.linalg.cholesky: Last 2 dimensions of the array must be square, got shape (1, 3)");
    expect(() => linalg.cholesky(S4, { lower: true } as any)).toThrow(TypeError);
  });

  it("qr modes and non-unique derivatives", () => {
    expect(() => linalg.qr(tall, "raw")).toThrow(ValueError);
    expect(() => linalg.qr(tall, "economic" as any)).toThrow("Unrecognized mode");
    expect(() => grad((a: NDArray) => np.sum(linalg.qr(a, "complete")[0]))(tall)).toThrow(GradientError);
    // complete == reduced when M <= N: differentiable
    check1((a: NDArray) => linalg.qr(a, "complete")[0], wide);
  });

  it("svd full_matrices with M != N is not differentiable in U/Vh", () => {
    expect(() => grad((a: NDArray) => np.sum(linalg.svd(a)[0]))(tall)).toThrow(GradientError);
    expect(() => grad((a: NDArray) => np.sum(linalg.svd(a)[0]))(tall)).toThrow("full_matrices");
  });

  it("bad inputs", () => {
    const c = np.complex(np.eye(2), np.eye(2));
    for (const f of [linalg.cholesky, linalg.qr, linalg.eigh, linalg.svd, linalg.eig] as ((x: any) => any)[]) {
      expect(() => f(c)).toThrow(TypeError);
      expect(() => f([1, 2, 3])).toThrow(LinAlgError);
    }
    expect(() => linalg.eigh([[1, 2], [3, 4], [5, 6]])).toThrow(LinAlgError);
    expect(() => linalg.eig([[1, 2, 3], [4, 5, 6]])).toThrow("Last 2 dimensions of the array must be square");
    expect(() => linalg.eigh(H4, "X" as any)).toThrow(ValueError);
    expect(() => linalg.svd([[NaN, 1], [1, 1]])).toThrow("SVD did not converge");
    expect(() => linalg.eig([[Infinity, 1], [1, 1]])).toThrow(LinAlgError);
    expect(() => linalg.eig([[NaN, 1], [1, 1]])).toThrow("np.linalg.eig: Array must not contain infs or NaNs");
  });
});
