// Math.pow and Math.log over arrays with AVX-512 (avx512_power, avx512_log: math.c calls them on CPUs with
// AVX-512F), faster than glibc's libmvec and numpy's SVML, within 1 ulp of Math.* (test/native measures them).
// Both reduce x with the same 16-entry table of log c; log keeps a double's precision, pow carries ~10 bits more.
//
// Why it exists: libmvec's pow ran at 0.55x numpy's (SVML) speed on 10k elements. exp(y·log x) in plain double
// precision is not an answer: an error ε in log x becomes an error |y log x|·ε in the result, so log x has to be
// carried with ~10 more bits than a double holds. Here:
//   log|x| = k·ln2 + log c + log1p(r) as a double-double hi + lo, where |x| = 2^k·z, z ∈ [0.703125, 1.40625) is cut
//            into 16 pieces (one permute of a 16-entry table in registers picks 1/c and log c, no gathers), and
//            r = z/c − 1 (|r| ≤ 1/32) is formed exactly as r + rlo with one FMA. The piece around z = 1 has c = 1,
//            so that log x for x near 1 comes from r alone, with no cancellation against log c.
//   y·log|x| = ehi + elo (one more FMA), and exp(ehi + elo) = 2^(n/8)·e^s: n = round(ehi·8/ln2), |s| ≤ ~0.05,
//            2^(j/8) from an 8-entry table as hi + lo, e^s − 1 by a degree-7 polynomial.
// Lanes this path does not take — x zero, subnormal, infinite or NaN; |y log x| > 708 (overflow, underflow, y
// infinite or NaN) — are computed by libm's pow with JavaScript's rules; a negative x takes the sign of an odd
// integer y, and NaN for a non-integer y. The tables come from scripts/log-pow-tables.py.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>

#include "vmath.h"

static const double POW_INVC[16] = {0x1.642c8590b2164p+0, 0x1.5555555555555p+0, 0x1.47ae147ae147bp+0, 0x1.3b13b13b13b14p+0, 0x1.2f684bda12f68p+0, 0x1.2492492492492p+0, 0x1.1a7b9611a7b96p+0, 0x1.1111111111111p+0, 0x1.0842108421084p+0, 0x1.0000000000000p+0, 0x1.e1e1e1e1e1e1ep-1, 0x1.c71c71c71c71cp-1, 0x1.af286bca1af28p-1, 0x1.999999999999ap-1, 0x1.8618618618618p-1, 0x1.745d1745d1746p-1};
static const double POW_LOGC_HI[16] = {-0x1.522ae0738a000p-2, -0x1.269621134e000p-2, -0x1.f991c6cb3c000p-3, -0x1.a93ed3c8ae000p-3, -0x1.5bf406b544000p-3, -0x1.1178e8227e000p-3, -0x1.9335e5d594000p-4, -0x1.08598b59e4000p-4, -0x1.0415d89e78000p-5, 0x0.0p+0, 0x1.f0a30c0118000p-5, 0x1.e27076e2b0000p-4, 0x1.5ff3070a7a000p-3, 0x1.c8ff7c79aa000p-3, 0x1.1675cababa000p-2, 0x1.4618bc21c6000p-2};
static const double POW_LOGC_LO[16] = {-0x1.eba708164c759p-45, 0x1.1ba1f10522625p-44, 0x1.90b84cd7cc834p-44, 0x1.86a4350562169p-45, 0x1.28023eb68981cp-46, -0x1.1e778ce2d07f2p-45, -0x1.30f5c3abd47dap-45, 0x1.7e9dd7009902cp-46, 0x1.ddfc7f461c516p-44, 0x0.0p+0, -0x1.d579e83368e91p-45, -0x1.a2c2c2af0003cp-45, -0x1.8546f183bebf2p-44, -0x1.7814f689f8434p-45, 0x1.83c0e731f55c4p-44, -0x1.3e02f484c84ccp-46};
static const double POW_EXP2_HI[8] = {0x1.0000000000000p+0, 0x1.172b83c7d517bp+0, 0x1.306fe0a31b715p+0, 0x1.4bfdad5362a27p+0, 0x1.6a09e667f3bcdp+0, 0x1.8ace5422aa0dbp+0, 0x1.ae89f995ad3adp+0, 0x1.d5818dcfba487p+0};
static const double POW_EXP2_LO[8] = {0x0.0p+0, -0x1.19041b9d78a76p-55, 0x1.6f46ad23182e4p-55, 0x1.d4397afec42e2p-56, -0x1.bdd3413b26456p-54, 0x1.6e9f156864b27p-54, 0x1.7a1cd345dcc81p-54, 0x1.2ed02d75b3707p-55};
#define POW_LN2_HI 0x1.62e42fefa3800p-1 // a multiple of 2^-42: k·POW_LN2_HI + log c hi is exact
#define POW_LN2_LO 0x1.ef35793c76730p-45
#define POW_INV_LN2_8 0x1.71547652b82fep+3
#define POW_LN2_8_HI 0x1.62e42fefa39efp-4
#define POW_LN2_8_LO 0x1.abc9e3b39803fp-59
#define POW_OFF 0x3fe6800000000000LL // bits of 0.703125: z's range starts here, and z = 1 is mid-piece 9

