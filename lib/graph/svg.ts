// Computational graph → standalone SVG, laid out top to bottom by dagre.
//
// Each node is a rounded box: the op name in bold, a value line, a gradient line (orange). Inputs are blue
// with a thick border, the output green, constants dashed gray, elided groups dashed with "… N nodes elided …".
// The SVG uses presentation attributes plus one <style> scoped to its own id, no external references, and
// ids unique per rendering (several graphs can share one page).
import type * as Dagre from "@dagrejs/dagre";
import { type CollapseOptions, type GraphView, type ViewEdge, type ViewNode, collapseGraph } from "./collapse";
import { formatShape } from "./summarize";
import type { GraphNodeRecord, GraphRecord, ValueSummary } from "./types";

export interface GraphSvgOptions extends CollapseOptions {
  /** Layout direction (default "TB", top to bottom). */
  rankdir?: "TB" | "LR" | "BT" | "RL";
  /** Draw the legend row (default true). */
  legend?: boolean;
  /** Maximum characters of a value preview on a node (default 40). */
  maxPreview?: number;
}

const FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const FONT_SIZE = 12;
/** Advance width of one monospace character at FONT_SIZE (DejaVu Sans Mono: 0.602em), rounded up. */
const CHAR_W = 7.4;
const LINE_H = 16;
const PAD_X = 10;
const PAD_Y = 7;
const MARGIN = 12;

const COLORS = {
  text: "#111827",
  muted: "#6b7280",
  grad: "#c2410c",
  edge: "#94a3b8",
  input: { fill: "#eff6ff", stroke: "#2563eb", width: 2 },
  op: { fill: "#ffffff", stroke: "#94a3b8", width: 1.2 },
  output: { fill: "#f0fdf4", stroke: "#16a34a", width: 2.5 },
  constant: { fill: "#f8fafc", stroke: "#cbd5e1", width: 1.2, dash: "4 3" },
  elided: { fill: "#fafafa", stroke: "#9ca3af", width: 1.2, dash: "6 4" },
  error: { fill: "#fef2f2", stroke: "#dc2626", text: "#991b1b" },
};

interface Span {
  text: string;
  fill?: string;
  bold?: boolean;
  italic?: boolean;
}
type Line = Span[];

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, Math.max(1, n - 1)) + "…" : s);
const lineChars = (l: Line): number => l.reduce((a, s) => a + [...s.text].length, 0);

function shapeSuffix(v: ValueSummary): string {
  const parts: string[] = [];
  if (v.shape.length > 0) parts.push(formatShape(v.shape));
  if (v.dtype && v.dtype !== "float64") parts.push(v.dtype);
  return parts.length ? " " + parts.join(" ") : "";
}

function nodeLines(n: GraphNodeRecord, isOutput: boolean, maxPreview: number): Line[] {
  const header: Line = [];
  if (n.kind === "input") {
    header.push({ text: clip(n.label ?? "input", 28), bold: true });
    if (n.label !== undefined) header.push({ text: " · input", fill: COLORS.input.stroke });
  } else if (n.kind === "constant") {
    header.push({ text: n.op && n.op !== "constant" ? clip(n.op, 28) : "constant", italic: true, fill: COLORS.muted });
    if (n.label !== undefined) header.push({ text: ` · ${clip(n.label, 20)}`, fill: COLORS.muted });
  } else {
    header.push({ text: clip(n.op, 28), bold: true });
    if (n.label !== undefined) header.push({ text: ` · ${clip(n.label, 20)}`, fill: COLORS.muted });
  }
  if (isOutput) header.push({ text: " → output", fill: COLORS.output.stroke });
  const lines: Line[] = [header];
  const v = n.value;
  if (v) lines.push([{ text: "value ", fill: COLORS.muted }, { text: clip(v.preview, maxPreview) }, { text: shapeSuffix(v), fill: COLORS.muted }]);
  if (n.grad) {
    lines.push([
      { text: "grad  ", fill: COLORS.grad },
      { text: clip(n.grad.preview, maxPreview), fill: COLORS.grad, bold: true },
      { text: shapeSuffix(n.grad), fill: COLORS.muted },
    ]);
  }
  return lines;
}

function elidedLines(v: ViewNode): Line[] {
  const e = v.elided!;
  const ops = e.ops.slice(0, 3).map(([op, c]) => `${op} ×${c}`);
  if (e.ops.length > 3) ops.push("…");
  return [
    [{ text: `… ${e.count} node${e.count === 1 ? "" : "s"} elided …`, italic: true, bold: true, fill: COLORS.muted }],
    [{ text: clip(ops.join(", "), 48), fill: COLORS.muted }],
  ];
}

