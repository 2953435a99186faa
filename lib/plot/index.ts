// gradlab plotting: plotly.js figures that display inline in the gradlab kernel, offline, and survive HTML
// export. `plot` is the notebook surface; `Figure` the object it returns.
import type { Numeric } from "./data";
import { Figure } from "./figure";
import type { GridOptions, LineOptions, PlotlyLayout, PlotlyTrace, ScatterOptions, SubplotsOptions } from "./types";
import {
  hasPlotlyLibrary,
  isPlotlyInlined,
  needsPlotlyLibrary,
  plotlyLibrary,
  plotlyLibraryBundle,
  plotlyScriptTag,
  plotlyVersion,
  resetPlotlyInlining,
} from "./library";

export type { Numeric, NDArrayLike } from "./data";
export { Figure } from "./figure";
export { deepMerge } from "./layout";
export type {
  AxesOptions,
  CellOptions,
  FigureSizeOptions,
  GridOptions,
  LineOptions,
  PlotlyLayout,
  PlotlyTrace,
  ScatterOptions,
  SubplotsOptions,
} from "./types";
export { staticSVG } from "./static-svg";
export {
  CARTESIAN_TRACE_TYPES,
  DISPLAY,
  NEEDS_PLOTLY,
  PLOTLY_LOADER_MARKER,
  PLOTLY_MARKER,
  kernelspecName,
  plotlyCartesianPath,
  plotlyLoaderTag,
  plotlyReportTag,
  hasPlotlyLibrary,
  isPlotlyInlined,
  needsPlotlyLibrary,
  plotlyLibrary,
  plotlyLibraryBundle,
  plotlyPath,
  plotlyScriptTag,
  plotlyVersion,
  resetPlotlyInlining,
} from "./library";
export type { MimeBundle } from "./library";

/** A series (1-d NDArray, typed array, plain array), or several series for multi-line plots. */
export type Series = Numeric | readonly Numeric[];

/**
 * Line plot. `y` may hold several series (`[train, val]` or a 2-d NDArray's columns); x defaults to 0, 1, ...
 * @example plot.line(epochs, [train, val], { names: ["train", "val"], title: "loss", logy: true })
 */
function line(y: Series, opts?: LineOptions): Figure;
function line(x: Numeric, y: Series, opts?: LineOptions): Figure;
function line(x: unknown, y?: unknown, opts?: LineOptions): Figure {
  return new Figure().addLine(x, y, opts);
}

/**
 * Scatter plot; `color` may be one value per point (e.g. class labels) for a colored scatter.
 * @example plot.scatter(X.get(":", 0), X.get(":", 1), { color: labels, title: "data" })
 */
function scatter(y: Series, opts?: ScatterOptions): Figure;
function scatter(x: Numeric, y: Series, opts?: ScatterOptions): Figure;
function scatter(x: unknown, y?: unknown, opts?: ScatterOptions): Figure {
  return new Figure().addScatter(x, y, opts);
}

/**
 * Filled contour plot of z (2-d: rows follow y, columns follow x); x and y may be 1-d grids or np.meshgrid
 * arrays. Loss surfaces: `{ logz: true }`; decision boundaries: `{ levels: [0.5], lines: true }` on top of a
 * filled one, or `plot.contour(...).addScatter(...)`.
 */
function contour(z: Numeric, opts?: GridOptions): Figure;
function contour(x: Numeric, y: Numeric, z: Numeric, opts?: GridOptions): Figure;
function contour(x: unknown, y?: unknown, z?: unknown, opts?: GridOptions): Figure {
  return new Figure().addContour(x, y, z, opts);
}

/** Heatmap of z (2-d: rows follow y, columns follow x). */
function heatmap(z: Numeric, opts?: GridOptions): Figure;
function heatmap(x: Numeric, y: Numeric, z: Numeric, opts?: GridOptions): Figure;
function heatmap(x: unknown, y?: unknown, z?: unknown, opts?: GridOptions): Figure {
  return new Figure().addHeatmap(x, y, z, opts);
}

/** A figure from raw plotly.js traces and layout (NDArrays allowed anywhere in them). */
function figure(traces: PlotlyTrace | PlotlyTrace[] = [], layout: PlotlyLayout = {}): Figure {
  return new Figure([], layout).add(traces);
}

/**
 * An empty grid of rows × cols subplots; fill it with `fig.addLine(x, y, { row, col })` (1-based) and the
 * other `add*` methods; `fig.axes({ row, col, xlabel, logy, ... })` sets one subplot's axes.
 */
function subplots(rows: number, cols: number, opts: SubplotsOptions = {}): Figure {
  for (const [name, v] of [["rows", rows], ["cols", cols]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 12) {
      throw new RangeError(`plot.subplots: ${name} must be an integer from 1 to 12, got ${String(v)}`);
    }
  }
  const fig = new Figure([], {}, { rows, cols, titles: opts.titles });
  if (opts.title !== undefined) fig.axes({ title: opts.title });
  if (opts.height !== undefined) fig.layout.height = opts.height;
  if (opts.width !== undefined) fig.layout.width = opts.width;
  if (opts.legend !== undefined) fig.layout.showlegend = opts.legend;
  for (let k = 2; k <= rows * cols; k++) {
    if (opts.sharex) fig.layout[`xaxis${k}`].matches = "x";
    if (opts.sharey) fig.layout[`yaxis${k}`].matches = "y";
  }
  return fig;
}

/** Lays existing single-plot figures out in a grid (row-major), keeping their titles and axis settings. */
function grid(figures: Figure[], opts: SubplotsOptions & { cols?: number } = {}): Figure {
  if (!Array.isArray(figures) || figures.length === 0) throw new TypeError("plot.grid: expected a non-empty array of figures");
  const cols = opts.cols ?? Math.min(figures.length, 2);
  const rows = Math.ceil(figures.length / cols);
  const fig = subplots(rows, cols, opts);
  figures.forEach((f, i) => fig.add(f, { row: Math.floor(i / cols) + 1, col: (i % cols) + 1 }));
  return fig;
}

/**
 * An empty line figure for a live curve, one series per name. Display it once, then extend and update:
 * @example
 * const fig = plot.live({ names: ["train", "val"], title: "loss", logy: true });
 * const h = display(fig);
 * for (let epoch = 0; epoch < 100; epoch++) { ...; h.update(fig.extend(epoch, [trainLoss, valLoss])); }
 */
function live(opts: LineOptions = {}): Figure {
  const n = opts.names?.length ?? 1;
  return new Figure().addLine([], n === 1 && !opts.names ? [] : Array.from({ length: n }, () => []), { markers: false, ...opts });
}

/** The notebook plotting namespace. */
export const plot = {
  line,
  scatter,
  contour,
  heatmap,
  figure,
  subplots,
  grid,
  live,
  /** A displayable holding only plotly.js: `display(plot.library())` once makes later outputs light. */
  library: plotlyLibrary,
  /** Forget that plotly.js was sent in this session: the next figure carries it again. */
  resetPlotlyInlining,
  plotlyScriptTag,
  hasPlotlyLibrary,
  isPlotlyInlined,
  needsPlotlyLibrary,
  plotlyLibraryBundle,
  plotlyVersion,
};