typedef __m512d V;
typedef __m512i VI;
#define SET1 _mm512_set1_pd
#define SET1I _mm512_set1_epi64
#define AS_INT _mm512_castpd_si512
#define AS_DBL _mm512_castsi512_pd

typedef struct { V hi, lo; } dd;
/** The tables, loaded into registers once per call. */
typedef struct { V invc[2], chi[2], clo[2], ehi, elo; } tables;

static tables load_tables(void) {
  tables t;
  for (int h = 0; h < 2; h++) {
    t.invc[h] = _mm512_loadu_pd(POW_INVC + 8 * h);
    t.chi[h] = _mm512_loadu_pd(POW_LOGC_HI + 8 * h);
    t.clo[h] = _mm512_loadu_pd(POW_LOGC_LO + 8 * h);
  }
  t.ehi = _mm512_loadu_pd(POW_EXP2_HI), t.elo = _mm512_loadu_pd(POW_EXP2_LO);
  return t;
}

/** (log1p(r) − r + r²/2)/r³ on r ∈ [−0.0295, 0.0313] (the pieces' range), highest power first: error 2^-55.2. */
static const double LOG_P[9] = {0x1.72429e7f14e4ap-4, -0x1.9a4cac317abccp-4, 0x1.c71d76cfa2cd7p-4, -0x1.ffffe09a42e50p-4, 0x1.249249133395dp-3, -0x1.555555565b2b9p-3, 0x1.999999999a4dcp-3, -0x1.fffffffffffb6p-3, 0x1.5555555555555p-2};
/** The same to degree 7, for log alone: error 2^-50.7 (under 2^-60 of log x). */
static const double LOG_P_SHORT[8] = {-0x1.978e25d04e51fp-4, 0x1.c7ca6133347f3p-4, -0x1.00006d01f42a9p-3, 0x1.24923c69ded5bp-3, -0x1.5555554a0543bp-3, 0x1.9999999a32bc9p-3, -0x1.0000000000235p-2, 0x1.555555555554cp-2};
/** (e^s − 1)/s on |s| ≤ 0.0436 (ln2/16 and a margin), highest power first: error 2^-52.9, i.e. 2^-57 in e^s. */
static const double EXP_P[7] = {0x1.a01eed9da0ec8p-13, 0x1.6c1c4aeb0c7b3p-10, 0x1.1111110c46b88p-7, 0x1.5555554a8e09bp-5, 0x1.55555555555a0p-3, 0x1.00000000000a8p-1, 0x1.0000000000000p+0};

/** |x| = 2^k·z, and the piece of z's table entry: k as a double, 1/c, log c = chi + clo, r + rlo = z/c − 1. */
typedef struct { V kd, chi, clo, r, rlo; } reduced;

