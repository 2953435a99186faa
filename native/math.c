// Elementwise math and reductions on contiguous Float64Arrays (the `unary` / `binary` / `reduce` entry points of
// lib/array/native.ts). One table per kind maps an op name to its loop; an unknown name returns false so that
// the caller keeps its JS loop. Transcendental ops use libmvec's AVX-512 or AVX2 variants (math_simd.c) when the
// CPU has them and glibc's scalar libm otherwise; the arithmetic loops are compiled twice (AVX2 and baseline
// x86-64, chosen at load by GCC's target_clones), so one build runs on any x86-64 CPU at its best speed.
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "addon.h"
#include "parallel.h"
#include "vmath.h"

static double sigmoid(double x) { return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)); }

/** A scalar libm function over the array (CPUs without AVX2). */
#define SCALAR_LOOP(name, f) \
  static void s_##name(const double *x, double *o, size_t n) { for (size_t i = 0; i < n; i++) o[i] = f(x[i]); }
SCALAR_LOOP(exp, exp) SCALAR_LOOP(log, log) SCALAR_LOOP(tanh, tanh) SCALAR_LOOP(log1p, log1p)
SCALAR_LOOP(expm1, expm1) SCALAR_LOOP(sin, sin) SCALAR_LOOP(cos, cos) SCALAR_LOOP(sigmoid, sigmoid)

/** An arithmetic expression of v, vectorized by the compiler (exact: IEEE operations, no -ffast-math). */
#define ARITH_LOOP(name, expr) \
  CLONES static void a_##name(const double *x, double *o, size_t n) { \
    for (size_t i = 0; i < n; i++) { double v = x[i]; o[i] = (expr); } \
  }
ARITH_LOOP(sqrt, sqrt(v)) ARITH_LOOP(square, v * v) ARITH_LOOP(negative, -v) ARITH_LOOP(abs, fabs(v))
ARITH_LOOP(reciprocal, 1 / v)
// x ** 0.5 as Math.pow: +0 for -0 and +Infinity for -Infinity, where sqrt gives -0 and NaN
ARITH_LOOP(pow_half, v == -INFINITY ? INFINITY : sqrt(v) + 0.0) ARITH_LOOP(pow_one, v)

#if defined(__x86_64__)
#define MVEC(name) {avx512_##name, avx2_##name}
#else
#define MVEC(name) {NULL, NULL}
#endif
#define NONE {NULL, NULL}

/** name, loops for AVX-512 and AVX2 + FMA CPUs (NULL: use the next), portable loop. */
static const struct { const char *name; unary_loop simd[2], portable; } UNARY[] = {
    {"exp", MVEC(exp), s_exp},       {"log", MVEC(log), s_log},       {"tanh", MVEC(tanh), s_tanh},
    {"log1p", MVEC(log1p), s_log1p}, {"expm1", MVEC(expm1), s_expm1}, {"sin", MVEC(sin), s_sin},
    {"cos", MVEC(cos), s_cos},       {"sigmoid", MVEC(sigmoid), s_sigmoid},
    {"sqrt", NONE, a_sqrt},          {"square", NONE, a_square},      {"negative", NONE, a_negative},
    {"abs", NONE, a_abs},            {"reciprocal", NONE, a_reciprocal},
};

static double js_pow(double a, double b) { return js_pow_is_nan(a, b) ? NAN : pow(a, b); }

/** A binary expression of (a, b) in the three broadcast modes (a scalar operand is hoisted out of the loop). */
#define BINARY_LOOP(name, expr) \
  CLONES static void b_##name(const double *A, const double *B, double *o, size_t n, int mode) { \
    if (mode == 0) { for (size_t i = 0; i < n; i++) { double a = A[i], b = B[i]; o[i] = (expr); } } \
    else if (mode == 1) { const double b = B[0]; for (size_t i = 0; i < n; i++) { double a = A[i]; o[i] = (expr); } } \
    else { const double a = A[0]; for (size_t i = 0; i < n; i++) { double b = B[i]; o[i] = (expr); } } \
  }
// maximum/minimum as lib/numpy/binary.ts: NaN in either operand wins, ties keep a.
BINARY_LOOP(add, a + b) BINARY_LOOP(subtract, a - b) BINARY_LOOP(multiply, a * b) BINARY_LOOP(divide, a / b)
BINARY_LOOP(maximum, (a >= b || a != a) ? a : b) BINARY_LOOP(minimum, (a <= b || a != a) ? a : b)
BINARY_LOOP(power, js_pow(a, b))
// tanh's VJP in one pass: g · (1 − y²) for the cotangent a = g and the answer b = y = tanh(x)
BINARY_LOOP(tanh_grad, a * (1 - b * b))

static const struct { const char *name; binary_loop simd[2], portable; } BINARY[] = {
    {"add", NONE, b_add},           {"subtract", NONE, b_subtract}, {"multiply", NONE, b_multiply},
    {"divide", NONE, b_divide},     {"maximum", NONE, b_maximum},   {"minimum", NONE, b_minimum},
    {"power", MVEC(power), b_power},  {"tanh_grad", NONE, b_tanh_grad},
};

/** 0: AVX-512F, 1: AVX2 + FMA, 2: neither (index of the first usable simd[] entry). */
static int cpu_tier(void) {
  static int tier = -1;
#if defined(__x86_64__) && defined(__GNUC__)
  if (tier < 0) {
    __builtin_cpu_init();
    tier = __builtin_cpu_supports("avx512f") ? 0 : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 2;
  }
#else
  tier = 2;
#endif
  return tier;
}

/** The best loop of a table row for this CPU. */
#define PICK_LOOP(row) \
  ({ int t_ = cpu_tier(); t_ == 0 && (row).simd[0] ? (row).simd[0] : t_ <= 1 && (row).simd[1] ? (row).simd[1] : (row).portable; })

#define FIND(table, op) \
  ({ int found_ = -1; for (size_t i_ = 0; i_ < COUNT(table); i_++) if (!strcmp(table[i_].name, op)) { found_ = (int)i_; break; } found_; })

