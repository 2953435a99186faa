// Double-precision matrix product with AVX-512, for machines where OpenBLAS runs an older kernel than the CPU has.
// Why it exists: OpenBLAS 0.3.21 (Debian bookworm) predates the CPUs it now meets, so machines like this one pin it
// to its AVX2 "Haswell" kernels (OPENBLAS_CORETYPE), half the vector width the core has: 84 GFLOP/s at n = 512
// where a current OpenBLAS reaches ~140. When OpenBLAS already runs an AVX-512 kernel, blas.c calls it instead.
//
// The classic three-level blocking (Goto / BLIS): a KC×NC block of op(B) is packed into NR-wide micro-panels (kept
// in L2), an MC×KC block of op(A) into MR-tall micro-panels (each kept in L1 while it sweeps the B block), and a
// register-blocked micro-kernel accumulates an MR×NR tile of C in 24 zmm registers over KC steps. Packing handles
// both transposes and any leading dimension, and pads edge tiles with zeros (edge tiles go through a small buffer),
// so the kernel itself has a single shape. Row-major C: vectors run along a row of C (NR = 3 vectors).
// Threads: blocks of C (column blocks, or row blocks where those split more evenly) are independent chunks for
// parallel_for; each chunk packs its own operands. Every C element is the same sequence of FMAs in k order (the K
// blocking depends on k alone) whatever the thread count or chunking: results do not depend on them.
#include <immintrin.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "parallel.h"

enum { MR = 8, NR = 24, KC = 256, MC = 120, NC_MAX = 264 };
// Below this many multiply-adds (~100³) a product runs on the calling thread alone: waking a worker costs more.
#define PARALLEL_MIN_FMAS 1e6

