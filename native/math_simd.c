// Transcendental loops on glibc's libmvec (≤ 4 ulp as glibc documents; test/native measures them against Math.*).
// Compiled twice: -mavx2 -mfma -DSIMD_W=4 (functions avx2_*) and -mavx512f -DSIMD_W=8 (avx512_*); math.c calls a
// variant only on a CPU that has its instructions.
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "vmath.h"

#if SIMD_W == 8
typedef __m512d V;
#define MV(f) _ZGVeN8v_##f
#define MV2(f) _ZGVeN8vv_##f
#define NAME(f) avx512_##f
#define LD _mm512_loadu_pd
#define ST _mm512_storeu_pd
#define SET1 _mm512_set1_pd
#define ADD _mm512_add_pd
#define SUB _mm512_sub_pd
#define DIV _mm512_div_pd
#define ABS _mm512_abs_pd
#define SELECT_GE0(x, pos, neg) \
  _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_GE_OQ), neg, pos)
#define IF_NAN(x, y, other) _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q), other, y)
#define FMA _mm512_fmadd_pd
#define MUL _mm512_mul_pd
#define MAX _mm512_max_pd
#define MIN _mm512_min_pd
typedef __m512i VI;
#define COPYSIGN(mag, sgn) AS_DBL(_mm512_or_epi64(AS_INT(mag), _mm512_and_epi64(AS_INT(sgn), SET1I(INT64_MIN))))
#define AS_INT _mm512_castpd_si512
#define AS_DBL _mm512_castsi512_pd
#define ADDI _mm512_add_epi64
#define SUBI _mm512_sub_epi64
#define SRLI _mm512_srli_epi64
#define SLLI _mm512_slli_epi64
#define SET1I _mm512_set1_epi64
#else
typedef __m256d V;
#define MV(f) _ZGVdN4v_##f
#define MV2(f) _ZGVdN4vv_##f
#define NAME(f) avx2_##f
#define LD _mm256_loadu_pd
#define ST _mm256_storeu_pd
#define SET1 _mm256_set1_pd
#define ADD _mm256_add_pd
#define SUB _mm256_sub_pd
#define DIV _mm256_div_pd
#define ABS(x) _mm256_andnot_pd(_mm256_set1_pd(-0.0), x)
#define SELECT_GE0(x, pos, neg) _mm256_blendv_pd(neg, pos, _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_GE_OQ))
#define IF_NAN(x, y, other) _mm256_blendv_pd(other, y, _mm256_cmp_pd(x, x, _CMP_UNORD_Q))
#define FMA _mm256_fmadd_pd
#define MUL _mm256_mul_pd
#define MAX _mm256_max_pd
#define MIN _mm256_min_pd
typedef __m256i VI;
#define COPYSIGN(mag, sgn) _mm256_or_pd(mag, _mm256_and_pd(sgn, _mm256_set1_pd(-0.0)))
#define AS_INT _mm256_castpd_si256
#define AS_DBL _mm256_castsi256_pd
#define ADDI _mm256_add_epi64
#define SUBI _mm256_sub_epi64
#define SRLI _mm256_srli_epi64
#define SLLI _mm256_slli_epi64
#define SET1I _mm256_set1_epi64x
#endif
#define W SIMD_W

V MV(log)(V); V MV(log1p)(V); V MV(expm1)(V); V MV(sin)(V); V MV(cos)(V);
#if SIMD_W == 4
V MV2(pow)(V, V);
#endif

/** The last n < W elements through f (padded), so that every element sees the same function. */
static void tail(V (*f)(V), const double *x, double *o, size_t n) {
  double t[W] = {0};
  memcpy(t, x, n * sizeof(double));
  ST(t, f(LD(t)));
  memcpy(o, t, n * sizeof(double));
}

/**
 * e^x, ~2x faster than libmvec's and within 2 ulp: x = k·ln2 + r with |r| ≤ ln2/2 (k rounded by the 1.5·2^52
 * trick, r by two FMAs with ln2 split in two), e^r by its Taylor polynomial to degree 13 (truncation < 0.02 ulp),
 * then · 2^k as two factors 2^⌊k/2⌋ · 2^(k-⌊k/2⌋), so that overflow (x > 709.78) gives Infinity and results below
 * 2^-1022 round once into the subnormals, down to 0 under -745.13. x is clamped to [-746, 710] first (±Infinity
 * included); a NaN is put back at the end.
 */