// ---- big arrays go to the pool (parallel.h) in chunks. Two sizes per kind of op: above the first, always (~100
// µs of work per chunk at the least, since waking a sleeping core costs tens of µs on a VM: measured, a 10k tanh
// split in two ran 2x slower); above the second, only while a worker polls for work (parallel_polling), which
// takes a chunk at once: ~4-8 µs of work per chunk (10k: exp 7.9 → 4.6 µs, power 20.6 → 10.7 µs).
#define MATH_CHUNK 65536
#define MATH_WARM 4096
// pow costs ~2 ns an element, twice exp: a 4096-element chunk is ~8 µs of work, and the caller never waits for a
// worker to wake (parallel.h), so a sleeping one costs the wake call alone (+1-3 µs measured on 10k, and the
// worker then polls for the ops that follow)
#define POW_CHUNK 4096
#define POW_WARM 2048
#define ARITH_CHUNK 262144
#define ARITH_WARM 65536

typedef struct {
  unary_loop unary;   // one of unary / binary is set
  binary_loop binary;
  const double *a, *b; // unary: a is x
  double *out;
  size_t n;
  int mode;            // binary: 0 both arrays, 1 b scalar, 2 a scalar
  size_t chunk, warm;  // split above `chunk` elements, or above `warm` while a worker polls (run_elementwise)
} elementwise_job;

static void elementwise_chunk(void *ctx, size_t c) {
  const elementwise_job *j = ctx;
  size_t s = c * j->chunk, len = j->n - s < j->chunk ? j->n - s : j->chunk;
  if (j->unary) j->unary(j->a + s, j->out + s, len);
  else j->binary(j->mode == 2 ? j->a : j->a + s, j->mode == 1 ? j->b : j->b + s, j->out + s, len, j->mode);
}

/** At most j->chunk elements a chunk (j->warm while a worker polls); chunks of one size (a multiple of 8: SIMD tails
 *  only at the end), as many as a multiple of the threads, so that each thread gets the same share. Which thread
 *  computes an element never changes its value. */
static void run_elementwise(elementwise_job *j) {
  if (j->n == 0) return;
  if (j->n > j->warm && j->n <= j->chunk && parallel_polling()) j->chunk = j->warm;
  size_t chunks = (j->n + j->chunk - 1) / j->chunk, threads = (size_t)parallel_threads();
  if (chunks == 1) { elementwise_chunk(j, 0); return; }
  chunks = (chunks + threads - 1) / threads * threads;
  j->chunk = ((j->n + chunks - 1) / chunks + 7) & ~(size_t)7;
  parallel_for((j->n + j->chunk - 1) / j->chunk, elementwise_chunk, j);
}

// unary(op, x, out, n) → false if op is not implemented here
static napi_value unary(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t n;
  arr_t x, out;
  if (!args(env, info, "unary", "s:op D:x D:out i:n", op, &x, &out, &n) || !fits(env, op, "x", &x, 0, 1, n, 1) ||
      !fits(env, op, "out", &out, 0, 1, n, 1))
    return NULL;
  int k = FIND(UNARY, op);
  if (k < 0) return js_bool(env, false);
  const bool math = UNARY[k].simd[1] != NULL;
  elementwise_job j = {PICK_LOOP(UNARY[k]), NULL, x.p, NULL, out.p, (size_t)n, 0,
                       math ? MATH_CHUNK : ARITH_CHUNK, math ? MATH_WARM : ARITH_WARM};
  run_elementwise(&j);
  return js_bool(env, true);
}

/** x ** c by a cheaper exact loop for the exponents people write most (numpy does the same): these give the bits
 *  Math.pow gives (x·x and 1/x are correctly rounded, as pow is for them). NULL: no shortcut for c. */
static unary_loop power_by_constant(double c) {
  return c == 2 ? a_square : c == 1 ? a_pow_one : c == -1 ? a_reciprocal : c == 0.5 ? a_pow_half : NULL;
}

// binary(op, a, b, out, n, mode) → false if op is not implemented here
static napi_value binary(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t n, mode;
  arr_t a, b, out;
  if (!args(env, info, "binary", "s:op D:a D:b D:out i:n i:mode", op, &a, &b, &out, &n, &mode)) return NULL;
  if (mode > 2) return fail(env, op, "mode must be 0, 1 or 2, got %lld", (long long)mode);
  int64_t na = mode == 2 ? 1 : n, nb = mode == 1 ? 1 : n;
  if (n > 0 && (!fits(env, op, "a", &a, 0, 1, na, 1) || !fits(env, op, "b", &b, 0, 1, nb, 1) ||
                !fits(env, op, "out", &out, 0, 1, n, 1)))
    return NULL;
  int k = FIND(BINARY, op);
  if (k < 0) return js_bool(env, false);
  unary_loop by_constant = !strcmp(op, "power") && mode == 1 && n > 0 ? power_by_constant(*(double *)b.p) : NULL;
  if (by_constant != NULL) {
    elementwise_job j = {by_constant, NULL, a.p, NULL, out.p, (size_t)n, 0, ARITH_CHUNK, ARITH_WARM};
    run_elementwise(&j);
    return js_bool(env, true);
  }
  const bool power = !strcmp(op, "power");
  elementwise_job j = {NULL, PICK_LOOP(BINARY[k]), a.p, b.p, out.p, (size_t)n, (int)mode,
                       power ? POW_CHUNK : ARITH_CHUNK, power ? POW_WARM : ARITH_WARM};
  run_elementwise(&j);
  return js_bool(env, true);
}

/** np.clip with scalar bounds in one pass: minimum(maximum(x, lo), hi) by lib/numpy's maximum/minimum rules (a NaN
 *  wins, ties keep x). B = [lo, hi] (±Infinity for a missing bound); the mode is always 1. */
