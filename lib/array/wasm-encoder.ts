// A minimal WebAssembly binary encoder: just enough of the format for a few i32/f64/v128 loop kernels
// written in JS at load time (no toolchain needed). Used by gemm-wasm.ts.


/** Unsigned / signed LEB128. */
export function uleb(v: number, out: number[]): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}
export function sleb(v: number, out: number[]): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

export const enum Op {
  Loop = 0x03, If = 0x04, Else = 0x05, End = 0x0b, BrIf = 0x0d, LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22,
  F64Store = 0x39, I32Const = 0x41, I32Ne = 0x47, I32Add = 0x6a, I32Mul = 0x6c, I32Shl = 0x74, I32ShrU = 0x76,
  F64Add = 0xa0, SimdPrefix = 0xfd,
}
export const enum SimdOp {
  V128Load = 0x00, Load64Splat = 0x0a, V128Store = 0x0b, V128Const = 0x0c, I8x16Shuffle = 0x0d, F64x2ExtractLane = 0x21,
  F64x2Add = 0xf0, F64x2Mul = 0xf2,
}
export const enum ValType { I32 = 0x7f, V128 = 0x7b }
export const VOID_BLOCK = 0x40;

/** Builds one function body. All kernels share one type, (i32 × PARAMS) → () (locals 0..PARAMS-1;
 *  kernels needing fewer ignore the rest); further i32 and v128 locals are allocated on demand.
 *  Memory addresses are bytes; parameters are element offsets. */
export class FnBuilder {
  private readonly code: number[] = [];
  private nI32 = 0;
  private nV128 = 0;
  static readonly PARAMS = 7;
  private static readonly MAX_I32 = 16;

  i32Local(): number { return FnBuilder.PARAMS + this.nI32++; }
  v128Local(): number { return FnBuilder.PARAMS + FnBuilder.MAX_I32 + this.nV128++; }

  op(...bytes: number[]): this { this.code.push(...bytes); return this; }
  get(i: number): this { return this.op(Op.LocalGet, i); }
  set(i: number): this { return this.op(Op.LocalSet, i); }
  tee(i: number): this { return this.op(Op.LocalTee, i); }
  i32(v: number): this { this.op(Op.I32Const); sleb(v, this.code); return this; }
  simd(o: number): this { this.op(Op.SimdPrefix); uleb(o, this.code); return this; }
  /** memarg: alignment hint 2^3 (8 bytes), constant byte offset. */
  mem(offset: number): this { uleb(3, this.code); uleb(offset, this.code); return this; }
  zeroV128(): this { return this.op(Op.SimdPrefix, SimdOp.V128Const, ...new Array<number>(16).fill(0)); }
  /** local += v (i32). */
  addTo(local: number, v: number): this { return this.get(local).i32(v).op(Op.I32Add).set(local); }
  /** local = local · 8: element offset → byte address. */
  toBytes(local: number): this { return this.get(local).i32(3).op(Op.I32Shl).set(local); }
  /** acc = acc + a·b (f64x2). */
  fma(acc: number, a: number, b: number): this {
    return this.get(acc).get(a).get(b).simd(SimdOp.F64x2Mul).simd(SimdOp.F64x2Add).set(acc);
  }
  /** do { body } while ((counter -= step) != 0) */
  countdown(counter: number, step: number, body: () => void): this {
    this.op(Op.Loop, VOID_BLOCK);
    body();
    this.get(counter).i32(-step).op(Op.I32Add).tee(counter).op(Op.BrIf, 0);
    return this.op(Op.End);
  }

  /** Encoded body: local declarations, instructions, end. */
  finish(): number[] {
    const out: number[] = [];
    uleb(2, out);
    uleb(FnBuilder.MAX_I32, out); out.push(ValType.I32);
    uleb(this.nV128, out); out.push(ValType.V128);
    return out.concat(this.code, Op.End);
  }
}

/** A module whose functions (all of type (i32 × FnBuilder.PARAMS) → ()) are exported under their names, with its
 *  memory exported as `mem` (`pages` 64 KiB pages, no maximum). */
export function encodeModule(functions: [string, number[]][], pages: number): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
  const section = (id: number, content: number[]) => { out.push(id); uleb(content.length, out); out.push(...content); };
  const name = (s: string) => { const b: number[] = []; uleb(s.length, b); for (const ch of s) b.push(ch.charCodeAt(0)); return b; };
  const bodies = functions.map(([, body]) => body);

  const P = FnBuilder.PARAMS;
  section(1, [1, 0x60, P, ...new Array<number>(P).fill(ValType.I32), 0]); // type 0: (i32 × P) → ()
  section(3, [bodies.length, ...bodies.map(() => 0)]); // every function has type 0
  const mem: number[] = [1, 0x00]; uleb(pages, mem); section(5, mem); // one memory, min = pages, no max
  const exports = functions.flatMap(([exportName], i) => [...name(exportName), 0x00, i]); // kind 0: function
  section(7, [functions.length + 1, ...exports, ...name("mem"), 0x02, 0]); // kind 2: memory
  const code: number[] = [bodies.length];
  for (const b of bodies) { uleb(b.length, code); code.push(...b); }
  section(10, code);
  return new Uint8Array(out);
}
