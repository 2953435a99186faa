// BLAS entry points on row-major operands (CBLAS's RowMajor order: OpenBLAS swaps the operands, no copies).
// Products overwrite their output (beta = 0). Offsets and leading dimensions are in elements.
#include "addon.h"
#include "blas.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "gemm.h"
#include "parallel.h"

// Which double-precision product kernel runs: OpenBLAS's, or the addon's own AVX-512 one (gemm_avx512.c) when the
// CPU has AVX-512 but OpenBLAS runs an older kernel (an old build pinned by OPENBLAS_CORETYPE, or one that does not
// know the CPU). GRADLAB_GEMM=openblas / =avx512 chooses by hand (the latter only where the CPU has it).
static int own_gemm = -1; // -1: not decided yet

static bool openblas_has_avx512(void) {
  const char *core = openblas_get_corename();
  static const char *const wide[] = {"skylakex", "cooperlake", "sapphirerapids"};
  if (!core) return false;
  for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
    if (strcasecmp(core, wide[i]) == 0) return true;
  return false;
}

static bool use_own_gemm(int64_t m, int64_t n, int64_t k) {
  if (own_gemm < 0) {
    const char *choice = getenv("GRADLAB_GEMM");
    bool can = __builtin_cpu_supports("avx512f"); // checked here: gemm_avx512.c itself is compiled for AVX-512
    if (choice && strcmp(choice, "openblas") == 0) own_gemm = 0;
    else if (choice && strcmp(choice, "avx512") == 0) own_gemm = can;
    else own_gemm = can && !openblas_has_avx512();
  }
  // Small products (below ~40³ multiply-adds, where the two break even) and thin ones (where the own kernel's
  // 8×24 tiles would be more than 2.5 times the product: a few rows or columns) stay with OpenBLAS (measured).
  double padded = (double)((m + 7) / 8 * 8) * (double)((n + 23) / 24 * 24);
  return own_gemm && (double)m * (double)n * (double)k >= 65536 && padded <= 2.5 * (double)m * (double)n;
}

/** op(X) is rows×cols; X itself is stored transposed when t. */
static bool fits_op(napi_env env, const char *op, const char *name, const arr_t *x, int64_t off, int64_t ld,
                    bool t, int64_t rows, int64_t cols) {
  return fits(env, op, name, x, off, ld, t ? cols : rows, t ? rows : cols);
}

/** C[m×n] = op(A)·op(B) for each batch entry t: A at aOffs[t], B at bOffs[t], C at cOff + t·m·ldc. */
static napi_value gemm(napi_env env, const char *op, bool single, bool ta, bool tb, int64_t m, int64_t n, int64_t k,
                       arr_t *A, const double *aOffs, int64_t lda, arr_t *B, const double *bOffs, int64_t ldb,
                       arr_t *C, int64_t cOff, int64_t ldc, size_t batch) {
  int64_t dims[] = {m, n, k, lda, ldb, ldc};
  if (!int32_dims(env, op, 6, dims)) return NULL;
  for (size_t t = 0; t < batch; t++) {
    int64_t ao = (int64_t)aOffs[t], bo = (int64_t)bOffs[t];
    if (!(aOffs[t] >= 0) || !(bOffs[t] >= 0) || ao != aOffs[t] || bo != bOffs[t])
      return fail(env, op, "batch offsets must be non-negative integers (entry %zu)", t);
    if (!fits_op(env, op, "A", A, ao, lda, ta, m, k) || !fits_op(env, op, "B", B, bo, ldb, tb, k, n)) return NULL;
  }
  if (!fits(env, op, "C", C, cOff, ldc, (int64_t)batch * m, n)) return NULL;
  if (batch > 1 && ldc != n) return fail(env, op, "a batched C must be contiguous (ldc %lld, n %lld)", (long long)ldc,
                                         (long long)n);
  if (m == 0 || n == 0) return js_undefined(env);
  size_t es = single ? sizeof(float) : sizeof(double);
  bool own = !single && k > 0 && use_own_gemm(m, n, k);
  if (!own) parallel_hush(); // OpenBLAS's threads get both cores
  for (size_t t = 0; t < batch; t++) {
    char *c = (char *)C->p + (size_t)(cOff + (int64_t)t * m * ldc) * es;
    if (k == 0) { // BLAS would leave C alone for k = 0 with beta = 0 in some builds: the product is zero
      for (int64_t i = 0; i < m; i++) memset(c + (size_t)(i * ldc) * es, 0, (size_t)n * es);
      continue;
    }
    const char *a = (const char *)A->p + (size_t)aOffs[t] * es, *b = (const char *)B->p + (size_t)bOffs[t] * es;
    int tA = ta ? Trans : NoTrans, tB = tb ? Trans : NoTrans;
    if (own && gemm_avx512(ta, tb, m, n, k, (const double *)a, lda, (const double *)b, ldb, (double *)c, ldc))
      continue;
    if (single)
      cblas_sgemm(RowMajor, tA, tB, (int)m, (int)n, (int)k, 1.0f, (const float *)a, (int)lda, (const float *)b,
                  (int)ldb, 0.0f, (float *)c, (int)ldc);
    else
      cblas_dgemm(RowMajor, tA, tB, (int)m, (int)n, (int)k, 1.0, (const double *)a, (int)lda, (const double *)b,
                  (int)ldb, 0.0, (double *)c, (int)ldc);
  }
  return js_undefined(env);
}