CLONES static void b_clip(const double *A, const double *B, double *o, size_t n, int mode) {
  (void)mode;
  const double lo = B[0], hi = B[1];
  for (size_t i = 0; i < n; i++) {
    const double a = A[i], t = (a >= lo || a != a) ? a : lo;
    o[i] = (t <= hi || t != t) ? t : hi;
  }
}

// clip(x, bounds, out, n): out = np.clip(x, bounds[0], bounds[1]); out may alias x
static napi_value clip(napi_env env, napi_callback_info info) {
  int64_t n;
  arr_t x, bounds, out;
  if (!args(env, info, "clip", "D:x D:bounds D:out i:n", &x, &bounds, &out, &n) || !fits(env, "clip", "x", &x, 0, 1, n, 1) ||
      !fits(env, "clip", "bounds", &bounds, 0, 1, 2, 1) || !fits(env, "clip", "out", &out, 0, 1, n, 1))
    return NULL;
  elementwise_job j = {NULL, b_clip, x.p, bounds.p, out.p, (size_t)n, 1, ARITH_CHUNK, ARITH_WARM};
  run_elementwise(&j);
  return NULL;
}

// binary2d(op, a, aOff, a0, a1, b, bOff, b0, b1, out, oOff, n0, n1): one broadcast block, out[oOff + i·n1 + j] =
// op(a[aOff + i·a0 + j·a1], b[bOff + i·b0 + j·b1]) for i < n0, j < n1, rows contiguous in one operand and contiguous
// or constant in the other (a row vector or a column against a matrix: `x + b` with a bias). Other strides, or an
// op not here, return false (the caller keeps its JS loop). Rows run the same loops as `binary`, so the results
// are the same bits; big blocks split over the cores by rows.
typedef struct {
  binary_loop loop;
  const double *a, *b;
  double *out;
  int64_t a0, b0, n1, rows_per_chunk, n0;
  int mode;
} block_job;

static void block_chunk(void *ctx, size_t c) {
  const block_job *j = ctx;
  int64_t r0 = (int64_t)c * j->rows_per_chunk, r1 = r0 + j->rows_per_chunk < j->n0 ? r0 + j->rows_per_chunk : j->n0;
  for (int64_t r = r0; r < r1; r++) j->loop(j->a + r * j->a0, j->b + r * j->b0, j->out + r * j->n1, (size_t)j->n1, j->mode);
}

/** Highest index a strided 2-d block touches (strides are non-negative here). */
static bool block_fits(napi_env env, const char *op, const char *name, const arr_t *x, int64_t off, int64_t s0,
                       int64_t s1, int64_t n0, int64_t n1) {
  if (off < 0 || s0 < 0 || s1 < 0) {
    fail(env, op, "%s: offset and strides must be non-negative (%lld, %lld, %lld)", name, (long long)off,
         (long long)s0, (long long)s1);
    return false;
  }
  int64_t last = off + (n0 - 1) * s0 + (n1 - 1) * s1;
  if (n0 > 0 && n1 > 0 && (size_t)last >= x->len) {
    fail(env, op, "%s: a %lld×%lld block at offset %lld, strides (%lld, %lld) reaches element %lld, the array has %zu",
         name, (long long)n0, (long long)n1, (long long)off, (long long)s0, (long long)s1, (long long)last, x->len);
    return false;
  }
  return true;
}

static napi_value binary2d(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t aOff, a0, a1, bOff, b0, b1, oOff, n0, n1;
  arr_t a, b, out;
  if (!args(env, info, "binary2d", "s:op D:a i:aOff i:a0 i:a1 D:b i:bOff i:b0 i:b1 D:out i:oOff i:n0 i:n1", op, &a,
            &aOff, &a0, &a1, &b, &bOff, &b0, &b1, &out, &oOff, &n0, &n1))
    return NULL;
  if (!block_fits(env, op, "a", &a, aOff, a0, a1, n0, n1) || !block_fits(env, op, "b", &b, bOff, b0, b1, n0, n1) ||
      !block_fits(env, op, "out", &out, oOff, n1, 1, n0, n1))
    return NULL;
  int k = FIND(BINARY, op);
  int mode = a1 == 1 && b1 == 1 ? 0 : a1 == 1 && b1 == 0 ? 1 : a1 == 0 && b1 == 1 ? 2 : -1;
  if (k < 0 || mode < 0 || !strcmp(op, "power")) return js_bool(env, false); // power: its by-constant shortcuts
  if (n0 <= 0 || n1 <= 0) return js_bool(env, true);
  int64_t rows = ARITH_CHUNK / n1 > 0 ? ARITH_CHUNK / n1 : 1;
  block_job j = {PICK_LOOP(BINARY[k]), (const double *)a.p + aOff, (const double *)b.p + bOff, (double *)out.p + oOff,
                 a0, b0, n1, rows, n0, mode};
  size_t chunks = (size_t)((n0 + rows - 1) / rows);
  if (chunks == 1) block_chunk(&j, 0);
  else parallel_for(chunks, block_chunk, &j);
  return js_bool(env, true);
}

// ---- reductions over the middle axis of x viewed as [outer, len, inner] -----------------------------------------

/** Σ of a contiguous run: 8 interleaved partial sums (vectorizable, and more accurate than one running sum). */
CLONES static double sum_run(const double *x, size_t len) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= len; i += 8)
    for (int l = 0; l < 8; l++) s[l] += x[i + l];
  double t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
  for (; i < len; i++) t += x[i];
  return t;
}

/** The max/min rule of lib/numpy/reductions.ts: a NaN wins, ties keep the first. */
#define PICK(isMax, a, v) (((isMax) ? (v) > (a) : (v) < (a)) || (v) != (v) ? (v) : (a))

