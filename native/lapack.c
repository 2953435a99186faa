// LAPACK entry points with the contracts of lib/linalg/kernels/*.ts: row-major matrices, results in the caller's
// arrays. LAPACK is column-major, and a row-major matrix is its transpose in column-major, so:
//   potrf   the row-major lower triangle is the column-major upper one: potrf('U') in place, no copy
//   trsm    CBLAS RowMajor (no copy); getrs = the row swaps + two trsm
//   gesdd   SVD of Aᵀ = U' S V'ᵀ gives A = V' S U'ᵀ: V'ᵀ lands in U's row-major layout directly; only V is transposed
//   getrf, syevd, geqrf/orgqr   the factorization of Aᵀ is not one of A: these transpose (O(n²) beside O(n³))
// Return values are LAPACK's info (> 0: singular / not positive definite / no convergence).
#include "addon.h"
#include "blas.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

/** In-place transpose of the n×n matrix at a. */
static void transpose_square(double *a, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) {
      double t = a[i * n + j];
      a[i * n + j] = a[j * n + i];
      a[j * n + i] = t;
    }
}

/** malloc that throws "<op>: out of memory ..." on failure. */
static void *scratch(napi_env env, const char *op, size_t count, size_t size) {
  void *p = count ? malloc(count * size) : malloc(1);
  if (!p) fail(env, op, "out of memory (a workspace of %zu bytes)", count * size);
  return p;
}

static bool square_fits(napi_env env, const char *op, const char *name, const arr_t *a, int64_t off, int64_t n) {
  int64_t dims[] = {n};
  return int32_dims(env, op, 1, dims) && fits(env, op, name, a, off, n, n, n);
}

// dgetrf(n, a, off, piv) → info: in place P·A = L·U (unit L below the diagonal), piv[k] = 0-based row swapped at k.
static napi_value getrf(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dgetrf";
  int64_t n, off;
  arr_t a, piv;
  if (!args(env, info, op, "i:n D:a i:off I:piv", &n, &a, &off, &piv) || !square_fits(env, op, "a", &a, off, n))
    return NULL;
  if ((int64_t)piv.len < n) return fail(env, op, "piv has %zu entries, needs %lld", piv.len, (long long)n);
  if (n == 0) return js_int(env, 0);
  double *A = (double *)a.p + off;
  int *ipiv = (int *)piv.p, N = (int)n, res = 0;
  transpose_square(A, n);
  dgetrf_(&N, &N, A, &N, ipiv, &res);
  transpose_square(A, n);
  for (int64_t i = 0; i < n; i++) ipiv[i] -= 1;
  return js_int(env, res);
}

// dgetrs(n, lu, off, piv, b, boff, k): solves A·X = B in place in the row-major n×k B from dgetrf's output.
static napi_value getrs(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dgetrs";
  int64_t n, off, boff, k;
  arr_t lu, piv, b;
  if (!args(env, info, op, "i:n D:lu i:off I:piv D:b i:boff i:k", &n, &lu, &off, &piv, &b, &boff, &k) ||
      !square_fits(env, op, "lu", &lu, off, n) || !fits(env, op, "b", &b, boff, k, n, k))
    return NULL;
  if ((int64_t)piv.len < n) return fail(env, op, "piv has %zu entries, needs %lld", piv.len, (long long)n);
  if (n == 0 || k == 0) return js_undefined(env);
  double *B = (double *)b.p + boff;
  const int *ipiv = (const int *)piv.p;
  for (int64_t i = 0; i < n; i++) {
    int64_t p = ipiv[i];
    if (p < 0 || p >= n) return fail(env, op, "piv[%lld] = %lld is out of range for n = %lld", (long long)i,
                                     (long long)p, (long long)n);
    if (p != i)
      for (int64_t c = 0; c < k; c++) {
        double t = B[i * k + c];
        B[i * k + c] = B[p * k + c];
        B[p * k + c] = t;
      }
  }
  const double *L = (const double *)lu.p + off;
  cblas_dtrsm(RowMajor, Left, Lower, NoTrans, Unit, (int)n, (int)k, 1.0, L, (int)n, B, (int)k);
  cblas_dtrsm(RowMajor, Left, Upper, NoTrans, NonUnit, (int)n, (int)k, 1.0, L, (int)n, B, (int)k);
  return js_undefined(env);
}