function renderLine(l: Line, x: number, y: number, anchor: "start" | "middle" = "start"): string {
  const spans = l
    .map((s) => {
      const attrs = [
        s.fill ? ` fill="${s.fill}"` : "",
        s.bold ? ` font-weight="bold"` : "",
        s.italic ? ` font-style="italic"` : "",
      ].join("");
      return `<tspan${attrs}>${escapeXml(s.text)}</tspan>`;
    })
    .join("");
  return `<text x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchor}" xml:space="preserve">${spans}</text>`;
}

const fmt = (v: number): string => String(Math.round(v * 10) / 10);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  view: GraphView;
  /** Centre and size of each view node, by key. */
  boxes: Map<string, Box>;
  lines: Map<string, Line[]>;
  edges: { edge: ViewEdge; points: { x: number; y: number }[]; label?: { x: number; y: number } }[];
  width: number;
  height: number;
}

/** Runs dagre on the (possibly collapsed) graph: node centres, sizes and edge routes. */
export function layoutGraph(record: GraphRecord, opts: GraphSvgOptions = {}): GraphLayout {
  const view = collapseGraph(record, opts);
  const maxPreview = opts.maxPreview ?? 40;
  const dagre: typeof Dagre = require("@dagrejs/dagre"); // loaded on first drawing, not at start-up
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: opts.rankdir ?? "TB", nodesep: 22, ranksep: 28, edgesep: 12, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, Line[]>();
  for (const v of view.nodes) {
    const ls = v.elided ? elidedLines(v) : nodeLines(v.node!, v.isOutput, maxPreview);
    lines.set(v.key, ls);
    const width = Math.max(70, Math.ceil(Math.max(...ls.map(lineChars)) * CHAR_W + 2 * PAD_X));
    const height = ls.length * LINE_H + 2 * PAD_Y;
    g.setNode(v.key, { width, height });
  }
  for (const e of view.edges) {
    const labelled = e.count > 1;
    g.setEdge(e.from, e.to, { minlen: 1, weight: 1, ...(labelled ? { width: 26, height: 14, labelpos: "c" } : {}) });
  }
  dagre.layout(g);
  const boxes = new Map<string, Box>();
  for (const v of view.nodes) {
    const n = g.node(v.key) as { x: number; y: number; width: number; height: number };
    boxes.set(v.key, { x: n.x, y: n.y, width: n.width, height: n.height });
  }
  const edges = view.edges.map((edge) => {
    const e = g.edge(edge.from, edge.to) as { points?: { x: number; y: number }[]; x?: number; y?: number };
    return {
      edge,
      points: e.points ?? [],
      label: edge.count > 1 && e.x !== undefined && e.y !== undefined ? { x: e.x, y: e.y } : undefined,
    };
  });
  const gl = g.graph() as { width?: number; height?: number };
  return { view, boxes, lines, edges, width: gl.width ?? 0, height: gl.height ?? 0 };
}

