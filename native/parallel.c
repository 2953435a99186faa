// The pool behind parallel_for (parallel.h): one worker per extra core (at most 7), started on first use, asleep
// on a condition variable between jobs after polling for ~1 ms (spin_us). A job lives on the caller's stack; the
// `active` counter (Dekker-style, sequentially consistent atomics) guarantees no worker still reads it when
// parallel_for returns.
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  chunk_fn fn;
  void *ctx;
  size_t nchunks;
  atomic_size_t next; // next chunk to claim
  atomic_size_t done; // chunks finished
} job_t;

#define MAX_WORKERS 7
// How long an idle worker polls for the next job before it sleeps. Waking a sleeping thread costs 50-100 µs on
// this VM, as much as a 10000×100 gemv: a training step's products come a few hundred µs apart, so a worker that
// still polls takes the next one at once (OpenBLAS's own threads poll far longer). GRADLAB_SPIN_US overrides.
static long spin_us = 1000;

static long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static _Atomic(job_t *) current = NULL;
static atomic_ulong generation = 0;
static atomic_int active = 0;  // workers between "announce" and "done with the job they saw"
static atomic_flag in_use = ATOMIC_FLAG_INIT;
static atomic_int hush = 0;    // set by parallel_hush: idle workers stop polling and sleep
static atomic_int polling = 0; // workers polling for the next job (not asleep, not on a job)
static int workers = -1;       // -1: not started yet
static pthread_once_t once = PTHREAD_ONCE_INIT;

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static void run_chunks(job_t *j) {
  for (;;) {
    size_t c = atomic_fetch_add(&j->next, 1);
    if (c >= j->nchunks) return;
    j->fn(j->ctx, c);
    atomic_fetch_add(&j->done, 1);
  }
}

static void *worker_main(void *arg) {
  (void)arg;
  unsigned long seen = atomic_load(&generation);
  for (;;) {
    atomic_fetch_add(&polling, 1);
    for (long t0 = now_us(), s = 0; atomic_load(&generation) == seen && !atomic_load(&hush); s++) {
      relax();
      if ((s & 63) == 0 && now_us() - t0 > spin_us) break;
    }
    atomic_fetch_sub(&polling, 1);
    if (atomic_load(&generation) == seen) {
      pthread_mutex_lock(&mu);
      while (atomic_load(&generation) == seen) pthread_cond_wait(&cv, &mu);
      pthread_mutex_unlock(&mu);
    }
    seen = atomic_load(&generation);
    atomic_fetch_add(&active, 1);
    job_t *j = atomic_load(&current);
    if (j != NULL) run_chunks(j);
    atomic_fetch_sub(&active, 1);
  }
  return NULL;
}

static void start(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int want = cores > 1 ? (int)(cores - 1) : 0;
  const char *env = getenv("GRADLAB_THREADS"); // threads in all, the caller included
  if (env != NULL && atoi(env) >= 1) want = atoi(env) - 1;
  const char *spin = getenv("GRADLAB_SPIN_US");
  if (spin != NULL && atol(spin) >= 0) spin_us = atol(spin);
  if (want > MAX_WORKERS) want = MAX_WORKERS;
  workers = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  for (int i = 0; i < want; i++) {
    pthread_t t;
    if (pthread_create(&t, &attr, worker_main, NULL) == 0) workers++;
  }
  pthread_attr_destroy(&attr);
}

int parallel_threads(void) {
  pthread_once(&once, start);
  return workers + 1;
}

void parallel_for(size_t nchunks, chunk_fn fn, void *ctx) {
  job_t j = {fn, ctx, nchunks, 0, 0};
  if (nchunks <= 1 || parallel_threads() == 1 || atomic_flag_test_and_set(&in_use)) {
    for (size_t c = 0; c < nchunks; c++) fn(ctx, c);
    return;
  }
  atomic_store(&hush, 0);
  atomic_store(&current, &j);
  pthread_mutex_lock(&mu);
  atomic_fetch_add(&generation, 1);
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
  run_chunks(&j);
  // Chunks a worker claimed are in flight: wait for them (spin, then yield the core to the worker).
  for (int s = 0; atomic_load(&j.done) < nchunks; s++) {
    if (s < 2000) relax();
    else sched_yield();
  }
  atomic_store(&current, NULL);
  while (atomic_load(&active) != 0) relax(); // a worker may still hold &j (it claims nothing more)
  atomic_flag_clear(&in_use);
}

bool parallel_polling(void) {
  return atomic_load_explicit(&polling, memory_order_relaxed) > 0;
}

void parallel_hush(void) {
  if (!atomic_load(&hush)) atomic_store(&hush, 1);
}
