// Rendering a figure: the plotly.js spec with notes, subplot titles and margins filled in, and the HTML that draws
// it with plotly.js in a notebook output or a report.
import { plotJSON } from "./data";
import { axisKeys } from "./layout";
import { plotlyScriptTag } from "./library";
import type { PlotlyLayout, PlotlyTrace } from "./types";
import { type FigureView, dataNotes } from "./validate";

/** A figure's complete plotly.js spec. */
export interface FigureSpec {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
  config: Record<string, any>;
}

/** Plotly text is pseudo-HTML: escape what would start a tag or an entity. */
export const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The plotly spec drawn by `figureHTML` (layout with notes, subplot titles and margins filled in). */
export function figureSpec(view: FigureView & { readonly config: Record<string, any> }): FigureSpec {
  const L: PlotlyLayout = { ...view.layout };
  const annotations: any[] = Array.isArray(L.annotations) ? L.annotations.slice() : [];
  const hasTitle = L.title !== undefined && L.title !== null && (typeof L.title === "string" ? L.title !== "" : L.title.text);
  if (view.grid) {
    view.grid.titles.forEach((t, i) => {
      if (!t) return;
      const { xref, yref } = axisKeys(i + 1);
      annotations.push({
        text: `<b>${escapeText(t)}</b>`,
        xref: `${xref} domain`,
        yref: `${yref} domain`,
        x: 0.5,
        y: 1,
        xanchor: "center",
        yanchor: "bottom",
        yshift: 4,
        showarrow: false,
        font: { size: 13 },
      });
    });
  }
  const perCell = new Map<number, number>();
  for (const note of dataNotes(view)) {
    const { xref, yref } = axisKeys(note.cell);
    const base = { xref: `${xref} domain`, yref: `${yref} domain`, showarrow: false, text: escapeText(note.text) };
    if (note.center) {
      annotations.push({ ...base, x: 0.5, y: 0.5, xanchor: "center", yanchor: "middle", font: { size: 14, color: "#6b7280" } });
    } else {
      const i = perCell.get(note.cell) ?? 0;
      perCell.set(note.cell, i + 1);
      annotations.push({
        ...base,
        x: 0.01,
        y: 0.99,
        yshift: -20 * i,
        xanchor: "left",
        yanchor: "top",
        align: "left",
        bgcolor: "rgba(255,247,237,0.92)",
        bordercolor: "#f59e0b",
        borderwidth: 1,
        borderpad: 3,
        font: { size: 11, color: "#9a3412" },
      });
    }
  }
  L.annotations = annotations;
  const margin = { l: 64, r: 28, b: 52, ...(L.margin ?? {}) };
  if (margin.t === undefined) margin.t = (hasTitle ? 56 : 24) + (view.grid && view.grid.titles.some(Boolean) ? 16 : 0);
  L.margin = margin;
  if (hasTitle && typeof L.title === "object" && L.title.x === undefined) L.title = { x: 0.5, xanchor: "center", ...L.title };
  const named = view.data.filter((tr) => tr.name !== undefined && tr.name !== "").length;
  const data = view.data.slice();
  if (L.showlegend === undefined) L.showlegend = named >= 2 || (named >= 1 && view.data.length >= 2);
  if (L.showlegend) {
    for (let i = 0; i < data.length; i++) {
      if (data[i].name === undefined && data[i].showlegend === undefined) data[i] = { ...data[i], showlegend: false };
    }
  }
  return { data, layout: L, config: { ...view.config } };
}

/**
 * HTML for a figure: a <div> and a <script> that draws `spec` with `Plotly.newPlot` once `window.Plotly`
 * exists. `key` identifies the figure object (a redraw purges its old output), `id` the element. With
 * `library: true` the plotly.js library script comes first.
 */
export function figureHTML(spec: FigureSpec, id: string, key: string, opts: { library?: boolean } = {}): string {
  const height = Number(spec.layout.height) || 380;
  const width = spec.layout.width ? `${Number(spec.layout.width)}px` : "100%";
  const script = [
    "(function () {",
    `  var id = "${id}", key = "${key}", spec = ${plotJSON(spec)};`,
    "  function draw() {",
    "    var d = document.getElementById(id);",
    "    if (!d) return false;",
    "    if (d.__gradlabDrawn) return true;",
    "    if (!window.Plotly) return false;",
    "    d.__gradlabDrawn = true;",
    "    if (d.__gradlabMsg) { d.innerHTML = \"\"; }",
    "    var live = window.__gradlabFigures = window.__gradlabFigures || {};",
    "    var old = live[key];",
    "    if (old && old !== d && !old.isConnected) { try { window.Plotly.purge(old); } catch (e) {} }",
    "    live[key] = d;",
    "    window.Plotly.newPlot(d, spec.data, spec.layout, spec.config);",
    "    return true;",
    "  }",
    "  if (draw()) return;",
    "  (window.__gradlabPlotlyQueue = window.__gradlabPlotlyQueue || []).push(draw);",
    "  var n = 0, timer = setInterval(function () {",
    "    if (draw()) { clearInterval(timer); return; }",
    "    n++;",
    "    var d = document.getElementById(id);",
    "    if (n === 100 && d && !window.Plotly) {",
    "      d.__gradlabMsg = true;",
    "      d.innerHTML = '<div style=\"padding:1em;color:#9a3412;background:#fff7ed;border:1px solid #f59e0b;font:13px sans-serif\">" +
      "This figure cannot be drawn: plotly.js is not loaded on this page. In a notebook, run <code>plot.resetPlotlyInlining()</code> " +
      "and re-run this cell (or display <code>plot.library()</code> first); for a report use <code>gradlab report</code>, which inlines it.</div>';",
    "    }",
    "    if (n > 3000 || (n > 100 && !d)) clearInterval(timer);",
    "  }, 100);",
    "})();",
  ].join("\n");
  const fig =
    `<div class="gradlab-figure" style="width:${width};max-width:100%;">` +
    `<div id="${id}" style="width:100%;height:${height}px;"></div></div>\n` +
    `<script type="text/javascript">\n${script}\n</script>`;
  return (opts.library ? plotlyScriptTag() + "\n" : "") + fig;
}
