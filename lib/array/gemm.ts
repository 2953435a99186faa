// Dense float64 matrix multiply (GEMM) for row-major storage.
//
//   C[m×n] = op(A)·op(B)      op(X) = X or Xᵀ, C is overwritten (BLAS beta = 0).
//
// Strategy (the classic GotoBLAS/BLIS structure, sized for V8):
//
//  * Everything of real size is cache-blocked: op(B) is cut into KC×NC slices and op(A) into MC×KC
//    blocks; both are *packed* into contiguous scratch buffers in micro-panel order (NR columns of B
//    resp. MR rows of A interleaved along k, zero-padded to a full panel). Packing absorbs the
//    transposition flags, so every later stage sees one layout. A macro-kernel then sweeps MR×NR tiles
//    over the packed block, each computed by a register-blocked micro-kernel with k innermost. The
//    tiles accumulate over the k-slices in a scratch C block (a super-block of rows × NC columns), which
//    is copied into C once, row by row.
//  * The kernels are WebAssembly with 128-bit SIMD (f64x2), generated as raw bytes at load time
//    (gemm-wasm.ts, with the small encoder in wasm-encoder.ts; no toolchain needed). The 4×4
//    micro-kernel keeps 8 v128 accumulators in registers and runs ~4× faster than the best scalar JS
//    kernel. All scratch buffers live in the wasm linear memory (~3.5 MB, allocated on first use).
//    Moving data between JS arrays and that memory is the expensive part in JS (~1-2 ns per element
//    in a loop), so wherever rows are contiguous the data crosses as memcpy (TypedArray.set, ~0.3 ns
//    per element) and SIMD kernels do the rearranging; copies are placed to dodge 4K aliasing, which slows memcpy ~10×.
//  * Without WebAssembly (e.g. node --jitless) a scalar JS macro-kernel with the same contract is used.
//  * Matrix-vector products (m = 1 or n = 1) skip packing: every matrix element is used once. Large
//    ones copy chunks of rows into wasm memory and run SIMD dot-product / axpy kernels; small or
//    scattered ones use a JS loop.
//
// With the native backend (lib/array/native.ts), products above a small size go to OpenBLAS instead, on the
// operands' own memory: dgemm, or dgemv / ddot when one side is a vector.
//
// Operands must not alias C.
import { buildGemmModule, MR, NR } from "./gemm-wasm";
import { nativeAddon } from "./native";

/** Cache blocking: depth of a packed slice (B micro-panel KC×NR = 8 KiB stays in L1), rows of a
 *  packed A block (MC×KC = 256 KiB, in L2) and columns of a packed B slice (KC×NC = 1 MiB, in L3). */
const KC = 256;
const MC = 128;
const NC = 512;

/** Scratch C block capacity: a super-block of up to CS_ELEMS / NC = 512 rows accumulates there over k
 *  (the block starts up to 511 elements into its region, see outboundPhase). */
const CS_ELEMS = 512 * NC;

/** Layout of the scratch workspace, in float64 elements: packed A block, packed B slice, C block. */
const AP_OFF = 0;
const BP_OFF = AP_OFF + MC * KC;
const CS_OFF = BP_OFF + KC * NC;
/** Raw copies of operand rows, packed from there by the SIMD packing kernels (see packViaCopy), in
 *  chunks of at most RAW_ELEMS (128 KiB: stays in L2 between the copy and the packing). */
const RAW_OFF = CS_OFF + CS_ELEMS + 512;
const RAW_ELEMS = 16384;
const WORKSPACE_ELEMS = RAW_OFF + RAW_ELEMS + 512;
/** Operand blocks smaller than this are packed directly in JS. */
const PACK_COPY_MIN = 2048;

/** Matrix-vector layout of the same workspace (never used at the same time as the one above):
 *  x block, y block, and a chunk of matrix rows (kept L2-sized; placed up to 511 elements past GV_M). */
const GV_VEC = 8192;
const GV_X = 0;
const GV_Y = GV_X + GV_VEC;
const GV_M = GV_Y + GV_VEC;
const GV_MCAP = 32768;
/** Matrix-vector products below this many matrix elements, with shorter rows, or with short rows
 *  spread far apart (each row then needs its own copy call, ~80 ns), stay in plain JS. */
const GEMV_WASM_MIN_ELEMS = 1024;
const GEMV_WASM_MIN_ROW = 8;
const GEMV_WASM_MIN_SCATTERED_ROW = 128;

