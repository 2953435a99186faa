// np.linalg: numpy's linear algebra, batched over leading axes, every function differentiable in both modes
// (VJP and JVP rules written with differentiable functions, so higher derivatives work). Spread into `np` as
// `np.linalg` by lib/numpy/index.ts. Public numpy names only.
//
//   lu.ts              det, slogdet, inv, solve, tensorsolve, tensorinv, matrix_power, multi_dot
//   decompositions.ts  cholesky, qr, eigh, eigvalsh, svd, svdvals, eig, eigvals (packed multi-output primitives)
//   norms.ts           norm, vector_norm, matrix_norm, cond, matrix_rank
//   lstsq.ts           pinv, lstsq
//   products.ts        matrix_transpose, diagonal, trace, vecdot, outer, matmul, tensordot
//   kernels.ts         the numerics (LU, Cholesky, Householder QR, tridiagonal QL, one-sided Jacobi SVD, Francis QR)
export { det, slogdet, inv, solve, tensorsolve, tensorinv, matrix_power, multi_dot } from "./lu";
export { cholesky, qr, eigh, eigvalsh, svd, svdvals, eig, eigvals } from "./decompositions";
export { norm, vector_norm, matrix_norm, cond, matrix_rank } from "./norms";
export { pinv, lstsq } from "./lstsq";
export { matrix_transpose, diagonal, trace, vecdot, outer, matmul, tensordot } from "./products";
export { LinAlgError } from "../array/errors";
