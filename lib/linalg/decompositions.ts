// Decompositions: cholesky, qr, eigh/eigvalsh, svd/svdvals, eig/eigvals, and the internal triangular solve their
// rules use. Real input only (complex input throws a TypeError naming the function), batched over leading axes.
//
// Multiple outputs. The tracer differentiates functions with one NDArray output, so each decomposition is ONE
// primitive whose output packs all results along the second-to-last axis, and the public function unpacks them
// with differentiable slicing (np.index):
//   eigh  (..., n, n) → (..., 1 + n, n)        row 0 = w, rows 1.. = V
//   svd   (..., m, n) → (..., m + 1 + n, k)    rows 0..m-1 = U, row m = s, rows m+1.. = V = Vhᵀ (k = min(m, n))
//   qr    (..., m, n) → (..., m + n, n)        rows 0..m-1 = Q, rows m.. = R (m >= n; m < n is a composite)
//   eig   (..., n, n) → (..., 1 + n, n)        row 0 = w, rows 1.. = V (complex128 when the spectrum is)
// We chose packing over separate primitives sharing a cached decomposition because a packed primitive needs no
// cache invalidation, computes the decomposition once per trace level, and its rules see every output's
// cotangent at once: the formulas (autograd's) couple them, e.g. the SVD's VJP mixes gU, gs and gV. Slicing
// costs one copy per output. Unused outputs get zero cotangents; rules skip terms whose cotangents are exactly
// zero (as autograd does), so eigenvalue-only uses stay finite at repeated eigenvalues.
//
// Conventions that differ from LAPACK's arbitrary choices: eigenvectors (eigh, eig) and singular vectors (svd,
// u_j with v_j) are signed so that each vector's entry of largest magnitude is positive (complex eigenvectors:
// real and positive), which makes them smooth functions of the input locally, so their derivatives are defined.
//
// Symmetric inputs. eigh reads only the lower triangle (numpy's UPLO='L') and its derivatives are those of that
// function: autograd's formula, which returns gradients supported on the lower triangle (off-diagonal entries
// count twice). cholesky likewise reads only the lower triangle, as numpy does (cholesky([[2, 5], [0, 2]]) is √2·I;
// upper: true reads the upper triangle, numpy 2's UPLO='U'), and its derivatives are those of that function:
// the VJP is supported on the lower triangle (strictly-lower entries get Ḡᵢⱼ + Ḡⱼᵢ of the symmetric cotangent
// Ḡ), the JVP sees the symmetric matrix the lower triangle of the tangent defines. autograd instead returns the
// symmetric gradient (Ḡ + Ḡᵀ)/2, the gradient of A ↦ cholesky((A + Aᵀ)/2), which is not the function numpy
// computes on non-symmetric input; along symmetric directions (the usual case: A = XXᵀ + εI) both give the
// same directional derivatives, and finite differences on any entry agree with ours.
import { isComplex } from "../array/dtype";
import { type ArrayLike, NDArray } from "../array/ndarray";
import { GradientError, LinAlgError, ValueError } from "../array/errors";
import { broadcastShapes, shapeSize } from "../array/shape";
import { makeVjp } from "../core/operators";
import { definePrimitive, getValue } from "../core/tracer";
import { options } from "../numpy/args";
import { conj, real, unbroadcast } from "../numpy/basis";
import { add, divide, multiply, subtract } from "../numpy/binary";
import { complex, imag } from "../numpy/complexParts";
import { matmul } from "../numpy/contractions";
import { zeros_like } from "../numpy/creation";
import { negative, reciprocal, square } from "../numpy/elementwise";
import { index } from "../numpy/indexing";
import { concatenate } from "../numpy/join";
import { sum } from "../numpy/reductions";
import { expand_dims } from "../numpy/shape";
import { choleskyLower } from "./kernels/cholesky";
import { realEig } from "./kernels/eig";
import { symEig } from "./kernels/eigh";
import { householderQR } from "./kernels/qr";
import { fixColumnSigns } from "./kernels/shared";
import { svdJacobi } from "./kernels/svd";
import { triSolve } from "./kernels/triangular";
import { solvePrim } from "./lu";
import {
  batchIndex, batchOf, blockOf, copyData, diagEmbed, diagPart, eyeN, guard, isZero, mT, matrixArg, offDiag, phi, realData,
  restore, rowOf, rowsOf, scaleCols, scaleRows, tril, triu,
} from "./util";