// dtrsm(lower, unit, n, k, t, toff, b, boff): solves T·X = B in place (row-major n×n T, n×k B).
static napi_value trsm(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dtrsm";
  bool lower, unit;
  int64_t n, k, toff, boff;
  arr_t t, b;
  if (!args(env, info, op, "b:lower b:unit i:n i:k D:t i:toff D:b i:boff", &lower, &unit, &n, &k, &t, &toff, &b,
            &boff) ||
      !square_fits(env, op, "t", &t, toff, n) || !fits(env, op, "b", &b, boff, k, n, k))
    return NULL;
  if (n > 0 && k > 0)
    cblas_dtrsm(RowMajor, Left, lower ? Lower : Upper, NoTrans, unit ? Unit : NonUnit, (int)n, (int)k, 1.0,
                (const double *)t.p + toff, (int)n, (double *)b.p + boff, (int)k);
  return js_undefined(env);
}

// dpotrf(n, a, off, l, loff) → info: lower Cholesky factor of the symmetric part (A + Aᵀ)/2, upper triangle zeroed.
static napi_value potrf(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dpotrf";
  int64_t n, off, loff;
  arr_t a, l;
  if (!args(env, info, op, "i:n D:a i:off D:l i:loff", &n, &a, &off, &l, &loff) ||
      !square_fits(env, op, "a", &a, off, n) || !square_fits(env, op, "l", &l, loff, n))
    return NULL;
  if (n == 0) return js_int(env, 0);
  const double *A = (const double *)a.p + off;
  double *L = (double *)l.p + loff;
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) L[i * n + j] = j > i ? 0 : j == i ? A[i * n + i] : 0.5 * (A[i * n + j] + A[j * n + i]);
  int N = (int)n, res = 0;
  dpotrf_("U", &N, L, &N, &res, 1); // column-major upper = our row-major lower
  return js_int(env, res);
}

// dsyevd(n, a, off, w, v) → info: eigenvalues ascending in w, eigenvectors as the columns of the row-major v,
// from the lower triangle of a (numpy's UPLO='L').
static napi_value syevd(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dsyevd";
  int64_t n, off;
  arr_t a, w, v;
  if (!args(env, info, op, "i:n D:a i:off D:w D:v", &n, &a, &off, &w, &v) || !square_fits(env, op, "a", &a, off, n) ||
      !square_fits(env, op, "v", &v, 0, n) || !fits(env, op, "w", &w, 0, 1, n, 1))
    return NULL;
  if (n == 0) return js_int(env, 0);
  double *V = (double *)v.p;
  memcpy(V, (const double *)a.p + off, (size_t)(n * n) * sizeof(double));
  int N = (int)n, lwork = -1, liwork = -1, iw, res = 0;
  double wq;
  dsyevd_("V", "U", &N, V, &N, (double *)w.p, &wq, &lwork, &iw, &liwork, &res, 1, 1); // workspace query
  lwork = (int)wq;
  liwork = iw;
  double *work = scratch(env, op, (size_t)lwork, sizeof(double));
  int *iwork = work ? scratch(env, op, (size_t)liwork, sizeof(int)) : NULL;
  if (!iwork) return free(work), NULL;
  dsyevd_("V", "U", &N, V, &N, (double *)w.p, work, &lwork, iwork, &liwork, &res, 1, 1);
  free(work);
  free(iwork);
  transpose_square(V, n); // column-major eigenvector columns → row-major columns
  return js_int(env, res);
}

// dgesdd(m, n, a, off, full, u, s, v) → info: A = U·diag(s)·Vᵀ with U m×ku, V n×kv row-major (ku = kv = min(m, n),
// or m and n when full), s descending. Signs are left to the caller.
static napi_value gesdd(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dgesdd";
  int64_t m, n, off;
  bool full;
  arr_t a, u, s, v;
  if (!args(env, info, op, "i:m i:n D:a i:off b:full D:u D:s D:v", &m, &n, &a, &off, &full, &u, &s, &v)) return NULL;
  int64_t k = m < n ? m : n, ku = full ? m : k, kv = full ? n : k, dims[] = {m, n};
  if (!int32_dims(env, op, 2, dims) || !fits(env, op, "a", &a, off, n, m, n) || !fits(env, op, "u", &u, 0, ku, m, ku) ||
      !fits(env, op, "v", &v, 0, kv, n, kv) || !fits(env, op, "s", &s, 0, 1, k, 1))
    return NULL;
  if (k == 0) return js_int(env, 0);
  // Column-major problem: Aᵀ (n×m, lda n) = U' S V'ᵀ; U' is n×kv (ldu n), V'ᵀ is ku×m (ldvt ku) = our U.
  int M = (int)n, N = (int)m, ldvt = (int)ku, lwork = -1, res = 0;
  double *at = scratch(env, op, (size_t)(m * n), sizeof(double));
  double *up = at ? scratch(env, op, (size_t)(n * kv), sizeof(double)) : NULL;
  int *iwork = up ? scratch(env, op, (size_t)(8 * k), sizeof(int)) : NULL;
  double wq, *work = NULL;
  if (iwork) {
    memcpy(at, (const double *)a.p + off, (size_t)(m * n) * sizeof(double)); // gesdd overwrites its input
    dgesdd_(full ? "A" : "S", &M, &N, at, &M, (double *)s.p, up, &M, (double *)u.p, &ldvt, &wq, &lwork, iwork, &res, 1);
    lwork = (int)wq;
    work = scratch(env, op, (size_t)lwork, sizeof(double));
  }
  if (work) {
    dgesdd_(full ? "A" : "S", &M, &N, at, &M, (double *)s.p, up, &M, (double *)u.p, &ldvt, work, &lwork, iwork, &res, 1);
    double *V = (double *)v.p;
    for (int64_t r = 0; r < n; r++)
      for (int64_t c = 0; c < kv; c++) V[r * kv + c] = up[c * n + r];
  }
  free(at);
  free(up);
  free(iwork);
  free(work);
  return work ? js_int(env, res) : NULL;
}

