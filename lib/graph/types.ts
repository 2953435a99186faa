// The computational-graph record: what `recordGraph` / `traceGraph` (lib/graph/trace.ts, from the core's
// recordTrace) produce and what the renderer
// (renderGraphSvg, GraphFigure) draws. A small, documented, plain-data contract: the display side
// knows nothing of tracing internals beyond this.

/** A value summary shown on a node: shape, dtype and a short preformatted preview (see `summarize`). */
export interface ValueSummary {
  shape: number[];
  dtype: string;
  /** Already formatted and short, e.g. "3.1416" or "[0.1, 0.2, …]". */
  preview: string;
}

export interface GraphNodeRecord {
  id: number;
  /** Primitive name, e.g. "multiply", or "input". */
  op: string;
  kind: "input" | "op" | "output" | "constant";
  /** e.g. "x" or "argument 0". */
  label?: string;
  /** Forward value. */
  value: ValueSummary;
  /** Cotangent from the backward pass, if any. */
  grad?: ValueSummary;
  /** ids of the input nodes of this op, in argument order. */
  parents: number[];
}

export interface GraphRecord {
  nodes: GraphNodeRecord[];
  outputId: number;
  /** Set when the traced function threw: the message and, if known, the source line. */
  error?: { message: string; line?: string };
}
