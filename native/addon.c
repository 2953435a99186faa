// gradlab's native backend: a Node-API module over OpenBLAS (BLAS + LAPACK) and vectorized elementwise math.
// Every entry point works in place on the caller's typed arrays (zero-copy) and checks its arguments first:
// bad input throws a JS error naming the operation, never reads out of bounds.
#include "addon.h"

#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_ARGS 24

napi_value fail(napi_env env, const char *op, const char *fmt, ...) {
  char msg[512];
  int n = snprintf(msg, sizeof msg, "%s: ", op);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
  va_end(ap);
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static const char *type_name(napi_typedarray_type t) {
  switch (t) {
    case napi_float64_array: return "Float64Array";
    case napi_float32_array: return "Float32Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint8_array: return "Uint8Array";
    default: return "another typed array";
  }
}

static const char *describe(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  bool ta = false;
  napi_is_typedarray(env, v, &ta);
  if (ta) {
    napi_typedarray_type tt;
    size_t len;
    napi_get_typedarray_info(env, v, &tt, &len, NULL, NULL, NULL);
    return type_name(tt);
  }
  static const char *names[] = {"undefined", "null", "a boolean", "a number", "a string", "a symbol", "an object",
                                "a function", "an external", "a bigint"};
  return (unsigned)t < COUNT(names) ? names[t] : "a value";
}

/** One argument by kind; *want is set to what was expected when it does not match. */
static bool read_arg(napi_env env, napi_value v, char kind, void *dst, const char **want) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  switch (kind) {
    case 'i': {
      double d;
      *want = "a non-negative integer";
      if (t != napi_number || napi_get_value_double(env, v, &d) != napi_ok) return false;
      if (!(d >= 0 && d <= 9007199254740991.0) || d != (double)(int64_t)d) return false;
      *(int64_t *)dst = (int64_t)d;
      return true;
    }
    case 'b':
      *want = "a boolean";
      return t == napi_boolean && napi_get_value_bool(env, v, (bool *)dst) == napi_ok;
    case 'd':
      *want = "a number";
      return t == napi_number && napi_get_value_double(env, v, (double *)dst) == napi_ok;
    case 's': {
      size_t len;
      *want = "a short string";
      return t == napi_string && napi_get_value_string_utf8(env, v, (char *)dst, 16, &len) == napi_ok && len < 15;
    }
    default: {
      arr_t *a = (arr_t *)dst;
      bool ta = false;
      *want = kind == 'D' ? "a Float64Array" : kind == 'F' ? "a Float32Array" : kind == 'I' ? "an Int32Array"
                                                                           : kind == 'U' ? "a Uint8Array" : "a Float64Array or Float32Array";
      if (napi_is_typedarray(env, v, &ta) != napi_ok || !ta) return false;
      if (napi_get_typedarray_info(env, v, &a->type, &a->len, &a->p, NULL, NULL) != napi_ok) return false;
      if (a->len == 0) a->p = NULL; // detached or empty: never dereferenced (fits() allows no elements)
      switch (kind) {
        case 'D': return a->type == napi_float64_array;
        case 'F': return a->type == napi_float32_array;
        case 'I': return a->type == napi_int32_array;
        case 'U': return a->type == napi_uint8_array;
        default: return a->type == napi_float64_array || a->type == napi_float32_array;
      }
    }
  }
}

bool args(napi_env env, napi_callback_info info, const char *op, const char *fmt, ...) {
  size_t argc = MAX_ARGS;
  napi_value argv[MAX_ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return fail(env, op, "bad call"), false;
  va_list ap;
  va_start(ap, fmt);
  bool ok = true;
  size_t i = 0;
  for (const char *p = fmt; *p && ok; i++) {
    char kind = p[0];
    const char *name = p + 2, *end = strchr(name, ' ');
    int nlen = end ? (int)(end - name) : (int)strlen(name);
    const char *want = "";
    if (i >= argc) {
      fail(env, op, "argument %zu (%.*s) is missing", i + 1, nlen, name);
      ok = false;
    } else if (!read_arg(env, argv[i], kind, va_arg(ap, void *), &want)) {
      fail(env, op, "%.*s (argument %zu) must be %s, got %s", nlen, name, i + 1, want, describe(env, argv[i]));
      ok = false;
    }
    p = end ? end + 1 : name + nlen;
  }
  va_end(ap);
  return ok;
}

bool fits(napi_env env, const char *op, const char *name, const arr_t *a, int64_t off, int64_t ld, int64_t rows,
          int64_t cols) {
  int64_t minld = cols > 1 ? cols : 1;
  if (ld < minld) {
    fail(env, op, "%s (%lld×%lld): leading dimension %lld must be at least %lld", name, (long long)rows,
         (long long)cols, (long long)ld, (long long)minld);
    return false;
  }
  if (rows == 0 || cols == 0) return true;
  // Last element read: off + (rows-1)·ld + cols - 1 (all terms ≤ 2^53, so no overflow in int64).
  if (off + (rows - 1) * ld + cols > (int64_t)a->len) {
    fail(env, op, "%s (%lld×%lld, leading dimension %lld, offset %lld) needs %lld elements, the array has %zu", name,
         (long long)rows, (long long)cols, (long long)ld, (long long)off, (long long)(off + (rows - 1) * ld + cols),
         a->len);
    return false;
  }
  return true;
}

bool int32_dims(napi_env env, const char *op, int count, const int64_t *dims) {
  for (int i = 0; i < count; i++) {
    if (dims[i] > INT32_MAX) return fail(env, op, "dimension %lld exceeds 2^31 - 1", (long long)dims[i]), false;
  }
  return true;
}

napi_value js_bool(napi_env env, bool v) { napi_value r; napi_get_boolean(env, v, &r); return r; }
napi_value js_int(napi_env env, int64_t v) { napi_value r; napi_create_int64(env, v, &r); return r; }
napi_value js_double(napi_env env, double v) { napi_value r; napi_create_double(env, v, &r); return r; }
napi_value js_undefined(napi_env env) { napi_value r; napi_get_undefined(env, &r); return r; }

void register_entries(napi_env env, napi_value exports, const entry_t *entries, size_t count) {
  for (size_t i = 0; i < count; i++) {
    napi_value fn;
    napi_create_function(env, entries[i].name, NAPI_AUTO_LENGTH, entries[i].fn, NULL, &fn);
    napi_set_named_property(env, exports, entries[i].name, fn);
  }
}

/** glibc's malloc by default returns freed memory at the top of the heap to the kernel (above 128 KB) and maps
 *  every block over 128 KB afresh: each new array then page-faults on first write. Arrays come and go by the
 *  thousand in a training loop, so keep a working set: blocks up to 16 MB from the heap, trim above 64 MB. */
static void tune_malloc(void) {
#if defined(__GLIBC__)
  if (getenv("MALLOC_MMAP_THRESHOLD_") == NULL) mallopt(M_MMAP_THRESHOLD, 16 << 20);
  if (getenv("MALLOC_TRIM_THRESHOLD_") == NULL) mallopt(M_TRIM_THRESHOLD, 64 << 20);
  if (getenv("MALLOC_TOP_PAD_") == NULL) mallopt(M_TOP_PAD, 4 << 20);
#endif
}

static napi_value init(napi_env env, napi_value exports) {
  tune_malloc();
  register_blas(env, exports);
  register_lapack(env, exports);
  register_math(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