const mm = matmul;
const stackRows = (parts: NDArray[]) => concatenate(parts, { axis: -2 });

// ---- triangular solve (internal) ------------------------------------------------------------------------------------

function triSolveImpl(t: NDArray, b: NDArray, lower: boolean): NDArray {
  const n = t.shape[t.ndim - 1], k = b.shape[b.ndim - 1];
  const batchT = t.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchT, batchB, "solve_triangular");
  const it = batchIndex(batchT, batch), ib = batchIndex(batchB, batch);
  const nb = shapeSize(batch);
  const T = realData(t), B = realData(b);
  const out = new Float64Array(nb * n * k);
  for (let i = 0; i < nb; i++) {
    out.set(B.subarray(ib[i] * n * k, (ib[i] + 1) * n * k), i * n * k);
    triSolve(T, it[i] * n * n, n, lower, out, i * n * k, k);
  }
  return new NDArray(out, [...batch, n, k], "float64");
}

/** X = T⁻¹B for triangular T (only its lower or upper triangle is read). */
const triSolvePrim = definePrimitive("solve_triangular", {
  impl: triSolveImpl,
  argNames: ["a", "b"],
  vjp: [
    (g, ans, t: NDArray, _b, lower: boolean) => {
      const gB = triSolvePrim(mT(t), g, !lower);
      const gT = negative(matmul(gB, mT(ans)));
      return unbroadcast(lower ? tril(gT) : triu(gT), t);
    },
    (g, _ans, t: NDArray, b: NDArray, lower: boolean) => unbroadcast(triSolvePrim(mT(t), g, !lower), b),
  ],
  jvp: [
    (dt, ans, t: NDArray, _b, lower: boolean) => negative(triSolvePrim(t, matmul(lower ? tril(dt) : triu(dt), ans), lower)),
    (db, _ans, t: NDArray, _b, lower: boolean) => triSolvePrim(t, db, lower),
  ],
});

/** L⁻¹B for lower-triangular L. */
const solveLower = (l: NDArray, b: NDArray) => triSolvePrim(l, b, true);
/** U⁻¹B for upper-triangular U. */
const solveUpper = (u: NDArray, b: NDArray) => triSolvePrim(u, b, false);

// ---- cholesky -----------------------------------------------------------------------------------------------------

function choleskyImpl(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  // the symmetric matrix the lower triangle defines (numpy reads only the lower triangle)
  const a = copyData(x);
  for (let t = 0; t < nb; t++) {
    const o = t * n * n;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[o + i * n + j] = a[o + j * n + i];
  }
  const out = new Float64Array(nb * n * n);
  for (let t = 0; t < nb; t++) {
    if (!choleskyLower(a, t * n * n, n, out, t * n * n)) {
      throw new LinAlgError("np.linalg.cholesky: Matrix is not positive definite");
    }
  }
  return new NDArray(out, x.shape.slice(), "float64");
}

const choleskyPrim = definePrimitive("cholesky", {
  impl: choleskyImpl,
  argNames: ["a"],
  // Murray (arXiv:1602.07527), as autograd: S = L⁻ᵀ Φ(Lᵀ G) L⁻¹, symmetric cotangent Ḡ = (S + Sᵀ)/2; then onto
  // the lower triangle that is read: tril(Ḡ) + tril(Ḡᵀ, -1) = S + Sᵀ below the diagonal, Ḡ on it
  vjp: [(g, L) => {
    const P = phi(mm(mT(L), g));
    const Y = solveUpper(mT(L), P); // L⁻ᵀ P
    const S = mT(solveUpper(mT(L), mT(Y))); // L⁻ᵀ P L⁻¹
    return phi(add(S, mT(S)));
  }],
  // dL = L Φ(L⁻¹ dS L⁻ᵀ) with dS the symmetric matrix defined by the tangent's lower triangle
  jvp: [(t, L) => {
    const dS = add(tril(t), mT(tril(t, -1)));
    const Y = solveLower(L, dS); // L⁻¹ dS
    const Z = mT(solveLower(L, mT(Y))); // L⁻¹ dS L⁻ᵀ
    return mm(L, phi(Z));
  }],
});

