// Transcendental loops on glibc's libmvec (≤ 4 ulp as glibc documents; test/native measures them against Math.*).
// Compiled twice: -mavx2 -mfma -DSIMD_W=4 (functions avx2_*) and -mavx512f -DSIMD_W=8 (avx512_*); math.c calls a
// variant only on a CPU that has its instructions.
#include <immintrin.h>
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
#endif
#define W SIMD_W

V MV(exp)(V); V MV(log)(V); V MV(tanh)(V); V MV(log1p)(V); V MV(expm1)(V); V MV(sin)(V); V MV(cos)(V);
V MV2(pow)(V, V);

/** o = f(x), W at a time; the tail goes through f too (padded), so every element sees the same function. */
static void apply(V (*f)(V), const double *x, double *o, size_t n) {
  size_t i = 0;
  for (; i + W <= n; i += W) ST(o + i, f(LD(x + i)));
  if (i < n) {
    double t[W] = {0};
    memcpy(t, x + i, (n - i) * sizeof(double));
    ST(t, f(LD(t)));
    memcpy(o + i, t, (n - i) * sizeof(double));
  }
}

/** 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) below (as scipy's expit: no overflow; NaN stays NaN). */
static V sigmoid(V x) {
  V e = MV(exp)(SUB(SET1(0), ABS(x))), d = ADD(SET1(1), e);
  return SELECT_GE0(x, DIV(SET1(1), d), DIV(e, d));
}

#define LOOP(f, impl) \
  void NAME(f)(const double *x, double *o, size_t n) { apply(impl, x, o, n); }
LOOP(exp, MV(exp)) LOOP(log, MV(log)) LOOP(tanh, MV(tanh)) LOOP(log1p, MV(log1p)) LOOP(expm1, MV(expm1))
LOOP(sin, MV(sin)) LOOP(cos, MV(cos)) LOOP(sigmoid, sigmoid)

void NAME(power)(const double *a, const double *b, double *o, size_t n, int mode) {
  const double a0 = a[0], b0 = b[0]; // read before out (which may alias a or b) is written
  for (size_t i = 0; i < n; i += W) {
    size_t m = n - i < W ? n - i : W;
    double ta[W], tb[W], to[W];
    for (size_t l = 0; l < W; l++) ta[l] = tb[l] = 1;
    for (size_t l = 0; l < m; l++) ta[l] = mode == 2 ? a0 : a[i + l], tb[l] = mode == 1 ? b0 : b[i + l];
    ST(to, MV2(pow)(LD(ta), LD(tb)));
    for (size_t l = 0; l < m; l++) o[i + l] = js_pow_is_nan(ta[l], tb[l]) ? __builtin_nan("") : to[l];
  }
}