static inline V exp_fast(V x) {
  const V shift = SET1(0x1.8p52);
  V xc = MIN(MAX(x, SET1(-746.0)), SET1(710.0));
  V t = FMA(xc, SET1(0x1.71547652b82fep0), shift); // k + 1.5·2^52: k sits in the low mantissa bits
  V k = SUB(t, shift);
  V r = FMA(k, SET1(-0x1.62e42fefa39efp-1), xc);
  r = FMA(k, SET1(-0x1.abc9e3b39803fp-56), r);
  static const double C[] = {1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880,
                             1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1};
  V p = SET1(C[0]);
  for (int i = 1; i < 14; i++) p = FMA(p, r, SET1(C[i]));
  // k as an int64 offset by 2048 (so that the halving shift sees a non-negative number): h = ⌊k/2⌋ + 1024
  VI kb = SUBI(AS_INT(t), SET1I(0x4338000000000000LL - 2048));
  VI h = SRLI(kb, 1);
  V s1 = AS_DBL(SLLI(SUBI(h, SET1I(1)), 52));          // 2^⌊k/2⌋
  V s2 = AS_DBL(SLLI(SUBI(SUBI(kb, h), SET1I(1)), 52)); // 2^(k - ⌊k/2⌋)
  return IF_NAN(x, ADD(x, x), MUL(MUL(p, s1), s2));
}

/** tanh|x| = -t/(t+2) with t = expm1(-2|x|) (no cancellation: t is accurate for small |x|; ≤ 3 ulp), sign of x
 *  copied back (so -0 stays -0). Twice as fast as libmvec's tanh. */
static inline V tanh_fast(V x) {
  V t = MV(expm1)(SUB(SET1(0), ADD(ABS(x), ABS(x))));
  return COPYSIGN(DIV(SUB(SET1(0), t), ADD(t, SET1(2))), x);
}

/** 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) below (as scipy's expit: no overflow; NaN stays NaN). */
static inline V sigmoid(V x) {
  V e = exp_fast(SUB(SET1(0), ABS(x))), d = ADD(SET1(1), e);
  return SELECT_GE0(x, DIV(SET1(1), d), DIV(e, d));
}

/** o = f(x), 2·W at a time with f inlined (two independent chains keep the FMA pipes busy); out may alias x. */
#define LOOP(name, f) \
  void NAME(name)(const double *x, double *o, size_t n) { \
    size_t i = 0; \
    for (; i + 2 * W <= n; i += 2 * W) { V a = f(LD(x + i)), b = f(LD(x + i + W)); ST(o + i, a); ST(o + i + W, b); } \
    for (; i + W <= n; i += W) ST(o + i, f(LD(x + i))); \
    if (i < n) tail(f, x + i, o + i, n - i); \
  }
#if SIMD_W == 4 // the AVX-512 log loop is log_pow_avx512.c's
LOOP(log, MV(log))
#endif
LOOP(exp, exp_fast) LOOP(tanh, tanh_fast) LOOP(log1p, MV(log1p)) LOOP(expm1, MV(expm1))
LOOP(sin, MV(sin)) LOOP(cos, MV(cos)) LOOP(sigmoid, sigmoid)

#if SIMD_W == 4 // the AVX-512 power loop is log_pow_avx512.c's
/** Math.pow from libmvec's pow: where JavaScript's differs from C's (a NaN exponent; (±1)^±Infinity), NaN. */
static inline V pow_js(V a, V b) {
  V m = _mm256_or_pd(_mm256_cmp_pd(b, b, _CMP_UNORD_Q),
                     _mm256_and_pd(_mm256_cmp_pd(ABS(b), SET1(__builtin_inf()), _CMP_EQ_OQ),
                                   _mm256_cmp_pd(ABS(a), SET1(1), _CMP_EQ_OQ)));
  return _mm256_blendv_pd(MV2(pow)(a, b), SET1(__builtin_nan("")), m);
}

void NAME(power)(const double *a, const double *b, double *o, size_t n, int mode) {
  const double a0 = a[0], b0 = b[0]; // read before out (which may alias a or b) is written
  size_t i = 0;
  for (; i + W <= n; i += W) ST(o + i, pow_js(mode == 2 ? SET1(a0) : LD(a + i), mode == 1 ? SET1(b0) : LD(b + i)));
  if (i < n) { // the tail, padded with 1s
    size_t m = n - i;
    double ta[W], tb[W], to[W];
    for (size_t l = 0; l < W; l++) ta[l] = tb[l] = 1;
    for (size_t l = 0; l < m; l++) ta[l] = mode == 2 ? a0 : a[i + l], tb[l] = mode == 1 ? b0 : b[i + l];
    ST(to, pow_js(LD(ta), LD(tb)));
    memcpy(o + i, to, m * sizeof(double));
  }
}
#endif
