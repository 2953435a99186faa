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

  it("no module of lib imports itself through a chain of imports (lib has no import cycle)", () => {
    const cycles = findCycles(graph);
    expect(cycles.map((c) => c.join(" -> ")), `import cycles:\n${cycles.map((c) => c.join(" -> ")).join("\n")}`).toEqual([]);
  });

  it("an import added from a low module back up to one that reaches it is caught (the cycle check, on lib's graph)", () => {
    const withBackEdge = new Map(graph);
    withBackEdge.set("numpy/basis", [...(graph.get("numpy/basis") ?? []), "numpy/reductions"]);
    const cycles = findCycles(withBackEdge);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toContain("numpy/basis");
    expect(cycles[0]).toContain("numpy/reductions");
  });

  it("numpy's derivative rules end in ./basis, which imports no other numpy function module", () => {
    // basis (reshape, transpose, broadcast_to <-> sum, real, conj, astype, unbroadcast) is the floor the
    // knot of mutually recursive rules was taken apart on: everything else in numpy may import it
    const numpyDeps = (graph.get("numpy/basis") ?? []).filter((d) => d.startsWith("numpy/"));
    expect(numpyDeps).toEqual(["numpy/args"]);
    expect(graph.get("numpy/shape")).toContain("numpy/basis");
    expect(graph.get("numpy/binary")).not.toContain("numpy/elementwise");
  });
});