static inline reduced reduce(V ax, const tables *t) {
  const VI ix = AS_INT(ax), tmp = _mm512_sub_epi64(ix, SET1I(POW_OFF));
  const VI k = _mm512_srai_epi64(tmp, 52), piece = _mm512_srli_epi64(tmp, 48); // permutes read its low 4 bits
  const V z = AS_DBL(_mm512_sub_epi64(ix, _mm512_slli_epi64(k, 52)));
  const V invc = _mm512_permutex2var_pd(t->invc[0], piece, t->invc[1]);
  // r + rlo = z·invc − 1 exactly (z·invc ∈ [0.96, 1.04]: subtracting 1 is exact)
  const V p = _mm512_mul_pd(z, invc);
  return (reduced){_mm512_sub_pd(AS_DBL(_mm512_add_epi64(k, AS_INT(SET1(0x1.8p52)))), SET1(0x1.8p52)),
                   _mm512_permutex2var_pd(t->chi[0], piece, t->chi[1]),
                   _mm512_permutex2var_pd(t->clo[0], piece, t->clo[1]), _mm512_sub_pd(p, SET1(1)),
                   _mm512_fmsub_pd(z, invc, p)};
}

/** log|x| as hi + lo for |x| normal (other lanes: garbage, which the caller replaces). ax = |x|. */
static inline dd log_dd(V ax, const tables *t) {
  const reduced u = reduce(ax, t);
  const V kd = u.kd, chi = u.chi, clo = u.clo, r = u.r, rlo = u.rlo;
  const V r2 = _mm512_mul_pd(r, r), s = _mm512_mul_pd(SET1(-0.5), r2);            // s ≈ −r²/2
  const V r2_lo = _mm512_fmsub_pd(r, r, r2);                                       // r² = r2 + r2_lo exactly
  V poly = SET1(LOG_P[0]);
  for (size_t i = 1; i < sizeof LOG_P / sizeof *LOG_P; i++) poly = _mm512_fmadd_pd(poly, r, SET1(LOG_P[i]));
  // hi: (k·ln2 + log c) + r + s, each sum with its rounding error kept (|addend| ≤ |sum so far| in every piece)
  const V t1 = _mm512_fmadd_pd(kd, SET1(POW_LN2_HI), chi);
  const V a = _mm512_add_pd(t1, r), ea = _mm512_add_pd(_mm512_sub_pd(t1, a), r);
  const V b = _mm512_add_pd(a, s), eb = _mm512_add_pd(_mm512_sub_pd(a, b), s);
  // lo: the rounding errors, rlo/(1 + r) ≈ rlo·(1 − r + r²), the tails of k·ln2 and log c, and r³·poly
  V lo = _mm512_add_pd(_mm512_add_pd(ea, eb), _mm512_fmadd_pd(rlo, _mm512_sub_pd(r2, r), rlo));
  lo = _mm512_add_pd(_mm512_fmadd_pd(r2_lo, SET1(-0.5), lo), _mm512_fmadd_pd(kd, SET1(POW_LN2_LO), clo));
  lo = _mm512_fmadd_pd(_mm512_mul_pd(r2, r), poly, lo);
  // renormalized: lo is up to r²/3 of hi until here, and y·lo must stay small next to exp's reduced argument
  const V hi = _mm512_add_pd(b, lo);
  return (dd){hi, _mm512_add_pd(_mm512_sub_pd(b, hi), lo)};
}

/** log x in double precision for x > 0 normal: (k·ln2 + log c) + r as a sum and its error, the rest added to it. */
static inline V log_lanes(V x, const tables *t) {
  const reduced u = reduce(x, t);
  const V r2 = _mm512_mul_pd(u.r, u.r);
  V poly = SET1(LOG_P_SHORT[0]);
  for (size_t i = 1; i < sizeof LOG_P_SHORT / sizeof *LOG_P_SHORT; i++) poly = _mm512_fmadd_pd(poly, u.r, SET1(LOG_P_SHORT[i]));
  const V t1 = _mm512_fmadd_pd(u.kd, SET1(POW_LN2_HI), u.chi);
  const V hi = _mm512_add_pd(t1, u.r), e = _mm512_add_pd(_mm512_sub_pd(t1, hi), u.r);
  V lo = _mm512_add_pd(_mm512_add_pd(e, _mm512_fnmadd_pd(u.rlo, u.r, u.rlo)), _mm512_fmadd_pd(u.kd, SET1(POW_LN2_LO), u.clo));
  lo = _mm512_fmadd_pd(_mm512_mul_pd(r2, u.r), poly, _mm512_fmadd_pd(r2, SET1(-0.5), lo));
  return _mm512_add_pd(hi, lo);
}

