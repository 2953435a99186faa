// Computational-graph display: records (types), value summaries, collapsing, SVG rendering, GraphFigure.
export type { GraphNodeRecord, GraphRecord, ValueSummary } from "./types";
export { summarize, formatNumber, formatShape, previewOf } from "./summarize";
export type { SummarizeOptions } from "./summarize";
export { collapseGraph } from "./collapse";
export type { CollapseOptions, ElidedGroup, GraphView, ViewEdge, ViewNode } from "./collapse";
export { renderGraphSvg, layoutGraph, escapeXml } from "./svg";
export type { GraphSvgOptions, GraphLayout } from "./svg";
export { GraphFigure, describeGraph } from "./figure";
export type { GraphMimeBundle } from "./figure";
