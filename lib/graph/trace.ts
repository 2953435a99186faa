// traceGraph(f)(...args): the computational graph of one evaluation of f as a figure. The core records the
// graph as data (lib/core/graph.ts, recordTrace); this module summarizes its values for display
// (GraphRecord) and wraps the record in a GraphFigure.
import { type TraceNode, recordTrace, traceError } from "../core/graph";
import { GraphFigure } from "./figure";
import { summarize } from "./summarize";
import type { GraphSvgOptions } from "./svg";
import type { GraphNodeRecord, GraphRecord } from "./types";

const summarized = (n: TraceNode): GraphNodeRecord => ({
  ...n,
  value: summarize(n.value),
  grad: n.grad ? summarize(n.grad) : undefined,
});

/** One evaluation of f(...args) as a graph record: nodes with summarized forward values and gradients. */
export function recordGraph(f: (...args: any[]) => any, args: unknown[]): GraphRecord {
  const { nodes, ...rest } = recordTrace(f, args);
  return { nodes: nodes.map(summarized), ...rest };
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
      record = { nodes: [], outputId: -1, error: traceError(e) };
    }
    return new GraphFigure(record, opts);
  };
}