/**
 * np.linalg.cholesky(a, { upper? }): the lower-triangular L with a = L·Lᵀ (Lᵀ with upper: true). LinAlgError
 * "Matrix is not positive definite" otherwise. Reads only the lower triangle of a (the upper one with upper: true),
 * as numpy does; see the header for the derivatives.
 */
export function cholesky(a: ArrayLike, opts?: { upper?: boolean }): NDArray {
  const where = "np.linalg.cholesky";
  const o = options(where, opts, ["upper"]);
  const { x, dtype } = matrixArg(a, where, { square: true, real: true });
  // upper: the upper triangle is read, and U = cholesky_lower(aᵀ)ᵀ
  const L = choleskyPrim(o.upper ? mT(x) : x);
  return restore(o.upper ? mT(L) : L, dtype);
}

// ---- QR -------------------------------------------------------------------------------------------------------------

function qrImpl(x: NDArray, complete: boolean): NDArray {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const a = realData(x);
  const batch = x.shape.slice(0, -2);
  if (!complete) {
    // m >= n: Q (m×n) over R (n×n)
    const out = new Float64Array(nb * (m + n) * n);
    for (let t = 0; t < nb; t++) {
      const { q, r } = householderQR(a, t * m * n, m, n, false);
      out.set(q, t * (m + n) * n);
      out.set(r, t * (m + n) * n + m * n);
    }
    return new NDArray(out, [...batch, m + n, n], "float64");
  }
  // complete with m > n: Q (m×m) over R (m×n, padded to m columns)
  const out = new Float64Array(nb * 2 * m * m);
  for (let t = 0; t < nb; t++) {
    const { q, r } = householderQR(a, t * m * n, m, n, true);
    const o = t * 2 * m * m;
    out.set(q, o);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[o + m * m + i * m + j] = r[i * n + j];
  }
  return new NDArray(out, [...batch, 2 * m, m], "float64");
}

// Rules for m >= n, reduced (the only case where Q and R are unique functions of A).
const qrPrim = definePrimitive("qr", {
  impl: (x: NDArray) => qrImpl(x, false),
  argNames: ["a"],
  // Ā = (gQ + Q·copyltu(M))·R⁻ᵀ with M = R·gRᵀ − gQᵀ·Q (Walter & Lehmann; Seeger et al.; autograd)
  vjp: [(g, ans, x: NDArray) => {
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
    const Q = rowsOf(ans, 0, m), R = rowsOf(ans, m, m + n);
    const gQ = rowsOf(g, 0, m), gR = rowsOf(g, m, m + n);
    const M = subtract(mm(R, mT(gR)), mm(mT(gQ), Q));
    const copyltu = add(tril(M), mT(tril(M, -1)));
    const B = add(gQ, mm(Q, copyltu));
    return mT(solveUpper(R, mT(B)));
  }],
  // JAX's qr_jvp_rule: C = Qᵀ dA R⁻¹, Ω = tril(C, −1) − tril(C, −1)ᵀ, dQ = Q(Ω − C) + dA R⁻¹, dR = (C − Ω) R
  jvp: [(t, ans, x: NDArray) => {
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
    const Q = rowsOf(ans, 0, m), R = rowsOf(ans, m, m + n);
    const dARinv = mT(solveLower(mT(R), mT(t)));
    const C = mm(mT(Q), dARinv);
    const low = tril(C, -1);
    const omega = subtract(low, mT(low));
    const dQ = add(mm(Q, subtract(omega, C)), dARinv);
    const dR = mm(subtract(C, omega), R);
    return stackRows([dQ, dR]);
  }],
});

