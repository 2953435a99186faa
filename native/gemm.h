// The addon's own double-precision matrix product (gemm_avx512.c), used by blas.c where it beats OpenBLAS's kernel.
#ifndef GRADLAB_GEMM_H
#define GRADLAB_GEMM_H
#include <stdbool.h>
#include <stdint.h>

/** C[m×n] (row stride ldc) = op(A)·op(B), row-major operands, op = transpose when ta / tb; m, n, k > 0.
 *  Only on a CPU with AVX-512F: gemm_avx512.c is compiled for it, so the caller checks (blas.c). False when its
 *  packing buffers could not be allocated: C is then incomplete and the caller computes it another way. */
bool gemm_avx512(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double *a, int64_t lda, const double *b,
                 int64_t ldb, double *c, int64_t ldc);
#endif
