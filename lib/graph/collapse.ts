// From a graph record to the graph actually drawn: all nodes when there are few, an elided view otherwise.
//
// The elision rule (graphs with more than `maxNodes` nodes, default 150):
// 1. Keep the output node and every input node (inputs first, in id order, while within the budget).
// 2. Rank the other nodes by topological level: depth = longest path from a source (input or constant),
//    height = longest path to the output; keep the nodes with the smallest min(depth, height) (ties: nearer
//    the output first) until `keepNodes` nodes are kept (default max(20, maxNodes / 3)). So the drawing shows
//    how the inputs enter the computation and how the output is produced: the ends of a long chain, the
//    first and last iterations of an unrolled loop. (Levels, not graph distance: a parameter used in every
//    iteration of a loop is one edge away from all of them, yet only the first and last are "near".)
// 3. Keep the constants that feed a kept node (leaves; they explain the op they feed).
// 4. Everything else is elided. Elided nodes connected to each other form one ellipsis node
//    "… N nodes elided …" (with the most frequent ops listed); ellipses with the same kept neighbours (e.g.
//    many parallel branches between the same two kept nodes) merge into one; if more than 8 ellipses remain
//    they all merge into a single one. Edges into and out of elided nodes attach to their ellipsis.
import type { GraphNodeRecord, GraphRecord } from "./types";

export interface ElidedGroup {
  /** Number of record nodes this ellipsis stands for. */
  count: number;
  /** Most frequent ops among them, most frequent first: [op, count]. */
  ops: [string, number][];
  /** ids of the elided nodes. */
  ids: number[];
}

export interface ViewNode {
  /** Unique key in the view ("n12" for record node 12, "e0" for the first ellipsis). */
  key: string;
  node?: GraphNodeRecord;
  elided?: ElidedGroup;
  isOutput: boolean;
}

export interface ViewEdge {
  from: string;
  to: string;
  /** How many record edges this one stands for (x*x: 2; edges into an ellipsis: possibly many). */
  count: number;
  /** Argument positions (for the tooltip), when it is a direct edge. */
  args: number[];
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Number of record nodes not drawn individually. */
  elided: number;
}

export interface CollapseOptions {
  /** Collapse above this many nodes (default 150). */
  maxNodes?: number;
  /** Nodes kept when collapsing (default max(20, floor(maxNodes / 3))). */
  keepNodes?: number;
}

const MAX_ELLIPSES = 8;

