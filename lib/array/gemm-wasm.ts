// gemm's SIMD kernels (f64x2) as WebAssembly, generated as raw bytes at load time with wasm-encoder.ts.
// gemm.ts documents the kernels' contracts (MacroKernel, VecKernel, PackKernel).
import { encodeModule, FnBuilder, Op, SimdOp, VOID_BLOCK } from "./wasm-encoder";

/** Micro-tile: MR rows × NR columns of C per micro-kernel call (both macro-kernels are written for 4×4). */
export const MR = 4;
export const NR = 4;

/** macro(mcp, ncp, kc, ap, bp, cs, accumulate): see MacroKernel. MR×NR tiles, NR/2 v128 accumulators per tile row. */
function emitMacroKernel(): number[] {
  const f = new FnBuilder();
  const NV = NR / 2;
  const mcp = 0, ncp = 1, kc = 2, ap = 3, bp = 4, cs = 5, accumulate = 6;
  const jr = f.i32Local(), ir = f.i32Local(), pa = f.i32Local(), pb = f.i32Local(), p = f.i32Local();
  const cp = f.i32Local(), cr = f.i32Local(), ldcBytes = f.i32Local(), kcBytes = f.i32Local();
  const jrLeft = f.i32Local(), irLeft = f.i32Local();
  const acc = Array.from({ length: MR * NV }, () => f.v128Local());
  const bv = Array.from({ length: NV }, () => f.v128Local());
  const av = f.v128Local();

  f.get(ncp).set(ldcBytes).toBytes(ldcBytes).get(kc).set(kcBytes).toBytes(kcBytes);
  f.toBytes(ap).toBytes(bp).toBytes(cs);
  f.i32(0).set(jr).get(ncp).set(jrLeft);
  f.countdown(jrLeft, NR, () => { // for each NR-column panel jr of B
    f.i32(0).set(ir).get(mcp).set(irLeft);
    f.countdown(irLeft, MR, () => { // for each MR-row panel ir of A
      // pa = ap + ir·kc·8, pb = bp + jr·kc·8: the micro-panels.
      f.get(ap).get(ir).get(kcBytes).op(Op.I32Mul).op(Op.I32Add).set(pa);
      f.get(bp).get(jr).get(kcBytes).op(Op.I32Mul).op(Op.I32Add).set(pb);
      // cp = cs + (ir·ncp + jr)·8: the tile in the C block. Start from it, or from zero.
      f.get(ir).get(ncp).op(Op.I32Mul).get(jr).op(Op.I32Add).set(cp).toBytes(cp).get(cp).get(cs).op(Op.I32Add).set(cp);
      f.get(accumulate).op(Op.If, VOID_BLOCK);
      f.get(cp).set(cr);
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++) f.get(cr).simd(SimdOp.V128Load).mem(16 * v).set(acc[r * NV + v]);
        f.get(cr).get(ldcBytes).op(Op.I32Add).set(cr);
      }
      f.op(Op.Else);
      for (const a of acc) f.zeroV128().set(a);
      f.op(Op.End);
      f.get(kc).set(p);
      f.countdown(p, 1, () => { // micro-kernel: rank-1 update of the MR×NR tile per p
        bv.forEach((b, v) => f.get(pb).simd(SimdOp.V128Load).mem(16 * v).set(b));
        for (let r = 0; r < MR; r++) {
          f.get(pa).simd(SimdOp.Load64Splat).mem(8 * r).set(av);
          bv.forEach((b, v) => f.fma(acc[r * NV + v], av, b));
        }
        f.addTo(pa, 8 * MR).addTo(pb, 8 * NR);
      });
      // Store the tile back, one row per ldcBytes.
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++) f.get(cp).get(acc[r * NV + v]).simd(SimdOp.V128Store).mem(16 * v);
        f.get(cp).get(ldcBytes).op(Op.I32Add).set(cp);
      }
      f.addTo(ir, MR);
    });
    f.addTo(jr, NR);
  });
  return f.finish();
}

/** dot(rows, len, stride, m, x, y): see VecKernel (len a positive multiple of 4). Two v128 accumulators. */
function emitDotKernel(): number[] {
  const f = new FnBuilder();
  const rows = 0, len = 1, stride = 2, m = 3, x = 4, y = 5;
  const pm = f.i32Local(), px = f.i32Local(), left = f.i32Local();
  const acc0 = f.v128Local(), acc1 = f.v128Local();
  f.toBytes(stride).toBytes(m).toBytes(x).toBytes(y).toBytes(len);
  f.countdown(rows, 1, () => {
    f.zeroV128().tee(acc0).set(acc1);
    f.get(m).set(pm).get(x).set(px).get(len).set(left);
    f.countdown(left, 32, () => {
      f.get(acc0).get(pm).simd(SimdOp.V128Load).mem(0).get(px).simd(SimdOp.V128Load).mem(0)
        .simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).set(acc0);
      f.get(acc1).get(pm).simd(SimdOp.V128Load).mem(16).get(px).simd(SimdOp.V128Load).mem(16)
        .simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).set(acc1);
      f.addTo(pm, 32).addTo(px, 32);
    });
    // y[0] = lane0 + lane1 of (acc0 + acc1)
    f.get(y).get(acc0).get(acc1).simd(SimdOp.F64x2Add).tee(acc0).simd(SimdOp.F64x2ExtractLane).op(0)
      .get(acc0).simd(SimdOp.F64x2ExtractLane).op(1).op(Op.F64Add).op(Op.F64Store).mem(0);
    f.addTo(y, 8).get(m).get(stride).op(Op.I32Add).set(m);
  });
  return f.finish();
}

