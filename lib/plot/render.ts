// Rendering a figure: the plotly.js spec with notes, subplot titles and margins filled in, and the HTML that draws
// it with plotly.js in a notebook output or a report.
import { plotJSON } from "./data";
import { axisKeys } from "./layout";
import { type MimeBundle, plotlyLoaderTag, plotlyScriptTag } from "./library";
import { staticSVG } from "./static-svg";
import type { FigureSpec, PlotlyLayout, PlotlyTrace } from "./types";
import { type FigureView, GRID_TYPES, dataNotes, flatValues, traceCell } from "./validate";

export type { FigureSpec } from "./types";

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
    placeLegend(L, data);
  }
  logTicks(L, view);
  return { data, layout: L, config: { ...view.config } };
}

/**
 * HTML for a figure: a <div> holding the static picture (`staticSVG`), the plotly.js loader, and a <script>
 * that replaces the picture by the interactive chart (`Plotly.newPlot`) once `window.Plotly` exists. `key`
 * identifies the figure object (a redraw purges its old output), `id` the element. With `library: true` the
 * whole plotly.js library script comes first instead of the loader.
 */
export function figureHTML(spec: FigureSpec, id: string, key: string, opts: { library?: boolean; picture?: string } = {}): string {
  const height = Number(spec.layout.height) || 380;
  const width = spec.layout.width ? `${Number(spec.layout.width)}px` : "100%";
  const picture = (opts.picture ?? staticSVG(spec)).replace("<svg ", '<svg style="width:100%;height:100%" preserveAspectRatio="xMidYMid meet" ');
  const script = [
    "(function () {",
    `  var id = "${id}", key = "${key}", spec = ${plotJSON(spec)};`,
    "  function draw() {",
    "    var d = document.getElementById(id);",
    "    if (!d) return false;",
    "    if (d.__gradlabDrawn) return true;",
    "    if (!window.Plotly) return false;",
    "    d.__gradlabDrawn = true;",
    "    d.innerHTML = \"\";", // the static picture
    "    var live = window.__gradlabFigures = window.__gradlabFigures || {};",
    "    var old = live[key];",
    "    if (old && old !== d && !old.isConnected) { try { window.Plotly.purge(old); } catch (e) {} }",
    "    live[key] = d;",
    // reports (gradlab report sets the flag) never show the toolbar; prints hide it (the <style> below)
    "    var config = window.__gradlabReport ? Object.assign({}, spec.config, { displayModeBar: false }) : spec.config;",
    "    window.Plotly.newPlot(d, spec.data, spec.layout, config);",
    "    return true;",
    "  }",
    "  if (draw()) return;",
    "  (window.__gradlabPlotlyQueue = window.__gradlabPlotlyQueue || []).push(draw);",
    "  var n = 0, timer = setInterval(function () {",
    "    if (draw() || ++n > 600) clearInterval(timer);",
    "  }, 100);",
    "})();",
  ].join("\n");
  const fig =
    `<style>@media print { .gradlab-figure .modebar-container { display: none !important; } }</style>` +
    `<div class="gradlab-figure" style="width:${width};max-width:100%;">` +
    `<div id="${id}" style="width:100%;height:${height}px;">${picture}</div></div>\n` +
    `<script type="text/javascript">\n${script}\n</script>`;
  return (opts.library ? plotlyScriptTag() : plotlyLoaderTag()) + "\n" + fig;
}

/**
 * A figure's mime bundle: text/plain, text/html (static picture + interactive chart), the plotly spec as
 * `application/vnd.plotly.v1+json` (an object: JupyterLab's and nbviewer's plotly renderers draw it) and the
 * static picture as `image/svg+xml` (what a front end without scripts or plotly shows).
 */
export function figureBundle(spec: FigureSpec, id: string, key: string, text: string): MimeBundle {
  const json = JSON.parse(plotJSON(spec)) as FigureSpec;
  const picture = staticSVG(json);
  return {
    "text/plain": text,
    "text/html": figureHTML(spec, id, key, { picture }),
    "application/vnd.plotly.v1+json": json,
    "image/svg+xml": picture,
  };
}

const hasColorbar = (tr: PlotlyTrace): boolean =>
  (GRID_TYPES.has(String(tr.type)) && tr.showscale !== false && tr.visible !== false) || tr.marker?.showscale === true;

/**
 * Puts the legend outside the data area, unless the layout places it (x, y or orientation given): at the top
 * right beside the plot, or, when a color bar already takes that place, in one row above the plot (the top
 * margin grows by a row).
 */
function placeLegend(L: PlotlyLayout, data: PlotlyTrace[]): void {
  const legend = { ...(L.legend ?? {}) };
  if (legend.x !== undefined || legend.y !== undefined || legend.orientation !== undefined) return;
  if (data.some(hasColorbar)) {
    Object.assign(legend, { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom", yref: "paper" });
    L.margin = { ...L.margin, t: (L.margin?.t ?? 24) + 26 };
  } else {
    Object.assign(legend, { x: 1.02, xanchor: "left", y: 1, yanchor: "top" });
  }
  L.legend = legend;
}

/** log10 of the positive finite values a trace puts on one of its axes ("x" or "y"). */
function logExtent(traces: readonly PlotlyTrace[], key: "x" | "y"): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const tr of traces) {
    for (const v of flatValues(tr[key])) {
      if (typeof v === "number" && v > 0 && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [Math.log10(lo), Math.log10(hi)] : null;
}

/**
 * Log axes labelled by decades only (1e-4, 1e-3, ...; no "2, 5" between them): a tick every decade, or every
 * k decades when the data spans more than ten. Axes spanning less than one decade keep plotly's ticks (a
 * decade tick might not even be in view). An axis with its own dtick or tickvals is left alone.
 */
function logTicks(L: PlotlyLayout, view: FigureView): void {
  const cells = view.grid ? view.grid.rows * view.grid.cols : 1;
  for (let k = 1; k <= cells; k++) {
    const keys = axisKeys(k);
    const traces = view.data.filter((tr) => traceCell(tr) === k);
    for (const [name, key] of [[keys.xa, "x"], [keys.ya, "y"]] as const) {
      const ax = L[name];
      if (!ax || ax.type !== "log" || ax.dtick !== undefined || ax.tickvals !== undefined) continue;
      const extent = Array.isArray(ax.range) ? [Math.min(...ax.range), Math.max(...ax.range)] : logExtent(traces, key);
      if (!extent) continue;
      const span = extent[1] - extent[0];
      if (span < 1) continue;
      L[name] = { ...ax, dtick: Math.max(1, Math.ceil(span / 10)), exponentformat: ax.exponentformat ?? "e" };
    }
  }
}