function edgePath(pts: { x: number; y: number }[]): string {
  if (pts.length === 0) return "";
  let d = `M${fmt(pts[0].x)},${fmt(pts[0].y)}`;
  if (pts.length === 2) return d + ` L${fmt(pts[1].x)},${fmt(pts[1].y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const mx = (pts[i].x + pts[i + 1].x) / 2;
    const my = (pts[i].y + pts[i + 1].y) / 2;
    d += i === pts.length - 2 ? ` Q${fmt(pts[i].x)},${fmt(pts[i].y)} ${fmt(pts[i + 1].x)},${fmt(pts[i + 1].y)}` : ` Q${fmt(pts[i].x)},${fmt(pts[i].y)} ${fmt(mx)},${fmt(my)}`;
  }
  return d;
}

/** Splits text into lines of at most `width` characters (at spaces when possible), at most `max` lines. */
function wrap(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let rest = para;
    while (rest.length > width) {
      let cut = rest.lastIndexOf(" ", width);
      if (cut < width / 2) cut = width;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, "");
    }
    out.push(rest);
  }
  if (out.length > max) return [...out.slice(0, max - 1), clip(out[max - 1], width - 1) + "…"];
  return out;
}

let renderCounter = 0;
const token = Math.random().toString(36).slice(2, 7);

function styleOf(v: ViewNode): { fill: string; stroke: string; width: number; dash?: string } {
  if (v.elided) return COLORS.elided;
  if (v.isOutput) return COLORS.output;
  const k = v.node!.kind;
  return k === "input" ? COLORS.input : k === "constant" ? COLORS.constant : COLORS.op;
}

function nodeTooltip(v: ViewNode): string {
  if (v.elided) {
    return `${v.elided.count} nodes elided: ${v.elided.ops.map(([op, c]) => `${op} ×${c}`).join(", ")}`;
  }
  const n = v.node!;
  const val = (name: string, s: ValueSummary) => `${name}: ${s.preview} shape ${formatShape(s.shape)} ${s.dtype}`;
  return [
    `#${n.id} ${n.op} (${v.isOutput ? "output" : n.kind})${n.label !== undefined ? ` — ${n.label}` : ""}`,
    n.value ? val("value", n.value) : "",
    n.grad ? val("grad", n.grad) : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * A standalone SVG of a computational graph record (top to bottom: inputs first, output last). Graphs above
 * `maxNodes` nodes (default 150) are collapsed: see lib/graph/collapse.ts for the rule. A record with an
 * `error` gets a red error box on top (message and source line) above the nodes recorded before the error.
 */
export function renderGraphSvg(record: GraphRecord, opts: GraphSvgOptions = {}): string {
  const id = `gl-graph-${token}-${++renderCounter}`;
  const parts: string[] = [];
  let y = MARGIN;
  let width = 0;

  // Error box.
  if (record.error) {
    const msg = wrap(`Error: ${record.error.message}`, 90, 8);
    const src = record.error.line ? wrap(record.error.line.trim(), 88, 3) : [];
    const rows: Line[] = [
      ...msg.map((t, i): Line => [{ text: (i === 0 ? "✖ " : "  ") + t, fill: COLORS.error.text, bold: i === 0 }]),
      ...src.map((t, i): Line => [{ text: (i === 0 ? "at: " : "    ") + t, fill: COLORS.muted }]),
    ];
    const w = Math.ceil(Math.max(...rows.map(lineChars)) * CHAR_W + 2 * PAD_X);
    const h = rows.length * LINE_H + 2 * PAD_Y;
    parts.push(
      `<g class="gl-error"><rect x="${MARGIN}" y="${y}" width="${w}" height="${h}" rx="6" fill="${COLORS.error.fill}" stroke="${COLORS.error.stroke}" stroke-width="1.5"/>`,
      ...rows.map((l, i) => renderLine(l, MARGIN + PAD_X, y + PAD_Y + (i + 1) * LINE_H - 4)),
      `</g>`,
    );
    width = Math.max(width, w);
    y += h + 12;
  }

  const nodeCount = record.nodes.length;
  if (nodeCount === 0) {
    if (!record.error) {
      const l: Line = [{ text: "empty graph: no operations were recorded", italic: true, fill: COLORS.muted }];
      const w = Math.ceil(lineChars(l) * CHAR_W + 2 * PAD_X);
      parts.push(
        `<rect x="${MARGIN}" y="${y}" width="${w}" height="${LINE_H + 2 * PAD_Y}" rx="6" fill="#fafafa" stroke="#d1d5db" stroke-dasharray="4 3"/>`,
        renderLine(l, MARGIN + PAD_X, y + PAD_Y + LINE_H - 4),
      );
      width = Math.max(width, w);
      y += LINE_H + 2 * PAD_Y + 8;
    }
    return wrapSvg(id, parts, width + 2 * MARGIN, y + MARGIN - 8, "computational graph: empty");
  }

  const L = layoutGraph(record, opts);

  // Legend.
  if (opts.legend !== false) {
    const hasGrad = record.nodes.some((n) => n.grad);
    const hasConst = record.nodes.some((n) => n.kind === "constant");
    const items: { style?: { fill: string; stroke: string; width: number; dash?: string }; label: string; fill?: string }[] = [
      { style: COLORS.input, label: "input" },
      { style: COLORS.op, label: "op" },
      ...(hasConst ? [{ style: COLORS.constant, label: "constant" }] : []),
      { style: COLORS.output, label: "output" },
      ...(L.view.elided > 0 ? [{ style: COLORS.elided, label: `elided (${L.view.elided} nodes)` }] : []),
      { label: "value", fill: COLORS.text },
      ...(hasGrad ? [{ label: "grad (∂output/∂node)", fill: COLORS.grad }] : []),
    ];
    let x = MARGIN;
    const legend: string[] = [`<g class="gl-legend" font-size="11">`];
    for (const it of items) {
      if (it.style) {
        legend.push(
          `<rect x="${x}" y="${y + 1}" width="16" height="11" rx="3" fill="${it.style.fill}" stroke="${it.style.stroke}" stroke-width="${Math.min(it.style.width, 2)}"${it.style.dash ? ` stroke-dasharray="3 2"` : ""}/>`,
        );
        x += 20;
      }
      legend.push(`<text x="${x}" y="${y + 10}" fill="${it.fill ?? COLORS.muted}">${escapeXml(it.label)}</text>`);
      x += Math.ceil(it.label.length * 6.8) + 14;
    }
    legend.push(`</g>`);
    parts.push(...legend);
    width = Math.max(width, x - MARGIN);
    y += 24;
  }

  // Graph.
  const ox = MARGIN;
  const oy = y;
  const marker = `${id}-arrow`;
  parts.push(
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="${COLORS.edge}"/></marker></defs>`,
  );
  const shift = (p: { x: number; y: number }) => ({ x: p.x + ox, y: p.y + oy });
  const elidedKeys = new Set(L.view.nodes.filter((v) => v.elided).map((v) => v.key));
  parts.push(`<g class="gl-edges" fill="none" stroke="${COLORS.edge}" stroke-width="1.4">`);
  for (const e of L.edges) {
    const dashed = elidedKeys.has(e.edge.from) || elidedKeys.has(e.edge.to);
    const tip =
      e.edge.args.length > 0
        ? `argument ${e.edge.args.join(", ")}`
        : `${e.edge.count} edge${e.edge.count === 1 ? "" : "s"}`;
    parts.push(
      `<path class="gl-edge" data-from="${e.edge.from}" data-to="${e.edge.to}" d="${edgePath(e.points.map(shift))}" marker-end="url(#${marker})"${dashed ? ` stroke-dasharray="5 4"` : ""}><title>${escapeXml(tip)}</title></path>`,
    );
    if (e.label) {
      const p = shift(e.label);
      parts.push(`<text x="${fmt(p.x)}" y="${fmt(p.y + 4)}" text-anchor="middle" font-size="11" fill="${COLORS.muted}" stroke="none">×${e.edge.count}</text>`);
    }
  }
  parts.push(`</g>`);
  for (const v of L.view.nodes) {
    const b = L.boxes.get(v.key)!;
    const s = styleOf(v);
    const x0 = b.x - b.width / 2 + ox;
    const y0 = b.y - b.height / 2 + oy;
    const kind = v.elided ? "elided" : v.isOutput ? "output" : v.node!.kind;
    const idAttr = v.node ? ` data-node-id="${v.node.id}"` : "";
    parts.push(
      `<g class="gl-node gl-${kind}"${idAttr} data-key="${v.key}"><title>${escapeXml(nodeTooltip(v))}</title>`,
      `<rect x="${fmt(x0)}" y="${fmt(y0)}" width="${fmt(b.width)}" height="${fmt(b.height)}" rx="7" fill="${s.fill}" stroke="${s.stroke}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
      ...L.lines.get(v.key)!.map((l, i) => renderLine(l, x0 + PAD_X, y0 + PAD_Y + (i + 1) * LINE_H - 4)),
      `</g>`,
    );
  }
  width = Math.max(width, L.width);
  const height = oy + L.height + MARGIN;
  const label = `computational graph: ${nodeCount} nodes${L.view.elided ? `, ${L.view.elided} elided` : ""}`;
  return wrapSvg(id, parts, width + 2 * MARGIN, height, label);
}

function wrapSvg(id: string, parts: string[], width: number, height: number, label: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const style =
    `<style>#${id} text { font-family: ${FONT}; } ` +
    `#${id} .gl-node:hover rect { filter: brightness(0.97); stroke-width: 2.5; } ` +
    `#${id} .gl-edge:hover { stroke: #475569; stroke-width: 2; }</style>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="gradlab-graph-svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" ` +
    `font-family="${FONT.replace(/"/g, "'")}" font-size="${FONT_SIZE}" fill="${COLORS.text}" role="img" aria-label="${escapeXml(label)}">` +
    `<title>${escapeXml(label)}</title>${style}` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>` +
    parts.join("") +
    `</svg>`
  );
}