// max/min of a contiguous run: 16 lanes in GCC vector types (a select by compare mask: the ternary rule does not
// auto-vectorize without -ffast-math, which would break the NaN and -0 rules; four independent chains, so that
// the compare-and-select latency does not bound the loop), plus an OR of the lanes' "is NaN" masks; then, when a
// NaN went by or the result is 0 (-0 vs +0), one in-order pass by the scalar rule settles it.
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
#define LANES_RUN(name, CMP) \
  CLONES static size_t name(const double *x, size_t len, double *r, bool *sawNaN) { \
    v4d l[4] = {{*r, *r, *r, *r}, {*r, *r, *r, *r}, {*r, *r, *r, *r}, {*r, *r, *r, *r}}; \
    v4i nan = {0, 0, 0, 0}; \
    size_t i = 0; \
    for (; i + 16 <= len; i += 16) { \
      for (int c = 0; c < 4; c++) { \
        v4d a; \
        memcpy(&a, x + i + 4 * c, sizeof a); \
        v4i m = a CMP l[c]; \
        l[c] = (v4d)(((v4i)a & m) | ((v4i)l[c] & ~m)); \
        nan |= a != a; \
      } \
    } \
    double m = *r; \
    int64_t p = 0; \
    for (int k = 0; k < 4; k++) { \
      for (int c = 0; c < 4; c++) m = l[c][k] CMP m ? l[c][k] : m; \
      p |= nan[k]; \
    } \
    *r = m, *sawNaN = p != 0; \
    return i; \
  }
LANES_RUN(max_lanes, >) LANES_RUN(min_lanes, <)

static double pick_run(const double *x, size_t len, bool isMax) {
  double r = isMax ? -INFINITY : INFINITY;
  bool sawNaN = false;
  size_t i = 0;
  if (len >= 16) {
    i = isMax ? max_lanes(x, len, &r, &sawNaN) : min_lanes(x, len, &r, &sawNaN);
    if (sawNaN || r == 0) r = isMax ? -INFINITY : INFINITY, i = 0;
  }
  for (; i < len; i++) r = PICK(isMax, r, x[i]);
  return r;
}

/** One [len, inner] slab into out[inner]: row by row, vectorized along the inner axis. */
CLONES static void reduce_slab(int op, const double *x, size_t len, size_t inner, double *out) {
  const double init = op == 0 ? 0 : op == 1 ? -INFINITY : INFINITY;
  for (size_t j = 0; j < inner; j++) out[j] = init;
  for (size_t l = 0; l < len; l++) {
    const double *row = x + l * inner;
    if (op == 0) for (size_t j = 0; j < inner; j++) out[j] += row[j];
    else if (op == 1) for (size_t j = 0; j < inner; j++) out[j] = PICK(1, out[j], row[j]);
    else for (size_t j = 0; j < inner; j++) out[j] = PICK(0, out[j], row[j]);
  }
}

// Reductions of at least REDUCE_SPLIT elements run on the pool: by whole rows when there are several outputs,
// by fixed pieces for one long max/min.
#define REDUCE_SPLIT ARITH_CHUNK
typedef struct {
  int op;
  const double *x;
  double *out;
  size_t outer, len, inner, rows_per_chunk;
  double *partial; // one long run: each piece's result
} reduce_job;

static void reduce_rows(const reduce_job *j, size_t o0, size_t o1) {
  for (size_t o = o0; o < o1; o++) {
    const double *slab = j->x + o * j->len * j->inner;
    if (j->inner == 1) j->out[o] = j->op == 0 ? sum_run(slab, j->len) : pick_run(slab, j->len, j->op == 1);
    else reduce_slab(j->op, slab, j->len, j->inner, j->out + o * j->inner);
  }
}

static void reduce_chunk(void *ctx, size_t c) {
  const reduce_job *j = ctx;
  size_t o0 = c * j->rows_per_chunk, o1 = o0 + j->rows_per_chunk < j->outer ? o0 + j->rows_per_chunk : j->outer;
  reduce_rows(j, o0, o1);
}

static void reduce_piece(void *ctx, size_t c) {
  const reduce_job *j = ctx;
  size_t s = c * REDUCE_SPLIT, n = j->len - s < REDUCE_SPLIT ? j->len - s : REDUCE_SPLIT;
  j->partial[c] = pick_run(j->x + s, n, j->op == 1);
}

/** x viewed as [outer, len, inner] fits in x, and `out` holds out_needed elements; else a thrown error (false). */
static bool fits_3d(napi_env env, const char *op, const arr_t *x, int64_t outer, int64_t len, int64_t inner,
                    const arr_t *out, double out_needed) {
  if ((double)outer * (double)len * (double)inner <= (double)x->len && out_needed <= (double)out->len) return true;
  fail(env, op, "x [%lld, %lld, %lld] needs %.0f elements (has %zu), out needs %.0f (has %zu)", (long long)outer,
       (long long)len, (long long)inner, (double)outer * len * inner, x->len, out_needed, out->len);
  return false;
}

// reduce(op, x, outer, len, inner, out) → false if op is not sum, max or min
static napi_value reduce(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t outer, len, inner;
  arr_t x, out;
  if (!args(env, info, "reduce", "s:op D:x i:outer i:len i:inner D:out", op, &x, &outer, &len, &inner, &out))
    return NULL;
  if (!fits_3d(env, op, &x, outer, len, inner, &out, (double)outer * inner)) return NULL;
  int k = !strcmp(op, "sum") ? 0 : !strcmp(op, "max") ? 1 : !strcmp(op, "min") ? 2 : -1;
  if (k < 0) return js_bool(env, false);
  reduce_job j = {k, x.p, out.p, (size_t)outer, (size_t)len, (size_t)inner, 0, NULL};
  size_t total = (size_t)(outer * len * inner);
  if (total < REDUCE_SPLIT) {
    reduce_rows(&j, 0, (size_t)outer);
  } else if (outer >= 2) { // whole rows per chunk: each output's bits are the one-thread ones
    j.rows_per_chunk = (REDUCE_SPLIT + len * inner - 1) / (len * inner);
    parallel_for((j.outer + j.rows_per_chunk - 1) / j.rows_per_chunk, reduce_chunk, &j);
  } else if (inner == 1 && k != 0) {
    // one long max/min run: fixed-size pieces, combined in order by the same rule (exact: no rounding involved)
    size_t pieces = (total + REDUCE_SPLIT - 1) / REDUCE_SPLIT;
    double *partial = malloc(pieces * sizeof(double));
    if (partial == NULL) {
      reduce_rows(&j, 0, 1);
    } else {
      j.partial = partial;
      parallel_for(pieces, reduce_piece, &j);
      double r = partial[0];
      for (size_t c = 1; c < pieces; c++) r = PICK(k == 1, r, partial[c]);
      free(partial);
      *(double *)out.p = r;
    }
  } else {
    reduce_rows(&j, 0, 1); // one long sum keeps its single-thread order (its rounding is part of the result)
  }
  return js_bool(env, true);
}