// dgemm / sgemm(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc)
static napi_value gemm_one(napi_env env, napi_callback_info info, bool single) {
  const char *op = single ? "sgemm" : "dgemm";
  bool ta, tb;
  int64_t m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
  arr_t A, B, C;
  if (!args(env, info, op, single ? "b:transA b:transB i:m i:n i:k F:A i:aOff i:lda F:B i:bOff i:ldb F:C i:cOff i:ldc"
                                  : "b:transA b:transB i:m i:n i:k D:A i:aOff i:lda D:B i:bOff i:ldb D:C i:cOff i:ldc",
            &ta, &tb, &m, &n, &k, &A, &aOff, &lda, &B, &bOff, &ldb, &C, &cOff, &ldc))
    return NULL;
  double ao = (double)aOff, bo = (double)bOff;
  return gemm(env, op, single, ta, tb, m, n, k, &A, &ao, lda, &B, &bo, ldb, &C, cOff, ldc, 1);
}

// dgemmBatched / sgemmBatched(transA, transB, m, n, k, A, aOffsets, lda, B, bOffsets, ldb, C, cOff): one call for a
// whole (broadcast) batch; the offsets are Float64Arrays of one length, C's entries follow each other (m×n each).
static napi_value gemm_batched(napi_env env, napi_callback_info info, bool single) {
  const char *op = single ? "sgemmBatched" : "dgemmBatched";
  bool ta, tb;
  int64_t m, n, k, lda, ldb, cOff;
  arr_t A, B, C, ao, bo;
  if (!args(env, info, op, single ? "b:transA b:transB i:m i:n i:k F:A D:aOffsets i:lda F:B D:bOffsets i:ldb F:C i:cOff"
                                  : "b:transA b:transB i:m i:n i:k D:A D:aOffsets i:lda D:B D:bOffsets i:ldb D:C i:cOff",
            &ta, &tb, &m, &n, &k, &A, &ao, &lda, &B, &bo, &ldb, &C, &cOff))
    return NULL;
  if (ao.len != bo.len) return fail(env, op, "aOffsets (%zu) and bOffsets (%zu) differ in length", ao.len, bo.len);
  if (ao.len == 0) return js_undefined(env);
  return gemm(env, op, single, ta, tb, m, n, k, &A, ao.p, lda, &B, bo.p, ldb, &C, cOff, n, ao.len);
}

static napi_value dgemm(napi_env env, napi_callback_info info) { return gemm_one(env, info, false); }
static napi_value sgemm(napi_env env, napi_callback_info info) { return gemm_one(env, info, true); }
static napi_value dgemm_b(napi_env env, napi_callback_info info) { return gemm_batched(env, info, false); }
static napi_value sgemm_b(napi_env env, napi_callback_info info) { return gemm_batched(env, info, true); }

// ---- gemv: memory-bound, so it is split over the cores (parallel.h) instead of OpenBLAS's threads, which on this
// 2-core machine ran dgemv_t at half the speed of one core and lose badly when the other core is busy (measured).
// How a product is split depends only on its shape, so results never depend on the thread count or timing.

#define GEMV_CHUNK (1 << 15) // elements of A per chunk (256 KB): below 2 chunks one thread does it all
#define GEMV_MAX_CHUNKS 16

static size_t gemv_chunks(int64_t m, int64_t n) {
  int64_t c = (m * n) / GEMV_CHUNK;
  return c < 1 ? 1 : c > GEMV_MAX_CHUNKS ? GEMV_MAX_CHUNKS : (size_t)c;
}

/** y[0..n) = Σ_{i<m} x_i · A_i for rows A_i (lda apart) of a row-major A: one pass over A, four rows at a time. */
CLONES static void axpy_rows(int64_t m, int64_t n, const double *restrict A, int64_t lda, const double *restrict x,
                             int64_t incx, double *restrict y) {
  for (int64_t j = 0; j < n; j++) y[j] = 0;
  int64_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const double x0 = x[i * incx], x1 = x[(i + 1) * incx], x2 = x[(i + 2) * incx], x3 = x[(i + 3) * incx];
    const double *r0 = A + i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
    for (int64_t j = 0; j < n; j++) y[j] += (x0 * r0[j] + x1 * r1[j]) + (x2 * r2[j] + x3 * r3[j]);
  }
  for (; i < m; i++)
    for (int64_t j = 0; j < n; j++) y[j] += x[i * incx] * A[i * lda + j];
}