/**
 * Macro-kernel contract (element offsets into the workspace `F`):
 * for every MR×NR tile (ir, jr) of the mcp×ncp block (mcp, ncp multiples of MR, NR; kc ≥ 1),
 *   F[cs + (ir + r)·ncp + jr + c] (+)= Σ_{p<kc} F[ap + ir·kc + p·MR + r] · F[bp + jr·kc + p·NR + c],
 * adding to the previous value when `accumulate` is 1 and overwriting it when 0.
 */
type MacroKernel = (mcp: number, ncp: number, kc: number, ap: number, bp: number, cs: number, accumulate: number) => void;

/**
 * Vector kernels over `rows` rows of a matrix in the workspace (row r starts at F[m + r·stride]),
 * `len` ≥ 1 elements per row, element offsets:
 *   dot  (len % 4 = 0): F[y + r] = Σ_{l<len} F[m + r·stride + l] · F[x + l]
 *   axpy (len % 2 = 0): F[y + l] += Σ_{r<rows} F[x + r] · F[m + r·stride + l]
 */
type VecKernel = (rows: number, len: number, stride: number, m: number, x: number, y: number) => void;

/**
 * SIMD packing kernels: rearrange source rows already copied to the workspace (row stride `stride`;
 * element offsets) into the packed layout of packPanels (panels of 4·depth elements), for q < panels:
 *   packLanes(panels, rows, stride, raw, dst, depth) — source row p holds lanes, for p < rows:
 *     F[dst + q·4·depth + p·4 + c] = F[raw + p·stride + 4q + c]
 *   packDepth(panels, depth, stride, raw, dst) — source row 4q + r holds depth steps, for p < depth & ~1:
 *     F[dst + q·4·depth + p·4 + r] = F[raw + (4q + r)·stride + p]
 */
type PackKernel = (panels: number, rowsOrDepth: number, stride: number, raw: number, dst: number, depth?: number) => void;

interface Workspace {
  F: Float64Array;
  macro: MacroKernel;
  /** SIMD matrix-vector and packing kernels (null for the JS backend). */
  dot: VecKernel | null;
  axpy: VecKernel | null;
  packLanes: PackKernel | null;
  packDepth: PackKernel | null;
  backend: "wasm" | "js";
}

// ---------------------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------------------