const notUnique = (what: string) => () => {
  throw new GradientError(
    `${what}: the derivative is not defined because the extra orthonormal columns are not unique; ` +
      `use the reduced decomposition (mode="reduced" for qr, full_matrices: false for svd) when differentiating`,
  );
};

const qrCompletePrim = definePrimitive("qr_complete", {
  impl: (x: NDArray) => qrImpl(x, true),
  argNames: ["a"],
  vjp: [notUnique("np.linalg.qr(mode='complete') with M > N")],
  jvp: [notUnique("np.linalg.qr(mode='complete') with M > N")],
});

type QRMode = "reduced" | "complete" | "r" | "raw";

/**
 * np.linalg.qr(a, mode = "reduced"): [Q, R] with Q orthonormal columns and R upper triangular (Householder,
 * LAPACK's sign convention). mode "complete" gives square Q; "r" gives R alone. Differentiable except for
 * "complete" with M > N (Q's extra columns are not unique).
 */
export function qr(a: ArrayLike, mode: QRMode | { mode?: QRMode } = "reduced"): any {
  const where = "np.linalg.qr";
  const md = typeof mode === "string" ? mode : options(where, mode, ["mode"]).mode ?? "reduced";
  if (md === "raw") throw new ValueError(`${where}: mode 'raw' (LAPACK's Householder reflectors) is not supported; use 'reduced', 'complete' or 'r'`);
  if (md !== "reduced" && md !== "complete" && md !== "r") {
    throw new ValueError(`${where}: Unrecognized mode '${String(md)}'; expected 'reduced', 'complete' or 'r'`);
  }
  const { x, dtype, m, n } = matrixArg(a, where, { real: true });
  let Q: NDArray, R: NDArray;
  if (m >= n && !(md === "complete" && m > n)) {
    const packed = qrPrim(x);
    Q = rowsOf(packed, 0, m);
    R = rowsOf(packed, m, m + n);
  } else if (m > n) {
    const packed = qrCompletePrim(x);
    Q = rowsOf(packed, 0, m);
    R = blockOf(packed, m, 2 * m, 0, n);
  } else {
    // m < n: A = [X Y] with X square; X = Q R₁ and R = [R₁  QᵀY] (the same reflectors as Householder on A)
    const X = index(x, "...", ":", `0:${m}`), Y = index(x, "...", ":", `${m}:`);
    const packed = qrPrim(X);
    Q = rowsOf(packed, 0, m);
    R = concatenate([rowsOf(packed, m, 2 * m), mm(mT(Q), Y)], { axis: -1 });
  }
  if (md === "r") return restore(R, dtype);
  return [restore(Q, dtype), restore(R, dtype)];
}

// ---- eigh -----------------------------------------------------------------------------------------------------------

function eighImpl(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const a = realData(x);
  const out = new Float64Array(nb * (n + 1) * n);
  guard("np.linalg.eigh", () => {
    for (let t = 0; t < nb; t++) {
      const { w, v } = symEig(a, t * n * n, n);
      fixColumnSigns(v, n, n, n);
      out.set(w, t * (n + 1) * n);
      out.set(v, t * (n + 1) * n + n);
    }
  });
  return new NDArray(out, [...x.shape.slice(0, -2), n + 1, n], "float64");
}

/** F_ij = 1/(w_j − w_i) off the diagonal, 0 on it. */
function gapMatrix(w: NDArray): NDArray {
  const n = w.shape[w.ndim - 1];
  const diff = subtract(expand_dims(w, -2), expand_dims(w, -1));
  return divide(offDiag(n), add(diff, eyeN(n)));
}

