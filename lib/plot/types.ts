// The plot options and the raw plotly.js types shared by the figure builder, its checks and its renderer.
import type { Numeric } from "./data";

/** A raw plotly.js trace (https://plotly.com/javascript/reference/); NDArrays are accepted anywhere inside. */
export type PlotlyTrace = { [key: string]: any };
/** A raw plotly.js layout. */
export type PlotlyLayout = { [key: string]: any };

/** Where a trace goes in a subplot grid (1-based, as plotly's make_subplots). */
export interface CellOptions {
  row?: number;
  col?: number;
}

/** Titles, labels and axis scales; on a subplot grid they apply to the chosen cell. */
export interface AxesOptions extends CellOptions {
  /** Figure title (on a subplot grid with row/col: that subplot's title). */
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Logarithmic x axis. */
  logx?: boolean;
  /** Logarithmic y axis (values ≤ 0 are hidden, with a note). */
  logy?: boolean;
  /** Axis ranges in data units (also with log axes). */
  xrange?: [number, number];
  yrange?: [number, number];
}

export interface FigureSizeOptions {
  /** Height in pixels (default 380; subplots: 300 per row). */
  height?: number;
  /** Width in pixels (default: the output's full width, responsive). */
  width?: number;
  /** Show the legend (default: when two or more traces are named). */
  legend?: boolean;
}

export interface LineOptions extends AxesOptions, FigureSizeOptions {
  /** Legend name of a single series. */
  name?: string;
  /** Legend names, one per series when y holds several series. */
  names?: string[];
  color?: string;
  colors?: string[];
  dash?: "solid" | "dot" | "dash" | "longdash" | "dashdot";
  lineWidth?: number;
  /** Draw markers on the points too. */
  markers?: boolean;
}

export interface ScatterOptions extends AxesOptions, FigureSizeOptions {
  name?: string;
  names?: string[];
  /** One CSS color, or one number per point (e.g. class labels) mapped through `colorscale`. */
  color?: string | Numeric;
  colors?: string[];
  colorscale?: string | [number, string][];
  /** Show a color bar for numeric colors (default false). */
  showscale?: boolean;
  /** Marker size in pixels, or one per point. */
  size?: number | Numeric;
  opacity?: number;
  symbol?: string;
  /** Hover text, one per point. */
  text?: string[];
}

export interface GridOptions extends AxesOptions, FigureSizeOptions {
  name?: string;
  colorscale?: string | [number, string][];
  showscale?: boolean;
  /** Color bar title. */
  zlabel?: string;
  /** Plot log10(z) (values ≤ 0 are left blank, with a note): loss surfaces spanning decades. */
  logz?: boolean;
  zmin?: number;
  zmax?: number;
  opacity?: number;
  /** Contours: a count (approximate), or evenly spaced levels, e.g. `[0.5]` for a decision boundary. */
  levels?: number | number[];
  /** Contours: draw lines only (no fill). */
  lines?: boolean;
  /** Contours: write the level values on the lines. */
  labels?: boolean;
}

export interface SubplotsOptions extends FigureSizeOptions {
  /** Figure title. */
  title?: string;
  /** Subplot titles in row-major order. */
  titles?: string[];
  /** All subplots share the first x axis (zoom together). */
  sharex?: boolean;
  sharey?: boolean;
}

/** A subplot grid: size and per-cell titles (row-major). */
export interface GridSpec {
  rows: number;
  cols: number;
  titles: (string | undefined)[];
}

/** What the builder remembers about a trace that the trace itself does not say. */
export interface TraceMeta {
  /** z values ≤ 0 blanked by logz. */
  logzHidden?: number;
}

/** A figure's complete plotly.js spec (what `Plotly.newPlot` gets). */
export interface FigureSpec {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
  config: Record<string, any>;
}