// ---- argmax / argmin over the middle axis of [outer, len, inner], into int32 indices ------------------------------
// The rule of lib/numpy/nondiff.ts: the first index of the best value, the first NaN if there is one (-0 and +0
// tie). A contiguous run goes through vector lanes block by block (arg_run); a strided run [len, inner] keeps
// each column's best and its index, row by row.

/** The first index of the best of a contiguous run (the first NaN if any), one element at a time. */
static size_t arg_run_scalar(const double *x, size_t len, bool isMax) {
  double best = x[0];
  size_t at = 0;
  for (size_t i = 0; i < len; i++) {
    const double v = x[i];
    if (v != v) return i;
    if (isMax ? v > best : v < best) best = v, at = i;
  }
  return at;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/**
 * The same in one vector pass: each 64-element block's best from four AVX2 lanes (a NaN in the block ends the
 * search there), kept when it strictly beats the best so far; then the block that holds the final best is
 * searched for the first element equal to it (-0 and +0 are equal). The last block may overlap the one before it
 * (what it sees again cannot beat the best). len ≥ 64.
 */
__attribute__((target("avx2"))) static size_t arg_run_avx2(const double *x, size_t len, bool isMax) {
  double best = x[0];
  size_t block = 0;
  for (size_t i = 0;; i = i + 128 <= len ? i + 64 : len - 64) {
    __m256d l[4], nan = _mm256_setzero_pd();
    for (int c = 0; c < 4; c++) l[c] = _mm256_loadu_pd(x + i + 4 * c), nan = _mm256_or_pd(nan, _mm256_cmp_pd(l[c], l[c], _CMP_UNORD_Q));
    for (size_t k = 16; k < 64; k += 16)
      for (int c = 0; c < 4; c++) {
        const __m256d v = _mm256_loadu_pd(x + i + k + 4 * c);
        nan = _mm256_or_pd(nan, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
        l[c] = isMax ? _mm256_max_pd(l[c], v) : _mm256_min_pd(l[c], v);
      }
    const __m256d m = isMax ? _mm256_max_pd(_mm256_max_pd(l[0], l[1]), _mm256_max_pd(l[2], l[3]))
                            : _mm256_min_pd(_mm256_min_pd(l[0], l[1]), _mm256_min_pd(l[2], l[3]));
    const __m256d b = _mm256_set1_pd(best);
    const __m256d gt = isMax ? _mm256_cmp_pd(m, b, _CMP_GT_OQ) : _mm256_cmp_pd(m, b, _CMP_LT_OQ);
    if (_mm256_movemask_pd(_mm256_or_pd(nan, gt))) {
      if (_mm256_movemask_pd(nan)) { for (size_t j = i;; j++) if (x[j] != x[j]) return j; }
      double t[4];
      _mm256_storeu_pd(t, m);
      for (int k = 0; k < 4; k++) if (isMax ? t[k] > best : t[k] < best) best = t[k];
      block = i;
    }
    if (i + 64 == len) break;
  }
  for (size_t j = block;; j++) if (x[j] == best) return j;
}
#endif

static size_t arg_run(const double *x, size_t len, bool isMax) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (len >= 64 && cpu_tier() <= 1) return arg_run_avx2(x, len, isMax);
#endif
  return arg_run_scalar(x, len, isMax);
}

CLONES static void arg_slab(bool isMax, const double *x, size_t len, size_t inner, double *best, int32_t *at) {
  for (size_t j = 0; j < inner; j++) best[j] = x[j], at[j] = 0;
  for (size_t l = 1; l < len; l++) {
    const double *row = x + l * inner;
    for (size_t j = 0; j < inner; j++) {
      const double v = row[j], b = best[j];
      const bool take = (isMax ? v > b : v < b) | ((v != v) & (b == b));
      best[j] = take ? v : b, at[j] = take ? (int32_t)l : at[j];
    }
  }
}

typedef struct {
  bool isMax;
  const double *x;
  int32_t *out;
  size_t outer, len, inner, rows_per_chunk;
} arg_job;

static void arg_rows(const arg_job *j, size_t o0, size_t o1) {
  double *best = j->inner > 1 ? malloc(j->inner * sizeof(double)) : NULL;
  for (size_t o = o0; o < o1; o++) {
    const double *slab = j->x + o * j->len * j->inner;
    if (j->inner == 1) j->out[o] = (int32_t)arg_run(slab, j->len, j->isMax);
    else if (best != NULL) arg_slab(j->isMax, slab, j->len, j->inner, best, j->out + o * j->inner);
    else for (size_t c = 0; c < j->inner; c++) { // no scratch memory: column by column
      double b = slab[c];
      int32_t at = 0;
      for (size_t l = 1; l < j->len && b == b; l++) {
        const double v = slab[l * j->inner + c];
        if ((j->isMax ? v > b : v < b) || v != v) b = v, at = (int32_t)l;
      }
      j->out[o * j->inner + c] = at;
    }
  }
  free(best);
}

static void arg_chunk(void *ctx, size_t c) {
  const arg_job *j = ctx;
  size_t o0 = c * j->rows_per_chunk, o1 = o0 + j->rows_per_chunk < j->outer ? o0 + j->rows_per_chunk : j->outer;
  arg_rows(j, o0, o1);
}

// argreduce(op, x, outer, len, inner, out) → false if op is not argmax or argmin; len ≥ 1, len < 2^31
static napi_value argreduce(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t outer, len, inner;
  arr_t x, out;
  if (!args(env, info, "argreduce", "s:op D:x i:outer i:len i:inner I:out", op, &x, &outer, &len, &inner, &out))
    return NULL;
  if (len < 1 || len > INT32_MAX || outer < 0 || inner < 0)
    return fail(env, op, "len must be in [1, 2^31) and outer, inner non-negative, got [%lld, %lld, %lld]",
                (long long)outer, (long long)len, (long long)inner);
  if (!fits_3d(env, op, &x, outer, len, inner, &out, (double)outer * inner)) return NULL;
  int k = !strcmp(op, "argmax") ? 1 : !strcmp(op, "argmin") ? 0 : -1;
  if (k < 0) return js_bool(env, false);
  arg_job j = {k == 1, x.p, out.p, (size_t)outer, (size_t)len, (size_t)inner, 0};
  size_t total = (size_t)(outer * len * inner);
  if (total < REDUCE_SPLIT || outer < 2) {
    arg_rows(&j, 0, j.outer);
  } else { // whole rows per chunk
    j.rows_per_chunk = (REDUCE_SPLIT + len * inner - 1) / (len * inner);
    parallel_for((j.outer + j.rows_per_chunk - 1) / j.rows_per_chunk, arg_chunk, &j);
  }
  return js_bool(env, true);
}

// ---- argsort: a stable sort of each line of [outer, len, inner] in numpy's order (NaN last, -0 equal to +0) -------
// An LSD radix sort on the doubles' bits mapped to unsigned keys that order as the numbers do (negative: all bits
// flipped; positive: the sign bit set; -0 as +0 and every NaN as one key above +Infinity, so that ties keep their
// order), 8 bits a pass with the passes whose digit is the same for every key skipped; short lines by insertion.

static inline uint64_t sort_key(double v) {
  if (v != v) return UINT64_MAX;
  if (v == 0) v = 0; // -0 → +0
  uint64_t b;
  memcpy(&b, &v, sizeof b);
  return b >> 63 ? ~b : b | (1ULL << 63);
}

typedef struct { uint64_t key; uint32_t at; } sort_item;
// 8-bit digits, 8 passes: 11-bit ones (6 passes, 2048 scatter targets) ran slower here (1M: 16 → 44 ms)
#define RADIX_BITS 8
#define RADIX_PASSES 8

/** Sorts items[0..n) by key, stably; tmp has room for n items. Returns the buffer that holds the result. */
static sort_item *radix_sort(sort_item *items, sort_item *tmp, size_t n) {
  if (n <= 32) {
    for (size_t i = 1; i < n; i++) {
      sort_item t = items[i];
      size_t j = i;
      for (; j > 0 && items[j - 1].key > t.key; j--) items[j] = items[j - 1];
      items[j] = t;
    }
    return items;
  }
  static _Thread_local size_t count[RADIX_PASSES][1 << RADIX_BITS];
  memset(count, 0, sizeof count);
  const uint64_t digit = (1 << RADIX_BITS) - 1;
  for (size_t i = 0; i < n; i++) {
    const uint64_t k = items[i].key;
    for (int d = 0; d < RADIX_PASSES; d++) count[d][(k >> (RADIX_BITS * d)) & digit]++;
  }
  sort_item *src = items, *dst = tmp;
  for (int d = 0; d < RADIX_PASSES; d++) {
    size_t *c = count[d];
    const int shift = RADIX_BITS * d;
    if (c[(src[0].key >> shift) & digit] == n) continue; // one digit for all: nothing to move
    size_t sum = 0;
    for (size_t b = 0; b <= digit; b++) { const size_t t = c[b]; c[b] = sum; sum += t; }
    for (size_t i = 0; i < n; i++) dst[c[(src[i].key >> shift) & digit]++] = src[i];
    sort_item *t = src; src = dst; dst = t;
  }
  return src;
}

typedef struct {
  const double *x;
  int32_t *out;
  size_t outer, len, inner, lines_per_chunk;
  bool failed;
} sort_job;

static void sort_lines(sort_job *j, size_t l0, size_t l1) {
  sort_item *a = malloc(2 * j->len * sizeof(sort_item));
  if (a == NULL) { j->failed = true; return; }
  for (size_t l = l0; l < l1; l++) { // line l: outer index l / inner, inner index l % inner
    const size_t base = (l / j->inner) * j->len * j->inner + l % j->inner;
    for (size_t k = 0; k < j->len; k++) a[k] = (sort_item){sort_key(j->x[base + k * j->inner]), (uint32_t)k};
    const sort_item *r = radix_sort(a, a + j->len, j->len);
    for (size_t k = 0; k < j->len; k++) j->out[base + k * j->inner] = (int32_t)r[k].at;
  }
  free(a);
}

static void sort_chunk(void *ctx, size_t c) {
  sort_job *j = ctx;
  const size_t lines = j->outer * j->inner, l0 = c * j->lines_per_chunk;
  sort_lines(j, l0, l0 + j->lines_per_chunk < lines ? l0 + j->lines_per_chunk : lines);
}

// argsort(x, outer, len, inner, out): out[.., k, ..] = the position along the middle axis of the k-th smallest
static napi_value argsort(napi_env env, napi_callback_info info) {
  int64_t outer, len, inner;
  arr_t x, out;
  if (!args(env, info, "argsort", "D:x i:outer i:len i:inner I:out", &x, &outer, &len, &inner, &out)) return NULL;
  if (outer < 0 || len < 0 || inner < 0 || len > INT32_MAX)
    return fail(env, "argsort", "outer, inner must be non-negative and len in [0, 2^31), got [%lld, %lld, %lld]",
                (long long)outer, (long long)len, (long long)inner);
  if (!fits_3d(env, "argsort", &x, outer, len, inner, &out, (double)outer * len * inner)) return NULL;
  sort_job j = {x.p, out.p, (size_t)outer, (size_t)len, (size_t)inner, 0, false};
  const size_t lines = j.outer * j.inner, total = lines * j.len;
  if (total == 0) return NULL;
  if (lines < 2 || total < 65536) {
    sort_lines(&j, 0, lines);
  } else {
    j.lines_per_chunk = (65536 + j.len - 1) / j.len;
    parallel_for((lines + j.lines_per_chunk - 1) / j.lines_per_chunk, sort_chunk, &j);
  }
  if (j.failed) return fail(env, "argsort", "out of memory for a %lld-element line", (long long)len);
  return NULL;
}

// gather(x, positions, out, n): out[i] = x[positions[i]], each position checked against x's length first
static napi_value gather(napi_env env, napi_callback_info info) {
  int64_t n;
  arr_t x, pos, out;
  if (!args(env, info, "gather", "D:x I:positions D:out i:n", &x, &pos, &out, &n) ||
      !fits(env, "gather", "positions", &pos, 0, 1, n, 1) || !fits(env, "gather", "out", &out, 0, 1, n, 1))
    return NULL;
  const int32_t *p = pos.p;
  const double *src = x.p;
  double *o = out.p;
  int32_t lo = 0, hi = 0;
  for (int64_t i = 0; i < n; i++) lo = p[i] < lo ? p[i] : lo, hi = p[i] > hi ? p[i] : hi;
  if (n > 0 && (lo < 0 || (size_t)hi >= x.len))
    return fail(env, "gather", "positions must be in [0, %zu), got %d..%d", x.len, lo, hi);
  for (int64_t i = 0; i < n; i++) o[i] = src[p[i]];
  return NULL;
}

// ---- comparisons, predicates and where: float64 in, numpy's bool (one byte per element) out or in -------------
// The rules are lib/numpy/binary.ts's and elementwise.ts's (IEEE comparisons: NaN compares unequal; signbit as
// `x < 0 || 1/x < 0`, so -0 counts and NaN does not, as the JS kernel sees it).
typedef void (*compare_loop)(const double *a, const double *b, uint8_t *o, size_t n, int mode);
typedef void (*predicate_loop)(const double *x, uint8_t *o, size_t n);

#define COMPARE_LOOP(name, expr) \
  CLONES static void c_##name(const double *A, const double *B, uint8_t *o, size_t n, int mode) { \
    if (mode == 0) { for (size_t i = 0; i < n; i++) { double a = A[i], b = B[i]; o[i] = (expr); } } \
    else if (mode == 1) { const double b = B[0]; for (size_t i = 0; i < n; i++) { double a = A[i]; o[i] = (expr); } } \
    else { const double a = A[0]; for (size_t i = 0; i < n; i++) { double b = B[i]; o[i] = (expr); } } \
  }
