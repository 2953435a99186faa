// The layers of lib/ import strictly downward (README, ARCHITECTURE): each folder imports only the folders in
// its row of LAYERS, and no module reaches itself through its imports. Reads every file's imports (type-only
// ones included) with the TypeScript pre-processor; see ./imports.ts.
import { describe, expect, it } from "vitest";
import { type ModuleId, findCycles, folderOf, readImports } from "./imports";

/** Which folders each folder of lib/ may import (besides itself): the table README's ARCHITECTURE shows. */
export const LAYERS: Record<string, readonly string[]> = {
  util: [],
  array: ["util"],
  core: ["array", "util"],
  numpy: ["core", "array", "util"],
  linalg: ["numpy", "core", "array", "util"],
  fft: ["numpy", "core", "array", "util"],
  scipy: ["linalg", "fft", "numpy", "core", "array", "util"],
  optim: ["numpy", "core", "array", "util"],
  display: ["array", "util"],
  plot: ["display", "array", "util"],
  graph: ["display", "core", "array", "util"],
};
/** lib's own top-level files (index.ts, np.ts, methods.ts) assemble the public API: they may import anything. */
const ROOT = "(lib root)";

/**
 * The one import knot left in lib: numpy's derivative rules are written in each other's primitives (multiply's
 * VJP sums with reductions' sum, sum's VJP broadcasts with shape's broadcast_to, whose VJP is binary's
 * unbroadcast; power's rule takes elementwise's log, whose rule divides...). The rules only run after every
 * module has loaded, so it is harmless at run time. It may only shrink: remove a module from this list when a
 * refactor takes it out of the knot; a new module in it, or a second knot, fails.
 */
const KNOWN_KNOT: readonly ModuleId[] = [
  "numpy/binary",
  "numpy/complexParts",
  "numpy/creation",
  "numpy/elementwise",
  "numpy/reductions",
  "numpy/shape",
];

const layerOf = (id: ModuleId) => (id.includes("/") ? folderOf(id) : ROOT);

describe("lib's import graph", () => {
  const graph = readImports();

  it("reads the imports of every file in lib (a sanity check of the reader)", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get("numpy/binary")).toContain("core/tracer");
    expect(graph.get("index")).toContain("np");
    // type-only imports count as arrows too
    expect(graph.get("core/vspace")).toContain("array/ndarray");
  });

  it("finds a cycle and names its chain (the checker itself)", () => {
    const toy = new Map<ModuleId, ModuleId[]>([
      ["a/x", ["a/y"]],
      ["a/y", ["b/z"]],
      ["b/z", ["a/x", "c/w"]],
      ["c/w", []],
    ]);
    expect(findCycles(toy)).toEqual([["a/x", "a/y", "b/z", "a/x"]]);
  });

  it("every folder of lib has a row in the layer table", () => {
    const folders = [...new Set([...graph.keys()].filter((id) => id.includes("/")).map(folderOf))].sort();
    expect(folders.filter((f) => !(f in LAYERS)), "folders without a row in LAYERS (add one, and to README)").toEqual([]);
  });

  it("each folder imports only the folders below it", () => {
    const violations: string[] = [];
    for (const [from, deps] of graph) {
      const a = layerOf(from);
      for (const to of deps) {
        const b = layerOf(to);
        if (a === b || a === ROOT) continue;
        if (b === ROOT || !(LAYERS[a] ?? []).includes(b)) {
          violations.push(`${from} -> ${to}: ${a} may import only ${(LAYERS[a] ?? []).join(", ") || "nothing"}`);
        }
      }
    }
    expect(violations, `imports that run up or sideways:\n${violations.join("\n")}`).toEqual([]);
  });

  it("no module imports itself through a chain of imports (except the known numpy knot, which may only shrink)", () => {
    const cycles = findCycles(graph);
    const known = new Set(KNOWN_KNOT);
    const fresh = cycles.filter((chain) => chain.some((m) => !known.has(m)));
    expect(fresh.map((c) => c.join(" -> ")), `import cycles:\n${fresh.map((c) => c.join(" -> ")).join("\n")}`).toEqual([]);
  });

  it("the known numpy knot is exactly as listed (shrink KNOWN_KNOT when a module leaves it)", () => {
    const reaches = (start: ModuleId) => {
      const seen = new Set<ModuleId>();
      const stack = [...(graph.get(start) ?? [])];
      while (stack.length) {
        const v = stack.pop()!;
        if (seen.has(v)) continue;
        seen.add(v);
        stack.push(...(graph.get(v) ?? []));
      }
      return seen.has(start);
    };
    const inCycles = [...graph.keys()].filter(reaches).sort();
    expect(inCycles).toEqual([...KNOWN_KNOT]);
  });
});