// dgeqrf(m, n, a, off, complete, q, r) → info: Householder QR by geqrf + orgqr; Q m×qc, R rr×n row-major with
// qc = rr = min(m, n), or m when complete.
static napi_value geqrf(napi_env env, napi_callback_info info) {
  parallel_hush(); // OpenBLAS's threads get both cores
  const char *op = "dgeqrf";
  int64_t m, n, off;
  bool complete;
  arr_t a, q, r;
  if (!args(env, info, op, "i:m i:n D:a i:off b:complete D:q D:r", &m, &n, &a, &off, &complete, &q, &r)) return NULL;
  int64_t k = m < n ? m : n, qc = complete ? m : k, cols = n > qc ? n : qc, dims[] = {m, n};
  if (!int32_dims(env, op, 2, dims) || !fits(env, op, "a", &a, off, n, m, n) || !fits(env, op, "q", &q, 0, qc, m, qc) ||
      !fits(env, op, "r", &r, 0, n, qc, n))
    return NULL;
  double *Q = (double *)q.p, *R = (double *)r.p;
  const double *A = (const double *)a.p + off;
  memset(R, 0, (size_t)(qc * n) * sizeof(double));
  if (m == 0) return js_int(env, 0);
  double *W = scratch(env, op, (size_t)(m * cols), sizeof(double)); // column-major m×cols, lda m
  double *tau = W ? scratch(env, op, (size_t)(k + 1), sizeof(double)) : NULL;
  if (!tau) return free(W), NULL;
  memset(W, 0, (size_t)(m * cols) * sizeof(double));
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) W[j * m + i] = A[i * n + j];
  int M = (int)m, N = (int)n, K = (int)k, QC = (int)qc, lwork = -1, res = 0;
  double wq = 0, w2 = 0, *work = NULL;
  if (k > 0) {
    dgeqrf_(&M, &N, W, &M, tau, &wq, &lwork, &res);
    dorgqr_(&M, &QC, &K, W, &M, tau, &w2, &lwork, &res);
    lwork = (int)(wq > w2 ? wq : w2);
    work = scratch(env, op, (size_t)lwork, sizeof(double));
    if (!work) return free(W), free(tau), NULL;
    dgeqrf_(&M, &N, W, &M, tau, work, &lwork, &res);
    for (int64_t i = 0; i < k; i++)
      for (int64_t j = i; j < n; j++) R[i * n + j] = W[j * m + i];
  }
  // Q: orgqr expands the reflectors in place (columns past k start as zeros when complete).
  if (res == 0 && qc > 0) {
    if (k == 0) { // no reflectors: Q = I
      memset(Q, 0, (size_t)(m * qc) * sizeof(double));
      for (int64_t i = 0; i < qc; i++) Q[i * qc + i] = 1;
    } else {
      for (int64_t j = k; j < qc; j++) memset(W + j * m, 0, (size_t)m * sizeof(double));
      dorgqr_(&M, &QC, &K, W, &M, tau, work, &lwork, &res);
      for (int64_t i = 0; i < m; i++)
        for (int64_t c = 0; c < qc; c++) Q[i * qc + c] = W[c * m + i];
    }
  }
  free(W);
  free(tau);
  free(work);
  return js_int(env, res);
}

void register_lapack(napi_env env, napi_value exports) {
  static const entry_t entries[] = {
      {"dgetrf", getrf}, {"dgetrs", getrs}, {"dtrsm", trsm},   {"dpotrf", potrf},
      {"dsyevd", syevd}, {"dgesdd", gesdd}, {"dgeqrf", geqrf},
  };
  register_entries(env, exports, entries, COUNT(entries));
}