COMPARE_LOOP(equal, a == b) COMPARE_LOOP(not_equal, a != b) COMPARE_LOOP(less, a < b)
COMPARE_LOOP(less_equal, a <= b) COMPARE_LOOP(greater, a > b) COMPARE_LOOP(greater_equal, a >= b)
COMPARE_LOOP(logical_and, (a != 0) & (b != 0)) COMPARE_LOOP(logical_or, (a != 0) | (b != 0))
COMPARE_LOOP(logical_xor, (a != 0) ^ (b != 0))

#define PREDICATE_LOOP(name, expr) \
  CLONES static void p_##name(const double *x, uint8_t *o, size_t n) { for (size_t i = 0; i < n; i++) { double v = x[i]; o[i] = (expr); } }
PREDICATE_LOOP(isnan, v != v) PREDICATE_LOOP(isinf, fabs(v) == INFINITY) PREDICATE_LOOP(isfinite, fabs(v) < INFINITY)
PREDICATE_LOOP(signbit, (v < 0) | (1 / v < 0)) PREDICATE_LOOP(logical_not, v == 0)

static const struct { const char *name; compare_loop loop; } COMPARE[] = {
    {"equal", c_equal}, {"not_equal", c_not_equal}, {"less", c_less}, {"less_equal", c_less_equal},
    {"greater", c_greater}, {"greater_equal", c_greater_equal}, {"logical_and", c_logical_and},
    {"logical_or", c_logical_or}, {"logical_xor", c_logical_xor},
};
static const struct { const char *name; predicate_loop loop; } PREDICATE[] = {
    {"isnan", p_isnan}, {"isinf", p_isinf}, {"isfinite", p_isfinite}, {"signbit", p_signbit},
    {"logical_not", p_logical_not},
};

