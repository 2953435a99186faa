// Data types: names, storage classes and numpy's promotion rules (the subset gradlab supports).
import { checkAllocation } from "./limits";

export type DType = "float64" | "float32" | "int32" | "bool" | "complex128";
export type TypedData = Float64Array | Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64", "complex128"];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3, complex128: 4 };

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && x in RANK;
}

export function assertDType(x: unknown, where: string): DType {
  if (x === "float" || x === "double") return "float64";
  if (x === "int" || x === "int64") return "int32";
  if (x === "complex" || x === "complex64") return "complex128";
  if (!isDType(x)) {
    throw new TypeError(`${where}: unknown dtype ${JSON.stringify(x)}; expected one of ${DTYPES.join(", ")}`);
  }
  return x;
}

export const isComplex = (d: DType): boolean => d === "complex128";
export const isFloat = (d: DType): boolean => d === "float64" || d === "float32";
export const isInexact = (d: DType): boolean => d === "float64" || d === "float32" || d === "complex128";
export const isIntegral = (d: DType): boolean => d === "int32" || d === "bool";

/** Number of storage slots per element (complex values are stored as interleaved re, im). */
export const slotsPerElement = (d: DType): number => (d === "complex128" ? 2 : 1);


let bytesAllocated = 0;

/**
 * Internal counter of the bytes of fresh array storage (new ArrayBuffers) allocated so far through `allocate`;
 * storage reused from the pool is not counted. The bench reports bytes per training step from it.
 */
export function allocatedBytes(): number {
  return bytesAllocated;
}

// ---- the storage pool ------------------------------------------------------------------------------------------
// Float64Array storage (float64 and complex128) of at least POOL_MIN slots is reused. Two kinds of allocation
// scope feed it and take from it (lib/core/tracer.ts, lib/core/release.ts):
//   * a backward pass hands back the buffers it allocated and knows to be dead (all but the gradients);
//   * the forward pass of a top-level grad call: the storage of its traced values is handed back after the
//     backward pass.
// Inside either scope `allocate` takes from the pool first; outside, it takes fresh memory on purpose: such an
// array may be a short-lived value that dies as garbage, and a pooled buffer is an old-generation object whose
// memory only a full (mark-compact) GC gives back (measured: a mark-compact every ~50 ms and scavenges forced by
// external-memory pressure, 25% slower logistic-regression steps, when pooled buffers went to plain values).
// Buffers are keyed by their exact length. Invariant this relies on: arrays share storage only by sharing the
// same typed-array object (reshape, boxes), never through other views of its ArrayBuffer. The pool holds at most
// POOL_MAX_BYTES (see recycle for what makes room).
const POOL_MIN = 64;
const POOL_MAX_BYTES = 64 * 2 ** 20;
const pool = new Map<number, Float64Array[]>();
/** The buffers in the pool (a buffer recycled twice must not be handed out twice). */
const inPool = new Set<Float64Array>();
let pooledBytes = 0;

/** Allocations of poolable storage are recorded here while a scope is open (see beginAllocScope). */
let scope: Float64Array[] | null = null;
/** The open scope is a forward pass's (not a backward pass's). */
let scopeIsForward = false;
/**
 * Inside a forward scope only the storage made while a traced primitive computes (its answer, and temporaries
 * of its implementation) is pooled and recorded: the tracer sets this around those computations. Untraced work
 * in the function (constants it computes, values it may keep between calls) gets fresh storage, as outside.
 */
let tracedImpl = false;

/** Marks the start of a traced primitive's computation; returns the previous state, for leaveTracedImpl. */
export function enterTracedImpl(): boolean {
  const prev = tracedImpl;
  tracedImpl = true;
  return prev;
}

export function leaveTracedImpl(prev: boolean): void {
  tracedImpl = prev;
}

/** What beginAllocScope returns: the enclosing scope, to hand to endAllocScope. */
export interface AllocScope {
  readonly list: Float64Array[] | null;
  readonly forward: boolean;
  readonly tracedImpl: boolean;
}

/**
 * Opens an allocation scope: until `endAllocScope`, every poolable buffer `allocate` hands out is recorded, and
 * allocations take from the pool first. Scopes nest; returns the enclosing scope, to pass to endAllocScope.
 */
export function beginAllocScope(kind: "backward" | "forward" = "backward"): AllocScope {
  const outer = { list: scope, forward: scopeIsForward, tracedImpl };
  scope = [];
  scopeIsForward = kind === "forward";
  tracedImpl = false;
  return outer;
}

