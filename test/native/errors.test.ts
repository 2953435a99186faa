// Bad input to the addon throws an Error naming the entry point and the shapes, and never crashes the process.
import { describe, expect, it } from "vitest";
import { nat } from "./helpers";

const F = (n: number) => new Float64Array(n);

describe.skipIf(!nat)("native argument checks", () => {
  const a = nat!;
  it("dgemm: operands that do not fit, leading dimensions below the row length, wrong types and counts", () => {
    expect(() => a.dgemm(false, false, 2, 2, 3, F(6), 1, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/^dgemm: A \(2×3, leading dimension 3, offset 1\) needs 7 elements, the array has 6$/);
    expect(() => a.dgemm(false, true, 2, 2, 3, F(6), 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/^dgemm: B \(2×3\): leading dimension 2 must be at least 3$/);
    expect(() => a.dgemm(false, false, 2, 2, 3, F(6), 0, 3, F(6), 0, 2, F(3), 0, 2)).toThrow(/dgemm: C \(2×2.*needs 4 elements, the array has 3/);
    expect(() => a.dgemm(false, false, -1, 2, 3, F(6), 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/^dgemm: m \(argument 3\) must be a non-negative integer, got a number$/);
    expect(() => a.dgemm(false, false, 1.5, 2, 3, F(6), 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/dgemm: m .* non-negative integer/);
    expect(() => (a.dgemm as any)(false, false, 2, 2, 3, new Float32Array(6), 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/^dgemm: A \(argument 6\) must be a Float64Array, got Float32Array$/);
    expect(() => (a.dgemm as any)(false, false, 2, 2, 3, [1, 2, 3], 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/dgemm: A .* got an object/);
    expect(() => (a.dgemm as any)(false, false, 2)).toThrow(/^dgemm: argument 4 \(n\) is missing$/);
    expect(() => (a.sgemm as any)(false, false, 2, 2, 3, F(6), 0, 3, F(6), 0, 2, F(4), 0, 2)).toThrow(/^sgemm: A \(argument 6\) must be a Float32Array/);
    expect(() => a.dgemm(false, false, 2 ** 31, 1, 1, F(1), 0, 1, F(1), 0, 1, F(1), 0, 1)).toThrow(/dgemm: dimension 2147483648 exceeds 2\^31 - 1/);
  });

  it("batched gemm, gemv, dot and axpy check every operand", () => {
    expect(() => a.dgemmBatched(false, false, 2, 2, 2, F(8), Float64Array.of(0, 5), 2, F(8), Float64Array.of(0, 4), 2, F(8), 0)).toThrow(/^dgemmBatched: A \(2×2, leading dimension 2, offset 5\) needs 9 elements/);
    expect(() => a.dgemmBatched(false, false, 2, 2, 2, F(8), Float64Array.of(0), 2, F(8), Float64Array.of(0, 4), 2, F(8), 0)).toThrow(/aOffsets \(1\) and bOffsets \(2\) differ/);
    expect(() => a.dgemmBatched(false, false, 2, 2, 2, F(8), Float64Array.of(-4), 2, F(8), Float64Array.of(0), 2, F(8), 0)).toThrow(/batch offsets must be non-negative integers/);
    expect(() => a.dgemv(false, 3, 2, F(6), 0, 2, F(1), 0, 1, F(3), 0, 1)).toThrow(/^dgemv: x \(2×1, leading dimension 1, offset 0\) needs 2 elements, the array has 1$/);
    expect(() => a.dgemv(true, 3, 2, F(6), 0, 2, F(3), 0, 1, F(2), 0, 2)).toThrow(/^dgemv: y \(2×1, leading dimension 2/);
    expect(() => a.ddot(5, F(5), 0, 1, F(5), 1, 1)).toThrow(/^ddot: y .* needs 6 elements, the array has 5$/);
    expect(() => a.ddot(5, F(5), 0, 0, F(5), 0, 1)).toThrow(/^ddot: x \(5×1\): leading dimension 0 must be at least 1$/);
    expect(() => a.daxpy(3, NaN, F(3), 0, 1, F(2), 0, 1)).toThrow(/^daxpy: y/);
  });

  it("LAPACK entry points and the elementwise ones", () => {
    expect(() => a.dgetrf(3, F(8), 0, new Int32Array(3))).toThrow(/^dgetrf: a \(3×3, leading dimension 3, offset 0\) needs 9 elements, the array has 8$/);
    expect(() => a.dgetrf(3, F(9), 0, new Int32Array(2))).toThrow(/^dgetrf: piv has 2 entries, needs 3$/);
    expect(() => (a.dgetrf as any)(3, F(9), 0, new Float64Array(3))).toThrow(/^dgetrf: piv \(argument 4\) must be an Int32Array/);
    expect(() => a.dgetrs(2, F(4), 0, Int32Array.of(5, 1), F(2), 0, 1)).toThrow(/^dgetrs: piv\[0\] = 5 is out of range for n = 2$/);
    expect(() => a.dtrsm(true, false, 3, 2, F(9), 0, F(5), 0)).toThrow(/^dtrsm: b \(3×2/);
    expect(() => a.dpotrf(2, F(4), 0, F(3), 0)).toThrow(/^dpotrf: l \(2×2/);
    expect(() => a.dsyevd(3, F(9), 0, F(2), F(9))).toThrow(/^dsyevd: w \(3×1/);
    expect(() => a.dgesdd(3, 2, F(6), 0, true, F(6), F(2), F(4))).toThrow(/^dgesdd: u \(3×3/);
    expect(() => a.dgeqrf(3, 2, F(6), 0, false, F(6), F(3))).toThrow(/^dgeqrf: r \(2×2/);
    expect(() => a.unary("exp", F(3), F(2), 3)).toThrow(/^exp: out \(3×1, leading dimension 1, offset 0\) needs 3 elements, the array has 2$/);
    expect(() => (a.unary as any)(7, F(3), F(3), 3)).toThrow(/^unary: op \(argument 1\) must be a short string, got a number$/);
    expect(() => a.binary("add", F(3), F(1), F(3), 3, 0)).toThrow(/^add: b .* needs 3 elements/);
    expect(() => (a.binary as any)("add", F(3), F(1), F(3), 3, 3)).toThrow(/^add: mode must be 0, 1 or 2, got 3$/);
    expect(() => a.reduce("sum", F(5), 2, 3, 1, F(2))).toThrow(/^sum: x \[2, 3, 1\] needs 6 elements \(has 5\)/);
    expect(() => a.transpose(F(5), 2, 3, F(6))).toThrow(/^transpose: x \(2×3, leading dimension 3, offset 0\) needs 6 elements, the array has 5$/);
    expect(() => a.transpose(F(6), 2, 3, F(4))).toThrow(/^transpose: out \(3×2/);
    expect(() => (a.transpose as any)(new Float32Array(6), 2, 3, F(6))).toThrow(/^transpose: x \(argument 1\) must be a Float64Array/);
  });

  it("after all those errors the addon still computes", () => {
    const c = F(1);
    a.dgemm(false, false, 1, 1, 1, Float64Array.of(3), 0, 1, Float64Array.of(4), 0, 1, c, 0, 1);
    expect(c[0]).toBe(12);
  });
});