/** e^(hi + lo) for |hi| ≤ 708 (a normal result; the caller sends other lanes elsewhere). */
static inline V exp_dd(V hi, V lo, const tables *t) {
  const V shift = SET1(0x1.8p52);
  const V tn = _mm512_fmadd_pd(hi, SET1(POW_INV_LN2_8), shift); // n + 1.5·2^52: n sits in the low mantissa bits
  const V n = _mm512_sub_pd(tn, shift);
  V s = _mm512_fmadd_pd(n, SET1(-POW_LN2_8_HI), hi);
  s = _mm512_fmadd_pd(n, SET1(-POW_LN2_8_LO), _mm512_add_pd(s, lo));
  V q = SET1(EXP_P[0]);
  for (size_t i = 1; i < sizeof EXP_P / sizeof *EXP_P; i++) q = _mm512_fmadd_pd(q, s, SET1(EXP_P[i]));
  q = _mm512_mul_pd(q, s); // e^s − 1
  const VI ni = _mm512_sub_epi64(AS_INT(tn), AS_INT(shift));
  const V th = _mm512_permutexvar_pd(ni, t->ehi), tl = _mm512_permutexvar_pd(ni, t->elo); // 2^((n mod 8)/8)
  const V m = _mm512_add_pd(th, _mm512_fmadd_pd(th, q, tl));
  return AS_DBL(_mm512_add_epi64(AS_INT(m), _mm512_slli_epi64(_mm512_srai_epi64(ni, 3), 52))); // · 2^⌊n/8⌋
}

static double js_pow(double a, double b) { return js_pow_is_nan(a, b) ? NAN : pow(a, b); }

/** Lanes of `bad` recomputed by libm (with JavaScript's rules). */
__attribute__((noinline, cold)) static V scalar_lanes(V x, V y, V res, __mmask8 bad) {
  double xs[8], ys[8], rs[8];
  _mm512_storeu_pd(xs, x), _mm512_storeu_pd(ys, y), _mm512_storeu_pd(rs, res);
  for (int l = 0; l < 8; l++) if (bad >> l & 1) rs[l] = js_pow(xs[l], ys[l]);
  return _mm512_loadu_pd(rs);
}

/** Lanes of `bad` (x not a positive normal number) by libm's log. */
__attribute__((noinline, cold)) static V scalar_log_lanes(V x, V res, __mmask8 bad) {
  double xs[8], rs[8];
  _mm512_storeu_pd(xs, x), _mm512_storeu_pd(rs, res);
  for (int l = 0; l < 8; l++) if (bad >> l & 1) rs[l] = log(xs[l]);
  return _mm512_loadu_pd(rs);
}

/** |x|^y → x^y for the lanes of `neg` (x < 0): negated for an odd integer y, NaN for a non-integer y. */
__attribute__((noinline)) static V negative_base(V res, V y, __mmask8 neg) {
  const int trunc = _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC;
  const V half = _mm512_mul_pd(y, SET1(0.5));
  const __mmask8 whole = _mm512_cmp_pd_mask(_mm512_roundscale_pd(y, trunc), y, _CMP_EQ_OQ);
  const __mmask8 odd = whole & _mm512_cmp_pd_mask(_mm512_roundscale_pd(half, trunc), half, _CMP_NEQ_UQ);
  res = AS_DBL(_mm512_mask_xor_epi64(AS_INT(res), neg & odd, AS_INT(res), SET1I(INT64_MIN)));
  return _mm512_mask_blend_pd(neg & ~whole, res, SET1(__builtin_nan("")));
}