/** y_i = A_i · x for i < m (y with stride incy), four rows per pass sharing each load of x. */
CLONES static void dot_rows(int64_t m, int64_t n, const double *restrict A, int64_t lda, const double *restrict x,
                            double *restrict y, int64_t incy) {
  int64_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const double *r0 = A + i * lda, *r1 = r0 + lda, *r2 = r1 + lda, *r3 = r2 + lda;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (int64_t j = 0; j < n; j++) {
      s0 += r0[j] * x[j];
      s1 += r1[j] * x[j];
      s2 += r2[j] * x[j];
      s3 += r3[j] * x[j];
    }
    y[i * incy] = s0, y[(i + 1) * incy] = s1, y[(i + 2) * incy] = s2, y[(i + 3) * incy] = s3;
  }
  for (; i < m; i++) {
    const double *r = A + i * lda;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < n; j++) s += r[j] * x[j];
    y[i * incy] = s;
  }
}

typedef struct {
  int64_t m, n, lda, incx, incy;
  const double *A, *x;
  double *y, *partial;
  int64_t pstride; // doubles between two chunks' partial sums: whole cache lines, so no two cores write one line
  size_t chunks;
} gemv_job;

static int64_t chunk_start(size_t c, size_t chunks, int64_t len) { return (int64_t)((len * (int64_t)c) / (int64_t)chunks); }

/** y = A·x, rows of y split into chunks. */
static void gemv_n_chunk(void *ctx, size_t c) {
  const gemv_job *g = ctx;
  int64_t r0 = chunk_start(c, g->chunks, g->m), r1 = chunk_start(c + 1, g->chunks, g->m);
  dot_rows(r1 - r0, g->n, g->A + r0 * g->lda, g->lda, g->x, g->y + r0 * g->incy, g->incy);
}

/** y = Aᵀx with few columns: each chunk of rows sums into its own partial y (added in chunk order after). */
static void gemv_t_rows_chunk(void *ctx, size_t c) {
  const gemv_job *g = ctx;
  int64_t r0 = chunk_start(c, g->chunks, g->m), r1 = chunk_start(c + 1, g->chunks, g->m);
  axpy_rows(r1 - r0, g->n, g->A + r0 * g->lda, g->lda, g->x + r0 * g->incx, g->incx, g->partial + (int64_t)c * g->pstride);
}

/** y = Aᵀx with many columns: each chunk owns a range of y (and of A's columns). */
static void gemv_t_cols_chunk(void *ctx, size_t c) {
  const gemv_job *g = ctx;
  int64_t c0 = chunk_start(c, g->chunks, g->n), c1 = chunk_start(c + 1, g->chunks, g->n);
  axpy_rows(g->m, c1 - c0, g->A + c0, g->lda, g->x, g->incx, g->y + c0);
}

/** y = op(A)·x for the row-major m×n A (x contiguous when !t); false when it does not take this shape (the
 *  caller uses cblas_dgemv) or scratch memory is short. */
static bool gemv_split(bool t, int64_t m, int64_t n, const double *A, int64_t lda, const double *x, int64_t incx,
                       double *y, int64_t incy) {
  gemv_job g = {.m = m, .n = n, .lda = lda, .incx = incx, .incy = incy, .A = A, .x = x, .y = y, .chunks = gemv_chunks(m, n)};
  if (!t) {
    if (incx != 1) return false;
    parallel_for(g.chunks, gemv_n_chunk, &g);
    return true;
  }
  if (incy != 1) return false;
  if (g.chunks == 1) {
    axpy_rows(m, n, A, lda, x, incx, y);
  } else if (n >= 256 * (int64_t)g.chunks) {
    parallel_for(g.chunks, gemv_t_cols_chunk, &g);
  } else {
    // Each chunk's partial y starts on its own 64-byte cache line: with partials packed back to back, two cores
    // summing neighbouring chunks wrote one shared line every four rows, and the product ran no faster on two
    // cores than on one (measured: 10000×100 Aᵀx 0.093 ms on two cores, 0.112 on one).
    g.pstride = (n + 7) & ~(int64_t)7;
    g.partial = aligned_alloc(64, sizeof(double) * g.chunks * (size_t)g.pstride);
    if (g.partial == NULL) return false;
    parallel_for(g.chunks, gemv_t_rows_chunk, &g);
    for (int64_t j = 0; j < n; j++) y[j] = g.partial[j];
    for (size_t c = 1; c < g.chunks; c++)
      for (int64_t j = 0; j < n; j++) y[j] += g.partial[(int64_t)c * g.pstride + j];
    free(g.partial);
  }
  return true;
}