/** Closes every allocation scope at once (see resetTracing in lib/core/tracer.ts). */
export function resetAllocScopes(): void {
  scope = null;
  scopeIsForward = false;
  tracedImpl = false;
}

/** True while an allocation scope of either kind is open. */
export function inAllocScope(): boolean {
  return scope !== null;
}

/** Closes the current scope and returns the buffers allocated in it (they are also recorded in the outer scope). */
export function endAllocScope(outer: AllocScope): Float64Array[] {
  const mine = scope ?? [];
  scope = outer.list;
  scopeIsForward = outer.forward;
  tracedImpl = outer.tracedImpl;
  if (scope) for (let i = 0; i < mine.length; i++) scope.push(mine[i]);
  return mine;
}

/**
 * May a lazy view (a deferred transpose) of the array with storage `d` be made now? Not in a backward pass, and
 * not of storage the current forward pass allocated: both may be recycled while the view is still unread.
 */
export function mayDeferViewOf(d: TypedData): boolean {
  return scope === null || (scopeIsForward && !scope.includes(d as Float64Array));
}

/**
 * Returns storage to the pool; true when the pool took it (false: too small, or it is there already). The caller
 * guarantees that no live NDArray (and nothing else) can still see it: it will be handed out again by `allocate`.
 * When the pool is full, buffers of the lengths recycled longest ago make room (a workload that moved on to
 * other shapes leaves no dead weight); a length that alone fills the pool is dropped to the garbage collector.
 */
export function recycle(data: Float64Array): boolean {
  const n = data.length;
  if (n < POOL_MIN || inPool.has(data)) return false;
  if (pooledBytes + 8 * n > POOL_MAX_BYTES && !makeRoom(8 * n, n)) return false;
  inPool.add(data);
  let list = pool.get(n);
  if (!list) pool.set(n, (list = []));
  list.push(data);
  pooledBytes += 8 * n;
  lastRecycled.set(n, ++recycleClock);
  return true;
}

/** When each length was last recycled (for makeRoom). */
const lastRecycled = new Map<number, number>();
let recycleClock = 0;

/** Drops pooled buffers of other lengths than `keep`, least recently recycled first, until `bytes` fit. */
function makeRoom(bytes: number, keep: number): boolean {
  const lengths = [...pool.keys()].filter((n) => n !== keep).sort((a, b) => lastRecycled.get(a)! - lastRecycled.get(b)!);
  for (const n of lengths) {
    const list = pool.get(n)!;
    while (list.length > 0 && pooledBytes + bytes > POOL_MAX_BYTES) {
      inPool.delete(list.pop()!);
      pooledBytes -= 8 * n;
    }
    if (list.length === 0) {
      pool.delete(n);
      lastRecycled.delete(n);
    }
    if (pooledBytes + bytes <= POOL_MAX_BYTES) return true;
  }
  return false;
}

/** Empties the pool (tests; or to give the memory back). */
export function clearPool(): void {
  pool.clear();
  inPool.clear();
  lastRecycled.clear();
  pooledBytes = 0;
}

function fromPool(n: number): Float64Array | undefined {
  const list = pool.get(n);
  if (list === undefined || list.length === 0) return undefined;
  pooledBytes -= 8 * n;
  const d = list.pop()!;
  inPool.delete(d);
  return d;
}

// Small arrays are carved out of slabs: a fresh typed array off the V8 heap costs ~0.5 µs here even for 10
// elements (a view on an existing ArrayBuffer: ~40 ns), and a fresh 8 KB one ~3 µs (malloc, the backing store's
// bookkeeping, and the scavenges its external memory triggers), against ~0.6 µs carved from a 128 KB slab. Each
// size class (bytes rounded up to a power of two) has its own slab of 16 arrays of that class (at most 128 KB, so
// 8 for the largest class), so an array that outlives its neighbours keeps at most 16 times its own size alive.
// A slab is never reused, so carved storage starts zeroed, and it is freed when its last array is. Arrays of at
// most 8 elements live on the V8 heap and are cheap as they are.
const SLAB_MAX = 2048;
const slabs: { buffer: ArrayBuffer; offset: number }[] = [];