const eighPrim = definePrimitive("eigh", {
  impl: eighImpl,
  argNames: ["a"],
  // autograd's grad_eigh: G = V diag(gw) Vᵀ + V (F ∘ Vᵀ gV) Vᵀ, folded onto the lower triangle that was read
  vjp: [(g, ans, x: NDArray) => {
    const n = x.shape[x.ndim - 1];
    const w = rowOf(ans, 0), V = rowsOf(ans, 1, n + 1);
    const gw = rowOf(g, 0), gV = rowsOf(g, 1, n + 1);
    let G = mm(scaleCols(V, gw), mT(V));
    if (!isZero(gV)) G = add(G, mm(mm(V, multiply(gapMatrix(w), mm(mT(V), gV))), mT(V)));
    return add(multiply(G, eyeN(n)), tril(add(G, mT(G)), -1));
  }],
  // dS = the symmetric matrix built from dA's lower triangle; dw = diag(Vᵀ dS V), dV = V (F ∘ Vᵀ dS V)
  jvp: [(t, ans, x: NDArray) => {
    const n = x.shape[x.ndim - 1];
    const w = rowOf(ans, 0), V = rowsOf(ans, 1, n + 1);
    const dS = add(tril(t), mT(tril(t, -1)));
    const M = mm(mm(mT(V), dS), V);
    const dw = diagPart(M);
    const dV = mm(V, multiply(gapMatrix(w), M));
    return stackRows([expand_dims(dw, -2), dV]);
  }],
});

function uplo(where: string, arg: "L" | "U" | { UPLO?: "L" | "U" } | undefined): "L" | "U" {
  const u = typeof arg === "string" ? arg : options(where, arg, ["UPLO"]).UPLO ?? "L";
  const U = String(u).toUpperCase();
  if (U !== "L" && U !== "U") throw new ValueError(`${where}: UPLO argument must be 'L' or 'U', got ${JSON.stringify(u)}`);
  return U;
}

/**
 * np.linalg.eigh(a, UPLO = "L"): [w, V] for symmetric a, eigenvalues ascending, eigenvectors in the columns of V.
 * Only the lower (UPLO "L") or upper ("U") triangle is read, as in numpy: a non-symmetric input is not an error,
 * its other triangle is ignored (and gets zero gradient).
 */
export function eigh(a: ArrayLike, UPLO: "L" | "U" | { UPLO?: "L" | "U" } = "L"): [NDArray, NDArray] {
  const where = "np.linalg.eigh";
  const u = uplo(where, UPLO);
  const { x, dtype, n } = matrixArg(a, where, { square: true, real: true });
  const packed = eighPrim(u === "L" ? x : mT(x));
  return [restore(rowOf(packed, 0), dtype), restore(rowsOf(packed, 1, n + 1), dtype)];
}

/** np.linalg.eigvalsh(a, UPLO = "L"): the eigenvalues of eigh, ascending. */
export function eigvalsh(a: ArrayLike, UPLO: "L" | "U" | { UPLO?: "L" | "U" } = "L"): NDArray {
  const where = "np.linalg.eigvalsh";
  const u = uplo(where, UPLO);
  const { x, dtype } = matrixArg(a, where, { square: true, real: true });
  return restore(rowOf(eighPrim(u === "L" ? x : mT(x)), 0), dtype);
}

// ---- SVD ------------------------------------------------------------------------------------------------------------

function svdImpl(x: NDArray, full: boolean): NDArray {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const k = Math.min(m, n);
  const nb = batchOf(x.shape);
  const a = realData(x);
  const width = full ? Math.max(m, n) : k;
  const rows = m + 1 + n;
  const out = new Float64Array(nb * rows * width);
  guard("np.linalg.svd", () => {
    for (let t = 0; t < nb; t++) {
      const { u, s, v, ku, kv } = svdJacobi(a, t * m * n, m, n, full);
      const o = t * rows * width;
      for (let i = 0; i < m; i++) for (let j = 0; j < ku; j++) out[o + i * width + j] = u[i * ku + j];
      for (let j = 0; j < k; j++) out[o + m * width + j] = s[j];
      for (let i = 0; i < n; i++) for (let j = 0; j < kv; j++) out[o + (m + 1 + i) * width + j] = v[i * kv + j];
    }
  });
  return new NDArray(out, [...x.shape.slice(0, -2), rows, width], "float64");
}

