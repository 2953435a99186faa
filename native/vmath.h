// Elementwise kernels shared by math.c (the dispatch) and math_simd.c (glibc libmvec's AVX2 and AVX-512 variants,
// called only after __builtin_cpu_supports says the CPU has the instructions).
#ifndef GRADLAB_VMATH_H
#define GRADLAB_VMATH_H
#include <stddef.h>

typedef void (*unary_loop)(const double *x, double *out, size_t n);
/** mode 0: a, b both length n; 1: b scalar (b[0]); 2: a scalar (a[0]). */
typedef void (*binary_loop)(const double *a, const double *b, double *out, size_t n, int mode);

/** JavaScript's Math.pow where it differs from C's pow: a NaN exponent, and (±1)^±Infinity, give NaN. */
static inline int js_pow_is_nan(double a, double b) {
  return b != b || ((b == __builtin_inf() || b == -__builtin_inf()) && (a == 1 || a == -1));
}

#if defined(__x86_64__)
#define SIMD_DECLS(p) \
  void p##exp(const double *, double *, size_t); void p##log(const double *, double *, size_t); \
  void p##tanh(const double *, double *, size_t); void p##log1p(const double *, double *, size_t); \
  void p##expm1(const double *, double *, size_t); void p##sin(const double *, double *, size_t); \
  void p##cos(const double *, double *, size_t); void p##sigmoid(const double *, double *, size_t); \
  void p##power(const double *, const double *, double *, size_t, int);
SIMD_DECLS(avx2_)
SIMD_DECLS(avx512_)
#endif
#endif
