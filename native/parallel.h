// A tiny work-sharing pool for the addon's memory-bound loops (gemv, big elementwise ops), beside OpenBLAS's own.
#ifndef GRADLAB_PARALLEL_H
#define GRADLAB_PARALLEL_H
#include <stdbool.h>
#include <stddef.h>

/** Work on chunk `chunk` (0 ≤ chunk < nchunks) of a job; chunks must be independent. */
typedef void (*chunk_fn)(void *ctx, size_t chunk);

/**
 * Runs fn(ctx, c) for every c < nchunks, on the calling thread and the pool's workers, and returns when all are
 * done. Chunks are claimed one at a time, so a worker that is slow to wake (a busy machine) simply gets fewer:
 * the caller never waits for a worker to start, only for chunks a worker has already claimed. Which thread runs
 * a chunk never changes a result (each chunk writes its own output). Re-entrant calls, and calls while another
 * thread uses the pool, run every chunk on the caller.
 */
void parallel_for(size_t nchunks, chunk_fn fn, void *ctx);

/** Sends idle workers to sleep at once instead of polling for the next job: called before OpenBLAS's own
 *  threaded routines, whose threads would otherwise share the cores with a polling worker (a threaded dgemv next
 *  to a polling worker ran 3x slower, measured). */
void parallel_hush(void);

/** True while a worker polls for the next job: a job handed over now starts at once. A sleeping worker takes
 *  50-100 µs or more to wake on a VM; the caller then does most of the job alone, after paying for the wake call.
 *  A hint (it can change the next moment), for jobs worth splitting only when a worker is at hand. */
bool parallel_polling(void);

/** Threads that parallel_for uses, the caller included (1: the pool could not start or has no workers). */
int parallel_threads(void);
#endif