/** C[m×n] = op(A)·op(B), where op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k when transB).
 *  lda/ldb/ldc are row strides in elements; aOff/bOff/cOff starting offsets. */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number): void {
  checkDims(m, n, k);
  if (m === 0 || n === 0) return;
  checkOperand("A", A, aOff, lda, transA ? k : m, transA ? m : k);
  checkOperand("B", B, bOff, ldb, transB ? n : k, transB ? k : n);
  checkOperand("C", C, cOff, ldc, m, n);
  if (k === 0) {
    for (let i = 0; i < m; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  if (m * n * k >= NATIVE_MIN_FLOPS && !forced && gemmNative(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc)) return;
  // Element (i, p) of op(A) is A[aOff + i·aRow + p·aCol]; element (p, j) of op(B) is B[bOff + p·bRow + j·bCol].
  const aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;

  if (n === 1) {
    // Column of C = op(A) · (column of op(B)).
    gemv(m, k, A, aOff, aRow, aCol, B, bOff, bRow, C, cOff, ldc);
  } else if (m === 1) {
    // Row of C = op(B)ᵀ · (row of op(A)): a gemv with the n×k matrix op(B)ᵀ.
    gemv(n, k, B, bOff, bCol, bRow, A, aOff, aCol, C, cOff, 1);
  } else {
    // Even tiny products take this path: measured, it beats a direct triple loop from 4×4×4 up.
    gemmBlocked(m, n, k, A, aOff, aRow, aCol, B, bOff, bRow, bCol, C, cOff, ldc);
  }
}

/** Products with fewer multiply-adds than this stay in JS/wasm, where they cost less than the native call
 *  (measured: an N-API call plus OpenBLAS's dispatch is ~0.5 µs; the wasm kernel does 8³ or 1×32×32 in about that). */
const NATIVE_MIN_FLOPS = 1000;

/** The product on the native backend; false when there is none. */
function gemmNative(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number): boolean {
  const nat = nativeAddon();
  if (!nat) return false;
  if (n === 1) {
    // Column of C = op(A)·(column of op(B)); that column has stride ldb, or 1 when B is stored transposed.
    nat.dgemv(transA, transA ? k : m, transA ? m : k, A, aOff, lda, B, bOff, transB ? 1 : ldb, C, cOff, ldc);
  } else if (m === 1) {
    // Row of C = op(B)ᵀ·(row of op(A)).
    nat.dgemv(!transB, transB ? n : k, transB ? k : n, B, bOff, ldb, A, aOff, transA ? lda : 1, C, cOff, 1);
  } else {
    nat.dgemm(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  }
  return true;
}

/** Batched products into contiguous C (entry t at t·m·n): one native call for the whole batch when the backend
 *  is native and the products are not tiny, else gemm per entry. */
export function gemmBatch(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOffs: readonly number[], lda: number, B: Float64Array, bOffs: readonly number[], ldb: number,
  C: Float64Array): void {
  const nat = nativeAddon();
  if (nat && !forced && aOffs.length > 1 && m * n * k >= NATIVE_MIN_FLOPS && m > 1 && n > 1) {
    nat.dgemmBatched(transA, transB, m, n, k, A, Float64Array.from(aOffs), lda, B, Float64Array.from(bOffs), ldb, C, 0);
    return;
  }
  for (let t = 0; t < aOffs.length; t++) gemm(transA, transB, m, n, k, A, aOffs[t], lda, B, bOffs[t], ldb, C, t * m * n, n);
}

/** float32 batched products in float32 arithmetic (OpenBLAS sgemm, as numpy); false without the native backend
 *  (the caller then computes in float64). */
export function sgemmBatch(transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float32Array, aOffs: readonly number[], lda: number, B: Float32Array, bOffs: readonly number[], ldb: number,
  C: Float32Array): boolean {
  const nat = nativeAddon();
  if (!nat || forced) return false;
  if (m === 0 || n === 0 || aOffs.length === 0) return true;
  if (aOffs.length === 1) nat.sgemm(transA, transB, m, n, k, A, aOffs[0], lda, B, bOffs[0], ldb, C, 0, n);
  else nat.sgemmBatched(transA, transB, m, n, k, A, Float64Array.from(aOffs), lda, B, Float64Array.from(bOffs), ldb, C, 0);
  return true;
}

/** Which kernels compute products of real size: "native" (OpenBLAS, see lib/array/native.ts), else "wasm"
 *  unless WebAssembly SIMD is unavailable. */
export function gemmBackend(): "native" | "wasm" | "js" {
  return !forced && nativeAddon() ? "native" : workspace().backend;
}

/** True while setGemmBackend forces the wasm or JS kernels (the native backend is then skipped). */
let forced = false;

/** Forces one backend (for tests and benchmarks); "auto" restores the default choice (native when loaded).
 *  Throws if "wasm" is requested but cannot be instantiated. */
export function setGemmBackend(backend: "wasm" | "js" | "auto"): void {
  if (backend === "wasm" && !wasmWorkspace()) throw new Error("gemm: WebAssembly SIMD is not available");
  ws = backend === "js" ? jsWorkspace() : null;
  forced = backend !== "auto";
}

// ---------------------------------------------------------------------------------------------
// Argument checks (cheap, O(1)): out-of-range typed-array reads would silently yield NaN.
// ---------------------------------------------------------------------------------------------

function checkDims(m: number, n: number, k: number): void {
  checkDim("m", m);
  checkDim("n", n);
  checkDim("k", k);
}

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
}

/** Checks that a rows×cols row-major operand with row stride ld starting at off fits in arr. */
function checkOperand(name: string, arr: Float64Array, off: number, ld: number, rows: number, cols: number): void {
  if (rows === 0 || cols === 0) return;
  if (!Number.isInteger(off) || off < 0) throw new RangeError(`gemm: ${name} offset must be a non-negative integer, got ${off}`);
  if (!Number.isInteger(ld) || (rows > 1 && ld < cols)) {
    throw new RangeError(`gemm: ld${name.toLowerCase()} = ${ld} is smaller than the row length ${cols}`);
  }
  const last = off + (rows - 1) * ld + cols - 1;
  if (last >= arr.length) {
    throw new RangeError(`gemm: ${name} (${rows}×${cols}, offset ${off}, ld ${ld}) exceeds its buffer of length ${arr.length}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Blocked path: packing + macro-kernel
// ---------------------------------------------------------------------------------------------

/** Splits `total` into equal-ish blocks of at most `max` (avoids a thin last block, e.g. k = 784 →
 *  4 × 196 rather than 3 × 256 + 16), rounded up to a multiple of `mult`. */
function blockSize(total: number, max: number, mult: number): number {
  const nBlocks = Math.ceil(total / max);
  const size = Math.ceil(total / nBlocks);
  return Math.min(max, Math.ceil(size / mult) * mult);
}

function gemmBlocked(m: number, n: number, k: number,
  A: Float64Array, aOff: number, aRow: number, aCol: number,
  B: Float64Array, bOff: number, bRow: number, bCol: number,
  C: Float64Array, cOff: number, ldc: number): void {
  const w = workspace(), { F, macro } = w;
  const ncb = blockSize(n, NC, NR), kcb = blockSize(k, KC, 1);
  for (let jc = 0; jc < n; jc += ncb) {
    const nc = Math.min(ncb, n - jc);
    const ncp = Math.ceil(nc / NR) * NR;
    // Row super-blocks whose ms×ncp block of C fits the scratch C block (a multiple of MC rows).
    const msMax = Math.floor(CS_ELEMS / ncp / MC) * MC;
    for (let is = 0; is < m; is += msMax) {
      const ms = Math.min(msMax, m - is), mcb = blockSize(ms, MC, MR);
      // The scratch C block, placed so that copying it out to C runs clear of 4K aliasing.
      const c0 = cOff + is * ldc + jc, cs = CS_OFF + outboundPhase(C, c0);
      for (let pc = 0; pc < k; pc += kcb) {
        const kc = Math.min(kcb, k - pc);
        // B slice: lanes are columns j of op(B), depth runs along p.
        pack(w, B, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, BP_OFF);
        for (let ic = 0; ic < ms; ic += mcb) {
          const mc = Math.min(mcb, ms - ic);
          const mcp = Math.ceil(mc / MR) * MR;
          // A block: lanes are rows i of op(A), depth runs along p.
          pack(w, A, aOff + (is + ic) * aRow + pc * aCol, aRow, aCol, mc, kc, AP_OFF);
          macro(mcp, ncp, kc, AP_OFF, BP_OFF, cs + ic * ncp, pc > 0 ? 1 : 0);
        }
      }
      storeBlock(F, cs, ncp, C, c0, ldc, ms, nc);
    }
  }
}

/** Packs an operand block into the workspace at o (see packPanels), by SIMD when possible. */
function pack(w: Workspace, src: Float64Array, off: number, sLane: number, sDepth: number,
  lanes: number, depth: number, o: number): void {
  if (!packViaCopy(w, src, off, sLane, sDepth, lanes, depth, o)) packPanels(src, off, sLane, sDepth, lanes, depth, w.F, o);
}

/**
 * packPanels for wasm: memcpy chunks of source rows into the workspace (rows along whichever of lane
 * and depth is contiguous), then rearrange them with a SIMD kernel; JS handles a last partial panel
 * and, for depth-contiguous sources, an odd last depth step. ~2-4× faster than packPanels. Returns
 * false (nothing done) unless the rows are close enough together to copy as one span (gaps included):
 * a copy call per row costs about as much as packing the row in JS.
 */
function packViaCopy({ F, packLanes, packDepth }: Workspace, src: Float64Array, off: number, sLane: number,
  sDepth: number, lanes: number, depth: number, o: number): boolean {
  const full = lanes & ~3, lanesContiguous = sLane === 1;
  if (!packLanes || !packDepth || full === 0 || lanes * depth < PACK_COPY_MIN) return false;
  if (!lanesContiguous && (sDepth !== 1 || depth < 2)) return false;
  // Source rows: `rows` rows of `len` contiguous elements, ld apart.
  const rows = lanesContiguous ? depth : full, len = lanesContiguous ? full : depth, ld = lanesContiguous ? sDepth : sLane;
  if (ld > 2 * len) return false;
  // Rows per chunk (a multiple of 4 when rows are lanes, so chunks hold whole panels).
  const stride = chunkStride(ld, len); // = ld: one span copy per chunk
  const chunk = lanesContiguous ? Math.floor(RAW_ELEMS / stride) : Math.floor(RAW_ELEMS / stride / 4) * 4;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const rr = Math.min(chunk, rows - r0);
    const raw = copyRows(src, off + r0 * ld, ld, rr, len, F, RAW_OFF);
    if (lanesContiguous) packLanes(full / 4, rr, stride, raw, o + r0 * 4, depth);
    else packDepth(rr / 4, depth, stride, raw, o + r0 * depth);
  }
  if (!lanesContiguous && depth & 1) { // last depth step of every full panel
    const p = depth - 1;
    for (let l = 0; l < full; l++) F[o + (l >> 2) * 4 * depth + p * 4 + (l & 3)] = src[off + l * sLane + p];
  }
  if (full < lanes) packPanels(src, off + full * sLane, sLane, sDepth, lanes - full, depth, F, o + full * depth);
  return true;
}

/**
 * Packs a lanes×depth operand (element (l, p) at src[off + l·sLane + p·sDepth]) into panels of 4 lanes
 * (MR = NR = 4): dst[o + (l/4)·4·depth + p·4 + l%4], zero-filling the lanes past `lanes` in the last panel.
 */
function packPanels(src: Float64Array, off: number, sLane: number, sDepth: number,
  lanes: number, depth: number, dst: Float64Array, o: number): void {
  let l = 0;
  if (sLane === 1) {
    // Lanes contiguous (rows of B, or of A stored transposed): 16 lanes = 4 panels per pass over the
    // depth, so each visit to a (strided) source row uses two whole cache lines. ~1.6× faster.
    const ps = 4 * depth;
    for (; l + 16 <= lanes; l += 16, o += 4 * ps) {
      for (let p = 0, s = off + l, d = o; p < depth; p++, s += sDepth, d += 4) {
        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]; dst[d + 3] = src[s + 3];
        const d1 = d + ps, d2 = d1 + ps, d3 = d2 + ps;
        dst[d1] = src[s + 4]; dst[d1 + 1] = src[s + 5]; dst[d1 + 2] = src[s + 6]; dst[d1 + 3] = src[s + 7];
        dst[d2] = src[s + 8]; dst[d2 + 1] = src[s + 9]; dst[d2 + 2] = src[s + 10]; dst[d2 + 3] = src[s + 11];
        dst[d3] = src[s + 12]; dst[d3 + 1] = src[s + 13]; dst[d3 + 2] = src[s + 14]; dst[d3 + 3] = src[s + 15];
      }
    }
  }
  for (; l < lanes; l += 4) {
    const w = Math.min(4, lanes - l), base = off + l * sLane;
    if (w === 4) {
      const s1 = sLane, s2 = 2 * sLane, s3 = 3 * sLane;
      for (let p = 0, s = base; p < depth; p++, s += sDepth, o += 4) {
        dst[o] = src[s];
        dst[o + 1] = src[s + s1];
        dst[o + 2] = src[s + s2];
        dst[o + 3] = src[s + s3];
      }
    } else {
      for (let p = 0, s = base; p < depth; p++, s += sDepth, o += 4) {
        for (let q = 0; q < w; q++) dst[o + q] = src[s + q * sLane];
        for (let q = w; q < 4; q++) dst[o + q] = 0;
      }
    }
  }
}

/** Copies the valid rows×cols corner of the scratch C block into C: memcpy per row unless rows are short. */
function storeBlock(F: Float64Array, cs: number, ldcs: number, C: Float64Array, c0: number, ldc: number,
  rows: number, cols: number): void {
  if (cols < 32) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) C[c0 + i * ldc + j] = F[cs + i * ldcs + j];
    return;
  }
  // Only long rows are timed: the per-row call overhead would make short ones look aliased.
  timeCopy(cols >= 256 ? rows * cols : 0, () => {
    for (let i = 0; i < rows; i++) C.set(F.subarray(cs + i * ldcs, cs + i * ldcs + cols), c0 + i * ldc);
  });
}

// ---------------------------------------------------------------------------------------------
// Copies between user arrays and the workspace, clear of 4K aliasing
//
// memcpy (TypedArray.set) runs ~10× slower when the destination lies 8-24 bytes past the source
// modulo 4 KiB: each load waits for the store just issued to an address with the same low 12 bits.
// JS can't see addresses, so the workspace side of a copy keeps the user array's offset within a
// 4 KiB page (512 elements), shifted so that the common case is fast: large typed arrays typically
// come from mmap and start 16 bytes past a page boundary (measured here), and the wasm memory starts
// on one. If a copy still runs at the aliased rate, a global skew moves the workspace side by another
// 64 bytes (this also copes with heap-allocated arrays, whose base is arbitrary).
// ---------------------------------------------------------------------------------------------

let copySkew = 0;
/** A full-speed copy takes ~0.3 ns per element, an aliased one ~3 ns; copies shorter than
 *  TIMED_COPY_MIN elements are not timed (the two clock reads would cost too much in comparison). */
const SLOW_COPY_NS_PER_ELEM = 1.5;
const TIMED_COPY_MIN = 16384;

/** Phase in [0, 512) for a workspace destination receiving arr[off...]: destination − source is then
 *  ≡ 8·skew − (address of arr's buffer) (mod 4 KiB), i.e. −16 bytes for an mmap'ed array and skew 0. */
function inboundPhase(arr: Float64Array, off: number): number {
  return (arr.byteOffset / 8 + off + copySkew) & 511;
}

/** Phase in [0, 512) for a workspace source copied to arr[off...]: destination − source is then
 *  ≡ (address of arr's buffer) − 32 − 8·skew (mod 4 KiB), i.e. −16 bytes for an mmap'ed array. */
function outboundPhase(arr: Float64Array, off: number): number {
  return (arr.byteOffset / 8 + off + 4 + copySkew) & 511;
}

/** Runs a copy of `count` elements; if it was large enough to time and ran at the aliased rate,
 *  moves the skew for the next copies. */
function timeCopy(count: number, copy: () => void): void {
  if (count < TIMED_COPY_MIN) {
    copy();
    return;
  }
  const t0 = performance.now();
  copy();
  if ((performance.now() - t0) * 1e6 > SLOW_COPY_NS_PER_ELEM * count) copySkew = (copySkew + 8) & 511;
}

/** Copies src[off + i·inc] for i < count into F[dst...]. */
function gather(src: Float64Array, off: number, inc: number, count: number, F: Float64Array, dst: number): void {
  if (inc === 1) F.set(src.subarray(off, off + count), dst);
  else for (let i = 0; i < count; i++) F[dst + i] = src[off + i * inc];
}

/** Row stride of a chunk of S rows in wasm memory: rows no more than 2× their length apart are copied
 *  as one span, gaps included (one memcpy); others row by row, packed densely. */
function chunkStride(ld: number, len: number): number {
  return ld <= 2 * len ? ld : len;
}

/**
 * Copies rows×len elements of S (row stride ld, from off) to F[base + r·stride + l], with
 * stride = chunkStride(ld, len) and base ∈ [region, region + 512), which it returns. Span copies are
 * placed clear of 4K aliasing (see inboundPhase).
 */
function copyRows(S: Float64Array, off: number, ld: number, rows: number, len: number, F: Float64Array,
  region: number): number {
  if (chunkStride(ld, len) !== ld) {
    for (let r = 0; r < rows; r++) F.set(S.subarray(off + r * ld, off + r * ld + len), region + r * len);
    return region;
  }
  const count = (rows - 1) * ld + len;
  const base = region + inboundPhase(S, off);
  timeCopy(count, () => F.set(S.subarray(off, off + count), base));
  return base;
}

// ---------------------------------------------------------------------------------------------
// Matrix-vector products
// ---------------------------------------------------------------------------------------------

/**
 * y[yOff + i·incy] = Σ_p M[mOff + i·sRow + p·sCol] · x[xOff + p·incx]   for i < rows, p < cols.
 * One of sRow, sCol is 1. Seen from memory, M is a stored matrix S with contiguous rows:
 *  - sCol = 1: S = M (rows × cols, row stride sRow) and y_i = S_i·x       ("dot" form);
 *  - sRow = 1: S = Mᵀ (cols × rows, row stride sCol) and y = Σ_p x_p S_p  ("axpy" form).
 */
function gemv(rows: number, cols: number, M: Float64Array, mOff: number, sRow: number, sCol: number,
  x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void {
  const { dot, axpy } = workspace();
  const dotForm = sCol === 1;
  // Stored-row length and stride of S.
  const len = dotForm ? cols : rows, ld = dotForm ? sRow : sCol;
  const wasmWorthIt = dot !== null && (dotForm || sRow === 1) && rows * cols >= GEMV_WASM_MIN_ELEMS &&
    len >= GEMV_WASM_MIN_ROW && (ld <= 2 * len || len >= GEMV_WASM_MIN_SCATTERED_ROW);
  if (wasmWorthIt && dotForm) gemvDotWasm(rows, cols, M, mOff, ld, x, xOff, incx, y, yOff, incy);
  else if (wasmWorthIt) gemvAxpyWasm(cols, rows, M, mOff, ld, x, xOff, incx, y, yOff, incy);
  else if (dotForm) gemvDotJs(rows, cols, M, mOff, sRow, x, xOff, incx, y, yOff, incy);
  else gemvAxpyJs(cols, rows, M, mOff, sRow, sCol, x, xOff, incx, y, yOff, incy);
}

/** Dot form in JS: y_i = Σ_p M[mOff + i·ld + p] · x_p; four rows per pass share each load of x. */
function gemvDotJs(rows: number, cols: number, M: Float64Array, mOff: number, ld: number,
  x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = mOff + i * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let p = 0, xi = xOff; p < cols; p++, xi += incx) {
      const xv = x[xi];
      s0 += M[r0 + p] * xv;
      s1 += M[r1 + p] * xv;
      s2 += M[r2 + p] * xv;
      s3 += M[r3 + p] * xv;
    }
    const yi = yOff + i * incy;
    y[yi] = s0;
    y[yi + incy] = s1;
    y[yi + 2 * incy] = s2;
    y[yi + 3 * incy] = s3;
  }
  for (; i < rows; i++) y[yOff + i * incy] = dotJs(M, mOff + i * ld, x, xOff, incx, cols);
}

/** Σ_{p<len} M[m + p] · x[xOff + p·incx]. */
function dotJs(M: Float64Array, m: number, x: Float64Array, xOff: number, incx: number, len: number): number {
  let s0 = 0, s1 = 0, p = 0, xi = xOff;
  for (; p + 2 <= len; p += 2, xi += 2 * incx) {
    s0 += M[m + p] * x[xi];
    s1 += M[m + p + 1] * x[xi + incx];
  }
  if (p < len) s0 += M[m + p] * x[xi];
  return s0 + s1;
}

/** Axpy form in JS: y_i = Σ_{p<nvec} x_p · M[mOff + i·sRow + p·sCol] for i < len, walking M along
 *  i (contiguous when sRow = 1), four p's per pass to cut the load/store traffic on y. */
function gemvAxpyJs(nvec: number, len: number, M: Float64Array, mOff: number, sRow: number, sCol: number,
  x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void {
  for (let i = 0, yi = yOff; i < len; i++, yi += incy) y[yi] = 0;
  let p = 0;
  for (; p + 4 <= nvec; p += 4) {
    const x0 = x[xOff + p * incx], x1 = x[xOff + (p + 1) * incx];
    const x2 = x[xOff + (p + 2) * incx], x3 = x[xOff + (p + 3) * incx];
    const c0 = mOff + p * sCol, c1 = c0 + sCol, c2 = c1 + sCol, c3 = c2 + sCol;
    for (let i = 0, yi = yOff, mi = 0; i < len; i++, yi += incy, mi += sRow) {
      y[yi] += M[c0 + mi] * x0 + M[c1 + mi] * x1 + M[c2 + mi] * x2 + M[c3 + mi] * x3;
    }
  }
  for (; p < nvec; p++) {
    const xv = x[xOff + p * incx], c0 = mOff + p * sCol;
    for (let i = 0, yi = yOff, mi = 0; i < len; i++, yi += incy, mi += sRow) y[yi] += M[c0 + mi] * xv;
  }
}

/** Dot form with the SIMD kernel: y_i = Σ_l S[sOff + i·ld + l] · x_l, for i < nrows, l < len.
 *  Blocks over l (x block in wasm memory) and over rows (L2-sized chunks copied to wasm memory);
 *  the kernel covers a multiple of 4 columns and JS adds the ≤ 3 leftover ones. */
function gemvDotWasm(nrows: number, len: number, S: Float64Array, sOff: number, ld: number,
  x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void {
  const { F, dot } = workspace();
  for (let l0 = 0; l0 < len; l0 += GV_VEC) {
    const lb = Math.min(GV_VEC, len - l0), lb4 = lb & ~3, stride = chunkStride(ld, lb);
    const chunk = Math.min(GV_VEC, Math.floor(GV_MCAP / stride));
    gather(x, xOff + l0 * incx, incx, lb, F, GV_X);
    for (let r0 = 0; r0 < nrows; r0 += chunk) {
      const rr = Math.min(chunk, nrows - r0), rowOff = sOff + r0 * ld + l0;
      const mb = copyRows(S, rowOff, ld, rr, lb, F, GV_M);
      if (lb4 > 0) dot!(rr, lb4, stride, mb, GV_X, GV_Y);
      else F.fill(0, GV_Y, GV_Y + rr);
      for (let r = 0; r < rr; r++) {
        let s = F[GV_Y + r];
        for (let l = lb4; l < lb; l++) s += F[mb + r * stride + l] * F[GV_X + l];
        const yi = yOff + (r0 + r) * incy;
        y[yi] = l0 === 0 ? s : y[yi] + s;
      }
    }
  }
}

/** Axpy form with the SIMD kernel: y_l = Σ_{r<nvec} x_r · S[sOff + r·ld + l], for l < len.
 *  Blocks over l (y block accumulates in wasm memory) and over r (row chunks copied to wasm memory);
 *  the kernel covers an even number of columns and JS computes a leftover odd one. */
function gemvAxpyWasm(nvec: number, len: number, S: Float64Array, sOff: number, ld: number,
  x: Float64Array, xOff: number, incx: number, y: Float64Array, yOff: number, incy: number): void {
  const { F, axpy } = workspace();
  for (let l0 = 0; l0 < len; l0 += GV_VEC) {
    const lb = Math.min(GV_VEC, len - l0), lb2 = lb & ~1, stride = chunkStride(ld, lb);
    const chunk = Math.min(GV_VEC, Math.floor(GV_MCAP / stride));
    F.fill(0, GV_Y, GV_Y + lb);
    for (let r0 = 0; r0 < nvec; r0 += chunk) {
      const rr = Math.min(chunk, nvec - r0);
      gather(x, xOff + r0 * incx, incx, rr, F, GV_X);
      const mb = copyRows(S, sOff + r0 * ld + l0, ld, rr, lb, F, GV_M);
      if (lb2 > 0) axpy!(rr, lb2, stride, mb, GV_X, GV_Y);
      if (lb2 < lb) for (let r = 0; r < rr; r++) F[GV_Y + lb2] += F[GV_X + r] * F[mb + r * stride + lb2];
    }
    for (let l = 0; l < lb; l++) y[yOff + (l0 + l) * incy] = F[GV_Y + l];
  }
}

// ---------------------------------------------------------------------------------------------
// Workspace and kernels
// ---------------------------------------------------------------------------------------------

/** The workspace in use (null: not chosen yet), and the lazily created candidates. */
let ws: Workspace | null = null;
let wasmWs: Workspace | null | undefined;
let jsWs: Workspace | undefined;

function workspace(): Workspace {
  return ws ??= wasmWorkspace() ?? jsWorkspace();
}

function jsWorkspace(): Workspace {
  if (!jsWs) {
    const F = new Float64Array(WORKSPACE_ELEMS);
    const macro: MacroKernel = (mcp, ncp, kc, ap, bp, cs, acc) => macroKernelJs(F, mcp, ncp, kc, ap, bp, cs, acc);
    jsWs = { F, macro, dot: null, axpy: null, packLanes: null, packDepth: null, backend: "js" };
  }
  return jsWs;
}

/** Scalar JS macro-kernel: 4×4 register-blocked micro-kernel over the packed layout (see MacroKernel). */
function macroKernelJs(F: Float64Array, mcp: number, ncp: number, kc: number, ap: number, bp: number, cs: number,
  accumulate: number): void {
  for (let jr = 0; jr < ncp; jr += NR) {
    for (let ir = 0; ir < mcp; ir += MR) {
      let a = ap + ir * kc, b = bp + jr * kc;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < kc; p++, a += MR, b += NR) {
        const a0 = F[a], a1 = F[a + 1], a2 = F[a + 2], a3 = F[a + 3];
        const b0 = F[b], b1 = F[b + 1], b2 = F[b + 2], b3 = F[b + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      let c = cs + ir * ncp + jr;
      if (accumulate) {
        F[c] += c00; F[c + 1] += c01; F[c + 2] += c02; F[c + 3] += c03; c += ncp;
        F[c] += c10; F[c + 1] += c11; F[c + 2] += c12; F[c + 3] += c13; c += ncp;
        F[c] += c20; F[c + 1] += c21; F[c + 2] += c22; F[c + 3] += c23; c += ncp;
        F[c] += c30; F[c + 1] += c31; F[c + 2] += c32; F[c + 3] += c33;
      } else {
        F[c] = c00; F[c + 1] = c01; F[c + 2] = c02; F[c + 3] = c03; c += ncp;
        F[c] = c10; F[c + 1] = c11; F[c + 2] = c12; F[c + 3] = c13; c += ncp;
        F[c] = c20; F[c + 1] = c21; F[c + 2] = c22; F[c + 3] = c23; c += ncp;
        F[c] = c30; F[c + 1] = c31; F[c + 2] = c32; F[c + 3] = c33;
      }
    }
  }
}

// Minimal typing for the parts of the WebAssembly JS API used here (lib.dom is not in this project).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The SIMD kernels (instantiated on first use), or null when WebAssembly (SIMD) is unavailable. */
function wasmWorkspace(): Workspace | null {
  if (wasmWs === undefined) wasmWs = instantiateWasm();
  return wasmWs;
}

function instantiateWasm(): Workspace | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    const pages = Math.ceil((WORKSPACE_ELEMS * 8) / 65536);
    const { exports } = new api.Instance(new api.Module(buildGemmModule(pages)), {});
    // The memory never grows, so this view stays attached.
    const F = new Float64Array((exports.mem as { buffer: ArrayBuffer }).buffer, 0, WORKSPACE_ELEMS);
    return {
      F, macro: exports.macro as MacroKernel, dot: exports.dot as VecKernel, axpy: exports.axpy as VecKernel,
      packLanes: exports.packLanes as PackKernel, packDepth: exports.packDepth as PackKernel, backend: "wasm",
    };
  } catch {
    return null;
  }
}