function fromSlab(n: number): Float64Array {
  const bytes = 8 * n;
  const cls = 32 - Math.clz32(bytes - 1); // 2^cls >= bytes
  let slab = slabs[cls];
  if (slab === undefined || slab.offset + bytes > slab.buffer.byteLength) {
    const size = Math.min(128 * 1024, 16 << cls);
    bytesAllocated += size;
    slab = slabs[cls] = { buffer: new ArrayBuffer(size), offset: 0 };
  }
  const d = new Float64Array(slab.buffer, slab.offset, n);
  slab.offset += bytes;
  return d;
}

// Storage that every slot of will be written: malloc'd memory without zeroing it (Node's Buffer.allocUnsafeSlow).
// A fresh zeroed Float64Array of 10k elements costs ~10 µs here, 100k ~100 µs (calloc, page faults, memset);
// the unzeroed one ~2.5 and ~8 µs, which is most of an elementwise op's time at those sizes.
const unsafeBuffer: ((bytes: number) => Uint8Array) | null =
  typeof Buffer === "function" && typeof Buffer.allocUnsafeSlow === "function" ? (b) => Buffer.allocUnsafeSlow(b) : null;

function uninitFloat64(n: number): Float64Array {
  if (unsafeBuffer === null) return new Float64Array(n);
  const b = unsafeBuffer(8 * n); // not pooled by Node (allocUnsafeSlow): byteOffset 0, malloc-aligned
  return new Float64Array(b.buffer, b.byteOffset, n);
}

function float64Storage(n: number, zero: boolean): Float64Array {
  let d: Float64Array | undefined;
  if (n >= POOL_MIN) {
    const pooled = scope !== null && (tracedImpl || !scopeIsForward);
    d = pooled ? fromPool(n) : undefined;
    if (d !== undefined) {
      if (zero) d.fill(0);
    } else if (n <= SLAB_MAX) d = fromSlab(n);
    else {
      bytesAllocated += 8 * n;
      d = zero ? new Float64Array(n) : uninitFloat64(n);
    }
    if (pooled) scope!.push(d);
    return d;
  }
  if (n > 8) return fromSlab(n);
  bytesAllocated += 8 * n;
  return new Float64Array(n);
}

/** Zero-filled storage for `size` elements of `dtype`: every array's storage is made here (and counted). */
export function allocate(dtype: DType, size: number): TypedData {
  checkAllocation(size, dtype); // the allocation limit (lib/array/limits.ts): a comparison, before allocating
  switch (dtype) {
    case "float64": return float64Storage(size, true);
    case "complex128": return float64Storage(2 * size, true);
    case "float32": bytesAllocated += 4 * size; return new Float32Array(size);
    case "int32": bytesAllocated += 4 * size; return new Int32Array(size);
    case "bool": bytesAllocated += size; return new Uint8Array(size);
  }
}

/**
 * Float64 scratch that the caller hands back with `recycle` before any array can see it: from the pool when it
 * has one of that length (its contents are unspecified).
 */
export function scratchFloat64(n: number): Float64Array {
  checkAllocation(n, "float64");
  const d = n >= POOL_MIN ? fromPool(n) : undefined;
  if (d !== undefined) return d;
  bytesAllocated += 8 * n;
  return uninitFloat64(n);
}

/** Storage whose contents are unspecified (possibly a reused buffer): only for kernels that write every slot. */
export function allocateUninit(dtype: DType, size: number): TypedData {
  checkAllocation(size, dtype);
  if (dtype === "float64") return float64Storage(size, false);
  if (dtype === "complex128") return float64Storage(2 * size, false);
  return allocate(dtype, size);
}

/** numpy's result type for two array dtypes (int32 with float32 gives float64, as numpy does). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "complex128" || b === "complex128") return "complex128";
  if ((a === "float32" && b === "int32") || (a === "int32" && b === "float32")) return "float64";
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Result type when one operand is a JS number (a "weak" scalar, numpy's NEP 50): the array's dtype wins
 * unless the number does not fit in it (a fraction with an integer array, anything but 0/1 with bool).
 */
export function promoteWithScalar(arrayDtype: DType, value: number): DType {
  if (arrayDtype === "bool") return Number.isInteger(value) ? "int32" : "float64";
  if (arrayDtype === "int32") return Number.isInteger(value) ? "int32" : "float64";
  return arrayDtype;
}

/** dtype of results that must be inexact (true division, exp, sqrt, ...). */
export function toInexact(d: DType): DType {
  return d === "bool" || d === "int32" ? "float64" : d;
}
