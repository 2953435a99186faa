// recordTrace(f, args): records one evaluation of f as a computational graph, as plain data: the nodes (inputs,
// constants, primitives), their edges, each node's forward value and its gradient from the backward pass, and
// on error the message and the user's source line. Summarizing and drawing it is lib/graph's job (traceGraph).
import * as path from "path";
import { NDArray, scalar } from "../array/ndarray";
import { flattenTree, leafArray } from "./containers";
import { type RevNode, backwardPass, nodeOn, setNodeListener, traceReverse, valueOn } from "./tracer";
import { vspace } from "./vspace";

/** One node of a recorded graph: the values themselves (lib/graph summarizes them for display). */
export interface TraceNode {
  id: number;
  /** Primitive name, e.g. "multiply", or "input" / "constant". */
  op: string;
  kind: "input" | "op" | "output" | "constant";
  /** e.g. "x" or "argument 0" (inputs only). */
  label?: string;
  /** Forward value. */
  value: NDArray;
  /** Cotangent d output / d node from the backward pass, if any. */
  grad?: NDArray;
  /** ids of the input nodes of this op, in argument order. */
  parents: number[];
}

export interface TraceRecord {
  nodes: TraceNode[];
  outputId: number;
  /** Set when the traced function threw: the message and, if known, the source line. */
  error?: TraceError;
}

export interface TraceError {
  message: string;
  line?: string;
}

/** The folder holding gradlab's own modules (lib/ from source, dist/lib/ when built), computed once. */
const LIB_ROOT = path.resolve(__dirname, "..") + path.sep;

/** The first stack frame outside gradlab's own code: where in the user's function the error happened. */
function userLine(e: unknown): string | undefined {
  const stack = e instanceof Error ? e.stack ?? "" : "";
  return stack
    .split("\n")
    .slice(1)
    .map((l) => l.trim())
    .find((l) => l.startsWith("at ") && !l.includes(LIB_ROOT) && !l.includes("node:internal"));
}

/** The error part of a record: the message and the user's line. */
export function traceError(e: unknown): TraceError {
  return { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: userLine(e) };
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

export function recordTrace(f: (...args: any[]) => any, args: unknown[]): TraceRecord {
  const names = parameterNames(f);
  const flats = args.map((a, i) => flattenTree(a, "traceGraph", names[i] ?? `argument ${i}`));
  const leaves = flats.flatMap((fl) => fl.leaves);
  const paths = flats.flatMap((fl) => fl.paths);
  const inputs = leaves.map(leafArray);
  const recorded: RevNode[] = [];
  const prev = setNodeListener((n) => recorded.push(n));
  let starts: RevNode[] = [];
  let end: RevNode | null = null;
  let error: TraceError | undefined;
  try {
    const { out, trace, starts: s } = traceReverse((boxed) => {
      let o = 0;
      return f(...flats.map((fl) => fl.rebuild(boxed.slice(o, (o += fl.leaves.length)))));
    }, inputs, (created) => (starts = created));
    starts = s;
    const outArr = out instanceof NDArray ? out : scalar(Number(out));
    end = nodeOn(outArr, trace);
    // for non-scalar outputs the gradients are those of the sum of the outputs (as elementwiseGrad)
    if (end) backwardPass(vspace().onesLike(valueOn(outArr, trace)), end, true);
  } catch (e) {
    // show what was recorded up to the error, with the error on top
    error = traceError(e);
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
  const nodes: TraceNode[] = [];
  let next = 0;
  starts.forEach((s, i) => {
    ids.set(s, next);
    nodes.push({ id: next++, op: "input", kind: "input", label: paths[i], value: s.ans, grad: s.g, parents: [] });
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
        nodes.push({ id: next, op: "constant", kind: "constant", value: c, parents: [] });
        parents.push(next++);
      }
    });
    ids.set(n, next);
    nodes.push({ id: next++, op: n.prim.primName, kind: n === end ? "output" : "op", value: n.ans, grad: n.g, parents });
  }
  for (const n of recorded) n.g = undefined;
  for (const s of starts) s.g = undefined;
  return error ? { nodes, outputId: -1, error } : { nodes, outputId: end ? ids.get(end)! : -1 };
}