/** out[i] = m[i] ? x[i] : y[i]; mode bit 1: x is a scalar (x[0]), bit 2: y is. */
CLONES static void select_loop(const uint8_t *m, const double *x, const double *y, double *o, size_t n, int mode) {
  if (mode == 0) for (size_t i = 0; i < n; i++) o[i] = m[i] ? x[i] : y[i];
  else if (mode == 1) { const double a = x[0]; for (size_t i = 0; i < n; i++) o[i] = m[i] ? a : y[i]; }
  else if (mode == 2) { const double b = y[0]; for (size_t i = 0; i < n; i++) o[i] = m[i] ? x[i] : b; }
  else { const double a = x[0], b = y[0]; for (size_t i = 0; i < n; i++) o[i] = m[i] ? a : b; }
}

typedef struct {
  compare_loop compare; // one of compare / predicate / select
  predicate_loop predicate;
  bool select;
  const double *a, *b;
  const uint8_t *mask;
  void *out;
  size_t n;
  int mode;
} bool_job;

static void bool_chunk(void *ctx, size_t c) {
  const bool_job *j = ctx;
  size_t s = c * ARITH_CHUNK, len = j->n - s < ARITH_CHUNK ? j->n - s : ARITH_CHUNK;
  if (j->compare) j->compare(j->mode == 2 ? j->a : j->a + s, j->mode == 1 ? j->b : j->b + s, (uint8_t *)j->out + s, len, j->mode);
  else if (j->predicate) j->predicate(j->a + s, (uint8_t *)j->out + s, len);
  else select_loop(j->mask + s, j->mode & 1 ? j->a : j->a + s, j->mode & 2 ? j->b : j->b + s, (double *)j->out + s, len, j->mode);
}