/** One MR×NR tile: c (row stride ldc) = (accumulate ? c : 0) + Ap·Bp over kc steps. */
static inline void micro_kernel(int64_t kc, const double *restrict ap, const double *restrict bp, double *restrict c,
                                int64_t ldc, bool accumulate) {
#define ROW(i) __m512d c##i##0 = _mm512_setzero_pd(), c##i##1 = _mm512_setzero_pd(), c##i##2 = _mm512_setzero_pd();
  ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
  for (int64_t p = 0; p < kc; p++) {
    __m512d b0 = _mm512_load_pd(bp), b1 = _mm512_load_pd(bp + 8), b2 = _mm512_load_pd(bp + 16);
    _mm_prefetch((const char *)(bp + 8 * NR), _MM_HINT_T0);
#define ROW(i)                                   \
  {                                              \
    __m512d a = _mm512_set1_pd(ap[i]);           \
    c##i##0 = _mm512_fmadd_pd(a, b0, c##i##0);   \
    c##i##1 = _mm512_fmadd_pd(a, b1, c##i##1);   \
    c##i##2 = _mm512_fmadd_pd(a, b2, c##i##2);   \
  }
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
    ap += MR;
    bp += NR;
  }
#define ROW(i)                                                                                   \
  {                                                                                              \
    double *r = c + (i) * ldc;                                                                   \
    if (accumulate) {                                                                            \
      c##i##0 = _mm512_add_pd(c##i##0, _mm512_loadu_pd(r));                                      \
      c##i##1 = _mm512_add_pd(c##i##1, _mm512_loadu_pd(r + 8));                                  \
      c##i##2 = _mm512_add_pd(c##i##2, _mm512_loadu_pd(r + 16));                                 \
    }                                                                                            \
    _mm512_storeu_pd(r, c##i##0);                                                                \
    _mm512_storeu_pd(r + 8, c##i##1);                                                            \
    _mm512_storeu_pd(r + 16, c##i##2);                                                           \
  }
  ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
#undef ROW
}

typedef struct {
  bool ta, tb;
  int64_t m, n, k, lda, ldb, ldc;
  int64_t rows, cols, gn; // each chunk: `rows` rows × `cols` columns of C (multiples of MR, NR); gn chunks per row
  const double *a, *b;
  double *c;
  atomic_bool failed; // a chunk could not allocate its packing buffers (the caller then uses OpenBLAS)
} job_t;

static inline int64_t min64(int64_t x, int64_t y) { return x < y ? x : y; }
static inline int64_t ceil_div(int64_t x, int64_t y) { return (x + y - 1) / y; }

/** Packs op(A)[i0 : i0+mc, p0 : p0+kc] as MR-row micro-panels, k-major inside each; rows past m are zeros. */
static void pack_a(const job_t *j, int64_t i0, int64_t mc, int64_t p0, int64_t kc, double *restrict out) {
  int64_t full = mc / MR * MR;
  if (j->ta) { // op(A)(i, p) = a[p·lda + i]: row p of a is contiguous in i, read once along its length
    for (int64_t p = 0; p < kc; p++) {
      const double *src = j->a + (p0 + p) * j->lda + i0;
      double *o = out + p * MR;
      for (int64_t ir = 0; ir < full; ir += MR, o += MR * kc) _mm512_store_pd(o, _mm512_loadu_pd(src + ir));
      if (full < mc)
        for (int64_t i = 0; i < MR; i++) o[i] = full + i < mc ? src[full + i] : 0;
    }
    return;
  }
  for (int64_t ir = 0; ir < mc; ir += MR, out += MR * kc) { // op(A)(i, p) = a[i·lda + p]: contiguous in p
    int64_t rows = mc - ir < MR ? mc - ir : MR;
    for (int64_t i = 0; i < MR; i++) {
      if (i < rows) {
        const double *src = j->a + (i0 + ir + i) * j->lda + p0;
        for (int64_t p = 0; p < kc; p++) out[p * MR + i] = src[p];
      } else {
        for (int64_t p = 0; p < kc; p++) out[p * MR + i] = 0;
      }
    }
  }
}

/** Packs op(B)[p0 : p0+kc, j0 : j0+nc] as NR-column micro-panels, k-major inside each; columns past n are zeros. */
static void pack_b(const job_t *j, int64_t p0, int64_t kc, int64_t j0, int64_t nc, double *restrict out) {
  for (int64_t jr = 0; jr < nc; jr += NR, out += NR * kc) {
    int64_t cols = nc - jr < NR ? nc - jr : NR;
    if (!j->tb) { // op(B)(p, q) = b[p·ldb + q]: contiguous in q
      const double *src = j->b + p0 * j->ldb + j0 + jr;
      for (int64_t p = 0; p < kc; p++, src += j->ldb) {
        double *o = out + p * NR;
        if (cols == NR) {
          _mm512_store_pd(o, _mm512_loadu_pd(src));
          _mm512_store_pd(o + 8, _mm512_loadu_pd(src + 8));
          _mm512_store_pd(o + 16, _mm512_loadu_pd(src + 16));
        } else {
          int64_t q = 0;
          for (; q < cols; q++) o[q] = src[q];
          for (; q < NR; q++) o[q] = 0;
        }
      }
    } else { // op(B)(p, q) = b[q·ldb + p]: column q of op(B) is contiguous in p
      for (int64_t q = 0; q < NR; q++) {
        if (q < cols) {
          const double *src = j->b + (j0 + jr + q) * j->ldb + p0;
          for (int64_t p = 0; p < kc; p++) out[p * NR + q] = src[p];
        } else {
          for (int64_t p = 0; p < kc; p++) out[p * NR + q] = 0;
        }
      }
    }
  }
}

/** One block of C: rows [i1, i1 + rows) × columns [j1, j1 + cols) for chunk = (block row) · gn + (block column). */
static void run_chunk(void *ctx, size_t chunk) {
  const job_t *j = ctx;
  int64_t i1 = (int64_t)chunk / j->gn * j->rows, j1 = (int64_t)chunk % j->gn * j->cols;
  int64_t m = min64(j->m - i1, j->rows), nc = min64(j->n - j1, j->cols);
  // K and M in equal blocks of at most KC / MC: no thin last block that reloads C for a few steps.
  int64_t kc_max = ceil_div(j->k, ceil_div(j->k, KC));
  int64_t mc_max = ceil_div(ceil_div(m, ceil_div(m, MC)), MR) * MR;
  double *bpack = aligned_alloc(64, (size_t)(kc_max * ceil_div(nc, NR) * NR) * sizeof(double));
  double *apack = aligned_alloc(64, (size_t)(kc_max * mc_max) * sizeof(double));
  double edge[MR * NR] __attribute__((aligned(64)));
  if (!bpack || !apack) { // a few hundred KB at most (KC·NC_MAX, KC·MC); the caller redoes the product
    atomic_store(&j->failed, true);
    free(bpack);
    free(apack);
    return;
  }
  for (int64_t p0 = 0; p0 < j->k; p0 += kc_max) {
    int64_t kc = min64(j->k - p0, kc_max);
    bool acc = p0 > 0;
    pack_b(j, p0, kc, j1, nc, bpack);
    for (int64_t i0 = i1; i0 < i1 + m; i0 += mc_max) {
      int64_t mc = min64(i1 + m - i0, mc_max);
      pack_a(j, i0, mc, p0, kc, apack);
      for (int64_t ir = 0; ir < mc; ir += MR) {
        const double *ap = apack + ir * kc;
        int64_t rows = min64(mc - ir, MR);
        for (int64_t jr = 0; jr < nc; jr += NR) {
          int64_t cols = min64(nc - jr, NR);
          double *c = j->c + (i0 + ir) * j->ldc + j1 + jr;
          if (rows == MR && cols == NR) {
            micro_kernel(kc, ap, bpack + jr * kc, c, j->ldc, acc);
          } else { // edge tile: through a full-size buffer, then its valid part
            micro_kernel(kc, ap, bpack + jr * kc, edge, NR, false);
            for (int64_t i = 0; i < rows; i++)
              for (int64_t q = 0; q < cols; q++)
                c[i * j->ldc + q] = acc ? c[i * j->ldc + q] + edge[i * NR + q] : edge[i * NR + q];
          }
        }
      }
    }
  }
  free(bpack);
  free(apack);
}

/** How evenly `panels` split over `t` chunks (1: perfectly). */
static double balance(int64_t panels, int64_t t) { return (double)panels / (double)(t * ceil_div(panels, t)); }

bool gemm_avx512(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double *a, int64_t lda, const double *b,
                 int64_t ldb, double *c, int64_t ldc) {
  job_t j = {ta, tb, m, n, k, lda, ldb, ldc, 0, 0, 1, a, b, c, false};
  // Chunks: column blocks at most NC_MAX wide (the packed B block stays in L2); when that gives fewer chunks than
  // threads and the product is worth a second thread, split the dimension that divides more evenly (on a tie the
  // one whose chunks repack less: each chunk packs all of the other operand).
  int64_t threads = parallel_threads(), mp = ceil_div(m, MR), np = ceil_div(n, NR);
  int64_t gm = 1, gn = ceil_div(np * NR, NC_MAX);
  if (threads > 1 && gn < threads && (double)m * (double)n * (double)k >= PARALLEL_MIN_FMAS) {
    double bm = balance(mp, threads), bn = balance(np, threads);
    if (mp >= threads && (bm > bn || (bm == bn && m >= n))) gm = threads;
    else gn = min64(np, threads);
  }
  j.rows = ceil_div(mp, gm) * MR;
  j.cols = ceil_div(np, gn) * NR;
  j.gn = ceil_div(n, j.cols);
  parallel_for((size_t)(ceil_div(m, j.rows) * j.gn), run_chunk, &j);
  return !atomic_load(&j.failed);
}