export function collapseGraph(record: GraphRecord, opts: CollapseOptions = {}): GraphView {
  const maxNodes = opts.maxNodes ?? 150;
  const byId = new Map<number, GraphNodeRecord>();
  for (const n of record.nodes) byId.set(n.id, n);
  const nodes = [...byId.values()];
  const isOutput = (n: GraphNodeRecord) => n.id === record.outputId || n.kind === "output";
  const parentsOf = (n: GraphNodeRecord) => (Array.isArray(n.parents) ? n.parents.filter((p) => byId.has(p)) : []);

  let kept: Set<number>;
  if (nodes.length <= maxNodes) {
    kept = new Set(byId.keys());
  } else {
    const budget = Math.max(1, opts.keepNodes ?? Math.max(20, Math.floor(maxNodes / 3)));
    const children = new Map<number, number[]>();
    for (const n of nodes) {
      for (const p of parentsOf(n)) {
        if (!children.has(p)) children.set(p, []);
        children.get(p)!.push(n.id);
      }
    }
    kept = new Set();
    const out = byId.get(record.outputId) ?? nodes.find(isOutput);
    if (out) kept.add(out.id);
    const inputs = nodes.filter((n) => n.kind === "input").sort((a, b) => a.id - b.id);
    for (const n of inputs) if (kept.size < budget) kept.add(n.id);
    // Topological levels: depth = longest path from a source, height = longest path to the output.
    const order = topoOrder(nodes, parentsOf, children);
    const depth = new Map<number, number>();
    for (const n of order) depth.set(n.id, Math.max(-1, ...parentsOf(n).map((p) => depth.get(p) ?? 0)) + 1);
    const height = new Map<number, number>();
    if (out) height.set(out.id, 0);
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i];
      if (n === out) continue;
      const hs = (children.get(n.id) ?? []).map((c) => height.get(c)).filter((h): h is number => h !== undefined);
      if (hs.length) height.set(n.id, Math.max(...hs) + 1);
    }
    const rank = (n: GraphNodeRecord) => Math.min(depth.get(n.id) ?? Infinity, height.get(n.id) ?? Infinity);
    const candidates = nodes
      .filter((n) => !kept.has(n.id) && n.kind !== "constant")
      .sort((a, b) => rank(a) - rank(b) || (height.get(a.id) ?? Infinity) - (height.get(b.id) ?? Infinity) || a.id - b.id);
    for (const n of candidates) {
      if (kept.size >= budget) break;
      kept.add(n.id);
    }
    for (const id of [...kept]) {
      for (const p of parentsOf(byId.get(id)!)) if (byId.get(p)!.kind === "constant") kept.add(p);
    }
  }

  // Group elided nodes: connected components among elided nodes (union-find).
  const parent = new Map<number, number>();
  const find = (a: number): number => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = a;
    while (parent.get(c) !== r) {
      const nx = parent.get(c)!;
      parent.set(c, r);
      c = nx;
    }
    return r;
  };
  for (const n of nodes) if (!kept.has(n.id)) parent.set(n.id, n.id);
  for (const n of nodes) {
    if (kept.has(n.id)) continue;
    for (const p of parentsOf(n)) if (!kept.has(p)) parent.set(find(n.id), find(p));
  }
  const comps = new Map<number, number[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    if (!comps.has(r)) comps.set(r, []);
    comps.get(r)!.push(id);
  }
  // Merge components with the same kept neighbours, then everything if still too many.
  const signature = (ids: number[]): string => {
    const set = new Set(ids);
    const ins = new Set<number>();
    const outs = new Set<number>();
    for (const id of ids) for (const p of parentsOf(byId.get(id)!)) if (kept.has(p)) ins.add(p);
    for (const n of nodes) if (kept.has(n.id) && parentsOf(n).some((p) => set.has(p))) outs.add(n.id);
    return `${[...ins].sort().join(",")}|${[...outs].sort().join(",")}`;
  };
  let groups: number[][] = [];
  const bySig = new Map<string, number[]>();
  for (const ids of comps.values()) {
    const sig = signature(ids);
    if (!bySig.has(sig)) bySig.set(sig, []);
    bySig.get(sig)!.push(...ids);
  }
  groups = [...bySig.values()];
  if (groups.length > MAX_ELLIPSES) groups = [groups.flat()];

  const keyOf = new Map<number, string>();
  const view: ViewNode[] = [];
  for (const n of nodes) {
    if (!kept.has(n.id)) continue;
    keyOf.set(n.id, `n${n.id}`);
    view.push({ key: `n${n.id}`, node: n, isOutput: isOutput(n) });
  }
  groups.forEach((ids, i) => {
    ids.sort((a, b) => a - b);
    const counts = new Map<string, number>();
    for (const id of ids) {
      const op = byId.get(id)!.op;
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
    const ops = [...counts].sort((a, b) => b[1] - a[1]);
    for (const id of ids) keyOf.set(id, `e${i}`);
    view.push({ key: `e${i}`, elided: { count: ids.length, ops, ids }, isOutput: false });
  });

  const edges = new Map<string, ViewEdge>();
  for (const n of nodes) {
    const to = keyOf.get(n.id)!;
    (Array.isArray(n.parents) ? n.parents : []).forEach((p, argIndex) => {
      const from = keyOf.get(p);
      if (from === undefined) return; // a parent id missing from the record
      if (from === to) return;
      const k = `${from}->${to}`;
      const e = edges.get(k);
      if (e) {
        e.count++;
        if (kept.has(n.id) && kept.has(p)) e.args.push(argIndex);
      } else edges.set(k, { from, to, count: 1, args: kept.has(n.id) && kept.has(p) ? [argIndex] : [] });
    });
  }
  return { nodes: view, edges: [...edges.values()], elided: nodes.length - kept.size };
}

/** Nodes in topological order (parents first); nodes on a cycle, if any, are appended in id order. */
function topoOrder(
  nodes: GraphNodeRecord[],
  parentsOf: (n: GraphNodeRecord) => number[],
  children: Map<number, number[]>,
): GraphNodeRecord[] {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const indeg = new Map<number, number>();
  for (const n of nodes) indeg.set(n.id, parentsOf(n).length);
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: GraphNodeRecord[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(byId.get(id)!);
    for (const c of children.get(id) ?? []) {
      const d = indeg.get(c)! - 1;
      indeg.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  if (order.length < nodes.length) {
    const seen = new Set(order.map((n) => n.id));
    for (const n of nodes) if (!seen.has(n.id)) order.push(n);
  }
  return order;
}
