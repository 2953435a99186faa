// Releasing a gradient's intermediates. A top-level grad call (grad, valueAndGrad, gradAndAux, elementwiseGrad,
// holomorphicGrad) runs its function once, its backward pass once, and returns: afterwards nothing of the
// library still needs the storage of the forward pass's traced values. So the forward pass runs in a "forward"
// allocation scope, where what traced primitives compute takes pooled storage, and after the backward pass that
// storage goes back to the pool, ready for the next training step: a steady-state step allocates no new memory.
// (Fresh storage for each of a 10000×100 logistic regression's twelve 80 KB intermediates cost ~5 µs apiece in
// allocation and first touch, and the garbage collector's reaction to that churn most of the rest: measured,
// the step went from 0.55–0.9 ms to 0.3–0.4 ms.) Untraced work inside the function (a constant it computes,
// a value it caches between calls) gets fresh storage and is never released.
//
// The user's code may still hold a traced value (a box it stored in a closure). Every box of the trace is
// therefore marked released: its `_box` becomes RELEASED_BOX, so any use of it (an np function, tolist, item,
// printing, display) throws a ReleasedArrayError that says how to keep values, and where its storage went back
// to the pool, the box's `.data` becomes NaNs of the same length, so it never shows another array's numbers.
// Only what the call returns (the output, the gradients, gradAndAux's aux) is kept; JAX refuses leaked
// tracers in the same way.
//
// Nothing is released when another trace is open (it may hold the arrays), when f opened traces of its own
// (nested grad or deriv: their boxes share the storage), when a graph recorder listens (traceGraph keeps every
// value), when a primitive on the graph runs user code (`opaque`: it may keep what it sees), or after
// setReleaseIntermediates(false) (or GRADLAB_KEEP_INTERMEDIATES=1).
import { type AllocScope, beginAllocScope, endAllocScope, inAllocScope, recycle } from "../array/dtype";
import { transposeSource } from "../array/deferred-transpose";
import { NDArray, RELEASED_BOX } from "../array/ndarray";
import { type RevNode, setNodeLog, traceCount, tracingIdle } from "./tracer";

let enabled = process.env.GRADLAB_KEEP_INTERMEDIATES !== "1";

/**
 * Turns the release of grad's intermediates on (the default) or off; returns the previous setting. With it off,
 * arrays computed inside a differentiated function stay valid after the call, and each step allocates fresh
 * storage for them.
 */
export function setReleaseIntermediates(on: boolean): boolean {
  if (typeof on !== "boolean") throw new TypeError(`setReleaseIntermediates: expected true or false, got ${String(on)}`);
  const prev = enabled;
  enabled = on;
  return prev;
}

/** The forward pass of one grad call, recorded so that its intermediates can be released. */
export interface ForwardRecord {
  outer: AllocScope;
  /** The id the forward pass's trace gets (traces opened inside f get higher ones). */
  trace: number;
  /** Storage made for traced values during the pass. */
  allocated: Float64Array[];
  /** The reverse nodes made during the pass. */
  nodes: RevNode[];
}

/** Opens a forward scope when the trace about to start can release its intermediates; else null. */
export function beginForward(): ForwardRecord | null {
  if (!enabled || !tracingIdle() || inAllocScope()) return null;
  const rec: ForwardRecord = { outer: beginAllocScope("forward"), trace: traceCount() + 1, allocated: [], nodes: [] };
  setNodeLog(rec.nodes);
  return rec;
}

export function endForward(rec: ForwardRecord | null): void {
  if (rec === null) return;
  setNodeLog(null);
  rec.allocated = endAllocScope(rec.outer);
}

/** NaN storage shared by released arrays (views of one buffer, grown as needed). */
let nanBuffer = new Float64Array(0);
function nans(n: number): Float64Array {
  if (nanBuffer.length < n) nanBuffer = new Float64Array(Math.max(n, 2 * nanBuffer.length)).fill(NaN);
  return nanBuffer.subarray(0, n);
}

/** Storage of `x` without making a pending transpose's (reading `.data` would); its source's storage instead. */
function storageOf(x: NDArray): unknown {
  const src = transposeSource(x);
  return src !== undefined ? storageOf(src) : x.data;
}

/** Adds the storage of every array in `v` (arrays, plain objects and JS arrays, nested) to `into`. */
export function collectStorage(v: unknown, into: Set<unknown>, depth = 0): void {
  if (v instanceof NDArray) {
    for (let x: NDArray | undefined = v; x !== undefined && x._box !== RELEASED_BOX; x = x._box?.value) into.add(storageOf(x));
  } else if (Array.isArray(v)) {
    if (depth < 64) for (const item of v) collectStorage(item, into, depth + 1);
  } else if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype && depth < 64) {
    for (const item of Object.values(v)) collectStorage(item, into, depth + 1);
  }
}

/**
 * After the backward pass: gives the storage of the forward pass's traced values back to the pool, except what
 * `keep` holds (the storage of what the call returns), and marks the boxes of the trace released.
 */
export function releaseIntermediates(rec: ForwardRecord, keep: Set<unknown>): void {
  if (!tracingIdle() || traceCount() !== rec.trace) return;
  const nodes = rec.nodes;
  for (const node of nodes) if (node.prim !== null && node.prim.def.opaque) return;
  // a pending transpose reads its source when it is read: keep the source
  for (const node of nodes) if (transposeSource(node.ans) !== undefined) keep.add(storageOf(node.ans));
  const reusable = new Set<unknown>();
  for (const d of rec.allocated) if (!keep.has(d)) reusable.add(d);
  // Mark the boxes first (they are what the user's code saw; the raw answers under them are the library's own),
  // then hand the storage back: an interrupt in between leaves storage unused, never visible under a live box.
  for (const node of nodes) {
    const b = node.box;
    if (b === undefined || transposeSource(node.ans) !== undefined || keep.has(b.data)) continue;
    const m = b as { data: unknown; _box: unknown };
    if (reusable.has(b.data)) m.data = nans((b.data as Float64Array).length);
    m._box = RELEASED_BOX;
  }
  for (const d of reusable) recycle(d as Float64Array);
}
