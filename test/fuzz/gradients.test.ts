// Property-based gradient tests: random differentiable programs (test/fuzz/programs.ts) checked in both modes to
// second order against central differences (checkGrads), and every primitive application in them checked for
// VJP/JVP transposition. Seeded and bounded inside `npm test`; `npm run fuzz` runs many more (see README, Tests).
//
//   FUZZ_RUNS=5000 FUZZ_SEED=123 npm run fuzz     # any run count / seed; a failure prints the shrunk program
import * as fc from "fast-check";
import { describe, expect, test, vi } from "vitest";
import { checkGrads } from "../../lib/index";
import { type Program, OP_NAMES, build, programArb, specArb } from "./programs";
import { recordNodes, transposeCheck } from "./harness";

const long = process.env.npm_lifecycle_event === "fuzz";
const RUNS = Number(process.env.FUZZ_RUNS ?? (long ? 3000 : 150));
const SEED = Number(process.env.FUZZ_SEED ?? (long ? Date.now() % 2 ** 31 : 20261203));
const TIMEOUT = long ? 24 * 3600_000 : 60_000;

function checkProgram(p: Program): void {
  if (p.buildError) throw new Error(`the library threw on a valid input: ${p.buildError}\n  program so far: ${p.detail}`);
  try {
    checkGrads(p.run, { modes: ["fwd", "rev"], order: 2 })(...p.inputs);
    const nodes = recordNodes(p.run, p.inputs);
    nodes.forEach((node, i) => {
      for (const r of transposeCheck(node, 77 + i)) {
        if (!r.ok) throw new Error(`${r.prim} argument ${r.argnum}: ${r.shapeError ?? `⟨u, Jv⟩ = ${r.lhs} but ⟨Jᵀu, v⟩ = ${r.rhs}`}`);
      }
    });
  } catch (e) {
    // the message carries the program as text (fast-check prints the shrunk one last)
    (e as Error).message = `${(e as Error).message}\n  program: ${p.detail}`;
    throw e;
  }
}

describe("random programs: gradients in both modes to order 2 match central differences", () => {
  test(`${RUNS} programs, seed ${SEED}`, () => {
    if (long) console.log(`fuzz: ${RUNS} programs, seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run fuzz reproduces)`);
    // constant second derivatives (linear programs) make checkGrads' inner operators warn "Output seems independent"
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      fc.assert(fc.property(programArb, (p) => checkProgram(p)), { numRuns: RUNS, seed: SEED });
    } finally {
      warn.mockRestore();
    }
  }, TIMEOUT);

  test("the generator reaches every operation family and prints programs readably", () => {
    const seen = new Set<string>();
    const samples = fc.sample(specArb, { numRuns: 300, seed: 7 }).map(build);
    for (const p of samples) p.opNames.forEach((n) => seen.add(n));
    expect([...seen].sort()).toEqual([...OP_NAMES].sort());
    const p = build({ shape: [2, 3], complex: false, steps: [{ op: 1, a: 2, b: 5, c: 0 }, { op: 2, a: 0, b: 1, c: 0 }, { op: 0, a: 0, b: 0, c: 0 }], final: 0, seed: 1 });
    expect(p.text).toMatch(/^inputs x0: \(2,3\) float64, x1: \(\d(,\d)*,?\) float64\n {2}tanh\(sum\(\(x0 \* x1\), axis=\d\)\)$/);
  });

  test("a failure is shrunk to a short program and printed as text", () => {
    // a planted failure: any program using tanh "fails"; fast-check must shrink it to the smallest such program
    let message = "";
    try {
      fc.assert(fc.property(programArb, (p) => {
        if (p.text.includes("tanh(")) throw new Error("planted failure");
      }), { numRuns: 200, seed: 5 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Shrunk \d+ time/);
    expect(message).toMatch(/Counterexample: \[inputs x0: \(\) float64\n {2}tanh\(x0\)\]/);
  });
});
