// Timing helper shared by the benchmarks: warm up, then report the median ms per call over several batches.
export interface Timing {
  name: string;
  ms: number;
}

export function timeIt(name: string, fn: () => unknown, opts: { minMs?: number; batches?: number } = {}): Timing {
  const minMs = opts.minMs ?? 300;
  const batches = opts.batches ?? 5;
  // warm-up: let V8 optimize, and size a batch to take ~minMs / batches
  let iters = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const dt = performance.now() - t0;
    if (dt > minMs / batches || iters > 1e6) break;
    iters *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    samples.push((performance.now() - t0) / iters);
  }
  samples.sort((a, b) => a - b);
  return { name, ms: samples[Math.floor(samples.length / 2)] };
}

export const fmtMs = (ms: number) => (ms < 0.1 ? ms.toFixed(4) : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