/** axpy(rows, len, stride, m, x, y): see VecKernel (len a positive multiple of 2). */
function emitAxpyKernel(): number[] {
  const f = new FnBuilder();
  const rows = 0, len = 1, stride = 2, m = 3, x = 4, y = 5;
  const pm = f.i32Local(), py = f.i32Local(), left = f.i32Local();
  const xv = f.v128Local();
  f.toBytes(stride).toBytes(m).toBytes(x).toBytes(y).toBytes(len);
  f.countdown(rows, 1, () => {
    f.get(x).simd(SimdOp.Load64Splat).mem(0).set(xv);
    f.get(m).set(pm).get(y).set(py).get(len).set(left);
    f.countdown(left, 16, () => {
      // y[l..l+1] += x_r · m[l..l+1]
      f.get(py).get(py).simd(SimdOp.V128Load).mem(0).get(xv).get(pm).simd(SimdOp.V128Load).mem(0)
        .simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).simd(SimdOp.V128Store).mem(0);
      f.addTo(pm, 16).addTo(py, 16);
    });
    f.addTo(x, 8).get(m).get(stride).op(Op.I32Add).set(m);
  });
  return f.finish();
}

/** packLanes(panels, rows, stride, raw, dst, depth): see PackKernel. Panel by panel, copies four
 *  elements from each source row (the rows are in L2 after the copy) to consecutive destinations.
 *  (Row by row instead would scatter each row's stores 4·depth elements apart, and with a power-of-two
 *  depth they all hit the same L1 set.) */
function emitPackLanesKernel(): number[] {
  const f = new FnBuilder();
  const panels = 0, rows = 1, stride = 2, raw = 3, dst = 4, depth = 5;
  const ps = f.i32Local(), pd = f.i32Local(), r = f.i32Local(), panelBytes = f.i32Local();
  f.get(depth).i32(32).op(Op.I32Mul).set(panelBytes);
  f.toBytes(stride).toBytes(raw).toBytes(dst);
  f.countdown(panels, 1, () => {
    f.get(raw).set(ps).get(dst).set(pd).get(rows).set(r);
    f.countdown(r, 1, () => { // four elements of each row
      f.get(pd).get(ps).simd(SimdOp.V128Load).mem(0).simd(SimdOp.V128Store).mem(0);
      f.get(pd).get(ps).simd(SimdOp.V128Load).mem(16).simd(SimdOp.V128Store).mem(16);
      f.get(ps).get(stride).op(Op.I32Add).set(ps).addTo(pd, 32);
    });
    f.addTo(raw, 32).get(dst).get(panelBytes).op(Op.I32Add).set(dst);
  });
  return f.finish();
}

/** packDepth(panels, depth, stride, raw, dst): see PackKernel (rows = depth here). Per panel, reads its
 *  four source rows two elements at a time and transposes each 4×2 block with shuffles. */
function emitPackDepthKernel(): number[] {
  const f = new FnBuilder();
  const panels = 0, depth = 1, stride = 2, raw = 3, dst = 4;
  const r0 = f.i32Local(), r1 = f.i32Local(), r2 = f.i32Local(), r3 = f.i32Local(), pd = f.i32Local();
  const pairs = f.i32Local(), panelBytes = f.i32Local();
  const a = f.v128Local(), b = f.v128Local(), c = f.v128Local(), d = f.v128Local();
  const LO = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]; // (x[0], y[0])
  const HI = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]; // (x[1], y[1])
  const shuffle = (x: number, y: number, lanes: number[]) => f.get(x).get(y).simd(SimdOp.I8x16Shuffle).op(...lanes);
  f.get(depth).i32(32).op(Op.I32Mul).set(panelBytes);
  f.toBytes(stride).toBytes(raw).toBytes(dst);
  f.countdown(panels, 1, () => {
    f.get(raw).set(r0).get(r0).get(stride).op(Op.I32Add).set(r1);
    f.get(r1).get(stride).op(Op.I32Add).set(r2).get(r2).get(stride).op(Op.I32Add).set(r3);
    f.get(dst).set(pd).get(depth).i32(1).op(Op.I32ShrU).set(pairs);
    f.countdown(pairs, 1, () => {
      f.get(r0).simd(SimdOp.V128Load).mem(0).set(a).get(r1).simd(SimdOp.V128Load).mem(0).set(b);
      f.get(r2).simd(SimdOp.V128Load).mem(0).set(c).get(r3).simd(SimdOp.V128Load).mem(0).set(d);
      f.get(pd); shuffle(a, b, LO); f.simd(SimdOp.V128Store).mem(0);
      f.get(pd); shuffle(c, d, LO); f.simd(SimdOp.V128Store).mem(16);
      f.get(pd); shuffle(a, b, HI); f.simd(SimdOp.V128Store).mem(32);
      f.get(pd); shuffle(c, d, HI); f.simd(SimdOp.V128Store).mem(48);
      f.addTo(r0, 16).addTo(r1, 16).addTo(r2, 16).addTo(r3, 16).addTo(pd, 64);
    });
    f.get(raw).get(stride).i32(2).op(Op.I32Shl).op(Op.I32Add).set(raw); // next 4 rows
    f.get(dst).get(panelBytes).op(Op.I32Add).set(dst);
  });
  return f.finish();
}

/** A module exporting `macro`, `dot`, `axpy`, `packLanes`, `packDepth` and its memory `mem` of `pages` 64 KiB pages. */
export function buildGemmModule(pages: number): Uint8Array {
  return encodeModule([
    ["macro", emitMacroKernel()], ["dot", emitDotKernel()], ["axpy", emitAxpyKernel()],
    ["packLanes", emitPackLanesKernel()], ["packDepth", emitPackDepthKernel()],
  ], pages);
}