static void run_bool(bool_job *j) {
  size_t chunks = (j->n + ARITH_CHUNK - 1) / ARITH_CHUNK;
  if (chunks == 1) bool_chunk(j, 0);
  else if (chunks > 1) parallel_for(chunks, bool_chunk, j);
}

// compare(op, a, b, out, n, mode) → false if op is not a comparison here; modes as binary's
static napi_value compare(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t n, mode;
  arr_t a, b, out;
  if (!args(env, info, "compare", "s:op D:a D:b U:out i:n i:mode", op, &a, &b, &out, &n, &mode)) return NULL;
  if (mode > 2) return fail(env, op, "mode must be 0, 1 or 2, got %lld", (long long)mode);
  if (n > 0 && (!fits(env, op, "a", &a, 0, 1, mode == 2 ? 1 : n, 1) || !fits(env, op, "b", &b, 0, 1, mode == 1 ? 1 : n, 1) ||
                !fits(env, op, "out", &out, 0, 1, n, 1)))
    return NULL;
  int k = FIND(COMPARE, op);
  if (k < 0) return js_bool(env, false);
  bool_job j = {COMPARE[k].loop, NULL, false, a.p, b.p, NULL, out.p, (size_t)n, (int)mode};
  run_bool(&j);
  return js_bool(env, true);
}

// predicate(op, x, out, n) → false if op is not a predicate here
static napi_value predicate(napi_env env, napi_callback_info info) {
  char op[16];
  int64_t n;
  arr_t x, out;
  if (!args(env, info, "predicate", "s:op D:x U:out i:n", op, &x, &out, &n) || !fits(env, op, "x", &x, 0, 1, n, 1) ||
      !fits(env, op, "out", &out, 0, 1, n, 1))
    return NULL;
  int k = FIND(PREDICATE, op);
  if (k < 0) return js_bool(env, false);
  bool_job j = {NULL, PREDICATE[k].loop, false, x.p, NULL, NULL, out.p, (size_t)n, 0};
  run_bool(&j);
  return js_bool(env, true);
}

// select(mask, x, y, out, n, mode): np.where's choice, out[i] = mask[i] ? x[i] : y[i] (mode as select_loop)
static napi_value select_(napi_env env, napi_callback_info info) {
  const char *op = "select";
  int64_t n, mode;
  arr_t m, x, y, out;
  if (!args(env, info, op, "U:mask D:x D:y D:out i:n i:mode", &m, &x, &y, &out, &n, &mode)) return NULL;
  if (mode > 3) return fail(env, op, "mode must be 0 to 3, got %lld", (long long)mode);
  if (n > 0 && (!fits(env, op, "mask", &m, 0, 1, n, 1) || !fits(env, op, "x", &x, 0, 1, mode & 1 ? 1 : n, 1) ||
                !fits(env, op, "y", &y, 0, 1, mode & 2 ? 1 : n, 1) || !fits(env, op, "out", &out, 0, 1, n, 1)))
    return NULL;
  bool_job j = {NULL, NULL, true, x.p, y.p, m.p, out.p, (size_t)n, (int)mode};
  run_bool(&j);
  return js_undefined(env);
}

// ---- transpose(x, rows, cols, out): out (cols×rows) = xᵀ for the row-major rows×cols x ---------------------------

typedef struct {
  const double *x;
  double *out;
  int64_t rows, cols;
} transpose_job;

#define TILE 32
#define TRANSPOSE_BAND 64 // output rows per chunk

/** Output rows [c·BAND, (c+1)·BAND): tiles of TILE×TILE, read along x's rows, written along out's rows. */
static void transpose_chunk(void *ctx, size_t c) {
  const transpose_job *t = ctx;
  int64_t j0 = (int64_t)c * TRANSPOSE_BAND, j1 = j0 + TRANSPOSE_BAND < t->cols ? j0 + TRANSPOSE_BAND : t->cols;
  for (int64_t ib = 0; ib < t->rows; ib += TILE) {
    int64_t ie = ib + TILE < t->rows ? ib + TILE : t->rows;
    for (int64_t jb = j0; jb < j1; jb += TILE) {
      int64_t je = jb + TILE < j1 ? jb + TILE : j1;
      for (int64_t j = jb; j < je; j++)
        for (int64_t i = ib; i < ie; i++) t->out[j * t->rows + i] = t->x[i * t->cols + j];
    }
  }
}

static napi_value transpose(napi_env env, napi_callback_info info) {
  const char *op = "transpose";
  int64_t rows, cols;
  arr_t x, out;
  if (!args(env, info, op, "D:x i:rows i:cols D:out", &x, &rows, &cols, &out) ||
      !fits(env, op, "x", &x, 0, cols > 0 ? cols : 1, rows, cols) ||
      !fits(env, op, "out", &out, 0, rows > 0 ? rows : 1, cols, rows))
    return NULL;
  if (rows == 0 || cols == 0) return js_undefined(env);
  transpose_job t = {x.p, out.p, rows, cols};
  size_t chunks = (size_t)((cols + TRANSPOSE_BAND - 1) / TRANSPOSE_BAND);
  if (rows * cols < (1 << 16)) for (size_t c = 0; c < chunks; c++) transpose_chunk(&t, c);
  else parallel_for(chunks, transpose_chunk, &t);
  return js_undefined(env);
}

void register_math(napi_env env, napi_value exports) {
  static const entry_t entries[] = {{"unary", unary}, {"binary", binary}, {"binary2d", binary2d}, {"reduce", reduce}, {"argreduce", argreduce}, {"clip", clip}, {"argsort", argsort}, {"gather", gather}, {"transpose", transpose},
                                     {"compare", compare}, {"predicate", predicate}, {"select", select_}};
  register_entries(env, exports, entries, COUNT(entries));
}
