// Shared by the addon's translation units: argument parsing and checks that throw JS errors (never crash).
#ifndef GRADLAB_ADDON_H
#define GRADLAB_ADDON_H
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A typed array argument: its data (already offset by the view's byteOffset) and element count. */
typedef struct {
  void *p;
  size_t len;
  napi_typedarray_type type;
} arr_t;

/**
 * Reads the call's arguments by a format of space-separated "<kind>:<name>" tokens, storing into the varargs:
 *   i int64_t* (an integer ≥ 0)   b bool*   d double*   s char[16] (a short string)
 *   D Float64Array   F Float32Array   I Int32Array   U Uint8Array (bool)   X Float64Array or Float32Array
 *   (all arr_t*)
 * On a missing or wrong argument it throws "<op>: <name> must be ..., got ..." and returns false.
 */
bool args(napi_env env, napi_callback_info info, const char *op, const char *fmt, ...);

/**
 * Checks that a rows×cols row-major operand with leading dimension ld at element offset off fits in a (and that
 * ld ≥ max(1, cols)); throws "<op>: <name> (rows×cols, ld L, offset O) ..." and returns false otherwise.
 */
bool fits(napi_env env, const char *op, const char *name, const arr_t *a, int64_t off, int64_t ld, int64_t rows,
          int64_t cols);

/** Throws an Error "<op>: <printf message>"; returns NULL (for `return fail(...)`). */
napi_value fail(napi_env env, const char *op, const char *fmt, ...);

/** Throws unless every value is below 2^31 (BLAS/LAPACK take 32-bit ints); returns false then. */
bool int32_dims(napi_env env, const char *op, int count, const int64_t *dims);

napi_value js_bool(napi_env env, bool v);
napi_value js_int(napi_env env, int64_t v);
napi_value js_double(napi_env env, double v);
napi_value js_undefined(napi_env env);

/** Registration: each translation unit adds its functions to the exports object. */
typedef struct {
  const char *name;
  napi_callback fn;
} entry_t;
void register_entries(napi_env env, napi_value exports, const entry_t *entries, size_t count);
void register_blas(napi_env env, napi_value exports);
void register_lapack(napi_env env, napi_value exports);
void register_math(napi_env env, napi_value exports);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/** Compiles a loop for AVX2 and for baseline x86-64, picked at load by the CPU (GCC's function multiversioning).
 *  Measured here: FMA (arch=haswell) or AVX-512 clones made the gemv and arithmetic loops slower, not faster. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif
#endif