/** x^y given L = log|x| and the lanes where |x| is not a normal number. */
static inline V pow_lanes(V x, V y, dd L, __mmask8 x_special, const tables *t) {
  const V ehi = _mm512_mul_pd(y, L.hi), elo = _mm512_fmadd_pd(y, L.lo, _mm512_fmsub_pd(y, L.hi, ehi));
  V res = exp_dd(ehi, elo, t);
  // |y log x| > 708 or NaN (y infinite or NaN included: y·0 is NaN for x = ±1)
  const __mmask8 bad = x_special | _mm512_cmp_pd_mask(_mm512_abs_pd(ehi), SET1(708), _CMP_NLE_UQ);
  const __mmask8 neg = _mm512_test_epi64_mask(AS_INT(x), SET1I(INT64_MIN)) & ~bad;
  if (neg) res = negative_base(res, y, neg);
  if (bad) res = scalar_lanes(x, y, res, bad);
  return res;
}

/** Lanes where |x| is zero, subnormal, infinite or NaN (bits(|x|) − 2^52 ≥ bits(+Infinity) − 2^52, unsigned). */
static inline __mmask8 not_normal(V ax) {
  return _mm512_cmp_epu64_mask(_mm512_sub_epi64(AS_INT(ax), SET1I(1LL << 52)), SET1I(0x7fe0000000000000LL),
                               _MM_CMPINT_NLT);
}

static inline V pow_vec(V x, V y, const tables *t) {
  const V ax = _mm512_abs_pd(x);
  return pow_lanes(x, y, log_dd(ax, t), not_normal(ax), t);
}

static inline V log_vec(V x, const tables *t) {
  V res = log_lanes(x, t);
  const __mmask8 bad = not_normal(x); // negative x counts as not normal: its sign bit makes bits(x) huge
  return bad ? scalar_log_lanes(x, res, bad) : res;
}

void avx512_log(const double *x, double *o, size_t n) {
  const tables t = load_tables();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(o + i, log_vec(_mm512_loadu_pd(x + i), &t));
  if (i < n) {
    const __mmask8 m = (__mmask8)((1u << (n - i)) - 1);
    _mm512_mask_storeu_pd(o + i, m, log_vec(_mm512_mask_loadu_pd(SET1(1), m, x + i), &t));
  }
}

/** mode 0: a, b both length n; 1: b scalar; 2: a scalar (its log is computed once). out may alias a or b. */
void avx512_power(const double *a, const double *b, double *o, size_t n, int mode) {
  const double a0 = a[0], b0 = b[0]; // read before out is written
  const tables t = load_tables();
  size_t i = 0;
  if (mode == 2) {
    const V x = SET1(a0), ax = _mm512_abs_pd(x);
    const dd L = log_dd(ax, &t);
    const __mmask8 special = not_normal(ax);
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(o + i, pow_lanes(x, _mm512_loadu_pd(b + i), L, special, &t));
  } else if (mode == 1) {
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(o + i, pow_vec(_mm512_loadu_pd(a + i), SET1(b0), &t));
  } else {
    for (; i + 16 <= n; i += 16) {
      const V r0 = pow_vec(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), &t);
      const V r1 = pow_vec(_mm512_loadu_pd(a + i + 8), _mm512_loadu_pd(b + i + 8), &t);
      _mm512_storeu_pd(o + i, r0), _mm512_storeu_pd(o + i + 8, r1);
    }
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(o + i, pow_vec(_mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), &t));
  }
  if (i < n) { // the tail through the same code, masked loads and stores
    const __mmask8 m = (__mmask8)((1u << (n - i)) - 1);
    const V x = mode == 2 ? SET1(a0) : _mm512_mask_loadu_pd(SET1(1), m, a + i);
    const V y = mode == 1 ? SET1(b0) : _mm512_mask_loadu_pd(SET1(1), m, b + i);
    _mm512_mask_storeu_pd(o + i, m, pow_vec(x, y, &t));
  }
}
