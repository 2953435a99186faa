// Reads the import graph of lib/ with the TypeScript compiler's pre-processor (no type-checking, no new
// dependency): every `import`, `export ... from`, `import("...")` and `require("...")` of a relative path,
// type-only imports included (a type arrow that runs back up is still an arrow back up).
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ROOT = path.resolve(__dirname, "..", "..");
export const LIB = path.join(ROOT, "lib");

/** lib-relative path without extension, e.g. "numpy/creation" or "index". */
export type ModuleId = string;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return e.isFile() && p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

const idOf = (file: string): ModuleId => path.relative(LIB, file).replace(/\\/g, "/").replace(/\.ts$/, "");

/** Resolves a relative specifier from `from` to a lib module id (null: outside lib, or a package). */
function resolve(from: string, spec: string, known: Set<ModuleId>): ModuleId | null {
  if (!spec.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const cand of [base, base.replace(/\.js$/, ""), path.join(base, "index")]) {
    const id = idOf(cand + ".ts");
    if (known.has(id)) return id;
  }
  if (!base.startsWith(LIB)) return null;
  throw new Error(`${idOf(from)}: cannot resolve import '${spec}'`);
}

/** Every lib module and the lib modules it imports. */
export function readImports(): Map<ModuleId, ModuleId[]> {
  const files = walk(LIB);
  const known = new Set(files.map(idOf));
  const graph = new Map<ModuleId, ModuleId[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const deps = info.importedFiles
      .map((f) => resolve(file, f.fileName, known))
      .filter((d): d is ModuleId => d !== null);
    graph.set(idOf(file), [...new Set(deps)].sort());
  }
  return graph;
}

/** The folder (layer) of a module: "numpy" for numpy/creation, "index" for lib/index.ts itself. */
export const folderOf = (id: ModuleId): string => (id.includes("/") ? id.slice(0, id.indexOf("/")) : id);

/** Strongly connected components with more than one module (or a self-import), each as one cycle chain. */
export function findCycles(graph: Map<ModuleId, ModuleId[]>): ModuleId[][] {
  // Tarjan's algorithm
  let index = 0;
  const idx = new Map<ModuleId, number>(), low = new Map<ModuleId, number>();
  const stack: ModuleId[] = [], on = new Set<ModuleId>();
  const sccs: ModuleId[][] = [];
  const visit = (v: ModuleId) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: ModuleId[] = [];
      let w: ModuleId;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) sccs.push(scc);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  // one concrete chain per component: a shortest path back to its first module
  return sccs.map((scc) => {
    const inScc = new Set(scc);
    const start = [...scc].sort()[0];
    const prev = new Map<ModuleId, ModuleId>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!inScc.has(w)) continue;
        if (w === start) {
          const chain = [v];
          while (chain[0] !== start) chain.unshift(prev.get(chain[0])!);
          return [...chain, start];
        }
        if (!seen.has(w)) {
          seen.add(w);
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}
