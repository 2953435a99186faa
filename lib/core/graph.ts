// traceGraph(f)(...args): records one evaluation of f as a computational graph, runs the backward pass, and
// returns a figure showing each node's primitive, forward value and gradient. The record is plain data
// (lib/graph/types.ts); rendering lives in lib/graph.
import { NDArray } from "../array/ndarray";
import { GraphFigure } from "../graph/figure";
import { summarize } from "../graph/summarize";
import type { GraphNodeRecord, GraphRecord } from "../graph/types";
import type { GraphSvgOptions } from "../graph/svg";
import { flattenTree, leafArray } from "./containers";
import { type RevNode, backwardPass, nodeOn, setNodeListener, traceReverse, valueOn } from "./tracer";
import { vspace } from "./vspace";

/** The first stack frame outside gradlab's own code: where in the user's function the error happened. */
function userLine(e: unknown): string | undefined {
  const stack = e instanceof Error ? e.stack ?? "" : "";
  return stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim())
    .find((l) => l.startsWith("at ") && !/[\\/](lib|dist[\\/]lib)[\\/](core|numpy|array|graph|linalg|fft|scipy)[\\/]/.test(l) && !l.includes("node:internal"));
}

/** The parameter names of f as written (`(w, b) => ...` gives ["w", "b"]); destructured ones are left out. */
function parameterNames(f: (...args: any[]) => any): (string | undefined)[] {
  const src = Function.prototype.toString.call(f);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return [];
  return m[1].split(",").map((p) => {
    const name = p.trim().replace(/=.*$/, "").replace(/^\.\.\./, "").trim();
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
  });
}

export function recordGraph(f: (...args: any[]) => any, args: unknown[]): GraphRecord {
  const names = parameterNames(f);
  const flats = args.map((a, i) => flattenTree(a, "traceGraph", names[i] ?? `argument ${i}`));
  const leaves = flats.flatMap((fl) => fl.leaves);
  const paths = flats.flatMap((fl) => fl.paths);
  const inputs = leaves.map(leafArray);
  const recorded: RevNode[] = [];
  const prev = setNodeListener((n) => recorded.push(n));
  let starts: RevNode[] = [];
  let end: RevNode | null = null;
  let error: GraphRecord["error"];
  try {
    const { out, trace, starts: s } = traceReverse((boxed) => {
      let o = 0;
      return f(...flats.map((fl) => fl.rebuild(boxed.slice(o, (o += fl.leaves.length)))));
    }, inputs, (created) => (starts = created));
    starts = s;
    const outArr = out instanceof NDArray ? out : new NDArray(new Float64Array([Number(out)]), [], "float64");
    end = nodeOn(outArr, trace);
    // for non-scalar outputs the gradients are those of the sum of the outputs (as elementwiseGrad)
    if (end) backwardPass(vspace().onesLike(valueOn(outArr, trace)), end, true);
  } catch (e) {
    // show what was recorded up to the error, with the error on top
    error = { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: userLine(e) };
  } finally {
    setNodeListener(prev);
  }

  // keep the nodes that lead to the output (everything recorded, when f threw)
  const live = new Set<RevNode>(error ? recorded : []);
  const stack = end ? [end] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    stack.push(...n.parents);
  }
  const ids = new Map<RevNode, number>();
  const nodes: GraphNodeRecord[] = [];
  let next = 0;
  const summary = (x: NDArray) => summarize(x);
  starts.forEach((s, i) => {
    ids.set(s, next);
    nodes.push({ id: next++, op: "input", kind: "input", label: paths[i], value: summary(s.ans), grad: s.g ? summary(s.g) : undefined, parents: [] });
  });
  for (const n of recorded) {
    if (!live.has(n) || n.prim === null) continue;
    const parents: number[] = [];
    const nOperands = n.prim.def.argNames?.length ?? 0;
    n.args.forEach((a, j) => {
      const k = n.argnums.indexOf(j);
      if (k >= 0) parents.push(ids.get(n.parents[k])!);
      else if (a instanceof NDArray || (typeof a === "number" && j < nOperands)) {
        const c = leafArray(a as NDArray | number);
        nodes.push({ id: next, op: "constant", kind: "constant", value: summary(c), parents: [] });
        parents.push(next++);
      }
    });
    ids.set(n, next);
    nodes.push({ id: next++, op: n.prim.primName, kind: n === end ? "output" : "op", value: summary(n.ans), grad: n.g ? summary(n.g) : undefined, parents });
  }
  for (const n of recorded) n.g = undefined;
  for (const s of starts) s.g = undefined;
  return error ? { nodes, outputId: -1, error } : { nodes, outputId: end ? ids.get(end)! : -1 };
}

/**
 * traceGraph(f)(...args): the computational graph of one evaluation of f, with each node's forward value and
 * its gradient (d output / d node) from the backward pass. Displays as an SVG in the notebook. When f throws,
 * the figure shows the error and the line.
 */
export function traceGraph<F extends (...args: any[]) => any>(f: F, opts: GraphSvgOptions = {}) {
  return (...args: Parameters<F> | any[]): GraphFigure => {
    let record: GraphRecord;
    try {
      record = recordGraph(f, args);
    } catch (e) {
      // bad arguments (not differentiable values): nothing was traced
      record = { nodes: [], outputId: -1, error: { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: userLine(e) } };
    }
    return new GraphFigure(record, opts);
  };
}
