// Layout defaults of a figure (fonts, colors, axes, subplot domains) and the layout helpers shared by the builder
// and the renderer.
import { isNDArrayLike, isTypedArray } from "./data";
import type { PlotlyLayout } from "./types";

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
export const COLORWAY = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
export const AXIS_DEFAULTS = {
  gridcolor: "#e5e7eb",
  zeroline: false,
  showline: true,
  linecolor: "#9ca3af",
  ticks: "outside",
  tickcolor: "#9ca3af",
  automargin: true,
  // "1e-4" rather than plotly's SI "100µ" for small values (log axes: see `logTicks` in render.ts)
  exponentformat: "e",
};
export const H_GAP = 0.1;
export const V_GAP = 0.14;

export function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isTypedArray(v) && !isNDArrayLike(v);
}

/** Deep merge of plain objects (arrays and other values are replaced); returns a new object. */
export function deepMerge(base: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}

export const axisKeys = (k: number) => ({
  xa: k === 1 ? "xaxis" : `xaxis${k}`,
  ya: k === 1 ? "yaxis" : `yaxis${k}`,
  xref: k === 1 ? "x" : `x${k}`,
  yref: k === 1 ? "y" : `y${k}`,
});

/** The layout a new figure starts from: one plot, or a rows × cols grid of subplots with their domains. */
export function baseLayout(grid?: { rows: number; cols: number }): PlotlyLayout {
  const base: PlotlyLayout = {
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    font: { family: FONT, size: 12, color: "#1f2937" },
    colorway: COLORWAY,
    hovermode: "closest",
    // placed at render time, outside the data area (render.ts: `placeLegend`), unless the layout sets x/y/orientation
    legend: { bgcolor: "rgba(255,255,255,0.85)", bordercolor: "#e5e7eb", borderwidth: 0 },
    height: grid ? Math.min(260 * grid.rows + 60, 1000) : 380,
  };
  const cells = grid ? grid.rows * grid.cols : 1;
  for (let k = 1; k <= cells; k++) {
    const { xa, ya } = axisKeys(k);
    base[xa] = { ...AXIS_DEFAULTS };
    base[ya] = { ...AXIS_DEFAULTS };
  }
  if (grid) {
    const w = (1 - (grid.cols - 1) * H_GAP) / grid.cols;
    const h = (1 - (grid.rows - 1) * V_GAP) / grid.rows;
    for (let r = 1; r <= grid.rows; r++) {
      for (let c = 1; c <= grid.cols; c++) {
        const k = (r - 1) * grid.cols + c;
        const { xa, ya, xref, yref } = axisKeys(k);
        const x0 = (c - 1) * (w + H_GAP);
        const y1 = 1 - (r - 1) * (h + V_GAP);
        Object.assign(base[xa], { domain: [x0, x0 + w], anchor: yref });
        Object.assign(base[ya], { domain: [y1 - h, y1], anchor: xref });
      }
    }
  }
  return base;
}