// dgemv(trans, m, n, A, aOff, lda, x, xOff, incx, y, yOff, incy): y = op(A)·x for the row-major m×n matrix A.
static napi_value dgemv(napi_env env, napi_callback_info info) {
  const char *op = "dgemv";
  bool t;
  int64_t m, n, aOff, lda, xOff, incx, yOff, incy;
  arr_t A, x, y;
  if (!args(env, info, op, "b:trans i:m i:n D:A i:aOff i:lda D:x i:xOff i:incx D:y i:yOff i:incy", &t, &m, &n, &A,
            &aOff, &lda, &x, &xOff, &incx, &y, &yOff, &incy))
    return NULL;
  int64_t dims[] = {m, n, lda, incx, incy}, lx = t ? m : n, ly = t ? n : m;
  if (!int32_dims(env, op, 5, dims) || !fits(env, op, "A", &A, aOff, lda, m, n) ||
      !fits(env, op, "x", &x, xOff, incx, lx, 1) || !fits(env, op, "y", &y, yOff, incy, ly, 1))
    return NULL;
  if (ly == 0) return js_undefined(env);
  if (lx == 0) {
    for (int64_t i = 0; i < ly; i++) ((double *)y.p)[yOff + i * incy] = 0;
  } else if (!gemv_split(t, m, n, (double *)A.p + aOff, lda, (double *)x.p + xOff, incx, (double *)y.p + yOff,
                         incy)) {
    parallel_hush();
    cblas_dgemv(RowMajor, t ? Trans : NoTrans, (int)m, (int)n, 1.0, (double *)A.p + aOff, (int)lda,
                (double *)x.p + xOff, (int)incx, 0.0, (double *)y.p + yOff, (int)incy);
  }
  return js_undefined(env);
}

// ddot(n, x, xOff, incx, y, yOff, incy) → Σ x·y
static napi_value ddot(napi_env env, napi_callback_info info) {
  const char *op = "ddot";
  int64_t n, xOff, incx, yOff, incy;
  arr_t x, y;
  if (!args(env, info, op, "i:n D:x i:xOff i:incx D:y i:yOff i:incy", &n, &x, &xOff, &incx, &y, &yOff, &incy))
    return NULL;
  int64_t dims[] = {n, incx, incy};
  if (!int32_dims(env, op, 3, dims) || !fits(env, op, "x", &x, xOff, incx, n, 1) ||
      !fits(env, op, "y", &y, yOff, incy, n, 1))
    return NULL;
  if (n == 0) return js_double(env, 0);
  return js_double(env, cblas_ddot((int)n, (double *)x.p + xOff, (int)incx, (double *)y.p + yOff, (int)incy));
}

// daxpy(n, alpha, x, xOff, incx, y, yOff, incy): y += alpha·x
static napi_value daxpy(napi_env env, napi_callback_info info) {
  const char *op = "daxpy";
  int64_t n, xOff, incx, yOff, incy;
  double alpha;
  arr_t x, y;
  if (!args(env, info, op, "i:n d:alpha D:x i:xOff i:incx D:y i:yOff i:incy", &n, &alpha, &x, &xOff, &incx, &y,
            &yOff, &incy))
    return NULL;
  int64_t dims[] = {n, incx, incy};
  if (!int32_dims(env, op, 3, dims) || !fits(env, op, "x", &x, xOff, incx, n, 1) ||
      !fits(env, op, "y", &y, yOff, incy, n, 1))
    return NULL;
  if (n > 0) cblas_daxpy((int)n, alpha, (double *)x.p + xOff, (int)incx, (double *)y.p + yOff, (int)incy);
  return js_undefined(env);
}

static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  return js_int(env, openblas_get_num_threads());
}

// gemmKernel(): which kernel a large float64 product runs, e.g. "gradlab avx512" or "OpenBLAS Haswell".
static napi_value gemm_kernel(napi_env env, napi_callback_info info) {
  (void)info;
  char name[96];
  use_own_gemm(0, 0, 0);
  const char *core = openblas_get_corename();
  if (own_gemm) snprintf(name, sizeof name, "gradlab avx512 (OpenBLAS core: %s)", core ? core : "?");
  else snprintf(name, sizeof name, "OpenBLAS %s", core ? core : "?");
  napi_value v;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &v);
  return v;
}

void register_blas(napi_env env, napi_value exports) {
  static const entry_t entries[] = {
      {"dgemm", dgemm}, {"sgemm", sgemm},   {"dgemmBatched", dgemm_b}, {"sgemmBatched", sgemm_b},
      {"dgemv", dgemv}, {"ddot", ddot},     {"daxpy", daxpy},          {"blasThreads", threads},
      {"gemmKernel", gemm_kernel},
  };
  register_entries(env, exports, entries, COUNT(entries));
}
