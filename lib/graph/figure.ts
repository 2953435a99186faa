// GraphFigure: a graph record that displays itself (text/html: the SVG in a box that scrolls in the notebook and
// shows the whole graph in print and reports; image/svg+xml: the SVG; text/plain: a one-line summary).
import { type GraphSvgOptions, escapeXml, renderGraphSvg } from "./svg";
import { collapseGraph } from "./collapse";
import type { GraphRecord } from "./types";

const DISPLAY = Symbol.for("Jupyter.display");

/** A rich display bundle (gradlab kernel). */
export interface GraphMimeBundle {
  "text/plain": string;
  "text/html": string;
  [mime: string]: string;
}

/** One-line description of a graph record, e.g. `Graph(7 nodes: 1 input, 5 ops, 1 constant; output sin = 0.8415; grads on 6 nodes)`. */
export function describeGraph(record: GraphRecord, opts: GraphSvgOptions = {}): string {
  const counts = { input: 0, op: 0, constant: 0, output: 0 };
  for (const n of record.nodes) counts[n.kind] = (counts[n.kind] ?? 0) + 1;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const kinds = [
    counts.input ? plural(counts.input, "input") : "",
    counts.op + counts.output ? plural(counts.op + counts.output, "op") : "",
    counts.constant ? plural(counts.constant, "constant") : "",
  ].filter(Boolean);
  const parts = [`${plural(record.nodes.length, "node")}${kinds.length ? ": " + kinds.join(", ") : ""}`];
  const out = record.nodes.find((n) => n.id === record.outputId);
  if (out) parts.push(`output ${out.op} = ${out.value?.preview ?? "?"}`);
  const grads = record.nodes.filter((n) => n.grad).length;
  if (grads) parts.push(`grads on ${grads} node${grads === 1 ? "" : "s"}`);
  const elided = record.nodes.length > (opts.maxNodes ?? 150) ? collapseGraph(record, opts).elided : 0;
  if (elided) parts.push(`${elided} elided in the drawing`);
  if (record.error) parts.push(`error: ${record.error.message.split("\n")[0].slice(0, 80)}`);
  return `Graph(${parts.join("; ")})`;
}

/**
 * A computational graph that renders as SVG in the notebook. `traceGraph(f)(...args)` returns one; it can
 * also wrap any `GraphRecord`.
 */
export class GraphFigure {
  constructor(
    readonly record: GraphRecord,
    readonly options: GraphSvgOptions = {},
  ) {}

  /** The standalone <svg> (see renderGraphSvg). */
  toSVG(): string {
    return renderGraphSvg(this.record, this.options);
  }

  /**
   * The SVG inside a box that scrolls in the notebook (max 640 px high, natural size, so labels stay readable).
   * Printed (and in `gradlab report`, whose page style does the same), the box grows to the whole graph and a
   * graph wider than the page is scaled down to the page width.
   */
  toHTML(): string {
    return (
      `<style>@media print { .gradlab-graph { max-height: none !important; overflow: visible !important; } ` +
      `.gradlab-graph svg.gradlab-graph-svg { max-width: 100%; height: auto; } }</style>` +
      `<div class="gradlab-graph" style="overflow:auto;max-height:640px;max-width:100%;` +
      `border:1px solid #e5e7eb;border-radius:6px;background:#ffffff;" title="${escapeXml(this.toString())}">` +
      this.toSVG() +
      `</div>`
    );
  }

  toString(): string {
    return describeGraph(this.record, this.options);
  }

  toJSON(): GraphRecord {
    return this.record;
  }

  [DISPLAY](): GraphMimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHTML(), "image/svg+xml": this.toSVG() };
  }
}

(GraphFigure.prototype as any)[Symbol.for("nodejs.util.inspect.custom")] = function (this: GraphFigure) {
  return this.toString();
};