const svdPrim = definePrimitive("svd", {
  impl: (x: NDArray) => svdImpl(x, false),
  argNames: ["a"],
  // autograd's grad_svd (reduced, real; j-towns.github.io/papers/svd-derivative.pdf)
  vjp: [(g, ans, x: NDArray) => {
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
    const k = Math.min(m, n);
    const U = rowsOf(ans, 0, m), s = rowOf(ans, m), V = rowsOf(ans, m + 1, m + 1 + n);
    const gU = rowsOf(g, 0, m), gs = rowOf(g, m), gV = rowsOf(g, m + 1, m + 1 + n);
    const zU = isZero(gU), zV = isZero(gV);
    let t1 = diagEmbed(gs);
    if (!zU || !zV) {
      const s2 = square(s);
      const f = divide(offDiag(k), add(subtract(expand_dims(s2, -2), expand_dims(s2, -1)), eyeN(k)));
      const utgu = mm(mT(U), gU), vtgv = mm(mT(V), gV);
      t1 = add(t1, scaleCols(multiply(f, subtract(utgu, mT(utgu))), s));
      t1 = add(t1, scaleRows(multiply(f, subtract(vtgv, mT(vtgv))), s));
    }
    let res = mm(mm(U, t1), mT(V));
    if (m > n && !zU) {
      // (I − UUᵀ) gU S⁻¹ Vᵀ
      const proj = subtract(gU, mm(U, mm(mT(U), gU)));
      res = add(res, mm(proj, mT(scaleCols(V, reciprocal(s)))));
    }
    if (m < n && !zV) {
      // U S⁻¹ gVᵀ (I − VVᵀ)
      const proj = subtract(gV, mm(V, mm(mT(V), gV)));
      res = add(res, mm(scaleCols(U, reciprocal(s)), mT(proj)));
    }
    return res;
  }],
  // JAX's svd_jvp_rule (real case): dS = Uᵀ dA V, ds = diag(dS), dU = U(F ∘ (dS S + S dSᵀ)) + (I − UUᵀ) dA V S⁻¹, ...
  jvp: [(t, ans, x: NDArray) => {
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
    const k = Math.min(m, n);
    const U = rowsOf(ans, 0, m), s = rowOf(ans, m), V = rowsOf(ans, m + 1, m + 1 + n);
    const dS = mm(mm(mT(U), t), V);
    const ds = diagPart(dS);
    const s2 = square(s);
    const F = divide(offDiag(k), add(subtract(expand_dims(s2, -2), expand_dims(s2, -1)), eyeN(k)));
    const dSS = scaleCols(dS, s), SdS = scaleRows(dS, s);
    let dU = mm(U, multiply(F, add(dSS, mT(dSS))));
    let dV = mm(V, multiply(F, add(SdS, mT(SdS))));
    if (m > n) {
      const dAV = mm(t, V);
      dU = add(dU, scaleCols(subtract(dAV, mm(U, mm(mT(U), dAV))), reciprocal(s)));
    }
    if (n > m) {
      const dAtU = mm(mT(t), U);
      dV = add(dV, scaleCols(subtract(dAtU, mm(V, mm(mT(V), dAtU))), reciprocal(s)));
    }
    return stackRows([dU, expand_dims(ds, -2), dV]);
  }],
});

const svdFullPrim = definePrimitive("svd_full", {
  impl: (x: NDArray) => svdImpl(x, true),
  argNames: ["a"],
  vjp: [notUnique("np.linalg.svd(full_matrices=True) with M != N")],
  jvp: [notUnique("np.linalg.svd(full_matrices=True) with M != N")],
});

interface SvdOptions {
  full_matrices?: boolean;
  compute_uv?: boolean;
  hermitian?: boolean;
}

