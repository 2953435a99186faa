"""Timing shared by the Python peers, the same protocol as bench/timing.ts: warm up while sizing a batch to
~min_s / batches, then the median ms per call over `batches` batches."""
import time

def timeit(fn, min_s=0.3, batches=5):
    iters = 1
    while True:
        t = time.perf_counter()
        for _ in range(iters): fn()
        if time.perf_counter() - t > min_s / batches or iters > 1e6: break
        iters *= 2
    samples = []
    for _ in range(batches):
        t = time.perf_counter()
        for _ in range(iters): fn()
        samples.append((time.perf_counter() - t) / iters * 1e3)
    return sorted(samples)[len(samples) // 2]