/**
 * np.linalg.svd(a, full_matrices = true, compute_uv = true, hermitian = false): [U, S, Vh] with a = U·diag(S)·Vh,
 * S descending; S alone when compute_uv is false. Options may also be passed as an object. Differentiable for the
 * reduced decomposition (full_matrices: false, or square a) and for S alone; with full_matrices and M != N the
 * extra singular vectors are not unique and differentiating them throws.
 */
export function svd(a: ArrayLike, full_matrices: boolean | SvdOptions = true, compute_uv = true, hermitian = false): any {
  const where = "np.linalg.svd";
  let o: SvdOptions;
  if (typeof full_matrices === "object" && full_matrices !== null) o = options(where, full_matrices, ["full_matrices", "compute_uv", "hermitian"]);
  else o = { full_matrices, compute_uv, hermitian };
  const full = o.full_matrices ?? true, uv = o.compute_uv ?? true;
  const { x, dtype, m, n } = matrixArg(a, where, { real: true });
  const k = Math.min(m, n);
  if (!uv) return restore(rowOf(svdPrim(x), m), dtype);
  if (full && m !== n) {
    const packed = svdFullPrim(x);
    const U = blockOf(packed, 0, m, 0, m);
    const S = index(packed, "...", m, `0:${k}`);
    const Vh = mT(blockOf(packed, m + 1, m + 1 + n, 0, n));
    return [restore(U, dtype), restore(S, dtype), restore(Vh, dtype)];
  }
  const packed = svdPrim(x);
  return [restore(rowsOf(packed, 0, m), dtype), restore(rowOf(packed, m), dtype), restore(mT(rowsOf(packed, m + 1, m + 1 + n)), dtype)];
}

/** np.linalg.svdvals(x): the singular values, descending (svd with compute_uv false). */
export function svdvals(x: ArrayLike): NDArray {
  return svd(x, { compute_uv: false });
}

/** Singular values for internal composites (norm, cond, lstsq): (..., m, n) float64 → (..., k). */
export const singularValues = (x: NDArray): NDArray => rowOf(svdPrim(x), x.shape[x.ndim - 2]);

/** Internal: the reduced SVD factors of a float64 stack, differentiable. */
export function svdFactors(x: NDArray): [NDArray, NDArray, NDArray] {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const p = svdPrim(x);
  return [rowsOf(p, 0, m), rowOf(p, m), rowsOf(p, m + 1, m + 1 + n)];
}

// ---- eig ------------------------------------------------------------------------------------------------------------

function eigImpl(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  const nb = batchOf(x.shape);
  const a = copyData(x);
  const parts = guard("np.linalg.eig", () => Array.from({ length: nb }, (_, t) => realEig(a, t * n * n, n)));
  const complexOut = parts.some((p) => p.wi.some((v) => v !== 0));
  const shape = [...x.shape.slice(0, -2), n + 1, n];
  const size = nb * (n + 1) * n;
  if (!complexOut) {
    const out = new Float64Array(size);
    parts.forEach((p, t) => {
      out.set(p.wr, t * (n + 1) * n);
      out.set(p.vr, t * (n + 1) * n + n);
    });
    return new NDArray(out, shape, "float64");
  }
  const out = new Float64Array(2 * size);
  parts.forEach((p, t) => {
    const o = t * (n + 1) * n;
    for (let j = 0; j < n; j++) {
      out[2 * (o + j)] = p.wr[j];
      out[2 * (o + j) + 1] = p.wi[j];
    }
    for (let i = 0; i < n * n; i++) {
      out[2 * (o + n + i)] = p.vr[i];
      out[2 * (o + n + i) + 1] = p.vi[i];
    }
  });
  return new NDArray(out, shape, "complex128");
}

/**
 * One-hot mask (constant) of each eigenvector's normalization entry: the real entry of largest magnitude, which
 * eig's forward pass made real and positive.
 */
function pivotMask(V: NDArray): NDArray {
  const v = getValue(V);
  const n = v.shape[v.ndim - 1];
  const nb = batchOf(v.shape);
  const cx = isComplex(v.dtype);
  const out = new Float64Array(nb * n * n);
  for (let t = 0; t < nb; t++) {
    for (let j = 0; j < n; j++) {
      let best = -1, bi = 0;
      for (let i = 0; i < n; i++) {
        const k = t * n * n + i * n + j;
        const re = cx ? v.data[2 * k] : v.data[k], im = cx ? v.data[2 * k + 1] : 0;
        if (im === 0 && Math.abs(re) > best) {
          best = Math.abs(re);
          bi = i;
        }
      }
      out[t * n * n + bi * n + j] = 1;
    }
  }
  return new NDArray(out, v.shape.slice(), "float64");
}

/**
 * Tangent of eig's packed output. With C = V⁻¹ dA V: dw = diag(C); dV₀ = V (F ∘ C) (arXiv:1701.00392 eq. 4.60,
 * F_ij = 1/(w_j − w_i)); then dV = dV₀ + V·diag(c) with c chosen to keep what the forward pass fixed: unit norm
 * (Re v_jᴴ dv_j = 0) and a real normalization entry p (Im dv_pj = 0).
 */
function eigJvp(t: NDArray, ans: NDArray, x: NDArray, valuesOnly = false): NDArray {
  const n = x.shape[x.ndim - 1];
  const w = rowOf(ans, 0), V = rowsOf(ans, 1, n + 1);
  const C = solvePrim(V, mm(t, V));
  const dw = diagPart(C);
  if (valuesOnly) return stackRows([expand_dims(dw, -2), zeros_like(V)]);
  const dV0 = mm(V, multiply(gapMatrix(w), C));
  let c: NDArray;
  if (!isComplex(ans.dtype)) {
    c = negative(sum(multiply(V, dV0), { axis: -2 }));
  } else {
    const P = pivotMask(V);
    const vp = real(sum(multiply(V, P), { axis: -2 }));
    const dp = sum(multiply(dV0, P), { axis: -2 });
    const nr = real(sum(multiply(conj(V), dV0), { axis: -2 }));
    c = complex(negative(nr), negative(divide(imag(dp), vp)));
  }
  return stackRows([expand_dims(dw, -2), add(dV0, scaleCols(V, c))]);
}

const eigPrim = definePrimitive("eig", {
  impl: eigImpl,
  argNames: ["a"],
  // The VJP is the transpose of the JVP (a linear map of dA), obtained by reverse-differentiating eigJvp: this keeps
  // both modes consistent with the normalization above, which autograd's closed form does not fully account for.
  vjp: [(g, ans, x: NDArray) => {
    const n = x.shape[x.ndim - 1];
    const valuesOnly = isZero(rowsOf(g, 1, n + 1));
    const [vjp] = makeVjp((dA: NDArray) => eigJvp(dA, ans, x, valuesOnly))(zeros_like(getValue(x)));
    return vjp(g);
  }],
  jvp: [(t, ans, x: NDArray) => eigJvp(t, ans, x)],
});

/**
 * np.linalg.eig(a): [w, V] with a·V = V·diag(w) for general real square a. Eigenvalues are sorted by real part,
 * then by decreasing imaginary part (numpy leaves LAPACK's order, which is arbitrary; conjugate pairs stay adjacent,
 * positive imaginary part first); w and V are complex128 when some
 * eigenvalue is complex, float64 otherwise (numpy 2's rule). Eigenvectors have unit norm, their entry of largest
 * magnitude real and positive. Derivatives need distinct eigenvalues (they divide by w_j − w_i).
 */
export function eig(a: ArrayLike): [NDArray, NDArray] {
  const { x, dtype, n } = matrixArg(a, "np.linalg.eig", { square: true, real: true });
  const packed = eigPrim(x);
  return [restore(rowOf(packed, 0), dtype), restore(rowsOf(packed, 1, n + 1), dtype)];
}

/** np.linalg.eigvals(a): the eigenvalues of eig. */
export function eigvals(a: ArrayLike): NDArray {
  const { x, dtype } = matrixArg(a, "np.linalg.eigvals", { square: true, real: true });
  return restore(rowOf(eigPrim(x), 0), dtype);
}
